/*
 * shots.c - expectation values estimated from samples, as hardware gives
 * them (qh_objective_set_shots): the terms of the Pauli sum are grouped by
 * their X/Y letters, the final state (or density matrix) is rotated into
 * each group's basis and sampled, and each term is the mean of its parity
 * over the shots; a diagonal observable is the mean of its values over
 * shots drawn in the computational basis.
 *
 * Each estimate draws from a generator seeded by the objective's seed and
 * a hash of the state's amplitudes, which the library computes bit for bit
 * the same for any thread count: estimates are reproducible, and batches
 * give the same numbers as single calls.
 */
#include "hybrid_impl.h"

#include <stdlib.h>
#include <string.h>

QH_API qs_status qh_objective_set_shots(qh_objective *o, size_t shots, uint64_t seed)
{
    QH_CHECK_NULL(o);
    if (shots > ((size_t)1 << 30))
        return QH_FAIL(QS_EINVAL, "%zu shots: at most 2^30", shots);
    if (shots && o->traj)
        return QH_FAIL(QS_EUNSUPPORTED, "shot estimates and trajectories together: choose one");
    o->shots = shots;
    o->shot_seed = seed;
    if (shots && o->method == QH_GRAD_ADJOINT)
        o->method = QH_GRAD_PARAM_SHIFT;   /* gradients from estimates too */
    return QS_OK;
}

static uint64_t mix(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

static uint64_t state_hash(const qs_state *s)
{
    void *d;
    qs_state_data((qs_state *)s, &d);
    size_t words = ((size_t)1 << qs_state_num_qubits(s)) *
                   ((qs_state_flags(s) & QS_STATE_F32) ? 1 : 2);
    const uint64_t *w = d;
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < words; i++)
        h = (h ^ w[i]) * UINT64_C(1099511628211);
    return h;
}

/* shots basis states drawn from s: a pure state, or for a noisy objective
 * the diagonal of the vectorised rho. */
static qs_status draw_n(const qs_state *s, int nq, int dm, size_t shots, qs_rng *rng,
                        uint64_t *out)
{
    if (!dm)
        return qs_state_sample(s, NULL, 0, shots, rng, out);
    uint64_t d = UINT64_C(1) << nq;
    double *cdf = malloc(sizeof *cdf * d);
    if (!cdf)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    double acc = 0, a[2];
    for (uint64_t k = 0; k < d; k++) {
        qs_status st = qs_state_get_amps(s, k + (k << nq), 1, a);
        if (st != QS_OK) {
            free(cdf);
            return st;
        }
        acc += a[0] > 0 ? a[0] : 0;
        cdf[k] = acc;
    }
    for (size_t i = 0; i < shots; i++) {
        double u;
        qs_rng_uniform(rng, &u);
        u *= acc;
        uint64_t lo = 0, hi = d - 1;
        while (lo < hi) {   /* the first k with cdf[k] > u */
            uint64_t mid = (lo + hi) / 2;
            if (cdf[mid] > u)
                hi = mid;
            else
                lo = mid + 1;
        }
        out[i] = lo;
    }
    free(cdf);
    return QS_OK;
}

static qs_status draw(const qh_objective *o, const qs_state *s, qs_rng *rng, uint64_t *out)
{
    return draw_n(s, o->nq, o->dm, o->shots, rng, out);
}

static qs_rng *state_rng(uint64_t seed, const qs_state *s)
{
    qs_rng *rng = NULL;
    qs_rng_create(mix(seed ^ mix(state_hash(s))), &rng);
    return rng;
}

qs_status qh__sample(const qs_state *s, int nq, int dm, size_t shots, uint64_t seed,
                     uint64_t *out)
{
    qs_rng *rng = state_rng(seed, s);
    if (!rng)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    qs_status st = draw_n(s, nq, dm, shots, rng, out);
    qs_rng_destroy(rng);
    return st;
}

/* Rotates qubit q's X (letter 'X') or Y ('Y') basis to Z: H, or S^dag then
 * H; on a density matrix U on the ket and conj(U) on the bra qubit. */
static qs_status rotate(const qh_objective *o, qs_state *s, int q, char letter)
{
    int qb = q + o->nq;
    if (letter == 'Y') {
        QH_TRY(qs_state_apply_gate(s, QS_GATE_SDG, &q, NULL));
        if (o->dm)
            QH_TRY(qs_state_apply_gate(s, QS_GATE_S, &qb, NULL));
    }
    QH_TRY(qs_state_apply_gate(s, QS_GATE_H, &q, NULL));
    if (o->dm)
        QH_TRY(qs_state_apply_gate(s, QS_GATE_H, &qb, NULL));
    return QS_OK;
}

typedef struct {
    double coef;
    char letters[64];   /* per qubit: 0, 'X', 'Y' or 'Z' */
    uint64_t mask;      /* qubits with a letter */
    int done;
} term;

static qs_status estimate_sum(const qh_objective *o, const qs_state *s, qs_rng *rng,
                              uint64_t *out, double *value)
{
    size_t nt = qs_pauli_sum_num_terms(o->h);
    term *t = calloc(nt + 1, sizeof *t);
    qs_state *work = NULL;
    qs_status st = t ? QS_OK : QH_FAIL(QS_ENOMEM, "out of memory");
    for (size_t i = 0; i < nt && st == QS_OK; i++) {
        char buf[4096];
        st = qs_pauli_sum_term(o->h, i, &t[i].coef, buf, sizeof buf);
        for (char *p = buf; st == QS_OK && *p;) {
            char l = *p++;
            if (l != 'X' && l != 'Y' && l != 'Z')
                continue;
            int q = (int)strtol(p, &p, 10);
            t[i].letters[q] = l;
            t[i].mask |= UINT64_C(1) << q;
        }
    }
    double e = 0;
    for (size_t i = 0; i < nt && st == QS_OK; i++) {
        if (t[i].done)
            continue;
        if (!t[i].mask) {   /* the identity */
            e += t[i].coef;
            t[i].done = 1;
            continue;
        }
        /* group i: every term whose X/Y letters are those of term i */
        st = work ? qs_state_assign(work, s) : qs_state_copy(s, &work);
        for (int q = 0; q < o->nq && st == QS_OK; q++)
            if (t[i].letters[q] == 'X' || t[i].letters[q] == 'Y')
                st = rotate(o, work, q, t[i].letters[q]);
        if (st == QS_OK)
            st = draw(o, work, rng, out);
        for (size_t j = i; j < nt && st == QS_OK; j++) {
            /* measurable in group i's basis: each letter absent, equal, or
             * a Z where group i measures Z (no letter) */
            int same = !t[j].done && t[j].mask;
            for (int q = 0; q < o->nq && same; q++) {
                char a = t[i].letters[q], b = t[j].letters[q];
                same = b == 0 || b == a || (b == 'Z' && a == 0);
            }
            if (!same)
                continue;
            double m = 0;
            for (size_t k = 0; k < o->shots; k++)
                m += (__builtin_popcountll(out[k] & t[j].mask) & 1) ? -1.0 : 1.0;
            e += t[j].coef * m / (double)o->shots;
            t[j].done = 1;
        }
    }
    qs_state_destroy(work);
    free(t);
    if (st == QS_OK)
        *value = e;
    return st;
}

qs_status qh__objective_estimate(const qh_objective *o, const qs_state *s, double *value)
{
    qs_rng *rng;
    QH_TRY(qs_rng_create(mix(o->shot_seed ^ mix(state_hash(s))), &rng));
    uint64_t *out = malloc(sizeof *out * o->shots);
    qs_status st = out ? QS_OK : QH_FAIL(QS_ENOMEM, "out of memory");
    if (st == QS_OK && o->h) {
        st = estimate_sum(o, s, rng, out, value);
    } else if (st == QS_OK) {
        st = draw(o, s, rng, out);
        double m = 0;
        for (size_t k = 0; st == QS_OK && k < o->shots; k++)
            m += o->diag[out[k]];
        if (st == QS_OK)
            *value = m / (double)o->shots;
    }
    free(out);
    qs_rng_destroy(rng);
    return st;
}
