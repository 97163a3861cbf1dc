/*
 * state_impl.h - the state handle behind qs_state (internal; used by api/,
 * ir/program.c and exact/).
 */
#ifndef QS_API_STATE_IMPL_H
#define QS_API_STATE_IMPL_H

#include "backend/backend.h"

struct qs_state {
    qs__sv sv;
    unsigned flags;
    /* Working memory of program runs on this state (cache-block buffers,
     * matrices built from parameter values): grown by the first run that
     * needs more, kept for the next ones, freed with the state. */
    void *scratch;
    size_t scratch_bytes;
};

/* At least `bytes` of the state's scratch (64-byte aligned), or NULL when
 * out of memory. */
void *qs__state_scratch(qs_state *s, size_t bytes);

/* Applies one lowered op through the state's backend. */
static inline void qs__sv_apply(qs__sv *sv, const qs__op *op)
{
    switch (op->kind) {
    case QS__OP_DENSE: sv->k->dense(sv, op); break;
    case QS__OP_DIAG: sv->k->diag(sv, op); break;
    case QS__OP_PERM: sv->k->perm(sv, op); break;
    default: sv->k->pauli(sv, op); break;
    }
}

#endif
