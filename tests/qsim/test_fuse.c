/*
 * test_fuse.c - compiled programs run fused and cache-blocked: the same
 * states as the steps one by one (QS_COMPILE_NO_FUSION) on random circuits
 * with parameters, in both precisions, on states small enough to run
 * whole and large enough to run block by block (contiguous and gathered
 * blocks); re-binding parameters; the adjoint sweep (qs_program_backprop)
 * on the schedule against the same sweep step by step, and for any thread
 * count.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NP 4

/* Random gates of every kind on n qubits, arguments expressions of NP
 * parameters (or constants), matrices, Pauli rotations, global phases and
 * barriers; `fences` adds QFTs and diagonal exponentials. */
static void rand_ops(qs_circuit *c, int n, int depth, int fences, uint64_t *seed)
{
    for (int d = 0; d < depth; d++) {
        int what = (int)(ref_uniform(seed) * 20);
        int q[6], nq = n < 6 ? n : 6;
        for (int i = 0; i < nq; i++) {   /* distinct qubits, often neighbours */
            int dup;
            do {
                q[i] = ref_uniform(seed) < 0.5 && i > 0 ? (q[i - 1] + 1) % n
                                                        : (int)(ref_uniform(seed) * n);
                dup = 0;
                for (int j = 0; j < i; j++)
                    dup |= q[j] == q[i];
            } while (dup);
        }
        if (what < 15) {
            qs_gate g;
            do
                g = (qs_gate)(ref_uniform(seed) * QS_NUM_GATES);
            while (qs_gate_num_qubits(g) > n);
            char e[4][32];
            const char *ex[4];
            for (int a = 0; a < 4; a++) {
                int p = (int)(ref_uniform(seed) * NP);
                double r = ref_uniform(seed);
                if (r < 0.3)
                    sprintf(e[a], "%.3f", 6 * ref_uniform(seed) - 3);
                else if (r < 0.7)
                    sprintf(e[a], "t%d", p);
                else
                    sprintf(e[a], "2*t%d - 0.4", p);
                ex[a] = e[a];
            }
            cr_assert_eq(qs_circuit_append_gate_expr(c, g, q, ex), QS_OK, "%s", qs_last_error());
        } else if (what < 17) {
            int k = 1 + (int)(ref_uniform(seed) * (nq < 3 ? nq : 3));
            cplx *U = ref_random_unitary(k, (uint64_t)d + 7);
            cr_assert_eq(qs_circuit_append_matrix(c, q, k, (const double *)U), QS_OK);
            free(U);
        } else if (what == 17) {
            char letters[5] = "XYZX";
            int k = 1 + (int)(ref_uniform(seed) * (nq < 4 ? nq : 4));
            for (int i = 0; i < k; i++)
                letters[i] = "XYZ"[(int)(ref_uniform(seed) * 3)];
            cr_assert_eq(qs_circuit_append_pauli_rotation(c, q, letters, k, "t1 + 0.2"), QS_OK);
        } else if (what == 18) {
            cr_assert_eq(qs_circuit_append_global_phase(c, "t2"), QS_OK);
        } else if (fences && ref_uniform(seed) < 0.5) {
            if (ref_uniform(seed) < 0.5) {
                cr_assert_eq(qs_circuit_append_qft(c, 0, n / 2, 0), QS_OK);
            } else {
                double *v = malloc(sizeof *v << n);
                for (uint64_t i = 0; i < UINT64_C(1) << n; i++)
                    v[i] = (double)(int)(3 * ref_uniform(seed));
                cr_assert_eq(qs_circuit_append_diagonal_exp(c, v, "t3"), QS_OK);
                free(v);
            }
        } else {
            cr_assert_eq(qs_circuit_append_barrier(c, q, 2), QS_OK);
        }
    }
}

static qs_circuit *rand_circuit(int n, int nc, int depth, int fences, uint64_t *seed)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(n, nc, &c), QS_OK);
    for (int i = 0; i < NP; i++) {
        char name[16];
        snprintf(name, sizeof name, "t%d", i);
        qs_circuit_add_param(c, name, NULL);
    }
    rand_ops(c, n, depth, fences, seed);
    return c;
}

static qs_state *rand_state(int n, unsigned flags, uint64_t seed)
{
    qs_state *s;
    cr_assert_eq(qs_state_create(n, flags, &s), QS_OK);
    cplx *v = ref_random_state(n, seed);
    ref_load(s, v);
    free(v);
    return s;
}

/* The fused run equals the step-by-step one, twice with new values. */
static void compare(int n, int depth, int fences, unsigned flags, uint64_t seed)
{
    qs_circuit *c = rand_circuit(n, 0, depth, fences, &seed);
    qs_program *fused, *plain;
    cr_assert_eq(qs_program_compile(c, 0, &fused), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_program_compile(c, QS_COMPILE_NO_FUSION, &plain), QS_OK);
    double tol = flags & QS_STATE_F32 ? 1e-4 : 1e-12;
    for (int r = 0; r < 2; r++) {
        double prm[NP];
        for (int i = 0; i < NP; i++)
            prm[i] = 4 * ref_uniform(&seed) - 2;
        qs_state *a = rand_state(n, flags, seed), *b = rand_state(n, flags, seed);
        cr_assert_eq(qs_program_run(plain, prm, NP, a, NULL, NULL), QS_OK, "%s", qs_last_error());
        cr_assert_eq(qs_program_run(fused, prm, NP, b, NULL, NULL), QS_OK, "%s", qs_last_error());
        double d = ref_state_diff(a, b);
        cr_assert(d < tol, "n %d seed %llu flags %u run %d: fused differs by %g", n,
                  (unsigned long long)seed, flags, r, d);
        qs_state_destroy(a);
        qs_state_destroy(b);
    }
    qs_program_destroy(fused);
    qs_program_destroy(plain);
    qs_circuit_destroy(c);
}

Test(fuse, small_states_run_whole)
{
    for (uint64_t seed = 1; seed <= 12; seed++) {
        compare(2 + (int)(seed % 9), 120, 1, 0, seed);
        compare(2 + (int)(seed % 9), 120, 1, QS_STATE_F32, seed);
    }
}

Test(fuse, large_states_run_block_by_block)
{
    /* 2^16 and 2^17 amplitudes: 4 and 8 blocks; random qubits make
     * gathered blocks, neighbours and low qubits contiguous ones */
    for (uint64_t seed = 1; seed <= 4; seed++) {
        compare(16 + (int)(seed % 2), 150, seed % 2 == 0, 0, seed);
        compare(16 + (int)(seed % 2), 150, 0, QS_STATE_F32, seed);
    }
}

Test(fuse, random_brick_circuit_to_1e12)
{
    /* qsim_bench's random circuit: rotations on every qubit, CZ bricks */
    int n = 17;
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(n, 0, &c), QS_OK);
    uint64_t seed = 99;
    const qs_gate rot[3] = {QS_GATE_RX, QS_GATE_RY, QS_GATE_RZ};
    for (int layer = 0; layer < 20; layer++) {
        for (int q = 0; q < n; q++) {
            double t = 2 * M_PI * ref_uniform(&seed);
            cr_assert_eq(qs_circuit_append_gate(c, rot[(int)(3 * ref_uniform(&seed))], &q, &t),
                         QS_OK);
        }
        for (int q = layer % 2; q + 1 < n; q += 2) {
            int p[2] = {q, q + 1};
            cr_assert_eq(qs_circuit_append_gate(c, QS_GATE_CZ, p, NULL), QS_OK);
        }
    }
    qs_program *fused, *plain;
    cr_assert_eq(qs_program_compile(c, 0, &fused), QS_OK);
    cr_assert_eq(qs_program_compile(c, QS_COMPILE_NO_FUSION, &plain), QS_OK);
    qs_state *a, *b;
    cr_assert_eq(qs_state_create(n, 0, &a), QS_OK);
    cr_assert_eq(qs_state_create(n, 0, &b), QS_OK);
    cr_assert_eq(qs_program_run(plain, NULL, 0, a, NULL, NULL), QS_OK);
    cr_assert_eq(qs_program_run(fused, NULL, 0, b, NULL, NULL), QS_OK);
    cr_assert(ref_state_diff(a, b) < 1e-12, "fused differs by %g", ref_state_diff(a, b));
    qs_state_destroy(a);
    qs_state_destroy(b);
    qs_program_destroy(fused);
    qs_program_destroy(plain);
    qs_circuit_destroy(c);
}

Test(fuse, dynamic_programs_keep_their_fences)
{
    /* measurements, resets and conditions between fused runs of gates */
    int n = 16;
    uint64_t seed = 3;
    qs_circuit *c = rand_circuit(n, 1, 60, 0, &seed);
    int q0 = 0, q1 = 15;
    cr_assert_eq(qs_circuit_append_measure(c, q0, 0), QS_OK);
    cr_assert_eq(qs_circuit_append_reset(c, q1), QS_OK);
    cr_assert_eq(qs_circuit_append_gate(c, QS_GATE_X, &q1, NULL), QS_OK);
    cr_assert_eq(qs_circuit_set_condition(c, 0, 1, 1), QS_OK);
    rand_ops(c, n, 60, 0, &seed);
    qs_program *fused, *plain;
    cr_assert_eq(qs_program_compile(c, 0, &fused), QS_OK);
    cr_assert_eq(qs_program_compile(c, QS_COMPILE_NO_FUSION, &plain), QS_OK);
    double prm[NP] = {0.3, -0.7, 1.1, 0.2};
    for (int shot = 0; shot < 4; shot++) {
        qs_rng *r1, *r2;
        qs_rng_create(100 + (uint64_t)shot, &r1);
        qs_rng_create(100 + (uint64_t)shot, &r2);
        qs_state *a = rand_state(n, 0, 5), *b = rand_state(n, 0, 5);
        unsigned char ba[1], bb[1];
        cr_assert_eq(qs_program_run(plain, prm, NP, a, r1, ba), QS_OK, "%s", qs_last_error());
        cr_assert_eq(qs_program_run(fused, prm, NP, b, r2, bb), QS_OK, "%s", qs_last_error());
        cr_assert_eq(ba[0], bb[0]);
        cr_assert(ref_state_diff(a, b) < 1e-12, "shot %d: fused differs by %g", shot, ref_state_diff(a, b));
        qs_state_destroy(a);
        qs_state_destroy(b);
        qs_rng_destroy(r1);
        qs_rng_destroy(r2);
    }
    qs_program_destroy(fused);
    qs_program_destroy(plain);
    qs_circuit_destroy(c);
}

/* phi = U psi0, lambda random; the sweep on the schedule against the
 * step-by-step sweep of the unfused program. */
static void sweep(qs_program *p, int n, const double *prm, int threads, double *re, double *im)
{
    qs_set_num_threads(threads);
    qs_state *phi = rand_state(n, 0, 11), *lam = rand_state(n, 0, 12), *work = rand_state(n, 0, 13);
    cr_assert_eq(qs_program_run(p, prm, NP, phi, NULL, NULL), QS_OK);
    cr_assert_eq(qs_program_backprop(p, prm, NP, phi, lam, work, re, im), QS_OK, "%s",
                 qs_last_error());
    qs_state_destroy(phi);
    qs_state_destroy(lam);
    qs_state_destroy(work);
    qs_set_num_threads(0);
}

Test(fuse, backprop_on_the_schedule)
{
    for (int n = 6; n <= 17; n += 11) {
        uint64_t seed = 21 + (uint64_t)n;
        qs_circuit *c = rand_circuit(n, 0, 120, 1, &seed);
        qs_program *fused, *plain;
        cr_assert_eq(qs_program_compile(c, 0, &fused), QS_OK);
        cr_assert_eq(qs_program_compile(c, QS_COMPILE_NO_FUSION, &plain), QS_OK);
        double prm[NP] = {0.4, -1.3, 0.9, 2.1}, re1[NP], im1[NP], re2[NP], im2[NP], re3[NP],
               im3[NP];
        sweep(plain, n, prm, 1, re1, im1);
        sweep(fused, n, prm, 1, re2, im2);
        sweep(fused, n, prm, 2, re3, im3);
        for (int j = 0; j < NP; j++) {
            cr_assert(fabs(re1[j] - re2[j]) < 1e-10 && fabs(im1[j] - im2[j]) < 1e-10,
                      "n %d param %d: %.15g%+.15gi step by step, %.15g%+.15gi on the schedule",
                      n, j, re1[j], im1[j], re2[j], im2[j]);
            cr_assert(re2[j] == re3[j] && im2[j] == im3[j], "n %d param %d: thread counts differ",
                      n, j);
        }
        qs_program_destroy(fused);
        qs_program_destroy(plain);
        qs_circuit_destroy(c);
    }
}

/* The sweep on the schedule, where the backends take overlaps straight
 * from both blocks (overlap_op), against the step-by-step sweep, on
 * every available backend, in double and single precision. */
Test(fuse, backprop_overlaps_every_backend)
{
    const int n = 16;
    for (int be = 0; qs_backend_name(be); be++) {
        if (!qs_backend_available(be))
            continue;
        cr_assert_eq(qs_backend_select(qs_backend_name(be)), QS_OK);
        for (int f32 = 0; f32 < 2; f32++) {
            uint64_t seed = 5 + (uint64_t)be;
            qs_circuit *c = rand_circuit(n, 0, 90, 1, &seed);
            qs_program *fused, *plain;
            cr_assert_eq(qs_program_compile(c, 0, &fused), QS_OK);
            cr_assert_eq(qs_program_compile(c, QS_COMPILE_NO_FUSION, &plain), QS_OK);
            double prm[NP] = {0.4, -1.3, 0.9, 2.1}, g[2][2][NP];
            for (int v = 0; v < 2; v++) {
                unsigned fl = f32 ? QS_STATE_F32 : 0;
                qs_state *phi = rand_state(n, fl, 11), *lam = rand_state(n, fl, 12),
                         *work = rand_state(n, fl, 13);
                qs_program *p = v ? fused : plain;
                cr_assert_eq(qs_program_run(p, prm, NP, phi, NULL, NULL), QS_OK);
                cr_assert_eq(qs_program_backprop(p, prm, NP, phi, lam, work, g[v][0], g[v][1]),
                             QS_OK, "%s", qs_last_error());
                qs_state_destroy(phi);
                qs_state_destroy(lam);
                qs_state_destroy(work);
            }
            double tol = f32 ? 1e-3 : 1e-10;
            for (int j = 0; j < NP; j++)
                for (int r = 0; r < 2; r++)
                    cr_assert(fabs(g[0][r][j] - g[1][r][j]) < tol,
                              "%s %s param %d: %.12g step by step, %.12g on the schedule",
                              qs_backend_name(be), f32 ? "f32" : "f64", j, g[0][r][j],
                              g[1][r][j]);
            qs_program_destroy(fused);
            qs_program_destroy(plain);
            qs_circuit_destroy(c);
        }
    }
}
