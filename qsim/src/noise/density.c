/*
 * density.c - density matrices: rho of n qubits as a 2n-qubit state (see
 * noise_impl.h), gates and channels through the state kernels, and the
 * reductions that read rho directly (they touch 2^n or 2^n 2^k of its
 * 4^n amplitudes, except fidelity and measurement).
 */
#include "noise/noise_impl.h"
#include "core/check.h"
#include "core/error.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- amplitudes of either precision ------------------------------- */

typedef struct {
    void *d;
    int f32;
} amps;

static amps amps_of(const qs_density *r)
{
    amps a = {NULL, r->f32};
    qs_state_data(r->s, &a.d);
    return a;
}

static inline void get(amps a, uint64_t i, double *re, double *im)
{
    if (a.f32) {
        *re = ((const float *)a.d)[2 * i];
        *im = ((const float *)a.d)[2 * i + 1];
    } else {
        *re = ((const double *)a.d)[2 * i];
        *im = ((const double *)a.d)[2 * i + 1];
    }
}

static inline void put(amps a, uint64_t i, double re, double im)
{
    if (a.f32) {
        ((float *)a.d)[2 * i] = (float)re;
        ((float *)a.d)[2 * i + 1] = (float)im;
    } else {
        ((double *)a.d)[2 * i] = re;
        ((double *)a.d)[2 * i + 1] = im;
    }
}

static uint64_t dim(const qs_density *r) { return UINT64_C(1) << r->n; }

/* ---- handle ------------------------------------------------------- */

QS_API qs_status qs_density_create(int num_qubits, unsigned flags, qs_density **out)
{
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    if (num_qubits < 1 || num_qubits > QS_MAX_QUBITS / 2)
        return qs__fail(QS_EINVAL, __func__, "num_qubits %d not in [1, %d]", num_qubits,
                        QS_MAX_QUBITS / 2);
    if (flags & ~(unsigned)QS_STATE_F32)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    qs_density *r = calloc(1, sizeof *r);
    if (!r)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    qs_status st = qs_state_create(2 * num_qubits, flags, &r->s);
    if (st != QS_OK) {
        free(r);
        return st;   /* its message says how much memory it needs */
    }
    r->n = num_qubits;
    r->f32 = (flags & QS_STATE_F32) != 0;
    *out = r;
    return QS_OK;
}

QS_API void qs_density_destroy(qs_density *rho)
{
    if (!rho)
        return;
    qs_state_destroy(rho->s);
    free(rho);
}

QS_API qs_status qs_density_copy(const qs_density *rho, qs_density **out)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    qs_density *r = calloc(1, sizeof *r);
    if (!r)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    *r = *rho;
    qs_status st = qs_state_copy(rho->s, &r->s);
    if (st != QS_OK) {
        free(r);
        return st;
    }
    *out = r;
    return QS_OK;
}

QS_API int qs_density_num_qubits(const qs_density *rho) { return rho ? rho->n : 0; }
QS_API qs_state *qs_density_state(qs_density *rho) { return rho ? rho->s : NULL; }

static qs_status check_list(const char *f, const qs_density *rho, const int *q, int k,
                            uint64_t *mask)
{
    QS_CHECK_NULL(f, rho);
    if (k < 0 || k > rho->n)
        return qs__fail(QS_EINVAL, f, "%d qubits for a %d-qubit density matrix", k, rho->n);
    if (k)
        QS_CHECK_NULL(f, q);
    uint64_t used = 0;
    QS_TRY(qs__check_qubits(f, rho->n, "qubit", q, k, &used));
    if (mask)
        *mask = used;
    return QS_OK;
}

/* ---- setting rho -------------------------------------------------- */

QS_API qs_status qs_density_set_pure(qs_density *rho, const qs_state *psi)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, psi);
    if (qs_state_num_qubits(psi) != rho->n)
        return qs__fail(QS_EINVAL, __func__, "a %d-qubit state for a %d-qubit density matrix",
                        qs_state_num_qubits(psi), rho->n);
    uint64_t d = dim(rho);
    double *v = malloc(sizeof(double) * 2 * d);
    if (!v)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    qs_status st = qs_state_get_amps(psi, 0, d, v);
    if (st == QS_OK) {
        amps a = amps_of(rho);
        for (uint64_t b = 0; b < d; b++)
            for (uint64_t k = 0; k < d; k++)   /* psi_k conj(psi_b) */
                put(a, k + d * b, v[2 * k] * v[2 * b] + v[2 * k + 1] * v[2 * b + 1],
                    v[2 * k + 1] * v[2 * b] - v[2 * k] * v[2 * b + 1]);
    }
    free(v);
    return st;
}

QS_API qs_status qs_density_set_basis(qs_density *rho, uint64_t index)
{
    QS_CHECK_NULL(__func__, rho);
    if (index >= dim(rho))
        return qs__fail(QS_ERANGE, __func__, "index %llu out of range for %d qubits",
                        (unsigned long long)index, rho->n);
    return qs_state_set_basis(rho->s, index + (index << rho->n));
}

QS_API qs_status qs_density_set_mixed(qs_density *rho)
{
    QS_CHECK_NULL(__func__, rho);
    QS_TRY(qs_state_set_basis(rho->s, 0));
    amps a = amps_of(rho);
    uint64_t d = dim(rho);
    for (uint64_t k = 0; k < d; k++)
        put(a, k + d * k, 1.0 / (double)d, 0);
    return QS_OK;
}

QS_API qs_status qs_density_set_matrix(qs_density *rho, const double *m)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, m);
    amps a = amps_of(rho);
    uint64_t d = dim(rho);
    for (uint64_t k = 0; k < d; k++)
        for (uint64_t b = 0; b < d; b++)
            put(a, k + d * b, m[2 * (k * d + b)], m[2 * (k * d + b) + 1]);
    return QS_OK;
}

QS_API qs_status qs_density_get_matrix(const qs_density *rho, double *out)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, out);
    amps a = amps_of(rho);
    uint64_t d = dim(rho);
    for (uint64_t k = 0; k < d; k++)
        for (uint64_t b = 0; b < d; b++)
            get(a, k + d * b, &out[2 * (k * d + b)], &out[2 * (k * d + b) + 1]);
    return QS_OK;
}

/* ---- gates and channels ------------------------------------------- */

/* conj(U) of each gate: the same gate, its adjoint twin, or the same gate
 * with some angles negated; the rest (gates with complex constant
 * entries) go as a conjugated matrix. */
int qs__gate_conj(int g, int *cg, unsigned *negmask)
{
    *cg = g;
    *negmask = 0;
    switch (g) {
    case QS_GATE_ID: case QS_GATE_U0: case QS_GATE_X: case QS_GATE_Z: case QS_GATE_H:
    case QS_GATE_CX: case QS_GATE_CZ: case QS_GATE_CH: case QS_GATE_SWAP: case QS_GATE_CSWAP:
    case QS_GATE_CCX: case QS_GATE_CCZ: case QS_GATE_C3X: case QS_GATE_C4X: case QS_GATE_DCX:
    case QS_GATE_RY: case QS_GATE_CRY:
        return 1;
    case QS_GATE_S: *cg = QS_GATE_SDG; return 1;
    case QS_GATE_SDG: *cg = QS_GATE_S; return 1;
    case QS_GATE_T: *cg = QS_GATE_TDG; return 1;
    case QS_GATE_TDG: *cg = QS_GATE_T; return 1;
    case QS_GATE_SX: *cg = QS_GATE_SXDG; return 1;
    case QS_GATE_SXDG: *cg = QS_GATE_SX; return 1;
    case QS_GATE_CS: *cg = QS_GATE_CSDG; return 1;
    case QS_GATE_CSDG: *cg = QS_GATE_CS; return 1;
    case QS_GATE_U1: case QS_GATE_P: case QS_GATE_RZ: case QS_GATE_CRZ: case QS_GATE_CU1:
    case QS_GATE_CP: case QS_GATE_RX: case QS_GATE_CRX: case QS_GATE_RXX: case QS_GATE_RYY:
    case QS_GATE_RZZ: case QS_GATE_RZX: case QS_GATE_U2: case QS_GATE_R:
        *negmask = 0xf;   /* every angle */
        return 1;
    case QS_GATE_U3: case QS_GATE_U: case QS_GATE_CU3: case QS_GATE_CU:
        *negmask = 0xe;   /* theta stays: u3(t, p, l)* = u3(t, -p, -l) */
        return 1;
    default: return 0;
    }
}

/* conj(U) on the bra qubits q + n. */
static qs_status apply_conj_gate(qs_density *rho, qs_gate g, const int *q, const double *prm)
{
    int nq = qs_gate_num_qubits(g), np = qs_gate_num_params(g), qb[8], cg;
    unsigned neg;
    for (int j = 0; j < nq; j++)
        qb[j] = q[j] + rho->n;
    if (qs__gate_conj(g, &cg, &neg)) {
        double p[4];
        for (int j = 0; j < np; j++)
            p[j] = (neg >> j & 1) ? -prm[j] : prm[j];
        return qs_state_apply_gate(rho->s, (qs_gate)cg, qb, p);
    }
    double m[2 * 1024];
    QS_TRY(qs_gate_matrix(g, prm, m));
    size_t len = (size_t)1 << (2 * nq);
    for (size_t i = 0; i < len; i++)
        m[2 * i + 1] = -m[2 * i + 1];
    return qs_state_apply_matrix(rho->s, qb, nq, NULL, NULL, 0, m);
}

QS_API qs_status qs_density_apply_gate(qs_density *rho, qs_gate g, const int *qubits,
                                       const double *params)
{
    QS_CHECK_NULL(__func__, rho);
    int nq = qs_gate_num_qubits(g), np = qs_gate_num_params(g);
    if (nq < 0)
        return qs__fail(QS_EINVAL, __func__, "%d is not a gate", (int)g);
    QS_TRY(check_list(__func__, rho, qubits, nq, NULL));
    if (np > 0)
        QS_CHECK_NULL(__func__, params);
    QS_TRY(qs_state_apply_gate(rho->s, g, qubits, params));
    return apply_conj_gate(rho, g, qubits, params);
}

QS_API qs_status qs_density_apply_matrix(qs_density *rho, const int *targets, int num_targets,
                                         const double *u)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, u);
    if (num_targets < 1 || num_targets > QS_MAX_TARGETS)
        return qs__fail(QS_EINVAL, __func__, "num_targets %d not in [1, %d]", num_targets,
                        QS_MAX_TARGETS);
    QS_TRY(check_list(__func__, rho, targets, num_targets, NULL));
    size_t len = (size_t)1 << (2 * num_targets);
    double *m = malloc(sizeof(double) * 2 * len);
    if (!m)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    int qb[QS_MAX_TARGETS];
    for (size_t i = 0; i < len; i++) {
        m[2 * i] = u[2 * i];
        m[2 * i + 1] = -u[2 * i + 1];
    }
    for (int j = 0; j < num_targets; j++)
        qb[j] = targets[j] + rho->n;
    qs_status st = qs_state_apply_matrix(rho->s, targets, num_targets, NULL, NULL, 0, u);
    if (st == QS_OK)
        st = qs_state_apply_matrix(rho->s, qb, num_targets, NULL, NULL, 0, m);
    free(m);
    return st;
}

/* ---- block-real 1-qubit superoperators --------------------------------
 * Every named 1-qubit channel has a real superoperator that maps the
 * populations (rho00, rho11) among themselves and the coherences (rho10,
 * rho01) among themselves.  Applied as such it costs 8 real products per
 * 4 reals and one read and write of rho, where the generic 4x4 complex
 * matrix is compute-bound at one thread (about 1.8 passes; this path 1.5
 * on average over the qubits of a 12-qubit rho, measured under load). */

typedef struct {
    void *d;
    int f32, lo, hi;      /* the ket and bra bit of the qubit */
    uint64_t nbase, chunk;
    double p[4], c[4];    /* populations [00->00 11->00; 00->11 11->11], coherences likewise */
} blockop;

#define CHUNK_BASES (UINT64_C(1) << 12)

static inline uint64_t insert_zero(uint64_t j, int b)
{
    return ((j >> b) << (b + 1)) | (j & ((UINT64_C(1) << b) - 1));
}

/* Bases j in [lo, hi) in runs of 2^lo whose amplitudes are contiguous
 * (used from qubit 2 up).  The coefficients are real, so real and
 * imaginary parts go through the same loop over 2 * run reals. */
#define BLOCK_LOOP(T)                                                          \
    do {                                                                       \
        T *a = o->d;                                                           \
        const T p0 = (T)o->p[0], p1 = (T)o->p[1], p2 = (T)o->p[2], p3 = (T)o->p[3]; \
        const T c0 = (T)o->c[0], c1 = (T)o->c[1], c2 = (T)o->c[2], c3 = (T)o->c[3]; \
        uint64_t run = UINT64_C(1) << o->lo;                                   \
        for (uint64_t j = lo; j < hi;) {                                       \
            uint64_t len = run - (j & (run - 1));                              \
            if (len > hi - j)                                                  \
                len = hi - j;                                                  \
            uint64_t i0 = insert_zero(insert_zero(j, o->lo), o->hi);           \
            T *restrict x0 = a + 2 * i0, *restrict x1 = a + 2 * (i0 | kb);     \
            T *restrict x2 = a + 2 * (i0 | bb), *restrict x3 = a + 2 * (i0 | kb | bb); \
            for (uint64_t t = 0; t < 2 * len; t++) {                           \
                T u0 = x0[t], u3 = x3[t], u1 = x1[t], u2 = x2[t];              \
                x0[t] = p0 * u0 + p1 * u3;                                     \
                x3[t] = p2 * u0 + p3 * u3;                                     \
                x1[t] = c0 * u1 + c1 * u2;                                     \
                x2[t] = c2 * u1 + c3 * u2;                                     \
            }                                                                  \
            j += len;                                                          \
        }                                                                      \
    } while (0)

/* -O2's very cheap vectorizer leaves these loops scalar (their trip count
 * is a run length), and scalar they are instruction-bound: ask GCC for its
 * full vectorizer here (SSE2 at the baseline ISA suffices). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("tree-vectorize", "vect-cost-model=dynamic")))
#endif
static qs_status block_task(void *ctx, size_t index, int thread)
{
    (void)thread;
    const blockop *o = ctx;
    uint64_t lo = (uint64_t)index * o->chunk, hi = lo + o->chunk;
    uint64_t kb = UINT64_C(1) << o->lo, bb = UINT64_C(1) << o->hi;
    if (hi > o->nbase)
        hi = o->nbase;
    if (o->f32)
        BLOCK_LOOP(float);
    else
        BLOCK_LOOP(double);
    return QS_OK;
}

/* 1 when S (4x4 complex, local index ket + 2 bra) is block-real, with the
 * blocks into o. */
static int block_real(const double *S, blockop *o)
{
    static const int pop[2] = {0, 3}, coh[2] = {1, 2};
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
            int same = (r == 0 || r == 3) == (c == 0 || c == 3);
            if (S[2 * (4 * r + c) + 1] != 0 || (!same && S[2 * (4 * r + c)] != 0))
                return 0;
        }
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 2; c++) {
            o->p[2 * r + c] = S[2 * (4 * pop[r] + pop[c])];
            o->c[2 * r + c] = S[2 * (4 * coh[r] + coh[c])];
        }
    return 1;
}

static int apply_block(qs_density *rho, int q, const double *S)
{
    blockop o = {.f32 = rho->f32, .lo = q, .hi = q + rho->n};
    if (!block_real(S, &o) || qs_state_data(rho->s, &o.d) != QS_OK) {
        qs_clear_error();
        return 0;
    }
    o.nbase = UINT64_C(1) << (2 * rho->n - 2);
    o.chunk = o.nbase < CHUNK_BASES ? o.nbase : CHUNK_BASES;
    size_t chunks = (size_t)((o.nbase + o.chunk - 1) / o.chunk);
    /* the threads the kernels would use; small matrices on the caller's */
    int threads = o.nbase < CHUNK_BASES ? 1 : 0;
    return qs_parallel_for(chunks, threads, block_task, &o) == QS_OK;
}

qs_status qs__density_kraus(qs_density *rho, const int *qubits, int k, int nops,
                            const double *ops)
{
    double S[2 * 256];
    int t[2 * QS_CHANNEL_MAX_QUBITS];
    qs__superop(k, nops, ops, S);
    /* on qubits 0 and 1 the runs of contiguous amplitudes are too short
     * for the loop above: the SIMD dense kernel is faster there */
    if (k == 1 && qubits[0] >= 2 && apply_block(rho, qubits[0], S))
        return QS_OK;
    for (int j = 0; j < k; j++) {
        t[j] = qubits[j];
        t[k + j] = qubits[j] + rho->n;
    }
    return qs_state_apply_matrix(rho->s, t, 2 * k, NULL, NULL, 0, S);
}

QS_API qs_status qs_density_apply_kraus(qs_density *rho, const int *qubits, int num_qubits,
                                        int num_ops, const double *ops)
{
    QS_CHECK_NULL(__func__, rho);
    if (num_qubits < 1 || num_qubits > QS_CHANNEL_MAX_QUBITS)
        return qs__fail(QS_EINVAL, __func__, "%d qubits: a channel acts on 1 to %d",
                        num_qubits, QS_CHANNEL_MAX_QUBITS);
    QS_TRY(check_list(__func__, rho, qubits, num_qubits, NULL));
    QS_TRY(qs_kraus_check(num_qubits, num_ops, ops, QS_KRAUS_TOLERANCE));
    return qs__density_kraus(rho, qubits, num_qubits, num_ops, ops);
}

QS_API qs_status qs_density_apply_channel(qs_density *rho, int kind, const int *qubits,
                                          const double *params)
{
    QS_CHECK_NULL(__func__, rho);
    int k = qs_channel_num_qubits(kind);
    if (k < 1)
        return qs__fail(QS_EINVAL, __func__,
                        "kind %d is not a named channel (Kraus sets: qs_density_apply_kraus)",
                        kind);
    QS_TRY(check_list(__func__, rho, qubits, k, NULL));
    double ops[2 * 16 * 16];
    int nops;
    QS_TRY(qs_channel_kraus(kind, params, &nops, ops));
    return qs__density_kraus(rho, qubits, k, nops, ops);
}

/* ---- reductions --------------------------------------------------- */

QS_API qs_status qs_density_trace(const qs_density *rho, double *out)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, out);
    amps a = amps_of(rho);
    uint64_t d = dim(rho);
    double t = 0, re, im;
    for (uint64_t k = 0; k < d; k++) {
        get(a, k + d * k, &re, &im);
        t += re;
    }
    *out = t;
    return QS_OK;
}

QS_API qs_status qs_density_purity(const qs_density *rho, double *out)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, out);
    return qs_state_norm2(rho->s, out);   /* Tr(rho^2) = sum |rho_kb|^2, rho Hermitian */
}

QS_API qs_status qs_density_fidelity_pure(const qs_density *rho, const qs_state *psi,
                                          double *out)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, psi);
    QS_CHECK_NULL(__func__, out);
    if (qs_state_num_qubits(psi) != rho->n)
        return qs__fail(QS_EINVAL, __func__, "a %d-qubit state for a %d-qubit density matrix",
                        qs_state_num_qubits(psi), rho->n);
    uint64_t d = dim(rho);
    double *v = malloc(sizeof(double) * 2 * d);
    if (!v)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    qs_status st = qs_state_get_amps(psi, 0, d, v);
    if (st == QS_OK) {
        amps a = amps_of(rho);
        double f = 0;
        for (uint64_t b = 0; b < d; b++) {
            double sr = 0, si = 0, re, im;   /* sum_k conj(psi_k) rho_kb */
            for (uint64_t k = 0; k < d; k++) {
                get(a, k + d * b, &re, &im);
                sr += v[2 * k] * re + v[2 * k + 1] * im;
                si += v[2 * k] * im - v[2 * k + 1] * re;
            }
            f += sr * v[2 * b] - si * v[2 * b + 1];
        }
        *out = f;
    }
    free(v);
    return st;
}

QS_API qs_status qs_density_probabilities(const qs_density *rho, double *out)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, out);
    amps a = amps_of(rho);
    uint64_t d = dim(rho);
    double im;
    for (uint64_t k = 0; k < d; k++)
        get(a, k + d * k, &out[k], &im);
    return QS_OK;
}

static uint64_t gather(uint64_t x, const int *q, int k)
{
    uint64_t r = 0;
    for (int j = 0; j < k; j++)
        r |= (x >> q[j] & 1) << j;
    return r;
}

QS_API qs_status qs_density_marginal(const qs_density *rho, const int *qubits, int k,
                                     double *out)
{
    QS_TRY(check_list(__func__, rho, qubits, k, NULL));
    QS_CHECK_NULL(__func__, out);
    amps a = amps_of(rho);
    uint64_t d = dim(rho);
    memset(out, 0, sizeof(double) * ((size_t)1 << k));
    double re, im;
    for (uint64_t x = 0; x < d; x++) {
        get(a, x + d * x, &re, &im);
        out[gather(x, qubits, k)] += re;
    }
    return QS_OK;
}

QS_API qs_status qs_density_sample(const qs_density *rho, const int *qubits, int k, size_t shots,
                                   qs_rng *rng, uint64_t *out)
{
    QS_CHECK_NULL(__func__, rho);
    if (qubits)
        QS_TRY(check_list(__func__, rho, qubits, k, NULL));
    /* The pure state sqrt(diag rho) has rho's distribution: sample it. */
    qs_state *p;
    QS_TRY(qs_state_create(rho->n, rho->f32 ? QS_STATE_F32 : 0, &p));
    amps a = amps_of(rho), b = {NULL, rho->f32};
    qs_state_data(p, &b.d);
    uint64_t d = dim(rho);
    double re, im;
    for (uint64_t x = 0; x < d; x++) {
        get(a, x + d * x, &re, &im);
        put(b, x, re > 0 ? sqrt(re) : 0, 0);
    }
    qs_status st = qs_state_sample(p, qubits, k, shots, rng, out);
    qs_state_destroy(p);
    return st;
}

QS_API qs_status qs_density_measure(qs_density *rho, const int *qubits, int k, qs_rng *rng,
                                    uint64_t *outcome, double *prob)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, rho, qubits, k, &mask));
    QS_CHECK_NULL(__func__, rng);
    QS_CHECK_NULL(__func__, outcome);
    if (k < 1)
        return qs__fail(QS_EINVAL, __func__, "no qubit to measure");
    double *m = malloc(sizeof(double) << k);
    if (!m)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    qs_density_marginal(rho, qubits, k, m);
    double u, acc = 0, total = 0;
    for (uint64_t o = 0; o < (UINT64_C(1) << k); o++)
        total += m[o];
    qs_rng_uniform(rng, &u);
    u *= total;
    uint64_t o = 0, last = 0;
    for (; o < (UINT64_C(1) << k); o++) {
        if (m[o] > 0)
            last = o;
        acc += m[o];
        if (u < acc && m[o] > 0)
            break;
    }
    if (o == (UINT64_C(1) << k))
        o = last;
    double p = m[o] / total;
    free(m);
    /* P rho P / p: entries whose ket or bra disagrees with o are zeroed. */
    uint64_t want = 0, d = dim(rho);
    for (int j = 0; j < k; j++)
        want |= (o >> j & 1) << qubits[j];
    amps a = amps_of(rho);
    double s = 1 / (p * total), re, im;
    for (uint64_t b = 0; b < d; b++)
        for (uint64_t x = 0; x < d; x++) {
            if ((x & mask) != want || (b & mask) != want) {
                put(a, x + d * b, 0, 0);
            } else {
                get(a, x + d * b, &re, &im);
                put(a, x + d * b, re * s, im * s);
            }
        }
    *outcome = o;
    if (prob)
        *prob = p;
    return QS_OK;
}

/* Tr(rho P) for P = i^ny X^x Z^z (a Y is i X Z): P|k> = i^ny (-1)^|k&z| |k^x>,
 * so Tr(rho P) = sum_k rho[k][k^x] i^ny (-1)^|k&z|. */
static double expect_pauli(amps a, uint64_t d, uint64_t x, uint64_t z, int ny)
{
    double sr = 0, si = 0, re, im;
    for (uint64_t k = 0; k < d; k++) {
        get(a, k + d * (k ^ x), &re, &im);
        if (__builtin_popcountll(k & z) & 1) {
            re = -re;
            im = -im;
        }
        sr += re;
        si += im;
    }
    switch (ny & 3) {   /* times i^ny, real part */
    case 0: return sr;
    case 1: return -si;
    case 2: return -sr;
    default: return si;
    }
}

QS_API qs_status qs_density_expect(const qs_density *rho, const qs_pauli_sum *h, double *out)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, h);
    QS_CHECK_NULL(__func__, out);
    if (qs_pauli_sum_num_qubits(h) > rho->n)
        return qs__fail(QS_EINVAL, __func__,
                        "a Pauli sum on %d qubits for a %d-qubit density matrix",
                        qs_pauli_sum_num_qubits(h), rho->n);
    amps a = amps_of(rho);
    double e = 0;
    size_t nt = qs_pauli_sum_num_terms(h);
    for (size_t t = 0; t < nt; t++) {
        char buf[4096];
        double coef;
        QS_TRY(qs_pauli_sum_term(h, t, &coef, buf, sizeof buf));
        uint64_t x = 0, z = 0;
        int ny = 0;
        for (const char *p = buf; *p;) {
            char l = *p++;
            if (l == ' ' || l == 'I')
                continue;
            int q = (int)strtol(p, (char **)&p, 10);
            if (l == 'X' || l == 'Y')
                x |= UINT64_C(1) << q;
            if (l == 'Z' || l == 'Y')
                z |= UINT64_C(1) << q;
            ny += l == 'Y';
        }
        e += coef * expect_pauli(a, dim(rho), x, z, ny);
    }
    *out = e;
    return QS_OK;
}

/* A density handle over a caller's 2n-qubit state (not owned). */
static qs_status view(const char *f, const qs_state *s, qs_density *r)
{
    QS_CHECK_NULL(f, s);
    int nq = qs_state_num_qubits(s);
    if (nq % 2)
        return qs__fail(QS_EINVAL, f, "a %d-qubit state is no vectorised density matrix (an "
                        "even number of qubits)", nq);
    r->s = (qs_state *)s;
    r->n = nq / 2;
    r->f32 = (qs_state_flags(s) & QS_STATE_F32) != 0;
    return QS_OK;
}

QS_API qs_status qs_density_expect_state(const qs_state *rho, const qs_pauli_sum *h, double *out)
{
    qs_density r;
    QS_TRY(view(__func__, rho, &r));
    return qs_density_expect(&r, h, out);
}

QS_API qs_status qs_density_expect_diagonal_state(const qs_state *rho, const double *values,
                                                  double *out)
{
    qs_density r;
    QS_TRY(view(__func__, rho, &r));
    QS_CHECK_NULL(__func__, values);
    QS_CHECK_NULL(__func__, out);
    amps a = amps_of(&r);
    uint64_t d = dim(&r);
    double e = 0, re, im;
    for (uint64_t k = 0; k < d; k++) {
        get(a, k + d * k, &re, &im);
        e += values[k] * re;
    }
    *out = e;
    return QS_OK;
}

static uint64_t scatter(uint64_t v, const int *q, int k)
{
    uint64_t r = 0;
    for (int j = 0; j < k; j++)
        r |= (v >> j & 1) << q[j];
    return r;
}

QS_API qs_status qs_density_reduced(const qs_density *rho, const int *qubits, int k, double *out)
{
    uint64_t mask;
    QS_TRY(check_list(__func__, rho, qubits, k, &mask));
    QS_CHECK_NULL(__func__, out);
    if (k < 1 || k > 14)
        return qs__fail(QS_EINVAL, __func__, "k %d not in [1, 14]", k);
    uint64_t d = dim(rho), dk = UINT64_C(1) << k;
    amps a = amps_of(rho);
    memset(out, 0, sizeof(double) * 2 * dk * dk);
    double re, im;
    for (uint64_t x = 0; x < d; x++) {
        uint64_t r = gather(x, qubits, k), rest = x & ~mask;
        for (uint64_t c = 0; c < dk; c++) {
            get(a, x + d * (rest | scatter(c, qubits, k)), &re, &im);
            out[2 * (r * dk + c)] += re;
            out[2 * (r * dk + c) + 1] += im;
        }
    }
    return QS_OK;
}

QS_API qs_status qs_density_entropy(const qs_density *rho, const int *qubits, int k, double *out)
{
    QS_CHECK_NULL(__func__, rho);
    QS_CHECK_NULL(__func__, out);
    int all[30];
    if (k == 0) {
        k = rho->n;
        for (int j = 0; j < k; j++)
            all[j] = j;
        qubits = all;
    }
    if (k > 12)
        return qs__fail(QS_ETOOBIG, __func__, "the entropy of %d qubits: at most 12", k);
    size_t dk = (size_t)1 << k;
    double *m = malloc(sizeof(double) * 2 * dk * dk), *w = malloc(sizeof(double) * dk);
    qs_status st = m && w ? QS_OK : qs__fail(QS_ENOMEM, __func__, "out of memory");
    if (st == QS_OK)
        st = qs_density_reduced(rho, qubits, k, m);
    if (st == QS_OK &&
        LAPACKE_zheev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)dk, (lapack_complex_double *)m,
                      (lapack_int)dk, w) != 0)
        st = qs__fail(QS_ENOTCONV, __func__, "the eigensolver did not converge");
    if (st == QS_OK) {
        double s = 0;
        for (size_t i = 0; i < dk; i++)
            if (w[i] > 1e-15)
                s -= w[i] * log2(w[i]);
        *out = s;
    }
    free(m);
    free(w);
    return st;
}
