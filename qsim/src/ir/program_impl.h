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
    int line, col;        /* source position of the operation, or 0 */
} qs__step;

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
};

/* step.c: evaluating, applying, inverting and differentiating one step. */
enum { QS__FORWARD, QS__ADJOINT, QS__DERIVATIVE };
/* 1 if the step measures, resets or is conditional. */
int qs__step_nonunitary(const qs__step *st);
/* The step's arguments (st->na values) at the parameter values. */
void qs__step_args(const qs_program *p, const qs__step *st, const double *params, double *args);
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
