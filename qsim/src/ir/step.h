/*
 * step.h - the steps of a compiled program (internal; compile.c lowers
 * each instruction to one, step.c evaluates and applies them).
 */
#ifndef QS_IR_STEP_H
#define QS_IR_STEP_H

#include "backend/backend.h"
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
    QS__S_DIAGEXP,  /* exp(-i t D): D's values at p->data + doff, t = args[0] */
    QS__S_STORE,    /* bits [clbit, clbit+count) = classical expression args[0] */
    QS__S_FAIL      /* fails the run (a while loop past its `count` iterations) */
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
    int paired;           /* QS_STEP_PAIRED: with the next step, one density-matrix op */
} qs__step;

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
/* op^dagger into out, its data (as many doubles as op's) into buf. */
void qs__op_adjoint(const qs__op *op, qs__op *out, double *buf);
int qs__step_op(const qs_program *p, const qs__step *st, const double *args, int mode, int darg,
                qs__op *op, double *buf);
/* Applies a step that is not non-unitary: forward, its conjugate
 * transpose, or its derivative with respect to argument darg. */
qs_status qs__step_apply(const qs_program *p, const qs__step *st, const double *args, int mode,
                         int darg, qs_state *s);

#endif
