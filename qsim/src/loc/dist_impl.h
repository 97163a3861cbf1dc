/*
 * dist_impl.h - the layout of a distributed state and the helpers that
 * dist.c (layout, exchanges, gates, reductions) shares with dist_pauli.c
 * (Pauli rotations and Pauli sums).  Internal to loc/; MPI builds only.
 */
#ifndef QS_LOC_DIST_IMPL_H
#define QS_LOC_DIST_IMPL_H

#include "config.h"

#ifdef QS_HAVE_MPI
#include <mpi.h>
#include "loc/dist.h"

typedef struct qs__dist {
    MPI_Comm comm;
    int rank, nranks, k, nl;
    int pos[64];           /* logical qubit -> physical bit */
    int qat[64];           /* physical bit -> logical qubit */
    uint64_t label;        /* the global bits this rank holds */
    int *holder;           /* [nranks]: the rank that holds label G */
    char *buf;             /* exchange buffer: two chunks */
    uint64_t chunk;        /* amplitudes per chunk */
    uint64_t stats[4];     /* bytes sent, qubit swaps, rank relabellings, exchanges */
    uint64_t soon;         /* logical qubits the next operations need (a hint) */
    const char *fut;       /* the program's coming segments' qubit masks, */
    size_t fut_stride;     /* fut_n of them fut_stride bytes apart (or none): */
    size_t fut_n;          /* see qs__loc_future */
} qs__dist;

/* Bytes per amplitude. */
static inline size_t qs__dist_elem(const qs_state *s)
{
    return s->sv.f32 ? 2 * sizeof(float) : 2 * sizeof(double);
}

static inline uint64_t qs__dist_local_bits(const qs__dist *d)
{
    return (UINT64_C(1) << d->nl) - 1;
}

/* A status that may differ between ranks (a failed allocation) made the
 * same on all: the lowest failing rank's.  Collective. */
qs_status qs__dist_agree(const qs__dist *d, qs_status st);
/* A logical qubit mask as a physical bit mask. */
uint64_t qs__dist_phys(const qs__dist *d, uint64_t m);
/* v[0..n) <- its sum over the ranks, added in rank order. */
qs_status qs__dist_reduce(const qs__dist *d, double *v, size_t n);
/* n amplitudes from sbuf to rank `to`, n from rank `from` into rbuf. */
qs_status qs__dist_sendrecv(qs_state *s, const char *sbuf, int to, char *rbuf, int from,
                            uint64_t n);
/* Makes the logical qubits of `want` local on every state of the list
 * (one layout), without moving those of `keep` out; QS_EUNSUPPORTED when
 * they do not fit. */
qs_status qs__dist_make_local(qs_state *const *states, int n, uint64_t want, uint64_t keep);
void qs__dist_copy_layout(qs__dist *to, const qs__dist *from);

/* dist_pauli.c: psi <- a psi + b P psi for a Pauli op (physical bits,
 * no controls) whose X/Y letters do not fit in a slice. */
qs_status qs__dist_pauli_wide(qs_state *s, const qs__op *ph);
#endif

#endif
