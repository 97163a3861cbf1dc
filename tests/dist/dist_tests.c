/*
 * dist_tests.c - distributed states against one process (run under
 * mpirun with 2 and 4 ranks by tests/dist/run.sh).  Every rank builds the
 * same one-process reference next to the distributed state, applies the
 * same operations to both and compares all amplitudes after each one:
 * every named gate with its qubits in every position (global ones, and
 * controls on global qubits, included), dense, diagonal and permutation
 * matrices, Pauli rotations with X/Y/Z on global qubits, measurement and
 * reset (same outcomes from the same seed), probabilities, marginals,
 * sampling, Pauli-sum expectations and H|psi> (X/Y on every qubit
 * included), inner products, the QFT,
 * compiled programs fused and cache-blocked, the adjoint sweep, a dynamic
 * circuit, refusals, and an allocation failing on one rank only (agreed,
 * not a hang).  Prints "dist: N passed, N failed" on rank 0 and
 * exits non-zero on any failure (every rank).
 */
#include <qsim/qsim.h>

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int rank, nranks, passed, failed;

/* The message is formatted on every rank: its arguments may be collective
 * calls (diff()), which rank 0 alone would wait in for ever. */
#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) {                                                       \
            passed++;                                                     \
        } else {                                                          \
            char msg_[512];                                               \
            snprintf(msg_, sizeof msg_, __VA_ARGS__);                     \
            failed++;                                                     \
            if (rank == 0)                                                \
                fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, msg_); \
        }                                                                 \
    } while (0)

#define OK(call) CHECK((call) == QS_OK, "%s: %s", #call, qs_last_error())

/* Largest |a_i - b_i| over all amplitudes. */
static double diff(const qs_state *a, const qs_state *b)
{
    uint64_t len = UINT64_C(1) << qs_state_num_qubits(a);
    double *x = malloc(sizeof(double) * 2 * len), *y = malloc(sizeof(double) * 2 * len);
    double m = INFINITY;
    if (qs_state_get_amps(a, 0, len, x) == QS_OK && qs_state_get_amps(b, 0, len, y) == QS_OK) {
        m = 0;
        for (uint64_t i = 0; i < 2 * len; i++)
            m = fmax(m, fabs(x[i] - y[i]));
    }
    free(x);
    free(y);
    return m;
}

/* A pair of equal random states: reference and distributed. */
static void pair(int n, unsigned flags, uint64_t seed, qs_state **ref, qs_state **dst)
{
    qs_rng *r1, *r2;
    qs_rng_create(seed, &r1);
    qs_rng_create(seed, &r2);
    OK(qs_state_create(n, flags, ref));
    OK(qs_state_create(n, flags | QS_STATE_DISTRIBUTED, dst));
    OK(qs_state_set_random(*ref, r1));
    OK(qs_state_set_random(*dst, r2));
    qs_rng_destroy(r1);
    qs_rng_destroy(r2);
}

static double tol(unsigned flags) { return flags & QS_STATE_F32 ? 2e-5 : 1e-12; }

/* Every named gate on qubit tuples that put each of its slots on every
 * qubit (a Latin walk, so global qubits are targets and controls). */
static void test_gates(int n, unsigned flags)
{
    qs_state *ref, *dst;
    pair(n, flags, 11, &ref, &dst);
    double prm[4] = {0.3, -1.1, 0.7, 2.2};
    int bad = 0;
    for (int g = 0; g < QS_NUM_GATES; g++) {
        int k = qs_gate_num_qubits((qs_gate)g);
        if (k > n)
            continue;
        for (int shift = 0; shift < n; shift++)
            for (int stride = 1; stride < n; stride += (n > 6 ? 2 : 1)) {
                int q[8], used = 0, okq = 1;
                for (int j = 0; j < k; j++) {
                    q[j] = (shift + j * stride) % n;
                    if (used & (1 << q[j]))
                        okq = 0;
                    used |= 1 << q[j];
                }
                if (!okq)
                    continue;
                qs_status a = qs_state_apply_gate(ref, (qs_gate)g, q, prm);
                qs_status b = qs_state_apply_gate(dst, (qs_gate)g, q, prm);
                double d = diff(ref, dst);
                if (a != QS_OK || b != QS_OK || !(d <= tol(flags))) {
                    if (!bad++ && rank == 0)
                        fprintf(stderr, "gate %s on %d.. (n %d): %g (%s)\n",
                                qs_gate_name((qs_gate)g), q[0], n, d, qs_last_error());
                }
            }
    }
    CHECK(!bad, "%d gate applications differ (n %d, flags %u)", bad, n, flags);
    qs_state_destroy(ref);
    qs_state_destroy(dst);
}

/* Controlled gates with controls on |0> and |1>, matrices of 1-3 targets,
 * diagonals, permutations with phases, Pauli rotations. */
static void test_matrices(int n, unsigned flags)
{
    qs_state *ref, *dst;
    pair(n, flags, 12, &ref, &dst);
    int bad = 0;
    double u[2 * 64], dg[16], ph[16];
    for (int i = 0; i < 2 * 64; i++)
        u[i] = sin(1.7 * i + 0.3);   /* not unitary: the kernels do not care */
    for (int i = 0; i < 16; i++)
        dg[i] = cos(0.9 * i), ph[i] = sin(0.4 * i + 1);
    /* One class at a time over all qubit pairs: earlier ops of the round
     * do not make the qubits local first. */
    for (int cls = 0; cls < 4; cls++)
    for (int t = 0; t < n; t++)
        for (int c = 0; c < n; c++) {
            if (c == t)
                continue;
            int t3[3] = {t, c, (t + c + 1) % n == t || (t + c + 1) % n == c ? (t + 1 + c + 1) % n : (t + c + 1) % n};
            int nt = t3[2] == t || t3[2] == c ? 2 : 3;
            int ctl[1] = {(c + 1) % n == t ? (c + 2) % n : (c + 1) % n}, val[1] = {c & 1};
            int nc = ctl[0] == c || (nt == 3 && ctl[0] == t3[2]) ? 0 : 1;
            uint32_t perm[8] = {3, 0, 2, 1, 7, 5, 6, 4};
            if (nt == 2) {
                perm[0] = 2; perm[1] = 0; perm[2] = 3; perm[3] = 1;
            }
            int st = 0;
            if (cls == 0) {
                st |= qs_state_apply_matrix(ref, t3, nt, ctl, val, nc, u);
                st |= qs_state_apply_matrix(dst, t3, nt, ctl, val, nc, u);
            } else if (cls == 1) {
                st |= qs_state_apply_diagonal(ref, t3, nt, ctl, val, nc, dg);
                st |= qs_state_apply_diagonal(dst, t3, nt, ctl, val, nc, dg);
            } else if (cls == 2) {
                st |= qs_state_apply_permutation(ref, t3, nt, ctl, val, nc, perm,
                                                 (c & 1) ? ph : NULL);
                st |= qs_state_apply_permutation(dst, t3, nt, ctl, val, nc, perm,
                                                 (c & 1) ? ph : NULL);
            } else {
                int pq[3] = {t, c, t3[2]};
                const char *letters = (t + c) % 3 == 0 ? "XYZ" : (t + c) % 3 == 1 ? "YXX" : "ZZY";
                st |= qs_state_apply_pauli_rotation(ref, pq, letters, nt, 0.37 + t);
                st |= qs_state_apply_pauli_rotation(dst, pq, letters, nt, 0.37 + t);
            }
            OK(qs_state_normalize(ref));
            OK(qs_state_normalize(dst));
            double d = diff(ref, dst);
            if (st || !(d <= tol(flags) * 10)) {
                if (!bad++ && rank == 0)
                    fprintf(stderr, "class %d t %d c %d (n %d): %g (%s)\n", cls, t, c, n, d,
                            qs_last_error());
            }
        }
    CHECK(!bad, "%d matrix rounds differ (n %d)", bad, n);
    qs_state_destroy(ref);
    qs_state_destroy(dst);
}

static qs_pauli_sum *random_sum(int n)
{
    qs_pauli_sum *h;
    qs_pauli_sum_create(n, &h);
    char term[256];
    const char L[] = "IXYZ";
    for (int t = 0; t < 3 * n; t++) {
        int len = 0;
        for (int q = 0; q < n; q++) {
            int l = (t * 7 + q * 3 + t * q) % 4;
            if ((t + q) % 3 == 0 && l)
                len += snprintf(term + len, sizeof term - (size_t)len, "%c%d ", L[l], q);
        }
        term[len] = 0;
        qs_pauli_sum_add_term(h, 0.1 * (t + 1) * (t % 2 ? -1 : 1), term);
    }
    return h;
}

static void test_reductions(int n, unsigned flags)
{
    qs_state *ref, *dst;
    pair(n, flags, 13, &ref, &dst);
    /* scramble the layout first: gates on global qubits */
    int q2[2] = {n - 1, 0}, q1[1] = {n - 2};
    OK(qs_state_apply_gate(ref, QS_GATE_H, q2, NULL));
    OK(qs_state_apply_gate(dst, QS_GATE_H, q2, NULL));
    OK(qs_state_apply_gate(ref, QS_GATE_CX, q2, NULL));
    OK(qs_state_apply_gate(dst, QS_GATE_CX, q2, NULL));
    OK(qs_state_apply_gate(ref, QS_GATE_X, q1, NULL));
    OK(qs_state_apply_gate(dst, QS_GATE_X, q1, NULL));
    double a, b, ip1[2], ip2[2];
    OK(qs_state_norm2(ref, &a));
    OK(qs_state_norm2(dst, &b));
    CHECK(fabs(a - b) <= 1e-12, "norm2 %g %g", a, b);
    for (int q = 0; q < n; q++) {
        OK(qs_state_prob_one(ref, q, &a));
        OK(qs_state_prob_one(dst, q, &b));
        CHECK(fabs(a - b) <= 1e-12, "prob_one(%d) %g %g", q, a, b);
    }
    uint64_t len = UINT64_C(1) << n;
    double *pa = malloc(sizeof(double) * len), *pb = malloc(sizeof(double) * len);
    OK(qs_state_probabilities(ref, pa));
    OK(qs_state_probabilities(dst, pb));
    double m = 0;
    for (uint64_t i = 0; i < len; i++)
        m = fmax(m, fabs(pa[i] - pb[i]));
    CHECK(m <= 1e-12, "probabilities %g", m);
    int mq[4] = {n - 1, 1, n - 2, 3};
    OK(qs_state_marginal(ref, mq, 4, pa));
    OK(qs_state_marginal(dst, mq, 4, pb));
    m = 0;
    for (int i = 0; i < 16; i++)
        m = fmax(m, fabs(pa[i] - pb[i]));
    CHECK(m <= 1e-12, "marginal %g", m);
    /* Pauli sums: expectation and H|psi> */
    qs_pauli_sum *h = random_sum(n);
    OK(qs_state_expect(ref, h, &a));
    OK(qs_state_expect(dst, h, &b));
    CHECK(fabs(a - b) <= 1e-12 * fmax(1, fabs(a)), "expect %.17g %.17g", a, b);
    qs_state *hr, *hd;
    OK(qs_state_create(n, flags, &hr));
    OK(qs_state_create(n, flags | QS_STATE_DISTRIBUTED, &hd));
    OK(qs_pauli_sum_apply(h, ref, hr));
    OK(qs_pauli_sum_apply(h, dst, hd));
    CHECK(diff(hr, hd) <= 1e-12 * 10 * n, "H|psi> %g", diff(hr, hd));
    OK(qs_state_inner(hr, ref, ip1));
    OK(qs_state_inner(hd, dst, ip2));
    CHECK(fabs(ip1[0] - ip2[0]) <= 1e-11 && fabs(ip1[1] - ip2[1]) <= 1e-11, "inner %g %g",
          ip1[0], ip2[0]);
    double alpha[2] = {0.3, -0.2};
    OK(qs_state_axpy(hr, alpha, ref));
    OK(qs_state_axpy(hd, alpha, dst));
    CHECK(diff(hr, hd) <= 1e-11, "axpy %g", diff(hr, hd));
    /* copies keep the distribution */
    qs_state *cp;
    OK(qs_state_copy(dst, &cp));
    CHECK(qs_state_num_ranks(cp) == nranks, "copy ranks %d", qs_state_num_ranks(cp));
    CHECK(diff(cp, ref) <= 1e-12, "copy %g", diff(cp, ref));
    CHECK(qs_state_inner(cp, ref, ip1) == QS_EINVAL, "mixing a distributed and a local state");
    qs_state_destroy(cp);
    /* QFT on the whole register and on a range across the global bits */
    OK(qs_state_apply_qft(ref, 0, n, 0));
    OK(qs_state_apply_qft(dst, 0, n, 0));
    CHECK(diff(ref, dst) <= 1e-12 * n, "qft %g", diff(ref, dst));
    OK(qs_state_apply_qft(ref, 2, n - 2, QS_QFT_INVERSE));
    OK(qs_state_apply_qft(dst, 2, n - 2, QS_QFT_INVERSE));
    CHECK(diff(ref, dst) <= 1e-12 * n, "inverse qft %g", diff(ref, dst));
    /* diagonals given by values */
    double *vals = malloc(sizeof(double) * len);
    for (uint64_t i = 0; i < len; i++)
        vals[i] = cos(0.37 * (double)i);
    OK(qs_state_apply_diagonal_exp(ref, vals, 0.8));
    OK(qs_state_apply_diagonal_exp(dst, vals, 0.8));
    CHECK(diff(ref, dst) <= 1e-12, "diagonal exp %g", diff(ref, dst));
    OK(qs_state_expect_diagonal(ref, vals, &a));
    OK(qs_state_expect_diagonal(dst, vals, &b));
    CHECK(fabs(a - b) <= 1e-12, "expect diagonal %g %g", a, b);
    free(vals);
    qs_pauli_sum_destroy(h);
    qs_state_destroy(hr);
    qs_state_destroy(hd);
    free(pa);
    free(pb);
    qs_state_destroy(ref);
    qs_state_destroy(dst);
}

/* Pauli strings whose X/Y letters cover more qubits than a rank holds
 * (up to all n): they cannot be swapped into a slice, and go through a
 * pairwise exchange with the partner rank.  Layout scrambled first
 * (relabelled ranks, swapped qubits) so partners and signs are not the
 * trivial ones. */
static void test_wide_pauli(int n, unsigned flags)
{
    qs_state *ref, *dst;
    pair(n, flags, 16, &ref, &dst);
    int q2[2] = {n - 1, 1}, q1[1] = {n - 2}, gg[2] = {n - 1, n - 2};
    OK(qs_state_apply_gate(ref, QS_GATE_H, q2, NULL));
    OK(qs_state_apply_gate(dst, QS_GATE_H, q2, NULL));
    OK(qs_state_apply_gate(ref, QS_GATE_X, q1, NULL));
    OK(qs_state_apply_gate(dst, QS_GATE_X, q1, NULL));
    OK(qs_state_apply_gate(ref, QS_GATE_CX, gg, NULL));
    OK(qs_state_apply_gate(dst, QS_GATE_CX, gg, NULL));
    qs_pauli_sum *h;
    qs_pauli_sum_create(n, &h);
    char term[512];
    const char L[] = "XYZ";
    int qs[64];
    char letters[65];
    for (int t = 0; t < 12; t++) {
        /* X/Y on every qubit (t < 6), or on all but one (Z or nothing there) */
        int len = 0;
        for (int q = 0; q < n; q++) {
            char l = L[(t + q * (t + 1)) % 2];
            if (t >= 6 && q == (t * 5) % n)
                l = t % 2 ? 'Z' : 'I';
            if (l != 'I')
                len += snprintf(term + len, sizeof term - (size_t)len, "%c%d ", l, q);
        }
        term[len] = 0;
        OK(qs_pauli_sum_add_term(h, 0.3 * (t + 1) * (t % 3 ? 1 : -1), term));
    }
    qs_pauli_sum_add_term(h, 0.7, "Z0 X1");   /* and narrow ones alongside */
    qs_pauli_sum_add_term(h, -0.4, "Y2");
    double a, b;
    OK(qs_state_expect(ref, h, &a));
    OK(qs_state_expect(dst, h, &b));
    CHECK(fabs(a - b) <= 1e-12 * fmax(1, fabs(a)) * (flags ? 1e7 : 1),
          "wide expect (n %d, flags %u) %.17g %.17g", n, flags, a, b);
    qs_state *hr, *hd;
    OK(qs_state_create(n, flags, &hr));
    OK(qs_state_create(n, flags | QS_STATE_DISTRIBUTED, &hd));
    OK(qs_pauli_sum_apply(h, ref, hr));
    OK(qs_pauli_sum_apply(h, dst, hd));
    CHECK(diff(hr, hd) <= tol(flags) * 10 * n, "wide H|psi> (n %d) %g", n, diff(hr, hd));
    /* single strings: expectation and rotation, X/Y on all n qubits */
    int bad = 0;
    for (int r = 0; r < 6; r++) {
        for (int q = 0; q < n; q++) {
            qs[q] = (q + r) % n;
            letters[q] = "XYXYYX"[(q * (r + 1) + r) % 6];
        }
        if (r >= 3)
            letters[r] = 'Z';   /* n - 1 X/Y letters: still more than a slice */
        letters[n] = 0;
        OK(qs_state_expect_pauli(ref, qs, letters, n, &a));
        OK(qs_state_expect_pauli(dst, qs, letters, n, &b));
        bad += !(fabs(a - b) <= tol(flags));
        OK(qs_state_apply_pauli_rotation(ref, qs, letters, n, 0.3 + r));
        OK(qs_state_apply_pauli_rotation(dst, qs, letters, n, 0.3 + r));
        bad += !(diff(ref, dst) <= tol(flags) * 10);
        OK(qs_state_apply_pauli(ref, qs, letters, n));
        OK(qs_state_apply_pauli(dst, qs, letters, n));
        double dd = diff(ref, dst);
        bad += !(dd <= tol(flags) * 10);
        if (bad && rank == 0 && r == 5)
            fprintf(stderr, "wide string round %d: %g (%s)\n", r, dd, letters);
    }
    CHECK(!bad, "%d wide Pauli string rounds differ (n %d, flags %u)", bad, n, flags);
    /* in a program, fused and step by step, and its adjoint gradient */
    if (!flags) {
        qs_circuit *c;
        qs_circuit_create(n, 0, &c);
        int idx;
        qs_circuit_add_param(c, "t", &idx);
        for (int q = 0; q < n; q++) {
            qs[q] = q;
            letters[q] = q % 3 ? 'X' : 'Y';
        }
        letters[n] = 0;
        int one[1] = {0};
        const char *e[1] = {"t"};
        qs_circuit_append_gate_expr(c, QS_GATE_RY, one, e);
        OK(qs_circuit_append_pauli_rotation(c, qs, letters, n, "2*t + 0.1"));
        one[0] = n - 1;
        qs_circuit_append_gate(c, QS_GATE_H, one, NULL);
        OK(qs_circuit_append_pauli_rotation(c, qs, letters, n, "t"));
        for (int fused = 0; fused < 2; fused++) {
            qs_program *p;
            OK(qs_program_compile(c, fused ? 0 : QS_COMPILE_NO_FUSION, &p));
            double prm[1] = {0.45}, g1[1], g2[1];
            qs_state *r2, *d2, *lr, *wr, *ld, *wd;
            pair(n, 0, 17, &r2, &d2);
            OK(qs_program_run(p, prm, 1, r2, NULL, NULL));
            OK(qs_program_run(p, prm, 1, d2, NULL, NULL));
            CHECK(diff(r2, d2) <= 1e-12, "wide Pauli program (fused %d) %g", fused, diff(r2, d2));
            OK(qs_state_create(n, 0, &lr));
            OK(qs_state_create(n, 0, &wr));
            OK(qs_state_create(n, QS_STATE_DISTRIBUTED, &ld));
            OK(qs_state_create(n, QS_STATE_DISTRIBUTED, &wd));
            OK(qs_pauli_sum_apply(h, r2, lr));
            OK(qs_pauli_sum_apply(h, d2, ld));
            OK(qs_program_backprop(p, prm, 1, r2, lr, wr, g1, NULL));
            OK(qs_program_backprop(p, prm, 1, d2, ld, wd, g2, NULL));
            CHECK(fabs(g1[0] - g2[0]) <= 1e-11, "wide adjoint gradient %.15g %.15g", g1[0], g2[0]);
            qs_state_destroy(r2);
            qs_state_destroy(d2);
            qs_state_destroy(lr);
            qs_state_destroy(wr);
            qs_state_destroy(ld);
            qs_state_destroy(wd);
            qs_program_destroy(p);
        }
        qs_circuit_destroy(c);
    }
    qs_pauli_sum_destroy(h);
    qs_state_destroy(hr);
    qs_state_destroy(hd);
    qs_state_destroy(ref);
    qs_state_destroy(dst);
}

static void test_measure(int n)
{
    qs_state *ref, *dst;
    pair(n, 0, 14, &ref, &dst);
    qs_rng *r1, *r2;
    qs_rng_create(5, &r1);
    qs_rng_create(5, &r2);
    int bad = 0;
    for (int round = 0; round < 3 * n; round++) {
        int q[2] = {(round * 5) % n, (round * 3 + 1) % n};
        int k = q[0] == q[1] ? 1 : 2;
        uint64_t o1, o2;
        int hq[1] = {round % n};
        qs_state_apply_gate(ref, QS_GATE_H, hq, NULL);
        qs_state_apply_gate(dst, QS_GATE_H, hq, NULL);
        if (round % 3 == 2) {
            OK(qs_state_reset(ref, q, k, r1));
            OK(qs_state_reset(dst, q, k, r2));
        } else {
            OK(qs_state_measure(ref, q, k, r1, &o1, NULL));
            OK(qs_state_measure(dst, q, k, r2, &o2, NULL));
            bad += o1 != o2;
        }
        bad += !(diff(ref, dst) <= 1e-12);
    }
    CHECK(!bad, "%d measurement rounds differ", bad);
    /* sampling: the same draws give the same outcomes */
    size_t shots = 4000;
    uint64_t *s1 = malloc(sizeof(uint64_t) * shots), *s2 = malloc(sizeof(uint64_t) * shots);
    int sq[3] = {n - 1, 0, n / 2};
    OK(qs_state_sample(ref, sq, 3, shots, r1, s1));
    OK(qs_state_sample(dst, sq, 3, shots, r2, s2));
    size_t same = 0;
    for (size_t i = 0; i < shots; i++)
        same += s1[i] == s2[i];
    CHECK(same >= shots - 2, "samples agree on %zu of %zu", same, shots);
    free(s1);
    free(s2);
    qs_rng_destroy(r1);
    qs_rng_destroy(r2);
    qs_state_destroy(ref);
    qs_state_destroy(dst);
}

/* A random layered circuit with parameters, compiled with fusion. */
static qs_circuit *random_circuit(int n, int depth, int *np)
{
    qs_circuit *c;
    qs_circuit_create(n, 0, &c);
    int idx;
    qs_circuit_add_param(c, "a", &idx);
    qs_circuit_add_param(c, "b", &idx);
    *np = 2;
    for (int d = 0; d < depth; d++)
        for (int q = 0; q < n; q++) {
            int r = (d * 31 + q * 17) % 7;
            int qq[2] = {q, (q + 1 + d) % n};
            if (qq[1] == q)
                qq[1] = (q + 1) % n;
            double p = 0.1 * (d + q);
            const char *e[1] = {d % 2 ? "a*0.5 + 0.1" : "b - 0.3"};
            if (r == 0)
                qs_circuit_append_gate(c, QS_GATE_H, qq, NULL);
            else if (r == 1)
                qs_circuit_append_gate(c, QS_GATE_CX, qq, NULL);
            else if (r == 2)
                qs_circuit_append_gate_expr(c, QS_GATE_RY, qq, e);
            else if (r == 3)
                qs_circuit_append_gate(c, QS_GATE_RZ, qq, &p);
            else if (r == 4)
                qs_circuit_append_gate(c, QS_GATE_CZ, qq, NULL);
            else if (r == 5)
                qs_circuit_append_gate_expr(c, QS_GATE_RX, qq, e);
            else
                qs_circuit_append_gate(c, QS_GATE_SWAP, qq, NULL);
        }
    return c;
}

static void test_programs(int n)
{
    int np;
    qs_circuit *c = random_circuit(n, 6, &np);
    qs_program *p, *pu;
    OK(qs_program_compile(c, 0, &p));
    OK(qs_program_compile(c, QS_COMPILE_NO_FUSION, &pu));
    double prm[2] = {0.4, -0.9};
    qs_state *ref, *dst, *dst2;
    pair(n, 0, 15, &ref, &dst);
    OK(qs_state_copy(dst, &dst2));
    OK(qs_program_run(p, prm, 2, ref, NULL, NULL));
    OK(qs_program_run(p, prm, 2, dst, NULL, NULL));
    CHECK(diff(ref, dst) <= 1e-12, "fused program (n %d) %g", n, diff(ref, dst));
    OK(qs_program_run(pu, prm, 2, dst2, NULL, NULL));
    CHECK(diff(ref, dst2) <= 1e-12, "step-by-step program (n %d) %g", n, diff(ref, dst2));
    /* bit-identical reruns */
    qs_state *again;
    OK(qs_state_copy(dst2, &again));
    qs_state_set_basis(again, 0);
    qs_state_set_basis(dst2, 0);
    OK(qs_program_run(p, prm, 2, dst2, NULL, NULL));
    OK(qs_program_run(p, prm, 2, again, NULL, NULL));
    CHECK(diff(dst2, again) == 0, "reruns differ by %g", diff(dst2, again));
    /* the adjoint sweep: gradient of <Z0 Z_{n-1} + X_{n-1}> */
    qs_pauli_sum *h;
    qs_pauli_sum_create(n, &h);
    char t[64];
    snprintf(t, sizeof t, "Z0 Z%d", n - 1);
    qs_pauli_sum_add_term(h, 0.5, t);
    snprintf(t, sizeof t, "X%d", n - 1);
    qs_pauli_sum_add_term(h, -0.8, t);
    double g1[2], g2[2];
    qs_state *lr, *wr, *ld, *wd;
    OK(qs_state_create(n, 0, &lr));
    OK(qs_state_create(n, 0, &wr));
    OK(qs_state_create(n, QS_STATE_DISTRIBUTED, &ld));
    OK(qs_state_create(n, QS_STATE_DISTRIBUTED, &wd));
    OK(qs_pauli_sum_apply(h, ref, lr));
    OK(qs_pauli_sum_apply(h, dst, ld));
    OK(qs_program_backprop(p, prm, 2, ref, lr, wr, g1, NULL));
    OK(qs_program_backprop(p, prm, 2, dst, ld, wd, g2, NULL));
    CHECK(fabs(g1[0] - g2[0]) <= 1e-11 && fabs(g1[1] - g2[1]) <= 1e-11,
          "adjoint gradients %.15g %.15g vs %.15g %.15g", g1[0], g1[1], g2[0], g2[1]);
    uint64_t st[4];
    OK(qs_state_comm_stats(dst, st));
    CHECK(st[1] > 0 || n - 1 < 0, "no swaps counted");
    qs_pauli_sum_destroy(h);
    qs_state_destroy(lr);
    qs_state_destroy(wr);
    qs_state_destroy(ld);
    qs_state_destroy(wd);
    qs_state_destroy(again);
    qs_state_destroy(ref);
    qs_state_destroy(dst);
    qs_state_destroy(dst2);
    qs_program_destroy(p);
    qs_program_destroy(pu);
    qs_circuit_destroy(c);
}

/* Which qubit leaves the slice: the one the rest of the program needs
 * last.  After the H on the k global qubits, the program works on qubits
 * 2..5 for 12 layers and touches qubit nl - 1 only at its end; qubits 0
 * and 1 are never used again.  Sending out 0 and 1 costs k swaps in all;
 * a short lookahead sends out the highest qubit it does not see coming
 * (nl - 1) and needs it back.  Results equal one process's as well. */
static void test_swap_choice(int k)
{
    int n = k + 6, nl = 6;
    qs_circuit *c;
    qs_circuit_create(n, 0, &c);
    for (int q = nl; q < n; q++)
        qs_circuit_append_gate(c, QS_GATE_H, &q, NULL);
    for (int d = 0; d < 12; d++)
        for (int q = 2; q < 5; q++) {
            int cx[2] = {q, q + 1 == nl - 1 ? 2 : q + 1};
            double a = 0.3 + d + q;
            qs_circuit_append_gate(c, QS_GATE_RY, &q, &a);
            qs_circuit_append_gate(c, QS_GATE_CX, cx, NULL);
        }
    int last = nl - 1;
    qs_circuit_append_gate(c, QS_GATE_H, &last, NULL);
    for (int fused = 0; fused < 2; fused++) {
        qs_program *p;
        OK(qs_program_compile(c, fused ? 0 : QS_COMPILE_NO_FUSION, &p));
        qs_state *ref, *dst;
        pair(n, 0, 18, &ref, &dst);
        OK(qs_program_run(p, NULL, 0, ref, NULL, NULL));
        OK(qs_program_run(p, NULL, 0, dst, NULL, NULL));
        uint64_t st[4];   /* before diff(), whose reads restore the layout */
        OK(qs_state_comm_stats(dst, st));
        CHECK(diff(ref, dst) <= 1e-12, "swap-choice program %g", diff(ref, dst));
        /* scheduled (fused) programs only: step by step there is no schedule */
        CHECK(!fused || st[1] == (uint64_t)k, "fused %d: %llu swaps, %d needed", fused,
              (unsigned long long)st[1], k);
        qs_state_destroy(ref);
        qs_state_destroy(dst);
        qs_program_destroy(p);
    }
    qs_circuit_destroy(c);
}

static void test_dynamic(int n)
{
    char src[1024];
    snprintf(src, sizeof src,
             "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\ncreg c[3];\n"
             "h q[%d];\ncx q[%d],q[0];\nh q[1];\nmeasure q[%d] -> c[0];\n"
             "if (c==1) x q[2];\nreset q[%d];\nh q[%d];\nmeasure q[1] -> c[1];\n"
             "measure q[2] -> c[2];\n",
             n, n - 1, n - 1, n - 1, n - 1, n - 2);
    qs_circuit *c;
    OK(qs_circuit_parse_string(src, "dyn", 0, &c));
    qs_program *p;
    OK(qs_program_compile(c, 0, &p));
    int bad = 0;
    for (int seed = 0; seed < 8; seed++) {
        qs_state *ref, *dst;
        OK(qs_state_create(n, 0, &ref));
        OK(qs_state_create(n, QS_STATE_DISTRIBUTED, &dst));
        qs_rng *r1, *r2;
        qs_rng_create((uint64_t)seed, &r1);
        qs_rng_create((uint64_t)seed, &r2);
        unsigned char b1[3], b2[3];
        OK(qs_program_run(p, NULL, 0, ref, r1, b1));
        OK(qs_program_run(p, NULL, 0, dst, r2, b2));
        bad += memcmp(b1, b2, 3) != 0 || !(diff(ref, dst) <= 1e-12);
        qs_rng_destroy(r1);
        qs_rng_destroy(r2);
        qs_state_destroy(ref);
        qs_state_destroy(dst);
    }
    CHECK(!bad, "%d dynamic runs differ", bad);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

static void test_refusals(void)
{
    qs_state *s = NULL;
    int k = 0;
    while ((1 << k) < nranks)
        k++;
    CHECK(qs_state_create(k + 5, QS_STATE_DISTRIBUTED, &s) == QS_EINVAL && !s,
          "too few qubits accepted");
    CHECK(strstr(qs_last_error(), "ranks are too many"), "%s", qs_last_error());
    setenv("QSIM_MEMORY_LIMIT", "1M", 1);
    CHECK(qs_state_create(24, QS_STATE_DISTRIBUTED, &s) == QS_ETOOBIG && !s,
          "memory check passed");
    char want[64];
    snprintf(want, sizeof want, "per rank with %d ranks", nranks);
    CHECK(strstr(qs_last_error(), want), "%s", qs_last_error());
    unsetenv("QSIM_MEMORY_LIMIT");
    OK(qs_state_create(k + 6, QS_STATE_DISTRIBUTED, &s));
    void *data;
    CHECK(qs_state_data(s, &data) == QS_EUNSUPPORTED, "zero-copy view of a distributed state");
    qs_state_destroy(s);
}

/* An allocation that fails on rank 1 alone, inside a call on a distributed
 * state (a marginal over every qubit needs a 4 MiB buffer per rank; rank
 * 1's address space is capped just above what it uses): every rank
 * returns the failure, rank 0 naming rank 1, instead of rank 0 waiting
 * for ever in the reduction; the state stays usable. */
static void test_agreed_failure(int k)
{
    int n = k + 19;
    qs_state *s;
    OK(qs_state_create(n, QS_STATE_DISTRIBUTED, &s));
    double *out = malloc(sizeof(double) << n);
    int *qs = malloc(sizeof(int) * (size_t)n);
    for (int q = 0; q < n; q++)
        qs[q] = q;
    struct rlimit old;
    getrlimit(RLIMIT_AS, &old);
    if (rank == 1) {
        long pages = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (f && fscanf(f, "%ld", &pages) == 1) {
            struct rlimit cap = old;
            cap.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (rlim_t)(1 << 20);
            setrlimit(RLIMIT_AS, &cap);
        }
        if (f)
            fclose(f);
    }
    qs_status st = qs_state_marginal(s, qs, n, out);
    char msg[400];
    snprintf(msg, sizeof msg, "%s", qs_last_error());
    if (rank == 1)
        setrlimit(RLIMIT_AS, &old);
    CHECK(st == QS_ENOMEM, "rank %d: a marginal with rank 1 out of memory gave %d (%s)", rank,
          (int)st, msg);
    CHECK(rank != 0 || strstr(msg, "(rank 1)"), "rank 0's message: %s", msg);
    double nn = 0;
    OK(qs_state_norm2(s, &nn));
    CHECK(fabs(nn - 1) < 1e-12, "after the failure: norm %g", nn);
    free(out);
    free(qs);
    qs_state_destroy(s);
}

int main(int argc, char **argv)
{
    qs_state *late = NULL;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    if (nranks & (nranks - 1)) {
        /* Only the refusal can be tested. */
        qs_state *s = NULL;
        CHECK(qs_state_create(10, QS_STATE_DISTRIBUTED, &s) == QS_EINVAL && !s,
              "%d ranks accepted", nranks);
        CHECK(strstr(qs_last_error(), "power of two"), "%s", qs_last_error());
    } else {
        int k = 0;
        while ((1 << k) < nranks)
            k++;
        test_refusals();
        for (int n = k + 6; n <= k + 7; n++) {
            test_gates(n, 0);
            test_matrices(n, 0);
            test_reductions(n, 0);
            test_wide_pauli(n, 0);
            test_measure(n);
            test_dynamic(n);
        }
        test_gates(k + 6, QS_STATE_F32);
        test_wide_pauli(k + 6, QS_STATE_F32);
        test_programs(k + 6);
        test_programs(17 > k + 15 ? 17 : k + 15);   /* slices above one cache block */
        test_swap_choice(k);
        test_agreed_failure(k);
        OK(qs_state_create(k + 6, QS_STATE_DISTRIBUTED, &late));
    }
    int f = failed, all = 0;
    MPI_Allreduce(&f, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rank == 0)
        printf("dist (%d ranks): %d passed, %d failed\n", nranks, passed, failed);
    MPI_Finalize();
    qs_state_destroy(late);   /* after MPI_Finalize, as at Python's exit: no crash */
    return all ? 1 : 0;
}
