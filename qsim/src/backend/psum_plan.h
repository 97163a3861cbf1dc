/*
 * psum_plan.h - which Pauli groups share a pass over the state (internal;
 * used by the Pauli-sum kernels and by qs_pauli_sum_passes).
 *
 * A pass visits the state tile by tile.  A tile is a coset of a subspace
 * of basis indices: the low L bits (contiguous runs of 2^L amplitudes)
 * plus the span of a few high vectors, 2^(L + rank) amplitudes that fit
 * in L2.  A group with X/Y mask x maps a tile onto itself when x's bits
 * above L lie in the span, so every such group is evaluated on the tile
 * while it sits in cache: X on qubits 0..14 is one pass, X on the
 * qubits above (generators 2^15, 2^16, ...) the next, and a weight-24
 * X string costs a rank of one.  Groups come sorted by x; a pass takes
 * them in order while some L keeps the tile small enough (greedy).
 */
#ifndef QS_BACKEND_PSUM_PLAN_H
#define QS_BACKEND_PSUM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

/* 512 KiB tiles: in L2 on the CPUs we run on (1-2 MiB), with room. */
#define QS__PS_TILE_LOG2_BYTES 19
/* Contiguous runs of at least 2^4 amplitudes (256 B in double). */
#define QS__PS_MIN_RUN 4

typedef struct {
    int L;               /* contiguous low bits */
    int rank;            /* high generators */
    uint64_t basis[64];  /* echelon form, pivots (highest bits) descending */
} qs__ps_tile;

/* Tile bits for an nq-qubit state of 2^amp_log2 byte amplitudes: at most
 * 512 KiB, and at least 4 tiles on states big enough for threads. */
static inline int qs__ps_tile_bits(int nq, int amp_log2)
{
    int b = QS__PS_TILE_LOG2_BYTES - amp_log2;
    if (nq > 14 && b > nq - 2)
        b = nq - 2;
    return b < nq ? b : nq;
}

static inline int qs__ps_top(uint64_t v) { return 63 - __builtin_clzll(v); }

/* x's bits at and above t->L reduced by t's generators: 0 when x maps
 * the tile onto itself. */
static inline uint64_t qs__ps_reduce(const qs__ps_tile *t, uint64_t x)
{
    uint64_t v = x >> t->L << t->L;
    for (int i = 0; i < t->rank && v; i++)
        if (v >> qs__ps_top(t->basis[i]) & 1)
            v ^= t->basis[i];
    return v;
}

static inline void qs__ps_insert(qs__ps_tile *t, uint64_t v)
{
    int i = t->rank++;
    while (i > 0 && qs__ps_top(t->basis[i - 1]) < qs__ps_top(v)) {
        t->basis[i] = t->basis[i - 1];
        i--;
    }
    t->basis[i] = v;
}

/* The pass that starts at group g0: fills *out, returns its end g1. */
static inline size_t qs__ps_plan(const qs__pgroups *g, int nq, int amp_log2, size_t g0,
                                 qs__ps_tile *out)
{
    const int B = qs__ps_tile_bits(nq, amp_log2);
    const int lmin = B < QS__PS_MIN_RUN ? B : QS__PS_MIN_RUN;
    qs__ps_tile cand[64];
    int alive[64], nc = B - lmin + 1;
    for (int c = 0; c < nc; c++) {
        cand[c].L = B - c;   /* largest runs first */
        cand[c].rank = 0;
        alive[c] = 1;
    }
    out->L = nq;   /* the whole state: always right (never needed) */
    out->rank = 0;
    size_t g1 = g0;
    for (; g1 < g->ngroups; g1++) {
        uint64_t v[64];
        int fits = 0;
        for (int c = 0; c < nc; c++) {
            if (!alive[c])
                continue;
            v[c] = qs__ps_reduce(&cand[c], g->xmask[g1]);
            fits |= cand[c].L + cand[c].rank + (v[c] != 0) <= B;
        }
        if (!fits && g1 > g0)
            break;
        for (int c = 0; c < nc; c++) {
            if (!alive[c] || !v[c])
                continue;
            if (cand[c].L + cand[c].rank + 1 <= B)
                qs__ps_insert(&cand[c], v[c]);
            else
                alive[c] = 0;
        }
    }
    for (int c = 0; c < nc; c++)
        if (alive[c]) {
            *out = cand[c];
            break;
        }
    return g1;
}

/* Number of passes the kernels make over an nq-qubit state for g. */
static inline size_t qs__ps_passes(const qs__pgroups *g, int nq, int amp_log2)
{
    size_t n = 0;
    qs__ps_tile t;
    for (size_t g0 = 0; g0 < g->ngroups; n++)
        g0 = qs__ps_plan(g, nq, amp_log2, g0, &t);
    return n;
}

#endif
