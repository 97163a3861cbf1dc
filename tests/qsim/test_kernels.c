/*
 * test_kernels.c - every operation class against the naive dense reference
 * on random states: dense matrices of 1..5 targets, diagonals, permutations
 * (with and without phases), Pauli strings and named gates, at every qubit
 * position, with controls above and below the targets and on |0> as well
 * as |1>, and real diagonals given by one value per basis state, for every
 * available backend and both precisions.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 7   /* qubits in reference comparisons: 128 x 128 matrices */

struct kcase {
    int backend;
    unsigned flags;
};

static struct kcase *all_cases(size_t *count)
{
    static struct kcase cases[16];
    size_t n = 0;
    for (int b = 0; qs_backend_name(b); b++)
        if (qs_backend_available(b)) {
            cases[n++] = (struct kcase){b, QS_STATE_DEFAULT};
            cases[n++] = (struct kcase){b, QS_STATE_F32};
        }
    *count = n;
    return cases;
}

/* Runs the test `name` once per available backend and precision. */
#define ON_EVERY_BACKEND(name)                                       \
    ParameterizedTestParameters(kernels, name)                       \
    {                                                                \
        size_t n;                                                    \
        struct kcase *c = all_cases(&n);                             \
        return cr_make_param_array(struct kcase, c, n);              \
    }                                                                \
    extern int qs_test_semicolon_

/* A state of the case's backend and precision holding a random vector;
 * *psi gets the vector as the state holds it (rounded for float). */
static qs_state *make_state(const struct kcase *kc, int n, uint64_t seed, cplx **psi)
{
    cr_assert_eq(qs_backend_select(qs_backend_name(kc->backend)), QS_OK);
    qs_state *s;
    cr_assert_eq(qs_state_create(n, kc->flags, &s), QS_OK, "%s", qs_last_error());
    cr_assert_str_eq(qs_state_backend(s), qs_backend_name(kc->backend));
    cplx *v = ref_random_state(n, seed);
    ref_load(s, v);
    free(v);
    *psi = ref_read(s);
    return s;
}

/* Compares the state with psi after applying the full matrix A to psi. */
static void check(qs_state *s, cplx *psi, cplx *A, const char *what)
{
    int n = qs_state_num_qubits(s);
    ref_matvec(n, A, psi);
    cplx *got = ref_read(s);
    double d = ref_maxdiff(got, psi, UINT64_C(1) << n);
    cr_assert(d <= ref_tol(s), "%s: max |diff| %g (%s, %s)", what, d, qs_state_backend(s),
              (qs_state_flags(s) & QS_STATE_F32) ? "f32" : "f64");
    free(got);
    free(A);
}

/* Random distinct qubits: k targets then nc controls. */
static void pick(uint64_t *seed, int n, int *q, int count)
{
    uint64_t used = 0;
    for (int i = 0; i < count; i++) {
        int v;
        do
            v = (int)(ref_uniform(seed) * n);
        while (used >> v & 1);
        used |= UINT64_C(1) << v;
        q[i] = v;
    }
}

/* Control masks from a list of controls and values. */
static void masks(const int *c, const int *cv, int nc, uint64_t *cm, uint64_t *cval)
{
    *cm = *cval = 0;
    for (int i = 0; i < nc; i++) {
        *cm |= UINT64_C(1) << c[i];
        if (cv[i])
            *cval |= UINT64_C(1) << c[i];
    }
}

ON_EVERY_BACKEND(dense);

ParameterizedTest(struct kcase *kc, kernels, dense)
{
    uint64_t seed = 11;
    for (int k = 1; k <= QS_MAX_TARGETS; k++)
        for (int nc = 0; nc <= 2; nc++)
            for (int rep = 0; rep < (k == 1 ? 3 * N : 12); rep++) {
                int q[N], cv[2] = {rep & 1, (rep >> 1) & 1};
                if (k + nc > N)
                    continue;
                pick(&seed, N, q, k + nc);
                if (k == 1 && nc == 0)
                    q[0] = rep % N;   /* every position */
                cplx *U = ref_random_unitary(k, seed), *psi;
                qs_state *s = make_state(kc, N, seed, &psi);
                cr_assert_eq(qs_state_apply_matrix(s, q, k, q + k, cv, nc, (const double *)U), QS_OK,
                             "%s", qs_last_error());
                uint64_t cm, cval;
                masks(q + k, cv, nc, &cm, &cval);
                check(s, psi, ref_full(N, q, k, U, cm, cval), "dense");
                free(U);
                free(psi);
                qs_state_destroy(s);
            }
}

/* Five targets, all above the vector lanes (the SIMD backends' broadcast
 * kernel), in ascending, descending and scattered order, on 10 qubits,
 * with controls above the lanes, inside them (the lane-vector path), on
 * |0> and |1>. */
ON_EVERY_BACKEND(dense5_high);

ParameterizedTest(struct kcase *kc, kernels, dense5_high)
{
    const int n = 10;
    static const int placements[][7] = {
        {3, 4, 5, 6, 7, 8, 9}, {9, 8, 7, 6, 5, 0, 1}, {5, 9, 3, 7, 4, 2, 8},
        {6, 3, 8, 4, 9, 0, 5}, {4, 5, 6, 7, 8, 3, 9}, {8, 6, 4, 9, 7, 1, 3},
    };
    uint64_t seed = 71;
    for (int p = 0; p < 6; p++)
        for (int nc = 0; nc <= 2; nc++) {
            const int *q = placements[p];
            int cv[2] = {p & 1, nc & 1};
            cplx *U = ref_random_unitary(5, seed + (uint64_t)p), *psi;
            qs_state *s = make_state(kc, n, seed + 10 * (uint64_t)p + (uint64_t)nc, &psi);
            cr_assert_eq(qs_state_apply_matrix(s, q, 5, q + 5, cv, nc, (const double *)U), QS_OK,
                         "%s", qs_last_error());
            uint64_t cm, cval;
            masks(q + 5, cv, nc, &cm, &cval);
            check(s, psi, ref_full(n, q, 5, U, cm, cval), "dense5");
            free(U);
            free(psi);
            qs_state_destroy(s);
        }
}

ON_EVERY_BACKEND(diagonal);

ParameterizedTest(struct kcase *kc, kernels, diagonal)
{
    uint64_t seed = 23;
    for (int k = 1; k <= QS_MAX_TARGETS; k++)
        for (int nc = 0; nc <= 2; nc++)
            for (int rep = 0; rep < 10; rep++) {
                int q[N], cv[2] = {rep & 1, (rep >> 1) & 1}, d = 1 << k;
                pick(&seed, N, q, k + nc);
                cplx diag[32], M[32 * 32] = {0};
                for (int j = 0; j < d; j++) {
                    double ph = 2 * M_PI * ref_uniform(&seed);
                    diag[j] = cexp(I * ph);
                    M[j * d + j] = diag[j];
                }
                cplx *psi;
                qs_state *s = make_state(kc, N, seed, &psi);
                cr_assert_eq(qs_state_apply_diagonal(s, q, k, q + k, cv, nc, (const double *)diag),
                             QS_OK, "%s", qs_last_error());
                uint64_t cm, cval;
                masks(q + k, cv, nc, &cm, &cval);
                check(s, psi, ref_full(N, q, k, M, cm, cval), "diagonal");
                free(psi);
                qs_state_destroy(s);
            }
}

ON_EVERY_BACKEND(permutation);

ParameterizedTest(struct kcase *kc, kernels, permutation)
{
    uint64_t seed = 37;
    for (int k = 1; k <= QS_MAX_TARGETS; k++)
        for (int nc = 0; nc <= 2; nc++)
            for (int rep = 0; rep < 12; rep++) {
                int q[N], cv[2] = {rep & 1, (rep >> 2) & 1}, d = 1 << k;
                pick(&seed, N, q, k + nc);
                uint32_t perm[32];
                for (int j = 0; j < d; j++)
                    perm[j] = (uint32_t)j;
                if (rep % 3 == 0) {
                    /* a single transposition: the kernel's swap path */
                    int a = (int)(ref_uniform(&seed) * d), b = (a + 1 + (int)(ref_uniform(&seed) * (d - 1))) % d;
                    perm[a] = (uint32_t)b;
                    perm[b] = (uint32_t)a;
                } else {
                    for (int j = d - 1; j > 0; j--) {
                        int r = (int)(ref_uniform(&seed) * (j + 1));
                        uint32_t t = perm[j];
                        perm[j] = perm[r];
                        perm[r] = t;
                    }
                }
                int phased = rep % 2;
                cplx ph[32], M[32 * 32] = {0};
                for (int j = 0; j < d; j++) {
                    ph[j] = phased ? cexp(I * 2 * M_PI * ref_uniform(&seed)) : 1;
                    M[perm[j] * d + j] = ph[j];   /* column j: phase at row perm[j] */
                }
                cplx *psi;
                qs_state *s = make_state(kc, N, seed, &psi);
                cr_assert_eq(qs_state_apply_permutation(s, q, k, q + k, cv, nc, perm,
                                                        phased ? (const double *)ph : NULL),
                             QS_OK, "%s", qs_last_error());
                uint64_t cm, cval;
                masks(q + k, cv, nc, &cm, &cval);
                check(s, psi, ref_full(N, q, k, M, cm, cval), "permutation");
                free(psi);
                qs_state_destroy(s);
            }
}

/* exp(-i th/2 P) from the full matrix of P. */
static cplx *rotation(int n, const cplx *P, double th)
{
    cplx *A = malloc(sizeof *A << (2 * n));
    for (int i = 0; i < 1 << (2 * n); i++)
        A[i] = ((i >> n) == (i & ((1 << n) - 1)) ? cos(th / 2) : 0) - I * sin(th / 2) * P[i];
    return A;
}

ON_EVERY_BACKEND(pauli);

ParameterizedTest(struct kcase *kc, kernels, pauli)
{
    uint64_t seed = 41;
    const char letters[] = "IXYZ";
    for (int w = 1; w <= N; w++)
        for (int rep = 0; rep < 16; rep++) {
            int q[N];
            char p[N + 1];
            pick(&seed, N, q, w);
            for (int i = 0; i < w; i++)
                p[i] = letters[(int)(ref_uniform(&seed) * 4)];
            if (rep < 4)   /* diagonal strings take the other path */
                for (int i = 0; i < w; i++)
                    p[i] = i % 2 ? 'Z' : 'I';
            p[w] = '\0';
            double th = 4 * M_PI * ref_uniform(&seed) - 2 * M_PI;
            cplx *psi;
            qs_state *s = make_state(kc, N, seed, &psi);
            cplx *P = ref_pauli(N, q, p, w), *A = rotation(N, P, th);
            cr_assert_eq(qs_state_apply_pauli_rotation(s, q, p, w, th), QS_OK, "%s", qs_last_error());
            check(s, psi, A, p);
            /* and P itself */
            free(psi);
            psi = ref_read(s);
            cr_assert_eq(qs_state_apply_pauli(s, q, p, w), QS_OK);
            check(s, psi, P, p);
            free(psi);
            qs_state_destroy(s);
        }
}

ON_EVERY_BACKEND(named_gates);

/* Every gate of the table, at every position for one-qubit gates and at
 * random placements (controls above and below targets) otherwise, also
 * with one or two extra controls on |0> or |1>. */
ParameterizedTest(struct kcase *kc, kernels, named_gates)
{
    uint64_t seed = 53;
    for (int g = 0; g < QS_NUM_GATES; g++) {
        int nq = qs_gate_num_qubits((qs_gate)g), np = qs_gate_num_params((qs_gate)g);
        for (int rep = 0; rep < (nq == 1 ? N : 10); rep++)
            for (int extra = 0; extra <= 2; extra++) {
                if (nq + extra > N)
                    continue;
                int q[N], cv[2] = {rep & 1, 1};
                pick(&seed, N, q, nq + extra);
                if (nq == 1 && extra == 0)
                    q[0] = rep;
                double prm[4];
                for (int i = 0; i < np; i++)
                    prm[i] = 8 * ref_uniform(&seed) - 4;
                int D = 1 << nq;
                cplx *M = malloc(sizeof *M * (size_t)(D * D));
                cr_assert_eq(qs_gate_matrix((qs_gate)g, prm, (double *)M), QS_OK);
                cplx *psi;
                qs_state *s = make_state(kc, N, seed, &psi);
                cr_assert_eq(qs_state_apply_controlled_gate(s, q + nq, cv, extra, (qs_gate)g, q, prm),
                             QS_OK, "%s: %s", qs_gate_name((qs_gate)g), qs_last_error());
                uint64_t cm, cval;
                masks(q + nq, cv, extra, &cm, &cval);
                check(s, psi, ref_full(N, q, nq, M, cm, cval), qs_gate_name((qs_gate)g));
                free(M);
                free(psi);
                qs_state_destroy(s);
            }
    }
}

ParameterizedTestParameters(kernels, real_diagonal)
{
    size_t n;
    struct kcase *c = all_cases(&n);
    return cr_make_param_array(struct kcase, c, n);
}

/* exp(-i t D), D itself and <D> for a diagonal given by one real value per
 * basis state (the QAOA cost layer's kernel). */
ParameterizedTest(struct kcase *kc, kernels, real_diagonal)
{
    uint64_t seed = 61, D = UINT64_C(1) << N;
    double v[1 << N];
    for (int rep = 0; rep < 6; rep++) {
        for (uint64_t i = 0; i < D; i++)
            v[i] = rep % 2 ? (double)(int)(10 * ref_uniform(&seed)) : 6 * ref_uniform(&seed) - 3;
        double t = 4 * ref_uniform(&seed) - 2;
        cplx *E = calloc(D * D, sizeof *E), *V = calloc(D * D, sizeof *V), *psi;
        for (uint64_t i = 0; i < D; i++) {
            E[i * D + i] = cexp(-I * t * v[i]);
            V[i * D + i] = v[i];
        }
        qs_state *s = make_state(kc, N, seed, &psi);
        double want = 0, got;
        for (uint64_t i = 0; i < D; i++)
            want += v[i] * creal(conj(psi[i]) * psi[i]);
        cr_assert_eq(qs_state_expect_diagonal(s, v, &got), QS_OK, "%s", qs_last_error());
        cr_assert(fabs(got - want) <= 10 * ref_tol(s), "<D> %.17g, want %.17g", got, want);
        cr_assert_eq(qs_state_apply_diagonal_exp(s, v, t), QS_OK, "%s", qs_last_error());
        check(s, psi, E, "diagonal_exp");
        free(psi);
        psi = ref_read(s);
        cr_assert_eq(qs_state_apply_real_diagonal(s, v), QS_OK, "%s", qs_last_error());
        check(s, psi, V, "real_diagonal");
        free(psi);
        qs_state_destroy(s);
    }
    qs_state *s;
    cr_assert_eq(qs_state_create(2, kc->flags, &s), QS_OK);
    cr_assert_eq(qs_state_apply_diagonal_exp(s, v, NAN), QS_EINVAL);
    cr_assert_eq(qs_state_apply_diagonal_exp(s, NULL, 1), QS_EINVAL);
    qs_state_destroy(s);
}

/* Large states take the threaded path: the result must equal the one
 * thread run bit for bit, for every op class, and reductions must not
 * depend on the thread count. */
ON_EVERY_BACKEND(threads_agree);

static void run_ops(qs_state *s)
{
    int n = qs_state_num_qubits(s);
    cplx *U = ref_random_unitary(2, 5), diag[4] = {1, I, -1, cexp(0.3 * I)};
    double *values = malloc(sizeof *values << n);
    for (uint64_t i = 0; i < UINT64_C(1) << n; i++)
        values[i] = (double)(i % 7) - 0.5 * (double)(i % 3);
    qs_state_apply_diagonal_exp(s, values, 0.37);
    uint32_t perm[4] = {3, 0, 1, 2};
    for (int t = 0; t < n; t++) {
        int q[3] = {t, (t + 5) % n, (t + 11) % n};
        double th = 0.1 * t + 0.2;
        qs_state_apply_gate(s, QS_GATE_H, q, NULL);
        qs_state_apply_gate(s, QS_GATE_RX, q, &th);
        qs_state_apply_gate(s, QS_GATE_CX, q + 1, NULL);
        qs_state_apply_gate(s, QS_GATE_CCX, q, NULL);
        qs_state_apply_matrix(s, q, 2, q + 2, NULL, 1, (const double *)U);
        qs_state_apply_diagonal(s, q + 1, 2, NULL, NULL, 0, (const double *)diag);
        qs_state_apply_permutation(s, q, 2, NULL, NULL, 0, perm, (const double *)diag);
        qs_state_apply_pauli_rotation(s, q, "XYZ", 3, th);
    }
    qs_state_apply_diagonal_exp(s, values, -1.3);
    free(values);
    free(U);
}

ParameterizedTest(struct kcase *kc, kernels, threads_agree)
{
    int n = 17;
    cr_assert_eq(qs_backend_select(qs_backend_name(kc->backend)), QS_OK);
    qs_state *a, *b;
    qs_rng *rng;
    cr_assert_eq(qs_rng_create(3, &rng), QS_OK);
    cr_assert_eq(qs_state_create(n, kc->flags, &a), QS_OK);
    cr_assert_eq(qs_state_create(n, kc->flags, &b), QS_OK);
    cr_assert_eq(qs_state_set_random(a, rng), QS_OK);
    cr_assert_eq(qs_state_assign(b, a), QS_OK);
    qs_set_num_threads(1);
    run_ops(a);
    double na, ea;
    qs_state_norm2(a, &na);
    int zz[2] = {0, 9};
    qs_state_expect_pauli(a, zz, "ZX", 2, &ea);
    qs_set_num_threads(2);
    run_ops(b);
    double nb, eb;
    qs_state_norm2(b, &nb);
    qs_state_expect_pauli(b, zz, "ZX", 2, &eb);
    void *da, *db;
    qs_state_data(a, &da);
    qs_state_data(b, &db);
    size_t bytes = ((size_t)2 << n) * ((kc->flags & QS_STATE_F32) ? sizeof(float) : sizeof(double));
    cr_assert(memcmp(da, db, bytes) == 0, "1 and 2 threads give different amplitudes");
    cr_assert(na == nb && ea == eb, "reductions depend on the thread count: %.17g %.17g", na, nb);
    qs_set_num_threads(0);
    qs_state_destroy(a);
    qs_state_destroy(b);
    qs_rng_destroy(rng);
}

/* The SIMD backends act inside a register on the lowest qubits (up to 3
 * in single precision with AVX-512) and fold controls there into lane
 * coefficients: every target position with a control at every other
 * position, on |0> and |1>, for dense, diagonal and permutation ops; every
 * ordered pair of targets for 2-qubit ops, with and without a control. */
ON_EVERY_BACKEND(every_position);

static void one_op(const struct kcase *kc, int kind, const int *t, int k, const int *c,
                   const int *cv, int nc, uint64_t seed)
{
    int d = 1 << k;
    cplx *U = ref_random_unitary(k, seed), M[16 * 16] = {0}, ph[16];
    uint32_t perm[16];
    for (int j = 0; j < d; j++) {
        perm[j] = (uint32_t)((j + 1) % d);
        ph[j] = cexp(I * (0.3 + j));
    }
    cplx *psi;
    qs_state *s = make_state(kc, N, seed, &psi);
    qs_status st;
    if (kind == 0) {
        st = qs_state_apply_matrix(s, t, k, c, cv, nc, (const double *)U);
        memcpy(M, U, sizeof(cplx) * (size_t)(d * d));
    } else if (kind == 1) {
        st = qs_state_apply_diagonal(s, t, k, c, cv, nc, (const double *)ph);
        for (int j = 0; j < d; j++)
            M[j * d + j] = ph[j];
    } else {
        st = qs_state_apply_permutation(s, t, k, c, cv, nc, perm, kind == 3 ? (const double *)ph : NULL);
        for (int j = 0; j < d; j++)
            M[perm[j] * d + j] = kind == 3 ? ph[j] : 1;
    }
    cr_assert_eq(st, QS_OK, "%s", qs_last_error());
    uint64_t cm, cval;
    masks(c, cv, nc, &cm, &cval);
    static const char *names[] = {"dense", "diagonal", "permutation", "phased permutation"};
    check(s, psi, ref_full(N, t, k, M, cm, cval), names[kind]);
    free(U);
    free(psi);
    qs_state_destroy(s);
}

ParameterizedTest(struct kcase *kc, kernels, every_position)
{
    uint64_t seed = 71;
    for (int kind = 0; kind < 4; kind++)
        for (int t = 0; t < N; t++) {
            one_op(kc, kind, &t, 1, NULL, NULL, 0, seed++);
            for (int c = 0; c < N; c++)
                for (int v = 0; v < 2 && c != t; v++)
                    one_op(kc, kind, &t, 1, &c, &v, 1, seed++);
        }
    for (int kind = 0; kind < 4; kind++)
        for (int t0 = 0; t0 < N; t0++)
            for (int t1 = 0; t1 < N; t1++) {
                if (t1 == t0)
                    continue;
                int t[2] = {t0, t1}, c = (t0 + t1 + 1) % N, v = (t0 + kind) & 1;
                one_op(kc, kind, t, 2, NULL, NULL, 0, seed++);
                if (c != t0 && c != t1)
                    one_op(kc, kind, t, 2, &c, &v, 1, seed++);
            }
}

/* States smaller than a vector loop go to the portable kernels. */
ON_EVERY_BACKEND(small_states);

ParameterizedTest(struct kcase *kc, kernels, small_states)
{
    uint64_t seed = 83;
    for (int n = 1; n <= 5; n++)
        for (int rep = 0; rep < 3 * n; rep++) {
            int q[2];
            pick(&seed, n, q, n > 1 ? 2 : 1);
            int k = n > 1 ? 1 + rep % 2 : 1;
            cplx *U = ref_random_unitary(k, seed), *psi;
            qs_state *s = make_state(kc, n, seed, &psi);
            cr_assert_eq(qs_state_apply_matrix(s, q, k, NULL, NULL, 0, (const double *)U), QS_OK);
            check(s, psi, ref_full(n, q, k, U, 0, 0), "small dense");
            free(psi);
            psi = ref_read(s);
            double th = 0.7 + rep;
            const char *p = n > 1 ? "XY" : "Y";
            cplx *P = ref_pauli(n, q, p, k), *A = rotation(n, P, th);
            cr_assert_eq(qs_state_apply_pauli_rotation(s, q, p, k, th), QS_OK);
            check(s, psi, A, "small pauli");
            free(P);
            free(U);
            free(psi);
            double nrm;
            qs_state_norm2(s, &nrm);
            cr_assert_float_eq(nrm, 1.0, 10 * ref_tol(s));
            qs_state_destroy(s);
        }
}

/* Reductions of every backend against sums over the amplitudes read back. */
ON_EVERY_BACKEND(reductions);

ParameterizedTest(struct kcase *kc, kernels, reductions)
{
    for (int n = 1; n <= N + 3; n++) {
        cplx *psi, *phi;
        qs_state *a = make_state(kc, n, 100 + n, &psi), *b = make_state(kc, n, 200 + n, &phi);
        uint64_t len = UINT64_C(1) << n;
        cplx ip = 0;
        for (uint64_t i = 0; i < len; i++)
            ip += conj(psi[i]) * phi[i];
        double got[2];
        cr_assert_eq(qs_state_inner(a, b, got), QS_OK);
        cr_assert(fabs(got[0] - creal(ip)) < ref_tol(a) && fabs(got[1] - cimag(ip)) < ref_tol(a),
                  "inner n=%d: %g%+gi, want %g%+gi", n, got[0], got[1], creal(ip), cimag(ip));
        for (int q = 0; q < n; q++) {
            double p1 = 0, want = 0;
            for (uint64_t i = 0; i < len; i++)
                if (i >> q & 1)
                    want += creal(psi[i] * conj(psi[i]));
            cr_assert_eq(qs_state_prob_one(a, q, &p1), QS_OK);
            cr_assert(fabs(p1 - want) < ref_tol(a), "prob_one(%d) n=%d: %g, want %g", q, n, p1, want);
        }
        free(psi);
        free(phi);
        qs_state_destroy(a);
        qs_state_destroy(b);
    }
}

/* Pauli sums on tiny states (n = 1..6, below every block and sub-block
 * size): <psi|H|psi> and H|psi> against dense Kronecker products. */
ON_EVERY_BACKEND(pauli_sums_small);

ParameterizedTest(struct kcase *kc, kernels, pauli_sums_small)
{
    const char letters[] = "IXYZ";
    uint64_t seed = 31;
    for (int n = 1; n <= 6; n++) {
        uint64_t len = UINT64_C(1) << n;
        cplx *psi, *H = calloc(len * len, sizeof *H);
        qs_state *s = make_state(kc, n, seed + (uint64_t)n, &psi), *out;
        cr_assert_eq(qs_state_create(n, kc->flags, &out), QS_OK);
        qs_pauli_sum *h;
        cr_assert_eq(qs_pauli_sum_create(n, &h), QS_OK);
        for (int t = 0; t < 3 * n + 2; t++) {
            int q[6];
            char p[7];
            for (int i = 0; i < n; i++) {
                q[i] = i;
                p[i] = letters[(int)(ref_uniform(&seed) * 4)];
            }
            p[n] = '\0';
            double c = ref_uniform(&seed) - 0.5;
            cr_assert_eq(qs_pauli_sum_add(h, c, q, p, n), QS_OK);
            cplx *P = ref_pauli(n, q, p, n);
            for (uint64_t i = 0; i < len * len; i++)
                H[i] += c * P[i];
            free(P);
        }
        cplx *hp = malloc(sizeof *hp * len);
        memcpy(hp, psi, sizeof *hp * len);
        ref_matvec(n, H, hp);
        cplx want = 0;
        for (uint64_t i = 0; i < len; i++)
            want += conj(psi[i]) * hp[i];
        double e;
        cr_assert_eq(qs_state_expect(s, h, &e), QS_OK);
        cr_assert(fabs(e - creal(want)) < 10 * ref_tol(s), "n=%d: <H> %.15g, want %.15g", n, e,
                  creal(want));
        cr_assert_eq(qs_pauli_sum_apply(h, s, out), QS_OK);
        cplx *got = ref_read(out);
        cr_assert(ref_maxdiff(got, hp, len) < 10 * ref_tol(s), "n=%d: H|psi> differs", n);
        free(got);
        free(hp);
        free(H);
        free(psi);
        qs_pauli_sum_destroy(h);
        qs_state_destroy(s);
        qs_state_destroy(out);
    }
}

/* Pauli sums on every backend: <psi|H|psi> and H|psi> against the full
 * matrix, for random sums whose groups have X/Y positions low and high
 * (vector lanes, sub-blocks, cache blocks), Z-only terms and Y letters
 * (complex group factors).  n = 15 so that groups span cache blocks. */
ON_EVERY_BACKEND(pauli_sums);

ParameterizedTest(struct kcase *kc, kernels, pauli_sums)
{
    const int n = 15, nterms = 40;
    const char letters[] = "IXYZ";
    uint64_t seed = 97;
    cplx *psi;
    qs_state *s = make_state(kc, n, seed, &psi);
    qs_state *out;
    cr_assert_eq(qs_state_create(n, kc->flags, &out), QS_OK);
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_create(n, &h), QS_OK);
    uint64_t len = UINT64_C(1) << n;
    cplx *Hpsi = calloc(len, sizeof *Hpsi);
    for (int t = 0; t < nterms; t++) {
        char p[16];
        int q[16], w = 0;
        for (int i = 0; i < n; i++) {
            char c = letters[(int)(ref_uniform(&seed) * 4)];
            if (t % 4 == 0 && c != 'I')
                c = 'Z';   /* Z-only terms */
            if (t % 4 == 1 && i > 3)
                c = 'I';   /* X/Y only in the lowest qubits */
            if (c != 'I') {
                q[w] = i;
                p[w++] = c;
            }
        }
        p[w] = '\0';
        double c = ref_uniform(&seed) - 0.5;
        cr_assert_eq(qs_pauli_sum_add(h, c, q, p, w), QS_OK);
        /* H psi term by term: P acting on psi, by its effect on basis states */
        for (uint64_t k = 0; k < len; k++) {
            uint64_t l = k;
            cplx f = c;
            for (int i = 0; i < w; i++) {
                int b = (int)(k >> q[i] & 1);
                if (p[i] == 'X' || p[i] == 'Y')
                    l ^= UINT64_C(1) << q[i];
                if (p[i] == 'Z' && b)
                    f = -f;
                if (p[i] == 'Y')
                    f *= b ? -I : I;
            }
            Hpsi[l] += f * psi[k];
        }
    }
    cplx want = 0;
    for (uint64_t k = 0; k < len; k++)
        want += conj(psi[k]) * Hpsi[k];
    double e;
    cr_assert_eq(qs_state_expect(s, h, &e), QS_OK);
    cr_assert(fabs(e - creal(want)) < 10 * ref_tol(s), "expect %.12g, want %.12g (%s)", e,
              creal(want), qs_state_backend(s));
    cr_assert_eq(qs_pauli_sum_apply(h, s, out), QS_OK);
    cplx *got = ref_read(out);
    double d = ref_maxdiff(got, Hpsi, len);
    cr_assert(d < 10 * ref_tol(s), "H|psi>: max |diff| %g (%s)", d, qs_state_backend(s));
    free(got);
    free(Hpsi);
    free(psi);
    qs_pauli_sum_destroy(h);
    qs_state_destroy(out);
    qs_state_destroy(s);
}

/* Hpsi += c P psi for the Pauli string p on qubits q (w letters), by P's
 * effect on each basis state. */
static void ref_add_term(const cplx *psi, cplx *Hpsi, uint64_t len, double c, const int *q,
                         const char *p, int w)
{
    for (uint64_t k = 0; k < len; k++) {
        uint64_t l = k;
        cplx f = c;
        for (int i = 0; i < w; i++) {
            int b = (int)(k >> q[i] & 1);
            if (p[i] == 'X' || p[i] == 'Y')
                l ^= UINT64_C(1) << q[i];
            if (p[i] == 'Z' && b)
                f = -f;
            if (p[i] == 'Y')
                f *= b ? -I : I;
        }
        Hpsi[l] += f * psi[k];
    }
}

/* Pauli sums whose groups share tiles (backend/psum_plan.h) on every
 * backend, on a state larger than a tile: ZZ on neighbours plus X on
 * every qubit (2 passes), a full-weight X string and Y strings on the
 * high qubits (generators that are not single bits), and random terms
 * on all 18 qubits; <psi|H|psi> and H|psi> against the term-by-term
 * reference, the expectation bit for bit the same on 1 and 2 threads. */
ON_EVERY_BACKEND(pauli_tiles);

ParameterizedTest(struct kcase *kc, kernels, pauli_tiles)
{
    const int n = 18;
    uint64_t seed = 131;
    cplx *psi;
    qs_state *s = make_state(kc, n, seed, &psi);
    qs_state *out;
    cr_assert_eq(qs_state_create(n, kc->flags, &out), QS_OK);
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_create(n, &h), QS_OK);
    uint64_t len = UINT64_C(1) << n;
    cplx *Hpsi = calloc(len, sizeof *Hpsi);
    for (int j = 0; j < n; j++) {
        int zz[2] = {j, (j + 1) % n};
        cr_assert_eq(qs_pauli_sum_add(h, 0.5 + 0.01 * j, zz, "ZZ", 2), QS_OK);
        ref_add_term(psi, Hpsi, len, 0.5 + 0.01 * j, zz, "ZZ", 2);
        cr_assert_eq(qs_pauli_sum_add(h, -0.3 - 0.01 * j, &j, "X", 1), QS_OK);
        ref_add_term(psi, Hpsi, len, -0.3 - 0.01 * j, &j, "X", 1);
    }
    size_t passes;
    cr_assert_eq(qs_pauli_sum_passes(h, n, kc->flags, &passes), QS_OK);
    cr_assert_eq(passes, 2, "ZZ + X on %d qubits: %zu passes", n, passes);
    int all[18];
    char xs[19], ys[19], mix[19];
    const char letters[] = "IXYZ";
    for (int i = 0; i < n; i++) {
        all[i] = i;
        xs[i] = 'X';
        ys[i] = i >= 12 ? 'Y' : 'I';
        mix[i] = i % 5 == 0 ? 'Y' : i % 3 == 0 ? 'X' : 'Z';
    }
    xs[n] = ys[n] = mix[n] = '\0';
    const char *strings[3] = {xs, ys, mix};
    for (int t = 0; t < 3; t++) {
        cr_assert_eq(qs_pauli_sum_add(h, 0.2 + 0.1 * t, all, strings[t], n), QS_OK);
        ref_add_term(psi, Hpsi, len, 0.2 + 0.1 * t, all, strings[t], n);
    }
    for (int t = 0; t < 12; t++) {
        char p[19];
        int q[18], w = 0;
        for (int i = 0; i < n; i++) {
            char c = letters[(int)(ref_uniform(&seed) * 4)];
            if (c != 'I') {
                q[w] = i;
                p[w++] = c;
            }
        }
        p[w] = '\0';
        double c = ref_uniform(&seed) - 0.5;
        cr_assert_eq(qs_pauli_sum_add(h, c, q, p, w), QS_OK);
        ref_add_term(psi, Hpsi, len, c, q, p, w);
    }
    cplx want = 0;
    for (uint64_t k = 0; k < len; k++)
        want += conj(psi[k]) * Hpsi[k];
    double e1, e2;
    int threads = qs_get_num_threads();
    qs_set_num_threads(1);
    cr_assert_eq(qs_state_expect(s, h, &e1), QS_OK);
    qs_set_num_threads(2);
    cr_assert_eq(qs_state_expect(s, h, &e2), QS_OK);
    qs_set_num_threads(threads);
    cr_assert(e1 == e2, "1 thread %.17g, 2 threads %.17g", e1, e2);
    cr_assert(fabs(e1 - creal(want)) < 40 * ref_tol(s), "expect %.12g, want %.12g (%s)", e1,
              creal(want), qs_state_backend(s));
    cr_assert_eq(qs_pauli_sum_apply(h, s, out), QS_OK);
    cplx *got = ref_read(out);
    double d = ref_maxdiff(got, Hpsi, len);
    cr_assert(d < 40 * ref_tol(s), "H|psi>: max |diff| %g (%s)", d, qs_state_backend(s));
    free(got);
    free(Hpsi);
    free(psi);
    qs_pauli_sum_destroy(h);
    qs_state_destroy(out);
    qs_state_destroy(s);
}
