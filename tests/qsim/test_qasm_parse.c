/*
 * test_qasm_parse.c - the OpenQASM front end on valid programs: tokens,
 * expression values and precedence, broadcast, gate definitions (each of
 * qelib1.inc's against the gate table), if, includes, the OpenQASM 3
 * forms, and parameters that stay symbolic.
 */
#include "../support/qasmt.h"
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"

/* The operations of a program as written back (see qt_ops). */
static char *ops_of(const char *text)
{
    qs_circuit *c = qt_parse(text, 0);
    char *w = qt_write(c, 0);
    char *ops = strdup(qt_ops(w));
    free(w);
    qs_circuit_destroy(c);
    return ops;
}

static void expect_ops(const char *text, const char *want)
{
    char *got = ops_of(text);
    cr_assert_str_eq(got, want, "\n--- program:\n%s", text);
    free(got);
}

/* ----------------------------------------------------------------- lexer */

Test(qasm_lexer, comments_blanks_and_line_endings)
{
    expect_ops("\xEF\xBB\xBF// a byte-order mark, then a comment\r\n"
               "OPENQASM /* inside */ 2.0 ;\r\ninclude\t\"qelib1.inc\";\r\n"
               "qreg q[2];/* a\nmulti-line\ncomment */cx q[0],q[1];// trailing\n"
               "h\tq[1]\n;\n",
               "cx q[0], q[1];\nh q[1];\n");
}

Test(qasm_lexer, tokens_without_blanks)
{
    expect_ops(HEAD "qreg q[2];creg c[2];measure q[0]->c[0];if(c==1)x q[1];u3(1.,.5,2e-1)q[0];",
               "measure q[0] -> c[0];\nif(c==1) x q[1];\nu3(1, 0.5, 0.20000000000000001) q[0];\n");
}

Test(qasm_lexer, lines_and_columns_count_bytes_after_comments_and_tabs)
{
    /* The index is on line 6, column 7 (a tab counts as one column). */
    qt_error(HEAD "/* one\ntwo */ qreg q[1];\n\n\t h q[1];\n", 0, QS_EPARSE, 6, 7,
             "index 1 out of range");
    qt_error(HEAD "qreg q[1]; // comment\n  $ q;\n", 0, QS_EPARSE, 4, 3,
             "expected a statement, found '$'");
}

Test(qasm_lexer, identifiers_and_numbers)
{
    /* Names with digits and underscores, upper case, and every real form. */
    expect_ops(HEAD "qreg Q_1[1];\ngate My_gate2(a_1) x_ { rz(a_1) x_; }\n"
               "My_gate2(2.5E+2/250 + 1e-3*1000 + .5 + 1.) Q_1[0];\n",
               "rz(3.5) Q_1[0];\n");
}

/* ----------------------------------------------------------- expressions */

/* The value of an expression: the phase of u1(value) applied to |1>. */
static double value_of(const char *e)
{
    char text[1024];
    snprintf(text, sizeof text, HEAD "qreg q[1];\nu1(%s) q[0];\n", e);
    qs_circuit *c = qt_parse(text, 0);
    double u[8];
    cr_assert_eq(qs_circuit_unitary(c, NULL, 0, u), QS_OK, "%s", qs_last_error());
    qs_circuit_destroy(c);
    return atan2(u[7], u[6]);
}

Test(qasm_expressions, precedence_and_functions)
{
    struct { const char *e; double want; } cases[] = {
        {"-2^2", -4}, {"2^3^2/512", 1}, {"2**3**2/512", 1}, {"1-2-3", -4}, {"8/2/2", 2},
        {"-(1+2)*-1", 3}, {"2*3+4", 10}, {"2+3*4", 14}, {"(2+3)*4", 20}, {"-2*-2", 4},
        {"2^-1", 0.5}, {"--1", 1}, {"-pi/2", -M_PI / 2}, {"pi", M_PI}, {"sin(pi/2)", 1},
        {"cos(0)+tan(0)", 1}, {"exp(0)+ln(1)", 1}, {"sqrt(4)", 2}, {"asin(1)*2/pi", 1},
        {"acos(1)", 0}, {"atan(1)*4", M_PI}, {"1.", 1}, {".5", 0.5}, {"1e-3*1000", 1},
        {"2.5E+2/100", 2.5}, {"3 /* comment */ - 1", 2}, {"abs(-1.5)", 1.5},
        {"\xCF\x80/4", M_PI / 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double d = remainder(value_of(cases[i].e) - cases[i].want, 2 * M_PI);
        cr_assert(fabs(d) < 1e-12, "%s: off by %g", cases[i].e, d);
    }
}

Test(qasm_expressions, long_numbers_as_exporters_write_them)
{
    /* Qiskit writes 1e-300 * x as a decimal with 300 zeros. */
    char text[2048], num[400] = "0.";
    for (int i = 0; i < 299; i++)
        strcat(num, "0");
    strcat(num, "1");
    snprintf(text, sizeof text, HEAD "qreg q[1];\nrz(%s*1e300) q[0];\n", num);
    char *ops = ops_of(text);
    cr_assert(strstr(ops, "rz(1) q[0];") || strstr(ops, "rz(0.99999999999999"), "%s", ops);
    free(ops);
}

/* ------------------------------------------------------------- broadcast */

Test(qasm_broadcast, registers_of_equal_size_and_qubit_against_register)
{
    expect_ops(HEAD "qreg a[2];\nqreg b[2];\nqreg c[1];\ncreg m[2];\n"
               "h a;\ncx a, b;\ncx c[0], a;\nccx a, b, c[0];\nreset b;\nmeasure a -> m;\n"
               "rx(0.5) b;\nbarrier a, c[0], a[1];\n",
               "h a[0];\nh a[1];\ncx a[0], b[0];\ncx a[1], b[1];\ncx c[0], a[0];\n"
               "cx c[0], a[1];\nccx a[0], b[0], c[0];\nccx a[1], b[1], c[0];\nreset b[0];\n"
               "reset b[1];\nmeasure a[0] -> m[0];\nmeasure a[1] -> m[1];\nrx(0.5) b[0];\n"
               "rx(0.5) b[1];\nbarrier a[0], a[1], c[0];\n");
}

Test(qasm_broadcast, user_gates_broadcast_too)
{
    expect_ops(HEAD "qreg a[2];\nqreg b[2];\ngate g(t) x, y { rz(t) x; cx x, y; }\n"
               "g(0.25) a, b;\n",
               "rz(0.25) a[0];\ncx a[0], b[0];\nrz(0.25) a[1];\ncx a[1], b[1];\n");
}

/* ------------------------------------------------------ gate definitions */

Test(qasm_gates, nested_definitions_evaluate_parameters_in_the_body)
{
    expect_ops(HEAD "qreg q[2];\n"
               "gate inner(x) a { rz(x/2) a; }\n"
               "gate middle(x, y) a, b { inner(x*y) b; cx a, b; inner(-x) a; }\n"
               "gate outer(z) a, b { middle(z, 2) b, a; barrier a, b; U(z, 0, pi) a; CX a, b; }\n"
               "outer(0.5) q[0], q[1];\n",
               "rz(0.5) q[0];\ncx q[1], q[0];\nrz(-0.25) q[1];\nbarrier q[0], q[1];\n"
               "u(0.5, 0, 3.1415926535897931) q[0];\ncx q[0], q[1];\n");
}

Test(qasm_gates, empty_body_and_opaque_declaration)
{
    expect_ops(HEAD "qreg q[1];\ngate nothing a { }\nopaque magic(x) a, b;\nnothing q[0];\nx q;\n",
               "x q[0];\n");
}

Test(qasm_gates, definitions_equal_to_table_gates_run_as_the_table_gate)
{
    /* Qiskit's qasm2 export defines the gates outside qelib1.inc; they
     * become table rows again (the written text uses the name, no body). */
    expect_ops(HEAD "gate ryy(param0) q0,q1 { sxdg q0; sxdg q1; cx q0,q1; rz(param0) q1; "
               "cx q0,q1; sx q0; sx q1; }\n"
               "gate ecr q0,q1 { s q0; sx q1; cx q0,q1; x q0; }\n"
               "qreg q[2];\nryy(0.3) q[0], q[1];\necr q[1], q[0];\n",
               "ryy(0.29999999999999999) q[0], q[1];\necr q[1], q[0];\n");
    /* A definition that differs keeps its own meaning. */
    expect_ops(HEAD "gate iswap a,b { cx a,b; }\nqreg q[2];\niswap q[0], q[1];\n",
               "cx q[0], q[1];\n");
}

/* Appends `suffix` to every identifier of text that is a gate name. */
static char *rename_gates(const char *text, const char *suffix)
{
    size_t n = strlen(text);
    char *out = malloc(2 * n + 1), *o = out;
    for (const char *p = text; *p;) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)(p - s), s);
            qs_gate g;
            memcpy(o, s, (size_t)(p - s));
            o += p - s;
            if (strcmp(word, "U") && strcmp(word, "CX") && qs_gate_lookup(word, &g) == QS_OK)
                o += sprintf(o, "%s", suffix);
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

Test(qasm_gates, every_qelib1_definition_equals_the_table_up_to_global_phase)
{
    /* The shared qelib1.inc with its gates renamed (h -> h_def) is read as
     * user definitions expanded down to U and CX; each must equal the
     * table's matrix up to a global phase. */
    char *lib = qt_read_file(ref_shared("conformance/qelib1.inc"));
    cr_assert(lib);
    char *renamed = rename_gates(lib, "_def");
    int checked = 0;
    for (int g = 0; g < QS_NUM_GATES; g++) {
        const char *name = qs_gate_name((qs_gate)g);
        char pat[64];
        snprintf(pat, sizeof pat, "gate %s_def", name);
        if (!strstr(renamed, pat))
            continue;   /* a table gate outside qelib1.inc */
        int nq = qs_gate_num_qubits((qs_gate)g), np = qs_gate_num_params((qs_gate)g);
        double prm[4] = {0.3, -1.1, 2.2, 0.7};
        size_t len = strlen(renamed) + 512;
        char *text = malloc(len), *p = text;
        p += sprintf(p, "OPENQASM 2.0;\n%s\nqreg q[%d];\n%s_def", renamed, nq, name);
        for (int a = 0; a < np; a++)
            p += sprintf(p, "%s%.17g", a ? "," : "(", prm[a]);
        p += sprintf(p, "%s", np ? ")" : "");
        for (int j = 0; j < nq; j++)
            p += sprintf(p, "%sq[%d]", j ? "," : " ", j);
        sprintf(p, ";\n");
        qs_circuit *c = qt_parse(text, 0);
        size_t d = (size_t)1 << nq;
        double *ud = malloc(sizeof(double) * 2 * d * d), *ut = malloc(sizeof(double) * 2 * d * d);
        cr_assert_eq(qs_circuit_unitary(c, NULL, 0, ud), QS_OK, "%s", qs_last_error());
        cr_assert_eq(qs_gate_matrix((qs_gate)g, prm, ut), QS_OK);
        double diff = ref_maxdiff_phase((cplx *)ut, (cplx *)ud, d * d);
        cr_assert(diff < 1e-12, "qelib1.inc's %s differs from the table by %g", name, diff);
        free(ud);
        free(ut);
        free(text);
        qs_circuit_destroy(c);
        checked++;
    }
    cr_assert_eq(checked, 42, "qelib1.inc defines 42 gates, %d checked", checked);
    free(renamed);
    free(lib);
}

Test(qasm_gates, strict_mode_reads_the_papers_cu3)
{
    /* The paper's cu3 lacks u1((lambda+phi)/2) on the control: it is
     * controlled-U3 only up to a relative phase. */
    const char *text = HEAD "qreg q[2];\ncu3(0.4, 0.9, 0.2) q[0], q[1];\n";
    qs_circuit *loose = qt_parse(text, 0), *strict = qt_parse(text, QS_PARSE_STRICT);
    double ul[32], us[32];
    qs_circuit_unitary(loose, NULL, 0, ul);
    qs_circuit_unitary(strict, NULL, 0, us);
    /* On |control=1>: strict = e^{-i(lambda+phi)/2} * Qiskit's. */
    cplx *a = (cplx *)ul, *b = (cplx *)us;
    cr_assert(cabs(a[3 * 4 + 3] * cexp(-0.55 * I) - b[3 * 4 + 3]) < 1e-12);
    cr_assert(cabs(a[0] - b[0]) < 1e-12);
    cr_assert(ref_maxdiff_phase(a, b, 16) > 0.1, "the two cu3 differ physically");
    qs_circuit_destroy(loose);
    qs_circuit_destroy(strict);
}

/* ------------------------------------------------------------------- if */

Test(qasm_if, conditions_read_the_register_bit_zero_lowest)
{
    const char *text = HEAD "qreg q[3];\ncreg c[2];\ncreg d[1];\nx q[1];\n"
                            "measure q[1] -> c[1];\n"      /* c = 2 */
                            "if(c==2) x q[0];\nif(c==1) x q[2];\nif(d==0) h q[2];\n"
                            "if(c==2) measure q[0] -> d[0];\nif(d==1) reset q[1];\n";
    expect_ops(text, "x q[1];\nmeasure q[1] -> c[1];\nif(c==2) x q[0];\nif(c==1) x q[2];\n"
                     "if(d==0) h q[2];\nif(c==2) measure q[0] -> d[0];\nif(d==1) reset q[1];\n");
    qs_circuit *c = qt_parse(text, 0);
    qs_program *p;
    qs_state *s;
    qs_rng *rng;
    qs_program_compile(c, 0, &p);
    qs_state_create(3, 0, &s);
    qs_rng_create(1, &rng);
    unsigned char bits[3];
    cr_assert_eq(qs_program_run(p, NULL, 0, s, rng, bits), QS_OK, "%s", qs_last_error());
    /* q0 flipped, measured into d = 1, then q1 reset; q2 got h. */
    double p0, p1, p2;
    qs_state_prob_one(s, 0, &p0);
    qs_state_prob_one(s, 1, &p1);
    qs_state_prob_one(s, 2, &p2);
    cr_assert(fabs(p0 - 1) < 1e-12 && fabs(p1) < 1e-12 && fabs(p2 - 0.5) < 1e-12);
    cr_assert(bits[0] == 0 && bits[1] == 1 && bits[2] == 1);
    qs_rng_destroy(rng);
    qs_state_destroy(s);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

Test(qasm_if, conditions_apply_to_every_gate_of_a_definition)
{
    expect_ops(HEAD "qreg q[2];\ncreg c[1];\ngate g a, b { h a; cx a, b; }\nif(c==0) g q[0], q[1];\n",
               "if(c==0) h q[0];\nif(c==0) cx q[0], q[1];\n");
}

/* -------------------------------------------------------------- includes */

Test(qasm_include, files_are_read_relative_to_the_including_file)
{
    char dir[] = "/tmp/qsim_inc_XXXXXX", path[256];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/lib", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/lib/gates.inc", dir);
    qt_write_file(path, "include \"more.inc\";\ngate pair a, b { h a; twice b; }\n");
    snprintf(path, sizeof path, "%s/lib/more.inc", dir);
    qt_write_file(path, "// only definitions\ngate twice a { x a; x a; }\n");
    snprintf(path, sizeof path, "%s/main.qasm", dir);
    qt_write_file(path, HEAD "include \"lib/gates.inc\";\ninclude \"qelib1.inc\";\n"
                             "qreg q[2];\npair q[0], q[1];\n");
    qs_circuit *c;
    cr_assert_eq(qs_circuit_parse_file(path, 0, &c), QS_OK, "%s", qs_last_error());
    char *w = qt_write(c, 0);
    cr_assert_str_eq(qt_ops(w), "h q[0];\nx q[1];\nx q[1];\n");
    free(w);
    qs_circuit_destroy(c);
    /* An error inside an include names that file. */
    snprintf(path, sizeof path, "%s/lib/more.inc", dir);
    qt_write_file(path, "gate twice a { x a; x b; }\n");
    snprintf(path, sizeof path, "%s/main.qasm", dir);
    cr_assert_eq(qs_circuit_parse_file(path, 0, &c), QS_EPARSE);
    const char *file, *msg;
    int line, col;
    cr_assert(qs_last_error_location(&file, &line, &col, &msg));
    char want[300];
    snprintf(want, sizeof want, "%s/lib/more.inc", dir);
    cr_assert_str_eq(file, want);
    cr_assert(line == 1 && col == 23, "%d:%d %s", line, col, msg);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ------------------------------------------------------------ OpenQASM 3 */

Test(qasm3, declarations_measure_and_parameters)
{
    const char *text =
        "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"
        "input float[64] theta;\ninput float phi;\ninput angle[32] lam;\n"
        "gate rzz(p0) _gate_q_0, _gate_q_1 {\n  cx _gate_q_0, _gate_q_1;\n  rz(p0) _gate_q_1;\n"
        "  cx _gate_q_0, _gate_q_1;\n}\n"
        "gate global_phase(p0) {\n}\n"
        "bit[2] c;\nbit b;\nqubit[2] q;\nqubit r;\n"
        "h q[0];\nrx(0.1 + 2*theta) q[1];\nry(theta**2) r;\nU(theta, phi, lam) q[0];\n"
        "rzz(phi) q[0], q[1];\nglobal_phase(0.3) ;\ngphase(-theta);\nphase(lam) r;\n"
        "cphase(1) q[0], r;\nCX q[1], r;\n"
        "c[0] = measure q[0];\nc = measure q;\nb = measure r;\nmeasure q[1];\n";
    qs_circuit *c = qt_parse(text, 0);
    cr_assert_eq(qs_circuit_num_params(c), 3);
    cr_assert_str_eq(qs_circuit_param_name(c, 0), "theta");
    cr_assert_str_eq(qs_circuit_param_name(c, 2), "lam");
    cr_assert_eq(qs_circuit_num_qubits(c), 3);
    cr_assert_eq(qs_circuit_num_clbits(c), 3);
    cr_assert_eq(qs_circuit_num_qregs(c), 2);
    const char *name;
    int first, size;
    cr_assert_eq(qs_circuit_creg(c, 1, &name, &first, &size), QS_OK);
    cr_assert(!strcmp(name, "b") && first == 2 && size == 1);
    cr_assert_eq(qs_circuit_qreg(c, 2, &name, &first, &size), QS_ERANGE);
    char *w = qt_write(c, 0);
    cr_assert_str_eq(qt_ops(w),
                     "h q[0];\nrx(0.10000000000000001 + 2*theta) q[1];\nry(theta^2) r[0];\n"
                     "U(theta, phi, lam) q[0];\nrzz(phi) q[0], q[1];\ngphase(-theta);\n"
                     "p(lam) r[0];\ncp(1) q[0], r[0];\ncx q[1], r[0];\nc[0] = measure q[0];\n"
                     "c[0] = measure q[0];\nc[1] = measure q[1];\nb[0] = measure r[0];\n"
                     "measure q[1];\n");
    free(w);
    qs_circuit_destroy(c);
}

Test(qasm3, if_blocks_else_and_bit_conditions)
{
    expect_ops("OPENQASM 3;\ninclude \"stdgates.inc\";\nqubit[2] q;\nbit[2] c;\n"
               "c[0] = measure q[0];\nif (c == 1) {\n  x q[1];\n  h q[0];\n}\n"
               "if (c[0]) {\n  x q[1];\n} else {\n  z q[1];\n}\n"
               "if (!c[1]) y q[0];\nif (c[1] == false) { s q[0]; }\n",
               "c[0] = measure q[0];\nif (c == 1) { x q[1]; }\nif (c == 1) { h q[0]; }\n"
               /* else: both branches' guards first, in hidden bits */
               "_qsim_h0[0] = c[0];\n_qsim_h0[1] = !(_qsim_h0[0]);\n"
               "if (_qsim_h0[0] == 1) { x q[1]; }\nif (_qsim_h0[1] == 1) { z q[1]; }\n"
               "if (c[1] == 0) { y q[0]; }\nif (c[1] == 0) { s q[0]; }\n");
}

Test(qasm3, unicode_parameter_names)
{
    qs_circuit *c = qt_parse("OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] \xCE\xB8;\n"
                             "qubit[1] q;\nrx(\xCE\xB8/2) q[0];\n", 0);
    cr_assert_eq(qs_circuit_param_index(c, "\xCE\xB8"), 0);
    qs_circuit_destroy(c);
}

/* Runs a program and returns its state's amplitudes (malloc'd). */
static double *amps_after(const qs_program *p, const double *params, size_t np, int nq)
{
    qs_state *s;
    qs_state_create(nq, 0, &s);
    cr_assert_eq(qs_program_run(p, params, np, s, NULL, NULL), QS_OK, "%s", qs_last_error());
    double *a = malloc(sizeof(double) << (nq + 1));
    qs_state_get_amps(s, 0, UINT64_C(1) << nq, a);
    qs_state_destroy(s);
    return a;
}

Test(qasm3, parameters_stay_symbolic_through_definitions)
{
    /* Parsed once, compiled once, run for several bindings: each run
     * equals the program with the values written in. */
    const char *sym = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] a;\n"
                      "input float[64] b;\ngate g(x, y) s, t { rz(x*y) s; cry(x - y) s, t; "
                      "u3(x, y, sin(x)) t; }\nqubit[2] q;\nh q;\ng(2*a, b**2) q[0], q[1];\n"
                      "g(b, -a) q[1], q[0];\n";
    qs_circuit *c = qt_parse(sym, 0);
    qs_program *p;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK);
    char *w = qt_write(c, 0);
    cr_assert(strstr(w, "rz(2*a*b^2) q[0];"), "%s", w);
    for (int k = 0; k < 4; k++) {
        double v[2] = {0.3 * k - 0.4, 1.1 - 0.5 * k};
        char bound[1024];
        snprintf(bound, sizeof bound, HEAD "qreg q[2];\ngate g(x, y) s, t { rz(x*y) s; "
                 "cry(x - y) s, t; u3(x, y, sin(x)) t; }\nh q;\ng(2*%.17g, (%.17g)^2) q[0], q[1];\n"
                 "g(%.17g, -(%.17g)) q[1], q[0];\n", v[0], v[1], v[1], v[0]);
        qs_circuit *cb = qt_parse(bound, 0);
        qs_program *pb;
        qs_program_compile(cb, 0, &pb);
        double *x = amps_after(p, v, 2, 2), *y = amps_after(pb, NULL, 0, 2);
        cr_assert(ref_maxdiff((cplx *)x, (cplx *)y, 4) < 1e-13, "binding %d", k);
        free(x);
        free(y);
        qs_program_destroy(pb);
        qs_circuit_destroy(cb);
    }
    free(w);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}
