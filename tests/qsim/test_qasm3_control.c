/*
 * test_qasm3_control.c - OpenQASM 3 classical code read into circuits:
 * the limits of unrolled loops (stated, enforced with a message), loop
 * variables and constants as gate arguments and indices, physical qubits.
 * How each construct behaves against Qiskit Aer is tests/python's
 * test_qasm3_aer.py.
 */
#include "../support/qasmt.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HEAD3 "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

typedef struct acc {
    double p[4];   /* by the first two classical bits */
} acc;

static qs_status add(void *ctx, double prob, const qs_state *s, const unsigned char *bits)
{
    (void)s;
    ((acc *)ctx)->p[(bits[0] & 1) | (bits[1] & 1) << 1] += prob;
    return QS_OK;
}

/* The distribution of the first two classical bits over all branches. */
static qs_status enumerate(const char *text, acc *a)
{
    qs_circuit *c = qt_parse(text, 0);
    qs_program *p;
    qs_state *s;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_state_create(qs_circuit_num_qubits(c), 0, &s), QS_OK);
    memset(a, 0, sizeof *a);
    qs_status st = qs_program_enumerate(p, NULL, 0, 1e-14, 4096, s, add, a);
    qs_state_destroy(s);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
    return st;
}

Test(qasm3_control, repeat_until_success_enumerates)
{
    /* q[1] gets one rx(0.4) per attempt: P(k attempts) = 2^-k. */
    acc a;
    cr_assert_eq(enumerate(HEAD3 "qubit[2] q;\nbit[2] c;\nh q[0];\nc[0] = measure q[0];\n"
                           "while (c[0] == 0) {\n  h q[0];\n  c[0] = measure q[0];\n"
                           "  rx(0.4) q[1];\n}\nc[1] = measure q[1];\n", &a),
                 QS_OK, "%s", qs_last_error());
    double p1 = 0;
    for (int k = 0; k < 60; k++)   /* k loop iterations, probability 2^-(k+1) */
        p1 += pow(0.5, k + 1) * pow(sin(0.2 * k), 2);
    cr_assert_float_eq(a.p[0] + a.p[2], 0, 1e-13, "c[0] is 1 on every path");
    cr_assert_float_eq(a.p[3], p1, 1e-12, "%.15f vs %.15f", a.p[3], p1);
    cr_assert_float_eq(a.p[1] + a.p[3], 1, 1e-12);
}

Test(qasm3_control, a_while_loop_past_its_limit_fails_the_run)
{
    /* q[0] stays |1>: the loop never ends. */
    const char *text = HEAD3 "qubit[1] q;\nbit[2] c;\nx q[0];\nc[0] = measure q[0];\n"
                       "while (c[0]) {\n  c[0] = measure q[0];\n}\n";
    acc a;
    cr_assert_eq(enumerate(text, &a), QS_ETOOBIG);
    cr_assert(strstr(qs_last_error(), "line 7:1: the while loop did not end within 256 "
                                      "iterations"), "%s", qs_last_error());
    /* A loop whose body changes nothing: the same, without unrolling. */
    cr_assert_eq(enumerate(HEAD3 "qubit[1] q;\nbit[2] c;\nx q[0];\nc[0] = measure q[0];\n"
                           "while (c[0]) { x q[0]; }\n", &a), QS_ETOOBIG);
    cr_assert(strstr(qs_last_error(), "line 7:1"), "%s", qs_last_error());
    /* ... and nothing fails where the loop is not entered. */
    cr_assert_eq(enumerate(HEAD3 "qubit[1] q;\nbit[2] c;\nc[0] = measure q[0];\n"
                           "while (c[0]) { x q[0]; }\n", &a), QS_OK, "%s", qs_last_error());
    cr_assert_float_eq(a.p[0], 1, 1e-15);
}

Test(qasm3_control, loops_are_bounded_by_the_operation_limit)
{
    qt_error(HEAD3 "qubit[1] q;\nfor int i in [0:100000000000] { x q[0]; }\n", 0, QS_ETOOBIG, 4,
             14, "loops may run");
    /* An empty range runs nothing, but its body is still read. */
    qt_error(HEAD3 "qubit[1] q;\nfor int i in [1:0] { nope q[0]; }\n", 0, QS_EPARSE, 4, 22,
             "undefined gate 'nope'");
    qs_circuit *c = qt_parse(HEAD3 "qubit[1] q;\nfor int i in [1:0] { x q[0]; }\n", 0);
    cr_assert_eq(qs_circuit_num_ops(c), 0);
    qs_circuit_destroy(c);
}

Test(qasm3_control, loop_variables_and_constants_in_arguments_and_indices)
{
    const char *loop = HEAD3 "const int n = 3;\nqubit[3] q;\n"
                       "for int i in [0:n - 1] { rx(i * pi / 4 + n) q[i]; cx q[i], q[(i + 1) % n]; }\n";
    const char *flat = HEAD3 "qubit[3] q;\nrx(3) q[0];\ncx q[0], q[1];\nrx(pi/4 + 3) q[1];\n"
                       "cx q[1], q[2];\nrx(pi/2 + 3) q[2];\ncx q[2], q[0];\n";
    qs_circuit *a = qt_parse(loop, 0), *b = qt_parse(flat, 0);
    double ua[2 * 64 * 64], ub[2 * 64 * 64];
    cr_assert_eq(qs_circuit_unitary(a, NULL, 0, ua), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_circuit_unitary(b, NULL, 0, ub), QS_OK, "%s", qs_last_error());
    for (int i = 0; i < 2 * 64; i++)
        cr_assert_float_eq(ua[i], ub[i], 1e-14);
    qs_circuit_destroy(a);
    qs_circuit_destroy(b);
}

Test(qasm3_control, physical_qubits)
{
    qs_circuit *c = qt_parse(HEAD3 "bit[2] c;\nh $3;\ncx $3, $0;\nc[0] = measure $0;\n", 0);
    cr_assert_eq(qs_circuit_num_qubits(c), 4);
    qs_circuit_destroy(c);
    qt_error(HEAD3 "qubit[2] q;\nx $1;\n", 0, QS_EPARSE, 4, 3, "physical qubit $1 in a program "
             "that declares qubit registers");
    qt_error(HEAD3 "x $1;\nqubit[2] q;\n", 0, QS_EPARSE, 4, 10, "uses physical qubits");
    qt_error(HEAD3 "x $1;\ncx $1, $1;\n", 0, QS_EPARSE, 4, 8, "the same qubit $1 is qubit "
             "argument 1 and 2");
    qt_error(HEAD3 "x $99;\n", 0, QS_ETOOBIG, 3, 3, "physical qubit $99 is out of range");
}

/* The unitaries of two programs on 3 qubits agree up to global phase. */
static void same_unitary(const char *a, const char *b)
{
    qs_circuit *ca = qt_parse(a, 0), *cb = qt_parse(b, 0);
    double ua[2 * 64], ub[2 * 64];
    cr_assert_eq(qs_circuit_unitary(ca, NULL, 0, ua), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_circuit_unitary(cb, NULL, 0, ub), QS_OK, "%s", qs_last_error());
    /* phase from the largest entry of b */
    int m = 0;
    for (int i = 0; i < 64; i++)
        if (hypot(ub[2 * i], ub[2 * i + 1]) > hypot(ub[2 * m], ub[2 * m + 1]))
            m = i;
    double den = ub[2 * m] * ub[2 * m] + ub[2 * m + 1] * ub[2 * m + 1];
    double pr = (ua[2 * m] * ub[2 * m] + ua[2 * m + 1] * ub[2 * m + 1]) / den;
    double pi = (ua[2 * m + 1] * ub[2 * m] - ua[2 * m] * ub[2 * m + 1]) / den;
    cr_assert_float_eq(hypot(pr, pi), 1, 1e-12, "%s\nvs\n%s", a, b);
    for (int i = 0; i < 64; i++) {
        cr_assert_float_eq(ua[2 * i], pr * ub[2 * i] - pi * ub[2 * i + 1], 1e-12, "%s", a);
        cr_assert_float_eq(ua[2 * i + 1], pr * ub[2 * i + 1] + pi * ub[2 * i], 1e-12, "%s", a);
    }
    qs_circuit_destroy(ca);
    qs_circuit_destroy(cb);
}

Test(qasm3_control, gate_modifiers)
{
#define Q3 HEAD3 "qubit[3] q;\n"
    same_unitary(Q3 "ctrl @ x q[2], q[0];\n", Q3 "cx q[2], q[0];\n");
    same_unitary(Q3 "ctrl(2) @ x q[2], q[0], q[1];\n", Q3 "ccx q[2], q[0], q[1];\n");
    same_unitary(Q3 "ctrl @ ctrl @ x q[2], q[0], q[1];\n", Q3 "ccx q[2], q[0], q[1];\n");
    same_unitary(Q3 "negctrl @ x q[1], q[0];\n", Q3 "x q[1];\ncx q[1], q[0];\nx q[1];\n");
    same_unitary(Q3 "inv @ s q[1];\n", Q3 "sdg q[1];\n");
    same_unitary(Q3 "inv @ U(0.3, 0.5, 0.9) q[1];\n", Q3 "U(-0.3, -0.9, -0.5) q[1];\n");
    same_unitary(Q3 "pow(2) @ s q[0];\n", Q3 "z q[0];\n");
    same_unitary(Q3 "pow(-3) @ t q[0];\n", Q3 "tdg q[0];\ntdg q[0];\ntdg q[0];\n");
    same_unitary(Q3 "pow(0.5) @ x q[2];\n", Q3 "sx q[2];\n");
    same_unitary(Q3 "pow(0.25) @ z q[2];\n", Q3 "t q[2];\n");
    qt_error(Q3 "ctrl @ gphase(0.7) q[1];\n", 0, QS_EUNSUPPORTED, 4, 8, "modifiers on gphase");
    /* user gates: controls distribute over the body, inv reverses it */
    same_unitary(Q3 "gate g(a) x, y { h x; cx x, y; rz(a) y; }\nctrl @ g(0.4) q[2], q[0], q[1];\n",
                 Q3 "ch q[2], q[0];\nccx q[2], q[0], q[1];\ncrz(0.4) q[2], q[1];\n");
    same_unitary(Q3 "gate g(a) x, y { h x; cx x, y; rz(a) y; }\ninv @ g(0.4) q[0], q[1];\n",
                 Q3 "rz(-0.4) q[1];\ncx q[0], q[1];\nh q[0];\n");
    /* a dense controlled matrix where the table has no such gate */
    same_unitary(Q3 "ctrl @ inv @ sx q[2], q[0];\n", Q3 "inv @ ctrl @ sx q[2], q[0];\n");
    same_unitary(Q3 "pow(2) @ ctrl(2) @ sx q[1], q[2], q[0];\n", Q3 "ccx q[1], q[2], q[0];\n");
    same_unitary(Q3 "ctrl @ ctrl @ sx q[1], q[2], q[0];\n", Q3 "ctrl(2) @ sx q[1], q[2], q[0];\n");
#undef Q3
}
