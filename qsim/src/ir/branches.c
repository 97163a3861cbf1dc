/*
 * branches.c - programs with mid-circuit measurement and reset, walked
 * branch by branch: exact enumeration of the measurement branches
 * (qs_program_enumerate) and shots that split at each branch point
 * (qs_program_sample).
 *
 * Both walk the program depth first.  A walk runs steps until a
 * measurement or reset whose outcome is random, continues with outcome 0
 * and leaves outcome 1, in a copy of the state, on a stack of pending
 * branches.  Only branches on the current path are pending, so memory is
 * one state per random outcome on that path.  Calls program.c (steps) and
 * the public state functions; nothing here names a backend.
 */
#include "core/check.h"
#include "core/error.h"
#include "core/mem.h"
#include "core/rng.h"
#include "ir/program_impl.h"
#include "loc/loc.h"

#include <gsl/gsl_randist.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Pending branches kept by qs_program_sample before it simulates the
 * rest of a subtree shot by shot instead: at most 64, and state copies of
 * at most 1 GiB and a quarter of the memory available (a 24-qubit register
 * measured mid-circuit kept 24 copies of 256 MiB: 6.8 GB). */
#define MAX_PENDING 64
#define PENDING_BYTES ((uint64_t)1 << 30)
/* Qubits of a register measurement whose outcomes enumeration counts
 * before it follows them (2^20 doubles). */
#define GROUP_QUBITS 20

typedef struct branch {
    size_t step;          /* next step to run */
    double prob;          /* enumerate: probability of the path */
    size_t shots;         /* sample: shots that take this path */
    qs_state *s;
    unsigned char *bits;  /* classical bits so far */
    int owned;            /* s is a copy to destroy */
} branch;

typedef struct walk {
    const qs_program *p;
    const double *params;
    branch *stack;
    size_t n, cap;
} walk;

static void drop(branch *b)
{
    if (b->owned)
        qs_state_destroy(b->s);
    free(b->bits);
    b->s = NULL;
    b->bits = NULL;
}

static void walk_free(walk *w)
{
    for (size_t i = 0; i < w->n; i++)
        drop(&w->stack[i]);
    free(w->stack);
}

/* Puts outcome o (0 or 1) of the measurement or reset at step `at` into
 * s and bits. */
static qs_status take(const qs__step *st, int o, qs_state *s, unsigned char *bits)
{
    QS_TRY(qs_state_collapse(s, st->q, 1, (uint64_t)o, NULL));
    if (st->kind == QS__S_RESET && o)
        QS_TRY(qs_state_apply_gate(s, QS_GATE_X, st->q, NULL));
    if (st->kind == QS__S_MEASURE && st->clbit >= 0)
        bits[st->clbit] = (unsigned char)o;
    return QS_OK;
}

/* Pushes outcome 1 of the step at cur->step as a new pending branch: a
 * copy of cur's state and bits.  Fails with QS_ETOOBIG or QS_ENOMEM when
 * the copy does not fit; the caller words the message. */
static qs_status push_one(walk *w, const branch *cur, const qs__step *st, double prob,
                          size_t shots)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        branch *b = realloc(w->stack, cap * sizeof *b);
        if (!b)
            return QS_ENOMEM;
        w->stack = b;
        w->cap = cap;
    }
    branch nb = {cur->step + 1, prob, shots, NULL, malloc((size_t)w->p->nbits + 1), 1};
    if (!nb.bits)
        return QS_ENOMEM;
    memcpy(nb.bits, cur->bits, (size_t)w->p->nbits);
    qs_status st2 = qs_state_copy(cur->s, &nb.s);
    if (st2 == QS_OK)
        st2 = take(st, 1, nb.s, nb.bits);
    if (st2 != QS_OK) {
        drop(&nb);
        return st2;
    }
    w->stack[w->n++] = nb;
    return QS_OK;
}

/* P(outcome 1) of the step's qubit; *zero0 and *zero1 say which outcomes
 * the state cannot give at all (so are never collapsed onto). */
static double prob_one(const qs__step *st, qs_state *s, int *zero0, int *zero1)
{
    double m[2] = {0, 0};
    qs_state_marginal(s, st->q, 1, m);
    *zero0 = !(m[0] > 0);
    *zero1 = !(m[1] > 0);
    return *zero1 ? 0 : *zero0 ? 1 : m[1] / (m[0] + m[1]);
}

/* The root of a walk: the caller's state and zeroed bits. */
static qs_status walk_init(const char *func, walk *w, const qs_program *p, const double *params,
                           qs_state *s, branch *root)
{
    memset(w, 0, sizeof *w);
    w->p = p;
    w->params = params;
    *root = (branch){0, 1.0, 0, s, calloc((size_t)p->nbits + 1, 1), 0};
    return root->bits ? QS_OK : qs__fail(QS_ENOMEM, func, "out of memory");
}

/* Before enumeration follows the measurements and resets that start at
 * step `at` (consecutive, unconditional, on distinct qubits: a register
 * measurement of k qubits is up to 2^k branches): a lower bound of the
 * paths they give, from the joint distribution of (up to GROUP_QUBITS of)
 * their qubits.  An outcome of k' counted qubits that has probability
 * prob * 2^(k-k') or more has at least one full outcome of probability
 * prob or more, and each of those ends a path. */
static size_t group_outcomes(const qs_program *p, size_t at, qs_state *s, double prob,
                             double min_prob, int *nqubits)
{
    int q[QS_MAX_QUBITS], k = 0, all = 0;
    for (size_t i = at; i < p->n; i++) {
        const qs__step *st = &p->steps[i];
        if ((st->kind != QS__S_MEASURE && st->kind != QS__S_RESET) || st->has_cond)
            break;
        int seen = 0;
        for (int j = 0; j < k; j++)
            seen |= q[j] == st->q[0];
        if (seen)
            break;
        all++;
        if (k < GROUP_QUBITS)
            q[k++] = st->q[0];
    }
    *nqubits = all;
    if (k < 2)
        return 1;
    double *m = malloc(sizeof *m << k);
    if (!m || qs_state_marginal(s, q, k, m) != QS_OK) {
        free(m);
        return 1;
    }
    double sum = 0, cut = min_prob * ldexp(1.0, all - k);
    for (size_t i = 0; i < (size_t)1 << k; i++)
        sum += m[i];
    size_t n = 0;
    for (size_t i = 0; i < (size_t)1 << k; i++)
        n += m[i] > 0 && prob * m[i] / sum >= cut;
    free(m);
    return n ? n : 1;
}

QS_API qs_status qs_program_enumerate(const qs_program *p, const double *params,
                                      size_t num_params, double min_prob, size_t max_branches,
                                      qs_state *s, qs_branch_fn fn, void *ctx)
{
    QS_TRY(qs__program_check_run(__func__, p, params, num_params, s));
    QS_CHECK_NULL(__func__, fn);
    if (!(min_prob >= 0) || max_branches < 1)
        return qs__fail(QS_EINVAL, __func__, "min_prob %g must be >= 0 and max_branches >= 1",
                        min_prob);
    walk w;
    branch cur;
    qs_status st = walk_init(__func__, &w, p, params, s, &cur);
    /* Paths ended so far, at the end of the program or dropped: each costs
     * a run, so they are what max_branches bounds. */
    size_t paths = 0;
    for (int more = st == QS_OK; more;) {
        size_t at;
        st = qs__program_exec(p, params, cur.s, cur.step, 1, NULL, cur.bits, &at);
        if (st == QS_OK && at == p->n)
            st = fn(ctx, cur.prob, cur.s, cur.bits);
        if (st == QS_OK && at < p->n) {
            const qs__step *stp = &p->steps[at];
            int z0, z1;
            double p1 = prob_one(stp, cur.s, &z0, &z1), pr0 = cur.prob * (1 - p1),
                   pr1 = cur.prob * p1;
            int keep0 = !z0 && pr0 > 0 && pr0 >= min_prob, keep1 = !z1 && pr1 > 0 && pr1 >= min_prob;
            cur.step = at;
            int k = 0;
            size_t lb = 1;
            /* a register measurement: refused before its first branch when
             * its outcomes alone pass the limit */
            if (at == 0 || (p->steps[at - 1].kind != QS__S_MEASURE &&
                            p->steps[at - 1].kind != QS__S_RESET))
                lb = group_outcomes(p, at, cur.s, cur.prob, min_prob, &k);
            if (lb > 1 && paths + w.n + lb > max_branches) {
                char where[32] = "";
                if (stp->line > 0)
                    snprintf(where, sizeof where, " at line %d", stp->line);
                st = qs__fail(QS_ETOOBIG, __func__, "the measurement%s of %d qubits has at least "
                              "%zu possible outcomes, more than the limit of %zu measurement "
                              "branches", where, k, lb, max_branches);
            } else if (keep0 && keep1) {
                /* Every pending branch ends at least one path. */
                if (paths + w.n + 2 > max_branches)
                    st = qs__fail(QS_ETOOBIG, __func__, "more than %zu measurement branches",
                                  max_branches);
                else if ((st = push_one(&w, &cur, stp, pr1, 0)) != QS_OK)
                    st = qs__fail(st, __func__, "no memory for a copy of the state at "
                                  "measurement branch %zu", paths + w.n + 2);
            }
            if (st == QS_OK && (keep0 || keep1)) {
                st = take(stp, keep0 ? 0 : 1, cur.s, cur.bits);
                cur.prob = keep0 ? pr0 : pr1;
                cur.step = at + 1;
                continue;
            }
        }
        /* This path ended (at the end, dropped, or on an error). */
        paths++;
        drop(&cur);
        more = st == QS_OK && w.n > 0;
        if (more)
            cur = w.stack[--w.n];
    }
    walk_free(&w);
    return st;
}

/* k ~ Binomial(n, p) for any size_t n (GSL takes unsigned int). */
static size_t binomial(gsl_rng *r, double p, size_t n)
{
    size_t k = 0;
    while (n > 0) {
        unsigned int m = n > UINT_MAX ? UINT_MAX : (unsigned int)n;
        k += gsl_ran_binomial(r, p, m);
        n -= m;
    }
    return k;
}

/* Writes `shots` rows for a path that reached the end: its bits plus
 * the deferred measurements drawn from its state. */
static qs_status leaf_rows(const qs_program *p, const branch *b, size_t shots, qs_rng *rng,
                           uint64_t *out, size_t words, size_t *row, uint64_t *draws)
{
    int k = p->ndeferred, dq[QS_MAX_QUBITS];
    for (int j = 0; j < k; j++)
        dq[j] = p->deferred[2 * j];
    if (k > 0)
        QS_TRY(qs_state_sample(b->s, dq, k, shots, rng, draws));
    for (size_t i = 0; i < shots; i++, (*row)++) {
        uint64_t *w = out + *row * words;
        memset(w, 0, words * sizeof *w);
        for (int c = 0; c < p->nc; c++)
            w[c / 64] |= (uint64_t)(b->bits[c] & 1) << (c % 64);
        for (int j = 0; j < k; j++) {
            int c = p->deferred[2 * j + 1];
            if (c >= 0)
                w[c / 64] = (w[c / 64] & ~(UINT64_C(1) << (c % 64))) |
                            ((draws[i] >> j) & 1) << (c % 64);
        }
    }
    return QS_OK;
}

QS_API qs_status qs_program_sample(const qs_program *p, const double *params, size_t num_params,
                                   size_t shots, qs_state *s, qs_rng *rng, uint64_t *out)
{
    QS_TRY(qs__program_check_run(__func__, p, params, num_params, s));
    QS_CHECK_NULL(__func__, rng);
    size_t words = ((size_t)p->nc + 63) / 64;
    if (shots == 0 || words == 0)
        return QS_OK;
    QS_CHECK_NULL(__func__, out);
    if (shots > SIZE_MAX / sizeof(uint64_t) / words)
        return qs__fail(QS_ETOOBIG, __func__, "%zu shots are too many", shots);
    gsl_rng *r = qs__rng_gsl(rng);
    uint64_t *draws = malloc(shots * sizeof *draws);
    unsigned char *bits1 = malloc((size_t)p->nbits + 1);
    qs_state *scratch = NULL;   /* shot-by-shot runs, made when first needed */
    walk w;
    branch cur;
    qs_status st = walk_init(__func__, &w, p, params, s, &cur);
    if (st == QS_OK && (!draws || !bits1))
        st = qs__fail(QS_ENOMEM, __func__, "no memory for %zu shots", shots);
    st = qs__loc_agree(s, st);   /* on any rank of a distributed state */
    cur.shots = shots;
    size_t row = 0;
    uint64_t copy = (uint64_t)16 << qs_state_num_qubits(s), budget = qs__mem_available() / 4;
    if (budget > PENDING_BYTES)
        budget = PENDING_BYTES;
    size_t max_pending = budget / copy >= MAX_PENDING ? MAX_PENDING : (size_t)(budget / copy);
    for (int more = st == QS_OK; more;) {
        size_t at;
        st = qs__program_exec(p, params, cur.s, cur.step, 1, NULL, cur.bits, &at);
        if (st == QS_OK && at == p->n)
            st = leaf_rows(p, &cur, cur.shots, rng, out, words, &row, draws);
        if (st == QS_OK && at < p->n) {
            const qs__step *stp = &p->steps[at];
            int z0, z1;
            size_t k1 = binomial(r, prob_one(stp, cur.s, &z0, &z1), cur.shots);
            cur.step = at;
            int split = k1 > 0 && k1 < cur.shots;
            if (!split || (w.n < max_pending && push_one(&w, &cur, stp, 0, k1) == QS_OK)) {
                st = take(stp, k1 == cur.shots, cur.s, cur.bits);
                cur.shots -= split ? k1 : 0;
                cur.step = at + 1;
                continue;
            }
            /* No room for another pending state: the rest of this
             * subtree runs shot by shot from here, with random outcomes. */
            if (!scratch)
                st = qs_state_copy(cur.s, &scratch);
            branch one = {0, 0, 1, scratch, bits1, 0};
            for (size_t i = 0; st == QS_OK && i < cur.shots; i++) {
                size_t end;
                memcpy(bits1, cur.bits, (size_t)p->nbits);
                st = qs_state_assign(scratch, cur.s);
                if (st == QS_OK)
                    st = qs__program_exec(p, params, scratch, at, 0, rng, bits1, &end);
                if (st == QS_OK)
                    st = leaf_rows(p, &one, 1, rng, out, words, &row, draws);
            }
        }
        drop(&cur);
        more = st == QS_OK && w.n > 0;
        if (more)
            cur = w.stack[--w.n];
    }
    if (st == QS_OK)
        gsl_ran_shuffle(r, out, shots, words * sizeof *out);   /* rows were grouped by path */
    walk_free(&w);
    qs_state_destroy(scratch);
    free(draws);
    free(bits1);
    return st;
}
