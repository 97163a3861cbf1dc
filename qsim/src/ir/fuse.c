/*
 * fuse.c - fusion, the second half of building a program's schedule
 * (schedule.c makes the segments): within a segment, gates (named gates
 * and constant matrices on at most QS_MAX_TARGETS qubits) are merged into
 * open groups with pairwise disjoint qubits: a gate joins the groups it
 * touches when the fused op is no more expensive than the parts by the
 * measured cost model (fuse_cost.h), or joins the best single one of them
 * after the others are closed, or else closes them and opens its own.  A
 * closed group becomes one op: diagonal when all its members are, dense
 * otherwise (then simplified, so products of permutations stay
 * permutations).  Constant groups are multiplied out here; groups with
 * parameterized members are multiplied out at each run from the bound
 * values (fop.c), into memory the state keeps.
 */
#include "ir/sched_impl.h"
#include "core/bits.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

double qs__op_cost(const qs__cost_row *c, int kind, int nt)
{
    if (nt < 1)
        nt = 1;
    return kind == QS__OP_DENSE ? c->dense[nt] : kind == QS__OP_DIAG ? c->diag[nt] : c->perm[nt];
}

typedef struct {
    uint64_t mask;
    int kind, count, head, tail;
    int param;
    double cost;
} group;

static int combine_kind(int a, int b)
{
    if (a == QS__OP_DENSE || b == QS__OP_DENSE)
        return QS__OP_DENSE;
    if (a == QS__OP_PERM || b == QS__OP_PERM)
        return QS__OP_PERM;
    return QS__OP_DIAG;
}

static qs_status fdata_reserve(sched *w, size_t n)
{
    if (w->nfdata + n <= w->fcap)
        return QS_OK;
    size_t cap = 2 * w->fcap + n + 1024;
    double *d = realloc(w->p->fdata, sizeof(double) * cap);
    if (!d)
        return QS_ENOMEM;
    w->p->fdata = d;
    w->fcap = cap;
    return QS_OK;
}

/* Appends the op of group g to the program's forward ops. */
static qs_status emit_group(sched *w, const group *g)
{
    qs_program *p = w->p;
    qs__fop *f = &p->fops[p->nfops];
    memset(f, 0, sizeof *f);
    f->doff = -1;
    f->mfirst = w->nmembers;
    f->mcount = g->count;
    for (int s = g->head, i = 0; i < g->count; s = w->link[s], i++)
        p->members[w->nmembers++] = s;
    if (g->count == 1) {
        const qs__step *st = &p->steps[g->head];
        if (!g->param && st->kind == QS__S_OP) {
            f->op = st->op;
        } else {
            f->built = 1;
            f->ndata = qs__step_op_size(st, QS__FORWARD);
        }
        p->nfops++;
        return QS_OK;
    }
    f->built = g->param;
    int kq = 0;
    for (uint64_t m = g->mask; m; m &= m - 1)
        f->op.targets[kq++] = __builtin_ctzll(m);
    f->op.nt = kq;
    f->dense = g->kind != QS__OP_DIAG;
    f->op.kind = f->dense ? QS__OP_DENSE : QS__OP_DIAG;
    size_t len = f->dense ? (size_t)2 << (2 * kq) : (size_t)2 << kq;
    f->ndata = (long)len;
    if (!g->param) {
        /* multiplied out now, into the program's pool */
        if (fdata_reserve(w, len) != QS_OK)
            return QS_ENOMEM;
        /* composed in aligned memory (the kernels load vectors from it) */
        _Alignas(64) double data[2 << (2 * QS_MAX_TARGETS)];
        qs__op op;
        QS_TRY(qs__fop_build(p, f, NULL, qs__backend_current(), &op, data));
        f->op = op;
        if (op.m) {   /* pointed at when the pool is final */
            memcpy(p->fdata + w->nfdata, data, sizeof(double) * len);
            f->doff = (long)w->nfdata;
            f->op.m = NULL;
            w->nfdata += len;
        }
        f->ndata = 0;
    }
    p->nfops++;
    return QS_OK;
}

static double group_cost(const sched *w, int kind, uint64_t mask, int count, double alone)
{
    return count == 1 ? alone : qs__op_cost(w->cost, kind, qs__popcount(mask));
}

qs_status qs__fuse_segment(sched *w, qs__seg *sg)
{
    qs_program *p = w->p;
    group open[64 + 1];
    int nopen = 0;
    sg->ffirst = (int)p->nfops;
    for (int i = 0; i < sg->ocount; i++) {
        int s = p->order[sg->ofirst + i];
        const sinfo *si = &w->si[s];
        w->link[s] = -1;
        group mine = {si->mask, si->kind, 1, s, s, si->param, si->cost};
        int touch[64 + 1], nt = 0;
        for (int j = 0; j < nopen; j++)
            if (open[j].mask & si->mask)
                touch[nt++] = j;
        int keep = -1;   /* the group s joins, after the others touched are closed */
        if (si->fuse) {
            uint64_t all = si->mask;
            double parts = si->cost;
            int kind = si->kind;
            for (int j = 0; j < nt; j++) {
                all |= open[touch[j]].mask;
                parts += open[touch[j]].cost;
                kind = combine_kind(kind, open[touch[j]].kind);
            }
            if (nt > 0 && qs__popcount(all) <= QS_MAX_TARGETS &&
                qs__op_cost(w->cost, kind, qs__popcount(all)) <= parts) {
                /* merge every touched group into the first one */
                group *t = &open[touch[0]];
                for (int j = 1; j < nt; j++) {
                    group *o = &open[touch[j]];
                    w->link[t->tail] = o->head;
                    t->tail = o->tail;
                    t->count += o->count;
                    t->param |= o->param;
                    o->count = 0;   /* emptied */
                }
                t->mask = all;
                t->kind = kind;
                t->param |= si->param;
                w->link[t->tail] = s;
                t->tail = s;
                t->count++;
                t->cost = qs__op_cost(w->cost, kind, qs__popcount(all));
                /* drop the emptied groups */
                int m = 0;
                for (int j = 0; j < nopen; j++)
                    if (open[j].count > 0)
                        open[m++] = open[j];
                nopen = m;
                continue;
            }
            double best = -1;
            for (int j = 0; j < nt; j++) {
                const group *o = &open[touch[j]];
                uint64_t u = o->mask | si->mask;
                int kd = combine_kind(o->kind, si->kind);
                double gain = o->cost + si->cost - qs__op_cost(w->cost, kd, qs__popcount(u));
                if (o->kind >= 0 && qs__popcount(u) <= QS_MAX_TARGETS && gain >= 0 && gain > best) {
                    best = gain;
                    keep = touch[j];
                }
            }
        }
        /* close the touched groups but `keep`, in the order they opened */
        int m = 0;
        for (int j = 0; j < nopen; j++) {
            if ((open[j].mask & si->mask) && j != keep) {
                QS_TRY(emit_group(w, &open[j]));
                continue;
            }
            if (j == keep)
                keep = m;
            open[m++] = open[j];
        }
        nopen = m;
        if (keep >= 0) {
            group *t = &open[keep];
            t->mask |= si->mask;
            t->kind = combine_kind(t->kind, si->kind);
            t->param |= si->param;
            w->link[t->tail] = s;
            t->tail = s;
            t->count++;
            t->cost = group_cost(w, t->kind, t->mask, t->count, 0);
        } else if (si->fuse) {
            open[nopen++] = mine;
        } else {
            mine.kind = -1;   /* never joined */
            QS_TRY(emit_group(w, &mine));
        }
    }
    for (int j = 0; j < nopen; j++)
        QS_TRY(emit_group(w, &open[j]));
    sg->fcount = (int)p->nfops - sg->ffirst;
    return QS_OK;
}
