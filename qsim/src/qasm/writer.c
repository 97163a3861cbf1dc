/*
 * writer.c - a circuit as OpenQASM text: 2.0 with qelib1.inc when that can
 * say it, else 3.0 with stdgates.inc and `input float[64]` parameters.
 *
 * Gates outside the header get a `gate` definition (exact up to global
 * phase, which the parser recognises as the table gate again); Pauli
 * rotations and QFTs are written as gates.  Numbers have 17 significant
 * digits, so reading the text back gives the same operations.  Calls the
 * core's expression printer and qelib1.c's header lists.
 */
#define _GNU_SOURCE
#include "qasm/qasm.h"
#include "core/check.h"
#include "ir/classical.h"
#include "ir/gates.h"
#include "core/file.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Definitions of table gates that a header lacks, in terms of gates of
 * both headers (or of earlier definitions, listed in deps). */
static const struct def {
    const char *name, *deps, *text;
} defs[] = {
    {"u0", "", "gate u0(gamma) q { U(0,0,0) q; }"},
    {"sxdg", "", "gate sxdg a { s a; h a; s a; }"},
    {"r", "", "gate r(theta,phi) a { U(theta,phi-pi/2,-phi+pi/2) a; }"},
    {"cu1", "", "gate cu1(lambda) a,b { u1(lambda/2) a; cx a,b; u1(-lambda/2) b; cx a,b; "
                "u1(lambda/2) b; }"},
    {"cu3", "", "gate cu3(theta,phi,lambda) c,t { u1((lambda+phi)/2) c; u1((lambda-phi)/2) t; "
                "cx c,t; u3(-theta/2,0,-(phi+lambda)/2) t; cx c,t; u3(theta/2,phi,0) t; }"},
    {"csx", "cu1", "gate csx a,b { h b; cu1(pi/2) a,b; h b; }"},
    {"cs", "", "gate cs a,b { t a; cx a,b; tdg b; cx a,b; t b; }"},
    {"csdg", "", "gate csdg a,b { tdg a; cx a,b; t b; cx a,b; tdg b; }"},
    {"ccz", "", "gate ccz a,b,c { h c; ccx a,b,c; h c; }"},
    {"rxx", "", "gate rxx(theta) a,b { h a; h b; cx a,b; rz(theta) b; cx a,b; h b; h a; }"},
    {"ryy", "sxdg", "gate ryy(theta) a,b { sxdg a; sxdg b; cx a,b; rz(theta) b; cx a,b; sx a; "
                    "sx b; }"},
    {"rzz", "", "gate rzz(theta) a,b { cx a,b; rz(theta) b; cx a,b; }"},
    {"rzx", "", "gate rzx(theta) a,b { h b; cx a,b; rz(theta) b; cx a,b; h b; }"},
    {"rccx", "", "gate rccx a,b,c { u2(0,pi) c; u1(pi/4) c; cx b,c; u1(-pi/4) c; cx a,c; "
                 "u1(pi/4) c; cx b,c; u1(-pi/4) c; u2(0,pi) c; }"},
    {"rc3x", "", "gate rc3x a,b,c,d { u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d; "
                 "cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d; cx a,d; u1(pi/4) d; cx b,d; "
                 "u1(-pi/4) d; u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d; }"},
    {"c3x", "", "gate c3x a,b,c,d { h d; p(pi/8) a; p(pi/8) b; p(pi/8) c; p(pi/8) d; cx a,b; "
                "p(-pi/8) b; cx a,b; cx b,c; p(-pi/8) c; cx a,c; p(pi/8) c; cx b,c; p(-pi/8) c; "
                "cx a,c; cx c,d; p(-pi/8) d; cx b,d; p(pi/8) d; cx c,d; p(-pi/8) d; cx a,d; "
                "p(pi/8) d; cx c,d; p(-pi/8) d; cx b,d; p(pi/8) d; cx c,d; p(-pi/8) d; cx a,d; "
                "h d; }"},
    {"c3sqrtx", "cu1", "gate c3sqrtx a,b,c,d { h d; cu1(pi/8) a,d; h d; cx a,b; h d; "
                       "cu1(-pi/8) b,d; h d; cx a,b; h d; cu1(pi/8) b,d; h d; cx b,c; h d; "
                       "cu1(-pi/8) c,d; h d; cx a,c; h d; cu1(pi/8) c,d; h d; cx b,c; h d; "
                       "cu1(-pi/8) c,d; h d; cx a,c; h d; cu1(pi/8) c,d; h d; }"},
    {"c4x", "cu1 c3x c3sqrtx", "gate c4x a,b,c,d,e { h e; cu1(pi/2) d,e; h e; c3x a,b,c,d; "
                               "h e; cu1(-pi/2) d,e; h e; c3x a,b,c,d; c3sqrtx a,b,c,e; }"},
    {"iswap", "", "gate iswap a,b { s a; s b; h a; cx a,b; cx b,a; h b; }"},
    {"ecr", "", "gate ecr a,b { s a; sx b; cx a,b; x a; }"},
    {"dcx", "", "gate dcx a,b { cx a,b; cx b,a; }"},
    {NULL, NULL, NULL}};

/* A growing text. */
typedef struct sb {
    char *s;
    size_t n, cap;
    int oom;
} sb;

static void put(sb *b, const char *fmt, ...) QS__PRINTF(2, 3);
static void put(sb *b, const char *fmt, ...)
{
    va_list ap;
    if (!b->s && !b->oom) {
        b->cap = 1024;
        b->s = malloc(b->cap);
        b->oom = !b->s;
    }
    for (;;) {
        va_start(ap, fmt);
        int k = b->oom ? 0 : vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (b->oom || k < 0) {
            b->oom = 1;
            return;
        }
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = (b->cap + (size_t)k + 1) * 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

typedef struct writer {
    const qs_circuit *c;
    int v3;
    sb out;
    const char **qreg;      /* per qubit: its register's name */
    int *qidx;              /* and its index there */
    const char *qname, *cname;   /* single registers when the circuit has no usable ones */
    int used[QS_NUM_GATES]; /* gates that need a definition: 1 used, 2 written */
    qs_status st;
    char msg[256];
} writer;

static void unsupported(writer *w, const char *fmt, ...) QS__PRINTF(2, 3);
static void unsupported(writer *w, const char *fmt, ...)
{
    if (w->st != QS_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
    w->st = QS_EUNSUPPORTED;
}

static int in_header(const writer *w, int g)
{
    const char *name = qs__gates[g].name;
    return w->v3 ? g == QS_GATE_U || qq_in_stdgates(name) : qq_in_qelib1(name);
}

static void write_def(writer *w, const char *name)
{
    qs_gate g;
    if (qs_gate_lookup(name, &g) != QS_OK || in_header(w, g) || w->used[g] == 2)
        return;
    w->used[g] = 2;
    for (int i = 0; defs[i].name; i++) {
        if (strcmp(defs[i].name, name) != 0)
            continue;
        char deps[64];
        snprintf(deps, sizeof deps, "%s", defs[i].deps);
        for (char *save, *d = strtok_r(deps, " ", &save); d; d = strtok_r(NULL, " ", &save))
            write_def(w, d);
        put(&w->out, "%s\n", defs[i].text);
        return;
    }
    unsupported(w, "no OpenQASM definition of gate '%s'", name);
}

/* Whether the registers cover qubits (or bits) 0..n-1 in order. */
static int regs_cover(const qs__reg *r, int nr, int n)
{
    int next = 0;
    for (int i = 0; i < nr; i++) {
        if (r[i].first != next)
            return 0;
        next += r[i].size;
    }
    return nr > 0 && next == n;
}

/* A register name that no parameter has. */
static const char *free_name(const qs_circuit *c, const char *want, const char *alt)
{
    return qs_circuit_param_index(c, want) < 0 ? want : alt;
}

static void qubit(writer *w, int q)
{
    put(&w->out, "%s[%d]", w->qreg[q], w->qidx[q]);
}

/* Hidden bits (variables and guards of OpenQASM 3 programs) are written
 * as 64-bit variables HIDDEN0, HIDDEN1 ... of whose bits, or slices of
 * them, they are (the parser never lets a value straddle two). */
#define HIDDEN "_qsim_h"

static void hidden_bits(writer *w, int b, int width)
{
    int k = b - QS__VBASE;
    if (width == 1)
        put(&w->out, HIDDEN "%d[%d]", k / 64, k % 64);
    else
        put(&w->out, HIDDEN "%d[%d:%d]", k / 64, k % 64, k % 64 + width - 1);
}

static void clbit(writer *w, int b)
{
    const qs_circuit *c = w->c;
    if (b >= QS__VBASE) {
        hidden_bits(w, b, 1);
        return;
    }
    if (!regs_cover(c->cregs, c->ncregs, c->nc)) {
        put(&w->out, "%s[%d]", w->cname, b);
        return;
    }
    for (int i = 0; i < c->ncregs; i++)
        if (b >= c->cregs[i].first && b < c->cregs[i].first + c->cregs[i].size) {
            put(&w->out, "%s[%d]", c->cregs[i].name, b - c->cregs[i].first);
            return;
        }
}

static void expr(writer *w, const qs__arg *a)
{
    const qs_circuit *c = w->c;
    for (int i = 0; i < a->len; i++)
        if (c->nodes[a->off + i].op == QS__X_CONST && !isfinite(c->nodes[a->off + i].value))
            unsupported(w, "an argument is %g, which OpenQASM cannot write",
                        c->nodes[a->off + i].value);
    char small[256];
    int n = qs__x_format(c->nodes + a->off, a->len, (const char *const *)c->pnames, small,
                         sizeof small);
    if (n >= 0) {
        put(&w->out, "%s", small);
        return;
    }
    /* Room for every number (24 characters), name and operator. */
    size_t need = 64;
    for (int i = 0; i < a->len; i++) {
        const qs__xnode *x = &c->nodes[a->off + i];
        need += 40 + (x->op == QS__X_PARAM ? strlen(c->pnames[x->param]) : 0);
    }
    char *big = malloc(need);
    if (big && qs__x_format(c->nodes + a->off, a->len, (const char *const *)c->pnames, big,
                            need) >= 0)
        put(&w->out, "%s", big);
    else
        w->out.oom = 1;
    free(big);
}

/* Classical expression nodes n[0..i] (RPN): the subtree ending at i,
 * written fully parenthesised; start[] gives each subtree's first node. */
static void cnode(writer *w, const qs__xnode *n, const int *start, int i)
{
    static const struct { int op; const char *s; } bin[] = {
        {QS__C_ADD, "+"}, {QS__C_SUB, "-"}, {QS__C_MUL, "*"}, {QS__C_DIV, "/"},
        {QS__C_MOD, "%"}, {QS__C_SHL, "<<"}, {QS__C_SHR, ">>"}, {QS__C_AND, "&"},
        {QS__C_OR, "|"}, {QS__C_XOR, "^"}, {QS__C_LAND, "&&"}, {QS__C_LOR, "||"},
        {QS__C_EQ, "=="}, {QS__C_NE, "!="}, {QS__C_LT, "<"}, {QS__C_LE, "<="},
        {QS__C_GT, ">"}, {QS__C_GE, ">="}};
    const qs__xnode *x = &n[i];
    switch (x->op) {
    case QS__C_CONST:
        put(&w->out, x->value < 0 ? "(-%lld)" : "%lld", (long long)fabs(x->value));
        return;
    case QS__C_BITS: {
        int width = (int)x->value / 2, sgn = (int)x->value & 1;
        const char *close = sgn ? ")" : "";
        if (sgn)
            put(&w->out, "int[%d](", width);
        if (x->param >= QS__VBASE) {
            hidden_bits(w, x->param, width);
            put(&w->out, "%s", close);
            return;
        }
        if (width == 1) {
            clbit(w, x->param);
            put(&w->out, "%s", close);
            return;
        }
        const qs_circuit *c = w->c;
        for (int r = 0; r < c->ncregs && regs_cover(c->cregs, c->ncregs, c->nc); r++) {
            const qs__reg *g = &c->cregs[r];
            if (x->param >= g->first && x->param + width <= g->first + g->size) {
                int a = x->param - g->first;
                if (width == g->size)   /* the register as an integer */
                    put(&w->out, "%s%s", g->name, close);
                else
                    put(&w->out, "%s[%d:%d]%s", g->name, a, a + width - 1, close);
                return;
            }
        }
        put(&w->out, "(");
        for (int k = width - 1; k >= 0; k--) {
            put(&w->out, "uint[64](");
            clbit(w, x->param + k);
            put(&w->out, k ? ") << %d | " : ")", k);
        }
        put(&w->out, ")%s", close);
        return;
    }
    case QS__C_CAST:
        if (x->param == 0)
            put(&w->out, "bool(");
        else
            put(&w->out, "%s[%d](", x->value != 0 ? "int" : "uint", x->param);
        cnode(w, n, start, i - 1);
        put(&w->out, ")");
        return;
    case QS__C_LNOT: case QS__C_BNOT: case QS__C_NEG:
        put(&w->out, x->op == QS__C_LNOT ? "!(" : x->op == QS__C_BNOT ? "~(" : "-(");
        cnode(w, n, start, i - 1);
        put(&w->out, ")");
        return;
    default:
        for (size_t k = 0; k < sizeof bin / sizeof *bin; k++)
            if (bin[k].op == x->op) {
                put(&w->out, "(");
                cnode(w, n, start, start[i - 1] - 1);
                put(&w->out, " %s ", bin[k].s);
                cnode(w, n, start, i - 1);
                put(&w->out, ")");
            }
        return;
    }
}

static void cexpr(writer *w, const qs__arg *a)
{
    const qs__xnode *n = w->c->nodes + a->off;
    int *start = malloc(sizeof *start * (size_t)(a->len + 1)), stack[QS__X_MAX + 1], sp = 0;
    if (!start) {
        w->out.oom = 1;
        return;
    }
    for (int i = 0; i < a->len; i++) {
        int k = qs__c_arity(n[i].op), s = i;
        for (int j = 0; j < k && sp > 0; j++)
            s = stack[--sp];
        start[i] = s;
        if (sp <= QS__X_MAX)
            stack[sp++] = s;
    }
    if (a->len > 0)
        cnode(w, n, start, a->len - 1);
    free(start);
}

/* The register a condition reads whole, or NULL (then only one bit,
 * in 3.0, can be written). */
static const char *cond_register(const writer *w, const qs__instr *in)
{
    const qs_circuit *c = w->c;
    if (!regs_cover(c->cregs, c->ncregs, c->nc))
        return in->cfirst == 0 && in->cbits == c->nc ? w->cname : NULL;
    for (int i = 0; i < c->ncregs; i++)
        if (c->cregs[i].first == in->cfirst && c->cregs[i].size == in->cbits)
            return c->cregs[i].name;
    return NULL;
}

/* The condition prefix of an operation; nothing when it has none. */
static void cond_open(writer *w, const qs__instr *in)
{
    if (!in->has_cond)
        return;
    const char *reg = cond_register(w, in);
    unsigned long long v = (unsigned long long)in->cval;
    if (reg) {
        put(&w->out, w->v3 ? "if (%s == %llu) { " : "if(%s==%llu) ", reg, v);
    } else if (w->v3 && in->cbits == 1) {
        put(&w->out, "if (");
        clbit(w, in->cfirst);
        put(&w->out, " == %llu) { ", v);
    } else {
        unsupported(w, "a condition on classical bits [%d, %d) that are not %s", in->cfirst,
                    in->cfirst + in->cbits,
                    w->v3 ? "a whole register or one bit" : "a whole register");
    }
}

static void cond_close(writer *w, const qs__instr *in)
{
    put(&w->out, in->has_cond && w->v3 ? " }\n" : "\n");
}

/* name(args) q, q, ...; for a table gate with constant or expression
 * arguments given as text (already written by the caller when args is
 * NULL and na > 0). */
static void gate_call(writer *w, const qs__instr *in, int g, const int *q, const char *args)
{
    cond_open(w, in);
    const qs__gate_info *gi = &qs__gates[g];
    put(&w->out, "%s", w->v3 && g == QS_GATE_U ? "U" : gi->name);
    if (args) {
        put(&w->out, "(%s)", args);
    } else if (gi->np > 0) {
        put(&w->out, "(");
        for (int a = 0; a < gi->np; a++) {
            put(&w->out, a ? ", " : "");
            expr(w, &w->c->args[in->aoff + a]);
        }
        put(&w->out, ")");
    }
    for (int j = 0; j < gi->nc + gi->nt; j++) {
        put(&w->out, j ? ", " : " ");
        qubit(w, q[j]);
    }
    put(&w->out, ";");
    cond_close(w, in);
}

/* exp(-i theta/2 P): basis changes to Z, a CX ladder onto the last
 * qubit, rz(theta) there, and back. */
static void pauli(writer *w, const qs__instr *in)
{
    const qs_circuit *c = w->c;
    const int *qs = c->qubits + in->qoff;
    const char *let = c->pletters + in->poff;
    int q[QS_MAX_QUBITS], m = 0;
    char lt[QS_MAX_QUBITS];
    for (int j = 0; j < in->nq; j++)
        if (let[j] != 'I') {
            lt[m] = let[j];
            q[m++] = qs[j];
        }
    sb theta = w->out;   /* the angle's text, written once */
    w->out = (sb){0};
    expr(w, &c->args[in->aoff]);
    sb t = w->out;
    w->out = theta;
    if (t.oom || !t.s) {
        w->out.oom = 1;
        free(t.s);
        return;
    }
    if (m == 0) {   /* exp(-i theta/2) */
        cond_open(w, in);
        put(&w->out, "gphase(-(%s)/2);", t.s);
        cond_close(w, in);
        free(t.s);
        return;
    }
    for (int j = 0; j < m; j++) {
        if (lt[j] == 'Y')
            gate_call(w, in, QS_GATE_SDG, &q[j], NULL);
        if (lt[j] != 'Z')
            gate_call(w, in, QS_GATE_H, &q[j], NULL);
    }
    for (int j = 0; j + 1 < m; j++)
        gate_call(w, in, QS_GATE_CX, &q[j], NULL);
    gate_call(w, in, QS_GATE_RZ, &q[m - 1], t.s);
    for (int j = m - 2; j >= 0; j--)
        gate_call(w, in, QS_GATE_CX, &q[j], NULL);
    for (int j = 0; j < m; j++) {
        if (lt[j] != 'Z')
            gate_call(w, in, QS_GATE_H, &q[j], NULL);
        if (lt[j] == 'Y')
            gate_call(w, in, QS_GATE_S, &q[j], NULL);
    }
    free(t.s);
}

/* The QFT with its swaps (qubit 0 of the range least significant): for
 * i from the top, h, then controlled phases pi/2^(i-j) from lower j, then
 * the swaps; the inverse is the same gates in reverse order with negated
 * angles. */
static void qft(writer *w, const qs__instr *in)
{
    const int *q = w->c->qubits + in->qoff;
    int m = in->nq, inv = (in->flags & QS_QFT_INVERSE) != 0, n = 0;
    struct { int a, b; } *g = malloc(sizeof *g * (size_t)(m * (m + 1) / 2 + m / 2));
    if (!g) {
        w->out.oom = 1;
        return;
    }
    for (int i = m - 1; i >= 0; i--)
        for (int j = i; j >= 0; j--)
            g[n].a = j, g[n++].b = i;          /* a == b: h on it */
    for (int i = 0; i < m / 2; i++)
        g[n].a = -1 - i, g[n++].b = m - 1 - i; /* a < 0: swap */
    for (int k = 0; k < n; k++) {
        int i = g[inv ? n - 1 - k : k].b, j = g[inv ? n - 1 - k : k].a;
        if (j < 0) {
            int sq[2] = {q[-1 - j], q[i]};
            gate_call(w, in, QS_GATE_SWAP, sq, NULL);
        } else if (j == i) {
            gate_call(w, in, QS_GATE_H, &q[i], NULL);
        } else {
            char a[40];
            int pq[2] = {q[j], q[i]};
            snprintf(a, sizeof a, "%.17g", (inv ? -M_PI : M_PI) / (double)(1ull << (i - j)));
            gate_call(w, in, QS_GATE_CP, pq, a);
        }
    }
    free(g);
}

static void body(writer *w)
{
    const qs_circuit *c = w->c;
    for (size_t i = 0; i < c->n && w->st == QS_OK && !w->out.oom; i++) {
        const qs__instr *in = &c->ins[i];
        const int *q = c->qubits + in->qoff;
        if (in->nx) {
            unsupported(w, "operation %zu has extra controls (qs_circuit_append_controlled_*), "
                        "which the writer cannot write yet", i);
            break;
        }
        switch (in->kind) {
        case QS__I_GATE: gate_call(w, in, in->gate, q, NULL); break;
        case QS__I_PAULI: pauli(w, in); break;
        case QS__I_QFT: qft(w, in); break;
        case QS__I_GPHASE:
            cond_open(w, in);
            put(&w->out, "gphase(");
            expr(w, &c->args[in->aoff]);
            put(&w->out, ");");
            cond_close(w, in);
            break;
        case QS__I_MEASURE:
            cond_open(w, in);
            if (w->v3 && in->clbit >= 0) {
                clbit(w, in->clbit);
                put(&w->out, " = ");
            }
            put(&w->out, "measure ");
            qubit(w, q[0]);
            if (!w->v3) {
                put(&w->out, " -> ");
                clbit(w, in->clbit);
            }
            put(&w->out, ";");
            cond_close(w, in);
            break;
        case QS__I_RESET:
            cond_open(w, in);
            put(&w->out, "reset ");
            qubit(w, q[0]);
            put(&w->out, ";");
            cond_close(w, in);
            break;
        case QS__I_BARRIER:
            put(&w->out, "barrier");
            for (int j = 0; j < (in->nq ? in->nq : c->nq); j++) {
                put(&w->out, j ? ", " : " ");
                qubit(w, in->nq ? q[j] : j);
            }
            put(&w->out, ";\n");
            break;
        case QS__I_DIAGEXP:
            unsupported(w, "operation %zu is a diagonal given by its values, which OpenQASM "
                        "cannot write", i);
            break;
        case QS__I_CHANNEL:
            unsupported(w, "operation %zu is a noise channel, which OpenQASM cannot write", i);
            break;
        case QS__I_STORE: {
            int width = (int)in->flags;
            cond_open(w, in);
            if (width == 1) {
                clbit(w, in->clbit);
            } else if (in->clbit >= QS__VBASE) {
                hidden_bits(w, in->clbit, width);
            } else {   /* a whole register, or a slice of one */
                int r = 0;
                while (r < c->ncregs && !(in->clbit >= c->cregs[r].first &&
                                          in->clbit + width <= c->cregs[r].first + c->cregs[r].size))
                    r++;
                if (r == c->ncregs) {
                    unsupported(w, "operation %zu assigns bits of several registers", i);
                    break;
                }
                int a = in->clbit - c->cregs[r].first;
                if (width == c->cregs[r].size)
                    put(&w->out, "%s", c->cregs[r].name);
                else
                    put(&w->out, "%s[%d:%d]", c->cregs[r].name, a, a + width - 1);
            }
            put(&w->out, " = ");
            cexpr(w, &c->args[in->aoff]);
            put(&w->out, ";");
            cond_close(w, in);
            break;
        }
        case QS__I_FAIL:
            /* A while loop past qsim's limit: reading it back, the same. */
            put(&w->out, "while (");
            if (in->has_cond && in->cbits == 1) {
                clbit(w, in->cfirst);
                put(&w->out, " == %llu) { }\n", (unsigned long long)in->cval);
            } else {
                unsupported(w, "operation %zu (a loop past its limit) has a condition OpenQASM "
                            "cannot write", i);
            }
            break;
        default:
            unsupported(w, "operation %zu is a dense matrix, which OpenQASM cannot write", i);
            break;
        }
    }
}

/* Which gates need definitions, and whether 3.0 is needed. */
static void survey(writer *w)
{
    const qs_circuit *c = w->c;
    w->v3 |= c->np > 0 || c->nvb > 0;
    for (size_t i = 0; i < c->n; i++) {
        const qs__instr *in = &c->ins[i];
        w->v3 |= in->kind == QS__I_GPHASE || (in->kind == QS__I_MEASURE && in->clbit < 0);
        /* A barrier on every qubit of a circuit without any ('barrier;'). */
        w->v3 |= in->kind == QS__I_BARRIER && in->nq == 0 && c->nq == 0;
        if (in->kind == QS__I_PAULI) {
            int all_i = 1;
            for (int j = 0; j < in->nq; j++)
                all_i &= c->pletters[in->poff + j] == 'I';
            w->v3 |= all_i;
        }
        if (in->kind == QS__I_GATE)
            w->used[in->gate] = 1;
        /* 2.0 conditions are on whole registers only. */
        w->v3 |= in->has_cond && !cond_register(w, in);
        w->v3 |= in->kind == QS__I_STORE || in->kind == QS__I_FAIL;
    }
}

static void declare(writer *w, const char *kw, const char *name, int size)
{
    if (w->v3)
        put(&w->out, "%s[%d] %s;\n", kw, size, name);
    else
        put(&w->out, "%s %s[%d];\n", kw, name, size);
}

static qs_status write_text(const qs_circuit *c, unsigned flags, sb *out)
{
    writer w = {.c = c, .v3 = (flags & QS_QASM_3) != 0};
    w.qname = free_name(c, "q", "q_");
    w.cname = free_name(c, "c", "c_");
    survey(&w);
    w.qreg = malloc(sizeof *w.qreg * (size_t)(c->nq + 1));
    w.qidx = malloc(sizeof *w.qidx * (size_t)(c->nq + 1));
    if (!w.qreg || !w.qidx) {
        free(w.qreg);
        free(w.qidx);
        return QS_ENOMEM;
    }
    int qcover = regs_cover(c->qregs, c->nqregs, c->nq);
    for (int q = 0, r = 0; q < c->nq; q++) {
        while (qcover && q >= c->qregs[r].first + c->qregs[r].size)
            r++;
        w.qreg[q] = qcover ? c->qregs[r].name : w.qname;
        w.qidx[q] = qcover ? q - c->qregs[r].first : q;
    }
    /* Names from a 2.0 program may be 3.0 keywords (a qreg named bit). */
    for (int k = 0; w.v3 && k < c->nqregs + c->ncregs + c->np; k++) {
        const char *name = k < c->nqregs ? c->qregs[k].name
                           : k < c->nqregs + c->ncregs ? c->cregs[k - c->nqregs].name
                                                       : c->pnames[k - c->nqregs - c->ncregs];
        if (qq_is_keyword(3, name, strlen(name)))
            unsupported(&w, "'%s' is a keyword of OpenQASM 3 and cannot name a register there",
                        name);
    }
    put(&w.out, w.v3 ? "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"
                     : "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n");
    for (int i = 0; i < c->np; i++)
        put(&w.out, "input float[64] %s;\n", c->pnames[i]);
    for (int g = 0; g < QS_NUM_GATES; g++)
        if (w.used[g] == 1)
            write_def(&w, qs__gates[g].name);
    const qs__reg *regs[2] = {c->qregs, c->cregs};
    int nregs[2] = {c->nqregs, c->ncregs}, sizes[2] = {c->nq, c->nc};
    const char *single[2] = {w.qname, w.cname};
    for (int k = 0; k < 2; k++) {
        const char *kw = w.v3 ? (k ? "bit" : "qubit") : (k ? "creg" : "qreg");
        if (regs_cover(regs[k], nregs[k], sizes[k])) {
            for (int i = 0; i < nregs[k]; i++)
                declare(&w, kw, regs[k][i].name, regs[k][i].size);
        } else if (sizes[k] > 0) {
            declare(&w, kw, single[k], sizes[k]);
        }
    }
    for (int k = 0; k < (c->nvb + 63) / 64; k++)
        put(&w.out, "uint[64] " HIDDEN "%d;\n", k);
    body(&w);
    free(w.qreg);
    free(w.qidx);
    *out = w.out;
    if (w.st != QS_OK) {
        free(out->s);
        return qs__fail(w.st, "qs_circuit_write_qasm", "%s", w.msg);
    }
    if (out->oom || !out->s) {
        free(out->s);
        return QS_ENOMEM;
    }
    return QS_OK;
}

QS_API qs_status qs_circuit_write_qasm(const qs_circuit *c, unsigned flags, char *buf,
                                       size_t buflen, size_t *len)
{
    QS_CHECK_NULL(__func__, c);
    if (flags & ~(unsigned)QS_QASM_3)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    if (buflen > 0 && !buf)
        return qs__null(__func__, "buf");
    sb out;
    qs_status st = write_text(c, flags, &out);
    if (st == QS_ENOMEM)
        return qs__fail(st, __func__, "out of memory");
    if (st != QS_OK)
        return st;
    if (len)
        *len = out.n;
    if (buflen > 0)
        snprintf(buf, buflen, "%s", out.s);
    free(out.s);
    if (out.n >= buflen)
        return qs__fail(QS_ERANGE, __func__, "the text needs %zu bytes, the buffer has %zu",
                        out.n + 1, buflen);
    return QS_OK;
}

QS_API qs_status qs_circuit_write_qasm_file(const qs_circuit *c, const char *path,
                                            unsigned flags)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, path);
    if (flags & ~(unsigned)QS_QASM_3)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    sb out;
    qs_status st = write_text(c, flags, &out);
    if (st == QS_ENOMEM)
        return qs__fail(st, __func__, "out of memory");
    if (st != QS_OK)
        return st;
    /* Written beside the target, then renamed over it (core/file.c). */
    qs_output *o;
    st = qs__output_open(__func__, path, &o);
    if (st == QS_OK) {
        fwrite(out.s, 1, out.n, qs_output_stream(o));
        st = qs__output_commit(__func__, o);
    }
    free(out.s);
    return st;
}
