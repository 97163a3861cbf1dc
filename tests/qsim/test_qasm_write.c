/*
 * test_qasm_write.c - circuits written as OpenQASM and read back: the same
 * operations (the text is a fixed point, unitaries agree exactly), for the
 * conformance circuits and for circuits built through the API with every
 * table gate, Pauli rotations, QFTs, global phases and parameters.
 */
#include "../support/qasmt.h"
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* write -> parse -> write gives the same text and operation count. */
static qs_circuit *round_trip(const qs_circuit *c, unsigned flags, const char *what)
{
    char *t1 = qt_write(c, flags);
    qs_circuit *back = NULL;
    cr_assert_eq(qs_circuit_parse_string(t1, "<export>", 0, &back), QS_OK,
                 "%s: the export does not parse: %s\n%s", what, qs_last_error(), t1);
    char *t2 = qt_write(back, flags);
    cr_assert_str_eq(t1, t2, "%s: text changed on the way back", what);
    cr_assert_eq(qs_circuit_num_ops(back), qs_circuit_num_ops(c), "%s", what);
    cr_assert_eq(qs_circuit_num_params(back), qs_circuit_num_params(c), "%s", what);
    free(t1);
    free(t2);
    return back;
}

Test(qasm_write, every_conformance_circuit_round_trips)
{
    DIR *d = opendir(ref_shared("conformance/circuits"));
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".qasm"))
            continue;
        char rel[300];
        snprintf(rel, sizeof rel, "conformance/circuits/%s", e->d_name);
        qs_circuit *c;
        cr_assert_eq(qs_circuit_parse_file(ref_shared(rel), 0, &c), QS_OK, "%s", qs_last_error());
        for (unsigned flags = 0; flags <= QS_QASM_3; flags++) {
            qs_circuit *back = round_trip(c, flags, e->d_name);
            qs_circuit_destroy(back);
        }
        qs_circuit_destroy(c);
        n++;
    }
    closedir(d);
    cr_assert(n >= 51);
}

/* Exact equality of two circuits' unitaries (no phase freedom). */
static void same_unitary(const qs_circuit *a, const qs_circuit *b, const double *prm, size_t np)
{
    int n = qs_circuit_num_qubits(a);
    size_t d = (size_t)1 << n;
    double *ua = malloc(sizeof(double) * 2 * d * d), *ub = malloc(sizeof(double) * 2 * d * d);
    cr_assert_eq(qs_circuit_unitary(a, prm, np, ua), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_circuit_unitary(b, prm, np, ub), QS_OK, "%s", qs_last_error());
    double diff = ref_maxdiff((cplx *)ua, (cplx *)ub, d * d);
    cr_assert(diff < 1e-12, "unitaries differ by %g", diff);
    free(ua);
    free(ub);
}

Test(qasm_write, every_gate_pauli_rotations_qft_and_phases_with_parameters)
{
    qs_circuit *c;
    qs_circuit_create(5, 0, &c);
    int ia, ib;
    qs_circuit_add_param(c, "a", &ia);
    qs_circuit_add_param(c, "b", &ib);
    const char *ex[4] = {"a", "2*b - 0.3", "sin(a)^2", "-b/3"};
    for (int g = 0; g < QS_NUM_GATES; g++) {
        int q[5] = {(g + 0) % 5, (g + 1) % 5, (g + 2) % 5, (g + 3) % 5, (g + 4) % 5};
        cr_assert_eq(qs_circuit_append_gate_expr(c, (qs_gate)g, q, ex), QS_OK, "%s: %s",
                     qs_gate_name((qs_gate)g), qs_last_error());
    }
    int pq[4] = {4, 0, 2, 1};
    qs_circuit_append_pauli_rotation(c, pq, "XYZI", 4, "a*b");
    qs_circuit_append_pauli_rotation(c, pq, "YY", 2, "0.7");
    qs_circuit_append_pauli_rotation(c, pq, "II", 2, "b");
    qs_circuit_append_qft(c, 1, 4, 0);
    qs_circuit_append_qft(c, 0, 3, QS_QFT_INVERSE);
    qs_circuit_append_global_phase(c, "a - b");
    qs_circuit_append_barrier(c, NULL, 0);
    char *text = qt_write(c, 0);
    const char *head = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] a;\n"
                       "input float[64] b;\n";
    cr_assert(!strncmp(text, head, strlen(head)), "%s", text);
    qs_circuit *back = NULL;
    cr_assert_eq(qs_circuit_parse_string(text, "<export>", 0, &back), QS_OK, "%s", qs_last_error());
    for (int k = 0; k < 3; k++) {
        double prm[2] = {0.4 + k, -1.3 + 0.7 * k};
        same_unitary(c, back, prm, 2);
    }
    /* The text names the table gates outside stdgates.inc once each and
     * calls them by name (the parser maps the definitions back). */
    cr_assert(strstr(text, "gate c4x a,b,c,d,e {") && strstr(text, "\nc4x "), "%s", text);
    const char *first = strstr(text, "gate cu1(");
    cr_assert(first && !strstr(first + 1, "gate cu1("), "cu1 is defined once:\n%s", text);
    free(text);
    qs_circuit_destroy(back);
    qs_circuit_destroy(c);
}

Test(qasm_write, version_follows_what_the_circuit_needs)
{
    qs_circuit *c = qt_parse("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[2] c;\n"
                             "h q[0];\nc = measure q;\n", 0);
    char *t = qt_write(c, 0);
    const char *head = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n";
    cr_assert(!strncmp(t, head, strlen(head)), "%s", t);
    free(t);
    t = qt_write(c, QS_QASM_3);
    cr_assert(strstr(t, "qubit[2] q;\nbit[2] c;\n") && strstr(t, "c[1] = measure q[1];"), "%s", t);
    free(t);
    qs_circuit_destroy(c);
    /* A discarded measurement needs 3.0. */
    c = qt_parse("OPENQASM 3.0;\nqubit[1] q;\nmeasure q[0];\n", 0);
    t = qt_write(c, 0);
    cr_assert(!strncmp(t, "OPENQASM 3.0;", 13) && strstr(t, "\nmeasure q[0];\n"), "%s", t);
    free(t);
    qs_circuit_destroy(c);
}

Test(qasm_write, api_circuits_get_default_registers)
{
    qs_circuit *c;
    qs_circuit_create(3, 2, &c);
    int q[2] = {0, 2};
    qs_circuit_append_gate(c, QS_GATE_CX, q, NULL);
    qs_circuit_append_measure(c, 2, 1);
    qs_circuit_append_gate(c, QS_GATE_X, q, NULL);
    qs_circuit_set_condition(c, 0, 2, 2);
    qs_circuit_append_barrier(c, NULL, 0);
    char *t = qt_write(c, 0);
    cr_assert_str_eq(t, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg c[2];\n"
                        "cx q[0], q[2];\nmeasure q[2] -> c[1];\nif(c==2) x q[0];\n"
                        "barrier q[0], q[1], q[2];\n");
    free(t);
    /* A condition on one bit of several needs 3.0. */
    qs_circuit_append_gate(c, QS_GATE_X, q, NULL);
    qs_circuit_set_condition(c, 1, 1, 1);
    t = qt_write(c, 0);
    cr_assert(strstr(t, "OPENQASM 3.0;") && strstr(t, "if (c[1] == 1) { x q[0]; }"), "%s", t);
    free(t);
    qs_circuit_destroy(round_trip(c, 0, "api"));
    qs_circuit_destroy(c);
}

Test(qasm_write, unsupported_operations_and_small_buffers)
{
    qs_circuit *c;
    qs_circuit_create(2, 3, &c);
    double m[8] = {0, 0, 1, 0, 1, 0, 0, 0};
    int q = 1;
    qs_circuit_append_gate(c, QS_GATE_H, &q, NULL);
    char buf[16];
    size_t len = 0;
    cr_assert_eq(qs_circuit_write_qasm(c, 0, buf, sizeof buf, &len), QS_ERANGE);
    cr_assert_gt(len, sizeof buf);
    cr_assert(strstr(qs_last_error(), "needs"), "%s", qs_last_error());
    cr_assert_eq(qs_circuit_write_qasm(c, 0, NULL, 0, NULL), QS_ERANGE);
    cr_assert_eq(qs_circuit_write_qasm(c, 8, buf, sizeof buf, &len), QS_EINVAL);
    /* A condition on two of three bits cannot be written. */
    qs_circuit_append_gate(c, QS_GATE_X, &q, NULL);
    qs_circuit_set_condition(c, 0, 2, 1);
    cr_assert_eq(qs_circuit_write_qasm(c, 0, NULL, 0, &len), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "classical bits [0, 2)"), "%s", qs_last_error());
    qs_circuit_destroy(c);
    qs_circuit_create(1, 0, &c);
    int q0 = 0;
    cr_assert_eq(qs_circuit_append_matrix(c, &q0, 1, m), QS_OK);
    cr_assert_eq(qs_circuit_write_qasm(c, 0, NULL, 0, &len), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "dense matrix"), "%s", qs_last_error());
    qs_circuit_destroy(c);
}

Test(qasm_write, files_are_replaced_whole)
{
    char dir[] = "/tmp/qsim_w_XXXXXX", path[256];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.qasm", dir);
    qt_write_file(path, "old content\n");
    qs_circuit *c = qt_parse("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg r[2];\nh r;\n", 0);
    cr_assert_eq(qs_circuit_write_qasm_file(c, path, 0), QS_OK, "%s", qs_last_error());
    char *t = qt_read_file(path);
    cr_assert_str_eq(t, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg r[2];\nh r[0];\nh r[1];\n");
    free(t);
    snprintf(path, sizeof path, "%s/no/such/dir/out.qasm", dir);
    cr_assert_eq(qs_circuit_write_qasm_file(c, path, 0), QS_EIO);
    qs_circuit_destroy(c);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(qasm_write, edge_cases_found_by_fuzzing)
{
    /* A barrier on every qubit of a circuit that has none needs 3.0. */
    qs_circuit *c = qt_parse("OPENQASM 3.0;\nbarrier;\n", 0);
    qs_circuit_destroy(round_trip(c, 0, "barrier"));
    qs_circuit_destroy(c);
    /* Long parameter names in long expressions. */
    char name[201], text[8192], *p = text;
    memset(name, 'p', 200);
    name[200] = '\0';
    p += sprintf(p, "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] %s;\nqubit[1] q;\n"
                 "rx(%s", name, name);
    for (int i = 0; i < 20; i++)
        p += sprintf(p, " + %s", name);
    sprintf(p, ") q[0];\n");
    c = qt_parse(text, 0);
    qs_circuit_destroy(round_trip(c, 0, "long names"));
    qs_circuit_destroy(c);
    /* 3.0 keywords as 2.0 register names cannot be written as 3.0. */
    c = qt_parse("OPENQASM 2.0;\nqreg bit[1];\nU(1, 2, 3) bit[0];\n", 0);
    size_t len;
    cr_assert_eq(qs_circuit_write_qasm(c, QS_QASM_3, NULL, 0, &len), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "'bit' is a keyword of OpenQASM 3"), "%s", qs_last_error());
    qs_circuit_destroy(round_trip(c, 0, "bit register"));
    qs_circuit_destroy(c);
}
