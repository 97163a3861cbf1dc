/*
 * simplify.c - rewriting ops into cheaper equivalent ones (simplify.h).
 * Plain C, called by every backend's gate kernels before they plan their
 * loops; exact comparisons only, so the result is the same operator.
 */
#include "config.h"
#include "backend/simplify.h"

#include <string.h>

typedef struct {
    int kind, nt, phased;
    int t[QS_MAX_TARGETS];
    uint64_t cmask, cval;
    double m[2 << (2 * QS_MAX_TARGETS)];
    uint32_t perm[1 << QS_MAX_TARGETS];
} work;

static int is_one(const double *z) { return z[0] == 1.0 && z[1] == 0.0; }
static int is_zero(const double *z) { return z[0] == 0.0 && z[1] == 0.0; }
static int same(const double *a, const double *b) { return a[0] == b[0] && a[1] == b[1]; }

/* j without bit b. */
static unsigned drop_bit(unsigned j, int b) { return ((j >> (b + 1)) << b) | (j & ((1u << b) - 1)); }

/* Removes target b, keeping the entries whose bit b is v; the qubit becomes
 * a control on v when ctl is set. */
static void remove_target(work *w, int b, unsigned v, int ctl)
{
    unsigned d = 1u << w->nt, bit = 1u << b;
    double m[2 << (2 * QS_MAX_TARGETS)];
    uint32_t perm[1 << QS_MAX_TARGETS];
    if (w->kind == QS__OP_DENSE) {
        for (unsigned r = 0; r < d; r++)
            for (unsigned c = 0; c < d; c++)
                if ((r & bit) == (v ? bit : 0) && (c & bit) == (v ? bit : 0)) {
                    unsigned k = drop_bit(r, b) * (d / 2) + drop_bit(c, b);
                    m[2 * k] = w->m[2 * (r * d + c)];
                    m[2 * k + 1] = w->m[2 * (r * d + c) + 1];
                }
        memcpy(w->m, m, sizeof(double) * 2 * (d / 2) * (d / 2));
    } else {
        for (unsigned j = 0; j < d; j++)
            if ((j & bit) == (v ? bit : 0)) {
                unsigned k = drop_bit(j, b);
                m[2 * k] = w->m[2 * j];
                m[2 * k + 1] = w->m[2 * j + 1];
                perm[k] = drop_bit(w->perm[j], b);
            }
        memcpy(w->m, m, sizeof(double) * d);
        memcpy(w->perm, perm, sizeof(uint32_t) * (d / 2));
    }
    if (ctl) {
        w->cmask |= UINT64_C(1) << w->t[b];
        w->cval |= (uint64_t)v << w->t[b];
    }
    for (int i = b; i + 1 < w->nt; i++)
        w->t[i] = w->t[i + 1];
    w->nt--;
}

/* The op is the identity on the amplitudes whose target bit b is v (and
 * does not mix them with the others). */
static int identity_on(const work *w, int b, unsigned v)
{
    unsigned d = 1u << w->nt, bit = 1u << b, want = v ? bit : 0;
    for (unsigned j = 0; j < d; j++) {
        if ((j & bit) != want)
            continue;
        if (w->kind == QS__OP_DIAG) {
            if (!is_one(w->m + 2 * j))
                return 0;
        } else if (w->kind == QS__OP_PERM) {
            if (w->perm[j] != j || (w->phased && !is_one(w->m + 2 * j)))
                return 0;
        } else {
            for (unsigned k = 0; k < d; k++) {
                /* row j and column j are those of the identity */
                const double *rj = w->m + 2 * (j * d + k), *cj = w->m + 2 * (k * d + j);
                if (k == j ? !is_one(rj) : !(is_zero(rj) && is_zero(cj)))
                    return 0;
            }
        }
    }
    return 1;
}

/* The op does not depend on target bit b and keeps it (diag, perm). */
static int independent_of(const work *w, int b)
{
    unsigned d = 1u << w->nt, bit = 1u << b;
    if (w->kind == QS__OP_DENSE)
        return 0;
    for (unsigned j = 0; j < d; j++) {
        if (j & bit)
            continue;
        if (!same(w->m + 2 * j, w->m + 2 * (j | bit)))
            return 0;
        if (w->kind == QS__OP_PERM && ((w->perm[j] & bit) || w->perm[j | bit] != (w->perm[j] | bit)))
            return 0;
    }
    return 1;
}

/* Dense to diagonal or permutation when the matrix allows it. */
static void classify_dense(work *w)
{
    unsigned d = 1u << w->nt;
    int diag = 1, mono = 1;
    uint32_t perm[1 << QS_MAX_TARGETS];
    double ph[2 << QS_MAX_TARGETS];
    uint32_t rows = 0;
    for (unsigned c = 0; c < d && mono; c++) {
        int found = 0;
        for (unsigned r = 0; r < d; r++) {
            const double *z = w->m + 2 * (r * d + c);
            if (is_zero(z))
                continue;
            if (r != c)
                diag = 0;
            if (found++ || (rows >> r & 1)) {
                mono = 0;
                break;
            }
            rows |= 1u << r;
            perm[c] = r;
            ph[2 * c] = z[0];
            ph[2 * c + 1] = z[1];
        }
        if (!found)
            mono = 0;   /* a zero column: leave it to the dense kernel */
    }
    if (!mono)
        return;
    w->kind = diag ? QS__OP_DIAG : QS__OP_PERM;
    memcpy(w->m, ph, sizeof(double) * 2 * d);
    memcpy(w->perm, perm, sizeof(uint32_t) * d);
    w->phased = 1;
}

int qs__op_simplify(const qs__op *in, qs__op_buf *out)
{
    out->op = *in;
    if (in->kind == QS__OP_PAULI)
        return 1;
    work w;
    w.kind = in->kind;
    w.nt = in->nt;
    w.cmask = in->cmask;
    w.cval = in->cval;
    memcpy(w.t, in->targets, sizeof(int) * (size_t)in->nt);
    unsigned d = 1u << in->nt;
    w.phased = in->kind != QS__OP_PERM || in->m != NULL;
    if (in->kind == QS__OP_DENSE) {
        memcpy(w.m, in->m, sizeof(double) * 2 * d * d);
        classify_dense(&w);
    } else {
        if (w.phased)
            memcpy(w.m, in->m, sizeof(double) * 2 * d);
        else
            for (unsigned j = 0; j < d; j++) {
                w.m[2 * j] = 1;
                w.m[2 * j + 1] = 0;
            }
        if (in->kind == QS__OP_PERM)
            memcpy(w.perm, in->perm, sizeof(uint32_t) * d);
    }
    if (w.kind == QS__OP_PERM) {
        int moves = 0;
        for (unsigned j = 0; j < d; j++)
            moves |= w.perm[j] != j;
        if (!moves)
            w.kind = QS__OP_DIAG;
    }
    int changed = w.kind != in->kind;
    for (int again = 1; again;) {
        again = 0;
        for (int b = 0; b < w.nt && !again; b++) {
            if (independent_of(&w, b)) {
                remove_target(&w, b, 0, 0);
                again = 1;
            } else {
                for (unsigned v = 0; v < 2 && !again; v++)
                    if (identity_on(&w, b, v)) {
                        remove_target(&w, b, 1 - v, 1);
                        again = 1;
                    }
            }
        }
        changed |= again;
    }
    if (w.kind == QS__OP_DIAG && w.nt == 0 && is_one(w.m))
        return 0;
    if (!changed)
        return 1;
    if (w.kind == QS__OP_PERM) {
        int ones = 1;
        for (unsigned j = 0; j < (1u << w.nt); j++)
            ones &= is_one(w.m + 2 * j);
        w.phased = !ones;
    }
    qs__op *o = &out->op;
    o->kind = w.kind;
    o->nt = w.nt;
    memcpy(o->targets, w.t, sizeof(int) * (size_t)w.nt);
    o->cmask = w.cmask;
    o->cval = w.cval;
    size_t n = w.kind == QS__OP_DENSE ? (size_t)1 << (2 * w.nt) : (size_t)1 << w.nt;
    memcpy(out->m, w.m, sizeof(double) * 2 * n);
    o->m = w.kind == QS__OP_PERM && !w.phased ? NULL : out->m;
    if (w.kind == QS__OP_PERM)
        memcpy(o->perm, w.perm, sizeof(uint32_t) * ((size_t)1 << w.nt));
    return 1;
}

const qs__op *qs__op_route(qs__sv *sv, const qs__op *op, int kind, const qs__gate_fns *fns,
                           qs__op_buf *ob, qs_status *st)
{
    *st = QS_OK;
    if (!qs__op_simplify(op, ob))
        return NULL;
    if (ob->op.kind == kind)
        return &ob->op;
    switch (ob->op.kind) {
    case QS__OP_DENSE: *st = fns->dense(sv, &ob->op); break;
    case QS__OP_DIAG: *st = fns->diag(sv, &ob->op); break;
    default: *st = fns->perm(sv, &ob->op); break;
    }
    return NULL;
}
