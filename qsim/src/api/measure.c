/*
 * measure.c - public entry points for probabilities, marginals, measurement
 * with collapse, reset and sampling.  Randomness comes from qs_rng (GSL).
 */
#include "api/state_impl.h"
#include "core/bits.h"
#include "core/check.h"
#include "core/error.h"
#include "core/rng.h"
#include "ir/lower.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Marginals above this many qubits are measured qubit by qubit instead. */
#define MAX_MARGINAL_QUBITS 16

static qs_status check_list(const char *func, const qs_state *s, const int *qubits, int k,
                            uint64_t *mask)
{
    QS_CHECK_NULL(func, s);
    if (k < 1 || k > s->sv.nq)
        return qs__fail(QS_EINVAL, func, "k %d not in [1, %d]", k, s->sv.nq);
    *mask = 0;
    return qs__check_qubits(func, s->sv.nq, "qubit", qubits, k, mask);
}

QS_API qs_status qs_state_prob_one(const qs_state *s, int qubit, double *out)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, s, &qubit, 1, &mask));
    QS_CHECK_NULL(__func__, out);
    *out = s->sv.k->prob_mask(&s->sv, mask, mask);
    return QS_OK;
}

QS_API qs_status qs_state_probabilities(const qs_state *s, double *out)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, out);
    s->sv.k->probs(&s->sv, out);
    return QS_OK;
}

QS_API qs_status qs_state_marginal(const qs_state *s, const int *qubits, int k, double *out)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, s, qubits, k, &mask));
    QS_CHECK_NULL(__func__, out);
    if (k > 30)
        return qs__fail(QS_ETOOBIG, __func__, "a marginal on %d qubits has too many outcomes", k);
    s->sv.k->marginal(&s->sv, qubits, k, out);
    return QS_OK;
}

/* Projects onto outcome (bit j = qubits[j]) of probability p > 0. */
static void project(qs_state *s, const int *qubits, int k, uint64_t outcome, double p)
{
    uint64_t mask = 0, val = qs__scatter_bits(outcome, qubits, k);
    for (int j = 0; j < k; j++)
        mask |= UINT64_C(1) << qubits[j];
    s->sv.k->collapse(&s->sv, mask, val, 1.0 / sqrt(p));
}

/* Draws an outcome of the k qubits and collapses onto it. */
static qs_status measure(const char *func, qs_state *s, const int *qubits, int k, qs_rng *rng,
                         uint64_t *outcome, double *prob)
{
    gsl_rng *r = qs__rng_gsl(rng);
    double u = gsl_rng_uniform(r), p, total = 0;
    uint64_t o = 0;
    if (k <= MAX_MARGINAL_QUBITS) {
        size_t d = (size_t)1 << k;
        double small[256];   /* no allocation for the common small k */
        double *marg = d <= 256 ? small : malloc(d * sizeof *marg);
        if (!marg)
            return qs__fail(QS_ENOMEM, func, "out of memory");
        s->sv.k->marginal(&s->sv, qubits, k, marg);   /* one read pass */
        double cum = 0;
        for (size_t i = 0; i < d; i++)
            total += marg[i];
        size_t last = 0;
        o = d;
        for (size_t i = 0; i < d; i++) {
            if (marg[i] > 0)
                last = i;
            cum += marg[i];
            if (o == d && u * total < cum && marg[i] > 0)
                o = i;
        }
        if (o == d)
            o = last;
        p = marg[o];
        if (marg != small)
            free(marg);
    } else {
        /* Qubit by qubit: the same distribution, without a 2^k table. */
        double pall = 1;
        for (int j = 0; j < k; j++) {
            uint64_t bit;
            double pj;
            QS_TRY(measure(func, s, qubits + j, 1, rng, &bit, &pj));
            o |= bit << j;
            pall *= pj;
        }
        *outcome = o;
        if (prob)
            *prob = pall;
        return QS_OK;
    }
    if (!(p > 0))
        return qs__fail(QS_EINVAL, func, "the state has norm 0");
    project(s, qubits, k, o, p);
    *outcome = o;
    if (prob)
        *prob = p / total;
    return QS_OK;
}

QS_API qs_status qs_state_measure(qs_state *s, const int *qubits, int k, qs_rng *rng,
                                  uint64_t *outcome, double *prob)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, s, qubits, k, &mask));
    QS_CHECK_NULL(__func__, rng);
    QS_CHECK_NULL(__func__, outcome);
    return measure(__func__, s, qubits, k, rng, outcome, prob);
}

QS_API qs_status qs_state_collapse(qs_state *s, const int *qubits, int k, uint64_t outcome,
                                   double *prob)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, s, qubits, k, &mask));
    if (k < 64 && outcome >> k)
        return qs__fail(QS_EINVAL, __func__, "outcome %llu has more than %d bits",
                        (unsigned long long)outcome, k);
    uint64_t val = qs__scatter_bits(outcome, qubits, k);
    double p = s->sv.k->prob_mask(&s->sv, mask, val);
    if (!(p > 0))
        return qs__fail(QS_EINVAL, __func__, "outcome %llu has probability 0",
                        (unsigned long long)outcome);
    s->sv.k->collapse(&s->sv, mask, val, 1.0 / sqrt(p));
    if (prob)
        *prob = p;
    return QS_OK;
}

QS_API qs_status qs_state_reset(qs_state *s, const int *qubits, int k, qs_rng *rng)
{
    uint64_t mask, o;
    QS_TRY(check_list(__func__, s, qubits, k, &mask));
    QS_CHECK_NULL(__func__, rng);
    QS_TRY(measure(__func__, s, qubits, k, rng, &o, NULL));
    /* Flip the qubits found in |1>: after the collapse they are all in a
     * basis state, so one X each brings them to |0>. */
    for (int j = 0; j < k; j++)
        if ((o >> j) & 1) {
            qs__op op = {.kind = QS__OP_PERM, .nt = 1, .targets = {qubits[j]}, .perm = {1, 0}};
            qs__sv_apply(&s->sv, &op);
        }
    return QS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts n draws from [0, 1) ascending in O(n) expected time: one bucket
 * per draw by value, then insertion sort inside the buckets (about one
 * element each).  The result is the sorted array, as qsort would give;
 * falls back to qsort when the buffers cannot be had. */
static void sort_uniforms(double *u, size_t n)
{
    size_t *start = malloc((n + 1) * sizeof *start);
    double *tmp = malloc(n * sizeof *tmp);
    if (!start || !tmp) {
        free(start);
        free(tmp);
        qsort(u, n, sizeof *u, cmp_double);
        return;
    }
    memset(start, 0, (n + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(u[i] * (double)n);
        start[(b < n ? b : n - 1) + 1]++;
    }
    for (size_t b = 0; b < n; b++)
        start[b + 1] += start[b];
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(u[i] * (double)n);
        tmp[start[b < n ? b : n - 1]++] = u[i];
    }
    /* start[b] is now the end of bucket b: the buckets are in order, so an
     * insertion sort of the whole array moves each element only inside its
     * own bucket. */
    for (size_t i = 1; i < n; i++) {
        double v = tmp[i];
        size_t j = i;
        while (j > 0 && tmp[j - 1] > v) {
            tmp[j] = tmp[j - 1];
            j--;
        }
        tmp[j] = v;
    }
    memcpy(u, tmp, n * sizeof *u);
    free(start);
    free(tmp);
}

QS_API qs_status qs_state_sample(const qs_state *s, const int *qubits, int k, size_t shots,
                                 qs_rng *rng, uint64_t *out)
{
    uint64_t mask;
    QS_CHECK_NULL(__func__, s);
    if (qubits)
        QS_TRY(check_list(__func__, s, qubits, k, &mask));
    QS_CHECK_NULL(__func__, rng);
    if (shots == 0)
        return QS_OK;
    QS_CHECK_NULL(__func__, out);
    if (shots > SIZE_MAX / sizeof(double))
        return qs__fail(QS_ETOOBIG, __func__, "%zu shots are too many", shots);
    double *u = malloc(shots * sizeof *u);
    if (!u)
        return qs__fail(QS_ENOMEM, __func__, "no memory for %zu shots", shots);
    gsl_rng *r = qs__rng_gsl(rng);
    for (size_t i = 0; i < shots; i++)
        u[i] = gsl_rng_uniform(r);
    sort_uniforms(u, shots);
    /* One pass for a normalised state; an unnormalised one needs the
     * draws rescaled by its norm and a second pass. */
    double total = s->sv.k->sample_sorted(&s->sv, u, shots, out);
    if (!(total > 0)) {
        free(u);
        return qs__fail(QS_EINVAL, __func__, "the state has norm 0");
    }
    if (fabs(total - 1) > 1e-9) {
        for (size_t i = 0; i < shots; i++)
            u[i] *= total;
        s->sv.k->sample_sorted(&s->sv, u, shots, out);
    }
    free(u);
    if (qubits)
        for (size_t i = 0; i < shots; i++)
            out[i] = qs__gather_bits(out[i], qubits, k);
    /* The draws were sorted: shuffle so that shots are in random order.
     * This is gsl_ran_shuffle's loop (same draws, same result) on whole
     * words; GSL's swaps byte by byte, which took most of the time. */
    for (size_t i = shots - 1; i > 0; i--) {
        size_t j = (size_t)gsl_rng_uniform_int(r, (unsigned long)(i + 1));
        uint64_t t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
    return QS_OK;
}
