/*
 * loc.c - the localiser (loc.h).  A state held by one process goes to the
 * kernels of its backend (the same calls and order of summation as
 * without this layer); a distributed one (s->dist) to dist.c.
 */
#include "config.h"
#include "loc/loc.h"
#include "core/error.h"
#include "core/mem.h"
#include "loc/dist.h"

#include <stdlib.h>
#include <string.h>

void *qs__state_scratch(qs_state *s, size_t bytes)
{
    if (bytes > s->scratch_bytes) {   /* the same sizes on every rank */
        void *p = qs__alloc_aligned(bytes);
        qs_status st = p ? QS_OK
                         : qs__fail(QS_ENOMEM, "qsim", "no memory for %zu bytes of scratch", bytes);
        if (s->dist && qs__loc_agree(s, st) != QS_OK) {
            qs__free_aligned(p);
            return NULL;
        }
        if (!p)
            return NULL;
        qs__free_aligned(s->scratch);
        s->scratch = p;
        s->scratch_bytes = bytes;
    }
    return s->scratch;
}

qs_status qs__loc_create(const char *func, int nq, unsigned flags, const void *comm,
                         qs_state **out)
{
    *out = NULL;
    if (flags & QS_STATE_DISTRIBUTED) {
#ifdef QS_HAVE_MPI
        return qs__dist_create(func, nq, flags, comm, out);
#else
        (void)comm;
        return qs__fail(QS_EUNSUPPORTED, func,
                        "a distributed state needs MPI: this libqsim was built without it "
                        "(install libopenmpi-dev and configure --with-mpi)");
#endif
    }
    qs_state *s = calloc(1, sizeof *s);
    if (!s)
        return qs__fail(QS_ENOMEM, func, "out of memory");
    qs_status st = qs__sv_alloc(&s->sv, nq, (flags & QS_STATE_F32) != 0, func);
    if (st != QS_OK) {
        free(s);
        return st;
    }
    s->nq = nq;
    s->flags = flags;
    st = s->sv.k->set_basis(&s->sv, 0);   /* first touch, by the kernels' split */
    if (st != QS_OK) {
        qs__loc_destroy(s);
        return qs__fail(st, func, "setting the state to |0> failed");
    }
    *out = s;
    return QS_OK;
}

qs_status qs__loc_create_like(const char *func, const qs_state *like, qs_state **out)
{
    if (like->dist)
        return qs__dist_create_like(func, like, out);
    return qs__loc_create(func, like->nq, like->flags, NULL, out);
}

int qs__loc_ranks(const qs_state *s) { return s->dist ? qs__dist_ranks(s) : 1; }

qs_status qs__loc_stats(const qs_state *s, uint64_t stats[4])
{
    if (s->dist)
        return qs__dist_stats(s, stats);
    memset(stats, 0, 4 * sizeof *stats);
    return QS_OK;
}

void qs__loc_destroy(qs_state *s)
{
    if (!s)
        return;
    if (s->dist) {
        qs__dist_free(s);
        return;
    }
    qs__sv_free(&s->sv);
    qs__free_aligned(s->scratch);
    free(s);
}

qs_status qs__loc_same(const char *func, const qs_state *a, const qs_state *b,
                       int any_precision)
{
    if (a->nq != b->nq)
        return qs__fail(QS_EINVAL, func, "states have %d and %d qubits", a->nq, b->nq);
    if (!any_precision && a->sv.f32 != b->sv.f32)
        return qs__fail(QS_EINVAL, func, "states have different precisions");
    if (a->sv.be != b->sv.be)
        return qs__fail(QS_EINVAL, func, "states live on different backends ('%s' and '%s')",
                        a->sv.be->name, b->sv.be->name);
    if ((a->dist != NULL) != (b->dist != NULL))
        return qs__fail(QS_EINVAL, func, "one state is distributed over ranks, the other not");
    return a->dist ? qs__dist_same(func, a, b) : QS_OK;
}

/* ---- gates and scalars -------------------------------------------------- */

qs_status qs__loc_apply(qs_state *s, const qs__op *op)
{
    if (s->dist)
        return qs__dist_apply(s, op);
    return qs__sv_apply(&s->sv, op);
}

/* Elementwise: the same on a slice, whatever the layout. */
qs_status qs__loc_scale(qs_state *s, const double alpha[2])
{
    return s->sv.k->scale(&s->sv, alpha);
}

qs_status qs__loc_axpy(qs_state *y, const double alpha[2], const qs_state *x)
{
    if (y->dist)
        return qs__dist_axpy(y, alpha, x);
    return y->sv.k->axpy(&y->sv, alpha, &x->sv);
}

qs_status qs__loc_diag_real(qs_state *s, const double *values, int k, double t,
                            const double c[2], int times_value)
{
    if (s->dist)
        return qs__dist_diag_real(s, values, k, t, c, times_value);
    return s->sv.k->diag_real(&s->sv, values, k, t, c, times_value);
}

qs_status qs__loc_qft(const char *func, qs_state *s, int first, int count, int inv)
{
    if (s->dist)
        return qs__dist_qft(s, first, count, inv);
    qs_status st = s->sv.be->qft(&s->sv, first, count, inv);
    if (st != QS_OK)
        return qs__fail(st, func, "FFTW could not plan a %d-qubit transform", count);
    return QS_OK;
}

/* ---- setting, copying, reading ----------------------------------------- */

qs_status qs__loc_set_basis(qs_state *s, uint64_t index)
{
    if (s->dist)
        return qs__dist_set_basis(s, index);
    return s->sv.k->set_basis(&s->sv, index);
}

qs_status qs__loc_set_const(qs_state *s, const double v[2])
{
    if (s->dist)
        return qs__dist_set_const(s, v);
    return s->sv.k->set_const(&s->sv, v);
}

qs_status qs__loc_copy(qs_state *dst, const qs_state *src)
{
    if (dst->dist)
        return qs__dist_copy(dst, src);
    return dst->sv.k->copy_from(&dst->sv, &src->sv);
}

qs_status qs__loc_get_amps(const qs_state *s, uint64_t first, uint64_t count, double *re_im)
{
    if (s->dist)
        return qs__dist_get_amps(s, first, count, re_im);
    return s->sv.k->get_amps(&s->sv, first, count, re_im);
}

qs_status qs__loc_set_amps(qs_state *s, uint64_t first, uint64_t count, const double *re_im)
{
    if (s->dist)
        return qs__dist_set_amps(s, first, count, re_im);
    return s->sv.k->set_amps(&s->sv, first, count, re_im);
}

/* ---- reductions --------------------------------------------------------- */

qs_status qs__loc_norm2(const qs_state *s, double *out)
{
    if (s->dist)
        return qs__dist_norm2(s, out);
    *out = s->sv.k->norm2(&s->sv);
    return QS_OK;
}

qs_status qs__loc_inner(const qs_state *bra, const qs_state *ket, double out[2])
{
    if (bra->dist)
        return qs__dist_inner(bra, ket, out);
    bra->sv.k->inner(&bra->sv, &ket->sv, out);
    return QS_OK;
}

qs_status qs__loc_prob_mask(const qs_state *s, uint64_t mask, uint64_t val, double *out)
{
    if (s->dist)
        return qs__dist_prob_mask(s, mask, val, out);
    *out = s->sv.k->prob_mask(&s->sv, mask, val);
    return QS_OK;
}

qs_status qs__loc_probs(const qs_state *s, double *out)
{
    if (s->dist)
        return qs__dist_probs(s, out);
    s->sv.k->probs(&s->sv, out);
    return QS_OK;
}

qs_status qs__loc_marginal(const qs_state *s, const int *qubits, int k, double *out)
{
    if (s->dist)
        return qs__dist_marginal(s, qubits, k, out);
    s->sv.k->marginal(&s->sv, qubits, k, out);
    return QS_OK;
}

qs_status qs__loc_expect(const qs_state *s, const qs__pgroups *g, double *out)
{
    if (s->dist)
        return qs__dist_expect(s, g, out);
    *out = s->sv.k->expect(&s->sv, g);
    return QS_OK;
}

qs_status qs__loc_expect_diag_real(const qs_state *s, const double *values, int k, double *out)
{
    if (s->dist)
        return qs__dist_expect_diag_real(s, values, k, out);
    *out = s->sv.k->expect_diag_real(&s->sv, values, k);
    return QS_OK;
}

qs_status qs__loc_apply_pgroups(const qs_state *in, qs_state *out, const qs__pgroups *g)
{
    if (in->dist)
        return qs__dist_apply_pgroups(in, out, g);
    return in->sv.k->apply_pgroups(&in->sv, &out->sv, g);
}

qs_status qs__loc_sample_sorted(const qs_state *s, const double *u, size_t n, uint64_t *idx,
                                double *total)
{
    if (s->dist)
        return qs__dist_sample_sorted(s, u, n, idx, total);
    *total = s->sv.k->sample_sorted(&s->sv, u, n, idx);
    return QS_OK;
}

qs_status qs__loc_collapse(qs_state *s, uint64_t mask, uint64_t val, double scale)
{
    if (s->dist)
        return qs__dist_collapse(s, mask, val, scale);
    return s->sv.k->collapse(&s->sv, mask, val, scale);
}

qs_status qs__loc_sum(const qs_state *s, double *v, size_t n)
{
    (void)v;   /* used only with MPI */
    (void)n;
    if (s->dist)
        return qs__dist_sum(s, v, n);
    return QS_OK;   /* one process: already the sum */
}

qs_status qs__loc_agree(const qs_state *s, qs_status st)
{
    return s->dist ? qs__dist_agree_state(s, st) : st;
}

/* ---- cache-blocked runs -------------------------------------------------- */

qs_status qs__loc_blocking(qs_state *const *states, int nstates, uint64_t used, qs__blocking *b,
                           int *blocked)
{
    qs_status st = QS_OK;
    (void)nstates;   /* used only with MPI */
    if (states[0]->dist)
        *blocked = qs__dist_blocking(states, nstates, used, b, &st);
    else
        *blocked = qs__blocking_init(b, states[0]->sv.nq, used);
    return st;
}

void qs__loc_hint(qs_state *s, uint64_t soon)
{
    (void)soon;   /* used only with MPI */
    if (s->dist)
        qs__dist_hint(s, soon);
}

void qs__loc_future(qs_state *s, const uint64_t *first, size_t stride, size_t n)
{
    (void)first;   /* used only with MPI */
    (void)stride;
    (void)n;
    if (s->dist)
        qs__dist_future(s, first, stride, n);
}

size_t qs__loc_blocked_scratch(const qs_state *s, const qs__blocking *b, int nstates,
                               int nextra)
{
    return qs__blocked_scratch(b, s->sv.f32, nstates, nextra);
}

qs_status qs__loc_blocked_run(qs_state *const *states, int nstates, int nextra,
                              const qs__blocking *b, void *scratch, qs__block_fn fn, void *ctx)
{
    qs__sv *svs[4];
    for (int i = 0; i < nstates; i++)
        svs[i] = &states[i]->sv;
    return states[0]->sv.be->blocked_run(svs, nstates, nextra, b, scratch, fn, ctx);
}
