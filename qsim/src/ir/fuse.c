/*
 * fuse.c - the run schedule of a compiled program (program_impl.h): the
 * steps cut into fences and segments that fit a cache block, and inside
 * each segment runs of gates fused into single ops where the cost model
 * (fuse_cost.h) says so.  Built once by qs_program_compile(); segment.c
 * and backprop.c run it.
 *
 * Segments.  Between two fences, steps are taken in a topological order
 * of their dependencies (a step depends on the previous steps sharing a
 * qubit), greedily: a segment first takes every ready step (all its
 * predecessors taken) whose qubits are already inner qubits of its blocks
 * (the low ones always are), and when none is left it adds the ready step
 * that needs the fewest new high qubits, as long as the block can hold
 * them (blocked.h).  Steps on disjoint qubits commute, so any such order
 * is the same circuit; a segment costs one pass over memory whatever its
 * length.
 *
 * Fusion.  Within a segment, gates (named gates and constant matrices on
 * at most QS_MAX_TARGETS qubits) are merged into open groups with pairwise
 * disjoint qubits: a gate joins the groups it touches when the fused op
 * is no more expensive than the parts, or joins the best single one of
 * them after the others are closed, or else closes them and opens its own.
 * A closed group becomes one op: diagonal when all its members are, dense
 * otherwise (then simplified, so products of permutations stay
 * permutations).  Constant groups are multiplied out here; groups with
 * parameterized members are multiplied out at each run from the bound
 * values (qs__fop_build), into memory the state keeps.
 */
#include "ir/fuse_cost.h"
#include "api/state_impl.h"
#include "backend/blocked.h"
#include "backend/simplify.h"
#include "core/bits.h"
#include "core/error.h"
#include "ir/program_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What scheduling and fusion need to know of a step. */
typedef struct {
    uint64_t mask;    /* its qubits */
    int block;        /* can be in a segment */
    int fuse;         /* can be a member of a fused op */
    int kind;         /* as an op: QS__OP_* */
    int param;        /* uses parameters */
    double cost;      /* alone, per amplitude */
} sinfo;

static const qs__cost_row *cost_row(void)
{
    const char *name = qs__backend_current()->name;
    size_t n = sizeof qs__fuse_costs / sizeof *qs__fuse_costs;
    for (size_t i = 0; i < n; i++)
        if (strcmp(qs__fuse_costs[i].backend, name) == 0)
            return &qs__fuse_costs[i];
    return &qs__fuse_costs[n - 1];
}

static double op_cost(const qs__cost_row *c, int kind, int nt)
{
    if (nt < 1)
        nt = 1;
    return kind == QS__OP_DENSE ? c->dense[nt] : kind == QS__OP_DIAG ? c->diag[nt] : c->perm[nt];
}

static uint64_t op_mask(const qs__op *op)
{
    uint64_t m = op->cmask;
    for (int j = 0; j < op->nt; j++)
        m |= UINT64_C(1) << op->targets[j];
    return m;
}

static void step_info(const qs_program *p, const qs__step *st, const qs__cost_row *c, sinfo *si)
{
    memset(si, 0, sizeof *si);
    si->param = qs__step_uses_params(p, st);
    si->kind = -1;
    switch (st->kind) {
    case QS__S_OP: {
        si->mask = op_mask(&st->op);
        qs__op_buf ob;
        if (!qs__op_simplify(&st->op, &ob)) {   /* the identity */
            si->kind = QS__OP_DIAG;
            si->cost = 0;
        } else {
            si->kind = ob.op.kind;
            si->cost = op_cost(c, ob.op.kind, ob.op.nt) / (double)(1u << qs__popcount(ob.op.cmask));
        }
        break;
    }
    case QS__S_PGATE: {
        const qs__gate_info *gi = &qs__gates[st->gate];
        for (int j = 0; j < gi->nc + gi->nt; j++)
            si->mask |= UINT64_C(1) << st->q[j];
        si->mask |= st->xcm;
        si->kind = gi->kind;
        si->cost = op_cost(c, gi->kind, gi->nt) /
                   (double)(1u << (gi->nc + qs__popcount(st->xcm)));
        break;
    }
    case QS__S_PAULI: si->mask = st->op.xmask | st->op.zmask | st->op.cmask; break;
    case QS__S_GPHASE: break;
    default: return;   /* not blockable */
    }
    si->block = !st->has_cond && qs__popcount(qs__block_high(si->mask)) <= QS__BLOCK_MAX_HIGH;
    si->fuse = si->block && si->kind >= 0 && qs__popcount(si->mask) <= QS_MAX_TARGETS;
}

/* ---- building the op of a fused group ------------------------------------ */

static void apply_small(const qs__kernels *k, qs__sv *sv, const qs__op *op)
{
    switch (op->kind) {
    case QS__OP_DENSE: k->dense(sv, op); break;
    case QS__OP_DIAG: k->diag(sv, op); break;
    case QS__OP_PERM: k->perm(sv, op); break;
    default: k->pauli(sv, op); break;
    }
}

long qs__step_op_size(const qs__step *st, int mode)
{
    int kind, nt;
    switch (st->kind) {
    case QS__S_OP: kind = st->op.kind; nt = st->op.nt; break;
    case QS__S_PGATE:
        kind = qs__gates[st->gate].kind;
        nt = qs__gates[st->gate].nt;
        if (mode == QS__DERIVATIVE)
            nt += qs__gates[st->gate].nc + qs__popcount(st->xcm);
        break;
    case QS__S_GPHASE: return 2;
    default: return 0;
    }
    return kind == QS__OP_DIAG ? 2L << nt : 2L << (2 * nt);
}

void qs__fop_build(const qs_program *p, const qs__fop *f, const double *params,
                   const qs__kernels *k, qs__op *out, double *data)
{
    double args[QS__STEP_MAX_ARGS], buf[QS__OPBUF];
    if (f->mcount == 1) {
        const qs__step *st = &p->steps[p->members[f->mfirst]];
        qs__step_args(p, st, params, args);
        qs__step_op(p, st, args, QS__FORWARD, 0, out, data);
        return;
    }
    /* Members act on the group's qubits f->op.targets (ascending); a
     * dense group's matrix M is a 2k-qubit state (row bits above column
     * bits), so applying a member to its row bits multiplies M by it from
     * the left.  A diagonal group is the k-qubit vector of its entries. */
    const int kq = f->op.nt, dense = f->dense;
    signed char map[64];
    memset(map, -1, sizeof map);
    for (int j = 0; j < kq; j++)
        map[f->op.targets[j]] = (signed char)(j + (dense ? kq : 0));
    qs__sv sv;
    memset(&sv, 0, sizeof sv);
    sv.amps = data;
    sv.nq = dense ? 2 * kq : kq;
    sv.len = UINT64_C(1) << sv.nq;
    sv.k = k;
    uint64_t d = UINT64_C(1) << kq;
    memset(data, 0, sizeof(double) * 2 * sv.len);
    for (uint64_t j = 0; j < d; j++)
        data[2 * (dense ? j * d + j : j)] = 1;
    for (int i = 0; i < f->mcount; i++) {
        const qs__step *st = &p->steps[p->members[f->mfirst + i]];
        qs__op op, local;
        qs__step_args(p, st, params, args);
        qs__step_op(p, st, args, QS__FORWARD, 0, &op, buf);
        qs__op_relabel(&op, map, &local);
        apply_small(k, &sv, &local);
    }
    qs__op res = f->op;
    res.kind = dense ? QS__OP_DENSE : QS__OP_DIAG;
    res.m = data;
    /* Simplified once here rather than at every block. */
    qs__op_buf ob;
    if (!qs__op_simplify(&res, &ob)) {
        memset(out, 0, sizeof *out);
        out->kind = QS__OP_DIAG;
        data[0] = 1;
        data[1] = 0;
        out->m = data;
        return;
    }
    *out = ob.op;
    if (ob.op.m == ob.m) {
        size_t len = ob.op.kind == QS__OP_DENSE ? (size_t)2 << (2 * ob.op.nt) : (size_t)2 << ob.op.nt;
        memcpy(data, ob.m, sizeof(double) * len);
        out->m = data;
    }
}

/* ---- the compile-time state ------------------------------------------------ */

typedef struct {
    qs_program *p;
    const qs__cost_row *cost;
    sinfo *si;
    /* scheduling */
    int *head;          /* [nq]: next unscheduled step on each qubit, or -1 */
    int *nxt;           /* per (step, qubit of it): the next step on that qubit */
    int *noff;          /* [n+1]: offsets into nxt */
    int *need, *ready;
    int nready;
    /* fusion groups: member lists linked through link[] */
    int *link;
    size_t fcap;        /* doubles allocated in p->fdata */
    size_t nfdata;
    int nmembers;
} sched;

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
        qs__fop_build(p, f, NULL, qs__backend_current()->kernels(0), &op, data);
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
    return count == 1 ? alone : op_cost(w->cost, kind, qs__popcount(mask));
}

/* Fuses the steps of segment g into forward ops. */
static qs_status fuse_segment(sched *w, qs__seg *sg)
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
                op_cost(w->cost, kind, qs__popcount(all)) <= parts) {
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
                t->cost = op_cost(w->cost, kind, qs__popcount(all));
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
                double gain = o->cost + si->cost - op_cost(w->cost, kd, qs__popcount(u));
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

/* ---- segments --------------------------------------------------------------- */

static void make_ready(sched *w, int s) { w->ready[w->nready++] = s; }

static void take(sched *w, int r)
{
    int s = w->ready[r];
    w->ready[r] = w->ready[--w->nready];
    int j = 0;
    for (uint64_t m = w->si[s].mask; m; m &= m - 1, j++) {
        int q = __builtin_ctzll(m), t = w->nxt[w->noff[s] + j];
        w->head[q] = t;
        if (t >= 0 && --w->need[t] == 0)
            make_ready(w, t);
    }
}

/* Schedules the blockable steps [w0, w1) into segments. */
static qs_status schedule_window(sched *w, int w0, int w1)
{
    qs_program *p = w->p;
    int last[64];
    for (int q = 0; q < 64; q++)
        last[q] = -1;
    for (int s = w1 - 1; s >= w0; s--) {
        int j = 0;
        for (uint64_t m = w->si[s].mask; m; m &= m - 1, j++) {
            int q = __builtin_ctzll(m);
            w->nxt[w->noff[s] + j] = last[q];
            last[q] = s;
        }
    }
    for (int q = 0; q < 64; q++)
        if (q < p->nq)
            w->head[q] = last[q];
    w->nready = 0;
    for (int s = w0; s < w1; s++) {
        int need = 0;
        for (uint64_t m = w->si[s].mask; m; m &= m - 1)
            need += w->head[__builtin_ctzll(m)] != s;
        w->need[s] = need;
        if (!need)
            make_ready(w, s);
    }
    int done = 0;
    while (done < w1 - w0) {
        qs__seg *sg = &p->segs[p->nsegs];
        memset(sg, 0, sizeof *sg);
        sg->ofirst = (int)(p->nsegs ? p->segs[p->nsegs - 1].ofirst + p->segs[p->nsegs - 1].ocount : 0);
        uint64_t high = 0;
        for (;;) {
            int best = -1, bestr = -1, bestnew = 99;
            for (int r = 0; r < w->nready; r++) {
                int s = w->ready[r];
                if ((qs__block_high(w->si[s].mask) & ~high) == 0 && (best < 0 || s < best)) {
                    best = s;
                    bestr = r;
                }
            }
            if (best < 0)
                for (int r = 0; r < w->nready; r++) {
                    int s = w->ready[r];
                    uint64_t h = qs__block_high(w->si[s].mask);
                    int add = qs__popcount(h & ~high);
                    if (qs__popcount(h | high) <= QS__BLOCK_MAX_HIGH &&
                        (add < bestnew || (add == bestnew && s < best))) {
                        best = s;
                        bestr = r;
                        bestnew = add;
                    }
                }
            if (best < 0)
                break;
            high |= qs__block_high(w->si[best].mask);
            sg->used |= w->si[best].mask;
            p->order[sg->ofirst + sg->ocount++] = best;
            take(w, bestr);
            done++;
        }
        if (sg->ocount == 0)
            return QS_EINTERNAL;
        QS_TRY(fuse_segment(w, sg));
        p->entries[p->nentries].step = -1;
        p->entries[p->nentries++].seg = (int)p->nsegs++;
    }
    return QS_OK;
}

/* Scratch sizes and overlap slots of a segment. */
static void segment_sizes(const qs_program *p, qs__seg *sg)
{
    for (int i = 0; i < sg->fcount; i++)
        if (p->fops[sg->ffirst + i].built)
            sg->fdata += QS__ROUND8(p->fops[sg->ffirst + i].ndata);
    for (int i = 0; i < sg->ocount; i++) {
        const qs__step *st = &p->steps[p->order[sg->ofirst + i]];
        sg->bdata += QS__ROUND8(qs__step_op_size(st, QS__ADJOINT));
        for (int a = 0; a < st->na; a++)
            if (qs__step_arg_uses_params(p, st, a)) {
                sg->bdata += QS__ROUND8(qs__step_op_size(st, QS__DERIVATIVE));
                sg->nslots++;
            }
    }
}

void qs__program_schedule_free(qs_program *p)
{
    free(p->entries);
    free(p->entry_at);
    free(p->segs);
    free(p->order);
    free(p->fops);
    free(p->members);
    free(p->fdata);
    p->entries = NULL;
}

qs_status qs__program_schedule(qs_program *p, const char *func)
{
    size_t n = p->n, nslot = 0;
    sched w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.cost = cost_row();
    w.si = calloc(n + 1, sizeof *w.si);
    w.noff = malloc(sizeof(int) * (n + 1));
    w.head = malloc(sizeof(int) * 64);
    w.need = malloc(sizeof(int) * (n + 1));
    w.ready = malloc(sizeof(int) * (n + 1));
    w.link = malloc(sizeof(int) * (n + 1));
    p->entries = malloc(sizeof *p->entries * (n + 1));
    p->entry_at = malloc(sizeof *p->entry_at * (n + 1));
    p->segs = malloc(sizeof *p->segs * (n + 1));
    p->order = malloc(sizeof(int) * (n + 1));
    p->fops = malloc(sizeof *p->fops * (n + 1));
    p->members = malloc(sizeof(int) * (n + 1));
    qs_status st = QS_OK;
    if (!w.si || !w.noff || !w.head || !w.need || !w.ready || !w.link || !p->entries ||
        !p->entry_at || !p->segs || !p->order || !p->fops || !p->members)
        st = QS_ENOMEM;
    if (st == QS_OK) {
        for (size_t k = 0; k < n; k++) {
            step_info(p, &p->steps[k], w.cost, &w.si[k]);
            w.noff[k] = (int)nslot;
            nslot += (size_t)qs__popcount(w.si[k].mask);
            p->nparamsteps += w.si[k].param;
        }
        w.noff[n] = (int)nslot;
        w.nxt = malloc(sizeof(int) * (nslot + 1));
        if (!w.nxt)
            st = QS_ENOMEM;
    }
    for (size_t k = 0; k <= n && st == QS_OK; k++)
        p->entry_at[k] = -1;
    size_t k = 0;
    while (st == QS_OK && k < n) {
        if (!w.si[k].block) {   /* a fence */
            p->entry_at[k] = (long)p->nentries;
            p->entries[p->nentries].seg = -1;
            p->entries[p->nentries++].step = (int)k++;
            continue;
        }
        size_t end = k;
        while (end < n && w.si[end].block)
            end++;
        p->entry_at[k] = (long)p->nentries;
        st = schedule_window(&w, (int)k, (int)end);
        k = end;
    }
    if (st == QS_OK) {
        p->entry_at[n] = (long)p->nentries;
        for (size_t i = 0; i < p->nfops; i++)
            if (p->fops[i].doff >= 0)
                p->fops[i].op.m = p->fdata + p->fops[i].doff;
        for (size_t i = 0; i < p->nsegs; i++)
            segment_sizes(p, &p->segs[i]);
    }
    free(w.si);
    free(w.noff);
    free(w.nxt);
    free(w.head);
    free(w.need);
    free(w.ready);
    free(w.link);
    if (st != QS_OK) {
        qs__program_schedule_free(p);
        return qs__fail(st, func, st == QS_ENOMEM ? "out of memory" : "scheduling failed");
    }
    return QS_OK;
}
