/*
 * schedule.c - the run schedule of a compiled program (schedule.h): the
 * steps cut into fences and segments that fit a cache block; fuse.c then
 * fuses each segment's gates.  Built once by qs_program_compile();
 * segment.c and backprop.c run it.
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
 */
#include "ir/sched_impl.h"
#include "ir/cost_model.h"
#include "backend/blocked.h"
#include "backend/simplify.h"
#include "core/bits.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

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
            si->cost = qs__op_cost(c, ob.op.kind, ob.op.nt) / (double)(1u << qs__popcount(ob.op.cmask));
        }
        break;
    }
    case QS__S_PGATE: {
        const qs__gate_info *gi = &qs__gates[st->gate];
        for (int j = 0; j < gi->nc + gi->nt; j++)
            si->mask |= UINT64_C(1) << st->q[j];
        si->mask |= st->xcm;
        si->kind = gi->kind;
        si->cost = qs__op_cost(c, gi->kind, gi->nt) /
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
        QS_TRY(qs__fuse_segment(w, sg));
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
    QS_TRY(qs__cost_row_get(func, &w.costrow));
    w.cost = &w.costrow;
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
