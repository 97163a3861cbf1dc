/*
 * gates.h - the gate table (from gates.def) and the builders of each gate's
 * base operation (internal).
 */
#ifndef QS_IR_GATES_H
#define QS_IR_GATES_H

#include <stdint.h>
#include <qsim/qsim.h>

/* Largest base operation of a named gate: 4 targets (rc3x). */
#define QS__GATE_MAX_T 4
/* Most qubit arguments of a named gate: 5 (c4x). */
#define QS__GATE_MAX_Q 5

/* A gate's base operation on its targets, in one of the backend's classes. */
typedef struct qs__gmat {
    int kind;      /* QS__OP_DENSE, QS__OP_DIAG or QS__OP_PERM */
    int nt;
    int phased;    /* QS__OP_PERM: m holds the 2^nt phases */
    double m[2 << (2 * QS__GATE_MAX_T)];   /* dense: row-major; else 2^nt */
    uint32_t perm[1 << QS__GATE_MAX_T];
} qs__gmat;

typedef struct qs__gate_info {
    const char *name;
    int nc, nt, np, kind;
    void (*build)(const double *p, qs__gmat *out);
} qs__gate_info;

extern const qs__gate_info qs__gates[QS_NUM_GATES];

/* Builds gate g's base operation (g must be valid). */
void qs__gate_build(qs_gate g, const double *params, qs__gmat *out);
/* Writes the dense matrix of a base operation (2^nt x 2^nt) into out. */
void qs__gmat_dense(const qs__gmat *gm, double *out);

#endif
