/*
 * blocked.h - cache blocking: running a list of operations block by block
 * (internal; ir/ runs the segments of a program with it, forward and in
 * the adjoint sweep).
 *
 * A blocking splits the basis indices of a state into blocks that share
 * the values of the "outer" qubits.  The "inner" qubits of a block are the
 * lowest ones, [0, low), plus a few higher ones (`high`), at most
 * QS__BLOCK_QUBITS in all, so a block of double amplitudes is at most
 * 256 KiB and several of them (the two states of the adjoint sweep and a
 * work copy) sit in a core's L2 together.  Operations that act on inner
 * qubits only are then applied to one block after the other: each block is
 * read from memory once, every operation of the list runs on it while it
 * is in L2, and it is written back once.  A list of G gates costs one pass
 * over memory plus their arithmetic, instead of G passes.
 *
 * The backend gathers the blocks (backend.h's blocked_run).  On the CPU a
 * block whose inner qubits are [0, low) is contiguous and is worked on in
 * place.  Otherwise its 2^nh runs of 2^low contiguous amplitudes (low >=
 * QS__BLOCK_MIN_LOW, so each run streams well) are copied into a buffer of
 * the thread (gathered) and copied back after.  Inside a block qubits are
 * renumbered: [0, low) keep their numbers and the high ones follow in
 * increasing order (qs__op_relabel).
 *
 * Blocks are grouped into at most QS__BLOCK_CHUNKS chunks, a number fixed
 * by the state's size and the blocking; each chunk runs on one thread, its
 * blocks in order, so reductions summed per chunk and then over chunks in
 * order give the same bits for any thread count.
 */
#ifndef QS_BACKEND_BLOCKED_H
#define QS_BACKEND_BLOCKED_H

#include "backend/backend.h"

/* Inner qubits of a block: 2^14 amplitudes, 256 KiB in double. */
#define QS__BLOCK_QUBITS 14
/* Contiguous runs of a gathered block: at least 2^9 amplitudes (8 KiB). */
#define QS__BLOCK_MIN_LOW 9
/* High inner qubits a block can have: QS__BLOCK_QUBITS - QS__BLOCK_MIN_LOW. */
#define QS__BLOCK_MAX_HIGH (QS__BLOCK_QUBITS - QS__BLOCK_MIN_LOW)
#define QS__BLOCK_CHUNKS 64

typedef struct qs__blocking {
    int nq;                 /* qubits of the state */
    int low, nh, inner;     /* inner = low + nh qubits per block */
    int hpos[QS__BLOCK_MAX_HIGH];   /* high inner qubits, ascending */
    int nouter, opos[64];   /* outer qubits, ascending */
    signed char map[64];    /* global qubit -> inner qubit, or -1 */
    uint64_t nblocks, nchunks;
} qs__blocking;

/* The inner qubits a segment acting on the qubits of `used` needs above
 * QS__BLOCK_MIN_LOW; a segment can be blocked when there are at most
 * QS__BLOCK_MAX_HIGH of them. */
static inline uint64_t qs__block_high(uint64_t used)
{
    return used & ~((UINT64_C(1) << QS__BLOCK_MIN_LOW) - 1);
}

/* Sets up the blocking of an nq-qubit state whose blocks hold the qubits
 * of `used` (qs__block_high(used) has at most QS__BLOCK_MAX_HIGH qubits),
 * with runs as long as the block size allows.  Returns 0 when the state is
 * no larger than one block (nothing to block). */
int qs__blocking_init(qs__blocking *b, int nq, uint64_t used);

/* out <- in with its qubits renumbered by map (targets, controls, Pauli
 * masks); every qubit of in must map to an inner qubit. */
void qs__op_relabel(const qs__op *in, const signed char *map, qs__op *out);

/* Called for each block: views[0..nstates) are the blocks of the states,
 * views[nstates..nstates+nextra) work buffers of the same size (contents
 * undefined), all with nq = b->inner and the states' kernels, which run on
 * the calling thread.  chunk is the block's chunk. */
typedef qs_status (*qs__block_fn)(void *ctx, uint64_t chunk, qs__sv *views);

/* Threads a blocked run of b uses. */
int qs__blocked_threads(const qs__blocking *b);
/* Bytes of scratch a blocked run needs (64-byte aligned). */
size_t qs__blocked_scratch(const qs__blocking *b, int f32, int nstates, int nextra);
/* A backend's blocked_run (backend.h) runs fn on every block of the
 * states svs[0..nstates) (same size and precision), in chunks across
 * qs__blocked_threads(b) threads; at most 4 views in all.  The CPU
 * backends share cpu/cpu_blocked.c. */

#endif
