/*
 * control.c - OpenQASM 3 classical code: expressions on bits, integers and
 * booleans; int/uint/bool variables, const, assignments; if/else, for,
 * while, switch, break and continue.
 *
 * The circuit stays a straight list of operations.  A branch evaluates its
 * condition once, into a hidden guard bit (QS__I_STORE), and every
 * operation inside carries "guard == 1" as its condition; nested branches
 * fold the enclosing guard into theirs.  An `if` on a bit or register
 * equality at top level whose body writes no bits keeps the plain
 * condition (what OpenQASM 2.0 `if` and the writer express).  `for` loops
 * are unrolled: the body's text is read again for each value of the loop
 * variable, a constant there.  `while` loops are unrolled QQ_MAX_WHILE
 * times under a loop guard recomputed after each iteration; a run whose
 * guard still holds after the last iteration fails (QS__I_FAIL) rather
 * than returning wrong results.  break clears the guards from the loop's
 * to the innermost; continue those of the iteration.  Hidden bits are
 * allocated as a stack: a block's variables and a statement's guards are
 * freed when it ends, so a program needs as many as it nests.
 */
#include "qasm/qasm.h"
#include "ir/classical.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOK (ps->src->tok)

/* --------------------------------------------------------------- buffers */

typedef struct cbuf {
    qs__xnode *n;
    int len, cap, oom;
} cbuf;

static void cpush(cbuf *b, int op, int param, double value)
{
    if (b->len == b->cap) {
        int cap = b->cap ? 2 * b->cap : 16;
        qs__xnode *n = realloc(b->n, sizeof *n * (size_t)cap);
        if (!n) {
            b->oom = 1;
            return;
        }
        b->n = n;
        b->cap = cap;
    }
    b->n[b->len++] = (qs__xnode){op, param, value};
}

static void cappend(cbuf *b, const cbuf *a)
{
    for (int i = 0; i < a->len; i++)
        cpush(b, a->n[i].op, a->n[i].param, a->n[i].value);
}

/* Makes b's value a bool (0 or 1), unless it is one already. */
static void as_bool(cbuf *b)
{
    int op = b->len ? b->n[b->len - 1].op : -1;
    if ((op >= QS__C_LAND && op <= QS__C_GE) || op == QS__C_LNOT ||
        (op == QS__C_CAST && b->n[b->len - 1].param == 0) ||
        (op == QS__C_BITS && (int)b->n[b->len - 1].value == 2) ||
        (op == QS__C_CONST && (b->n[b->len - 1].value == 0 || b->n[b->len - 1].value == 1)))
        return;
    cpush(b, QS__C_CAST, 0, 0);
}

static void cbits(cbuf *b, int first, int width, int sgn)
{
    cpush(b, QS__C_BITS, first, 2.0 * width + sgn);
}

static const char *text_of(const qq_parser *ps) { return ps->src->text + TOK.off; }
static qq_loc here(const qq_parser *ps) { return qq_loc_of(ps, &TOK); }

/* ----------------------------------------------------------- expressions */

static int cexpr_bin(qq_parser *ps, cbuf *b, int minprec);

/* A width in brackets after int/uint, or the default 64. */
static int type_width(qq_parser *ps, int *width)
{
    *width = 64;
    if (TOK.kind != T_LBRACK)
        return 1;
    long w;
    if (!qq_next(ps) || !qq_integer(ps, "a width", 64, &w) ||
        !qq_expect(ps, T_RBRACK, "']' after the width"))
        return 0;
    if (w < 1)
        return qq_error(ps, QS_EPARSE, ps->src->prev.line ? qq_loc_after_prev(ps) : here(ps),
                        "a width must be at least 1");
    *width = (int)w;
    return 1;
}

/* '[' i ']' or '[' a ':' b ']' after the name of g (at the '['): the
 * bits [*first, *first + *width) it selects. */
static int select_bits(qq_parser *ps, const qq_reg *g, int *first, int *width)
{
    long a, b;
    if (!qq_next(ps))
        return 0;
    qq_loc iloc = here(ps);
    if (!qq_integer(ps, "an index", 1L << 30, &a))
        return 0;
    b = a;
    if (TOK.kind == T_COLON && !(qq_next(ps) && qq_integer(ps, "the end of the slice", 1L << 30, &b)))
        return 0;
    if (!qq_expect(ps, T_RBRACK, "']'"))
        return 0;
    if (b >= g->size || a > b)
        return qq_error(ps, QS_EPARSE, iloc, "index %ld out of range: '%s' has %d bit%s",
                        b >= g->size ? b : a, g->name, g->size, g->size == 1 ? "" : "s");
    if (b - a >= 64)
        return qq_error(ps, QS_EUNSUPPORTED, iloc, "a slice of more than 64 bits");
    *first = g->first + (int)a;
    *width = (int)(b - a + 1);
    return 1;
}

/* 1 if the current token begins a classical type: *kind 0 int, 1 uint,
 * 2 bool. */
static int is_type(const qq_parser *ps, int *kind)
{
    *kind = qq_is(ps, "int") ? 0 : qq_is(ps, "uint") ? 1 : qq_is(ps, "bool") ? 2 : -1;
    return *kind >= 0;
}

static int primary(qq_parser *ps, cbuf *b)
{
    qq_loc loc = here(ps);
    int kind;
    if (TOK.kind == T_INT) {
        long v;
        return qq_integer(ps, "an integer", (1L << 53), &v) && (cpush(b, QS__C_CONST, 0, (double)v), 1);
    }
    if (TOK.kind == T_LPAREN)
        return qq_next(ps) && cexpr_bin(ps, b, 1) && qq_expect(ps, T_RPAREN, "')'");
    if (TOK.kind == T_BANG || TOK.kind == T_TILDE || TOK.kind == T_MINUS) {
        int op = TOK.kind == T_BANG ? QS__C_LNOT : TOK.kind == T_TILDE ? QS__C_BNOT : QS__C_NEG;
        if (!qq_next(ps) || !primary(ps, b))
            return 0;
        cpush(b, op, 0, 0);
        return 1;
    }
    if (TOK.kind != T_ID)
        return qq_unexpected(ps, "a classical value (a bit, register, variable or integer)");
    if (qq_is(ps, "true") || qq_is(ps, "false")) {
        cpush(b, QS__C_CONST, 0, qq_is(ps, "true"));
        return qq_next(ps);
    }
    if (is_type(ps, &kind) || qq_is(ps, "bit")) {   /* a cast: type(expr) */
        int width = 1, sgn = kind == 0;
        if (!qq_next(ps))
            return 0;
        if (kind != 2 && !type_width(ps, &width))
            return 0;
        if (kind < 0 && ps->src->prev.kind != T_RBRACK)
            width = 1;   /* bit(x) */
        if (kind == 2)
            width = 0;
        if (!qq_expect(ps, T_LPAREN, "'(' after the type of a cast") || !cexpr_bin(ps, b, 1) ||
            !qq_expect(ps, T_RPAREN, "')'"))
            return 0;
        cpush(b, QS__C_CAST, width, sgn);
        return 1;
    }
    const char *s = text_of(ps);
    size_t len = TOK.len;
    int r = qq_find_reg(ps, s, len);
    if (r < 0)
        return qq_error(ps, QS_EPARSE, loc, "undefined name '%.*s' in a classical expression",
                        (int)len, s);
    const qq_reg *g = &ps->regs[r];
    if (g->quantum == 1 || g->quantum < 0)
        return qq_error(ps, QS_EUNSUPPORTED, loc, "'%s' is %s: classical expressions use bits, "
                        "registers, int/uint/bool variables and integers", g->name,
                        g->quantum == 1 ? "a qubit register" : "an input parameter (a float)");
    if (!qq_next(ps))
        return 0;
    if (g->quantum == 3) {
        cpush(b, QS__C_CONST, 0, (double)g->value);
        return 1;
    }
    if (TOK.kind == T_LBRACK) {   /* one bit, or a slice */
        int first, width;
        if (!select_bits(ps, g, &first, &width))
            return 0;
        cbits(b, first, width, 0);
        return 1;
    }
    if (g->size > 64)
        return qq_error(ps, QS_EUNSUPPORTED, loc, "'%s' has %d bits: classical values have at "
                        "most 64", g->name, g->size);
    cbits(b, g->first, g->size, g->quantum == 2 && g->sgn == 1);
    return 1;
}

static int precedence(int kind, int *op)
{
    static const struct { int kind, prec, op; } t[] = {
        {T_OROR, 1, QS__C_LOR}, {T_ANDAND, 2, QS__C_LAND}, {T_PIPE, 3, QS__C_OR},
        {T_CARET, 4, QS__C_XOR}, {T_AMP, 5, QS__C_AND}, {T_EQEQ, 6, QS__C_EQ},
        {T_NE, 6, QS__C_NE}, {T_LT, 7, QS__C_LT}, {T_LE, 7, QS__C_LE}, {T_GT, 7, QS__C_GT},
        {T_GE, 7, QS__C_GE}, {T_SHL, 8, QS__C_SHL}, {T_SHR, 8, QS__C_SHR},
        {T_PLUS, 9, QS__C_ADD}, {T_MINUS, 9, QS__C_SUB}, {T_STAR, 10, QS__C_MUL},
        {T_SLASH, 10, QS__C_DIV}, {T_PERCENT, 10, QS__C_MOD},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (t[i].kind == kind) {
            *op = t[i].op;
            return t[i].prec;
        }
    return 0;
}

static int cexpr_bin(qq_parser *ps, cbuf *b, int minprec)
{
    if (!primary(ps, b))
        return 0;
    for (;;) {
        int op, prec = precedence(TOK.kind, &op);
        if (prec < minprec || prec == 0)
            return 1;
        if (!qq_next(ps) || !cexpr_bin(ps, b, prec + 1))
            return 0;
        cpush(b, op, 0, 0);
    }
}

/* A classical expression into b. */
static int cexpr(qq_parser *ps, cbuf *b)
{
    qq_loc loc = here(ps);
    if (!cexpr_bin(ps, b, 1))
        return 0;
    if (b->oom)
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    if (b->len > QS__X_MAX / 2)
        return qq_error(ps, QS_ETOOBIG, loc, "the classical expression is too long (more than "
                        "%d terms)", QS__X_MAX / 2);
    return 1;
}

/* A constant classical expression's value. */
static int const_value(qq_parser *ps, const char *what, int64_t *v)
{
    qq_loc loc = here(ps);
    cbuf b = {0};
    int ok = cexpr(ps, &b);
    if (ok && !qs__c_is_const(b.n, b.len))
        ok = qq_error(ps, QS_EPARSE, loc, "%s must be a constant (it reads classical bits)",
                      what);
    if (ok)
        *v = qs__c_eval(b.n, b.len, NULL);
    free(b.n);
    return ok;
}

/* ------------------------------------------------------------ conditions */

const qq_cond *qq_cur(const qq_parser *ps) { return ps->has_cur ? &ps->cur : NULL; }

/* Appends "the current condition holds" (nothing when there is none). */
static void cur_expr(const qq_parser *ps, cbuf *b)
{
    cbits(b, ps->cur.first, ps->cur.bits, 0);
    cpush(b, QS__C_CONST, 0, (double)ps->cur.value);
    cpush(b, QS__C_EQ, 0, 0);
}

/* n hidden bits from the stack; *first their index. */
static int hidden(qq_parser *ps, int n, qq_loc loc, int *first)
{
    if (ps->vtop + n > QQ_MAX_CLBITS)
        return qq_error(ps, QS_ETOOBIG, loc, "more than %d bits of classical variables and "
                        "branch guards", QQ_MAX_CLBITS);
    /* Never across a multiple of 64: the writer names hidden bits as
     * 64-bit variables, and a value as a slice of one. */
    if (n > 1 && ps->vtop / 64 != (ps->vtop + n - 1) / 64)
        ps->vtop = (ps->vtop + 63) / 64 * 64;
    *first = QS__VBASE + ps->vtop;
    ps->vtop += n;
    if (ps->vtop > ps->c->nvb)
        ps->c->nvb = ps->vtop;
    return 1;
}

/* bits [first, first+width) = b, under condition cond. */
static int store(qq_parser *ps, int first, int width, const cbuf *b, const qq_cond *cond,
                 qq_loc loc)
{
    if (b->oom)
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    qq_expr x = {b->n, b->len};
    return qq_emit_store(ps, first, width, &x, cond, loc);
}

/* guard bit g = (current condition) && b (b NULL: the current condition). */
static int set_guard(qq_parser *ps, int g, const cbuf *b, qq_loc loc)
{
    cbuf e = {0};
    if (b)
        cappend(&e, b);
    if (ps->has_cur) {
        cur_expr(ps, &e);
        if (b)
            cpush(&e, QS__C_LAND, 0, 0);
    } else if (!b) {
        cpush(&e, QS__C_CONST, 0, 1);
    }
    if (b)
        as_bool(&e);
    int ok = store(ps, g, 1, &e, NULL, loc);
    free(e.n);
    return ok;
}

typedef struct saved_cur {
    int has;
    qq_cond cur;
} saved_cur;

static saved_cur enter_guard(qq_parser *ps, int g)
{
    saved_cur s = {ps->has_cur, ps->cur};
    ps->has_cur = 1;
    ps->cur = (qq_cond){g, 1, 1};
    if (ps->nguards < QQ_MAX_BLOCKS)
        ps->guards[ps->nguards] = g;
    ps->nguards++;
    return s;
}

static void leave_guard(qq_parser *ps, saved_cur s)
{
    ps->nguards--;
    ps->has_cur = s.has;
    ps->cur = s.cur;
}

/* ---------------------------------------------------------------- blocks */

/* Looks ahead over the statement or block at the current token without
 * reading it: whether it measures or assigns (writes bits), whether it
 * holds classical code (branches, loops, declarations) and whether it holds
 * break or continue.  The lexer is where it was afterwards; *after_else
 * says whether 'else' follows. */
static int scan(qq_parser *ps, int *writes, int *classical, int *brk, int *cont,
                int *after_else)
{
    qq_src saved = *ps->src;
    int depth = 0, ok = 1, braced = TOK.kind == T_LBRACE;
    *writes = *brk = *cont = 0;
    if (classical)
        *classical = 0;
    for (;;) {
        int k = TOK.kind;
        if (k == T_EOF)
            break;
        if (k == T_EQ || qq_is(ps, "measure"))
            *writes = 1;
        /* branches, loops and declarations inside (assignments are
         * writes, which qq_writes_bits checks after the fact) */
        if (classical && (qq_is(ps, "if") || qq_is(ps, "for") ||
                          qq_is(ps, "while") || qq_is(ps, "switch") || qq_is(ps, "int") ||
                          qq_is(ps, "uint") || qq_is(ps, "bool") || qq_is(ps, "const")))
            *classical = 1;
        *brk |= qq_is(ps, "break");
        *cont |= qq_is(ps, "continue");
        if (k == T_LBRACE)
            depth++;
        if (k == T_RBRACE)
            depth--;
        if (!(ok = qq_next(ps)))
            break;
        if (depth <= 0 && (k == T_RBRACE || (k == T_SEMI && depth == 0))) {
            /* a single statement ends at ';', unless an else follows a
             * braced if; a block at its '}' */
            if (braced || k == T_SEMI || !qq_is(ps, "else"))
                break;
        }
    }
    if (after_else)
        *after_else = ok && qq_is(ps, "else");
    *ps->src = saved;
    return ok;
}

typedef struct scope_mark {
    int nregs, vtop;
} scope_mark;

static scope_mark scope_begin(qq_parser *ps)
{
    ps->blocks++;
    return (scope_mark){ps->nregs, ps->vtop};
}

static void scope_end(qq_parser *ps, scope_mark m)
{
    for (int i = ps->nregs - 1; i >= m.nregs; i--)
        qq_forget_reg(ps, i);
    ps->vtop = m.vtop;
    ps->blocks--;
}

/* A block '{' statements '}' or one statement, in a scope of its own. */
static int body(qq_parser *ps)
{
    if (ps->blocks >= QQ_MAX_BLOCKS)
        return qq_error(ps, QS_ETOOBIG, here(ps), "blocks nest more than %d deep",
                        QQ_MAX_BLOCKS);
    scope_mark m = scope_begin(ps);
    int ok = 1;
    if (TOK.kind == T_LBRACE) {
        qq_loc open = here(ps);
        ok = qq_next(ps);
        while (ok && TOK.kind != T_RBRACE) {
            if (TOK.kind == T_EOF)
                ok = qq_error(ps, QS_EPARSE, here(ps), "expected '}' to end the block begun at "
                              "%d:%d, found end of file", open.line, open.col);
            else
                ok = qq_statement(ps);
        }
        ok = ok && qq_next(ps);
    } else {
        ok = qq_statement(ps);
    }
    scope_end(ps, m);
    return ok;
}

/* One more unrolled iteration, within the limit on operations. */
static int count_iteration(qq_parser *ps, qq_loc loc)
{
    if (++ps->work > QQ_MAX_OPS)
        return qq_error(ps, QS_ETOOBIG, loc, "the program's loops run more than %d iterations "
                        "in all", QQ_MAX_OPS);
    return 1;
}

/* ------------------------------------------------------------ statements */

/* if '(' expr ')' body ['else' body] */
int qq_if3(qq_parser *ps)
{
    qq_loc loc = here(ps);
    cbuf c = {0};
    int ok = qq_next(ps) && qq_expect(ps, T_LPAREN, "'(' after if") && cexpr(ps, &c) &&
             qq_expect(ps, T_RPAREN, "')' after the condition");
    int writes = 0, classical = 0, brk, cont, has_else = 0;
    ok = ok && scan(ps, &writes, &classical, &brk, &cont, &has_else);
    if (!ok) {
        free(c.n);
        return 0;
    }
    /* The plain form: bits == value, or one bit, or !bit. */
    qq_cond d = {0, 0, 0};
    int simple = 0;
    if (c.len == 3 && c.n[0].op == QS__C_BITS && c.n[1].op == QS__C_CONST &&
        c.n[2].op == QS__C_EQ && c.n[1].value >= 0) {
        int w = (int)c.n[0].value / 2;
        uint64_t v = (uint64_t)c.n[1].value;
        simple = w == 64 || (v >> w) == 0;
        d = (qq_cond){c.n[0].param, w, v};
    } else if (c.len == 1 && c.n[0].op == QS__C_BITS && (int)c.n[0].value / 2 == 1) {
        simple = 1;
        d = (qq_cond){c.n[0].param, 1, 1};
    } else if (c.len == 2 && c.n[0].op == QS__C_BITS && (int)c.n[0].value / 2 == 1 &&
               c.n[1].op == QS__C_LNOT) {
        simple = 1;
        d = (qq_cond){c.n[0].param, 1, 0};
    }
    simple = simple && (d.first < QS__VBASE || d.bits == 1);   /* what the writer's if says */
    if (!ps->has_cur && simple && !has_else && !classical && !brk && !cont) {
        /* Operations, measurements included, under the plain condition;
         * if a measurement before the last one writes its bits, they all
         * take a guard after all (qq_guard_ops). */
        saved_cur s = {ps->has_cur, ps->cur};
        size_t start = ps->c->n;
        int top = ps->vtop, g = 0;
        ps->has_cur = 1;
        ps->cur = d;
        ok = body(ps);
        ps->has_cur = s.has;
        ps->cur = s.cur;
        if (ok && writes && !ps->dead && qq_writes_bits(ps, start, &d))
            ok = hidden(ps, 1, loc, &g) && set_guard(ps, g, &c, loc) &&
                 qq_guard_ops(ps, start, &d, g);
        ps->vtop = top;
        free(c.n);
        return ok;
    }
    int top = ps->vtop, g1 = 0, g2 = 0;
    ok = hidden(ps, 1, loc, &g1) && set_guard(ps, g1, &c, loc);
    if (ok && has_else) {
        cbuf e = {0};
        cbits(&e, g1, 1, 0);
        cpush(&e, QS__C_LNOT, 0, 0);
        ok = hidden(ps, 1, loc, &g2) && set_guard(ps, g2, &e, loc);
        free(e.n);
    }
    free(c.n);
    if (ok) {
        saved_cur s = enter_guard(ps, g1);
        ok = body(ps);
        leave_guard(ps, s);
    }
    if (ok && has_else) {
        saved_cur s = enter_guard(ps, g2);
        ok = qq_next(ps) && body(ps);
        leave_guard(ps, s);
    }
    ps->vtop = top;
    return ok;
}

typedef struct qq_loop {
    int lguard, iguard;   /* hidden bits, or -1 */
    int gbase;            /* guards of blocks inside start at ps->guards[gbase] */
    struct qq_loop *outer;
} qq_loop;

/* break and continue: clear the guards from the loop's (break) or the
 * iteration's (continue) to the innermost, under the current condition;
 * the innermost last, since it is what the others are conditioned on. */
int qq_break3(qq_parser *ps, int is_break)
{
    qq_loc loc = here(ps);
    const char *word = is_break ? "break" : "continue";
    if (!qq_next(ps) || !qq_expect(ps, T_SEMI, "';'"))
        return 0;
    qq_loop *l = ps->loop;
    if (!l)
        return qq_error(ps, QS_EPARSE, loc, "'%s' outside a loop", word);
    int bits[QQ_MAX_BLOCKS + 2], n = 0;
    if (is_break && l->lguard >= 0)
        bits[n++] = l->lguard;
    if (l->iguard >= 0)
        bits[n++] = l->iguard;
    else if (!is_break && l->lguard >= 0)
        bits[n++] = l->lguard;
    for (int i = l->gbase; i < ps->nguards && i < QQ_MAX_BLOCKS; i++)
        if (n == 0 || ps->guards[i] != bits[n - 1])
            bits[n++] = ps->guards[i];
    cbuf zero = {0};
    cpush(&zero, QS__C_CONST, 0, 0);
    qq_cond cond = ps->cur;
    int ok = 1;
    for (int i = 0; ok && i < n; i++)
        ok = store(ps, bits[i], 1, &zero, ps->has_cur ? &cond : NULL, loc);
    free(zero.n);
    return ok;
}

/* The body of a loop run once per value (vals NULL: until the guard stops
 * it, QQ_MAX_WHILE times), with the loop variable `name` a constant. */
static int unroll(qq_parser *ps, qq_loop *l, const int64_t *vals, long n, const char *name,
                  size_t nlen, const cbuf *wcond, qq_loc loc)
{
    qq_src start = *ps->src;
    l->outer = ps->loop;
    l->gbase = ps->nguards;
    ps->loop = l;
    int ok = 1;
    long iters = n == 0 ? 1 : n;
    if (n == 0)
        ps->dead++;   /* read once for its errors, emitting nothing */
    for (long k = 0; ok && k < iters; k++) {
        if (k > 0)
            *ps->src = start;
        scope_mark m = scope_begin(ps);
        if (name)
            ok = qq_declare_var(ps, name, nlen, 3, 0, 64, 1, vals && n ? vals[k] : 0, loc);
        if (ok && l->iguard >= 0) {
            cbuf e = {0};
            cbits(&e, l->lguard, 1, 0);
            ok = store(ps, l->iguard, 1, &e, NULL, loc);
            free(e.n);
        }
        int g = l->iguard >= 0 ? l->iguard : l->lguard;
        saved_cur s = {ps->has_cur, ps->cur};
        if (ok && g >= 0)
            s = enter_guard(ps, g);
        ok = ok && body(ps);
        if (g >= 0)
            leave_guard(ps, s);
        if (ok && wcond) {   /* loop guard &= condition */
            cbuf e = {0};
            cappend(&e, wcond);
            as_bool(&e);
            cbits(&e, l->lguard, 1, 0);
            cpush(&e, QS__C_LAND, 0, 0);
            ok = store(ps, l->lguard, 1, &e, NULL, loc);
            free(e.n);
        }
        scope_end(ps, m);
        ok = ok && count_iteration(ps, loc);
    }
    if (n == 0)
        ps->dead--;
    ps->loop = l->outer;
    return ok;
}

/* for [type] name in ([a:b] | [a:step:b] | {v, ...}) body */
int qq_for3(qq_parser *ps)
{
    qq_loc loc = here(ps);
    int kind, width;
    if (!qq_next(ps))
        return 0;
    if (is_type(ps, &kind) && (!qq_next(ps) || (kind != 2 && !type_width(ps, &width))))
        return 0;
    if (TOK.kind != T_ID)
        return qq_unexpected(ps, "a name for the loop variable");
    const char *name = text_of(ps);
    size_t nlen = TOK.len;
    qq_loc nloc = here(ps);
    if (qq_is_keyword(ps->version, name, nlen))
        return qq_error(ps, QS_EPARSE, nloc, "'%.*s' is a keyword and cannot name a loop "
                        "variable", (int)nlen, name);
    if (!qq_next(ps))
        return 0;
    if (!qq_is(ps, "in"))
        return qq_unexpected(ps, "'in' after the loop variable");
    if (!qq_next(ps))
        return 0;
    int64_t *vals = NULL;
    long n = 0, cap = 0;
    int ok = 1;
    if (TOK.kind == T_LBRACK) {
        int64_t a, b, step = 1, c;
        qq_loc rloc = here(ps);
        ok = qq_next(ps) && const_value(ps, "a range bound", &a) &&
             qq_expect(ps, T_COLON, "':' in the range") && const_value(ps, "a range bound", &b);
        if (ok && TOK.kind == T_COLON) {
            step = b;
            ok = qq_next(ps) && const_value(ps, "a range bound", &c);
            b = c;
        }
        ok = ok && qq_expect(ps, T_RBRACK, "']' to end the range");
        if (ok && step == 0)
            ok = qq_error(ps, QS_EPARSE, rloc, "the range's step is 0");
        if (ok) {   /* inclusive of b */
            double cnt = step > 0 ? ((double)b - (double)a) / (double)step + 1
                                  : ((double)a - (double)b) / (double)-step + 1;
            if (cnt > (double)QQ_MAX_OPS - (double)ps->work)
                ok = qq_error(ps, QS_ETOOBIG, rloc, "the range has %.0f values: the program's "
                              "loops may run %d iterations in all", cnt, QQ_MAX_OPS);
            n = cnt < 1 ? 0 : (long)cnt;
            vals = n ? malloc(sizeof *vals * (size_t)n) : NULL;
            if (n && !vals)
                ok = qq_error(ps, QS_ENOMEM, rloc, "out of memory");
            for (long k = 0; ok && k < n; k++)
                vals[k] = a + k * step;
        }
    } else if (TOK.kind == T_LBRACE) {
        ok = qq_next(ps);
        while (ok) {
            int64_t v;
            ok = const_value(ps, "a value of the set", &v);
            if (ok && n == cap) {
                cap = cap ? 2 * cap : 8;
                int64_t *nv = realloc(vals, sizeof *nv * (size_t)cap);
                if (!nv)
                    ok = qq_error(ps, QS_ENOMEM, loc, "out of memory");
                else
                    vals = nv;
            }
            if (ok)
                vals[n++] = v;
            if (!ok || TOK.kind == T_RBRACE)
                break;
            ok = qq_expect(ps, T_COMMA, "',' or '}' in the set");
        }
        ok = ok && qq_next(ps);
    } else {
        ok = qq_unexpected(ps, "a range '[a:b]' or a set '{a, b}' to loop over");
    }
    int writes, brk = 0, cont = 0, top = ps->vtop;
    ok = ok && scan(ps, &writes, NULL, &brk, &cont, NULL);
    qq_loop l = {-1, -1, 0, NULL};
    if (ok && (brk || cont))
        ok = hidden(ps, 1, loc, &l.lguard) && set_guard(ps, l.lguard, NULL, loc);
    if (ok && cont)
        ok = hidden(ps, 1, loc, &l.iguard);
    ok = ok && unroll(ps, &l, vals, n, name, nlen, NULL, loc);
    ps->vtop = top;
    free(vals);
    return ok;
}

/* while '(' expr ')' body: QQ_MAX_WHILE iterations at most. */
int qq_while3(qq_parser *ps)
{
    qq_loc loc = here(ps);
    cbuf c = {0};
    int writes, brk, cont, top = ps->vtop;
    int ok = qq_next(ps) && qq_expect(ps, T_LPAREN, "'(' after while") && cexpr(ps, &c) &&
             qq_expect(ps, T_RPAREN, "')' after the condition") &&
             scan(ps, &writes, NULL, &brk, &cont, NULL);
    qq_loop l = {-1, -1, 0, NULL};
    if (ok && !writes && !brk) {
        /* Nothing in the body changes the condition: once entered, the
         * loop never ends, and the run fails there.  (How the writer
         * writes a loop past its limit.) */
        qq_loop none = {-1, -1, 0, NULL};
        ps->dead++;
        ok = unroll(ps, &none, NULL, 1, NULL, 0, NULL, loc);
        ps->dead--;
        if (ok && !ps->has_cur && c.len == 3 && c.n[0].op == QS__C_BITS &&
            (int)c.n[0].value == 2 && c.n[1].op == QS__C_CONST && c.n[2].op == QS__C_EQ) {
            qq_cond d = {c.n[0].param, 1, (uint64_t)c.n[1].value};
            ok = qq_emit_fail(ps, QQ_MAX_WHILE, &d, loc);
        } else if (ok) {
            ok = hidden(ps, 1, loc, &l.lguard) && set_guard(ps, l.lguard, &c, loc);
            qq_cond g = {l.lguard, 1, 1};
            ok = ok && qq_emit_fail(ps, QQ_MAX_WHILE, &g, loc);
        }
        ps->vtop = top;
        free(c.n);
        return ok;
    }
    ok = ok && hidden(ps, 1, loc, &l.lguard) && set_guard(ps, l.lguard, &c, loc);
    if (ok && cont)
        ok = hidden(ps, 1, loc, &l.iguard);
    ok = ok && unroll(ps, &l, NULL, QQ_MAX_WHILE, NULL, 0, &c, loc);
    if (ok) {
        qq_cond g = {l.lguard, 1, 1};
        ok = qq_emit_fail(ps, QQ_MAX_WHILE, &g, loc);
    }
    ps->vtop = top;
    free(c.n);
    return ok;
}

/* switch '(' expr ')' '{' (case v, ... body | default body)* '}'; also
 * the older 'case v:' ... 'break;' form. */
int qq_switch3(qq_parser *ps)
{
    qq_loc loc = here(ps);
    cbuf c = {0};
    int top = ps->vtop, sv = 0, g = 0;
    int ok = qq_next(ps) && qq_expect(ps, T_LPAREN, "'(' after switch") && cexpr(ps, &c) &&
             qq_expect(ps, T_RPAREN, "')' after the switch value") &&
             qq_expect(ps, T_LBRACE, "'{' to begin the cases") && hidden(ps, 64, loc, &sv) &&
             hidden(ps, 1, loc, &g) && store(ps, sv, 64, &c, NULL, loc);
    free(c.n);
    int64_t *seen = NULL;
    int nseen = 0, capseen = 0, had_default = 0;
    while (ok && TOK.kind != T_RBRACE) {
        qq_loc cloc = here(ps);
        cbuf e = {0};
        if (had_default) {
            ok = qq_error(ps, QS_EPARSE, cloc, "'default' must be the last case");
            break;
        }
        if (qq_is(ps, "case")) {
            int terms = 0;
            while (ok && qq_is(ps, "case")) {
                ok = qq_next(ps);
                for (;;) {
                    int64_t v;
                    if (!ok || !(ok = const_value(ps, "a case value", &v)))
                        break;
                    cbits(&e, sv, 64, 1);
                    cpush(&e, QS__C_CONST, 0, (double)v);
                    cpush(&e, QS__C_EQ, 0, 0);
                    if (terms++)
                        cpush(&e, QS__C_LOR, 0, 0);
                    if (nseen == capseen) {
                        capseen = capseen ? 2 * capseen : 8;
                        int64_t *ns = realloc(seen, sizeof *ns * (size_t)capseen);
                        if (!ns) {
                            ok = qq_error(ps, QS_ENOMEM, cloc, "out of memory");
                            break;
                        }
                        seen = ns;
                    }
                    seen[nseen++] = v;
                    if (TOK.kind != T_COMMA)
                        break;
                    ok = qq_next(ps);
                }
                if (ok && TOK.kind == T_COLON)
                    ok = qq_next(ps);
            }
            if (ok && e.len > QS__X_MAX / 2)
                ok = qq_error(ps, QS_ETOOBIG, cloc, "too many values in one case");
        } else if (qq_is(ps, "default")) {
            had_default = 1;
            ok = qq_next(ps) && (TOK.kind != T_COLON || qq_next(ps));
            for (int i = 0; i < nseen && i < QS__X_MAX / 8; i++) {
                cbits(&e, sv, 64, 1);
                cpush(&e, QS__C_CONST, 0, (double)seen[i]);
                cpush(&e, QS__C_NE, 0, 0);
                if (i)
                    cpush(&e, QS__C_LAND, 0, 0);
            }
            if (ok && nseen >= QS__X_MAX / 8)
                ok = qq_error(ps, QS_ETOOBIG, cloc, "too many case values before 'default'");
            if (!nseen)
                cpush(&e, QS__C_CONST, 0, 1);
        } else {
            ok = qq_unexpected(ps, "'case', 'default' or '}' in the switch");
        }
        if (ok && TOK.kind != T_LBRACE)
            ok = qq_unexpected(ps, "'{' to begin the case's block");
        ok = ok && set_guard(ps, g, &e, cloc);
        free(e.n);
        if (ok) {
            saved_cur s = enter_guard(ps, g);
            ok = body(ps);
            leave_guard(ps, s);
        }
        /* 'break;' after a case in the older form */
        if (ok && qq_is(ps, "break") && qq_peek(ps) == T_SEMI)
            ok = qq_next(ps) && qq_next(ps);
    }
    ok = ok && qq_next(ps);
    free(seen);
    ps->vtop = top;
    return ok;
}

/* [const] (int[w] | uint[w] | bool) name [= expr] ; */
int qq_var_decl3(qq_parser *ps)
{
    qq_loc loc = here(ps);
    int is_const = qq_is(ps, "const"), kind, width = 1;
    if (is_const && !qq_next(ps))
        return 0;
    if (!is_type(ps, &kind)) {
        if (TOK.kind == T_ID && (qq_is(ps, "float") || qq_is(ps, "angle") ||
                                 qq_is(ps, "complex") || qq_is(ps, "duration")))
            return qq_error(ps, QS_EUNSUPPORTED, here(ps), "%s'%.*s' variables are not "
                            "supported: classical variables are int, uint and bool",
                            is_const ? "const " : "", (int)TOK.len, text_of(ps));
        return qq_unexpected(ps, "a type (int, uint or bool)");
    }
    if (!qq_next(ps) || (kind != 2 && !type_width(ps, &width)))
        return 0;
    if (TOK.kind != T_ID)
        return qq_unexpected(ps, "a name for the variable");
    const char *name = text_of(ps);
    size_t len = TOK.len;
    qq_loc nloc = here(ps);
    if (qq_is_keyword(ps->version, name, len))
        return qq_error(ps, QS_EPARSE, nloc, "'%.*s' is a keyword and cannot name a variable",
                        (int)len, name);
    if (!qq_next(ps))
        return 0;
    int sgn = kind == 0 ? 1 : kind == 2 ? 2 : 0;
    if (is_const) {
        int64_t v;
        if (TOK.kind != T_EQ)
            return qq_unexpected(ps, "'=' and the constant's value");
        if (!qq_next(ps) || !const_value(ps, "the value of a const", &v) ||
            !qq_expect(ps, T_SEMI, "';'"))
            return 0;
        if (width < 64) {   /* as the type holds it */
            uint64_t u = (uint64_t)v & ((UINT64_C(1) << width) - 1);
            if (sgn == 1 && (u >> (width - 1) & 1))
                u |= ~((UINT64_C(1) << width) - 1);
            v = (int64_t)u;
        }
        if (kind == 2)
            v = v != 0;
        return qq_declare_var(ps, name, len, 3, 0, width, sgn, v, nloc);
    }
    int first = 0;
    if (!hidden(ps, width, loc, &first) ||
        !qq_declare_var(ps, name, len, 2, first, width, sgn, 0, nloc))
        return 0;
    if (TOK.kind == T_EQ) {
        cbuf b = {0};
        int ok = qq_next(ps) && cexpr(ps, &b) && qq_expect(ps, T_SEMI, "';'");
        if (ok && kind == 2)
            as_bool(&b);
        ok = ok && store(ps, first, width, &b, qq_cur(ps), loc);
        free(b.n);
        return ok;
    }
    return qq_expect(ps, T_SEMI, "';'");
}

/* target '=' expr ';' for a variable, a bit register or one of its bits:
 * called at the target's name. */
int qq_assign3(qq_parser *ps)
{
    qq_loc loc = here(ps);
    int r = qq_find_reg(ps, text_of(ps), TOK.len);
    const qq_reg *g = r >= 0 ? &ps->regs[r] : NULL;
    if (!g || (g->quantum != 0 && g->quantum != 2))
        return qq_error(ps, QS_EPARSE, loc, g ? "'%.*s' cannot be assigned: only bits and "
                        "int/uint/bool variables can" : "undefined name '%.*s'", (int)TOK.len,
                        text_of(ps));
    int first = g->first, width = g->size, is_bool = g->quantum == 2 && g->sgn == 2;
    if (!qq_next(ps))
        return 0;
    if (TOK.kind == T_LBRACK && !select_bits(ps, g, &first, &width))
        return 0;
    if (TOK.kind != T_EQ)
        return qq_unexpected(ps, "'=' in the assignment");
    if (!qq_next(ps))
        return 0;
    if (qq_is(ps, "measure"))
        return qq_error(ps, QS_EUNSUPPORTED, here(ps), "a measurement can be assigned to bits, "
                        "not to the variable '%s'", g->name);
    cbuf b = {0};
    int ok = cexpr(ps, &b) && qq_expect(ps, T_SEMI, "';'");
    if (ok && (is_bool || width == 1))
        as_bool(&b);
    ok = ok && store(ps, first, width, &b, qq_cur(ps), loc);
    free(b.n);
    return ok;
}

int qq_block3(qq_parser *ps) { return body(ps); }

int qq_const_int(qq_parser *ps, const char *what, int64_t *v) { return const_value(ps, what, v); }
