/*
 * test_noise.c - density matrices and channels against the dense
 * reference of support/dmref.c (textbook Kraus sets applied naively), on
 * random density matrices at every qubit position, in both precisions;
 * compiled noisy circuits, reductions, trajectories and bad input.
 */
#include "../support/dmref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double tol_of(unsigned flags) { return flags & QS_STATE_F32 ? 2e-5 : 1e-12; }

static double rho_diff(const qs_density *d, const cplx *rho)
{
    int n = qs_density_num_qubits(d);
    cplx *r = dm_read(d);
    double e = ref_maxdiff(r, rho, UINT64_C(1) << (2 * n));
    free(r);
    return e;
}

/* Sample parameters of each named channel. */
static const double *params_of(int kind)
{
    static const double p[QS_NUM_CHANNELS][4] = {
        [QS_CHANNEL_DEPOLARIZING] = {0.3},
        [QS_CHANNEL_DEPOLARIZING2] = {0.25},
        [QS_CHANNEL_AMPLITUDE_DAMPING] = {0.37},
        [QS_CHANNEL_GENERALIZED_AMPLITUDE_DAMPING] = {0.3, 0.2},
        [QS_CHANNEL_PHASE_DAMPING] = {0.45},
        [QS_CHANNEL_BIT_FLIP] = {0.15},
        [QS_CHANNEL_PHASE_FLIP] = {0.35},
        [QS_CHANNEL_PAULI] = {0.1, 0.2, 0.05},
        [QS_CHANNEL_THERMAL_RELAXATION] = {50, 70, 13, 0.1},
    };
    return p[kind];
}

Test(noise, every_channel_at_every_position)
{
    const int n = 4;
    for (int f = 0; f < 2; f++) {
        unsigned flags = f ? QS_STATE_F32 : 0;
        qs_density *d;
        cr_assert_eq(qs_density_create(n, flags, &d), QS_OK);
        for (int kind = 1; kind < QS_NUM_CHANNELS; kind++) {
            cplx K[16 * 16];
            int k, nops = dm_channel_kraus(kind, params_of(kind), &k, K);
            cr_assert_eq(k, qs_channel_num_qubits(kind));
            for (int a = 0; a < n; a++)
                for (int b = 0; b < (k == 2 ? n : 1); b++) {
                    if (k == 2 && a == b)
                        continue;
                    int q[2] = {a, b};
                    cplx *rho = dm_random(n, 3, (uint64_t)(kind * 100 + a * 10 + b));
                    dm_load(d, rho);
                    cr_assert_eq(qs_density_apply_channel(d, kind, q, params_of(kind)), QS_OK,
                                 "%s", qs_last_error());
                    dm_kraus(n, rho, q, k, nops, K);
                    double e = rho_diff(d, rho);
                    cr_assert_leq(e, tol_of(flags), "%s on (%d,%d) %s: %g",
                                  qs_channel_name(kind), a, b, f ? "f32" : "f64", e);
                    double tr;
                    qs_density_trace(d, &tr);
                    cr_assert_float_eq(tr, 1, 10 * tol_of(flags));
                    free(rho);
                }
        }
        qs_density_destroy(d);
    }
}

/* A random CPTP Kraus set of k qubits with r operators: K_i = <i|V|0> for
 * a random unitary V on k + log2(r) qubits. */
static void random_kraus(int k, int r, uint64_t seed, double *ops, cplx *K)
{
    int e = r == 1 ? 0 : r == 2 ? 1 : 2, d = 1 << k, D = d << e;
    cplx *V = ref_random_unitary(k + e, seed);
    for (int i = 0; i < r; i++)
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++) {
                /* system bits low, environment bits high */
                cplx v = V[(size_t)(a + d * i) * D + b];
                K[i * d * d + a * d + b] = v;
                ops[2 * (i * d * d + a * d + b)] = creal(v);
                ops[2 * (i * d * d + a * d + b) + 1] = cimag(v);
            }
    free(V);
}

Test(noise, kraus_sets_given_by_the_caller)
{
    const int n = 3;
    for (int f = 0; f < 2; f++) {
        unsigned flags = f ? QS_STATE_F32 : 0;
        qs_density *d;
        cr_assert_eq(qs_density_create(n, flags, &d), QS_OK);
        for (int k = 1; k <= 2; k++)
            for (int r = 1; r <= 4; r *= 2)
                for (int a = 0; a < n; a++) {
                    int q[2] = {a, (a + 1 + r) % n};
                    if (k == 2 && q[0] == q[1])
                        continue;
                    double ops[2 * 4 * 16];
                    cplx K[4 * 16];
                    random_kraus(k, r, (uint64_t)(k * 31 + r * 7 + a), ops, K);
                    cplx *rho = dm_random(n, 2, (uint64_t)(r + 17 * a));
                    dm_load(d, rho);
                    cr_assert_eq(qs_density_apply_kraus(d, q, k, r, ops), QS_OK, "%s",
                                 qs_last_error());
                    dm_kraus(n, rho, q, k, r, K);
                    cr_assert_leq(rho_diff(d, rho), tol_of(flags), "k=%d r=%d", k, r);
                    free(rho);
                }
        qs_density_destroy(d);
    }
}

Test(noise, every_gate_is_u_rho_udag)
{
    const int n = 5;
    uint64_t s = 99;
    for (int f = 0; f < 2; f++) {
        unsigned flags = f ? QS_STATE_F32 : 0;
        qs_density *d;
        cr_assert_eq(qs_density_create(n, flags, &d), QS_OK);
        for (int g = 0; g < QS_NUM_GATES; g++) {
            int nq = qs_gate_num_qubits((qs_gate)g), q[5], used = 0;
            for (int j = 0; j < nq; j++) {
                do
                    q[j] = (int)(ref_uniform(&s) * n);
                while (used >> q[j] & 1);
                used |= 1 << q[j];
            }
            double p[4];
            for (int j = 0; j < 4; j++)
                p[j] = 6.28 * ref_uniform(&s) - 3.14;
            double m[2 * 1024];
            cplx U[1024];
            qs_gate_matrix((qs_gate)g, p, m);
            for (int i = 0; i < (1 << (2 * nq)); i++)
                U[i] = m[2 * i] + I * m[2 * i + 1];
            cplx *rho = dm_random(n, 2, (uint64_t)g + 5);
            dm_load(d, rho);
            cr_assert_eq(qs_density_apply_gate(d, (qs_gate)g, q, p), QS_OK, "%s",
                         qs_last_error());
            dm_unitary(n, rho, q, nq, U);
            cr_assert_leq(rho_diff(d, rho), tol_of(flags), "gate %s", qs_gate_name((qs_gate)g));
            free(rho);
        }
        qs_density_destroy(d);
    }
}

/* A random noisy circuit on n qubits, with the same operations applied to
 * a dense reference rho. */
static qs_circuit *noisy_circuit(int n, int len, uint64_t seed, cplx *rho, const double *theta)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(n, n, &c), QS_OK);
    int idx;
    qs_circuit_add_param(c, "theta", &idx);
    uint64_t s = seed;
    for (int i = 0; i < len; i++) {
        int a = (int)(ref_uniform(&s) * n), b = (a + 1 + (int)(ref_uniform(&s) * (n - 1))) % n;
        int q[2] = {a, b};
        int what = (int)(ref_uniform(&s) * 8);
        double m[2 * 16];
        cplx U[16];
        if (what < 3) {   /* a named gate, parameterized sometimes */
            static const qs_gate gs[] = {QS_GATE_H, QS_GATE_RX, QS_GATE_CX, QS_GATE_U3,
                                         QS_GATE_RYY, QS_GATE_S, QS_GATE_CRZ, QS_GATE_Y,
                                         QS_GATE_ISWAP};
            qs_gate g = gs[(int)(ref_uniform(&s) * 9)];
            const char *ex[3] = {"2*theta + 0.1", "0.4", "-theta"};
            if (qs_gate_num_params(g) > 0 && (i & 1)) {
                double p[3] = {2 * *theta + 0.1, 0.4, -*theta};
                cr_assert_eq(qs_circuit_append_gate_expr(c, g, q, ex), QS_OK);
                qs_gate_matrix(g, p, m);
            } else {
                double p[3] = {0.3 + i, 0.4, -0.7};
                cr_assert_eq(qs_circuit_append_gate(c, g, q, p), QS_OK);
                qs_gate_matrix(g, p, m);
            }
            for (int j = 0; j < 16; j++)
                U[j] = m[2 * j] + I * m[2 * j + 1];
            dm_unitary(n, rho, q, qs_gate_num_qubits(g), U);
        } else if (what < 6) {
            int kind = 1 + (int)(ref_uniform(&s) * (QS_NUM_CHANNELS - 1));
            cplx K[16 * 16];
            int k, nops = dm_channel_kraus(kind, params_of(kind), &k, K);
            cr_assert_eq(qs_circuit_append_channel(c, kind, q, params_of(kind)), QS_OK, "%s",
                         qs_last_error());
            dm_kraus(n, rho, q, k, nops, K);
        } else if (what == 6) {
            cr_assert_eq(qs_circuit_append_reset(c, a), QS_OK);
            cplx K[8] = {1, 0, 0, 0, 0, 1, 0, 0};
            dm_kraus(n, rho, q, 1, 2, K);
        } else {
            cr_assert_eq(qs_circuit_append_measure(c, a, a), QS_OK);
            cplx K[8] = {1, 0, 0, 0, 0, 0, 0, 1};
            dm_kraus(n, rho, q, 1, 2, K);
        }
    }
    return c;
}

Test(noise, compiled_noisy_circuits_fused_and_not)
{
    for (int f = 0; f < 2; f++)
        for (int trial = 0; trial < 4; trial++) {
            unsigned flags = f ? QS_STATE_F32 : 0;
            int n = 2 + trial;
            double theta = 0.37 * (trial + 1);
            cplx *rho = dm_random(n, 1, 3);
            cplx *ref = malloc(sizeof(cplx) << (2 * n));
            memcpy(ref, rho, sizeof(cplx) << (2 * n));
            qs_circuit *c = noisy_circuit(n, 30, (uint64_t)(trial + 11), ref, &theta);
            for (int fuse = 0; fuse < 2; fuse++) {
                qs_program *p;
                cr_assert_eq(qs_density_compile(c, fuse ? 0 : QS_COMPILE_NO_FUSION, &p), QS_OK,
                             "%s", qs_last_error());
                qs_density *d;
                cr_assert_eq(qs_density_create(n, flags, &d), QS_OK);
                dm_load(d, rho);
                cr_assert_eq(qs_density_run(p, &theta, 1, d), QS_OK, "%s", qs_last_error());
                cr_assert_leq(rho_diff(d, ref), 10 * tol_of(flags), "n=%d fuse=%d: %g", n, fuse,
                              rho_diff(d, ref));
                qs_density_destroy(d);
                qs_program_destroy(p);
            }
            qs_program *p;
            cr_assert_eq(qs_program_compile(c, 0, &p), QS_EUNSUPPORTED);
            cr_assert(strstr(qs_last_error(), "noise channel"), "%s", qs_last_error());
            qs_circuit_destroy(c);
            free(rho);
            free(ref);
        }
}

Test(noise, reductions)
{
    const int n = 4;
    size_t D = 1u << n;
    for (int f = 0; f < 2; f++) {
        unsigned flags = f ? QS_STATE_F32 : 0;
        double tol = tol_of(flags) * 10;
        qs_density *d;
        cr_assert_eq(qs_density_create(n, flags, &d), QS_OK);
        cplx *rho = dm_random(n, 3, 42);
        dm_load(d, rho);
        /* purity, trace, probabilities */
        double pur, tr, pr[16], ref_pur = 0;
        for (size_t i = 0; i < D * D; i++)
            ref_pur += creal(rho[i] * conj(rho[i]));
        qs_density_purity(d, &pur);
        qs_density_trace(d, &tr);
        cr_assert_float_eq(pur, ref_pur, tol);
        cr_assert(pur < 0.9);
        cr_assert_float_eq(tr, 1, tol);
        qs_density_probabilities(d, pr);
        for (size_t i = 0; i < D; i++)
            cr_assert_float_eq(pr[i], creal(rho[i * D + i]), tol);
        /* marginal of qubits (2, 0) */
        int mq[2] = {2, 0};
        double marg[4], rm[4] = {0};
        qs_density_marginal(d, mq, 2, marg);
        for (size_t i = 0; i < D; i++)
            rm[((i >> 2) & 1) | ((i & 1) << 1)] += creal(rho[i * D + i]);
        for (int i = 0; i < 4; i++)
            cr_assert_float_eq(marg[i], rm[i], tol);
        /* Tr(rho H) for a Pauli sum with X, Y and Z terms */
        qs_pauli_sum *h;
        qs_pauli_sum_create(n, &h);
        const char *terms[] = {"Z0 Z1", "X0 Y2", "Y1 Y3", "X3", "Y0 Z1 X2 Z3", "I"};
        double coef[] = {0.5, -0.3, 0.7, 0.2, 1.1, -0.4};
        cplx *H = calloc(D * D, sizeof *H);
        for (int t = 0; t < 6; t++) {
            qs_pauli_sum_add_term(h, coef[t], terms[t]);
            int q[4], k = 0;
            char l[5];
            for (const char *p = terms[t]; *p; p++)
                if (*p >= 'X' && *p <= 'Z') {
                    l[k] = *p;
                    q[k++] = p[1] - '0';
                }
            l[k] = 0;
            cplx *P = k ? ref_pauli(n, q, l, k) : NULL;
            for (size_t i = 0; i < D * D; i++)
                H[i] += coef[t] * (P ? P[i] : (i % (D + 1) == 0));
            free(P);
        }
        double e;
        cr_assert_eq(qs_density_expect(d, h, &e), QS_OK, "%s", qs_last_error());
        cr_assert_float_eq(e, creal(dm_trace_prod(n, rho, H)), tol);
        /* fidelity with a pure state */
        cplx *psi = ref_random_state(n, 5);
        qs_state *s;
        qs_state_create(n, 0, &s);
        ref_load(s, psi);
        double fid, rf = 0;
        qs_density_fidelity_pure(d, s, &fid);
        for (size_t a = 0; a < D; a++)
            for (size_t b = 0; b < D; b++)
                rf += creal(conj(psi[a]) * rho[a * D + b] * psi[b]);
        cr_assert_float_eq(fid, rf, tol);
        /* reduced density matrix of qubits (3, 1) */
        int rq[2] = {3, 1};
        double red[2 * 16];
        qs_density_reduced(d, rq, 2, red);
        for (int r = 0; r < 4; r++)
            for (int cc = 0; cc < 4; cc++) {
                cplx v = 0;
                for (size_t a = 0; a < D; a++)
                    for (size_t b = 0; b < D; b++) {
                        int ra = (int)(((a >> 3) & 1) | (((a >> 1) & 1) << 1));
                        int rb = (int)(((b >> 3) & 1) | (((b >> 1) & 1) << 1));
                        if (ra == r && rb == cc && (a & 5) == (b & 5))
                            v += rho[a * D + b];
                    }
                cr_assert_leq(cabs(v - (red[2 * (r * 4 + cc)] + I * red[2 * (r * 4 + cc) + 1])),
                              tol);
            }
        /* entropy: 0 for a pure state, 1 bit for half a Bell pair, n bits
         * for the maximally mixed state */
        double S;
        qs_density_set_pure(d, s);
        qs_density_entropy(d, NULL, 0, &S);
        cr_assert_leq(fabs(S), 1e-4);
        qs_density_set_basis(d, 0);
        int q01[2] = {0, 1};
        qs_density_apply_gate(d, QS_GATE_H, q01, NULL);
        qs_density_apply_gate(d, QS_GATE_CX, q01, NULL);
        qs_density_entropy(d, q01, 1, &S);
        cr_assert_float_eq(S, 1, 1e-5);
        qs_density_set_mixed(d);
        qs_density_entropy(d, NULL, 0, &S);
        cr_assert_float_eq(S, n, 1e-5);
        qs_density_purity(d, &pur);
        cr_assert_float_eq(pur, 1.0 / D, tol);
        qs_state_destroy(s);
        qs_pauli_sum_destroy(h);
        free(H);
        free(psi);
        free(rho);
        qs_density_destroy(d);
    }
}

Test(noise, measurement_collapses_and_sampling_follows_the_diagonal)
{
    const int n = 3;
    size_t D = 8;
    qs_density *d;
    qs_rng *rng;
    qs_rng_create(7, &rng);
    cr_assert_eq(qs_density_create(n, 0, &d), QS_OK);
    cplx *rho = dm_random(n, 2, 9);
    dm_load(d, rho);
    int q[1] = {1};
    uint64_t o;
    double p;
    cr_assert_eq(qs_density_measure(d, q, 1, rng, &o, &p), QS_OK);
    double ref_p = 0;
    for (size_t a = 0; a < D; a++)
        if (((a >> 1) & 1) == o)
            ref_p += creal(rho[a * D + a]);
    cr_assert_float_eq(p, ref_p, 1e-12);
    for (size_t a = 0; a < D; a++)
        for (size_t b = 0; b < D; b++)
            rho[a * D + b] = (((a >> 1) & 1) == o && ((b >> 1) & 1) == o) ? rho[a * D + b] / p : 0;
    cr_assert_leq(rho_diff(d, rho), 1e-12);
    /* sampling: counts within 5 sigma of the diagonal */
    size_t shots = 20000, cnt[8] = {0};
    uint64_t *out = malloc(sizeof *out * shots);
    cr_assert_eq(qs_density_sample(d, NULL, 0, shots, rng, out), QS_OK);
    for (size_t i = 0; i < shots; i++)
        cnt[out[i]]++;
    for (size_t a = 0; a < D; a++) {
        double e = creal(rho[a * D + a]) * (double)shots;
        cr_assert_leq(fabs((double)cnt[a] - e), 5 * sqrt(e + 1) + 1, "outcome %zu", a);
    }
    free(out);
    free(rho);
    qs_density_destroy(d);
    qs_rng_destroy(rng);
}

Test(noise, trajectories_agree_with_the_density_matrix)
{
    const int n = 4;
    double theta = 0.8;
    cplx *ref = dm_random(n, 1, 1);   /* unused start: trajectories start at |0> */
    size_t D = 1u << n;
    for (size_t i = 0; i < D * D; i++)
        ref[i] = i == 0;
    qs_circuit *c = noisy_circuit(n, 24, 5, ref, &theta);
    qs_pauli_sum *h;
    qs_pauli_sum_create(n, &h);
    qs_pauli_sum_add_term(h, 1.0, "Z0 Z1");
    qs_pauli_sum_add_term(h, 0.5, "X2");
    qs_pauli_sum_add_term(h, -0.7, "Z3");
    qs_pauli_sum_add_term(h, 0.3, "Y1 Y2");
    qs_program *p;
    qs_density *d;
    cr_assert_eq(qs_density_compile(c, 0, &p), QS_OK, "%s", qs_last_error());
    qs_density_create(n, 0, &d);
    qs_density_run(p, &theta, 1, d);
    double exact, pr[16], mean[16], ex[2], ex2[2];
    qs_density_expect(d, h, &exact);
    qs_density_probabilities(d, pr);
    size_t T = 3000;
    cr_assert_eq(qs_trajectories_run(c, &theta, 1, T, 1234, 0, mean, h, ex, NULL), QS_OK, "%s",
                 qs_last_error());
    cr_assert_gt(ex[1], 0);
    cr_assert_leq(fabs(ex[0] - exact), 4 * ex[1], "%g vs %g (se %g)", ex[0], exact, ex[1]);
    for (size_t i = 0; i < D; i++) {
        double se = sqrt(pr[i] * (1 - pr[i]) / (double)T) + 1e-3;
        cr_assert_leq(fabs(mean[i] - pr[i]), 4 * se, "p[%zu] %g vs %g", i, mean[i], pr[i]);
    }
    /* reproducible: same seed, same numbers, whatever the threads */
    qs_set_num_threads(1);
    cr_assert_eq(qs_trajectories_run(c, &theta, 1, T, 1234, 0, NULL, h, ex2, NULL), QS_OK);
    qs_set_num_threads(0);
    cr_assert_eq(ex[0], ex2[0]);
    cr_assert_eq(ex[1], ex2[1]);
    qs_program_destroy(p);
    qs_density_destroy(d);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
    free(ref);
}

Test(noise, bad_input)
{
    qs_density *d;
    cr_assert_eq(qs_density_create(3, 0, &d), QS_OK);
    int q[2] = {0, 3};
    double p = 1.5;
    cr_assert_eq(qs_density_apply_channel(d, QS_CHANNEL_BIT_FLIP, q, &p), QS_EINVAL);
    cr_assert(strstr(qs_last_error(), "bit_flip p 1.5 outside [0, 1]"), "%s", qs_last_error());
    p = -0.1;
    cr_assert_eq(qs_density_apply_channel(d, QS_CHANNEL_AMPLITUDE_DAMPING, q, &p), QS_EINVAL);
    double pp[3] = {0.5, 0.4, 0.3};
    cr_assert_eq(qs_density_apply_channel(d, QS_CHANNEL_PAULI, q, pp), QS_EINVAL);
    cr_assert(strstr(qs_last_error(), "px+py+pz"), "%s", qs_last_error());
    p = 0.1;
    cr_assert_eq(qs_density_apply_channel(d, QS_CHANNEL_DEPOLARIZING2, q, &p), QS_ERANGE,
                 "%s", qs_last_error());
    cr_assert(strstr(qs_last_error(), "3"), "%s", qs_last_error());
    double notcptp[8] = {1, 0, 0, 0, 0, 0, 0.9, 0};   /* diag(1, 0.9) alone */
    cr_assert_eq(qs_density_apply_kraus(d, q, 1, 1, notcptp), QS_EINVAL);
    cr_assert(strstr(qs_last_error(), "not trace preserving"), "%s", qs_last_error());
    double t[4] = {10, 30, 1, 0};   /* t2 > 2 t1 */
    cr_assert_eq(qs_density_apply_channel(d, QS_CHANNEL_THERMAL_RELAXATION, q, t), QS_EINVAL);
    cr_assert(strstr(qs_last_error(), "t2"), "%s", qs_last_error());
    qs_circuit *c;
    qs_circuit_create(2, 0, &c);
    cr_assert_eq(qs_circuit_append_kraus(c, q, 1, 1, notcptp), QS_EINVAL);
    cr_assert_eq(qs_circuit_append_channel(c, QS_CHANNEL_BIT_FLIP, q + 1, &p), QS_ERANGE);
    cr_assert_eq(qs_circuit_num_ops(c), 0);
    /* conditions need outcomes: refused with a reason */
    int q0 = 0;
    qs_circuit_destroy(c);
    qs_circuit_create(2, 1, &c);
    qs_circuit_append_measure(c, 0, 0);
    qs_circuit_append_gate(c, QS_GATE_X, &q0, NULL);
    qs_circuit_set_condition(c, 0, 1, 1);
    qs_program *prog;
    cr_assert_eq(qs_density_compile(c, 0, &prog), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "conditional"), "%s", qs_last_error());
    /* a program for another size */
    qs_circuit_destroy(c);
    qs_circuit_create(2, 0, &c);
    cr_assert_eq(qs_density_compile(c, 0, &prog), QS_OK);
    cr_assert_eq(qs_density_run(prog, NULL, 0, d), QS_EINVAL);
    qs_program_destroy(prog);
    qs_circuit_destroy(c);
    qs_density *big;
    cr_assert_eq(qs_density_create(31, 0, &big), QS_EINVAL);
    cr_assert_eq(qs_density_create(24, 0, &big), QS_ETOOBIG);
    cr_assert(strstr(qs_last_error(), "GiB"), "%s", qs_last_error());
    qs_density_destroy(d);
}

Test(noise, qubits_far_out_of_range_are_refused)
{
    /* qubit numbers went through (int) before their range check: undefined
     * (fuzz_noise, UBSan); Aer's format first */
    const char *big[] = {"1e17", "1e400", "-1e17", "4"};
    for (int i = 0; i < 4; i++) {
        char text[256];
        snprintf(text, sizeof text, "{\"errors\": [{\"type\": \"qerror\", \"operations\": [\"h\"], "
                 "\"instructions\": [[{\"name\": \"x\", \"qubits\": [%s]}]], "
                 "\"probabilities\": [1]}]}", big[i]);
        qs_noise_model *m = NULL;
        cr_assert_neq(qs_noise_model_parse(text, "m.json", &m), QS_OK, "%s", big[i]);
        cr_assert_null(m);
        cr_assert(strstr(qs_last_error(), "m.json:1:"), "%s", qs_last_error());
    }
    /* qsim's format: a qubit list entry and a Kraus qubit count */
    const char *own[] = {
        "{\"qsim_noise_model\": 1, \"errors\": [{\"channel\": \"amplitude_damping\", "
        "\"params\": [0.2], \"gates\": [\"rx\"], \"qubits\": [[888888888888888888]]}]}",
        "{\"qsim_noise_model\": 1, \"errors\": [{\"channel\": \"kraus\", \"num_qubits\": 1e17, "
        "\"gates\": [\"h\"], \"kraus\": [[[[1, 0], [0, 0]], [[0, 0], [1, 0]]]]}]}"};
    for (int i = 0; i < 2; i++) {
        qs_noise_model *m = NULL;
        cr_assert_neq(qs_noise_model_parse(own[i], "m.json", &m), QS_OK, "%s", own[i]);
        cr_assert_null(m);
        cr_assert(strstr(qs_last_error(), "m.json:1:"), "%s", qs_last_error());
    }
}

/* 1-qubit channels take a block-real path (density.c; qubits 2 and up)
 * that splits rho into chunks over threads: on 8 qubits (4 chunks), at
 * every qubit, in both
 * precisions, the result equals the generic dense superoperator applied
 * by qs_state_apply_matrix on (q, q + n); a complex-superoperator Kraus
 * set (not block-real) takes the generic path and agrees too. */
Test(noise, one_qubit_channels_on_larger_matrices_equal_the_dense_superoperator)
{
    const int n = 8;
    static const int kinds[] = {QS_CHANNEL_AMPLITUDE_DAMPING, QS_CHANNEL_DEPOLARIZING,
                                QS_CHANNEL_BIT_FLIP, QS_CHANNEL_PAULI,
                                QS_CHANNEL_THERMAL_RELAXATION, -1};
    for (int f = 0; f < 2; f++) {
        unsigned flags = f ? QS_STATE_F32 : 0;
        qs_density *d, *e;
        cr_assert_eq(qs_density_create(n, flags, &d), QS_OK);
        cr_assert_eq(qs_density_create(n, flags, &e), QS_OK);
        cplx *rho = dm_random(n, 3, 77);
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
            for (int q = 0; q < n; q++) {
                double ops[2 * 16 * 4], S[2 * 16];
                int nops = 2;
                if (kinds[i] >= 0) {
                    cr_assert_eq(qs_channel_kraus(kinds[i], params_of(kinds[i]), &nops, ops), QS_OK);
                } else {   /* sqrt(0.7) H and sqrt(0.3) S: a complex superoperator */
                    double h = sqrt(0.7 / 2), s = sqrt(0.3);
                    double k[16] = {h, 0, h, 0, h, 0, -h, 0, s, 0, 0, 0, 0, 0, 0, s};
                    memcpy(ops, k, sizeof k);
                }
                cr_assert_eq(qs_kraus_superop(1, nops, ops, S), QS_OK);
                dm_load(d, rho);
                dm_load(e, rho);
                cr_assert_eq(qs_density_apply_kraus(d, &q, 1, nops, ops), QS_OK, "%s",
                             qs_last_error());
                int t[2] = {q, q + n};
                cr_assert_eq(qs_state_apply_matrix(qs_density_state(e), t, 2, NULL, NULL, 0, S),
                             QS_OK);
                cplx *a = dm_read(d), *b = dm_read(e);
                double diff = ref_maxdiff(a, b, UINT64_C(1) << (2 * n));
                cr_assert_leq(diff, f ? 1e-6 : 1e-15, "kind %d at %d %s: %g", kinds[i], q,
                              f ? "f32" : "f64", diff);
                free(a);
                free(b);
            }
        free(rho);
        qs_density_destroy(d);
        qs_density_destroy(e);
    }
}
