/*
 * program_impl.h - a compiled circuit (internal; used by program.c, the
 * step primitives in step.c and program_steps.c, and exact/).
 *
 * Compiling lowers every operation to a step.  Constant gates become
 * complete backend ops whose matrices sit in the program's data pool;
 * gates whose arguments use parameters keep their expressions and are
 * rebuilt on the stack at each run, so a run allocates nothing.
 */
#ifndef QS_IR_PROGRAM_IMPL_H
#define QS_IR_PROGRAM_IMPL_H

#include "backend/backend.h"
#include "ir/circuit_impl.h"
#include "ir/gates.h"

enum {
    QS__S_OP,       /* op is complete */
    QS__S_PGATE,    /* named gate with parameter-dependent arguments */
    QS__S_PAULI,    /* exp(-i theta/2 P), theta = args[0] */
    QS__S_GPHASE,   /* e^{i phi}, phi = args[0] */
    QS__S_QFT,
    QS__S_MEASURE,
    QS__S_RESET,
    QS__S_BARRIER,
    QS__S_DIAGEXP   /* exp(-i t D): D's values at p->data + doff, t = args[0] */
};

/* Most arguments of a step (cu has 4). */
#define QS__STEP_MAX_ARGS 4

typedef struct qs__step {
    int kind;
    qs__op op;            /* QS__S_OP: complete; QS__S_PAULI: masks */
    long doff;            /* QS__S_OP: matrix data in p->data, or -1 */
    int gate;             /* QS__S_PGATE */
    int q[QS__GATE_MAX_Q];/* QS__S_PGATE: qubits; MEASURE/RESET: q[0] */
    int na, aoff;         /* arguments: p->args[aoff .. aoff+na) */
    int first, count, inv;/* QS__S_QFT */
    int clbit;            /* QS__S_MEASURE: -1 discards the outcome */
    int has_cond, cfirst, cbits;
    uint64_t cval;
    uint64_t xcm, xcv;    /* QS__S_PGATE: extra controls (qubit mask, values) */
    int line, col;        /* source position of the operation, or 0 */
} qs__step;

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

struct qs_program {
    int nq, nc, np;
    qs__step *steps;
    size_t n;
    double *data;
    qs__arg *args;
    qs__xnode *nodes;
    int dynamic;
    int *deferred;        /* QS_COMPILE_DEFER_MEASURE: (qubit, clbit) pairs */
    int ndeferred;
    /* The schedule (fuse.c); entries NULL with QS_COMPILE_NO_FUSION. */
    qs__entry *entries;
    size_t nentries;
    long *entry_at;       /* [n+1]: the entry that starts at step k, or -1 */
    qs__seg *segs;
    size_t nsegs;
    int *order;
    qs__fop *fops;
    size_t nfops;
    int *members;
    double *fdata;        /* matrices of constant fused ops */
    size_t nparamsteps;   /* steps that use parameters */
};

/* Doubles rounded up to whole 64-byte lines. */
#define QS__ROUND8(n) (((n) + 7) & ~7L)

/* fuse.c: builds the schedule of a compiled program. */
qs_status qs__program_schedule(qs_program *p, const char *func);
void qs__program_schedule_free(qs_program *p);
/* Doubles of data qs__step_op writes for the step in a mode (an upper
 * bound). */
long qs__step_op_size(const qs__step *st, int mode);
/* Writes the op of fused op f (members composed in order, at the
 * parameter values) to out, its data to data (f->ndata doubles), using
 * the double-precision kernels k. */
void qs__fop_build(const qs_program *p, const qs__fop *f, const double *params,
                   const qs__kernels *k, qs__op *out, double *data);

/* segment.c: runs segment g forward on s. */
qs_status qs__segment_run(const qs_program *p, const qs__seg *g, const double *params,
                          qs_state *s);

/* step.c: evaluating, applying, inverting and differentiating one step. */
enum { QS__FORWARD, QS__ADJOINT, QS__DERIVATIVE };
/* 1 if the step measures, resets or is conditional. */
int qs__step_nonunitary(const qs__step *st);
/* The step's arguments (st->na values) at the parameter values. */
void qs__step_args(const qs_program *p, const qs__step *st, const double *params, double *args);
/* The same for step k, failing (QS_EINVAL, in the name of func) when one
 * is not finite. */
qs_status qs__step_args_finite(const qs_program *p, size_t k, const double *params, double *args,
                               const char *func);
/* 1 if argument a of the step, or any of its arguments, uses a parameter. */
int qs__step_arg_uses_params(const qs_program *p, const qs__step *st, int a);
int qs__step_uses_params(const qs_program *p, const qs__step *st);
/* Doubles of data an op built by qs__step_op can have (a dense matrix of
 * QS_MAX_TARGETS qubits). */
#define QS__OPBUF (2 << (2 * QS_MAX_TARGETS))
/* Writes to op the step as one backend op: forward, its conjugate
 * transpose, or its derivative with respect to argument darg (that of a
 * controlled gate takes the controls as targets, with zeros where they are
 * not set).  Matrix data goes to buf (QS__OPBUF doubles) or stays in the
 * program.  Returns 0 for the steps that are not one op (QFT, diagonal
 * exponentials, barriers, measurements, constant ops' derivatives). */
int qs__step_op(const qs_program *p, const qs__step *st, const double *args, int mode, int darg,
                qs__op *op, double *buf);
/* Applies a step that is not non-unitary: forward, its conjugate
 * transpose, or its derivative with respect to argument darg. */
qs_status qs__step_apply(const qs_program *p, const qs__step *st, const double *args, int mode,
                         int darg, qs_state *s);

/* The checks of qs_program_run() on parameters and state, for func. */
qs_status qs__program_check_run(const char *func, const qs_program *p,
                                const double *params, size_t num_params,
                                const qs_state *s);
/* Runs steps [from, n) on s.  With stop != 0 it stops before the first
 * measurement or reset whose condition holds and sets *at to its index;
 * otherwise they draw from rng.  *at = n when the end was reached. */
qs_status qs__program_exec(const qs_program *p, const double *params,
                           qs_state *s, size_t from, int stop, qs_rng *rng,
                           unsigned char *clbits, size_t *at);

#endif
