/*
 * test_grad.c - gradients of objectives: adjoint, parameter shift and
 * finite differences agree on random circuits (expressions, controlled
 * rotations, multi-qubit Pauli rotations, diagonals) and random
 * Hamiltonians; batches equal single calls for any thread count; the
 * metric tensor against finite differences of the state; refusals.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <qsim/hybrid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static qs_pauli_sum *rand_hamiltonian(int n, int terms, uint64_t *seed)
{
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_create(n, &h), QS_OK);
    const char *L = "IXYZ";
    for (int t = 0; t < terms; t++) {
        char term[256] = "", *p = term;
        for (int q = 0; q < n; q++) {
            char c = L[(int)(4 * ref_uniform(seed))];
            if (c != 'I')
                p += sprintf(p, "%c%d ", c, q);
        }
        qs_pauli_sum_add_term(h, 2 * ref_uniform(seed) - 1, term);
    }
    return h;
}

/* A random circuit of n qubits over np parameters, every argument an
 * expression of one or two parameters. */
static qs_circuit *rand_circuit(int n, int np, int depth, int with_diag, uint64_t *seed)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(n, 0, &c), QS_OK);
    for (int i = 0; i < np; i++) {
        char name[16];
        sprintf(name, "t%d", i);
        qs_circuit_add_param(c, name, NULL);
    }
    const qs_gate gates[] = {QS_GATE_RX, QS_GATE_RY, QS_GATE_RZ, QS_GATE_CRX, QS_GATE_CRY,
                             QS_GATE_CRZ, QS_GATE_CU3, QS_GATE_U3, QS_GATE_R, QS_GATE_RXX,
                             QS_GATE_RZZ, QS_GATE_CP, QS_GATE_H, QS_GATE_CX, QS_GATE_U2,
                             QS_GATE_CU};
    const int ng = sizeof gates / sizeof *gates;
    for (int d = 0; d < depth; d++) {
        int kind = (int)(ref_uniform(seed) * (ng + 2));
        char e[4][64];
        const char *ex[4];
        for (int a = 0; a < 4; a++) {
            int p1 = (int)(ref_uniform(seed) * np), p2 = (int)(ref_uniform(seed) * np);
            switch ((int)(ref_uniform(seed) * 4)) {
            case 0: sprintf(e[a], "t%d", p1); break;
            case 1: sprintf(e[a], "2*t%d + 0.3", p1); break;
            case 2: sprintf(e[a], "t%d*t%d - 0.5", p1, p2); break;
            default: sprintf(e[a], "sin(t%d) + t%d", p1, p2); break;
            }
            ex[a] = e[a];
        }
        int q[3];
        q[0] = (int)(ref_uniform(seed) * n);
        q[1] = (q[0] + 1 + (int)(ref_uniform(seed) * (n - 1))) % n;
        if (kind < ng) {
            cr_assert_eq(qs_circuit_append_gate_expr(c, gates[kind], q, ex), QS_OK, "%s",
                         qs_last_error());
        } else if (kind == ng) {
            int pq[4] = {0, 1, 2, 3};
            char letters[5] = "XYZX";
            for (int i = 0; i < 4; i++)
                letters[i] = "XYZ"[(int)(ref_uniform(seed) * 3)];
            cr_assert_eq(qs_circuit_append_pauli_rotation(c, pq, letters, n < 4 ? n : 4, ex[0]),
                         QS_OK);
        } else if (with_diag) {
            double *v = malloc(sizeof *v << n);
            for (int i = 0; i < 1 << n; i++)
                v[i] = (double)(int)(4 * ref_uniform(seed));
            cr_assert_eq(qs_circuit_append_diagonal_exp(c, v, ex[1]), QS_OK);
            free(v);
        }
    }
    return c;
}

static void three_methods(int n, int np, int depth, uint64_t seed, int with_diag)
{
    qs_circuit *c = rand_circuit(n, np, depth, with_diag, &seed);
    qs_pauli_sum *h = rand_hamiltonian(n, 20, &seed);
    qh_objective *o;
    cr_assert_eq(qh_objective_create(c, h, &o), QS_OK, "%s", qs_last_error());
    double x[32], ga[32], gs[32], gf[32], va, vs, vf, v;
    for (int i = 0; i < np; i++)
        x[i] = 4 * ref_uniform(&seed) - 2;
    cr_assert_eq(qh_objective_value(o, x, &v), QS_OK);
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_ADJOINT, x, &va, ga), QS_OK, "%s",
                 qs_last_error());
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_PARAM_SHIFT, x, &vs, gs), QS_OK, "%s",
                 qs_last_error());
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_FINITE_DIFF, x, &vf, gf), QS_OK);
    cr_assert(v == va && fabs(v - vs) < 1e-12 && v == vf, "values %.17g %.17g %.17g", va, vs, vf);
    for (int i = 0; i < np; i++) {
        cr_assert(fabs(ga[i] - gs[i]) < 1e-9, "seed %llu param %d: adjoint %.15g, shift %.15g",
                  (unsigned long long)seed, i, ga[i], gs[i]);
        cr_assert(fabs(ga[i] - gf[i]) < 1e-7, "seed %llu param %d: adjoint %.15g, fd %.15g",
                  (unsigned long long)seed, i, ga[i], gf[i]);
    }
    qh_objective_destroy(o);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
}

Test(grad, three_methods_agree_on_random_circuits)
{
    for (uint64_t seed = 1; seed <= 12; seed++)
        three_methods(2 + (int)(seed % 4), 1 + (int)(seed % 7), 25, seed, 1);
}

Test(grad, diagonal_observable)
{
    /* QAOA on a 5-cycle: cost layers as diagonals, observable -C */
    qh_graph *g;
    cr_assert_eq(qh_graph_create(5, &g), QS_OK);
    for (int i = 0; i < 5; i++)
        qh_graph_add_edge(g, i, (i + 1) % 5, 1 + i % 2);
    double v[32], neg[32];
    cr_assert_eq(qh_maxcut_values(g, v), QS_OK);
    for (int i = 0; i < 32; i++)
        neg[i] = -v[i];
    qs_circuit *c;
    cr_assert_eq(qh_qaoa_circuit(5, v, 2, &c), QS_OK);
    qh_objective *o;
    cr_assert_eq(qh_objective_create_diagonal(c, neg, &o), QS_OK);
    cr_assert_eq(qh_objective_num_params(o), 4);
    double x[4] = {0.4, 0.3, 0.7, -0.2}, ga[4], gs[4], gf[4];
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_ADJOINT, x, NULL, ga), QS_OK);
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_PARAM_SHIFT, x, NULL, gs), QS_OK, "%s",
                 qs_last_error());
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_FINITE_DIFF, x, NULL, gf), QS_OK);
    for (int i = 0; i < 4; i++) {
        cr_assert(fabs(ga[i] - gs[i]) < 1e-9, "%d: %.15g %.15g", i, ga[i], gs[i]);
        cr_assert(fabs(ga[i] - gf[i]) < 1e-7, "%d: %.15g %.15g", i, ga[i], gf[i]);
    }
    qh_objective_destroy(o);
    qs_circuit_destroy(c);
    qh_graph_destroy(g);
}

Test(grad, batches_equal_single_calls_for_any_thread_count)
{
    uint64_t seed = 77;
    qs_circuit *c = rand_circuit(5, 6, 40, 1, &seed);
    qs_pauli_sum *h = rand_hamiltonian(5, 15, &seed);
    qh_objective *o;
    cr_assert_eq(qh_objective_create(c, h, &o), QS_OK);
    enum { B = 9, NP = 6 };
    double X[B * NP], v1[B], v2[B], g1[B * NP], g2[B * NP], gv[B];
    for (int i = 0; i < B * NP; i++)
        X[i] = 3 * ref_uniform(&seed) - 1.5;
    for (int b = 0; b < B; b++) {
        cr_assert_eq(qh_objective_value(o, X + b * NP, &v1[b]), QS_OK);
        cr_assert_eq(qh_objective_gradient(o, QH_GRAD_ADJOINT, X + b * NP, NULL, g1 + b * NP),
                     QS_OK);
    }
    for (int threads = 1; threads <= 3; threads++) {
        qh_objective_set_threads(o, threads);
        cr_assert_eq(qh_objective_values(o, B, X, v2), QS_OK, "%s", qs_last_error());
        cr_assert_eq(qh_objective_gradients(o, QH_GRAD_ADJOINT, B, X, gv, g2), QS_OK);
        cr_assert(memcmp(v1, v2, sizeof v1) == 0, "values differ with %d threads", threads);
        cr_assert(memcmp(v1, gv, sizeof v1) == 0);
        cr_assert(memcmp(g1, g2, sizeof g1) == 0, "gradients differ with %d threads", threads);
    }
    qh_objective_destroy(o);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
}

/* The metric of one block against finite differences of the state:
 * g_ij = Re(<d_i|d_j> - <d_i|psi><psi|d_j>). */
Test(grad, metric_tensor)
{
    qh_objective *o;
    qs_circuit *c;
    cr_assert_eq(qh_ansatz_hea(3, 2, &c), QS_OK);
    qs_pauli_sum *h;
    qs_pauli_sum_create(3, &h);
    qs_pauli_sum_add_term(h, 1, "Z0");
    cr_assert_eq(qh_objective_create(c, h, &o), QS_OK);
    int np = qh_objective_num_params(o);
    cr_assert_eq(np, 18);
    double x[18], g[18 * 18];
    uint64_t seed = 5;
    for (int i = 0; i < np; i++)
        x[i] = 2 * ref_uniform(&seed) - 1;
    cr_assert_eq(qh_objective_metric(o, x, g), QS_OK, "%s", qs_last_error());
    /* reference: exact d_i by central differences of the final state */
    qs_state *s, *sp, *sm;
    qs_state_create(3, 0, &s);
    qs_state_create(3, 0, &sp);
    qs_state_create(3, 0, &sm);
    cplx d[18][8], psi[8];
    qh_objective_state(o, x, s);
    qs_state_get_amps(s, 0, 8, (double *)psi);
    for (int i = 0; i < np; i++) {
        double h6 = 1e-6, xp[18], xm[18];
        memcpy(xp, x, sizeof xp);
        memcpy(xm, x, sizeof xm);
        xp[i] += h6;
        xm[i] -= h6;
        cplx a[8], b[8];
        qh_objective_state(o, xp, sp);
        qh_objective_state(o, xm, sm);
        qs_state_get_amps(sp, 0, 8, (double *)a);
        qs_state_get_amps(sm, 0, 8, (double *)b);
        for (int k = 0; k < 8; k++)
            d[i][k] = (a[k] - b[k]) / (2 * h6);
    }
    /* blocks: the ry and rz rotations of each of the 3 layers (6 parameters) */
    for (int i = 0; i < np; i++)
        for (int j = 0; j < np; j++) {
            int same = i / 6 == j / 6;
            cplx dd = 0, pi = 0, pj = 0;
            for (int k = 0; k < 8; k++) {
                dd += conj(d[i][k]) * d[j][k];
                pi += conj(d[i][k]) * psi[k];
                pj += conj(psi[k]) * d[j][k];
            }
            double want = same ? creal(dd - pi * pj) : 0;
            cr_assert(fabs(g[i * np + j] - want) < 1e-8, "g[%d][%d] = %.12g, want %.12g", i, j,
                      g[i * np + j], want);
        }
    qs_state_destroy(s);
    qs_state_destroy(sp);
    qs_state_destroy(sm);
    qh_objective_destroy(o);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
}

Test(grad, adjoint_refuses_measurement)
{
    qs_circuit *c;
    qs_circuit_create(2, 1, &c);
    qs_circuit_add_param(c, "t", NULL);
    int q = 0;
    const char *e[] = {"t"};
    qs_circuit_append_gate_expr(c, QS_GATE_RX, &q, e);
    qs_circuit_append_measure(c, 0, 0);
    qs_program *p;
    qs_program_compile(c, 0, &p);
    qs_state *a, *b, *w;
    qs_state_create(2, 0, &a);
    qs_state_create(2, 0, &b);
    qs_state_create(2, 0, &w);
    double t = 0.1, g;
    cr_assert_eq(qh_grad_adjoint(p, &t, 1, a, b, w, &g), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "qh_grad_adjoint: the adjoint method needs a circuit "
                                      "without measurement"), "%s", qs_last_error());
    cr_assert_eq(qh_grad_adjoint(p, &t, 1, a, a, w, &g), QS_EINVAL);
    qs_state_destroy(a);
    qs_state_destroy(b);
    qs_state_destroy(w);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

Test(grad, method_names)
{
    int m;
    cr_assert_eq(qh_grad_method_lookup("shift", &m), QS_OK);
    cr_assert_eq(m, QH_GRAD_PARAM_SHIFT);
    cr_assert_eq(qh_grad_method_lookup("finite-difference", &m), QS_OK);
    cr_assert_eq(m, QH_GRAD_FINITE_DIFF);
    cr_assert_eq(qh_grad_method_lookup("backprop", &m), QS_EINVAL);
    cr_assert_str_eq(qh_grad_method_name(QH_GRAD_ADJOINT), "adjoint");
    cr_assert_null(qh_grad_method_name(7));
}

Test(grad, objectives_leave_out_terminal_measurements)
{
    qs_circuit *c;
    qs_circuit_create(2, 2, &c);
    qs_circuit_add_param(c, "t", NULL);
    int q[2] = {0, 1};
    const char *e[] = {"t"};
    qs_circuit_append_gate_expr(c, QS_GATE_RY, q, e);
    qs_circuit_append_gate(c, QS_GATE_CX, q, NULL);
    qs_circuit_append_measure(c, 0, 0);
    qs_circuit_append_measure(c, 1, 1);
    qs_pauli_sum *h;
    qs_pauli_sum_create(2, &h);
    qs_pauli_sum_add_term(h, 1, "Z0 Z1");
    qs_pauli_sum_add_term(h, 0.5, "X0");
    qh_objective *o;
    cr_assert_eq(qh_objective_create(c, h, &o), QS_OK, "%s", qs_last_error());
    double t = 0.7, v, g;
    cr_assert_eq(qh_objective_gradient(o, QH_GRAD_ADJOINT, &t, &v, &g), QS_OK, "%s",
                 qs_last_error());
    /* <ZZ> = 1 on cos|00> + sin|11>, <X0> = 0 */
    cr_assert(fabs(v - 1) < 1e-14 && fabs(g) < 1e-14, "v %.17g g %.17g", v, g);
    qh_objective_destroy(o);
    /* a measurement before a gate: not an objective */
    qs_circuit_append_gate_expr(c, QS_GATE_RY, q, e);
    cr_assert_eq(qh_objective_create(c, h, &o), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "before its end"), "%s", qs_last_error());
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
}
