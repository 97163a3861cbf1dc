/*
 * test_qasm_errors.c - every kind of malformed program gets a status and a
 * located message naming the token and what was expected; no circuit is
 * returned.  One test per error kind of the issue, then a table of the
 * others.
 */
#include "../support/qasmt.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"
#define HEAD3 "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

Test(qasm_errors, undefined_gate)
{
    qt_error(HEAD "qreg q[2];\n  foo q[0];\n", 0, QS_EPARSE, 4, 3, "undefined gate 'foo'");
    qt_error("OPENQASM 2.0;\nqreg q[1];\nh q[0];\n", 0, QS_EPARSE, 3, 1,
             "undefined gate 'h' (add 'include \"qelib1.inc\";')");
}

Test(qasm_errors, wrong_number_of_parameters)
{
    qt_error(HEAD "qreg q[2];\nrx(0.1, 0.2) q[0];\n", 0, QS_EPARSE, 4, 1,
             "gate 'rx' takes 1 parameter, but 2 are given");
    qt_error(HEAD "qreg q[2];\ngate g(a, b) x { rz(a) x; }\ng(1) q[0];\n", 0, QS_EPARSE, 5, 1,
             "gate 'g' takes 2 parameters, but 1 is given");
}

Test(qasm_errors, wrong_number_of_qubits)
{
    qt_error(HEAD "qreg q[3];\ncx q[0];\n", 0, QS_EPARSE, 4, 1,
             "gate 'cx' takes 2 qubits, but 1 is given");
    qt_error(HEAD "qreg q[3];\ngate g a { x a; }\ng q[0], q[1];\n", 0, QS_EPARSE, 5, 1,
             "gate 'g' takes 1 qubit, but 2 are given");
}

Test(qasm_errors, index_out_of_range)
{
    qt_error(HEAD "qreg q[2];\nh q[2];\n", 0, QS_EPARSE, 4, 5,
             "index 2 out of range: qreg 'q' has 2 qubits (indices 0 to 1)");
    qt_error(HEAD "qreg q[2];\ncreg c[1];\nmeasure q[0] -> c[7];\n", 0, QS_EPARSE, 5, 19,
             "index 7 out of range: creg 'c' has 1 bit");
}

Test(qasm_errors, same_qubit_twice)
{
    qt_error(HEAD "qreg q[2];\ncx q[1], q[1];\n", 0, QS_EPARSE, 4, 10,
             "the same qubit q[1] is qubit argument 1 and 2 of 'cx'");
    /* In a broadcast, as soon as the pairing repeats a qubit. */
    qt_error(HEAD "qreg q[2];\ncx q[0], q;\n", 0, QS_EPARSE, 4, 10,
             "the same qubit q[0] is qubit argument 1 and 2 of 'cx'");
    qt_error(HEAD "gate g a, b { cx a, a; }\n", 0, QS_EPARSE, 3, 21,
             "qubit 'a' is used twice in this gate");
}

Test(qasm_errors, register_size_mismatch_in_broadcast)
{
    qt_error(HEAD "qreg a[2];\nqreg b[3];\ncx a, b;\n", 0, QS_EPARSE, 5, 7,
             "register size mismatch in 'cx': 'a' has 2 qubits, 'b' has 3");
    qt_error(HEAD "qreg a[2];\ncreg c[3];\nmeasure a -> c;\n", 0, QS_EPARSE, 5, 14,
             "cannot measure a (2 qubits) into c (3 bits): sizes differ");
}

Test(qasm_errors, missing_semicolon)
{
    /* Reported right after the statement, naming what follows. */
    qt_error(HEAD "qreg q[2];\nh q[0]\ncx q[0], q[1];\n", 0, QS_EPARSE, 4, 7,
             "expected ';' before 'cx'");
    qt_error(HEAD "qreg q[2]\n", 0, QS_EPARSE, 3, 10, "expected ';' before end of file");
}

Test(qasm_errors, unterminated_comment)
{
    qt_error(HEAD "qreg q[1];\n  /* no end\nh q[0];\n", 0, QS_EPARSE, 4, 3,
             "unterminated comment: '/*' without '*/'");
    /* Inside an expression too. */
    qt_error(HEAD "qreg q[1];\nrx(1 /* no end) q[0];\n", 0, QS_EPARSE, 4, 6,
             "unterminated comment");
}

Test(qasm_errors, unknown_include)
{
    qt_error(HEAD "include \"no/such/file.inc\";\n", 0, QS_EIO, 3, 1,
             "cannot open include file 'no/such/file.inc': No such file or directory");
}

Test(qasm_errors, register_too_large_to_simulate)
{
    qt_error(HEAD "qreg a[40];\nqreg big[21];\n", 0, QS_ETOOBIG, 4, 6,
             "register too large to simulate: 'big' brings the program to 61 qubits, more than "
             "the 60 a state vector can have");
    /* With the memory check, against what is available. */
    setenv("QSIM_MEMORY_LIMIT", "1M", 1);
    qt_error(HEAD "qreg a[10];\nqreg b[7];\n", QS_PARSE_CHECK_MEMORY, QS_ETOOBIG, 4, 6,
             "register too large to simulate: with 'b' the state of 17 qubits needs 0.00195 GiB");
    qs_circuit *c = qt_parse(HEAD "qreg a[10];\nqreg b[6];\n",
                             QS_PARSE_CHECK_MEMORY | QS_PARSE_F32);   /* 512 KiB fits */
    qs_circuit_destroy(c);
    unsetenv("QSIM_MEMORY_LIMIT");
}

/* The other errors: program, status, line, column, message. */
static const struct bad {
    const char *text;
    qs_status st;
    int line, col;
    const char *msg;
} bad[] = {
    {"OPENQASM 4.0;\n", QS_EPARSE, 1, 10, "OpenQASM version 4.0 is not supported"},
    {"OPENQASM;\n", QS_EPARSE, 1, 9, "expected a version number after 'OPENQASM', found ';'"},
    {HEAD "OPENQASM 2.0;\n", QS_EPARSE, 3, 1, "'OPENQASM' may only begin the program"},
    {HEAD "qreg q[1];\nh r[0];\n", QS_EPARSE, 4, 3, "undefined qreg 'r'"},
    {HEAD "qreg q[1];\ncreg c[1];\nmeasure c[0] -> q[0];\n", QS_EPARSE, 5, 9,
     "'c' is a creg, but a qreg is expected here"},
    {HEAD "qreg q[1];\ncreg q[2];\n", QS_EPARSE, 4, 6, "'q' is already declared, as a qreg at line 3"},
    {HEAD "qreg q[0];\n", QS_EPARSE, 3, 6, "register 'q' has size 0"},
    {HEAD "qreg q[99999999999];\n", QS_EPARSE, 3, 8, "99999999999 is too large"},
    {HEAD "qreg gate[1];\n", QS_EPARSE, 3, 6, "'gate' is a keyword and cannot name a quantum register"},
    {HEAD "gate cu(a,b,c,d) x,y { }\n", QS_EPARSE, 3, 6, "gate 'cu' is already defined by qelib1.inc"},
    {HEAD "gate U a { }\n", QS_EPARSE, 3, 6, "'U' is a built-in gate and cannot be redefined"},
    {HEAD "gate g a { }\ngate g b { }\n", QS_EPARSE, 4, 6, "gate 'g' is already defined at line 3"},
    {HEAD "opaque magic(t) a;\nqreg q[1];\nmagic(1) q[0];\n", QS_EUNSUPPORTED, 5, 1,
     "gate 'magic' is opaque: it is declared without a definition"},
    {HEAD "qreg q[1];\nrx(theta) q[0];\n", QS_EPARSE, 4, 4, "unknown identifier 'theta' in expression"},
    {HEAD "qreg q[1];\nrx(1 + ) q[0];\n", QS_EPARSE, 4, 8, "expected an expression, found ')'"},
    {HEAD "qreg q[1];\nrx((1 + 2) q[0];\n", QS_EPARSE, 4, 12, "expected ',' or ')' after an argument, found 'q'"},
    {HEAD "qreg q[1];\nrx(1 2) q[0];\n", QS_EPARSE, 4, 6, "expected ',' or ')' after an argument, found '2'"},
    {HEAD "qreg q[1];\nrx(sin 1) q[0];\n", QS_EPARSE, 4, 8, "expected '(' after a function name"},
    {"OPENQASM 2.0;\ninclude \"qelib1.inc;\n", QS_EPARSE, 2, 9, "unterminated string"},
    {HEAD "qreg q[1];\nh q[0] # comment;\n", QS_EPARSE, 4, 7, "expected ';' before '#'"},
    {HEAD "qreg q[1];\ncreg c[2];\nif(c==4) x q[0];\n", QS_EPARSE, 5, 7, "4 does not fit in the 2 bits of 'c'"},
    {HEAD "qreg q[1];\ncreg c[2];\nif(c==1) barrier q;\n", QS_EPARSE, 5, 10,
     "expected a gate, measure or reset after the condition, found 'barrier'"},
    {HEAD "qreg q[1];\ncreg c[2];\nif(q==1) x q[0];\n", QS_EPARSE, 5, 4, "'q' is a qreg, but a creg is expected here"},
    {HEAD "gate g(x) a { rz(y) a; }\n", QS_EPARSE, 3, 18, "'y' is not a parameter of gate 'g'"},
    {HEAD "gate g a { h b; }\n", QS_EPARSE, 3, 14, "'b' is not a qubit argument of gate 'g'"},
    {HEAD "gate g a { h a[0]; }\n", QS_EPARSE, 3, 15, "qubit arguments of a gate are single qubits"},
    {HEAD "gate g a { g a; }\n", QS_EPARSE, 3, 12, "gate 'g' cannot use itself"},
    {HEAD "gate g a { measure a -> c; }\n", QS_EPARSE, 3, 12, "'measure' is not allowed in the body of gate 'g'"},
    {HEAD "gate g(x, x) a { }\n", QS_EPARSE, 3, 11, "'x' is declared twice in this definition"},
    {HEAD "gate g(pi) a { }\n", QS_EPARSE, 3, 8, "'pi' is a keyword"},
    {HEAD "gate g(sin) a { }\n", QS_EPARSE, 3, 8, "'sin' is a constant or function of expressions"},
    {HEAD "gate g a { h a;\n", QS_EPARSE, 4, 1, "expected '}' to end the body of gate 'g' (begun at line 3), found end of file"},
    {HEAD "gate g { }\n", QS_EPARSE, 3, 8, "expected a name for the qubit argument, found '{'"},
    {HEAD "qreg q[1];\ninput float[64] theta;\n", QS_EPARSE, 4, 1,
     "undefined gate 'input' ('input', 'qubit', 'bit' and 'gphase' are OpenQASM 3"},
    {HEAD "qreg q[1];\ncreg c[1];\nc[0] = measure q[0];\n", QS_EPARSE, 5, 1,
     "assignments such as 'c[0] = measure q[0];' are OpenQASM 3"},
    {HEAD "qreg q[1];\nsx q[0];\n", QS_EPARSE, 4, 1, "not in OpenQASM 2.0's qelib1.inc: strict mode"},
    {HEAD "qreg q[1];\nryy(1) q[0], q[0];\n", QS_EPARSE, 4, 1, "undefined gate 'ryy' (not in the included headers"},
    {HEAD3 "qubit[2] q;\nfor int i in [0:1] { h q[i]; }\n", QS_EUNSUPPORTED, 4, 1, "OpenQASM 3 'for' is not supported"},
    {HEAD3 "qubit[2] q;\nctrl @ x q[0], q[1];\n", QS_EUNSUPPORTED, 4, 1, "gate modifiers (ctrl @) are not supported"},
    {HEAD3 "input int n;\n", QS_EUNSUPPORTED, 3, 7, "inputs of type 'int' are not supported"},
    {HEAD3 "input float[64] pi;\n", QS_EPARSE, 3, 17, "'pi' is a keyword"},
    {HEAD3 "input float[64] sin;\n", QS_EPARSE, 3, 17, "'sin' cannot be a parameter name"},
    {HEAD3 "qubit[1] q;\nbit[2] c;\nif (c == 1) { x q[0]; } else { z q[0]; }\n", QS_EUNSUPPORTED, 5, 25,
     "'else' after a condition on 2 bits is not supported"},
    {HEAD3 "qubit[1] q;\nbit[2] c;\nif (c[0]) { if (c[1]) { x q[0]; } }\n", QS_EUNSUPPORTED, 5, 13,
     "nested conditions are not supported"},
    {HEAD3 "qubit[1] q;\nbit[2] c;\nif (c) { x q[0]; }\n", QS_EUNSUPPORTED, 5, 5,
     "a condition on the 2 bits of 'c' needs '== value'"},
    {"OPENQASM 2.0;\ninclude \"stdgates.inc\";\n", QS_EPARSE, 2, 1, "stdgates.inc is OpenQASM 3's library"},
    {HEAD3 "qubit[1] q;\ngphase(1, 2);\n", QS_EPARSE, 4, 9, "expected ')', found ','"},
};

Test(qasm_errors, table_of_other_errors)
{
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        unsigned flags = strstr(bad[i].msg, "strict mode") ? QS_PARSE_STRICT : 0;
        qt_error(bad[i].text, flags, bad[i].st, bad[i].line, bad[i].col, bad[i].msg);
    }
}

Test(qasm_errors, strict_mode_refuses_openqasm3)
{
    qt_error(HEAD3, QS_PARSE_STRICT, QS_EPARSE, 1, 10, "strict mode reads OpenQASM 2.0 only");
}

/* Without a version line a program is OpenQASM 2.0 with a warning (as
 * Qiskit reads it); strict mode refuses it. */
Test(qasm_errors, no_version_line)
{
    const char *text = "// no header\ninclude \"qelib1.inc\";\nqreg q[1];\nh q[0];\n";
    qt_error(text, QS_PARSE_STRICT, QS_EPARSE, 2, 1,
             "expected 'OPENQASM 2.0;' (or 'OPENQASM 3.0;') to begin");
    qs_circuit *c;
    cr_assert_eq(qs_circuit_parse_string(text, "nohead.qasm", 0, &c), QS_OK, "%s", qs_last_error());
    cr_assert_str_eq(qs_last_warning(),
                     "nohead.qasm:2:1: warning: no 'OPENQASM' version line: read as OpenQASM 2.0\n");
    cr_assert_eq(qs_circuit_num_ops(c), 1);
    qs_circuit_destroy(c);
    cr_assert_eq(qs_circuit_parse_string("OPENQASM 2.0;\n", "x", 0, &c), QS_OK);
    cr_assert_str_eq(qs_last_warning(), "");
    qs_circuit_destroy(c);
    /* 3.0 words stay names in a program read as 2.0. */
    qt_error("qreg q[1];\nbit b;\n", 0, QS_EPARSE, 2, 1, "undefined gate 'bit'");
}

Test(qasm_errors, recursive_include_and_nul_byte)
{
    char dir[] = "/tmp/qsim_err_XXXXXX", a[256], b[256];
    cr_assert(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.inc", dir);
    snprintf(b, sizeof b, "%s/b.inc", dir);
    qt_write_file(a, "gate ga q { x q; }\ninclude \"b.inc\";\n");
    qt_write_file(b, "\n  include \"a.inc\";\n");
    char main[256];
    snprintf(main, sizeof main, "%s/main.qasm", dir);
    qt_write_file(main, HEAD "include \"a.inc\";\n");
    qs_circuit *c = NULL;
    cr_assert_eq(qs_circuit_parse_file(main, 0, &c), QS_EPARSE);
    const char *file, *msg;
    int line, col;
    cr_assert(qs_last_error_location(&file, &line, &col, &msg));
    cr_assert_str_eq(file, b);
    cr_assert(line == 2 && col == 3, "%d:%d", line, col);
    cr_assert(strstr(msg, "recursive include"), "%s", msg);
    /* A NUL byte in a file is reported where it is. */
    FILE *f = fopen(main, "wb");
    fwrite(HEAD "qreg q[1];\nh\0 q[0];\n", 1, sizeof HEAD + 17, f);
    fclose(f);
    cr_assert_eq(qs_circuit_parse_file(main, 0, &c), QS_EPARSE);
    cr_assert(qs_last_error_location(&file, &line, &col, &msg));
    cr_assert(line == 4 && col == 2 && strstr(msg, "NUL byte"), "%d:%d %s", line, col, msg);
    /* A missing file is not a located error. */
    snprintf(main, sizeof main, "%s/none.qasm", dir);
    cr_assert_eq(qs_circuit_parse_file(main, 0, &c), QS_EIO);
    cr_assert_not(qs_last_error_location(NULL, NULL, NULL, NULL));
    cr_assert(strstr(qs_last_error(), "none.qasm"));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(qasm_errors, hostile_nesting_is_bounded)
{
    /* Definitions doubling at every level: refused by depth, not run. */
    size_t cap = 1 << 16;
    char *text = malloc(cap), *p = text;
    p += sprintf(p, HEAD "gate g0 a { x a; }\n");
    for (int i = 1; i <= 70; i++)
        p += sprintf(p, "gate g%d a { g%d a; g%d a; }\n", i, i - 1, i - 1);
    qt_error(text, 0, QS_EPARSE, 67, 6, "gate 'g64' nests gate definitions more than 64 deep");
    /* Expressions that double at every level: refused by length. */
    p = text + sprintf(text, HEAD "gate e0(x) a { rz(x) a; }\n");
    for (int i = 1; i <= 12; i++)
        p += sprintf(p, "gate e%d(x) a { e%d(x+x) a; }\n", i, i - 1);
    sprintf(p, "qreg q[1];\ne12(0.5) q[0];\n");
    qs_circuit *c = qt_parse(text, 0);   /* constants fold */
    qs_circuit_destroy(c);
    sprintf(p, "qreg q[1];\ne12(0.5) q[0];\n");
    p = strstr(text, "include");
    char *sym = malloc(cap);
    sprintf(sym, "OPENQASM 3.0;\n%s", p);
    char *q = strstr(sym, "qreg q[1];");
    sprintf(q, "input float[64] t;\nqubit[1] q;\ne12(t) q[0];\n");
    qt_error(sym, 0, QS_ETOOBIG, 18, 1, "an argument of 'e4' becomes longer than 512 terms");
    free(sym);
    free(text);
}

Test(qasm_errors, bad_arguments)
{
    qs_circuit *c = (qs_circuit *)1;
    cr_assert_eq(qs_circuit_parse_string(NULL, "x", 0, &c), QS_EINVAL);
    cr_assert_eq(qs_circuit_parse_string(HEAD, "x", 0, NULL), QS_EINVAL);
    cr_assert_eq(qs_circuit_parse_string(HEAD, "x", 1u << 9, &c), QS_EINVAL);
    cr_assert_null(c);
    cr_assert_eq(qs_circuit_parse_file(NULL, 0, &c), QS_EINVAL);
    cr_assert_eq(qs_circuit_parse_file("/", 0, &c), QS_EIO);
    cr_assert(strstr(qs_last_error(), "directory"), "%s", qs_last_error());
}
