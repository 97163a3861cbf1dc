/*
 * dist_pauli.c - Pauli strings on a distributed state (dist_impl.h):
 * expectation of Pauli sums, H|psi>, and psi <- a psi + b P psi (Pauli
 * rotations) whose X/Y letters reach global qubits.
 *
 * A Pauli string sends basis state c to c ^ x.  When x has global bits,
 * the amplitudes it pairs lie on two ranks: the rank holding label G needs
 * the slice of the one holding G ^ (x's global bits).  Two ways to get it:
 *  - swap the global X/Y qubits into the slice (qs__dist_make_local): half
 *    a slice each way per qubit moved, and the placement stays for the
 *    next groups and gates (lazy relabelling), so groups that share their
 *    qubits pay once;
 *  - exchange with the partner rank: the slices are streamed chunk by
 *    chunk through the exchange buffer, each received chunk met with the
 *    local chunk it pairs with: one slice each way per group, bounded
 *    memory (the buffer's two chunks), nothing moved for good.
 * Expectations and rotations swap when the X/Y letters fit in a slice and
 * exchange only when they do not (LiH's 12-qubit strings on 2 ranks: no
 * swap can make 12 qubits local on a slice of 11).  H|psi> always goes
 * chunk by chunk: its output state would otherwise have to follow every
 * swap (twice the traffic), and it needs no extra slice that way.
 */
#include "config.h"
#include "loc/dist_impl.h"
#include "core/bits.h"
#include "core/error.h"

#ifdef QS_HAVE_MPI
#include <stdlib.h>
#include <string.h>

/* One group in physical bits, and the same group cut to a chunk. */
typedef struct {
    uint64_t x;
    size_t nt;
    uint64_t *z;          /* [nt] */
    const double *coef;   /* [2 nt] */
    uint64_t cx;          /* the cut: x, z, coefficients on w bits */
    uint64_t *cz;
    double *cc;
    size_t start[2];
    qs__pgroups one;
} pgroup;

static size_t max_terms(const qs__pgroups *g)
{
    size_t m = 1;
    for (size_t i = 0; i < g->ngroups; i++)
        if (g->start[i + 1] - g->start[i] > m)
            m = g->start[i + 1] - g->start[i];
    return m;
}

static qs_status pgroup_alloc(const char *func, size_t mt, pgroup *p)
{
    memset(p, 0, sizeof *p);
    p->z = malloc(sizeof(uint64_t) * mt);
    p->cz = malloc(sizeof(uint64_t) * mt);
    p->cc = malloc(sizeof(double) * 2 * mt);
    return p->z && p->cz && p->cc ? QS_OK : qs__fail(QS_ENOMEM, func, "out of memory");
}

static void pgroup_free(pgroup *p)
{
    free(p->z);
    free(p->cz);
    free(p->cc);
}

/* Group i of g in the current layout's physical bits. */
static void pgroup_set(const qs__dist *d, const qs__pgroups *g, size_t i, pgroup *p)
{
    size_t t0 = g->start[i];
    p->nt = g->start[i + 1] - t0;
    p->x = qs__dist_phys(d, g->xmask[i]);
    for (size_t t = 0; t < p->nt; t++)
        p->z[t] = qs__dist_phys(d, g->zmask[t0 + t]);
    p->coef = g->coef + 2 * t0;
}

/* The group on an index range of w bits whose source amplitudes (the c of
 * P|c>) have the bits above w equal to those of `hi`: masks cut to w bits,
 * the signs of the Z letters above w folded into the coefficients. */
static const qs__pgroups *pgroup_cut(pgroup *p, int w, uint64_t hi)
{
    uint64_t low = (UINT64_C(1) << w) - 1;
    p->cx = p->x & low;
    for (size_t t = 0; t < p->nt; t++) {
        double sg = qs__popcount(p->z[t] & hi) & 1 ? -1 : 1;
        p->cz[t] = p->z[t] & low;
        p->cc[2 * t] = sg * p->coef[2 * t];
        p->cc[2 * t + 1] = sg * p->coef[2 * t + 1];
    }
    p->start[0] = 0;
    p->start[1] = p->nt;
    p->one = (qs__pgroups){1, &p->cx, p->start, p->cz, p->cc};
    return &p->one;
}

/* A view of w qubits on host amplitudes (the exchange buffer or a chunk
 * of a slice: dist.c already moves slices with memcpy). */
static qs__sv view(const qs_state *s, void *amps, int w)
{
    qs__sv v = s->sv;
    v.amps = amps;
    v.nq = w;
    v.len = UINT64_C(1) << w;
    v.be_data = NULL;
    return v;
}

/* Chunk geometry: w bits per chunk, nc chunks per slice. */
static int chunk_bits(const qs__dist *d) { return __builtin_ctzll(d->chunk); }

/* Group p over this rank's chunks.  For chunk c, tmp <- the group applied
 * to the source chunk c ^ (x's chunk bits): the partner rank's, streamed
 * through the buffer, when x has global bits; in's own otherwise.  Then
 * out_c += tmp (out not NULL), or *sum += Re <in_c|tmp>. */
static qs_status group_chunks(qs_state *in, qs_state *out, pgroup *p, double *sum)
{
    qs__dist *d = in->dist;
    size_t el = qs__dist_elem(in), cb = d->chunk * el;
    int w = chunk_bits(d), nl = d->nl;
    uint64_t nc = UINT64_C(1) << (nl - w), xc = (p->x >> w) & (nc - 1), xg = p->x >> nl;
    uint64_t src = d->label ^ xg;
    int partner = d->holder[src];
    char *a = in->sv.amps, *rb = d->buf, *tb = d->buf + cb;
    const double one_c[2] = {1, 0};
    double acc = 0;
    for (uint64_t c = 0; c < nc; c++) {
        uint64_t cs = c ^ xc;
        char *from = a + cs * cb;
        if (xg) {   /* the partner, in the same loop, needs this rank's chunk cs */
            QS_TRY(qs__dist_sendrecv(in, from, partner, rb, partner, d->chunk));
            from = rb;
        }
        const qs__pgroups *one = pgroup_cut(p, w, (src << nl) | (cs << w));
        qs__sv sv_src = view(in, from, w), tmp = view(in, tb, w);
        QS_TRY(in->sv.k->apply_pgroups(&sv_src, &tmp, one));
        if (out) {
            qs__sv o = view(out, (char *)out->sv.amps + c * cb, w);
            QS_TRY(out->sv.k->axpy(&o, one_c, &tmp));
        } else {
            double ip[2];
            qs__sv mine = view(in, a + c * cb, w);
            in->sv.k->inner(&mine, &tmp, ip);
            acc += ip[0];
        }
    }
    if (sum)
        *sum = acc;
    return QS_OK;
}

qs_status qs__dist_expect(const qs_state *cs, const qs__pgroups *g, double *out)
{
    qs_state *s = (qs_state *)cs;   /* the layout may change, the state does not */
    qs__dist *d = s->dist;
    pgroup p;
    double *part = calloc(g->ngroups + 1, sizeof *part);
    qs_status st = pgroup_alloc("qs_state_expect", max_terms(g), &p);
    if (st == QS_OK && !part)
        st = qs__fail(QS_ENOMEM, "qs_state_expect", "out of memory");
    st = qs__dist_agree(d, st);
    for (size_t i = 0; i < g->ngroups && st == QS_OK; i++) {
        if (qs__popcount(g->xmask[i]) > d->nl) {   /* cannot be made local */
            pgroup_set(d, g, i, &p);
            st = group_chunks(s, NULL, &p, &part[i]);
            continue;
        }
        if ((st = qs__dist_make_local(&s, 1, g->xmask[i], 0)) != QS_OK)
            break;
        pgroup_set(d, g, i, &p);
        part[i] = s->sv.k->expect(&s->sv, pgroup_cut(&p, d->nl, d->label << d->nl));
    }
    if (st == QS_OK)
        st = qs__dist_reduce(d, part, g->ngroups);
    double sum = 0;
    for (size_t i = 0; i < g->ngroups && part; i++)
        sum += part[i];
    *out = sum;
    free(part);
    pgroup_free(&p);
    return st;
}

qs_status qs__dist_apply_pgroups(const qs_state *cin, qs_state *out, const qs__pgroups *g)
{
    qs_state *in = (qs_state *)cin;
    qs__dist *d = in->dist;
    const double zero[2] = {0, 0};
    qs__dist_copy_layout(out->dist, d);
    QS_TRY(out->sv.k->set_const(&out->sv, zero));
    pgroup p;
    qs_status st = qs__dist_agree(d, pgroup_alloc("qs_pauli_sum_apply", max_terms(g), &p));
    for (size_t i = 0; i < g->ngroups && st == QS_OK; i++) {
        pgroup_set(d, g, i, &p);
        st = group_chunks(in, out, &p, NULL);
    }
    pgroup_free(&p);
    return st;
}

/* My chunk c <- a * c + b P (the partner's chunk cs, in rb; rb is
 * overwritten). */
static qs_status wide_update(qs_state *s, const qs__op *ph, uint64_t src, uint64_t c,
                             uint64_t cs, char *rb)
{
    qs__dist *d = s->dist;
    int w = chunk_bits(d);
    uint64_t low = d->chunk - 1, hi = (src << d->nl) | (cs << w);
    qs__op op = *ph;
    double sg = qs__popcount(ph->zmask & hi) & 1 ? -1 : 1;
    op.xmask = ph->xmask & low;
    op.zmask = ph->zmask & low;
    op.a[0] = op.a[1] = 0;
    op.b[0] = sg * ph->b[0];
    op.b[1] = sg * ph->b[1];
    qs__sv r = view(s, rb, w), mine = view(s, (char *)s->sv.amps + c * d->chunk * qs__dist_elem(s), w);
    QS_TRY(s->sv.k->pauli(&r, &op));
    if (ph->a[0] != 1 || ph->a[1] != 0)
        QS_TRY(s->sv.k->scale(&mine, ph->a));
    const double one_c[2] = {1, 0};
    return s->sv.k->axpy(&mine, one_c, &r);
}

qs_status qs__dist_pauli_wide(qs_state *s, const qs__op *ph)
{
    qs__dist *d = s->dist;
    if (ph->cmask)   /* never lowered: Pauli steps carry no controls */
        return qs__fail(QS_EUNSUPPORTED, "qsim",
                        "a controlled Pauli string with X or Y on more qubits than a rank "
                        "holds (%d)",
                        d->nl);
    size_t cb = d->chunk * qs__dist_elem(s);
    int w = chunk_bits(d), nl = d->nl;
    uint64_t nc = UINT64_C(1) << (nl - w), xc = (ph->xmask >> w) & (nc - 1);
    uint64_t src = d->label ^ (ph->xmask >> nl);
    int partner = d->holder[src];
    char *a = s->sv.amps, *r1 = d->buf, *r2 = d->buf + cb;
    /* In place: chunks c and c ^ xc are done together, after both of the
     * partner's have arrived (the partner runs the same loop and needs
     * this rank's two before they change). */
    for (uint64_t c = 0; c < nc; c++) {
        uint64_t c2 = c ^ xc;
        if (c2 < c)
            continue;
        QS_TRY(qs__dist_sendrecv(s, a + c2 * cb, partner, r1, partner, d->chunk));
        if (c2 != c)
            QS_TRY(qs__dist_sendrecv(s, a + c * cb, partner, r2, partner, d->chunk));
        QS_TRY(wide_update(s, ph, src, c, c2, r1));
        if (c2 != c)
            QS_TRY(wide_update(s, ph, src, c2, c, r2));
    }
    return QS_OK;
}

#endif /* QS_HAVE_MPI */
