/*
 * classical.c - evaluating classical expressions (classical.h) on the
 * classical bits of a run.  Arithmetic wraps as in two's complement;
 * division and remainder by zero give 0.
 */
#include "ir/classical.h"

int qs__c_arity(int op)
{
    switch (op) {
    case QS__C_CONST: case QS__C_BITS: return 0;
    case QS__C_CAST: case QS__C_LNOT: case QS__C_BNOT: case QS__C_NEG: return 1;
    default: return 2;
    }
}

static int64_t truncate(int64_t v, int width, int sgn)
{
    if (width <= 0)
        return v != 0;
    if (width >= 64)
        return v;
    uint64_t u = (uint64_t)v & ((UINT64_C(1) << width) - 1);
    if (sgn && (u >> (width - 1) & 1))
        u |= ~((UINT64_C(1) << width) - 1);
    return (int64_t)u;
}

int64_t qs__c_eval(const qs__xnode *n, int len, const unsigned char *bits)
{
    int64_t st[QS__X_MAX + 1];
    int sp = 0;
    for (int i = 0; i < len && sp <= QS__X_MAX; i++) {
        const qs__xnode *x = &n[i];
        int64_t a, b;
        uint64_t ua, ub;
        switch (x->op) {
        case QS__C_CONST: st[sp++] = (int64_t)x->value; continue;
        case QS__C_BITS: {
            int w = (int)x->value / 2, sgn = (int)x->value & 1;
            uint64_t u = 0;
            for (int k = 0; bits && k < w && k < 64; k++)
                u |= (uint64_t)(bits[x->param + k] & 1) << k;
            st[sp++] = truncate((int64_t)u, w, sgn);
            continue;
        }
        case QS__C_CAST: st[sp - 1] = truncate(st[sp - 1], x->param, (int)x->value); continue;
        case QS__C_LNOT: st[sp - 1] = !st[sp - 1]; continue;
        case QS__C_BNOT: st[sp - 1] = ~st[sp - 1]; continue;
        case QS__C_NEG: st[sp - 1] = (int64_t)(0 - (uint64_t)st[sp - 1]); continue;
        default: break;
        }
        if (sp < 2)
            return 0;
        b = st[--sp];
        a = st[sp - 1];
        ua = (uint64_t)a;
        ub = (uint64_t)b;
        int64_t r;
        switch (x->op) {
        case QS__C_ADD: r = (int64_t)(ua + ub); break;
        case QS__C_SUB: r = (int64_t)(ua - ub); break;
        case QS__C_MUL: r = (int64_t)(ua * ub); break;
        case QS__C_DIV: r = b == 0 || (b == -1 && a == INT64_MIN) ? 0 : a / b; break;
        case QS__C_MOD: r = b == 0 || b == -1 ? 0 : a % b; break;
        case QS__C_SHL: r = ub >= 64 ? 0 : (int64_t)(ua << ub); break;
        case QS__C_SHR: r = ub >= 64 ? (a < 0 ? -1 : 0) : a >> ub; break;
        case QS__C_AND: r = a & b; break;
        case QS__C_OR: r = a | b; break;
        case QS__C_XOR: r = a ^ b; break;
        case QS__C_LAND: r = a && b; break;
        case QS__C_LOR: r = a || b; break;
        case QS__C_EQ: r = a == b; break;
        case QS__C_NE: r = a != b; break;
        case QS__C_LT: r = a < b; break;
        case QS__C_LE: r = a <= b; break;
        case QS__C_GT: r = a > b; break;
        default: r = a >= b; break;
        }
        st[sp - 1] = r;
    }
    return sp > 0 ? st[sp - 1] : 0;
}

int qs__c_is_const(const qs__xnode *n, int len)
{
    for (int i = 0; i < len; i++)
        if (n[i].op == QS__C_BITS)
            return 0;
    return 1;
}

void qs__c_map_bits(qs__xnode *n, int len, int nc)
{
    for (int i = 0; i < len; i++)
        if (n[i].op == QS__C_BITS)
            n[i].param = qs__c_bit(n[i].param, nc);
}
