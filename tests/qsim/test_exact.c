/*
 * test_exact.c - the exact references: dense matrices of Pauli sums, the
 * lowest eigenpairs (dense LAPACKE and matrix-free Krylov) against the
 * energies stored in the molecule files, and circuit unitaries.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static qs_pauli_sum *molecule(const char *name, double *e_all)
{
    char rel[256];
    snprintf(rel, sizeof rel, "data/molecules/%s.txt", name);
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_read(ref_shared(rel), &h), QS_OK, "%s", qs_last_error());
    const char *v = qs_pauli_sum_header(h, "ground_energy_all_qubit_states");
    cr_assert_not_null(v);
    *e_all = strtod(v, NULL);
    return h;
}

/* ||H v - e v|| for each returned eigenpair, and unit norm. */
static void check_pairs(const qs_pauli_sum *h, int k, const double *e, const double *vecs)
{
    int n = qs_pauli_sum_num_qubits(h);
    uint64_t D = UINT64_C(1) << n;
    qs_state *s, *o;
    qs_state_create(n, 0, &s);
    qs_state_create(n, 0, &o);
    for (int j = 0; j < k; j++) {
        qs_state_set_amps(s, 0, D, vecs + 2 * (size_t)j * D);
        double n2;
        qs_state_norm2(s, &n2);
        cr_assert(fabs(n2 - 1) < 1e-10, "eigenvector %d has norm^2 %g", j, n2);
        qs_pauli_sum_apply(h, s, o);
        double a[2] = {-e[j], 0};
        qs_state_axpy(o, a, s);
        qs_state_norm2(o, &n2);
        cr_assert(sqrt(n2) < 1e-7, "residual of pair %d: %g", j, sqrt(n2));
    }
    qs_state_destroy(s);
    qs_state_destroy(o);
}

Test(exact, h2_dense_and_krylov)
{
    double want, e[3], e2[3];
    qs_pauli_sum *h = molecule("h2_sto3g_0.7414", &want);
    double *v = malloc(sizeof *v * 2 * 16 * 3);
    cr_assert_eq(qs_pauli_sum_eigensolve(h, 3, QS_EIG_DENSE, e, v), QS_OK, "%s", qs_last_error());
    cr_assert(fabs(e[0] - want) < 1e-8, "dense %.12f vs %.12f", e[0], want);
    cr_assert(e[0] <= e[1] && e[1] <= e[2]);
    check_pairs(h, 3, e, v);
    cr_assert_eq(qs_pauli_sum_eigensolve(h, 3, QS_EIG_KRYLOV, e2, v), QS_OK, "%s", qs_last_error());
    for (int j = 0; j < 3; j++)
        cr_assert(fabs(e2[j] - e[j]) < 1e-10, "krylov %d: %.12f vs %.12f", j, e2[j], e[j]);
    check_pairs(h, 3, e2, v);
    free(v);
    qs_pauli_sum_destroy(h);
}

Test(exact, lih_12_qubits, .timeout = 120)
{
    double want, e, ek;
    qs_pauli_sum *h = molecule("lih_sto3g_1.45", &want);
    cr_assert_eq(qs_pauli_sum_num_qubits(h), 12);
    cr_assert_eq(qs_pauli_sum_eigensolve(h, 1, QS_EIG_AUTO, &e, NULL), QS_OK, "%s", qs_last_error());
    cr_assert(fabs(e - want) < 1e-8, "dense %.12f vs %.12f", e, want);
    double *v = malloc(sizeof *v * 2 * 4096);
    cr_assert_eq(qs_pauli_sum_eigensolve(h, 1, QS_EIG_KRYLOV, &ek, v), QS_OK, "%s", qs_last_error());
    cr_assert(fabs(ek - want) < 1e-8, "krylov %.12f vs %.12f", ek, want);
    check_pairs(h, 1, &ek, v);
    free(v);
    qs_pauli_sum_destroy(h);
}

/* The open transverse-field Ising chain -J sum Z_i Z_i+1 - h sum X_i maps to
 * free fermions: its ground energy is minus the sum of the singular values
 * of the bidiagonal matrix with h on the diagonal and J above it. */
Test(exact, ising_chain_krylov, .timeout = 120)
{
    int n = 16;
    double J = 1.0, hx = 1.3;
    qs_pauli_sum *h;
    qs_pauli_sum_create(n, &h);
    for (int i = 0; i < n; i++) {
        int q[2] = {i, i + 1};
        if (i + 1 < n)
            qs_pauli_sum_add(h, -J, q, "ZZ", 2);
        qs_pauli_sum_add(h, -hx, q, "X", 1);
    }
    double d[16], e[15], sv[16], work[64];
    for (int i = 0; i < n; i++)
        d[i] = hx;
    for (int i = 0; i + 1 < n; i++)
        e[i] = J;
    memcpy(sv, d, sizeof d);
    cr_assert_eq(LAPACKE_dbdsqr(LAPACK_COL_MAJOR, 'U', n, 0, 0, 0, sv, e, work, 1, work, 1, work, 1), 0);
    double want = 0;
    for (int i = 0; i < n; i++)
        want -= sv[i];
    double got;
    cr_assert_eq(qs_pauli_sum_eigensolve(h, 1, QS_EIG_AUTO, &got, NULL), QS_OK, "%s", qs_last_error());
    cr_assert(fabs(got - want) < 1e-8, "krylov %.12f vs free fermions %.12f", got, want);
    qs_pauli_sum_destroy(h);
}

Test(exact, complex_hermitian_sum)
{
    /* Odd numbers of Y make the matrix complex: the zheevr path. */
    qs_pauli_sum *h;
    qs_pauli_sum_create(3, &h);
    qs_pauli_sum_add_term(h, 0.7, "Y0");
    qs_pauli_sum_add_term(h, -0.4, "X0 Y1 Z2");
    qs_pauli_sum_add_term(h, 0.3, "Z1");
    qs_pauli_sum_add_term(h, 0.2, "Y2 X1");
    double e[8], ek[2], *v = malloc(sizeof *v * 2 * 8 * 8);
    cr_assert_eq(qs_pauli_sum_eigensolve(h, 8, QS_EIG_DENSE, e, v), QS_OK);
    check_pairs(h, 8, e, v);
    double tr = 0;
    for (int j = 0; j < 8; j++)
        tr += e[j];
    cr_assert(fabs(tr) < 1e-12, "trace of a traceless sum is %g", tr);
    cr_assert_eq(qs_pauli_sum_eigensolve(h, 2, QS_EIG_KRYLOV, ek, NULL), QS_OK);
    cr_assert(fabs(ek[0] - e[0]) < 1e-10 && fabs(ek[1] - e[1]) < 1e-10);
    /* qs_pauli_sum_matrix against Kronecker products */
    cplx M[64], W[64] = {0};
    cr_assert_eq(qs_pauli_sum_matrix(h, (double *)M), QS_OK);
    struct { double w; int q[3]; const char *p; int k; } t[] = {
        {0.7, {0}, "Y", 1}, {-0.4, {0, 1, 2}, "XYZ", 3}, {0.3, {1}, "Z", 1}, {0.2, {2, 1}, "YX", 2}};
    for (int i = 0; i < 4; i++) {
        cplx *P = ref_pauli(3, t[i].q, t[i].p, t[i].k);
        for (int j = 0; j < 64; j++)
            W[j] += t[i].w * P[j];
        free(P);
    }
    cr_assert(ref_maxdiff(M, W, 64) < 1e-15);
    free(v);
    qs_pauli_sum_destroy(h);
}

Test(exact, circuit_unitary)
{
    int n = 4;
    qs_circuit *c;
    qs_circuit_create(n, 0, &c);
    int idx;
    qs_circuit_add_param(c, "t", &idx);
    uint64_t seed = 4;
    cplx *U = calloc(256, sizeof *U);
    for (int i = 0; i < 16; i++)
        U[i * 16 + i] = 1;
    double t = 0.37;
    for (int step = 0; step < 30; step++) {
        qs_gate g = (qs_gate)(int)(ref_uniform(&seed) * QS_NUM_GATES);
        int nq = qs_gate_num_qubits(g), np = qs_gate_num_params(g), q[5];
        if (nq > n)
            continue;
        uint64_t used = 0;
        for (int i = 0; i < nq; i++) {
            do
                q[i] = (int)(ref_uniform(&seed) * n);
            while (used >> q[i] & 1);
            used |= 1u << q[i];
        }
        double prm[4];
        const char *ex[4] = {"2*t - 1", "t^2", "-t", "sin(t)"};
        prm[0] = 2 * t - 1;
        prm[1] = t * t;
        prm[2] = -t;
        prm[3] = sin(t);
        cr_assert_eq(qs_circuit_append_gate_expr(c, g, q, ex), QS_OK, "%s", qs_last_error());
        int D = 1 << nq;
        cplx *M = malloc(sizeof *M * (size_t)(D * D));
        qs_gate_matrix(g, prm, (double *)M);
        (void)np;
        cplx *F = ref_full(n, q, nq, M, 0, 0);
        ref_matmul(n, F, U);   /* F <- F U */
        memcpy(U, F, sizeof *U * 256);
        free(F);
        free(M);
    }
    cplx got[256];
    cr_assert_eq(qs_circuit_unitary(c, &t, 1, (double *)got), QS_OK, "%s", qs_last_error());
    cr_assert(ref_maxdiff(got, U, 256) < 1e-12);
    cr_assert_eq(qs_circuit_append_measure(c, 0, 0), QS_ERANGE);   /* no clbit 0 */
    qs_circuit *m;
    qs_circuit_create(2, 1, &m);
    qs_circuit_append_measure(m, 0, 0);
    cr_assert_eq(qs_circuit_unitary(m, NULL, 0, (double *)got), QS_EUNSUPPORTED);
    qs_circuit *big;
    qs_circuit_create(13, 0, &big);
    cr_assert_eq(qs_circuit_unitary(big, NULL, 0, (double *)got), QS_ETOOBIG);
    qs_circuit_destroy(big);
    qs_circuit_destroy(m);
    free(U);
    qs_circuit_destroy(c);
}
