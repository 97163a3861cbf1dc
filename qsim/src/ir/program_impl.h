/*
 * program_impl.h - a compiled circuit (internal; used by api and, later,
 * the gradient primitives).
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
    QS__S_BARRIER
};

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
