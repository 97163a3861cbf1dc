/*
 * cpu_blocked.c - cache-blocked runs on host memory (blocked.h), for
 * every CPU backend: a block whose inner qubits are [0, low) is a slice of
 * the state worked on in place; otherwise its 2^nh runs of 2^low
 * amplitudes are copied into a buffer of the thread and back after.
 */
#include "config.h"
#include "backend/blocked.h"
#include "backend/cpu/cpu.h"
#include "backend/cpu/parfor.h"
#include "core/bits.h"

#include <stdatomic.h>
#include <string.h>

typedef struct {
    qs__sv *const *svs;
    int nstates, nextra;
    const qs__blocking *b;
    char *scratch;
    size_t elem, per_thread;
    qs__block_fn fn;
    void *ctx;
    _Atomic int failed;   /* the first failing call's status, or QS_OK */
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
    run_ctx *c = vc;
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
            qs_status st = c->fn(c->ctx, ch, views);
            if (st != QS_OK) {
                int ok = QS_OK;
                atomic_compare_exchange_strong(&c->failed, &ok, (int)st);
                return;
            }
            if (b->nh)
                for (int s = 0; s < c->nstates; s++)
                    copy_block(c, i, s, views[s].amps, 1);
        }
    }
}

qs_status qs__cpu_blocked_run(qs__sv *const *svs, int nstates, int nextra,
                              const qs__blocking *b, void *scratch, qs__block_fn fn, void *ctx)
{
    run_ctx c = {svs, nstates, nextra, b, scratch, 0, 0, fn, ctx, QS_OK};
    c.elem = svs[0]->f32 ? 2 * sizeof(float) : 2 * sizeof(double);
    c.per_thread = qs__blocked_scratch(b, svs[0]->f32, nstates, nextra) /
                   (size_t)qs__blocked_threads(b);
    qs__parfor_tasks(b->nchunks, qs__blocked_threads(b), run_task, &c);
    return (qs_status)atomic_load(&c.failed);
}
