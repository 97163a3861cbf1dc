/*
 * state.h - the state handle behind qs_state (internal).  Defined below
 * the IR and the API, in the distribution layer that owns it (loc.h):
 * api/, ir/ and exact/ read its size and flags here, and reach its
 * amplitudes only through the qs__loc_* operations.
 */
#ifndef QS_LOC_STATE_H
#define QS_LOC_STATE_H

#include "backend/backend.h"

struct qs__dist;

struct qs_state {
    int nq;               /* qubits of the whole state */
    unsigned flags;
    /* The amplitudes this process holds: all of them in a one-process
     * state; with dist set, this rank's slice (dist.c). */
    qs__sv sv;
    struct qs__dist *dist;
    /* Working memory of program runs on this state (cache-block buffers,
     * matrices built from parameter values): grown by the first run that
     * needs more, kept for the next ones, freed with the state. */
    void *scratch;
    size_t scratch_bytes;
};

/* At least `bytes` of the state's scratch (64-byte aligned), or NULL when
 * out of memory (on any rank: growing a distributed state's scratch is
 * collective). */
void *qs__state_scratch(qs_state *s, size_t bytes);

#endif
