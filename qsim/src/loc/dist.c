/*
 * dist.c - states distributed over MPI ranks (dist.h): the layout, the
 * exchanges that move qubits between global and local bits, and every
 * localiser operation on such a state but those on Pauli strings
 * (dist_pauli.c).
 *
 * Gates.  An op is renumbered to physical bits.  Controls on global bits
 * are decided per rank (a rank whose label fails them does nothing).
 * Diagonal ops on global targets become a smaller diagonal on the local
 * ones (the global bits pick the entries): no communication.  Permutations
 * whose targets and controls are all global (X, CNOT, SWAP on global
 * qubits) relabel ranks, and a SWAP without controls or phases only
 * exchanges two entries of pos: no data moves.  Every other op with a
 * global target first exchanges that qubit with a free local one (half of
 * the slice goes to the partner rank), and the new placement is kept
 * (lazy relabelling: nothing is swapped back).  Pauli strings with X/Y
 * on more qubits than a slice holds go to dist_pauli.c (pairwise
 * exchange with the partner rank).
 *
 * Exchanges are non-blocking sends and receives of chunks of at most
 * QS__XCHUNK amplitudes through one buffer per state (its size is part of
 * the memory check), never a second copy of the slice.
 *
 * Reductions: each rank sums its slice with the kernels, the partial sums
 * are gathered and added in rank order on every rank, so results are the
 * same bits run after run for a given rank count.
 */
#include "config.h"
#include "loc/dist_impl.h"
#include "core/bits.h"
#include "core/error.h"
#include "core/mem.h"

#ifdef QS_HAVE_MPI
#include <math.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

/* Amplitudes per exchanged chunk (each way): 2^20, 16 MiB in double.
 * QSIM_EXCHANGE_AMPS (a power of two) sets it smaller, for tests. */
#define QS__XCHUNK (UINT64_C(1) << 20)

static qs_status mpi_fail(const char *func, int rc)
{
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    return qs__fail(QS_EIO, func, "MPI: %s", msg);
}

#define MPI_TRY(func, call)                      \
    do {                                         \
        int rc_ = (call);                        \
        if (rc_ != MPI_SUCCESS)                  \
            return mpi_fail(func, rc_);          \
    } while (0)

/* ---- creation -------------------------------------------------------------- */

static int we_initialised;

static void finalize_at_exit(void)
{
    int fin = 0;
    MPI_Finalized(&fin);
    if (!fin)
        MPI_Finalize();
}

static qs_status ensure_init(const char *func)
{
    int init = 0;
    MPI_Initialized(&init);
    if (init)
        return QS_OK;
    int provided;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return qs__fail(QS_EIO, func, "MPI_Init_thread failed");
    if (!we_initialised) {
        we_initialised = 1;
        atexit(finalize_at_exit);
    }
    return QS_OK;
}

static uint64_t chunk_amps(int nl)
{
    uint64_t c = QS__XCHUNK;
    const char *e = getenv("QSIM_EXCHANGE_AMPS");
    if (e && *e) {
        unsigned long long v = strtoull(e, NULL, 10);
        if (v >= 1 && (v & (v - 1)) == 0)
            c = v;
    }
    uint64_t half = UINT64_C(1) << (nl - 1);
    return c < half ? c : half;
}

static void layout_identity(qs__dist *d)
{
    for (int q = 0; q < 64; q++)
        d->pos[q] = d->qat[q] = q;
    d->label = (uint64_t)d->rank;
    for (int r = 0; r < d->nranks; r++)
        d->holder[r] = r;
}

static qs_status create_on(const char *func, int nq, unsigned flags, MPI_Comm comm,
                           qs_state **out)
{
    *out = NULL;
    int P, rank;
    MPI_TRY(func, MPI_Comm_size(comm, &P));
    MPI_TRY(func, MPI_Comm_rank(comm, &rank));
    if (P & (P - 1))
        return qs__fail(QS_EINVAL, func,
                        "%d ranks: a distributed state needs a power of two of them", P);
    int k = 0;
    while ((1 << k) < P)
        k++;
    if (nq - k < QS__DIST_MIN_LOCAL)
        return qs__fail(QS_EINVAL, func,
                        "%d ranks are too many for %d qubits: each rank needs at least %d "
                        "local qubits (at most %d ranks)",
                        P, nq, QS__DIST_MIN_LOCAL,
                        nq >= QS__DIST_MIN_LOCAL ? 1 << (nq - QS__DIST_MIN_LOCAL) : 0);
    int nl = nq - k, f32 = (flags & QS_STATE_F32) != 0;
    size_t el = f32 ? 2 * sizeof(float) : 2 * sizeof(double);
    uint64_t chunk = chunk_amps(nl);
    uint64_t bytes = ((UINT64_C(1) << nl) + 2 * chunk) * el;
    /* The check is collective: if one rank lacks memory, all refuse. */
    qs_status mine = qs__mem_check_ranks(func, bytes, P);
    int ok = mine == QS_OK, all = 0;
    MPI_TRY(func, MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm));
    if (!all)
        return mine != QS_OK ? mine
                             : qs__fail(QS_ETOOBIG, func,
                                        "another rank lacks memory: need %.3g GiB per rank "
                                        "with %d ranks",
                                        (double)bytes / (1u << 30), P);
    qs_state *s = calloc(1, sizeof *s);
    qs__dist *d = calloc(1, sizeof *d);
    int *holder = malloc(2 * sizeof(int) * (size_t)P);   /* and relabel's work copy */
    char *buf = qs__alloc_aligned(2 * chunk * el);
    qs_status st = s && d && holder && buf ? QS_OK : QS_ENOMEM;
    if (st == QS_OK)
        st = qs__sv_alloc(&s->sv, nl, f32, func);
    ok = st == QS_OK;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
    if (all && MPI_Comm_dup(comm, &d->comm) != MPI_SUCCESS)
        all = 0;
    if (!all) {
        if (s && s->sv.amps)
            qs__sv_free(&s->sv);
        free(s);
        free(d);
        free(holder);
        qs__free_aligned(buf);
        return st != QS_OK && st != QS_ENOMEM
                   ? st
                   : qs__fail(QS_ENOMEM, func, "allocating %.3g GiB per rank failed",
                              (double)bytes / (1u << 30));
    }
    d->rank = rank;
    d->nranks = P;
    d->k = k;
    d->nl = nl;
    d->holder = holder;
    d->buf = buf;
    d->chunk = chunk;
    layout_identity(d);
    s->nq = nq;
    s->flags = flags | QS_STATE_DISTRIBUTED;
    s->dist = d;
    *out = s;
    st = qs__dist_set_basis(s, 0);
    if (st != QS_OK) {
        qs__dist_free(s);
        *out = NULL;
    }
    return st;
}

qs_status qs__dist_create(const char *func, int nq, unsigned flags, const void *comm,
                          qs_state **out)
{
    QS_TRY(ensure_init(func));
    return create_on(func, nq, flags, comm ? *(const MPI_Comm *)comm : MPI_COMM_WORLD, out);
}

qs_status qs__dist_create_like(const char *func, const qs_state *like, qs_state **out)
{
    return create_on(func, like->nq, like->flags, like->dist->comm, out);
}

void qs__dist_free(qs_state *s)
{
    qs__dist *d = s->dist;
    qs__sv_free(&s->sv);
    qs__free_aligned(s->scratch);
    int fin = 0;
    MPI_Finalized(&fin);
    if (!fin)   /* a state destroyed after MPI_Finalize (Python's exit) */
        MPI_Comm_free(&d->comm);
    free(d->holder);
    qs__free_aligned(d->buf);
    free(d);
    free(s);
}

int qs__dist_ranks(const qs_state *s) { return s->dist->nranks; }

qs_status qs__dist_stats(const qs_state *s, uint64_t *stats)
{
    memcpy(stats, s->dist->stats, sizeof s->dist->stats);
    return QS_OK;
}

qs_status qs__dist_same(const char *func, const qs_state *a, const qs_state *b)
{
    int cmp;
    MPI_TRY(func, MPI_Comm_compare(a->dist->comm, b->dist->comm, &cmp));
    if (cmp != MPI_CONGRUENT && cmp != MPI_IDENT)
        return qs__fail(QS_EINVAL, func, "the states are distributed over different ranks");
    return QS_OK;
}

/* ---- agreeing on a failure -------------------------------------------------- */

/* After a step that can fail on some ranks only (an allocation), before
 * the next collective: every rank returns the lowest failing rank's
 * status, the others with its message and rank, so that no rank is left
 * waiting in a collective the failing one never enters.  Two small
 * collectives: used where something is allocated, not per gate. */
qs_status qs__dist_agree(const qs__dist *d, qs_status st)
{
    int in[2] = {st == QS_OK, d->rank}, low[2];
    MPI_TRY("qsim", MPI_Allreduce(in, low, 1, MPI_2INT, MPI_MINLOC, d->comm));
    if (low[0])
        return QS_OK;
    struct {
        int code;
        char msg[500];
    } why = {(int)st, ""};
    if (d->rank == low[1])
        snprintf(why.msg, sizeof why.msg, "%s", qs_last_error());
    MPI_TRY("qsim", MPI_Bcast(&why, (int)sizeof why, MPI_BYTE, low[1], d->comm));
    if (st != QS_OK)
        return st;
    char msg[540];
    snprintf(msg, sizeof msg, "%s (rank %d)", why.msg, low[1]);
    return qs__fail_text((qs_status)why.code, msg);
}

qs_status qs__dist_agree_state(const qs_state *s, qs_status st) { return qs__dist_agree(s->dist, st); }

/* ---- reductions over ranks --------------------------------------------------- */

/* v[0..n) <- its sum over the ranks, added in rank order. */
qs_status qs__dist_reduce(const qs__dist *d, double *v, size_t n)
{
    double small[64];
    double *all = small;
    if (n * (size_t)d->nranks > 64) {   /* the same test on every rank */
        all = malloc(sizeof(double) * n * (size_t)d->nranks);
        qs_status ok = qs__dist_agree(d, all ? QS_OK : qs__fail(QS_ENOMEM, "qsim", "out of memory"));
        if (ok != QS_OK) {
            free(all);
            return ok;
        }
    }
    int rc = MPI_Allgather(v, (int)n, MPI_DOUBLE, all, (int)n, MPI_DOUBLE, d->comm);
    if (rc == MPI_SUCCESS)
        for (size_t i = 0; i < n; i++) {
            double t = all[i];
            for (int r = 1; r < d->nranks; r++)
                t += all[(size_t)r * n + i];
            v[i] = t;
        }
    if (all != small)
        free(all);
    return rc == MPI_SUCCESS ? QS_OK : mpi_fail("qsim", rc);
}

qs_status qs__dist_sum(const qs_state *s, double *v, size_t n) { return qs__dist_reduce(s->dist, v, n); }

/* ---- moving data -------------------------------------------------------------- */

/* Copies the amplitudes of the slice whose local index has bit l equal to
 * v, numbers [m0, m0+n) in increasing order of index, to or from buf. */
static void pack(qs_state *s, int l, int v, uint64_t m0, uint64_t n, char *buf, int back)
{
    size_t el = qs__dist_elem(s);
    char *a = s->sv.amps;
    uint64_t run = UINT64_C(1) << l, m = m0, end = m0 + n;
    while (m < end) {
        uint64_t off = m & (run - 1), len = run - off;
        if (len > end - m)
            len = end - m;
        uint64_t idx = ((m >> l) << (l + 1)) | ((uint64_t)v << l) | off;
        if (back)
            memcpy(a + idx * el, buf + (m - m0) * el, len * el);
        else
            memcpy(buf + (m - m0) * el, a + idx * el, len * el);
        m += len;
    }
}

/* Sends n amplitudes from sbuf to rank `to` and receives n into rbuf from
 * rank `from`, non-blocking, as byte counts below 2^31. */
qs_status qs__dist_sendrecv(qs_state *s, const char *sbuf, int to, char *rbuf, int from,
                          uint64_t n)
{
    qs__dist *d = s->dist;
    MPI_Request rq[2];
    int bytes = (int)(n * qs__dist_elem(s));
    MPI_TRY("qsim", MPI_Irecv(rbuf, bytes, MPI_BYTE, from, 77, d->comm, &rq[0]));
    MPI_TRY("qsim", MPI_Isend(sbuf, bytes, MPI_BYTE, to, 77, d->comm, &rq[1]));
    MPI_TRY("qsim", MPI_Waitall(2, rq, MPI_STATUSES_IGNORE));
    d->stats[0] += (uint64_t)bytes;
    d->stats[3]++;
    return QS_OK;
}

/* Exchanges global physical bit nl+j with local physical bit l. */
static qs_status swap_bits(qs_state *s, int j, int l)
{
    qs__dist *d = s->dist;
    int b = (int)((d->label >> j) & 1);
    int partner = d->holder[d->label ^ (UINT64_C(1) << j)];
    uint64_t half = UINT64_C(1) << (d->nl - 1);
    char *sb = d->buf, *rb = d->buf + d->chunk * qs__dist_elem(s);
    for (uint64_t m = 0; m < half; m += d->chunk) {
        pack(s, l, !b, m, d->chunk, sb, 0);
        QS_TRY(qs__dist_sendrecv(s, sb, partner, rb, partner, d->chunk));
        pack(s, l, !b, m, d->chunk, rb, 1);
    }
    int pg = d->nl + j, qg = d->qat[pg], ql = d->qat[l];
    d->pos[qg] = l;
    d->pos[ql] = pg;
    d->qat[l] = qg;
    d->qat[pg] = ql;
    d->stats[1]++;
    return QS_OK;
}

/* The local physical bit to send out, not one of `busy` (physical mask);
 * -1 if none.  Within a program (d->fut): the one whose qubit's next use
 * lies furthest ahead in the rest of the program, or never comes
 * (Belady's choice, optimal for one qubit brought in per miss), ties to
 * the highest bit.  Otherwise the highest one whose qubit the next
 * operations do not need (d->soon), else the highest one. */
static int free_local(const qs__dist *d, uint64_t busy)
{
    if (d->fut_n) {
        uint64_t left = 0;   /* logical qubits still candidates */
        for (int l = 0; l < d->nl; l++)
            if (!((busy >> l) & 1))
                left |= UINT64_C(1) << d->qat[l];
        /* drop the candidates used soonest, segment by segment, while
         * more than one is left and not all would go */
        for (size_t i = 0; i < d->fut_n && (left & (left - 1)); i++) {
            uint64_t u;
            memcpy(&u, d->fut + i * d->fut_stride, sizeof u);
            if (!(left & ~u))
                break;
            left &= ~u;
        }
        for (int l = d->nl - 1; l >= 0; l--)
            if (!((busy >> l) & 1) && ((left >> d->qat[l]) & 1))
                return l;
        return -1;
    }
    for (int l = d->nl - 1; l >= 0; l--)
        if (!((busy >> l) & 1) && !((d->soon >> d->qat[l]) & 1))
            return l;
    for (int l = d->nl - 1; l >= 0; l--)
        if (!((busy >> l) & 1))
            return l;
    return -1;
}

void qs__dist_hint(qs_state *s, uint64_t soon) { s->dist->soon = soon; }

void qs__dist_future(qs_state *s, const uint64_t *first, size_t stride, size_t n)
{
    s->dist->fut = (const char *)first;
    s->dist->fut_stride = stride;
    s->dist->fut_n = first ? n : 0;
}

/* Makes the logical qubits of `want` local, on every state of the list
 * (same layout), without moving those of `keep` (logical) out. */
qs_status qs__dist_make_local(qs_state *const *states, int n, uint64_t want, uint64_t keep)
{
    qs__dist *d = states[0]->dist;
    uint64_t busy = 0;
    for (uint64_t m = want | keep; m; m &= m - 1) {
        int p = d->pos[__builtin_ctzll(m)];
        if (p < d->nl)
            busy |= UINT64_C(1) << p;
    }
    for (uint64_t m = want; m; m &= m - 1) {
        int q = __builtin_ctzll(m), p = d->pos[q];
        if (p < d->nl)
            continue;
        int l = free_local(d, busy);
        if (l < 0)
            return qs__fail(QS_EUNSUPPORTED, "qsim",
                            "an operation on more qubits than a rank holds locally (%d)", d->nl);
        for (int i = 0; i < n; i++)
            QS_TRY(swap_bits(states[i], p - d->nl, l));
        busy |= UINT64_C(1) << l;
    }
    return QS_OK;
}

/* Sends the whole slice to the rank `to` and takes the one of `from`. */
static qs_status move_slice(qs_state *s, int to, int from)
{
    qs__dist *d = s->dist;
    uint64_t len = UINT64_C(1) << d->nl;
    size_t el = qs__dist_elem(s);
    char *a = s->sv.amps, *rb = d->buf + d->chunk * el;
    for (uint64_t m = 0; m < len; m += d->chunk) {
        QS_TRY(qs__dist_sendrecv(s, a + m * el, to, rb, from, d->chunk));
        memcpy(a + m * el, rb, d->chunk * el);
    }
    return QS_OK;
}

/* Qubit q at physical bit q and rank r holding label r: the layout the
 * index-based calls (amplitudes, probabilities, diagonals) need. */
static qs_status canonical(qs_state *s)
{
    qs__dist *d = s->dist;
    int nq = s->nq;
    for (int p = d->nl; p < nq; p++) {
        if (d->qat[p] == p)
            continue;
        int q = p, at = d->pos[q];
        if (at >= d->nl) {   /* on another global bit: through a local one first */
            int l = free_local(d, 0);
            QS_TRY(swap_bits(s, at - d->nl, l));
            at = l;
        }
        QS_TRY(swap_bits(s, p - d->nl, at));
    }
    /* Local bits: transpositions by the swap kernel. */
    for (int p = 0; p < d->nl; p++) {
        if (d->qat[p] == p)
            continue;
        int at = d->pos[p];
        qs__op op = {.kind = QS__OP_PERM, .nt = 2, .targets = {p, at}, .perm = {0, 2, 1, 3}};
        QS_TRY(qs__sv_apply(&s->sv, &op));
        int qo = d->qat[p];
        d->pos[qo] = at;
        d->qat[at] = qo;
        d->pos[p] = p;
        d->qat[p] = p;
    }
    if (d->label != (uint64_t)d->rank) {
        /* This rank's slice belongs to rank `label`; rank holder[rank] has ours. */
        QS_TRY(move_slice(s, (int)d->label, d->holder[d->rank]));
        d->label = (uint64_t)d->rank;
    }
    for (int r = 0; r < d->nranks; r++)
        d->holder[r] = r;
    return QS_OK;
}

static int same_layout(const qs__dist *a, const qs__dist *b, int nq)
{
    if (a->label != b->label)
        return 0;
    for (int q = 0; q < nq; q++)
        if (a->pos[q] != b->pos[q])
            return 0;
    for (int r = 0; r < a->nranks; r++)
        if (a->holder[r] != b->holder[r])
            return 0;
    return 1;
}

/* Brings b to a's layout when they differ (both canonical). */
static qs_status align(qs_state *a, qs_state *b)
{
    if (a == b || same_layout(a->dist, b->dist, a->nq))
        return QS_OK;
    QS_TRY(canonical(a));
    return canonical(b);
}

void qs__dist_copy_layout(qs__dist *to, const qs__dist *from)
{
    memcpy(to->pos, from->pos, sizeof to->pos);
    memcpy(to->qat, from->qat, sizeof to->qat);
    to->label = from->label;
    memcpy(to->holder, from->holder, sizeof(int) * (size_t)from->nranks);
}

/* ---- gates ---------------------------------------------------------------------- */

uint64_t qs__dist_phys(const qs__dist *d, uint64_t m)
{
    uint64_t r = 0;
    for (; m; m &= m - 1)
        r |= UINT64_C(1) << d->pos[__builtin_ctzll(m)];
    return r;
}

/* Logical qubits of an op (targets, controls, Pauli letters). */
static uint64_t op_qubits(const qs__op *op)
{
    uint64_t m = op->cmask;
    for (int j = 0; j < op->nt; j++)
        m |= UINT64_C(1) << op->targets[j];
    if (op->kind == QS__OP_PAULI)
        m |= op->xmask | op->zmask;
    return m;
}

/* A permutation on global targets under global controls: ranks change
 * labels, and a phase, if any, scales the slice. */
static qs_status relabel(qs_state *s, const qs__op *op)
{
    qs__dist *d = s->dist;
    int nl = d->nl;
    uint64_t cm = qs__dist_phys(d, op->cmask) >> nl, cv = qs__dist_phys(d, op->cval) >> nl;
    int tg[QS_MAX_TARGETS];
    for (int j = 0; j < op->nt; j++)
        tg[j] = d->pos[op->targets[j]] - nl;
    int *nh = d->holder + d->nranks;   /* allocated with holder: no failure here */
    double ph[2] = {1, 0};
    for (uint64_t G = 0; G < (uint64_t)d->nranks; G++) {
        uint64_t to = G;
        unsigned jin = 0;
        if ((G & cm) == cv) {
            for (int j = 0; j < op->nt; j++)
                jin |= (unsigned)((G >> tg[j]) & 1) << j;
            unsigned jout = op->perm[jin];
            for (int j = 0; j < op->nt; j++)
                to = (to & ~(UINT64_C(1) << tg[j])) | ((uint64_t)((jout >> j) & 1) << tg[j]);
            if (G == d->label && op->m) {
                ph[0] = op->m[2 * jin];
                ph[1] = op->m[2 * jin + 1];
            }
        }
        nh[to] = d->holder[G];
    }
    memcpy(d->holder, nh, sizeof(int) * (size_t)d->nranks);
    for (uint64_t G = 0; G < (uint64_t)d->nranks; G++)
        if (d->holder[G] == d->rank)
            d->label = G;
    d->stats[2]++;
    if (ph[0] != 1 || ph[1] != 0)
        return s->sv.k->scale(&s->sv, ph);
    return QS_OK;
}

/* A diagonal with global targets: the global bits of this rank pick the
 * entries of a diagonal on the local targets. */
static qs_status diag_local(qs_state *s, const qs__op *op, qs__op *loc, double *m)
{
    qs__dist *d = s->dist;
    int nl = d->nl, lt[QS_MAX_TARGETS], nlt = 0;
    unsigned gpat = 0;
    for (int j = 0; j < op->nt; j++) {
        if (op->targets[j] < nl)
            lt[nlt++] = j;
        else
            gpat |= (unsigned)((d->label >> (op->targets[j] - nl)) & 1) << j;
    }
    *loc = *op;
    loc->nt = nlt;
    for (int i = 0; i < nlt; i++)
        loc->targets[i] = op->targets[lt[i]];
    for (unsigned jl = 0; jl < (1u << nlt); jl++) {
        unsigned jf = gpat;
        for (int i = 0; i < nlt; i++)
            jf |= ((jl >> i) & 1) << lt[i];
        m[2 * jl] = op->m[2 * jf];
        m[2 * jl + 1] = op->m[2 * jf + 1];
    }
    loc->m = m;
    return qs__sv_apply(&s->sv, loc);
}

/* op renumbered to physical bits. */
static void to_phys(const qs__dist *d, const qs__op *in, qs__op *out)
{
    *out = *in;
    for (int j = 0; j < in->nt; j++)
        out->targets[j] = d->pos[in->targets[j]];
    out->cmask = qs__dist_phys(d, in->cmask);
    out->cval = qs__dist_phys(d, in->cval);
    if (in->kind == QS__OP_PAULI) {
        out->xmask = qs__dist_phys(d, in->xmask);
        out->zmask = qs__dist_phys(d, in->zmask);
    }
}

static int is_plain_swap(const qs__op *op)
{
    return op->kind == QS__OP_PERM && op->nt == 2 && !op->m && op->cmask == 0 &&
           op->perm[0] == 0 && op->perm[1] == 2 && op->perm[2] == 1 && op->perm[3] == 3;
}

qs_status qs__dist_apply(qs_state *s, const qs__op *op)
{
    qs__dist *d = s->dist;
    if (is_plain_swap(op)) {   /* a relabelling of two qubits */
        int a = op->targets[0], b = op->targets[1], pa = d->pos[a], pb = d->pos[b];
        d->pos[a] = pb;
        d->pos[b] = pa;
        d->qat[pa] = b;
        d->qat[pb] = a;
        return QS_OK;
    }
    uint64_t gl = ~qs__dist_local_bits(d);
    qs__op ph;
    to_phys(d, op, &ph);
    uint64_t tmask = 0;
    for (int j = 0; j < ph.nt; j++)
        tmask |= UINT64_C(1) << ph.targets[j];
    if (op->kind == QS__OP_PAULI)
        tmask = ph.xmask;
    if (tmask & gl) {
        if (op->kind == QS__OP_PERM && !(ph.cmask & ~gl) && !(tmask & ~gl))
            return relabel(s, op);
        if (op->kind == QS__OP_PAULI && qs__popcount(op->xmask) > d->nl)
            return qs__dist_pauli_wide(s, &ph);   /* no swap can make them local */
        if (op->kind != QS__OP_DIAG) {
            uint64_t want = 0;
            for (int j = 0; j < op->nt; j++)
                want |= UINT64_C(1) << op->targets[j];
            /* Pauli: only X/Y must be local (Z on a global bit is a sign) */
            if (op->kind == QS__OP_PAULI)
                want = op->xmask;
            QS_TRY(qs__dist_make_local(&s, 1, want,
                                       op->kind == QS__OP_PAULI ? want : op_qubits(op)));
            to_phys(d, op, &ph);
        }
    }
    /* Global controls: this rank takes part or not. */
    uint64_t gcm = ph.cmask & gl;
    if ((d->label << d->nl & gcm) != (ph.cval & gcm))
        return QS_OK;
    ph.cmask &= ~gl;
    ph.cval &= ~gl;
    if (op->kind == QS__OP_PAULI) {
        /* Z letters on global bits: a sign per rank; Y's i^ny stays in b. */
        if (qs__popcount((d->label << d->nl) & ph.zmask & gl) & 1) {
            ph.b[0] = -ph.b[0];
            ph.b[1] = -ph.b[1];
        }
        ph.zmask &= ~gl;
        return qs__sv_apply(&s->sv, &ph);
    }
    if (op->kind == QS__OP_DIAG && (tmask & gl)) {
        double m[2 << QS_MAX_TARGETS];
        qs__op loc;
        return diag_local(s, &ph, &loc, m);
    }
    return qs__sv_apply(&s->sv, &ph);
}

qs_status qs__dist_axpy(qs_state *y, const double alpha[2], const qs_state *x)
{
    QS_TRY(align(y, (qs_state *)x));
    return y->sv.k->axpy(&y->sv, alpha, &x->sv);
}

/* ---- index-based calls (canonical layout) -------------------------------------- */

qs_status qs__dist_diag_real(qs_state *s, const double *values, int k, double t,
                             const double c[2], int times_value)
{
    qs__dist *d = s->dist;
    QS_TRY(canonical(s));
    if (k <= d->nl)
        return s->sv.k->diag_real(&s->sv, values, k, t, c, times_value);
    /* v = values[i mod 2^k], i = rank * 2^nl + local */
    uint64_t off = ((uint64_t)d->rank & ((UINT64_C(1) << (k - d->nl)) - 1)) << d->nl;
    return s->sv.k->diag_real(&s->sv, values + off, d->nl, t, c, times_value);
}

qs_status qs__dist_expect_diag_real(const qs_state *cs, const double *values, int k, double *out)
{
    qs_state *s = (qs_state *)cs;   /* the layout may change, the state does not */
    qs__dist *d = s->dist;
    QS_TRY(canonical(s));
    uint64_t off = k <= d->nl ? 0
                              : ((uint64_t)d->rank & ((UINT64_C(1) << (k - d->nl)) - 1)) << d->nl;
    *out = s->sv.k->expect_diag_real(&s->sv, values + off, k <= d->nl ? k : d->nl);
    return qs__dist_reduce(d, out, 1);
}

qs_status qs__dist_set_basis(qs_state *s, uint64_t index)
{
    qs__dist *d = s->dist;
    layout_identity(d);   /* every amplitude is written */
    if ((index >> d->nl) == (uint64_t)d->rank)
        return s->sv.k->set_basis(&s->sv, index & qs__dist_local_bits(d));
    const double zero[2] = {0, 0};
    return s->sv.k->set_const(&s->sv, zero);
}

qs_status qs__dist_set_const(qs_state *s, const double v[2])
{
    layout_identity(s->dist);
    return s->sv.k->set_const(&s->sv, v);
}

qs_status qs__dist_copy(qs_state *dst, const qs_state *src)
{
    qs__dist_copy_layout(dst->dist, src->dist);
    return dst->sv.k->copy_from(&dst->sv, &src->sv);
}

/* The part of [first, first+count) held by this rank: [lo, hi). */
static void my_range(const qs__dist *d, uint64_t first, uint64_t count, uint64_t *lo,
                     uint64_t *hi)
{
    uint64_t a = (uint64_t)d->rank << d->nl, b = a + (UINT64_C(1) << d->nl);
    *lo = first > a ? first : a;
    *hi = first + count < b ? first + count : b;
    if (*hi < *lo)
        *hi = *lo;
}

qs_status qs__dist_get_amps(const qs_state *cs, uint64_t first, uint64_t count, double *re_im)
{
    qs_state *s = (qs_state *)cs;
    qs__dist *d = s->dist;
    QS_TRY(canonical(s));
    uint64_t lo, hi;
    my_range(d, first, count, &lo, &hi);
    if (hi > lo)
        QS_TRY(s->sv.k->get_amps(&s->sv, lo & qs__dist_local_bits(d), hi - lo, re_im + 2 * (lo - first)));
    /* Every rank gets the whole range: each owner broadcasts its part. */
    for (int r = 0; r < d->nranks; r++) {
        uint64_t a = (uint64_t)r << d->nl, b = a + (UINT64_C(1) << d->nl);
        uint64_t rlo = first > a ? first : a, rhi = first + count < b ? first + count : b;
        for (uint64_t i = rlo; i < rhi; i += UINT64_C(1) << 26) {
            uint64_t n = rhi - i < (UINT64_C(1) << 26) ? rhi - i : UINT64_C(1) << 26;
            MPI_TRY("qs_state_get_amps",
                    MPI_Bcast(re_im + 2 * (i - first), (int)(2 * n), MPI_DOUBLE, r, d->comm));
        }
    }
    return QS_OK;
}

qs_status qs__dist_set_amps(qs_state *s, uint64_t first, uint64_t count, const double *re_im)
{
    qs__dist *d = s->dist;
    QS_TRY(canonical(s));
    uint64_t lo, hi;
    my_range(d, first, count, &lo, &hi);
    if (hi > lo)
        return s->sv.k->set_amps(&s->sv, lo & qs__dist_local_bits(d), hi - lo, re_im + 2 * (lo - first));
    return QS_OK;
}

qs_status qs__dist_probs(const qs_state *cs, double *out)
{
    qs_state *s = (qs_state *)cs;
    qs__dist *d = s->dist;
    if (d->nl > 30)
        return qs__fail(QS_ETOOBIG, "qs_state_probabilities",
                        "2^%d probabilities per rank are too many to gather", d->nl);
    QS_TRY(canonical(s));
    double *mine = out + ((size_t)d->rank << d->nl);
    s->sv.k->probs(&s->sv, mine);
    MPI_TRY("qs_state_probabilities",
            MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, out, 1 << d->nl, MPI_DOUBLE,
                          d->comm));
    return QS_OK;
}

/* ---- reductions in any layout ----------------------------------------------------- */

qs_status qs__dist_norm2(const qs_state *s, double *out)
{
    *out = s->sv.k->norm2(&s->sv);
    return qs__dist_reduce(s->dist, out, 1);
}

qs_status qs__dist_inner(const qs_state *bra, const qs_state *ket, double out[2])
{
    QS_TRY(align((qs_state *)bra, (qs_state *)ket));
    bra->sv.k->inner(&bra->sv, &ket->sv, out);
    return qs__dist_reduce(bra->dist, out, 2);
}

/* Splits a logical (mask, val) into this rank's local part; 0 when the
 * global bits of the rank do not match. */
static int local_mask(const qs__dist *d, uint64_t mask, uint64_t val, uint64_t *lm,
                      uint64_t *lv)
{
    uint64_t pm = qs__dist_phys(d, mask), pv = qs__dist_phys(d, val), gl = ~qs__dist_local_bits(d);
    *lm = pm & ~gl;
    *lv = pv & ~gl;
    return ((d->label << d->nl) & pm & gl) == (pv & gl);
}

qs_status qs__dist_prob_mask(const qs_state *s, uint64_t mask, uint64_t val, double *out)
{
    uint64_t lm, lv;
    *out = local_mask(s->dist, mask, val, &lm, &lv) ? s->sv.k->prob_mask(&s->sv, lm, lv) : 0;
    return qs__dist_reduce(s->dist, out, 1);
}

qs_status qs__dist_collapse(qs_state *s, uint64_t mask, uint64_t val, double scale)
{
    uint64_t lm, lv;
    if (local_mask(s->dist, mask, val, &lm, &lv))
        return s->sv.k->collapse(&s->sv, lm, lv, scale);
    const double zero[2] = {0, 0};
    return s->sv.k->set_const(&s->sv, zero);
}

qs_status qs__dist_marginal(const qs_state *s, const int *qubits, int k, double *out)
{
    qs__dist *d = s->dist;
    int lq[64], li[64], nlq = 0;
    uint64_t gidx = 0;
    for (int j = 0; j < k; j++) {
        int p = d->pos[qubits[j]];
        if (p < d->nl) {
            lq[nlq] = p;
            li[nlq++] = j;
        } else {
            gidx |= ((d->label >> (p - d->nl)) & 1) << j;
        }
    }
    size_t n = (size_t)1 << k, nloc = (size_t)1 << nlq;
    double *part = malloc(sizeof(double) * nloc);
    qs_status ok = qs__dist_agree(
        d, part ? QS_OK : qs__fail(QS_ENOMEM, "qs_state_marginal", "out of memory"));
    if (ok != QS_OK) {
        free(part);
        return ok;
    }
    if (nlq > 0)
        s->sv.k->marginal(&s->sv, lq, nlq, part);
    else
        part[0] = s->sv.k->norm2(&s->sv);
    memset(out, 0, sizeof(double) * n);
    for (size_t i = 0; i < nloc; i++)
        out[qs__scatter_bits(i, li, nlq) | gidx] = part[i];
    free(part);
    return qs__dist_reduce(d, out, n);
}

qs_status qs__dist_sample_sorted(const qs_state *cs, const double *u, size_t n, uint64_t *idx,
                                 double *total)
{
    qs_state *s = (qs_state *)cs;
    qs__dist *d = s->dist;
    QS_TRY(canonical(s));
    /* w: the ranks' weights; v: this rank's draws (at most n) */
    double *w = malloc(sizeof(double) * (size_t)d->nranks), *v = malloc(sizeof(double) * (n + 1));
    qs_status ok = qs__dist_agree(
        d, w && v ? QS_OK : qs__fail(QS_ENOMEM, "qs_state_sample", "out of memory"));
    if (ok != QS_OK) {
        free(w);
        free(v);
        return ok;
    }
    double mine = s->sv.k->norm2(&s->sv);
    int rc = MPI_Allgather(&mine, 1, MPI_DOUBLE, w, 1, MPI_DOUBLE, d->comm);
    if (rc != MPI_SUCCESS) {
        free(w);
        free(v);
        return mpi_fail("qs_state_sample", rc);
    }
    /* Draws in [lo, hi) fall on this rank: its slice, after those of the
     * ranks before it; the last rank with weight takes what lies past the
     * total. */
    double lo = 0, sum = 0;
    int last = 0;
    for (int r = 0; r < d->nranks; r++) {
        if (r < d->rank)
            lo += w[r];
        sum += w[r];
        if (w[r] > 0)
            last = r;
    }
    double hi = d->rank == last ? INFINITY : lo + w[d->rank];
    free(w);
    size_t a = 0;
    while (a < n && u[a] < lo)
        a++;
    size_t b = a;
    while (b < n && u[b] < hi)
        b++;
    memset(idx, 0, sizeof(uint64_t) * n);
    qs_status st = QS_OK;
    if (b > a && mine > 0) {
        for (size_t i = a; i < b; i++) {
            double x = u[i] - lo;
            v[i - a] = x < mine ? x : mine;
        }
        s->sv.k->sample_sorted(&s->sv, v, b - a, idx + a);
        for (size_t i = a; i < b; i++)
            idx[i] |= (uint64_t)d->rank << d->nl;
    }
    for (size_t i = 0; i < n && st == QS_OK; i += (size_t)1 << 28) {
        size_t m = n - i < ((size_t)1 << 28) ? n - i : (size_t)1 << 28;
        int rc2 = MPI_Allreduce(MPI_IN_PLACE, idx + i, (int)m, MPI_UINT64_T, MPI_BOR, d->comm);
        if (rc2 != MPI_SUCCESS)
            st = mpi_fail("qs_state_sample", rc2);
    }
    free(v);
    *total = sum;
    return st;
}

/* ---- QFT by gates ---------------------------------------------------------------------- */

/* Qiskit's QFT circuit with its final swaps (the swaps only relabel):
 * y_k = 2^{-n/2} sum_j e^{+2 pi i jk/2^n} x_j on qubits [first,
 * first+count), qubit `first` the least significant; the inverse runs the
 * adjoint gates in reverse order. */
qs_status qs__dist_qft(qs_state *s, int first, int count, int inv)
{
    static const double h[8] = {M_SQRT1_2, 0, M_SQRT1_2, 0, M_SQRT1_2, 0, -M_SQRT1_2, 0};
    int n = count;
    if (inv)
        for (int i = 0; i < n / 2; i++) {
            qs__op sw = {.kind = QS__OP_PERM, .nt = 2, .targets = {first + i, first + n - 1 - i},
                         .perm = {0, 2, 1, 3}};
            QS_TRY(qs__dist_apply(s, &sw));
        }
    for (int jj = 0; jj < n; jj++) {
        int j = inv ? jj : n - 1 - jj;
        /* the H still to come are on [first, first+j) forward, above j inverse */
        s->dist->soon = inv ? (((UINT64_C(1) << (n - 1 - j)) - 1) << (first + j + 1))
                            : ((UINT64_C(1) << j) - 1) << first;
        qs__op hop = {.kind = QS__OP_DENSE, .nt = 1, .targets = {first + j}, .m = h};
        if (!inv)
            QS_TRY(qs__dist_apply(s, &hop));
        /* The controlled phases onto j commute: QS_MAX_TARGETS - 1 of
         * them at a time as one diagonal (one pass, no communication). */
        for (int k0 = 0; k0 < j; k0 += QS_MAX_TARGETS - 1) {
            int g = j - k0 < QS_MAX_TARGETS - 1 ? j - k0 : QS_MAX_TARGETS - 1;
            double m[2 << QS_MAX_TARGETS];
            qs__op cp = {.kind = QS__OP_DIAG, .nt = g + 1, .targets = {first + j}, .m = m};
            for (int i = 0; i < g; i++)
                cp.targets[i + 1] = first + k0 + i;
            for (unsigned idx = 0; idx < (2u << g); idx++) {
                double lam = 0;
                for (int i = 0; i < g; i++)
                    if ((idx & 1) && ((idx >> (i + 1)) & 1))
                        lam += ldexp(M_PI, k0 + i - j);
                lam = inv ? -lam : lam;
                m[2 * idx] = cos(lam);
                m[2 * idx + 1] = sin(lam);
            }
            QS_TRY(qs__dist_apply(s, &cp));
        }
        if (inv)
            QS_TRY(qs__dist_apply(s, &hop));
    }
    s->dist->soon = 0;
    if (!inv)
        for (int i = 0; i < n / 2; i++) {
            qs__op sw = {.kind = QS__OP_PERM, .nt = 2, .targets = {first + i, first + n - 1 - i},
                         .perm = {0, 2, 1, 3}};
            QS_TRY(qs__dist_apply(s, &sw));
        }
    return QS_OK;
}

/* ---- cache-blocked runs ------------------------------------------------------------------ */

int qs__dist_blocking(qs_state *const *states, int nstates, uint64_t used, qs__blocking *b,
                      qs_status *st)
{
    qs__dist *d = states[0]->dist;
    *st = QS_OK;
    for (int i = 1; i < nstates; i++)
        if ((*st = align(states[0], states[i])) != QS_OK)
            return 0;
    if (d->nl <= QS__BLOCK_QUBITS || qs__popcount(used) > d->nl)
        return 0;   /* a slice within one block, or too many qubits: op by op */
    if ((*st = qs__dist_make_local(states, nstates, used, 0)) != QS_OK)
        return 0;
    uint64_t pu = qs__dist_phys(d, used);
    /* Relabelling may have put low qubits high: then op by op. */
    if (qs__popcount(qs__block_high(pu)) > QS__BLOCK_MAX_HIGH || !qs__blocking_init(b, d->nl, pu))
        return 0;
    /* b->map numbers physical bits; the ops use logical qubits. */
    signed char map[64];
    for (int q = 0; q < 64; q++)
        map[q] = q < states[0]->nq ? b->map[d->pos[q]] : -1;
    memcpy(b->map, map, sizeof map);
    return 1;
}

#endif /* QS_HAVE_MPI */
