/*
 * test_qft.c - the FFTW QFT against the gate-by-gate QFT circuit and
 * against the DFT matrix, on every qubit range, both precisions.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

/* Qiskit's QFT circuit with its final swaps on qubits [f, f+m). */
static void qft_circuit(qs_state *s, int f, int m, int inverse)
{
    if (!inverse) {
        for (int j = m - 1; j >= 0; j--) {
            int h = f + j;
            qs_state_apply_gate(s, QS_GATE_H, &h, NULL);
            for (int k = j - 1; k >= 0; k--) {
                int q[2] = {f + j, f + k};
                double l = M_PI / (double)(1 << (j - k));
                qs_state_apply_gate(s, QS_GATE_CP, q, &l);
            }
        }
        for (int i = 0; i < m / 2; i++) {
            int q[2] = {f + i, f + m - 1 - i};
            qs_state_apply_gate(s, QS_GATE_SWAP, q, NULL);
        }
    } else {   /* the inverse: reversed order, negated angles */
        for (int i = 0; i < m / 2; i++) {
            int q[2] = {f + i, f + m - 1 - i};
            qs_state_apply_gate(s, QS_GATE_SWAP, q, NULL);
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < j; k++) {
                int q[2] = {f + j, f + k};
                double l = -M_PI / (double)(1 << (j - k));
                qs_state_apply_gate(s, QS_GATE_CP, q, &l);
            }
            int h = f + j;
            qs_state_apply_gate(s, QS_GATE_H, &h, NULL);
        }
    }
}

Test(qft, equals_circuit_on_every_range)
{
    int n = 7;
    for (int fl = 0; fl < 2; fl++)
        for (int f = 0; f < n; f++)
            for (int m = 1; f + m <= n; m++)
                for (int inv = 0; inv < 2; inv++) {
                    qs_state *a, *b;
                    qs_state_create(n, fl ? QS_STATE_F32 : 0, &a);
                    qs_state_create(n, fl ? QS_STATE_F32 : 0, &b);
                    cplx *v = ref_random_state(n, (uint64_t)(f * 10 + m));
                    ref_load(a, v);
                    ref_load(b, v);
                    cr_assert_eq(qs_state_apply_qft(a, f, m, inv ? QS_QFT_INVERSE : 0), QS_OK, "%s",
                                 qs_last_error());
                    qft_circuit(b, f, m, inv);
                    cplx *x = ref_read(a), *y = ref_read(b);
                    double d = ref_maxdiff(x, y, 128);
                    cr_assert(d < 4 * ref_tol(a), "range [%d,%d) inv %d: diff %g", f, f + m, inv, d);
                    free(v);
                    free(x);
                    free(y);
                    qs_state_destroy(a);
                    qs_state_destroy(b);
                }
}

Test(qft, equals_dft_matrix)
{
    /* QFT on qubits [2, 6) of 7: the DFT of the middle index. */
    int n = 7, f = 2, m = 4, N = 1 << m;
    qs_state *s;
    qs_state_create(n, 0, &s);
    cplx *v = ref_random_state(n, 3), *w = calloc(128, sizeof *w);
    ref_load(s, v);
    for (int i = 0; i < 128; i++) {
        int lo = i & ((1 << f) - 1), mid = (i >> f) & (N - 1), hi = i >> (f + m);
        for (int k = 0; k < N; k++) {
            int out = lo | (k << f) | (hi << (f + m));
            w[out] += v[i] * cexp(2 * M_PI * I * mid * k / N) / sqrt(N);
        }
    }
    qs_state_apply_qft(s, f, m, 0);
    cplx *got = ref_read(s);
    cr_assert(ref_maxdiff(got, w, 128) < 1e-12);
    /* and the inverse brings the state back */
    qs_state_apply_qft(s, f, m, QS_QFT_INVERSE);
    free(got);
    got = ref_read(s);
    cr_assert(ref_maxdiff(got, v, 128) < 1e-12);
    free(got);
    free(v);
    free(w);
    qs_state_destroy(s);
}

Test(qft, large_threaded_state)
{
    int n = 18;
    qs_state *a, *b;
    qs_rng *r;
    qs_rng_create(2, &r);
    qs_state_create(n, 0, &a);
    qs_state_create(n, 0, &b);
    qs_state_set_random(a, r);
    qs_state_assign(b, a);
    qs_state_apply_qft(a, 3, 12, 0);
    qs_state_apply_qft(a, 3, 12, 0);   /* a second call reuses the plan */
    qft_circuit(b, 3, 12, 0);
    qft_circuit(b, 3, 12, 0);
    double f;
    qs_state_fidelity(a, b, &f);
    cr_assert(fabs(f - 1) < 1e-10, "fidelity %.15g", f);
    qs_rng_destroy(r);
    qs_state_destroy(a);
    qs_state_destroy(b);
}

/* Ranges of 10 qubits or more take the four-step method (k_qft_fftw.c):
 * even and odd counts, low and high batch qubits around them, both
 * directions and precisions, against the circuit. */
Test(qft, four_step_equals_circuit)
{
    const int n = 14;
    for (int fl = 0; fl < 2; fl++)
        for (int m = 10; m <= n; m++)
            for (int f = 0; f + m <= n; f++)
                for (int inv = 0; inv < 2; inv++) {
                    qs_state *a, *b;
                    qs_state_create(n, fl ? QS_STATE_F32 : 0, &a);
                    qs_state_create(n, fl ? QS_STATE_F32 : 0, &b);
                    cplx *v = ref_random_state(n, (uint64_t)(f * 100 + m + 7 * inv));
                    ref_load(a, v);
                    ref_load(b, v);
                    cr_assert_eq(qs_state_apply_qft(a, f, m, inv ? QS_QFT_INVERSE : 0), QS_OK);
                    qft_circuit(b, f, m, inv);
                    cplx *x = ref_read(a), *y = ref_read(b);
                    double d = ref_maxdiff(x, y, (size_t)1 << n);
                    cr_assert(d < 4 * ref_tol(a), "%s range [%d,%d) inv %d: diff %g",
                              fl ? "single" : "double", f, f + m, inv, d);
                    free(v);
                    free(x);
                    free(y);
                    qs_state_destroy(a);
                    qs_state_destroy(b);
                }
}

/* The four-step method gives the same bits for any thread count. */
Test(qft, four_step_same_bits_for_any_thread_count)
{
    const int n = 17;
    int ranges[3][2] = {{0, 17}, {2, 12}, {5, 11}};
    for (int fl = 0; fl < 2; fl++)
        for (int r = 0; r < 3; r++) {
            cplx *v = ref_random_state(n, (uint64_t)(r + 1));
            cplx *out[2];
            for (int t = 0; t < 2; t++) {
                qs_set_num_threads(t + 1);
                qs_state *a;
                qs_state_create(n, fl ? QS_STATE_F32 : 0, &a);
                ref_load(a, v);
                cr_assert_eq(qs_state_apply_qft(a, ranges[r][0], ranges[r][1], 0), QS_OK);
                out[t] = ref_read(a);
                qs_state_destroy(a);
            }
            qs_set_num_threads(0);
            cr_assert(memcmp(out[0], out[1], sizeof(cplx) << n) == 0,
                      "%s range [%d,+%d): 1 and 2 threads differ", fl ? "single" : "double",
                      ranges[r][0], ranges[r][1]);
            free(v);
            free(out[0]);
            free(out[1]);
        }
}
