/*
 * segment.c - running one segment of a program's schedule forward
 * (program_impl.h).  Its fused ops are completed first: constant ones are
 * in the program, the others are built from the parameter values into the
 * state's scratch (fop.c).  Then they run on the whole state when it is
 * no larger than one cache block (or the segment is a single op), else
 * block by block (backend/blocked.h), renumbered to the block's inner
 * qubits; both through the localiser (loc/loc.h).
 * Nothing is allocated once the state's scratch is large enough.
 */
#include "loc/loc.h"
#include "backend/blocked.h"
#include "core/error.h"
#include "ir/program_impl.h"

#include <string.h>

typedef struct {
    const qs__op *ops;
    int nops;
} fwd_ctx;

static qs_status fwd_block(void *vc, uint64_t chunk, qs__sv *views)
{
    const fwd_ctx *c = vc;
    (void)chunk;
    for (int i = 0; i < c->nops; i++)
        QS_TRY(qs__sv_apply(&views[0], &c->ops[i]));
    return QS_OK;
}

/* The arguments of every step of g are finite. */
static qs_status check_args(const qs_program *p, const qs__seg *g, const double *params)
{
    double args[QS__STEP_MAX_ARGS];
    for (int i = 0; i < g->ocount; i++)
        QS_TRY(qs__step_args_finite(p, (size_t)p->order[g->ofirst + i], params, args,
                                    "qs_program_run"));
    return QS_OK;
}

static qs_status run(const qs_program *p, const qs__seg *g, const double *params, qs_state *s)
{
    qs__blocking b;
    int blocked = 0;
    if (g->fcount > 1)
        QS_TRY(qs__loc_blocking(&s, 1, g->used, &b, &blocked));
    size_t opbytes = (sizeof(qs__op) * (size_t)g->fcount + 63) & ~(size_t)63;
    size_t bytes = opbytes + sizeof(double) * (size_t)g->fdata +
                   (blocked ? qs__loc_blocked_scratch(s, &b, 1, 0) : 0);
    char *mem = qs__state_scratch(s, bytes);
    if (!mem)
        return qs__fail(QS_ENOMEM, "qs_program_run", "no memory for %zu bytes of run scratch",
                        bytes);
    QS_TRY(check_args(p, g, params));
    qs__op *ops = (qs__op *)mem;
    double *data = (double *)(mem + opbytes);
    for (int i = 0; i < g->fcount; i++) {
        const qs__fop *f = &p->fops[g->ffirst + i];
        if (f->built) {
            QS_TRY(qs__fop_build(p, f, params, s->sv.be, &ops[i], data));
            data += QS__ROUND8(f->ndata);
        } else {
            ops[i] = f->op;
        }
    }
    if (!blocked) {
        for (int i = 0; i < g->fcount; i++)
            QS_TRY(qs__loc_apply(s, &ops[i]));
        return QS_OK;
    }
    for (int i = 0; i < g->fcount; i++) {
        qs__op global = ops[i];
        qs__op_relabel(&global, b.map, &ops[i]);
    }
    fwd_ctx c = {ops, g->fcount};
    return qs__loc_blocked_run(&s, 1, 0, &b, mem + opbytes + sizeof(double) * (size_t)g->fdata,
                               fwd_block, &c);
}

qs_status qs__segment_run(const qs_program *p, const qs__seg *g, const double *params,
                          qs_state *s)
{
    /* A distributed state sends out the qubit the rest of the program
     * needs last (the whole remaining schedule, not a window); the
     * 3-segment `soon` stays for what runs after the program. */
    size_t gi = (size_t)(g - p->segs);
    uint64_t soon = 0;
    for (size_t i = gi + 1; i < p->nsegs && i <= gi + 3; i++)
        soon |= p->segs[i].used;
    qs__loc_hint(s, soon & ~g->used);
    qs__loc_future(s, &g->used, sizeof *g, p->nsegs - gi);
    qs_status st = run(p, g, params, s);
    qs__loc_future(s, NULL, 0, 0);   /* the masks belong to p */
    return st;
}
