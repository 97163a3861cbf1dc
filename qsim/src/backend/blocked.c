/*
 * blocked.c - cache blocking (blocked.h).  Plain C on top of any backend's
 * ops table: a block is a small state (a view of the amplitudes in place,
 * or a gathered copy) and the callback runs the ordinary kernels on it,
 * which stay on the calling thread.  Threads come from parfor.c.
 */
#include "config.h"
#include "backend/blocked.h"
#include "backend/cpu/parfor.h"
#include "core/bits.h"

#include <string.h>

int qs__blocking_init(qs__blocking *b, int nq, uint64_t used)
{
    uint64_t high = qs__block_high(used);
    if (nq <= QS__BLOCK_QUBITS)
        return 0;
    /* The longest runs: the largest low with low + |high above low| <= B. */
    int low = QS__BLOCK_QUBITS;
    while (low > QS__BLOCK_MIN_LOW &&
           low + qs__popcount(high >> low) > QS__BLOCK_QUBITS)
        low--;
    memset(b, 0, sizeof *b);
    b->nq = nq;
    b->low = low;
    for (int q = 0; q < 64; q++)
        b->map[q] = -1;
    for (int q = 0; q < low; q++)
        b->map[q] = (signed char)q;
    for (int q = low; q < nq; q++) {
        if (high >> q & 1) {
            b->map[q] = (signed char)(low + b->nh);
            b->hpos[b->nh++] = q;
        } else {
            b->opos[b->nouter++] = q;
        }
    }
    b->inner = low + b->nh;
    b->nblocks = UINT64_C(1) << b->nouter;
    b->nchunks = b->nblocks < QS__BLOCK_CHUNKS ? b->nblocks : QS__BLOCK_CHUNKS;
    return 1;
}

static uint64_t relabel_mask(uint64_t m, const signed char *map)
{
    uint64_t r = 0;
    for (; m; m &= m - 1)
        r |= UINT64_C(1) << map[__builtin_ctzll(m)];
    return r;
}

void qs__op_relabel(const qs__op *in, const signed char *map, qs__op *out)
{
    *out = *in;
    for (int j = 0; j < in->nt; j++)
        out->targets[j] = map[in->targets[j]];
    out->cmask = relabel_mask(in->cmask, map);
    out->cval = relabel_mask(in->cval, map);
    if (in->kind == QS__OP_PAULI) {
        out->xmask = relabel_mask(in->xmask, map);
        out->zmask = relabel_mask(in->zmask, map);
    }
}

int qs__blocked_threads(const qs__blocking *b)
{
    int t = qs__threads_for(UINT64_C(1) << b->nq);
    return (uint64_t)t > b->nchunks ? (int)b->nchunks : t;
}

static size_t buffers(const qs__blocking *b, int nstates, int nextra)
{
    return (size_t)(b->nh ? nstates : 0) + (size_t)nextra;
}

size_t qs__blocked_scratch(const qs__blocking *b, int f32, int nstates, int nextra)
{
    size_t elem = f32 ? 2 * sizeof(float) : 2 * sizeof(double);
    return (size_t)qs__blocked_threads(b) * buffers(b, nstates, nextra) *
           ((size_t)elem << b->inner);
}

typedef struct {
    qs__sv *const *svs;
    int nstates, nextra;
    const qs__blocking *b;
    char *scratch;
    size_t elem, per_thread;
    qs__block_fn fn;
    void *ctx;
} run_ctx;

/* Amplitude index of run r of block i. */
static uint64_t run_start(const qs__blocking *b, uint64_t i, uint64_t r)
{
    return qs__scatter_bits(i, b->opos, b->nouter) | qs__scatter_bits(r, b->hpos, b->nh);
}

static void copy_block(const run_ctx *c, uint64_t i, int s, char *buf, int back)
{
    const qs__blocking *b = c->b;
    char *amps = c->svs[s]->amps;
    size_t run = c->elem << b->low;
    for (uint64_t r = 0; r < (UINT64_C(1) << b->nh); r++) {
        char *mem = amps + run_start(b, i, r) * c->elem, *loc = buf + r * run;
        if (back)
            memcpy(mem, loc, run);
        else
            memcpy(loc, mem, run);
    }
}

static void run_task(void *vc, int t, uint64_t lo, uint64_t hi)
{
    const run_ctx *c = vc;
    const qs__blocking *b = c->b;
    const int nv = c->nstates + c->nextra;
    char *mine = c->scratch + (size_t)t * c->per_thread;
    size_t bytes = c->elem << b->inner;
    qs__sv views[4];
    for (int v = 0; v < nv; v++) {
        const qs__sv *sv = c->svs[v < c->nstates ? v : 0];
        memset(&views[v], 0, sizeof views[v]);
        views[v].nq = b->inner;
        views[v].f32 = sv->f32;
        views[v].len = UINT64_C(1) << b->inner;
        views[v].k = sv->k;
        views[v].be = sv->be;
    }
    for (int v = c->nstates; v < nv; v++)
        views[v].amps = mine + (size_t)(v - (b->nh ? 0 : c->nstates)) * bytes;
    for (uint64_t ch = lo; ch < hi; ch++) {
        uint64_t first = b->nblocks * ch / b->nchunks, end = b->nblocks * (ch + 1) / b->nchunks;
        for (uint64_t i = first; i < end; i++) {
            for (int s = 0; s < c->nstates; s++) {
                if (b->nh) {
                    views[s].amps = mine + (size_t)s * bytes;
                    copy_block(c, i, s, views[s].amps, 0);
                } else {
                    views[s].amps = (char *)c->svs[s]->amps + i * bytes;
                }
            }
            c->fn(c->ctx, ch, views);
            if (b->nh)
                for (int s = 0; s < c->nstates; s++)
                    copy_block(c, i, s, views[s].amps, 1);
        }
    }
}

void qs__blocked_run(qs__sv *const *svs, int nstates, int nextra, const qs__blocking *b,
                     void *scratch, qs__block_fn fn, void *ctx)
{
    run_ctx c = {svs, nstates, nextra, b, scratch, 0, 0, fn, ctx};
    c.elem = svs[0]->f32 ? 2 * sizeof(float) : 2 * sizeof(double);
    c.per_thread = buffers(b, nstates, nextra) * (c.elem << b->inner);
    qs__parfor_tasks(b->nchunks, qs__blocked_threads(b), run_task, &c);
}
