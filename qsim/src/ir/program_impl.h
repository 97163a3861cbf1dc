/*
 * program_impl.h - a compiled circuit (internal): its steps (step.h), its
 * run schedule (schedule.h) and the tables they index.  compile.c builds
 * it, program.c runs it, program_steps.c, backprop.c and branches.c use it.
 */
#ifndef QS_IR_PROGRAM_IMPL_H
#define QS_IR_PROGRAM_IMPL_H

#include "ir/circuit_impl.h"
#include "ir/schedule.h"
#include "ir/step.h"

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
