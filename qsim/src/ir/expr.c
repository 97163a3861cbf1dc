/*
 * expr.c - building, folding, evaluating and differentiating expression
 * bytecode (see expr.h).  Parsing is in expr_parse.c, printing in
 * expr_format.c.
 */
#include "ir/expr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int arity(int op)
{
    if (op == QS__X_CONST || op == QS__X_PARAM)
        return 0;
    if (op >= QS__X_ADD && op <= QS__X_POW)
        return 2;
    return 1;
}

static double apply(int op, double a, double b)
{
    switch (op) {
    case QS__X_ADD: return a + b;
    case QS__X_SUB: return a - b;
    case QS__X_MUL: return a * b;
    case QS__X_DIV: return a / b;
    case QS__X_POW: return pow(a, b);
    case QS__X_NEG: return -a;
    case QS__X_SIN: return sin(a);
    case QS__X_COS: return cos(a);
    case QS__X_TAN: return tan(a);
    case QS__X_ASIN: return asin(a);
    case QS__X_ACOS: return acos(a);
    case QS__X_ATAN: return atan(a);
    case QS__X_EXP: return exp(a);
    case QS__X_LN: return log(a);
    case QS__X_SQRT: return sqrt(a);
    case QS__X_ABS: return fabs(a);
    default: return NAN;
    }
}

void qs__xbuf_free(qs__xbuf *b)
{
    free(b->n);
    memset(b, 0, sizeof *b);
}

static void push(qs__xbuf *b, qs__xnode node)
{
    if (b->len == b->cap) {
        int cap = b->cap ? 2 * b->cap : 8;
        qs__xnode *n = realloc(b->n, sizeof *n * (size_t)cap);
        if (!n) {
            b->oom = 1;
            return;
        }
        b->n = n;
        b->cap = cap;
    }
    b->n[b->len++] = node;
}

void qs__x_const(qs__xbuf *b, double v)
{
    push(b, (qs__xnode){QS__X_CONST, -1, v});
    b->stack++;
}

void qs__x_param(qs__xbuf *b, int index)
{
    push(b, (qs__xnode){QS__X_PARAM, index, 0});
    b->stack++;
}

void qs__x_op(qs__xbuf *b, int op)
{
    int k = arity(op);
    if (b->oom || b->len < k)
        return;
    /* Fold when the operands are the last k nodes and all constants. */
    int fold = 1;
    for (int i = 1; i <= k; i++)
        fold &= b->n[b->len - i].op == QS__X_CONST;
    b->stack -= k - 1;
    if (fold) {
        double v = k == 2 ? apply(op, b->n[b->len - 2].value, b->n[b->len - 1].value)
                          : apply(op, b->n[b->len - 1].value, 0);
        b->len -= k;
        push(b, (qs__xnode){QS__X_CONST, -1, v});
        return;
    }
    push(b, (qs__xnode){op, -1, 0});
}

void qs__x_append(qs__xbuf *b, const qs__xnode *n, int len)
{
    qs__x_subst(b, n, len, NULL, NULL);
}

void qs__x_subst(qs__xbuf *b, const qs__xnode *n, int len, const qs__xnode *const *act,
                 const int *act_len)
{
    for (int i = 0; i < len; i++) {
        if (n[i].op == QS__X_CONST)
            qs__x_const(b, n[i].value);
        else if (n[i].op == QS__X_PARAM && act)
            qs__x_subst(b, act[n[i].param], act_len[n[i].param], NULL, NULL);
        else if (n[i].op == QS__X_PARAM)
            qs__x_param(b, n[i].param);
        else
            qs__x_op(b, n[i].op);
    }
}

double qs__x_eval(const qs__xnode *n, int len, const double *params)
{
    double st[QS__X_MAX];
    int sp = 0;
    for (int i = 0; i < len; i++) {
        int op = n[i].op;
        if (op == QS__X_CONST)
            st[sp++] = n[i].value;
        else if (op == QS__X_PARAM)
            st[sp++] = params[n[i].param];
        else if (arity(op) == 2) {
            sp--;
            st[sp - 1] = apply(op, st[sp - 1], st[sp]);
        } else
            st[sp - 1] = apply(op, st[sp - 1], 0);
    }
    return sp == 1 ? st[0] : NAN;
}

double qs__x_eval_grad(const qs__xnode *n, int len, const double *params, double seed,
                       double *grad)
{
    /* Forward: values and operand positions; backward: adjoints. */
    double val[QS__X_MAX], adj[QS__X_MAX];
    int lhs[QS__X_MAX], rhs[QS__X_MAX], st[QS__X_MAX], sp = 0;
    if (len > QS__X_MAX || len < 1)
        return NAN;
    for (int i = 0; i < len; i++) {
        int op = n[i].op;
        lhs[i] = rhs[i] = -1;
        if (op == QS__X_CONST)
            val[i] = n[i].value;
        else if (op == QS__X_PARAM)
            val[i] = params[n[i].param];
        else if (arity(op) == 2) {
            rhs[i] = st[--sp];
            lhs[i] = st[--sp];
            val[i] = apply(op, val[lhs[i]], val[rhs[i]]);
        } else {
            lhs[i] = st[--sp];
            val[i] = apply(op, val[lhs[i]], 0);
        }
        st[sp++] = i;
        adj[i] = 0;
    }
    adj[len - 1] = seed;
    for (int i = len - 1; i >= 0; i--) {
        double g = adj[i];
        if (g == 0)
            continue;
        int l = lhs[i], r = rhs[i];
        double a = l >= 0 ? val[l] : 0, b = r >= 0 ? val[r] : 0;
        switch (n[i].op) {
        case QS__X_PARAM: grad[n[i].param] += g; break;
        case QS__X_ADD: adj[l] += g; adj[r] += g; break;
        case QS__X_SUB: adj[l] += g; adj[r] -= g; break;
        case QS__X_MUL: adj[l] += g * b; adj[r] += g * a; break;
        case QS__X_DIV: adj[l] += g / b; adj[r] -= g * a / (b * b); break;
        case QS__X_POW:
            adj[l] += g * (a == 0 && b >= 1 ? (b == 1 ? 1 : 0) : b * pow(a, b - 1));
            if (a > 0)
                adj[r] += g * val[i] * log(a);
            break;
        case QS__X_NEG: adj[l] -= g; break;
        case QS__X_SIN: adj[l] += g * cos(a); break;
        case QS__X_COS: adj[l] -= g * sin(a); break;
        case QS__X_TAN: adj[l] += g / (cos(a) * cos(a)); break;
        case QS__X_ASIN: adj[l] += g / sqrt(1 - a * a); break;
        case QS__X_ACOS: adj[l] -= g / sqrt(1 - a * a); break;
        case QS__X_ATAN: adj[l] += g / (1 + a * a); break;
        case QS__X_EXP: adj[l] += g * val[i]; break;
        case QS__X_LN: adj[l] += g / a; break;
        case QS__X_SQRT: adj[l] += g / (2 * val[i]); break;
        case QS__X_ABS: adj[l] += a > 0 ? g : a < 0 ? -g : 0; break;
        default: break;
        }
    }
    return val[len - 1];
}

int qs__x_is_const(const qs__xnode *n, int len, double *v)
{
    if (len == 1 && n[0].op == QS__X_CONST) {
        *v = n[0].value;
        return 1;
    }
    return 0;
}

int qs__x_max_param(const qs__xnode *n, int len)
{
    int m = -1;
    for (int i = 0; i < len; i++)
        if (n[i].op == QS__X_PARAM && n[i].param > m)
            m = n[i].param;
    return m;
}
