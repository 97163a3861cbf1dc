/*
 * expr_parse.c - recursive-descent parser of gate-argument expressions,
 * shared by the public circuit API and the OpenQASM front end.
 *
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary (('^' | '**') unary)?      right-associative; binds
 *                                                 tighter than unary minus
 *   primary := number | constant | parameter | func '(' expr ')' | '(' expr ')'
 *
 * so -2^2 == -4 and 2^3^2 == 2^9, as OpenQASM specifies.
 */
#include "ir/expr.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200

typedef struct {
    const char *s;
    size_t p;
    qs__x_resolve resolve;
    void *ctx;
    qs__xbuf *b;
    size_t err_off;
    const char *msg;
    int depth;
} parser;

static int fail(parser *ps, size_t off, const char *msg)
{
    if (!ps->msg) {
        ps->err_off = off;
        ps->msg = msg;
    }
    return 0;
}

static void skip_ws(parser *ps)
{
    for (;;) {
        char c = ps->s[ps->p];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ps->p++;
        } else if (c == '/' && ps->s[ps->p + 1] == '/') {
            while (ps->s[ps->p] && ps->s[ps->p] != '\n')
                ps->p++;
        } else if (c == '/' && ps->s[ps->p + 1] == '*') {
            const char *e = strstr(ps->s + ps->p + 2, "*/");
            if (!e)
                return;   /* left for the caller to report */
            ps->p = (size_t)(e - ps->s) + 2;
        } else {
            return;
        }
    }
}

static int expr(parser *ps);
static int unary(parser *ps);

static int number(parser *ps)
{
    const char *s = ps->s + ps->p, *q = s;
    while (isdigit((unsigned char)*q))
        q++;
    if (*q == '.') {
        q++;
        while (isdigit((unsigned char)*q))
            q++;
    }
    if (q == s || (q == s + 1 && *s == '.'))
        return fail(ps, ps->p, "expected a number");
    if (*q == 'e' || *q == 'E') {
        const char *r = q + 1;
        if (*r == '+' || *r == '-')
            r++;
        if (!isdigit((unsigned char)*r))
            return fail(ps, (size_t)(r - ps->s), "expected digits in the exponent");
        while (isdigit((unsigned char)*r))
            r++;
        q = r;
    }
    /* A copy, so strtod cannot read past what was scanned (hex, "inf");
     * exporters write 1e-300 with all its zeros, so it may be long. */
    char small[128];
    size_t len = (size_t)(q - s);
    char *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf)
        return fail(ps, ps->p, "out of memory");
    memcpy(buf, s, len);
    buf[len] = '\0';
    qs__x_const(ps->b, strtod(buf, NULL));
    if (buf != small)
        free(buf);
    ps->p += len;
    return 1;
}

static const struct { const char *name; int op; } funcs[] = {
    {"sin", QS__X_SIN}, {"cos", QS__X_COS}, {"tan", QS__X_TAN},
    {"asin", QS__X_ASIN}, {"acos", QS__X_ACOS}, {"atan", QS__X_ATAN},
    {"arcsin", QS__X_ASIN}, {"arccos", QS__X_ACOS}, {"arctan", QS__X_ATAN},
    {"exp", QS__X_EXP}, {"ln", QS__X_LN}, {"log", QS__X_LN}, {"sqrt", QS__X_SQRT},
    {"abs", QS__X_ABS},
};

/* Identifier characters: ASCII letters, digits, '_', and every byte of a
 * UTF-8 sequence (OpenQASM 3 and Qiskit allow names such as θ). */
static int ident_start(unsigned char c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int ident_char(unsigned char c) { return isalnum(c) || c == '_' || c >= 0x80; }

static int ident_eq(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(s, name, len) == 0;
}

int qs__x_reserved(const char *name, size_t len)
{
    for (size_t f = 0; f < sizeof funcs / sizeof *funcs; f++)
        if (ident_eq(name, len, funcs[f].name))
            return 1;
    return ident_eq(name, len, "pi") || ident_eq(name, len, "tau") || ident_eq(name, len, "euler");
}

static int primary(parser *ps)
{
    skip_ws(ps);
    const char *s = ps->s + ps->p;
    size_t at = ps->p;
    if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1])))
        return number(ps);
    if (*s == '(') {
        ps->p++;
        if (!expr(ps))
            return 0;
        skip_ws(ps);
        if (ps->s[ps->p] != ')')
            return fail(ps, ps->p, "expected ')'");
        ps->p++;
        return 1;
    }
    /* UTF-8 pi and tau, as OpenQASM 3 allows. */
    if ((unsigned char)s[0] == 0xCF && ((unsigned char)s[1] == 0x80 || (unsigned char)s[1] == 0x84)) {
        qs__x_const(ps->b, (unsigned char)s[1] == 0x80 ? M_PI : 2 * M_PI);
        ps->p += 2;
        return 1;
    }
    if (!ident_start((unsigned char)*s))
        return fail(ps, at, "expected an expression");
    size_t len = 0;
    while (ident_char((unsigned char)s[len]))
        len++;
    ps->p += len;
    for (size_t f = 0; f < sizeof funcs / sizeof *funcs; f++)
        if (ident_eq(s, len, funcs[f].name)) {
            skip_ws(ps);
            if (ps->s[ps->p] != '(')
                return fail(ps, ps->p, "expected '(' after a function name");
            if (!primary(ps))   /* the parenthesised argument */
                return 0;
            qs__x_op(ps->b, funcs[f].op);
            return 1;
        }
    if (ident_eq(s, len, "pi")) {
        qs__x_const(ps->b, M_PI);
        return 1;
    }
    int idx = ps->resolve ? ps->resolve(ps->ctx, s, len) : -1;
    if (idx >= 0) {
        qs__x_param(ps->b, idx);
        return 1;
    }
    if (ident_eq(s, len, "tau")) {
        qs__x_const(ps->b, 2 * M_PI);
        return 1;
    }
    if (ident_eq(s, len, "euler")) {
        qs__x_const(ps->b, M_E);
        return 1;
    }
    return fail(ps, at, "unknown identifier in expression");
}

static int power(parser *ps)
{
    if (!primary(ps))
        return 0;
    skip_ws(ps);
    const char *s = ps->s + ps->p;
    if (*s == '^' || (s[0] == '*' && s[1] == '*')) {
        ps->p += *s == '^' ? 1 : 2;
        if (!unary(ps))
            return 0;
        qs__x_op(ps->b, QS__X_POW);
    }
    return 1;
}

static int unary(parser *ps)
{
    if (++ps->depth > MAX_DEPTH)
        return fail(ps, ps->p, "expression nested too deeply");
    skip_ws(ps);
    int ok;
    char c = ps->s[ps->p];
    if (c == '-' || c == '+') {
        ps->p++;
        ok = unary(ps);
        if (ok && c == '-')
            qs__x_op(ps->b, QS__X_NEG);
    } else {
        ok = power(ps);
    }
    ps->depth--;
    return ok;
}

static int term(parser *ps)
{
    if (!unary(ps))
        return 0;
    for (;;) {
        skip_ws(ps);
        const char *s = ps->s + ps->p;
        int mul = s[0] == '*' && s[1] != '*';
        int div = s[0] == '/' && s[1] != '/' && s[1] != '*';
        if (!mul && !div)
            return 1;
        ps->p++;
        if (!unary(ps))
            return 0;
        qs__x_op(ps->b, mul ? QS__X_MUL : QS__X_DIV);
    }
}

static int expr(parser *ps)
{
    if (++ps->depth > MAX_DEPTH)
        return fail(ps, ps->p, "expression nested too deeply");
    if (!term(ps))
        return 0;
    for (;;) {
        skip_ws(ps);
        char c = ps->s[ps->p];
        if (c != '+' && c != '-')
            break;
        ps->p++;
        if (!term(ps))
            return 0;
        qs__x_op(ps->b, c == '+' ? QS__X_ADD : QS__X_SUB);
    }
    ps->depth--;
    return 1;
}

qs_status qs__x_parse(const char *text, qs__x_resolve resolve, void *ctx, qs__xbuf *b,
                      size_t *end, size_t *err_off, const char **msg)
{
    parser ps = {.s = text, .resolve = resolve, .ctx = ctx, .b = b};
    int ok = expr(&ps);
    if (ok && b->oom)
        ok = fail(&ps, 0, "out of memory");
    if (ok && b->len > QS__X_MAX)
        ok = fail(&ps, 0, "expression too long");
    if (!ok) {
        *err_off = ps.err_off;
        *msg = ps.msg;
        return QS_EPARSE;
    }
    skip_ws(&ps);
    *end = ps.p;
    return QS_OK;
}
