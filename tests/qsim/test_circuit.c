/*
 * test_circuit.c - circuits and programs: expression syntax and values,
 * parameter binding without rebuilding, every operation kind, conditions
 * and measurement, copies.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The value of expression text, through an rx gate on |0>:
 * <Z> = cos(value). */
static double value_of(const char *expr, double theta)
{
    qs_circuit *c;
    qs_circuit_create(1, 0, &c);
    int idx;
    qs_circuit_add_param(c, "theta", &idx);
    int q = 0;
    cr_assert_eq(qs_circuit_append_gate_expr(c, QS_GATE_RZ, &q, &expr), QS_OK, "%s: %s", expr,
                 qs_last_error());
    qs_program *p;
    qs_program_compile(c, 0, &p);
    qs_state *s;
    qs_state_create(1, 0, &s);
    qs_state_set_uniform(s);   /* rz(v)|+> = (e^{-iv/2}|0> + e^{iv/2}|1>)/sqrt2 */
    cr_assert_eq(qs_program_run(p, &theta, 1, s, NULL, NULL), QS_OK);
    double a[4];
    qs_state_get_amps(s, 0, 2, a);
    double v = 2 * atan2(a[3], a[2]);   /* phase of amplitude 1 is v/2 */
    qs_state_destroy(s);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
    return v;
}

Test(circuit, expression_grammar)
{
    struct { const char *e; double want; } cases[] = {
        {"-2^2", -4}, {"2^3^2 / 512", 1}, {"1-2-3", -4}, {"8/2/2", 2}, {"2**3 / 4", 2},
        {".5 + 1.", 1.5}, {"1e-3 * 1000", 1}, {"2.5E+2 / 100", 2.5}, {"-(1+2)*-1", 3},
        {"sin(pi/2)", 1}, {"cos(0) + tan(0)", 1}, {"exp(0) + ln(1)", 1}, {"sqrt(2)^2", 2},
        {"asin(1) * 2 / pi", 1}, {"acos(1)", 0}, {"atan(1) * 4 / pi", 1}, {"2^-1", 0.5},
        {"theta", 0.3}, {"2*theta + 0.1", 0.7}, {"-theta^2", -0.09}, {"theta/theta", 1},
        {"  ( ( theta ) )  ", 0.3}, {"1 /* comment */ + 1", 2}, {"-+-1", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double v = value_of(cases[i].e, 0.3);
        /* compare modulo 4 pi (the rz phase read back) */
        double d = remainder(v - cases[i].want, 4 * M_PI);
        cr_assert(fabs(d) < 1e-12, "%s = %.15g, want %.15g", cases[i].e, v, cases[i].want);
    }
}

Test(circuit, binding_runs_without_rebuilding)
{
    /* One compiled program, many parameter vectors: each run equals
     * applying the gates directly with the evaluated arguments. */
    qs_circuit *c;
    qs_circuit_create(4, 0, &c);
    int a, b;
    qs_circuit_add_param(c, "a", &a);
    qs_circuit_add_param(c, "b", &b);
    cr_assert_eq(qs_circuit_param_index(c, "b"), 1);
    cr_assert_str_eq(qs_circuit_param_name(c, 0), "a");
    int q0 = 0, q01[2] = {0, 1}, q23[2] = {2, 3}, q3 = 3;
    const char *e1[] = {"2*a + 0.1"}, *e3[] = {"a", "b", "a*b"}, *e4[] = {"-b"};
    qs_circuit_append_gate(c, QS_GATE_H, &q0, NULL);
    qs_circuit_append_gate_expr(c, QS_GATE_RX, &q0, e1);
    qs_circuit_append_gate_expr(c, QS_GATE_U3, &q3, e3);
    qs_circuit_append_gate_expr(c, QS_GATE_CRZ, q01, e4);
    qs_circuit_append_gate(c, QS_GATE_SWAP, q23, NULL);
    int pq[3] = {0, 2, 3};
    cr_assert_eq(qs_circuit_append_pauli_rotation(c, pq, "XYZ", 3, "a - b"), QS_OK);
    cr_assert_eq(qs_circuit_append_global_phase(c, "b"), QS_OK);
    cr_assert_eq(qs_circuit_num_ops(c), 7);
    qs_program *p;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK);
    qs_circuit_destroy(c);   /* the program keeps what it needs */
    cr_assert_eq(qs_program_num_params(p), 2);
    cr_assert_eq(qs_program_is_dynamic(p), 0);
    qs_state *s, *r;
    qs_state_create(4, 0, &s);
    qs_state_create(4, 0, &r);
    for (int rep = 0; rep < 5; rep++) {
        double v[2] = {0.3 * rep - 0.5, 1.1 - 0.2 * rep};
        qs_state_set_basis(s, 0);
        qs_state_set_basis(r, 0);
        cr_assert_eq(qs_program_run(p, v, 2, s, NULL, NULL), QS_OK, "%s", qs_last_error());
        double t1 = 2 * v[0] + 0.1, u3[3] = {v[0], v[1], v[0] * v[1]}, t4 = -v[1];
        qs_state_apply_gate(r, QS_GATE_H, &q0, NULL);
        qs_state_apply_gate(r, QS_GATE_RX, &q0, &t1);
        qs_state_apply_gate(r, QS_GATE_U3, &q3, u3);
        qs_state_apply_gate(r, QS_GATE_CRZ, q01, &t4);
        qs_state_apply_gate(r, QS_GATE_SWAP, q23, NULL);
        qs_state_apply_pauli_rotation(r, pq, "XYZ", 3, v[0] - v[1]);
        qs_state_apply_global_phase(r, v[1]);
        cplx *x = ref_read(s), *y = ref_read(r);
        cr_assert(ref_maxdiff(x, y, 16) < 1e-14, "run %d differs", rep);
        free(x);
        free(y);
    }
    qs_state_destroy(s);
    qs_state_destroy(r);
    qs_program_destroy(p);
}

Test(circuit, matrix_and_qft_ops_on_a_larger_state)
{
    qs_circuit *c;
    qs_circuit_create(3, 0, &c);
    cplx *U = ref_random_unitary(2, 8);
    int t[2] = {2, 0};
    cr_assert_eq(qs_circuit_append_matrix(c, t, 2, (const double *)U), QS_OK);
    cr_assert_eq(qs_circuit_append_qft(c, 0, 3, 0), QS_OK);
    cr_assert_eq(qs_circuit_append_barrier(c, NULL, 0), QS_OK);
    cr_assert_eq(qs_circuit_append_qft(c, 1, 2, QS_QFT_INVERSE), QS_OK);
    qs_program *p;
    qs_program_compile(c, 0, &p);
    /* A 5-qubit state: the program acts on its low 3 qubits. */
    qs_state *s, *r;
    qs_state_create(5, 0, &s);
    qs_state_create(5, 0, &r);
    cplx *v = ref_random_state(5, 2);
    ref_load(s, v);
    ref_load(r, v);
    cr_assert_eq(qs_program_run(p, NULL, 0, s, NULL, NULL), QS_OK, "%s", qs_last_error());
    qs_state_apply_matrix(r, t, 2, NULL, NULL, 0, (const double *)U);
    qs_state_apply_qft(r, 0, 3, 0);
    qs_state_apply_qft(r, 1, 2, QS_QFT_INVERSE);
    cplx *x = ref_read(s), *y = ref_read(r);
    cr_assert(ref_maxdiff(x, y, 32) < 1e-13);
    free(x);
    free(y);
    free(v);
    free(U);
    qs_state_destroy(s);
    qs_state_destroy(r);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

/* Teleportation with mid-circuit measurement and classically controlled
 * corrections: qubit 2 ends in the state prepared on qubit 0. */
Test(circuit, teleportation_with_conditions)
{
    qs_circuit *c;
    qs_circuit_create(3, 2, &c);
    int q0 = 0, q1 = 1, q2 = 2, q01[2] = {0, 1}, q12[2] = {1, 2};
    double prep[3] = {1.1, 0.4, -0.7};
    qs_circuit_append_gate(c, QS_GATE_U3, &q0, prep);
    qs_circuit_append_gate(c, QS_GATE_H, &q1, NULL);
    qs_circuit_append_gate(c, QS_GATE_CX, q12, NULL);
    qs_circuit_append_gate(c, QS_GATE_CX, q01, NULL);
    qs_circuit_append_gate(c, QS_GATE_H, &q0, NULL);
    qs_circuit_append_measure(c, 0, 0);
    qs_circuit_append_measure(c, 1, 1);
    qs_circuit_append_gate(c, QS_GATE_X, &q2, NULL);
    cr_assert_eq(qs_circuit_set_condition(c, 1, 1, 1), QS_OK);   /* if bit1 == 1 */
    qs_circuit_append_gate(c, QS_GATE_Z, &q2, NULL);
    cr_assert_eq(qs_circuit_set_condition(c, 0, 1, 1), QS_OK);   /* if bit0 == 1 */
    qs_program *p;
    qs_program_compile(c, 0, &p);
    cr_assert_eq(qs_program_is_dynamic(p), 1);
    qs_state *s;
    qs_state_create(3, 0, &s);
    qs_rng *rng;
    qs_rng_create(4, &rng);
    unsigned char bits[2];
    int seen[4] = {0};
    double want_p1 = sin(prep[0] / 2) * sin(prep[0] / 2);
    for (int rep = 0; rep < 64; rep++) {
        qs_state_set_basis(s, 0);
        cr_assert_eq(qs_program_run(p, NULL, 0, s, rng, bits), QS_OK, "%s", qs_last_error());
        seen[bits[0] | bits[1] << 1]++;
        double p1;
        qs_state_prob_one(s, 2, &p1);
        cr_assert(fabs(p1 - want_p1) < 1e-12, "teleported P(1) = %g, want %g", p1, want_p1);
        /* and the relative phase: <X> on qubit 2 */
        double ex;
        char X = 'X';
        qs_state_expect_pauli(s, &q2, &X, 1, &ex);
        cr_assert(fabs(ex - sin(prep[0]) * cos(prep[1])) < 1e-12);
    }
    for (int o = 0; o < 4; o++)
        cr_assert_gt(seen[o], 3, "outcome %d seen %d times in 64", o, seen[o]);
    cr_assert_eq(qs_program_run(p, NULL, 0, s, NULL, bits), QS_EINVAL);   /* needs an rng */
    qs_rng_destroy(rng);
    qs_state_destroy(s);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

Test(circuit, reset_and_copy)
{
    qs_circuit *c, *d;
    qs_circuit_create(2, 1, &c);
    int q0 = 0, q01[2] = {0, 1};
    int idx;
    qs_circuit_add_param(c, "t", &idx);
    const char *e[] = {"t"};
    qs_circuit_append_gate_expr(c, QS_GATE_RY, &q0, e);
    qs_circuit_append_gate(c, QS_GATE_CX, q01, NULL);
    qs_circuit_append_reset(c, 0);
    cr_assert_eq(qs_circuit_copy(c, &d), QS_OK);
    qs_circuit_destroy(c);
    cr_assert_eq(qs_circuit_num_ops(d), 3);
    cr_assert_eq(qs_circuit_num_params(d), 1);
    qs_program *p;
    qs_program_compile(d, 0, &p);
    qs_state *s;
    qs_state_create(2, 0, &s);
    qs_rng *rng;
    qs_rng_create(1, &rng);
    unsigned char bit;
    double t = 1.0;
    cr_assert_eq(qs_program_run(p, &t, 1, s, rng, &bit), QS_OK, "%s", qs_last_error());
    double p0;
    qs_state_prob_one(s, 0, &p0);
    cr_assert_float_eq(p0, 0, 1e-14);
    qs_rng_destroy(rng);
    qs_state_destroy(s);
    qs_program_destroy(p);
    qs_circuit_destroy(d);
}

Test(circuit, float_state_runs_double_program)
{
    qs_circuit *c;
    qs_circuit_create(3, 0, &c);
    int q[3] = {0, 1, 2};
    double th[3] = {0.3, 0.2, 0.1};
    qs_circuit_append_gate(c, QS_GATE_H, q, NULL);
    qs_circuit_append_gate(c, QS_GATE_CCX, q, NULL);
    qs_circuit_append_gate(c, QS_GATE_U3, q + 2, th);
    qs_program *p;
    qs_program_compile(c, 0, &p);
    qs_state *a, *b;
    qs_state_create(3, 0, &a);
    qs_state_create(3, QS_STATE_F32, &b);
    qs_program_run(p, NULL, 0, a, NULL, NULL);
    qs_program_run(p, NULL, 0, b, NULL, NULL);
    cplx *x = ref_read(a), *y = ref_read(b);
    cr_assert(ref_maxdiff(x, y, 8) < 1e-6);
    free(x);
    free(y);
    qs_state_destroy(a);
    qs_state_destroy(b);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}
