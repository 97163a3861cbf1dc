/*
 * expr_format.c - prints expression bytecode as infix text that
 * qs__x_parse reads back to the same value (17 significant digits, the
 * fewest parentheses the grammar needs).
 */
#include "ir/expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Precedences: sums 1, products 2, unary minus 3, powers 4, atoms 5. */
typedef struct {
    char *s;
    int prec;
} piece;

static char *joinf(const char *a, int pa, const char *op, const char *b, int pb)
{
    size_t n = strlen(a) + strlen(b) + strlen(op) + 5;
    char *r = malloc(n);
    if (r)
        snprintf(r, n, "%s%s%s%s%s%s%s", pa ? "(" : "", a, pa ? ")" : "", op, pb ? "(" : "", b,
                 pb ? ")" : "");
    return r;
}

int qs__x_format(const qs__xnode *n, int len, const char *const *names, char *buf, size_t buflen)
{
    static const char *fname[] = {[QS__X_SIN] = "sin", [QS__X_COS] = "cos", [QS__X_TAN] = "tan",
                                  [QS__X_ASIN] = "asin", [QS__X_ACOS] = "acos",
                                  [QS__X_ATAN] = "atan", [QS__X_EXP] = "exp", [QS__X_LN] = "ln",
                                  [QS__X_SQRT] = "sqrt", [QS__X_ABS] = "abs"};
    piece st[QS__X_MAX];
    int sp = 0, ok = len >= 1 && len <= QS__X_MAX;
    for (int i = 0; ok && i < len; i++) {
        const qs__xnode *x = &n[i];
        piece p = {NULL, 5};
        if (x->op == QS__X_CONST) {
            char tmp[40];
            snprintf(tmp, sizeof tmp, "%.17g", x->value);
            p.s = strdup(tmp);
            p.prec = x->value < 0 ? 3 : 5;
        } else if (x->op == QS__X_PARAM) {
            p.s = strdup(names[x->param]);
        } else if (x->op >= QS__X_ADD && x->op <= QS__X_POW) {
            piece r = st[--sp], l = st[--sp];
            static const int prec[] = {[QS__X_ADD] = 1, [QS__X_SUB] = 1, [QS__X_MUL] = 2,
                                       [QS__X_DIV] = 2, [QS__X_POW] = 4};
            static const char *ops[] = {[QS__X_ADD] = " + ", [QS__X_SUB] = " - ",
                                        [QS__X_MUL] = "*", [QS__X_DIV] = "/", [QS__X_POW] = "^"};
            int q = prec[x->op];
            /* Left-associative ops need parentheses on an equal-precedence
             * right operand of - and /; ^ is right-associative. */
            int pl = x->op == QS__X_POW ? l.prec <= q : l.prec < q;
            int pr = x->op == QS__X_POW ? r.prec < q
                                        : (r.prec < q || (r.prec == q && (x->op == QS__X_SUB || x->op == QS__X_DIV)));
            p.s = joinf(l.s, pl, ops[x->op], r.s, pr);
            p.prec = q;
            free(l.s);
            free(r.s);
        } else if (x->op == QS__X_NEG) {
            piece a = st[--sp];
            p.s = joinf("", 0, "-", a.s, a.prec < 4);
            p.prec = 3;
            free(a.s);
        } else {
            piece a = st[--sp];
            p.s = joinf(fname[x->op], 0, "", a.s, 1);
            free(a.s);
        }
        if (!p.s)
            ok = 0;
        st[sp++] = p;
    }
    int r = -1;
    if (ok && sp == 1 && strlen(st[0].s) < buflen) {
        strcpy(buf, st[0].s);
        r = (int)strlen(buf);
    }
    for (int i = 0; i < sp; i++)
        free(st[i].s);
    return r;
}
