/*
 * measure.c - public entry points for probabilities, marginals, measurement
 * with collapse, reset and sampling.  Randomness comes from qs_rng (GSL).
 */
#include "core/bits.h"
#include "core/check.h"
#include "core/error.h"
#include "core/rng.h"
#include "loc/loc.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static qs_status check_list(const char *func, const qs_state *s, const int *qubits, int k,
                            uint64_t *mask)
{
    QS_CHECK_NULL(func, s);
    if (k < 1 || k > s->nq)
        return qs__fail(QS_EINVAL, func, "k %d not in [1, %d]", k, s->nq);
    *mask = 0;
    return qs__check_qubits(func, s->nq, "qubit", qubits, k, mask);
}

QS_API qs_status qs_state_prob_one(const qs_state *s, int qubit, double *out)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, s, &qubit, 1, &mask));
    QS_CHECK_NULL(__func__, out);
    return qs__loc_prob_mask(s, mask, mask, out);
}

QS_API qs_status qs_state_probabilities(const qs_state *s, double *out)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, out);
    return qs__loc_probs(s, out);
}

QS_API qs_status qs_state_marginal(const qs_state *s, const int *qubits, int k, double *out)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, s, qubits, k, &mask));
    QS_CHECK_NULL(__func__, out);
    if (k > 30)
        return qs__fail(QS_ETOOBIG, __func__, "a marginal on %d qubits has too many outcomes", k);
    return qs__loc_marginal(s, qubits, k, out);
}

QS_API qs_status qs_state_measure(qs_state *s, const int *qubits, int k, qs_rng *rng,
                                  uint64_t *outcome, double *prob)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, s, qubits, k, &mask));
    QS_CHECK_NULL(__func__, rng);
    QS_CHECK_NULL(__func__, outcome);
    return qs__loc_measure(__func__, s, qubits, k, rng, outcome, prob);
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
    double p;
    QS_TRY(qs__loc_prob_mask(s, mask, val, &p));
    if (!(p > 0))
        return qs__fail(QS_EINVAL, __func__, "outcome %llu has probability 0",
                        (unsigned long long)outcome);
    QS_TRY(qs__loc_collapse(s, mask, val, 1.0 / sqrt(p)));
    if (prob)
        *prob = p;
    return QS_OK;
}

QS_API qs_status qs_state_reset(qs_state *s, const int *qubits, int k, qs_rng *rng)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, s, qubits, k, &mask));
    QS_CHECK_NULL(__func__, rng);
    return qs__loc_reset(__func__, s, qubits, k, rng);
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
    qs_status ok = qs__loc_agree(
        s, u ? QS_OK : qs__fail(QS_ENOMEM, __func__, "no memory for %zu shots", shots));
    if (ok != QS_OK) {   /* on any rank of a distributed state */
        free(u);
        return ok;
    }
    gsl_rng *r = qs__rng_gsl(rng);
    for (size_t i = 0; i < shots; i++)
        u[i] = gsl_rng_uniform(r);
    sort_uniforms(u, shots);
    /* One pass for a normalised state; an unnormalised one needs the
     * draws rescaled by its norm and a second pass. */
    double total;
    qs_status st = qs__loc_sample_sorted(s, u, shots, out, &total);
    if (st != QS_OK) {
        free(u);
        return st;
    }
    if (!(total > 0)) {
        free(u);
        return qs__fail(QS_EINVAL, __func__, "the state has norm 0");
    }
    if (fabs(total - 1) > 1e-9) {
        for (size_t i = 0; i < shots; i++)
            u[i] *= total;
        double again;
        st = qs__loc_sample_sorted(s, u, shots, out, &again);
    }
    free(u);
    if (st != QS_OK)
        return st;
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
