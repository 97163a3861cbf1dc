/*
 * parser.c - recursive descent over OpenQASM statements.
 *
 *   program   := 'OPENQASM' version ';' statement*
 *   statement := include | decl | gatedef | opaque | qop | barrier | if
 *                | (3.0) input | gphase | bits '=' 'measure' arg ';'
 *   qop       := name ['(' exprs ')'] args ';' | measure | reset
 *   if        := 'if' '(' cond ')' (qop | (3.0) '{' qop* '}' ['else' ...])
 *
 * Each statement is read whole, with the location of each part, then
 * handed to sema.c.  Expressions are read by qs__x_parse from the source
 * text; identifiers in them resolve to input parameters at program level
 * and to the formal parameters inside a gate body.
 */
#include "qasm/qasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOK (ps->src->tok)

static const char *const keywords2[] = {"OPENQASM", "include", "qreg", "creg", "gate", "opaque",
                                        "barrier", "measure", "reset", "if", "pi", NULL};
/* OpenQASM 3 words that are keywords there (in 2.0 they are names). */
static const char *const keywords3[] = {
    "input", "output", "qubit", "bit", "gphase", "else", "float", "angle", "int", "uint", "bool",
    "complex", "const", "let", "def", "defcal", "defcalgrammar", "cal", "extern", "for", "while",
    "in", "break", "continue", "return", "end", "switch", "case", "default", "box", "delay",
    "duration", "stretch", "array", "ctrl", "negctrl", "inv", "pow", "true", "false", "pragma",
    "durationof", "sizeof", "mutable", "readonly", "void", "qubits", NULL};

static int in_list(const char *const *list, const char *s, size_t len)
{
    for (; *list; list++)
        if (strlen(*list) == len && memcmp(*list, s, len) == 0)
            return 1;
    return 0;
}

int qq_is_keyword(int version, const char *s, size_t len)
{
    return in_list(keywords2, s, len) || (version >= 3 && in_list(keywords3, s, len));
}

static int is_keyword(const qq_parser *ps, const char *s, size_t len)
{
    return qq_is_keyword(ps->version, s, len);
}

static const char *text_of(const qq_parser *ps, const qq_tok *t)
{
    return ps->src->text + t->off;
}

static qq_loc here(const qq_parser *ps) { return qq_loc_of(ps, &TOK); }

static int unexpected(qq_parser *ps, const char *what)
{
    char b[64];
    return qq_error(ps, QS_EPARSE, here(ps), "expected %s, found %s", what,
                    qq_tok_desc(ps, &TOK, b, sizeof b));
}

/* Consumes a token of `kind`, or reports "expected <what>". */
static int expect(qq_parser *ps, int kind, const char *what)
{
    if (TOK.kind == kind)
        return qq_next(ps);
    if (kind == T_SEMI) {
        /* Where the ';' is missing: right after the statement. */
        char b[64];
        return qq_error(ps, QS_EPARSE, qq_loc_after_prev(ps), "expected ';' before %s",
                        qq_tok_desc(ps, &TOK, b, sizeof b));
    }
    return unexpected(ps, what);
}

/* Reads an identifier that names something new (`what`). */
static int new_name(qq_parser *ps, const char *what, const char **s, size_t *len, qq_loc *loc)
{
    if (TOK.kind != T_ID) {
        char b[96];
        snprintf(b, sizeof b, "a name for the %s", what);
        return unexpected(ps, b);
    }
    *s = text_of(ps, &TOK);
    *len = TOK.len;
    *loc = here(ps);
    if (is_keyword(ps, *s, *len))
        return qq_error(ps, QS_EPARSE, *loc, "'%.*s' is a keyword and cannot name a %s",
                        (int)*len, *s, what);
    return qq_next(ps);
}

/* A non-negative integer no larger than max. */
static int integer(qq_parser *ps, const char *what, long max, long *out)
{
    if (TOK.kind != T_INT)
        return unexpected(ps, what);
    long v = 0;
    const char *s = text_of(ps, &TOK);
    for (size_t i = 0; i < TOK.len; i++) {
        if (v > (max - (s[i] - '0')) / 10)
            return qq_error(ps, QS_EPARSE, here(ps), "%.*s is too large (at most %ld)",
                            (int)TOK.len, s, max);
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return qq_next(ps);
}

/* ---------------------------------------------------------- expressions */

/* Where identifiers in expressions go: a gate's formal parameters while
 * its body is read, the circuit's input parameters otherwise. */
typedef struct scope {
    qq_parser *ps;
    const char *gate;                 /* NULL at program level */
    const char **pname;
    size_t *plen;
    int np;
} scope;

static int resolve(void *ctx, const char *name, size_t len)
{
    const scope *sc = ctx;
    if (!sc->gate)
        return qs__circ_resolve(sc->ps->c, name, len);
    for (int i = 0; i < sc->np; i++)
        if (sc->plen[i] == len && memcmp(sc->pname[i], name, len) == 0)
            return i;
    return -1;
}

/* What stands at byte `off`, for messages. */
static const char *describe_at(const char *text, size_t off, char *buf, size_t n)
{
    const unsigned char *s = (const unsigned char *)text + off;
    size_t len = 0;
    while (s[len] && (s[len] == '_' || s[len] >= 0x80 || (s[len] >= '0' && s[len] <= '9') ||
                      ((s[len] | 32) >= 'a' && (s[len] | 32) <= 'z')))
        len++;
    if (!s[0])
        return "end of file";
    snprintf(buf, n, "'%.*s'", (int)(len ? (len > 40 ? 40 : len) : 1), (const char *)s);
    return buf;
}

static int expr(qq_parser *ps, scope *sc, qq_expr *out)
{
    const char *text = ps->src->text;
    size_t start = TOK.off, end, eoff;
    const char *msg;
    qs__xbuf b = {0};
    if (TOK.kind == T_EOF)
        return unexpected(ps, "an expression");
    qs_status st = qs__x_parse(text + start, resolve, sc, &b, &end, &eoff, &msg);
    if (st != QS_OK) {
        qs__xbuf_free(&b);
        size_t off = start + eoff;
        qq_loc loc = qq_loc_at(ps, off);
        char d[64];
        if (strncmp(text + off, "/*", 2) == 0)
            return qq_error(ps, QS_EPARSE, loc, "unterminated comment: '/*' without '*/'");
        if (strcmp(msg, "unknown identifier in expression") != 0)
            return qq_error(ps, QS_EPARSE, loc, "%s, found %s", msg,
                            describe_at(text, off, d, sizeof d));
        if (sc->gate)
            return qq_error(ps, QS_EPARSE, loc, "%s is not a parameter of gate '%s'",
                            describe_at(text, off, d, sizeof d), sc->gate);
        return qq_error(ps, QS_EPARSE, loc, "unknown identifier %s in expression%s",
                        describe_at(text, off, d, sizeof d),
                        ps->version >= 3 ? " (parameters are declared 'input float[64] name;')"
                                         : "");
    }
    if (!qq_seek(ps, start + end)) {
        qs__xbuf_free(&b);
        return 0;
    }
    out->n = b.n;
    out->len = b.len;
    return 1;
}

typedef struct exprs {
    qq_expr *e;
    int n, cap;
} exprs;

static void exprs_free(exprs *x)
{
    for (int i = 0; i < x->n; i++)
        free(x->e[i].n);
    free(x->e);
}

/* '(' [expr (',' expr)*] ')' when the current token is '('. */
static int expr_list(qq_parser *ps, scope *sc, exprs *x)
{
    if (TOK.kind != T_LPAREN)
        return 1;
    if (!qq_next(ps))
        return 0;
    if (TOK.kind == T_RPAREN)
        return qq_next(ps);
    for (;;) {
        if (x->n == x->cap) {
            int cap = x->cap ? 2 * x->cap : 4;
            qq_expr *e = realloc(x->e, sizeof *e * (size_t)cap);
            if (!e)
                return qq_error(ps, QS_ENOMEM, here(ps), "out of memory");
            x->e = e;
            x->cap = cap;
        }
        if (!expr(ps, sc, &x->e[x->n]))
            return 0;
        x->n++;
        if (TOK.kind == T_RPAREN)
            return qq_next(ps);
        if (!expect(ps, T_COMMA, "',' or ')' after an argument"))
            return 0;
    }
}

/* ------------------------------------------------------------- operands */

typedef struct args {
    qq_arg *a;
    int n, cap;
} args;

static int args_push(qq_parser *ps, args *x, qq_arg a)
{
    if (x->n == x->cap) {
        int cap = x->cap ? 2 * x->cap : 4;
        qq_arg *p = realloc(x->a, sizeof *p * (size_t)cap);
        if (!p)
            return qq_error(ps, QS_ENOMEM, a.loc, "out of memory");
        x->a = p;
        x->cap = cap;
    }
    x->a[x->n++] = a;
    return 1;
}

/* A register or one element of it: quantum 1 for qubits, 0 for bits. */
static int operand(qq_parser *ps, int quantum, qq_arg *a)
{
    const char *kind = ps->version >= 3 ? (quantum ? "qubit register" : "bit register")
                                        : (quantum ? "qreg" : "creg");
    if (TOK.kind == T_HWQ && quantum && ps->version >= 3) {
        qq_loc loc = here(ps);
        long n = 0;
        const char *s = text_of(ps, &TOK);
        for (size_t i = 1; i < TOK.len && n <= QS_MAX_QUBITS; i++)
            n = n * 10 + (s[i] - '0');
        return qq_physical_qubit(ps, n, loc, a) && qq_next(ps);
    }
    if (TOK.kind != T_ID) {
        char b[96];
        snprintf(b, sizeof b, "a %s or one of its %s", kind, quantum ? "qubits" : "bits");
        return unexpected(ps, b);
    }
    a->loc = here(ps);
    a->index = -1;
    const char *s = text_of(ps, &TOK);
    size_t len = TOK.len;
    a->reg = qq_find_reg(ps, s, len);
    if (a->reg < 0)
        return qq_error(ps, QS_EPARSE, a->loc, "undefined %s '%.*s'", kind, (int)len, s);
    const qq_reg *r = &ps->regs[a->reg];
    if (r->quantum != quantum) {
        const char *is = r->quantum < 0 ? "an input parameter"
                         : ps->version >= 3 ? (r->quantum ? "a qubit register" : "a bit register")
                                            : (r->quantum ? "a qreg" : "a creg");
        return qq_error(ps, QS_EPARSE, a->loc, "'%s' is %s, but a %s is expected here", r->name,
                        is, kind);
    }
    if (!qq_next(ps))
        return 0;
    if (TOK.kind != T_LBRACK)
        return 1;
    if (!qq_next(ps))
        return 0;
    qq_loc iloc = here(ps);
    long idx;
    if (!integer(ps, "an index", 1L << 30, &idx))
        return 0;
    if (idx >= r->size)
        return qq_error(ps, QS_EPARSE, iloc,
                        "index %ld out of range: %s '%s' has %d %s (indices 0 to %d)", idx, kind,
                        r->name, r->size, quantum ? (r->size == 1 ? "qubit" : "qubits")
                                                  : (r->size == 1 ? "bit" : "bits"),
                        r->size - 1);
    a->index = (int)idx;
    return expect(ps, T_RBRACK, "']' after the index");
}

/* operand (',' operand)* */
static int operand_list(qq_parser *ps, args *x)
{
    for (;;) {
        qq_arg a;
        if (!operand(ps, 1, &a) || !args_push(ps, x, a))
            return 0;
        if (TOK.kind != T_COMMA)
            return 1;
        if (!qq_next(ps))
            return 0;
    }
}

/* ------------------------------------------------------------ gate calls */

static int check_arity(qq_parser *ps, const qq_gate *g, int np, int nq, qq_loc loc)
{
    if (np != g->np)
        return qq_error(ps, QS_EPARSE, loc, "gate '%s' takes %d parameter%s, but %d %s given",
                        g->name, g->np, g->np == 1 ? "" : "s", np, np == 1 ? "is" : "are");
    if (nq != g->nq)
        return qq_error(ps, QS_EPARSE, loc, "gate '%s' takes %d qubit%s, but %d %s given",
                        g->name, g->nq, g->nq == 1 ? "" : "s", nq, nq == 1 ? "is" : "are");
    return 1;
}

/* The gate named by the current token, or -1 with the error reported. */
static int gate_symbol(qq_parser *ps)
{
    const char *s = text_of(ps, &TOK);
    int sym = qq_find_gate(ps, s, TOK.len);
    if (sym < 0)
        qq_error(ps, QS_EPARSE, here(ps), "undefined gate '%.*s'%s", (int)TOK.len, s,
                 qq_undefined_hint(ps, s, TOK.len));
    return sym;
}

static int call_stmt(qq_parser *ps, const qq_cond *cond)
{
    qq_loc loc = here(ps);
    int sym = gate_symbol(ps);
    if (sym < 0 || !qq_next(ps))
        return 0;
    scope sc = {ps, NULL, NULL, NULL, 0};
    exprs x = {0};
    args q = {0};
    int ok = expr_list(ps, &sc, &x) && (TOK.kind == T_SEMI || operand_list(ps, &q)) &&
             expect(ps, T_SEMI, "';'") && check_arity(ps, &ps->gates[sym], x.n, q.n, loc);
    if (ok && ps->gates[sym].opaque)
        ok = qq_error(ps, QS_EUNSUPPORTED, loc,
                      "gate '%s' is opaque: it is declared without a definition, so it cannot "
                      "be simulated", ps->gates[sym].name);
    if (ok)
        ok = qq_emit_call(ps, sym, x.e, x.n, q.a, q.n, cond, loc);
    exprs_free(&x);
    free(q.a);
    return ok;
}

/* ------------------------------------------------------ gate definitions */

typedef struct names {
    const char **s;
    size_t *len;
    int n, cap;
} names;

static int names_find(const names *nm, const char *s, size_t len)
{
    for (int i = 0; i < nm->n; i++)
        if (nm->len[i] == len && memcmp(nm->s[i], s, len) == 0)
            return i;
    return -1;
}

/* name (',' name)* into nm, each new within nm and `other`. */
static int name_list(qq_parser *ps, const char *what, names *nm, const names *other)
{
    for (;;) {
        const char *s;
        size_t len;
        qq_loc loc;
        if (!new_name(ps, what, &s, &len, &loc))
            return 0;
        if (names_find(nm, s, len) >= 0 || (other && names_find(other, s, len) >= 0))
            return qq_error(ps, QS_EPARSE, loc, "'%.*s' is declared twice in this definition",
                            (int)len, s);
        if (!strcmp(what, "gate parameter") && qs__x_reserved(s, len))
            return qq_error(ps, QS_EPARSE, loc,
                            "'%.*s' is a constant or function of expressions and cannot name a "
                            "parameter", (int)len, s);
        if (nm->n == nm->cap) {
            int cap = nm->cap ? 2 * nm->cap : 4;
            const char **ns = realloc(nm->s, sizeof *ns * (size_t)cap);
            if (ns)
                nm->s = ns;
            size_t *nl = ns ? realloc(nm->len, sizeof *nl * (size_t)cap) : NULL;
            if (!nl)
                return qq_error(ps, QS_ENOMEM, loc, "out of memory");
            nm->len = nl;
            nm->cap = cap;
        }
        nm->s[nm->n] = s;
        nm->len[nm->n++] = len;
        if (TOK.kind != T_COMMA)
            return 1;
        if (!qq_next(ps))
            return 0;
    }
}

/* The head of a definition: name ['(' params ')'] [qubits]. */
static int gate_head(qq_parser *ps, const char *what, int *gi, names *pn, names *qn)
{
    const char *s;
    size_t len;
    qq_loc loc;
    if (!new_name(ps, what, &s, &len, &loc))
        return 0;
    if (TOK.kind == T_LPAREN) {
        if (!qq_next(ps))
            return 0;
        if (TOK.kind != T_RPAREN && !name_list(ps, "gate parameter", pn, NULL))
            return 0;
        if (!expect(ps, T_RPAREN, "',' or ')' after a parameter name"))
            return 0;
    }
    /* OpenQASM 3 allows gates without qubits (Qiskit's global_phase). */
    if (!(ps->version >= 3 && TOK.kind != T_ID) && !name_list(ps, "qubit argument", qn, pn))
        return 0;
    *gi = qq_declare_gate(ps, s, len, loc);
    if (*gi < 0)
        return 0;
    ps->gates[*gi].np = pn->n;
    ps->gates[*gi].nq = qn->n;
    ps->gates[*gi].builtin = ps->src->builtin;
    ps->gates[*gi].header = ps->src->builtin ? "qelib1.inc" : NULL;
    return 1;
}

/* One operation of a gate body: a call, barrier or gphase. */
static int body_op(qq_parser *ps, int gi, scope *sc, const names *qn)
{
    qq_loc loc = here(ps);
    const char *gname = ps->gates[gi].name;
    static const char *const banned[] = {"measure", "reset", "if", "gate", "opaque", "qreg",
                                         "creg", "include", "OPENQASM", "qubit", "bit",
                                         "input", NULL};
    static const char *const modifiers[] = {"ctrl", "negctrl", "inv", "pow", NULL};
    if (TOK.kind != T_ID)
        return unexpected(ps, "a gate, 'barrier' or '}' in the gate body");
    const char *s = text_of(ps, &TOK);
    if (in_list(banned, s, TOK.len) && (ps->version >= 3 || !in_list(keywords3, s, TOK.len)))
        return qq_error(ps, QS_EPARSE, loc, "'%.*s' is not allowed in the body of gate '%s'",
                        (int)TOK.len, s, gname);
    if (ps->version >= 3 && in_list(modifiers, s, TOK.len))
        return qq_error(ps, QS_EUNSUPPORTED, loc, "gate modifiers (%.*s @) are not supported",
                        (int)TOK.len, s);
    int kind = GOP_CALL, sym = -1;
    if (qq_is(ps, "barrier"))
        kind = GOP_BARRIER;
    else if (ps->version >= 3 && qq_is(ps, "gphase"))
        kind = GOP_GPHASE;
    else if ((sym = gate_symbol(ps)) < 0)
        return 0;
    if (sym == gi)
        return qq_error(ps, QS_EPARSE, loc, "gate '%s' cannot use itself", gname);
    if (!qq_next(ps))
        return 0;
    exprs x = {0};
    int formals[64], *f = formals, nf = 0, capf = 64, ok = 1;
    if (kind == GOP_GPHASE && TOK.kind != T_LPAREN)
        ok = unexpected(ps, "'(' after gphase");
    if (ok && kind != GOP_BARRIER)
        ok = expr_list(ps, sc, &x);
    if (ok && kind == GOP_GPHASE && x.n != 1)
        ok = qq_error(ps, QS_EPARSE, loc, "gphase takes one argument, but %d %s given", x.n,
                      x.n == 1 ? "is" : "are");
    while (ok && TOK.kind != T_SEMI && !(kind == GOP_GPHASE)) {
        if (nf > 0 && !(ok = expect(ps, T_COMMA, "',' or ';'")))
            break;
        int j = -1;
        if (TOK.kind == T_ID)
            j = names_find(qn, text_of(ps, &TOK), TOK.len);
        if (j < 0) {
            ok = TOK.kind == T_ID
                     ? qq_error(ps, QS_EPARSE, here(ps), "'%.*s' is not a qubit argument of gate "
                                "'%s'", (int)TOK.len, text_of(ps, &TOK), gname)
                     : unexpected(ps, "a qubit argument of the gate");
            break;
        }
        for (int k = 0; ok && k < nf; k++)
            if (f[k] == j)
                ok = qq_error(ps, QS_EPARSE, here(ps), "qubit '%.*s' is used twice in this %s",
                              (int)TOK.len, text_of(ps, &TOK),
                              kind == GOP_CALL ? "gate" : "barrier");
        if (!ok || !qq_next(ps))
            break;
        if (TOK.kind == T_LBRACK) {
            ok = qq_error(ps, QS_EPARSE, here(ps), "qubit arguments of a gate are single "
                          "qubits and cannot be indexed");
            break;
        }
        if (nf == capf) {
            int *g = malloc(sizeof *g * (size_t)capf * 2);
            if (!g) {
                ok = qq_error(ps, QS_ENOMEM, loc, "out of memory");
                break;
            }
            memcpy(g, f, sizeof *g * (size_t)nf);
            if (f != formals)
                free(f);
            f = g;
            capf *= 2;
        }
        f[nf++] = j;
    }
    ok = ok && expect(ps, T_SEMI, "';'");
    if (ok && kind == GOP_CALL)
        ok = check_arity(ps, &ps->gates[sym], x.n, nf, loc);
    if (ok && kind == GOP_BARRIER && nf == 0 && ps->version < 3)
        ok = qq_error(ps, QS_EPARSE, loc, "barrier needs at least one qubit");
    if (ok)
        ok = qq_gate_add_op(ps, &ps->gates[gi], kind, sym, f, nf, x.e, x.n, loc);
    exprs_free(&x);
    if (f != formals)
        free(f);
    return ok;
}

static int gate_def(qq_parser *ps)
{
    names pn = {0}, qn = {0};
    int gi = -1, ok = qq_next(ps) && gate_head(ps, "gate", &gi, &pn, &qn);
    qq_loc loc = ok ? ps->gates[gi].loc : here(ps);
    scope sc = {ps, ok ? ps->gates[gi].name : NULL, pn.s, pn.len, pn.n};
    ok = ok && expect(ps, T_LBRACE, "'{' to begin the gate body");
    while (ok && TOK.kind != T_RBRACE) {
        if (TOK.kind == T_EOF) {
            char where[256];
            ok = qq_error(ps, QS_EPARSE, here(ps), "expected '}' to end the body of gate '%s' "
                          "(begun at %s), found end of file", ps->gates[gi].name,
                          qq_where(ps, loc, where, sizeof where));
        } else {
            ok = body_op(ps, gi, &sc, &qn);
        }
    }
    ok = ok && qq_next(ps) && qq_gate_finish(ps, gi, loc);
    free(pn.s);
    free(pn.len);
    free(qn.s);
    free(qn.len);
    return ok;
}

static int opaque_def(qq_parser *ps)
{
    names pn = {0}, qn = {0};
    int gi = -1;
    int ok = qq_next(ps) && gate_head(ps, "opaque gate", &gi, &pn, &qn) &&
             expect(ps, T_SEMI, "';'");
    if (ok)
        ps->gates[gi].opaque = 1;
    free(pn.s);
    free(pn.len);
    free(qn.s);
    free(qn.len);
    return ok;
}

/* --------------------------------------------------------- declarations */

static int reg_decl(qq_parser *ps, int quantum, int legacy)
{
    long size = 1;
    const char *s;
    size_t len;
    qq_loc loc;
    const char *what = quantum ? "quantum register" : "classical register";
    if (!qq_next(ps))
        return 0;
    if (!legacy && TOK.kind == T_LBRACK &&
        !(qq_next(ps) && integer(ps, "a register size", 1L << 30, &size) &&
          expect(ps, T_RBRACK, "']' after the size")))
        return 0;
    if (!new_name(ps, what, &s, &len, &loc))
        return 0;
    if (legacy && !(expect(ps, T_LBRACK, "'[' and the register size") &&
                    integer(ps, "a register size", 1L << 30, &size) &&
                    expect(ps, T_RBRACK, "']' after the size")))
        return 0;
    if (size < 1)
        return qq_error(ps, QS_EPARSE, loc, "register '%.*s' has size 0: a register needs at "
                        "least one %s", (int)len, s, quantum ? "qubit" : "bit");
    return expect(ps, T_SEMI, "';'") && qq_declare_reg(ps, s, len, quantum, (int)size, loc);
}

static int input_decl(qq_parser *ps)
{
    if (!qq_next(ps))
        return 0;
    qq_loc tloc = here(ps);
    if (!qq_is(ps, "float") && !qq_is(ps, "angle")) {
        if (TOK.kind == T_ID)
            return qq_error(ps, QS_EUNSUPPORTED, tloc,
                            "inputs of type '%.*s' are not supported: circuit parameters are "
                            "declared 'input float[64] name;' or 'input angle[32] name;'",
                            (int)TOK.len, text_of(ps, &TOK));
        return unexpected(ps, "a type ('float' or 'angle')");
    }
    long width;
    if (!qq_next(ps))
        return 0;
    if (TOK.kind == T_LBRACK && !(qq_next(ps) && integer(ps, "a width", 1024, &width) &&
                                  expect(ps, T_RBRACK, "']' after the width")))
        return 0;
    const char *s;
    size_t len;
    qq_loc loc;
    return new_name(ps, "parameter", &s, &len, &loc) && expect(ps, T_SEMI, "';'") &&
           qq_declare_reg(ps, s, len, -1, 0, loc);
}

static int include_stmt(qq_parser *ps)
{
    qq_loc loc = here(ps);
    if (!qq_next(ps))
        return 0;
    if (TOK.kind != T_STRING)
        return unexpected(ps, "a file name in double quotes");
    char *name = strndup(text_of(ps, &TOK) + 1, TOK.len - 2);
    if (!name)
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    int done = 0, ok = qq_next(ps) && expect(ps, T_SEMI, "';'") &&
                       qq_include_builtin(ps, name, loc, &done);
    if (ok && !done) {
        ok = qq_push_file(ps, name, loc);
        if (ok) {
            ok = qq_parse_statements(ps);
            qq_pop(ps);
        }
    }
    free(name);
    return ok;
}

/* ----------------------------------------------------- other statements */

static int measure_stmt(qq_parser *ps, const qq_cond *cond)
{
    qq_loc loc = here(ps);
    qq_arg q, c;
    if (!qq_next(ps) || !operand(ps, 1, &q))
        return 0;
    if (ps->version >= 3 && TOK.kind == T_SEMI)   /* outcome discarded */
        return qq_next(ps) && qq_emit_measure(ps, &q, NULL, cond, loc);
    return expect(ps, T_ARROW, "'->' and the bits that receive the outcome") &&
           operand(ps, 0, &c) && expect(ps, T_SEMI, "';'") &&
           qq_emit_measure(ps, &q, &c, cond, loc);
}

/* bits '=' 'measure' qubits ';' (OpenQASM 3). */
static int assign_stmt(qq_parser *ps, const qq_cond *cond)
{
    qq_loc loc = here(ps);
    qq_arg q, c;
    if (ps->version < 3)
        return qq_error(ps, QS_EPARSE, loc, "assignments such as 'c[0] = measure q[0];' are "
                        "OpenQASM 3: start the program with 'OPENQASM 3.0;'");
    if (!operand(ps, 0, &c) || !expect(ps, T_EQ, "'='"))
        return 0;
    if (!qq_is(ps, "measure"))
        return qq_error(ps, QS_EUNSUPPORTED, here(ps), "only 'measure' can be assigned to bits");
    return qq_next(ps) && operand(ps, 1, &q) && expect(ps, T_SEMI, "';'") &&
           qq_emit_measure(ps, &q, &c, cond, loc);
}

static int reset_stmt(qq_parser *ps, const qq_cond *cond)
{
    qq_loc loc = here(ps);
    qq_arg q;
    return qq_next(ps) && operand(ps, 1, &q) && expect(ps, T_SEMI, "';'") &&
           qq_emit_reset(ps, &q, cond, loc);
}

static int barrier_stmt(qq_parser *ps)
{
    qq_loc loc = here(ps);
    args q = {0};
    int ok = qq_next(ps) && ((ps->version >= 3 && TOK.kind == T_SEMI) || operand_list(ps, &q)) &&
             expect(ps, T_SEMI, "';'") && qq_emit_barrier(ps, q.a, q.n, loc);
    free(q.a);
    return ok;
}

static int gphase_stmt(qq_parser *ps, const qq_cond *cond)
{
    qq_loc loc = here(ps);
    scope sc = {ps, NULL, NULL, NULL, 0};
    qq_expr e = {0};
    int ok = qq_next(ps) && expect(ps, T_LPAREN, "'(' after gphase") && expr(ps, &sc, &e) &&
             expect(ps, T_RPAREN, "')'") && expect(ps, T_SEMI, "';'") &&
             qq_emit_gphase(ps, &e, cond, loc);
    free(e.n);
    return ok;
}

static int statement(qq_parser *ps);

/* Skips a duration '[' ... ']' (delay, box): time does not change the
 * state in this simulator. */
static int duration(qq_parser *ps)
{
    qq_loc open = here(ps);
    if (!expect(ps, T_LBRACK, "'[' and a duration"))
        return 0;
    while (TOK.kind != T_RBRACK) {
        if (TOK.kind == T_EOF || TOK.kind == T_SEMI || TOK.kind == T_LBRACE) {
            char b[64];
            return qq_error(ps, QS_EPARSE, here(ps), "expected ']' to end the duration begun at "
                            "%d:%d, found %s", open.line, open.col,
                            qq_tok_desc(ps, &TOK, b, sizeof b));
        }
        if (!qq_next(ps))
            return 0;
    }
    return qq_next(ps);
}

/* delay[duration] qubits; : the identity. */
static int delay_stmt(qq_parser *ps)
{
    args q = {0};
    int ok = qq_next(ps) && duration(ps) && (TOK.kind == T_SEMI || operand_list(ps, &q)) &&
             expect(ps, T_SEMI, "';'");
    free(q.a);
    return ok;
}

/* stretch name; : a duration variable, which delays ignore. */
static int stretch_decl(qq_parser *ps)
{
    const char *s;
    size_t len;
    qq_loc loc;
    return qq_next(ps) && new_name(ps, "stretch", &s, &len, &loc) && expect(ps, T_SEMI, "';'");
}

/* box [duration] { statements } : its statements, as they are. */
static int box_stmt(qq_parser *ps)
{
    qq_loc loc = here(ps);
    if (!qq_next(ps) || (TOK.kind == T_LBRACK && !duration(ps)))
        return 0;
    if (!expect(ps, T_LBRACE, "'{' to begin the box"))
        return 0;
    while (TOK.kind != T_RBRACE) {
        if (TOK.kind == T_EOF)
            return qq_error(ps, QS_EPARSE, here(ps), "expected '}' to end the box begun at "
                            "%d:%d, found end of file", loc.line, loc.col);
        if (!statement(ps))
            return 0;
    }
    return qq_next(ps);
}

/* if '(' cond ')' ... : creg == n (2.0), also bit, !bit, bit == n (3.0). */
static int condition(qq_parser *ps, qq_cond *cond)
{
    int negate = 0;
    if (!qq_next(ps) || !expect(ps, T_LPAREN, "'(' after if"))
        return 0;
    if (ps->version >= 3 && TOK.kind == T_BANG) {
        negate = 1;
        if (!qq_next(ps))
            return 0;
    }
    qq_arg c;
    qq_loc cloc = here(ps);
    if (!operand(ps, 0, &c))
        return 0;
    const qq_reg *r = &ps->regs[c.reg];
    int bits = c.index >= 0 ? 1 : r->size;
    long value = 1;
    if (!negate && (ps->version < 3 || TOK.kind == T_EQEQ)) {
        if (!expect(ps, T_EQEQ, "'==' in the condition"))
            return 0;
        qq_loc vloc = here(ps);
        if (ps->version >= 3 && (qq_is(ps, "true") || qq_is(ps, "false"))) {
            value = qq_is(ps, "true");
            if (!qq_next(ps))
                return 0;
        } else if (!integer(ps, "an integer to compare with", 1L << 62, &value)) {
            return 0;
        }
        if (bits < 63 && (uint64_t)value >> bits)
            return qq_error(ps, QS_EPARSE, vloc, "%ld does not fit in the %d bit%s of '%s'",
                            value, bits, bits == 1 ? "" : "s", r->name);
    } else if (bits != 1) {
        return qq_error(ps, QS_EUNSUPPORTED, cloc, "a condition on the %d bits of '%s' needs "
                        "'== value'", bits, r->name);
    }
    if (bits > 64)
        return qq_error(ps, QS_EUNSUPPORTED, cloc, "conditions on more than 64 bits ('%s' has "
                        "%d) are not supported", r->name, bits);
    *cond = (qq_cond){r->first + (c.index >= 0 ? c.index : 0), bits,
                      (uint64_t)(negate ? 0 : value)};
    return expect(ps, T_RPAREN, "')' after the condition");
}

/* One statement under a condition. */
static int conditioned(qq_parser *ps, const qq_cond *cond)
{
    if (TOK.kind == T_ID && qq_is(ps, "measure"))
        return measure_stmt(ps, cond);
    if (TOK.kind == T_ID && qq_is(ps, "reset"))
        return reset_stmt(ps, cond);
    if (ps->version >= 3 && qq_is(ps, "gphase"))
        return gphase_stmt(ps, cond);
    if (ps->version >= 3 && qq_is(ps, "barrier"))
        return barrier_stmt(ps);
    if (qq_is(ps, "if"))
        return qq_error(ps, QS_EUNSUPPORTED, here(ps), "nested conditions are not supported");
    if (TOK.kind != T_ID || is_keyword(ps, text_of(ps, &TOK), TOK.len))
        return unexpected(ps, "a gate, measure or reset after the condition");
    int next = qq_peek(ps);
    if (next == T_LBRACK || next == T_EQ)
        return assign_stmt(ps, cond);
    return call_stmt(ps, cond);
}

/* A conditioned statement or (3.0) a block of them. */
static int if_body(qq_parser *ps, const qq_cond *cond)
{
    if (ps->version < 3 || TOK.kind != T_LBRACE)
        return conditioned(ps, cond);
    if (!qq_next(ps))
        return 0;
    while (TOK.kind != T_RBRACE)
        if (TOK.kind == T_EOF ? !unexpected(ps, "'}' to end the block") : !conditioned(ps, cond))
            return 0;
    return qq_next(ps);
}

static int if_stmt(qq_parser *ps)
{
    qq_cond cond;
    if (!condition(ps, &cond) || !if_body(ps, &cond))
        return 0;
    if (ps->version < 3 || !qq_is(ps, "else"))
        return 1;
    if (cond.bits != 1)
        return qq_error(ps, QS_EUNSUPPORTED, here(ps), "'else' after a condition on %d bits is "
                        "not supported (only after one bit)", cond.bits);
    cond.value ^= 1;
    return qq_next(ps) && if_body(ps, &cond);
}

static int statement(qq_parser *ps)
{
    if (TOK.kind != T_ID) {
        if (ps->version >= 3 && TOK.kind == T_AT)
            return qq_error(ps, QS_EUNSUPPORTED, here(ps), "annotations are not supported");
        return unexpected(ps, "a statement");
    }
    if (qq_is(ps, "include"))
        return include_stmt(ps);
    if (qq_is(ps, "qreg") || qq_is(ps, "creg"))
        return reg_decl(ps, qq_is(ps, "qreg"), 1);
    if (qq_is(ps, "gate"))
        return gate_def(ps);
    if (qq_is(ps, "opaque"))
        return opaque_def(ps);
    if (qq_is(ps, "barrier"))
        return barrier_stmt(ps);
    if (qq_is(ps, "measure"))
        return measure_stmt(ps, NULL);
    if (qq_is(ps, "reset"))
        return reset_stmt(ps, NULL);
    if (qq_is(ps, "if"))
        return if_stmt(ps);
    if (qq_is(ps, "OPENQASM"))
        return qq_error(ps, QS_EPARSE, here(ps),
                        "'OPENQASM' may only begin the program, as its first statement");
    if (ps->version >= 3) {
        if (qq_is(ps, "qubit") || qq_is(ps, "bit"))
            return reg_decl(ps, qq_is(ps, "qubit"), 0);
        if (qq_is(ps, "input"))
            return input_decl(ps);
        if (qq_is(ps, "gphase"))
            return gphase_stmt(ps, NULL);
        if (qq_is(ps, "delay"))
            return delay_stmt(ps);
        if (qq_is(ps, "box"))
            return box_stmt(ps);
        if (qq_is(ps, "stretch"))
            return stretch_decl(ps);
        if (qq_is(ps, "ctrl") || qq_is(ps, "negctrl") || qq_is(ps, "inv") || qq_is(ps, "pow"))
            return qq_error(ps, QS_EUNSUPPORTED, here(ps),
                            "gate modifiers (%.*s @) are not supported", (int)TOK.len,
                            text_of(ps, &TOK));
        if (is_keyword(ps, text_of(ps, &TOK), TOK.len))
            return qq_error(ps, QS_EUNSUPPORTED, here(ps),
                            "OpenQASM 3 '%.*s' is not supported: qsim reads the OpenQASM 3 that "
                            "Qiskit writes for circuits (input parameters, qubit and bit "
                            "registers, gates, gphase, measure, reset, barrier, if/else)",
                            (int)TOK.len, text_of(ps, &TOK));
    }
    int next = qq_peek(ps);
    if (next == T_LBRACK || next == T_EQ)
        return assign_stmt(ps, NULL);
    return call_stmt(ps, NULL);
}

int qq_parse_statements(qq_parser *ps)
{
    while (TOK.kind != T_EOF)
        if (!statement(ps))
            return 0;
    return 1;
}

int qq_parse_program(qq_parser *ps)
{
    if (!qq_is(ps, "OPENQASM")) {
        /* Qiskit reads such a program as OpenQASM 2.0, and so do we, with a
         * warning; strict mode wants the header. */
        if (ps->flags & QS_PARSE_STRICT)
            return unexpected(ps, "'OPENQASM 2.0;' (or 'OPENQASM 3.0;') to begin the program");
        qq_loc at = here(ps);
        qs__warn_at(at.file, at.line, at.col, "no 'OPENQASM' version line: read as OpenQASM "
                    "2.0");
        ps->version = 2;
        return qq_parse_statements(ps);
    }
    if (!qq_next(ps))
        return 0;
    qq_loc vloc = here(ps);
    char v[16] = "";
    if (TOK.kind == T_INT || TOK.kind == T_REAL)
        snprintf(v, sizeof v, "%.*s", (int)(TOK.len < 15 ? TOK.len : 15), text_of(ps, &TOK));
    if (!strcmp(v, "2.0") || !strcmp(v, "2"))
        ps->version = 2;
    else if (v[0] == '3' && (v[1] == '\0' || v[1] == '.'))
        ps->version = 3;
    else if (v[0])
        return qq_error(ps, QS_EPARSE, vloc, "OpenQASM version %s is not supported (2.0 and 3 "
                        "are)", v);
    else
        return unexpected(ps, "a version number after 'OPENQASM'");
    if (ps->version == 3 && (ps->flags & QS_PARSE_STRICT))
        return qq_error(ps, QS_EPARSE, vloc, "strict mode reads OpenQASM 2.0 only");
    return qq_next(ps) && expect(ps, T_SEMI, "';'") && qq_parse_statements(ps);
}
