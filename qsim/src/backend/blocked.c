/*
 * blocked.c - cache blocking (blocked.h): which qubits the blocks of a
 * state hold, ops renumbered to them, and the threads and scratch a run
 * takes.  The runs themselves (gathering blocks, calling back) belong to
 * the backend: cpu/cpu_blocked.c on the CPU.
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
