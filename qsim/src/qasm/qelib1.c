/*
 * qelib1.c - the built-in headers.  Their gates run as the gate table's
 * rows (gates.def), whose matrices are Qiskit's exact ones, instead of
 * being expanded through the headers' definitions.
 *
 *  - qelib1.inc: Qiskit's extended version (42 gates).  With
 *    QS_PARSE_STRICT the OpenQASM 2.0 paper's version: 23 gates, and its
 *    cu3, which is controlled-U only up to a relative phase, is expanded
 *    from the paper's own definition.
 *  - stdgates.inc (OpenQASM 3): its gates, with CX, phase and cphase as
 *    names of cx, p and cp.  Its u2 and u3 differ from Qiskit's (the
 *    table's) by a global phase only.
 *  - The language's U and CX.
 *
 * Calls sema (symbols), source.c (the cu3 text) and the parser.
 */
#include "qasm/qasm.h"

#include <string.h>

static const char *const qelib1_ext[] = {
    "u3", "u2", "u1", "cx", "id", "u0", "u", "p", "x", "y", "z", "h", "s", "sdg", "t", "tdg",
    "rx", "ry", "rz", "sx", "sxdg", "cz", "cy", "swap", "ch", "ccx", "cswap", "crx", "cry",
    "crz", "cu1", "cp", "cu3", "csx", "cu", "rxx", "rzz", "rccx", "rc3x", "c3x", "c3sqrtx",
    "c4x", NULL};

/* The paper's 23, cu3 apart (it comes from paper_cu3 below). */
static const char *const qelib1_paper[] = {
    "u3", "u2", "u1", "cx", "id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "rx", "ry", "rz",
    "cz", "cy", "ch", "ccx", "crz", "cu1", NULL};

static const char paper_cu3[] =
    "gate cu3(theta,phi,lambda) c, t\n"
    "{\n"
    "  u1((lambda-phi)/2) t;\n"
    "  cx c,t;\n"
    "  u3(-theta/2,0,-(phi+lambda)/2) t;\n"
    "  cx c,t;\n"
    "  u3(theta/2,phi,0) t;\n"
    "}\n";

/* name = table gate; an alias names a different row. */
static const struct { const char *name, *row; } stdgates[] = {
    {"p", "p"}, {"x", "x"}, {"y", "y"}, {"z", "z"}, {"h", "h"}, {"s", "s"}, {"sdg", "sdg"},
    {"t", "t"}, {"tdg", "tdg"}, {"sx", "sx"}, {"rx", "rx"}, {"ry", "ry"}, {"rz", "rz"},
    {"cx", "cx"}, {"cy", "cy"}, {"cz", "cz"}, {"cp", "cp"}, {"crx", "crx"}, {"cry", "cry"},
    {"crz", "crz"}, {"ch", "ch"}, {"swap", "swap"}, {"ccx", "ccx"}, {"cswap", "cswap"},
    {"cu", "cu"}, {"CX", "cx"}, {"phase", "p"}, {"cphase", "cp"}, {"id", "id"}, {"u1", "u1"},
    {"u2", "u2"}, {"u3", "u3"}, {NULL, NULL}};

/* Declares `name` as table row `row`, from `header` (NULL: the language). */
static int declare(qq_parser *ps, const char *name, const char *row, const char *header,
                   qq_loc loc)
{
    qs_gate g;
    if (qs_gate_lookup(row, &g) != QS_OK)
        return qq_error(ps, QS_EINTERNAL, loc, "gate table has no row '%s'", row);
    int old = qq_find_gate(ps, name, strlen(name));
    if (old >= 0 && ps->gates[old].builtin && ps->gates[old].table == (int)g)
        return 1;   /* the same gate from another header */
    int i = qq_declare_gate(ps, name, strlen(name), loc);
    if (i < 0)
        return 0;
    qq_gate *gt = &ps->gates[i];
    gt->table = (int)g;
    gt->np = qs_gate_num_params(g);
    gt->nq = qs_gate_num_qubits(g);
    gt->builtin = 1;
    gt->header = header;
    return 1;
}

int qq_declare_builtins(qq_parser *ps)
{
    qq_loc none = {ps->main_name, 0, 0};
    return declare(ps, "U", "u", NULL, none) && declare(ps, "CX", "cx", NULL, none);
}

int qq_include_builtin(qq_parser *ps, const char *name, qq_loc loc, int *done)
{
    *done = 1;
    if (strcmp(name, "qelib1.inc") == 0) {
        if (ps->have_qelib1++)
            return 1;
        int strict = (ps->flags & QS_PARSE_STRICT) != 0;
        for (const char *const *g = strict ? qelib1_paper : qelib1_ext; *g; g++)
            if (!declare(ps, *g, *g, "qelib1.inc", loc))
                return 0;
        if (!strict)
            return 1;
        if (!qq_push_text(ps, "qelib1.inc", paper_cu3))
            return 0;
        int ok = qq_parse_statements(ps);
        qq_pop(ps);
        return ok;
    }
    if (strcmp(name, "stdgates.inc") == 0) {
        if (ps->version < 3)
            return qq_error(ps, QS_EPARSE, loc,
                            "stdgates.inc is OpenQASM 3's library: OpenQASM 2.0 programs "
                            "include \"qelib1.inc\"");
        if (ps->have_stdgates++)
            return 1;
        for (int i = 0; stdgates[i].name; i++)
            if (!declare(ps, stdgates[i].name, stdgates[i].row, "stdgates.inc", loc))
                return 0;
        return 1;
    }
    *done = 0;
    return 1;
}

static int listed(const char *const *list, const char *name, size_t len)
{
    for (; *list; list++)
        if (strlen(*list) == len && memcmp(*list, name, len) == 0)
            return 1;
    return 0;
}

int qq_in_qelib1(const char *name) { return listed(qelib1_ext, name, strlen(name)); }

int qq_in_stdgates(const char *name)
{
    for (int i = 0; stdgates[i].name; i++)
        if (!strcmp(stdgates[i].name, name) && !strcmp(stdgates[i].row, name))
            return 1;
    return 0;
}

const char *qq_undefined_hint(const qq_parser *ps, const char *name, size_t len)
{
    static const char *const oq3_words[] = {"input", "qubit", "bit", "gphase", NULL};
    int in_ext = listed(qelib1_ext, name, len);
    int in_std = 0;
    for (int i = 0; stdgates[i].name; i++)
        in_std |= strlen(stdgates[i].name) == len && memcmp(stdgates[i].name, name, len) == 0;
    if (ps->version < 3 && listed(oq3_words, name, len))
        return " ('input', 'qubit', 'bit' and 'gphase' are OpenQASM 3: start the program with "
               "'OPENQASM 3.0;')";
    if (ps->version >= 3 && in_std && !ps->have_stdgates)
        return " (add 'include \"stdgates.inc\";')";
    if (in_ext && !ps->have_qelib1)
        return " (add 'include \"qelib1.inc\";')";
    if (in_ext && (ps->flags & QS_PARSE_STRICT))
        return " (not in OpenQASM 2.0's qelib1.inc: strict mode accepts only its 23 gates)";
    char row[32];
    qs_gate g;
    if (len < sizeof row) {
        memcpy(row, name, len);
        row[len] = '\0';
        if (qs_gate_lookup(row, &g) == QS_OK)
            return " (not in the included headers: define it with 'gate', and a definition "
                   "equal to the simulator's own runs as that gate)";
    }
    return "";
}
