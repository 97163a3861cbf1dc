/*
 * schedule.h - the run schedule of a compiled program (internal;
 * schedule.c and fuse.c build it, fop.c builds its fused ops at run time,
 * segment.c and backprop.c run it).
 */
#ifndef QS_IR_SCHEDULE_H
#define QS_IR_SCHEDULE_H

#include "ir/step.h"

/*
 * The run schedule (fuse.c builds it, segment.c and backprop.c run it).
 * Runs do not walk the steps one by one: the steps are put in an order
 * their dependencies allow (steps on disjoint qubits commute) and cut into
 * entries.  An entry is either one step run as it is (measurements,
 * resets, conditional steps, QFTs, diagonal exponentials, barriers and too
 * wide Pauli rotations: fences that no step moves across), or a segment:
 * consecutive steps whose qubits fit one cache block (backend/blocked.h),
 * applied block by block.  Forward runs apply a segment's fused ops (runs
 * of gates merged into one dense, diagonal or permutation op where the
 * measured cost model says it is cheaper); the adjoint sweep
 * (qs_program_backprop) applies the segment's steps one by one in reverse,
 * each with its derivative overlaps, in the same traversal of the blocks.
 * The steps themselves stay as they are: the step primitives index them.
 */
typedef struct qs__fop {
    qs__op op;            /* complete, unless built at each run */
    int built;            /* the matrix depends on parameters */
    int mfirst, mcount;   /* member steps: p->members[mfirst .. +mcount), in order */
    int dense;            /* several members: composed as a dense matrix */
    long ndata;           /* built: doubles of its data */
    long doff;            /* constant and fused: its data in p->fdata, or -1 */
} qs__fop;

typedef struct qs__seg {
    uint64_t used;        /* qubits its steps act on */
    int ofirst, ocount;   /* its steps in schedule order: p->order[ofirst ..] */
    int ffirst, fcount;   /* its forward ops: p->fops[ffirst ..] */
    long fdata;           /* doubles the built forward ops need */
    long bdata;           /* doubles the adjoint sweep's ops need */
    int nslots;           /* derivative overlaps (step, argument) in it */
} qs__seg;

/* One entry: step `step` alone when seg < 0, else segment `seg`. */
typedef struct qs__entry {
    int step, seg;
} qs__entry;

/* Doubles rounded up to whole 64-byte lines. */
#define QS__ROUND8(n) (((n) + 7) & ~7L)

/* schedule.c: builds the schedule of a compiled program. */
qs_status qs__program_schedule(qs_program *p, const char *func);
void qs__program_schedule_free(qs_program *p);
/* fop.c: doubles of data qs__step_op writes for the step in a mode (an
 * upper bound). */
long qs__step_op_size(const qs__step *st, int mode);
/* fop.c: writes the op of fused op f (members composed in order, at the
 * parameter values) for backend be to out, its data to data (f->ndata
 * doubles of host memory), with be's host kernels (backend.h). */
qs_status qs__fop_build(const qs_program *p, const qs__fop *f, const double *params,
                        const qs__backend *be, qs__op *out, double *data);

/* segment.c: runs segment g forward on s. */
qs_status qs__segment_run(const qs_program *p, const qs__seg *g, const double *params,
                          qs_state *s);

#endif
