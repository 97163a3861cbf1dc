/*
 * simplify.h - rewriting an op into an equivalent cheaper one before a
 * kernel runs it, and the index walk shared by the kernels (internal; used
 * by every backend).
 */
#ifndef QS_BACKEND_SIMPLIFY_H
#define QS_BACKEND_SIMPLIFY_H

#include "backend/backend.h"

/* An op with room for a rewritten matrix. */
typedef struct qs__op_buf {
    qs__op op;
    double m[2 << (2 * QS_MAX_TARGETS)];
} qs__op_buf;

/*
 * Writes to out->op an op equal to in that touches fewer amplitudes or
 * does less arithmetic:
 *  - a target bit on which the op is the identity for one value becomes a
 *    control on the other value (CZ = diag(1,-1) under a control becomes
 *    the scalar -1 under two controls: a quarter of the state, not half);
 *  - a target bit the op does not depend on is dropped (diagonals,
 *    permutations);
 *  - a dense matrix that is diagonal becomes a diagonal op, one with one
 *    non-zero per row and column a permutation op (without phases when
 *    they are all 1); a permutation that moves nothing becomes a diagonal.
 * Returns 0 when the op is the identity (nothing to do), else 1.  out->op
 * may point into out->m or at in's data.  Pauli ops are copied unchanged.
 */
int qs__op_simplify(const qs__op *in, qs__op_buf *out);

/* The gate kernels of one ops table. */
typedef struct qs__gate_fns {
    qs_status (*dense)(qs__sv *sv, const qs__op *op);
    qs_status (*diag)(qs__sv *sv, const qs__op *op);
    qs_status (*perm)(qs__sv *sv, const qs__op *op);
} qs__gate_fns;

/* The entry of every gate kernel: simplifies op into ob and returns the op
 * to run when it is still of class `kind`; otherwise runs it with the
 * kernel of its new class from fns (or not at all: the identity), sets *st
 * to that kernel's status and returns NULL. */
const qs__op *qs__op_route(qs__sv *sv, const qs__op *op, int kind, const qs__gate_fns *fns,
                           qs__op_buf *ob, qs_status *st);

/* Bases of the index groups of a kernel: the indices whose fixed bits
 * (fmask) equal cval, in increasing order.  The first one at or after
 * counter i is qs__insert0s(i, pos, m) | cval; from one to the next costs
 * three operations instead of one insertion per fixed bit. */
static inline uint64_t qs__next_base(uint64_t b, uint64_t fmask, uint64_t cval)
{
    return (((b | fmask) + 1) & ~fmask) | cval;
}

#endif
