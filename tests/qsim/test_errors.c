/*
 * test_errors.c - every bad argument gives the right status and a message
 * naming the function, the argument and its value; never a crash.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define EXPECT(call, status, text)                                                     \
    do {                                                                               \
        qs_clear_error();                                                              \
        qs_status st_ = (call);                                                        \
        cr_assert_eq(st_, status, "%s returned %s (%s)", #call, qs_status_name(st_),   \
                     qs_last_error());                                                 \
        cr_assert(strstr(qs_last_error(), text), "%s: message \"%s\" lacks \"%s\"",    \
                  #call, qs_last_error(), text);                                       \
    } while (0)

Test(errors, status_table)
{
    cr_assert_str_eq(qs_strerror(QS_OK), "success");
    cr_assert_str_eq(qs_strerror(QS_EINVAL), "invalid argument");
    cr_assert_str_eq(qs_status_name(QS_ETOOBIG), "QS_ETOOBIG");
    cr_assert_str_eq(qs_strerror(12345), "unknown status");
    cr_assert_str_eq(qs_status_name(-1), "QS_UNKNOWN");
    qs_clear_error();
    cr_assert_str_eq(qs_last_error(), "");
}

Test(errors, state_arguments)
{
    qs_state *s;
    EXPECT(qs_state_create(0, 0, &s), QS_EINVAL, "qs_state_create: num_qubits 0 not in [1, 60]");
    EXPECT(qs_state_create(61, 0, &s), QS_EINVAL, "num_qubits 61");
    EXPECT(qs_state_create(3, 8, &s), QS_EINVAL, "unknown flags 0x8");
    EXPECT(qs_state_create(3, 0, NULL), QS_EINVAL, "out is NULL");
    cr_assert_eq(qs_state_create(5, 0, &s), QS_OK);
    EXPECT(qs_state_set_basis(s, 32), QS_ERANGE, "index 32 out of range for a 5-qubit state");
    EXPECT(qs_state_norm2(NULL, NULL), QS_EINVAL, "s is NULL");
    EXPECT(qs_state_set_random(s, NULL), QS_EINVAL, "rng is NULL");
    qs_state *t;
    qs_state_create(4, 0, &t);
    double ip[2];
    EXPECT(qs_state_inner(s, t, ip), QS_EINVAL, "states have 5 and 4 qubits");
    qs_state_destroy(t);
    qs_state_create(5, QS_STATE_F32, &t);
    EXPECT(qs_state_axpy(s, ip, t), QS_EINVAL, "different precisions");
    qs_state_destroy(t);
    double zero[2] = {0, 0};
    qs_state_scale(s, zero);
    EXPECT(qs_state_normalize(s), QS_EINVAL, "cannot normalise a state of norm^2 0");
    qs_state_destroy(s);
}

Test(errors, gate_arguments)
{
    qs_state *s;
    cr_assert_eq(qs_state_create(5, 0, &s), QS_OK);
    int q7[2] = {7, 0}, dup[2] = {2, 2}, neg[1] = {-1}, ok2[2] = {0, 1};
    double th = 0.5, nan_ = NAN;
    EXPECT(qs_state_apply_gate(s, QS_GATE_H, q7, NULL), QS_ERANGE,
           "qs_state_apply_gate: target 7 out of range for a 5-qubit state");
    EXPECT(qs_state_apply_gate(s, QS_GATE_CX, q7, NULL), QS_ERANGE,
           "control 7 out of range for a 5-qubit state");
    EXPECT(qs_state_apply_gate(s, QS_GATE_CX, dup, NULL), QS_EINVAL, "qubit 2 appears twice");
    EXPECT(qs_state_apply_gate(s, QS_GATE_X, neg, NULL), QS_ERANGE, "target -1 out of range");
    EXPECT(qs_state_apply_gate(s, QS_GATE_RX, ok2, NULL), QS_EINVAL, "params is NULL");
    EXPECT(qs_state_apply_gate(s, QS_GATE_RX, ok2, &nan_), QS_EINVAL, "parameter 0 of rx is nan");
    EXPECT(qs_state_apply_gate(s, (qs_gate)999, ok2, NULL), QS_EINVAL, "gate 999 is not a gate");
    EXPECT(qs_state_apply_gate(NULL, QS_GATE_H, ok2, NULL), QS_EINVAL, "s is NULL");
    int c[1] = {1}, cv[1] = {2};
    EXPECT(qs_state_apply_controlled_gate(s, c, NULL, 1, QS_GATE_RX, c, &th), QS_EINVAL,
           "qubit 1 appears twice");
    int c3[1] = {3};
    EXPECT(qs_state_apply_controlled_gate(s, c3, cv, 1, QS_GATE_RX, ok2, &th), QS_EINVAL,
           "control_values[0] is 2, expected 0 or 1");
    EXPECT(qs_state_apply_controlled_gate(s, c3, NULL, -1, QS_GATE_RX, ok2, &th), QS_EINVAL,
           "num_controls -1 is negative");
    double m[2 * 64 * 64] = {0};
    int t6[6] = {0, 1, 2, 3, 4, 5};
    EXPECT(qs_state_apply_matrix(s, t6, 6, NULL, NULL, 0, m), QS_EINVAL,
           "num_targets 6 not in [1, 5]");
    EXPECT(qs_state_apply_matrix(s, t6, 1, NULL, NULL, 0, NULL), QS_EINVAL, "matrix is NULL");
    uint32_t bad[4] = {0, 1, 1, 3};
    EXPECT(qs_state_apply_permutation(s, ok2, 2, NULL, NULL, 0, bad, NULL), QS_EINVAL,
           "perm is not a permutation of 0..3 (perm[2] = 1)");
    EXPECT(qs_state_apply_pauli_rotation(s, ok2, "XQ", 2, 0.1), QS_EINVAL,
           "paulis[1] is 'Q', expected I, X, Y or Z");
    EXPECT(qs_state_apply_pauli_rotation(s, dup, "XZ", 2, 0.1), QS_EINVAL, "qubit 2 appears twice");
    EXPECT(qs_state_apply_pauli_rotation(s, ok2, "XZ", 2, INFINITY), QS_EINVAL, "theta is inf");
    EXPECT(qs_state_apply_qft(s, 3, 3, 0), QS_ERANGE, "qubits [3, 6) out of range");
    EXPECT(qs_state_apply_qft(s, 0, 2, 4), QS_EINVAL, "unknown flags 0x4");
    qs_gate g;
    EXPECT(qs_gate_lookup("cnot", &g), QS_EINVAL, "no gate named 'cnot'");
    cr_assert_eq(qs_gate_num_qubits((qs_gate)-1), -1);
    cr_assert_null(qs_gate_name(QS_NUM_GATES));
    qs_state_destroy(s);
}

Test(errors, measurement_arguments)
{
    qs_state *s;
    qs_rng *r;
    cr_assert_eq(qs_state_create(3, 0, &s), QS_OK);
    qs_rng_create(1, &r);
    int q[2] = {0, 5};
    uint64_t o;
    double p;
    EXPECT(qs_state_measure(s, q, 2, r, &o, NULL), QS_ERANGE, "qubit 5 out of range for a 3-qubit");
    EXPECT(qs_state_measure(s, q, 0, r, &o, NULL), QS_EINVAL, "k 0 not in [1, 3]");
    EXPECT(qs_state_measure(s, q, 1, NULL, &o, NULL), QS_EINVAL, "rng is NULL");
    EXPECT(qs_state_collapse(s, q, 1, 1, &p), QS_EINVAL, "outcome 1 has probability 0");
    EXPECT(qs_state_collapse(s, q, 1, 2, &p), QS_EINVAL, "outcome 2 has more than 1 bits");
    EXPECT(qs_state_prob_one(s, 3, &p), QS_ERANGE, "qubit 3 out of range");
    EXPECT(qs_state_sample(s, q, 2, 10, r, &o), QS_ERANGE, "qubit 5");
    EXPECT(qs_rng_uniform(NULL, &p), QS_EINVAL, "rng is NULL");
    qs_rng_destroy(r);
    qs_state_destroy(s);
}

Test(errors, pauli_sum_arguments)
{
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_create(3, &h), QS_OK);
    EXPECT(qs_pauli_sum_add_term(h, 1.0, "X0 Q1"), QS_EPARSE,
           "term \"X0 Q1\", column 4: expected a Pauli letter I, X, Y or Z");
    EXPECT(qs_pauli_sum_add_term(h, 1.0, "X0 Z"), QS_EPARSE,
           "column 5: expected a qubit number after the Pauli letter");
    EXPECT(qs_pauli_sum_add_term(h, 1.0, "X0 Z0"), QS_EPARSE, "qubit appears twice in the term");
    EXPECT(qs_pauli_sum_add_term(h, 1.0, "Z5"), QS_ERANGE, "qubit 5 out of range for a 3-qubit sum");
    EXPECT(qs_pauli_sum_add_term(h, NAN, "Z1"), QS_EINVAL, "coefficient is nan");
    qs_pauli_sum *f;
    EXPECT(qs_pauli_sum_read("/nonexistent/h.txt", &f), QS_EIO, "cannot open /nonexistent/h.txt");
    EXPECT(qs_pauli_sum_parse("# c\n0.5 Z0\nabc Z1\n", "mem", &f), QS_EPARSE,
           "mem:3:1: expected a coefficient");
    EXPECT(qs_pauli_sum_parse("1.0 Z0 W2\n", "mem", &f), QS_EPARSE,
           "mem:1:8: expected a Pauli letter");
    cr_assert_null(f);
    qs_state *s;
    qs_state_create(2, 0, &s);
    qs_pauli_sum_add_term(h, 1, "Z2");
    double e;
    EXPECT(qs_state_expect(s, h, &e), QS_EINVAL, "a 3-qubit sum on a 2-qubit state");
    qs_state_destroy(s);
    qs_pauli_sum_destroy(h);
    EXPECT(qs_pauli_sum_term(NULL, 0, &e, NULL, 0), QS_EINVAL, "h is NULL");
}

Test(errors, circuit_arguments)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(3, 1, &c), QS_OK);
    int idx, q[2] = {0, 3};
    EXPECT(qs_circuit_add_param(c, "2x", &idx), QS_EINVAL, "'2x' is not an identifier");
    EXPECT(qs_circuit_add_param(c, "pi", &idx), QS_EINVAL, "'pi' is a reserved name");
    cr_assert_eq(qs_circuit_add_param(c, "theta", &idx), QS_OK);
    EXPECT(qs_circuit_add_param(c, "theta", &idx), QS_EINVAL, "already declared");
    EXPECT(qs_circuit_append_gate(c, QS_GATE_CX, q, NULL), QS_ERANGE,
           "target 3 out of range for a 3-qubit state");
    const char *bad[1] = {"2*thetaa"};
    EXPECT(qs_circuit_append_gate_expr(c, QS_GATE_RX, q, bad), QS_EPARSE,
           "expression \"2*thetaa\", column 3: unknown identifier");
    const char *bad2[1] = {"(1+"};
    EXPECT(qs_circuit_append_gate_expr(c, QS_GATE_RX, q, bad2), QS_EPARSE, "column 4: expected an expression");
    const char *bad3[1] = {"1 2"};
    EXPECT(qs_circuit_append_gate_expr(c, QS_GATE_RX, q, bad3), QS_EPARSE,
           "column 3: unexpected character after the expression");
    EXPECT(qs_circuit_append_measure(c, 0, 1), QS_ERANGE, "clbit 1 out of range for 1 classical bits");
    EXPECT(qs_circuit_set_condition(c, 0, 1, 0), QS_EINVAL, "no operation to condition");
    cr_assert_eq(qs_circuit_num_ops(c), 0);
    qs_program *p;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK);
    qs_state *s;
    qs_state_create(2, 0, &s);
    double v = 1;
    EXPECT(qs_program_run(p, &v, 2, s, NULL, NULL), QS_EINVAL, "2 parameter values for a program of 1");
    EXPECT(qs_program_run(p, &v, 1, s, NULL, NULL), QS_EINVAL, "a 3-qubit program on a 2-qubit state");
    qs_state_destroy(s);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}
