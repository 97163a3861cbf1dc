/*
 * backprop.c - the backward sweep of adjoint differentiation,
 * qs_program_backprop() (Jones & Gacon 2020; qulacs' backprop_inner_product).
 *
 * With phi_k = U_k ... U_1 psi0 and lambda_k = U_{k+1}^dag ... U_N^dag lambda,
 * the sweep walks k = N..1 turning phi_k into phi_{k-1} and lambda_k into
 * lambda_{k-1}, and takes for every argument x of step k that uses a
 * parameter the overlap <lambda_k| dU_k/dx |phi_{k-1}>.
 *
 * It follows the program's schedule backwards (program_impl.h).  A segment
 * on a state larger than one cache block is done block by block: both
 * states' blocks sit in L2 together with a work block, each step's adjoint
 * is applied to both and its overlaps taken from a copy of the phi block,
 * so a whole segment costs one pass over each state plus its arithmetic,
 * where step by step it costs three passes per step and one more per
 * overlap.  Overlaps are summed per chunk of blocks and then over chunks in
 * order (blocked.h): the same bits for any thread count.  Steps outside
 * segments (and programs compiled without a schedule) go step by step on
 * the whole states, with `work` for the overlaps.
 */
#include "loc/loc.h"
#include "backend/blocked.h"
#include "core/check.h"
#include "core/error.h"
#include "ir/program_impl.h"

#include <string.h>

typedef struct {
    const qs_program *p;
    const double *params;
    double *re, *im;
} sweep;

/* Adds the overlap ov of argument a of step st to the gradients. */
static void chain(const sweep *w, const qs__step *st, int a, const double ov[2])
{
    const qs__arg *ar = &w->p->args[st->aoff + a];
    if (w->re)
        qs__x_eval_grad(w->p->nodes + ar->off, ar->len, w->params, ov[0], w->re);
    if (w->im)
        qs__x_eval_grad(w->p->nodes + ar->off, ar->len, w->params, ov[1], w->im);
}


/* Step k on the whole states. */
static qs_status back_step(const sweep *w, size_t k, qs_state *phi, qs_state *lam, qs_state *work)
{
    const qs_program *p = w->p;
    const qs__step *st = &p->steps[k];
    double args[QS__STEP_MAX_ARGS], ov[2];
    QS_TRY(qs__step_args_finite(p, k, w->params, args, "qs_program_backprop"));
    QS_TRY(qs__step_apply(p, st, args, QS__ADJOINT, 0, phi));
    for (int a = 0; a < st->na; a++) {
        if (!qs__step_arg_uses_params(p, st, a))
            continue;
        QS_TRY(qs__loc_copy(work, phi));
        QS_TRY(qs__step_apply(p, st, args, QS__DERIVATIVE, a, work));
        QS_TRY(qs__loc_inner(lam, work, ov));
        chain(w, st, a, ov);
    }
    return qs__step_apply(p, st, args, QS__ADJOINT, 0, lam);
}

/* One step of a blocked segment: its adjoint, then nd derivative ops
 * (slots slot .. slot+nd-1). */
typedef struct {
    int adj, nd, slot;
} bstep;

typedef struct {
    const qs__op *ops;
    const bstep *steps;
    int nsteps, nslots;
    double *partial;   /* [nchunks][nslots][2] */
} back_ctx;

/* On the views of one block (blocked.h): the kernels of the block. */
static qs_status back_block(void *vc, uint64_t chunk, qs__sv *v)
{
    const back_ctx *c = vc;
    double *part = c->partial + 2 * (size_t)c->nslots * chunk;
    for (int i = 0; i < c->nsteps; i++) {
        const bstep *b = &c->steps[i];
        QS_TRY(qs__sv_apply(&v[0], &c->ops[b->adj]));
        for (int j = 0; j < b->nd; j++) {
            double ov[2];
            QS_TRY(v[2].k->copy_from(&v[2], &v[0]));
            QS_TRY(qs__sv_apply(&v[2], &c->ops[b->adj + 1 + j]));
            v[1].k->inner(&v[1], &v[2], ov);
            part[2 * (b->slot + j)] += ov[0];
            part[2 * (b->slot + j) + 1] += ov[1];
        }
        QS_TRY(qs__sv_apply(&v[1], &c->ops[b->adj]));
    }
    return QS_OK;
}

static qs_status back_segment(const sweep *w, const qs__seg *g, qs_state *phi, qs_state *lam,
                              qs_state *work)
{
    const qs_program *p = w->p;
    qs__blocking bl;
    qs_state *states[2] = {phi, lam};
    int blocked;
    QS_TRY(qs__loc_blocking(states, 2, g->used, &bl, &blocked));
    if (!blocked) {
        for (int i = g->ocount; i-- > 0;)
            QS_TRY(back_step(w, (size_t)p->order[g->ofirst + i], phi, lam, work));
        return QS_OK;
    }
    /* Scratch: the ops (each step's adjoint, then its derivatives), the
     * steps, their data, the partial overlaps, the blocks. */
    size_t nops = (size_t)(g->ocount + g->nslots);
    size_t opb = (sizeof(qs__op) * nops + 63) & ~(size_t)63;
    size_t stb = (sizeof(bstep) * (size_t)g->ocount + 63) & ~(size_t)63;
    size_t datab = sizeof(double) * (size_t)g->bdata;
    size_t partb = (sizeof(double) * 2 * (size_t)g->nslots * bl.nchunks + 63) & ~(size_t)63;
    size_t bytes = opb + stb + datab + partb + qs__loc_blocked_scratch(phi, &bl, 2, 1);
    char *mem = qs__state_scratch(phi, bytes);
    if (!mem)
        return qs__fail(QS_ENOMEM, "qs_program_backprop", "no memory for %zu bytes of scratch",
                        bytes);
    qs__op *ops = (qs__op *)mem;
    bstep *steps = (bstep *)(mem + opb);
    double *data = (double *)(mem + opb + stb), *partial = (double *)(mem + opb + stb + datab);
    memset(partial, 0, partb);
    int no = 0, slot = 0;
    for (int i = 0; i < g->ocount; i++) {
        size_t k = (size_t)p->order[g->ofirst + g->ocount - 1 - i];
        const qs__step *st = &p->steps[k];
        double args[QS__STEP_MAX_ARGS];
        qs__op op;
        QS_TRY(qs__step_args_finite(p, k, w->params, args, "qs_program_backprop"));
        steps[i].adj = no;
        steps[i].slot = slot;
        steps[i].nd = 0;
        qs__step_op(p, st, args, QS__ADJOINT, 0, &op, data);
        data += QS__ROUND8(qs__step_op_size(st, QS__ADJOINT));
        qs__op_relabel(&op, bl.map, &ops[no++]);
        for (int a = 0; a < st->na; a++) {
            if (!qs__step_arg_uses_params(p, st, a))
                continue;
            qs__step_op(p, st, args, QS__DERIVATIVE, a, &op, data);
            data += QS__ROUND8(qs__step_op_size(st, QS__DERIVATIVE));
            qs__op_relabel(&op, bl.map, &ops[no++]);
            steps[i].nd++;
            slot++;
        }
    }
    back_ctx c = {ops, steps, g->ocount, g->nslots, partial};
    QS_TRY(qs__loc_blocked_run(states, 2, 1, &bl, mem + opb + stb + datab + partb, back_block,
                               &c));
    /* Overlaps summed over chunks in order (into chunk 0's slots), then
     * over ranks, then the chain rule. */
    for (int s = 0; s < g->nslots; s++)
        for (uint64_t ch = 1; ch < bl.nchunks; ch++) {
            const double *pc = partial + 2 * ((size_t)g->nslots * ch + (size_t)s);
            partial[2 * s] += pc[0];
            partial[2 * s + 1] += pc[1];
        }
    QS_TRY(qs__loc_sum(phi, partial, 2 * (size_t)g->nslots));
    for (int i = 0; i < g->ocount; i++) {
        const qs__step *st = &p->steps[p->order[g->ofirst + g->ocount - 1 - i]];
        for (int a = 0, j = 0; a < st->na; a++) {
            if (!qs__step_arg_uses_params(p, st, a))
                continue;
            chain(w, st, a, partial + 2 * (steps[i].slot + j));
            j++;
        }
    }
    return QS_OK;
}

QS_API qs_status qs_program_backprop(const qs_program *p, const double *params,
                                     size_t num_params, qs_state *phi, qs_state *lambda,
                                     qs_state *work, double *grad_re, double *grad_im)
{
    QS_CHECK_NULL(__func__, p);
    QS_CHECK_NULL(__func__, phi);
    QS_CHECK_NULL(__func__, lambda);
    QS_CHECK_NULL(__func__, work);
    if (num_params != (size_t)p->np)
        return qs__fail(QS_EINVAL, __func__, "%zu parameter values for a program of %d",
                        num_params, p->np);
    if (p->np > 0 && !params)
        return qs__null(__func__, "params");
    if (phi == lambda || phi == work || lambda == work)
        return qs__fail(QS_EINVAL, __func__, "phi, lambda and work must be three different states");
    QS_TRY(qs__loc_same(__func__, phi, lambda, 0));
    QS_TRY(qs__loc_same(__func__, phi, work, 0));
    if (phi->nq < p->nq)
        return qs__fail(QS_EINVAL, __func__, "a %d-qubit program on a %d-qubit state", p->nq,
                        phi->nq);
    for (size_t k = 0; k < p->n; k++)
        if (qs__step_nonunitary(&p->steps[k]))
            return qs__fail(QS_EUNSUPPORTED, __func__,
                            "the adjoint method needs a circuit without measurement or reset "
                            "(step %zu measures, resets or is conditional)", k);
    for (int j = 0; j < p->np; j++) {
        if (grad_re)
            grad_re[j] = 0;
        if (grad_im)
            grad_im[j] = 0;
    }
    sweep w = {p, params, grad_re, grad_im};
    /* Nothing before the first step that uses a parameter is undone. */
    size_t left = 0;
    for (size_t k = 0; k < p->n; k++)
        left += (size_t)qs__step_uses_params(p, &p->steps[k]);
    if (!p->entries) {
        for (size_t k = p->n; k-- > 0 && left > 0;) {
            left -= (size_t)qs__step_uses_params(p, &p->steps[k]);
            QS_TRY(back_step(&w, k, phi, lambda, work));
        }
        return QS_OK;
    }
    for (size_t e = p->nentries; e-- > 0 && left > 0;) {
        const qs__entry *en = &p->entries[e];
        if (en->seg < 0) {
            left -= (size_t)qs__step_uses_params(p, &p->steps[en->step]);
            QS_TRY(back_step(&w, (size_t)en->step, phi, lambda, work));
            continue;
        }
        const qs__seg *g = &p->segs[en->seg];
        for (int i = 0; i < g->ocount; i++)
            left -= (size_t)qs__step_uses_params(p, &p->steps[p->order[g->ofirst + i]]);
        QS_TRY(back_segment(&w, g, phi, lambda, work));
    }
    return QS_OK;
}
