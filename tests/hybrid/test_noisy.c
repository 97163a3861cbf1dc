/*
 * test_noisy.c - objectives under noise: with a model that attaches
 * nothing they equal the pure ones (values and gradients); under noise the
 * parameter-shift gradient on the density matrix equals finite
 * differences; the adjoint method and the metric refuse; VQE on H2 with
 * depolarizing noise after every two-qubit gate.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <qsim/hybrid.h>
#include <stdio.h>
#include <string.h>

static qs_circuit *circuit(int with_cx)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(3, 0, &c), QS_OK);
    qs_circuit_add_param(c, "a", NULL);
    qs_circuit_add_param(c, "b", NULL);
    int q0 = 0, q1 = 1, q2 = 2, p01[2] = {0, 1}, p12[2] = {1, 2};
    const char *ea[1] = {"a"}, *eb[1] = {"2*b - 0.3"}, *ec[3] = {"a*b", "0.2", "-b"};
    qs_circuit_append_gate_expr(c, QS_GATE_RY, &q0, ea);
    qs_circuit_append_gate_expr(c, QS_GATE_RX, &q1, eb);
    qs_circuit_append_gate(c, with_cx ? QS_GATE_CX : QS_GATE_CZ, p01, NULL);
    qs_circuit_append_gate_expr(c, QS_GATE_U3, &q2, ec);
    qs_circuit_append_gate_expr(c, QS_GATE_CRZ, p12, ea);
    int pq[3] = {0, 1, 2};
    qs_circuit_append_pauli_rotation(c, pq, "XYZ", 3, "b");
    qs_circuit_append_pauli_rotation(c, pq, "XXZ", 3, "a + b");
    qs_circuit_append_gate(c, QS_GATE_CX, p12, NULL);
    return c;
}

static qs_pauli_sum *hamiltonian(void)
{
    qs_pauli_sum *h;
    qs_pauli_sum_create(3, &h);
    qs_pauli_sum_add_term(h, 0.7, "Z0 Z1");
    qs_pauli_sum_add_term(h, -0.4, "X1 Y2");
    qs_pauli_sum_add_term(h, 0.3, "Y0");
    qs_pauli_sum_add_term(h, 0.5, "X0 X1 X2");
    return h;
}

Test(noisy, a_model_that_attaches_nothing_changes_nothing)
{
    qs_noise_model *m;
    cr_assert_eq(qs_noise_model_parse("{\"qsim_noise_model\": 1, \"errors\": [{\"channel\": "
                                      "\"bit_flip\", \"params\": [0.2], \"gates\": [\"h\"]}]}",
                                      NULL, &m), QS_OK, "%s", qs_last_error());
    qs_circuit *c = circuit(1);
    qs_pauli_sum *h = hamiltonian();
    qh_objective *pure, *noisy;
    cr_assert_eq(qh_objective_create(c, h, &pure), QS_OK);
    cr_assert_eq(qh_objective_create_noisy(c, h, NULL, m, &noisy), QS_OK, "%s", qs_last_error());
    double x[2] = {0.37, -1.1}, v1, v2, g1[2], g2[2];
    cr_assert_eq(qh_objective_gradient(pure, QH_GRAD_ADJOINT, x, &v1, g1), QS_OK);
    cr_assert_eq(qh_objective_gradient(noisy, QH_GRAD_PARAM_SHIFT, x, &v2, g2), QS_OK, "%s",
                 qs_last_error());
    cr_assert_float_eq(v1, v2, 1e-12);
    for (int i = 0; i < 2; i++)
        cr_assert_float_eq(g1[i], g2[i], 1e-10, "param %d: %g vs %g", i, g1[i], g2[i]);
    cr_assert_neq(g1[0], 0);
    qh_objective_destroy(pure);
    qh_objective_destroy(noisy);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
    qs_noise_model_destroy(m);
}

Test(noisy, shift_on_rho_equals_finite_differences)
{
    qs_noise_model *m;
    cr_assert_eq(qs_noise_model_parse(
                     "{\"qsim_noise_model\": 1, \"errors\": ["
                     "{\"channel\": \"depolarizing2\", \"params\": [0.05], \"gates\": [\"cx\"]},"
                     "{\"channel\": \"amplitude_damping\", \"params\": [0.1], \"gates\": [\"ry\", \"rx\"]},"
                     "{\"channel\": \"phase_damping\", \"params\": [0.2], \"gates\": [\"u3\"], \"qubits\": [[2]]}]}",
                     "model", &m), QS_OK, "%s", qs_last_error());
    qs_circuit *c = circuit(1);
    qs_pauli_sum *h = hamiltonian();
    qh_objective *pure, *o;
    cr_assert_eq(qh_objective_create(c, h, &pure), QS_OK);
    cr_assert_eq(qh_objective_create_noisy(c, h, NULL, m, &o), QS_OK, "%s", qs_last_error());
    cr_assert(qh_objective_is_noisy(o));
    double x[2] = {0.37, -1.1}, v, vp, gs[2], gf[2];
    cr_assert_eq(qh_objective_value(o, x, &v), QS_OK);
    cr_assert_eq(qh_objective_value(pure, x, &vp), QS_OK);
    cr_assert_gt(fabs(v - vp), 1e-3, "the noise changes the value");
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_PARAM_SHIFT, x, NULL, gs), QS_OK, "%s",
                 qs_last_error());
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_FINITE_DIFF, x, NULL, gf), QS_OK);
    for (int i = 0; i < 2; i++)
        cr_assert_float_eq(gs[i], gf[i], 1e-7, "param %d: shift %g, fd %g", i, gs[i], gf[i]);
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_ADJOINT, x, NULL, gs), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "adjoint method needs a pure state"), "%s",
              qs_last_error());
    double g[4];
    cr_assert_eq(qh_objective_metric(o, x, g), QS_EUNSUPPORTED);
    qh_objective_destroy(o);
    qh_objective_destroy(pure);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
    qs_noise_model_destroy(m);
}

/* VQE on H2 (hardware-efficient ansatz, BFGS) with depolarizing noise of
 * p = 0.01 after every two-qubit gate: the optimum's energy is Tr(rho H)
 * of the density matrix at the optimal parameters (computed apart, step by
 * step), and lies above the exact ground energy. */
Test(noisy, vqe_h2_under_depolarizing_noise)
{
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_read(ref_shared("data/molecules/h2_sto3g_0.7414.txt"), &h), QS_OK,
                 "%s", qs_last_error());
    int n = qs_pauli_sum_num_qubits(h);
    qs_noise_model *m;
    cr_assert_eq(qs_noise_model_parse("{\"qsim_noise_model\": 1, \"errors\": [{\"channel\": "
                                      "\"depolarizing2\", \"params\": [0.01], \"gates\": "
                                      "[\"cx\", \"cz\"]}]}", NULL, &m), QS_OK);
    qs_circuit *c;
    cr_assert_eq(qh_ansatz_hea(n, 1, &c), QS_OK);
    qh_objective *o;
    cr_assert_eq(qh_objective_create_noisy(c, h, NULL, m, &o), QS_OK, "%s", qs_last_error());
    int np = qh_objective_num_params(o);
    double x0[64];
    uint64_t seed = 3;
    for (int i = 0; i < np; i++)
        x0[i] = 0.4 * ref_uniform(&seed) - 0.2;
    qh_optimizer *opt;
    cr_assert_eq(qh_optimizer_alloc(qh_optimizer_bfgs, (size_t)np, &opt), QS_OK);
    qh_optimizer_set_stop(opt, 300, 1e-8, 0);
    cr_assert_eq(qh_optimizer_set(opt, qh_objective_fdf, o, x0), QS_OK);
    qs_status st;
    while ((st = qh_optimizer_iterate(opt)) == QS_OK && qh_optimizer_stop_reason(opt) == QH_STOP_NONE)
        ;
    cr_assert_eq(st, QS_OK, "%s", qs_last_error());
    double e = qh_optimizer_f(opt), e0;
    const double *x = qh_optimizer_x(opt);
    /* Tr(rho H) at the optimum, from the noisy circuit run step by step */
    qs_circuit *nc;
    qs_program *p;
    qs_density *rho;
    cr_assert_eq(qs_noise_model_apply(m, c, &nc), QS_OK);
    cr_assert_eq(qs_circuit_num_channels(nc), (size_t)(n - 1));
    cr_assert_eq(qs_density_compile(nc, QS_COMPILE_NO_FUSION, &p), QS_OK);
    cr_assert_eq(qs_density_create(n, 0, &rho), QS_OK);
    cr_assert_eq(qs_density_run(p, x, (size_t)np, rho), QS_OK);
    double tr;
    cr_assert_eq(qs_density_expect(rho, h, &tr), QS_OK);
    cr_assert_float_eq(e, tr, 1e-10, "optimum %.12f, Tr(rho H) %.12f", e, tr);
    cr_assert_eq(qs_pauli_sum_eigensolve(h, 1, QS_EIG_DENSE, &e0, NULL), QS_OK);
    cr_assert_gt(e, e0 + 1e-4, "noisy optimum %.10f vs exact ground %.10f", e, e0);
    cr_assert_lt(e, e0 + 0.1, "the optimizer got somewhere: %.10f vs %.10f", e, e0);
    fprintf(stderr, "qsim report: noisy VQE (H2, hea:1, depolarizing2 p=0.01 after cx): "
            "%.10f Ha, exact %.10f Ha, gap %.3e Ha, %zu iterations\n",
            e, e0, e - e0, qh_optimizer_iterations(opt));
    qs_density_destroy(rho);
    qs_program_destroy(p);
    qs_circuit_destroy(nc);
    qh_optimizer_free(opt);
    qh_objective_destroy(o);
    qs_circuit_destroy(c);
    qs_noise_model_destroy(m);
    qs_pauli_sum_destroy(h);
}

/* Shot estimates: unbiased within their error bars (the mean of 40
 * independent estimates within 4 standard errors of the exact value, for
 * a Pauli sum with X, Y and Z groups, pure and noisy, and a diagonal),
 * reproducible for a seed, and gradients from them refuse the adjoint. */
static void unbiased(qh_objective *o, const double *x, const char *what)
{
    double exact, v[40], m = 0, var = 0, again;
    cr_assert_eq(qh_objective_value(o, x, &exact), QS_OK);
    for (int i = 0; i < 40; i++) {
        cr_assert_eq(qh_objective_set_shots(o, 500, (uint64_t)(1000 + i)), QS_OK);
        cr_assert_eq(qh_objective_value(o, x, &v[i]), QS_OK, "%s", qs_last_error());
        m += v[i] / 40;
    }
    for (int i = 0; i < 40; i++)
        var += (v[i] - m) * (v[i] - m) / 39;
    double se = sqrt(var / 40);
    cr_assert_gt(se, 1e-4, "%s: estimates vary", what);
    cr_assert_leq(fabs(m - exact), 4 * se, "%s: mean %g, exact %g, se %g", what, m, exact, se);
    cr_assert_eq(qh_objective_value(o, x, &again), QS_OK);
    cr_assert_eq(again, v[39], "%s: the same seed gives the same estimate", what);
    double g[2];
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_ADJOINT, x, NULL, g), QS_EUNSUPPORTED);
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_PARAM_SHIFT, x, NULL, g), QS_OK);
    cr_assert_eq(qh_objective_set_shots(o, 0, 0), QS_OK);
    cr_assert_eq(qh_objective_value(o, x, &again), QS_OK);
    cr_assert_eq(again, exact, "%s: 0 shots is exact again", what);
}

Test(noisy, shot_estimates_are_unbiased)
{
    qs_noise_model *m;
    cr_assert_eq(qs_noise_model_parse("{\"qsim_noise_model\": 1, \"errors\": [{\"channel\": "
                                      "\"depolarizing2\", \"params\": [0.1], \"gates\": "
                                      "[\"cx\"]}]}", NULL, &m), QS_OK);
    qs_circuit *c = circuit(1);
    qs_pauli_sum *h = hamiltonian();
    qs_pauli_sum_add_term(h, 0.25, "Z2");
    qs_pauli_sum_add_term(h, -0.6, "X1 Y2 Z0");
    qs_pauli_sum_add_term(h, 0.2, "I");
    double x[2] = {0.37, -1.1}, diag[8] = {1, -2, 0.5, 3, 0, -1, 2, 1};
    qh_objective *o;
    cr_assert_eq(qh_objective_create(c, h, &o), QS_OK);
    unbiased(o, x, "pure");
    qh_objective_destroy(o);
    cr_assert_eq(qh_objective_create_noisy(c, h, NULL, m, &o), QS_OK);
    unbiased(o, x, "noisy");
    qh_objective_destroy(o);
    cr_assert_eq(qh_objective_create_noisy(c, NULL, diag, m, &o), QS_OK);
    unbiased(o, x, "noisy diagonal");
    qh_objective_destroy(o);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
    qs_noise_model_destroy(m);
}

/* A noisy objective whose density matrix does not fit runs by trajectories:
 * forced with QSIM_MEMORY_LIMIT (rho of 3 qubits needs 3 x 1 KiB, a pure
 * state 128 bytes), its value agrees with the density matrix's within 4
 * standard errors, for a Pauli sum and a diagonal; seeded: the same value
 * twice; gradients by differences only. */
Test(noisy, trajectories_when_rho_does_not_fit)
{
    qs_noise_model *m;
    cr_assert_eq(qs_noise_model_parse(
                     "{\"qsim_noise_model\": 1, \"errors\": ["
                     "{\"channel\": \"depolarizing2\", \"params\": [0.1], \"gates\": [\"cx\"]},"
                     "{\"channel\": \"amplitude_damping\", \"params\": [0.2], \"gates\": [\"ry\", \"rx\"]}]}",
                     NULL, &m), QS_OK, "%s", qs_last_error());
    qs_circuit *c = circuit(1);
    qs_pauli_sum *h = hamiltonian();
    double diag[8], x[2] = {0.37, -1.1};
    for (int k = 0; k < 8; k++)
        diag[k] = 0.3 * k - 0.5 * (k & 1);
    qh_objective *dm[2], *tr[2];
    for (int d = 0; d < 2; d++)
        cr_assert_eq(qh_objective_create_noisy(c, d ? NULL : h, d ? diag : NULL, m, &dm[d]), QS_OK);
    setenv("QSIM_MEMORY_LIMIT", "2K", 1);
    for (int d = 0; d < 2; d++)
        cr_assert_eq(qh_objective_create_noisy(c, d ? NULL : h, d ? diag : NULL, m, &tr[d]), QS_OK,
                     "%s", qs_last_error());
    for (int d = 0; d < 2; d++) {
        cr_assert_eq(qh_objective_num_trajectories(dm[d]), 0);
        cr_assert_eq(qh_objective_num_trajectories(tr[d]), QH_DEFAULT_TRAJECTORIES);
        cr_assert(qh_objective_is_noisy(tr[d]));
        double want, se0, v, se, v2, se2;
        unsetenv("QSIM_MEMORY_LIMIT");
        cr_assert_eq(qh_objective_value_error(dm[d], x, &want, &se0), QS_OK);
        cr_assert_eq(se0, 0);
        setenv("QSIM_MEMORY_LIMIT", "2K", 1);
        cr_assert_eq(qh_objective_value_error(tr[d], x, &v, &se), QS_OK, "%s", qs_last_error());
        cr_assert_eq(qh_objective_value_error(tr[d], x, &v2, &se2), QS_OK);
        cr_assert(v == v2 && se == se2, "seeded: the same value twice");
        cr_assert(se > 0 && se < 0.05, "standard error %g", se);
        cr_assert(fabs(v - want) < 4 * se, "%s: %.6f vs rho %.6f (se %.2g)",
                  d ? "diagonal" : "Pauli sum", v, want, se);
        printf("qsim report: noisy objective by %d trajectories (%s) %.6f +- %.2g, density "
               "matrix %.6f\n", QH_DEFAULT_TRAJECTORIES, d ? "diagonal" : "Pauli sum", v, se,
               want);
        /* more trajectories, another seed: closer */
        cr_assert_eq(qh_objective_set_trajectories(tr[d], 8000, 7), QS_OK);
        cr_assert_eq(qh_objective_value_error(tr[d], x, &v, &se), QS_OK);
        cr_assert(fabs(v - want) < 4 * se && se < 0.02, "%.6f vs %.6f (se %.2g)", v, want, se);
        double g[2], gv;
        cr_assert_eq(qh_objective_gradient(tr[d], QH_GRAD_PARAM_SHIFT, x, &gv, g), QS_EUNSUPPORTED);
        cr_assert(strstr(qs_last_error(), "finite differences"));
        cr_assert_eq(qh_objective_gradient(tr[d], QH_GRAD_FINITE_DIFF, x, &gv, g), QS_OK);
        cr_assert(isfinite(g[0]) && isfinite(g[1]));
    }
    unsetenv("QSIM_MEMORY_LIMIT");
    /* asked for although rho fits; and a pure objective refuses */
    cr_assert_eq(qh_objective_set_trajectories(dm[0], 4000, 3), QS_OK);
    cr_assert_eq(qh_objective_num_trajectories(dm[0]), 4000);
    qh_objective *pure;
    cr_assert_eq(qh_objective_create(c, h, &pure), QS_OK);
    cr_assert_eq(qh_objective_set_trajectories(pure, 100, 1), QS_EINVAL);
    qh_objective_destroy(pure);
    for (int d = 0; d < 2; d++) {
        qh_objective_destroy(dm[d]);
        qh_objective_destroy(tr[d]);
    }
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
    qs_noise_model_destroy(m);
}
