/*
 * test_controlled.c - circuit-level extra controls
 * (qs_circuit_append_controlled_*): runs against the state-level
 * controlled kernels on random states, the adjoint gradient of a
 * controlled parameterized gate against finite differences, and the
 * argument checks.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NQ 5

static qs_state *random_state(uint64_t seed)
{
    qs_state *s;
    cr_assert_eq(qs_state_create(NQ, 0, &s), QS_OK);
    cplx *psi = ref_random_state(NQ, seed);
    ref_load(s, psi);
    free(psi);
    return s;
}

Test(controlled, gates_and_matrices_match_the_state_kernels)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(NQ, 0, &c), QS_OK);
    qs_state *a = random_state(3), *b;
    cr_assert_eq(qs_state_copy(a, &b), QS_OK);

    int c1[2] = {4, 0}, v1[2] = {0, 1}, q1[2] = {2, 1};
    double p1[1] = {0.7};
    cr_assert_eq(qs_circuit_append_controlled_gate(c, c1, v1, 2, QS_GATE_CRY, q1, p1), QS_OK,
                 "%s", qs_last_error());
    cr_assert_eq(qs_state_apply_controlled_gate(b, c1, v1, 2, QS_GATE_CRY, q1, p1), QS_OK);

    int c2[3] = {0, 1, 3}, q2[1] = {2};
    cr_assert_eq(qs_circuit_append_controlled_gate(c, c2, NULL, 3, QS_GATE_H, q2, NULL), QS_OK);
    cr_assert_eq(qs_state_apply_controlled_gate(b, c2, NULL, 3, QS_GATE_H, q2, NULL), QS_OK);

    int c3[1] = {1}, v3[1] = {0}, t3[2] = {3, 0};
    cplx *U = ref_random_unitary(2, 9);
    cr_assert_eq(qs_circuit_append_controlled_matrix(c, c3, v3, 1, t3, 2, (const double *)U),
                 QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_state_apply_matrix(b, t3, 2, c3, v3, 1, (const double *)U), QS_OK);
    free(U);

    qs_program *p;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK);
    cr_assert_eq(qs_program_run(p, NULL, 0, a, NULL, NULL), QS_OK, "%s", qs_last_error());
    cr_assert_lt(ref_state_diff(a, b), 1e-12);
    qs_program_destroy(p);
    qs_state_destroy(a);
    qs_state_destroy(b);
    qs_circuit_destroy(c);
}

/* <Z0 X2> after a controlled rotation whose angle is 2*t: the library's
 * adjoint sweep against central differences. */
Test(controlled, adjoint_gradient_of_a_parameterized_controlled_gate)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(NQ, 0, &c), QS_OK);
    cr_assert_eq(qs_circuit_add_param(c, "t", NULL), QS_OK);
    int h[1] = {3};
    cr_assert_eq(qs_circuit_append_gate(c, QS_GATE_H, h, NULL), QS_OK);
    int ctl[2] = {3, 4}, val[2] = {1, 0}, q[2] = {1, 2};
    const char *ex[1] = {"2*t"};
    cr_assert_eq(qs_circuit_append_controlled_gate_expr(c, ctl, val, 2, QS_GATE_CRX, q, ex),
                 QS_OK, "%s", qs_last_error());
    qs_program *p;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK);
    qs_pauli_sum *o;
    cr_assert_eq(qs_pauli_sum_create(NQ, &o), QS_OK);
    cr_assert_eq(qs_pauli_sum_add_term(o, 1.0, "Z1 X2"), QS_OK);
    cr_assert_eq(qs_pauli_sum_add_term(o, 0.5, "Y2"), QS_OK);

    double t = 0.4, e[2];
    for (int k = 0; k < 2; k++) {
        double v = t + (k ? -1e-6 : 1e-6);
        qs_state *s = random_state(5);
        cr_assert_eq(qs_program_run(p, &v, 1, s, NULL, NULL), QS_OK);
        cr_assert_eq(qs_state_expect(s, o, &e[k]), QS_OK);
        qs_state_destroy(s);
    }
    qs_state *phi = random_state(5), *lam, *work;
    cr_assert_eq(qs_program_run(p, &t, 1, phi, NULL, NULL), QS_OK);
    cr_assert_eq(qs_state_create(NQ, 0, &lam), QS_OK);
    cr_assert_eq(qs_state_create(NQ, 0, &work), QS_OK);
    cr_assert_eq(qs_pauli_sum_apply(o, phi, lam), QS_OK);
    double g;
    cr_assert_eq(qs_program_backprop(p, &t, 1, phi, lam, work, &g, NULL), QS_OK, "%s",
                 qs_last_error());
    double fd = (e[0] - e[1]) / 2e-6;
    cr_assert(fabs(fd) > 1e-3, "the control values leave the gate some effect: %g", fd);
    cr_assert_lt(fabs(2 * g - fd), 1e-6, "adjoint %.10f, differences %.10f", 2 * g, fd);
    qs_state_destroy(phi);
    qs_state_destroy(lam);
    qs_state_destroy(work);
    qs_pauli_sum_destroy(o);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

Test(controlled, bad_arguments)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(NQ, 0, &c), QS_OK);
    int q[2] = {0, 1}, rep[1] = {1}, bad[1] = {2}, out[1] = {7}, ctl[1] = {2};
    cr_assert_eq(qs_circuit_append_controlled_gate(c, rep, NULL, 1, QS_GATE_CX, q, NULL),
                 QS_EINVAL);
    cr_assert_eq(qs_circuit_append_controlled_gate(c, ctl, bad, 1, QS_GATE_CX, q, NULL),
                 QS_EINVAL);
    cr_assert(strstr(qs_last_error(), "control_values[0] is 2"), "%s", qs_last_error());
    cr_assert_eq(qs_circuit_append_controlled_gate(c, out, NULL, 1, QS_GATE_CX, q, NULL),
                 QS_ERANGE);
    cr_assert_eq(qs_circuit_append_controlled_gate(c, NULL, NULL, 1, QS_GATE_CX, q, NULL),
                 QS_EINVAL);
    int many[4] = {1, 2, 3, 4}, t0[1] = {0};
    const char *ex[1] = {"0.5 + 0*x"};
    cr_assert_eq(qs_circuit_add_param(c, "x", NULL), QS_OK);
    int cq[2] = {0, 1};
    cr_assert_eq(qs_circuit_append_controlled_gate_expr(c, many, NULL, 4, QS_GATE_CRX, cq, ex),
                 QS_EINVAL);
    cr_assert_eq(qs_circuit_num_ops(c), 0);
    double h = 0.3;
    cr_assert_eq(qs_circuit_append_controlled_gate(c, many, NULL, 4, QS_GATE_RX, t0, &h), QS_OK);
    /* the writer does not write extra controls yet, and says so */
    char buf[256];
    size_t n;
    cr_assert_eq(qs_circuit_write_qasm(c, 0, buf, sizeof buf, &n), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "extra controls"), "%s", qs_last_error());
    qs_circuit_destroy(c);
}
