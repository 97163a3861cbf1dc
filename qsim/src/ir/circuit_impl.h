/*
 * circuit_impl.h - the circuit handle (internal; used by program.c, the
 * OpenQASM front end and writer, and exact/).
 *
 * Operations live in one array; their qubit lists, argument expressions
 * and matrix data live in pools indexed by offsets, so appending never
 * invalidates an operation and a copy is a handful of memcpy calls.
 */
#ifndef QS_IR_CIRCUIT_IMPL_H
#define QS_IR_CIRCUIT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "ir/expr.h"

enum {
    QS__I_GATE,     /* named gate: gate, qubits, args */
    QS__I_MATRIX,   /* constant dense matrix: qubits = targets, doff */
    QS__I_PAULI,    /* exp(-i theta/2 P): qubits with letters, args[0] = theta */
    QS__I_GPHASE,   /* e^{i phi}: args[0] = phi */
    QS__I_QFT,      /* qubits = the range, flags */
    QS__I_MEASURE,  /* qubits[0] -> clbit */
    QS__I_RESET,    /* qubits[0] */
    QS__I_BARRIER,  /* qubits (all when nq == 0) */
    QS__I_DIAGEXP,  /* exp(-i t D): D's 2^nq values at doff, args[0] = t */
    QS__I_CHANNEL,  /* Kraus set: gate = how many, at doff; flags = qs_channel_kind */
    QS__I_STORE,    /* bits [clbit, clbit+flags) = the classical expression args[0] */
    QS__I_FAIL      /* the run fails: a while loop did not end within `flags` iterations */
};

/* flags: the ket half of a density program's gate, whose bra half (the
 * same arguments up to sign) is the next operation (noise/dm_compile.c). */
#define QS__I_PAIRED (1u << 16)

typedef struct qs__arg {
    int off, len;   /* nodes[off .. off+len) */
} qs__arg;

typedef struct qs__instr {
    int kind;
    int gate;
    int nq, qoff;          /* qubits[qoff .. qoff+nq) */
    int na, aoff;          /* args[aoff .. aoff+na) */
    int doff;              /* QS__I_MATRIX, QS__I_DIAGEXP data offset */
    int poff;              /* QS__I_PAULI: letters in pletters[poff ..] */
    unsigned flags;        /* QS__I_QFT */
    int clbit;             /* QS__I_MEASURE; -1: outcome discarded (OpenQASM 3 `measure q;`) */
    int has_cond, cfirst, cbits;
    uint64_t cval;
    /* Extra controls (qs_circuit_append_controlled_*): qubits[xoff ..
     * xoff+nx), control j on |bit j of xval>. */
    int nx, xoff;
    uint64_t xval;
    int line, col;         /* source position when parsed, else 0 */
} qs__instr;

typedef struct qs__reg {
    char *name;
    int first, size;
} qs__reg;

/* A call of a user-defined gate in the source, inlined as the operations
 * [first, end) on qubits[qoff .. qoff+nq): kept beside the operations
 * (nothing else sees it) so that a noise model naming the gate can attach
 * its error after the call (qs_noise_model_apply). */
typedef struct qs__call {
    char *name;
    size_t first, end;
    int nq, qoff;
} qs__call;

struct qs_circuit {
    int nq, nc;
    int nvb;               /* hidden bits (classical.h): variables and guards */
    char **pnames;
    int np, pcap;
    int *phash, phcap;   /* name -> index + 1 (0: empty), open addressing */
    qs__instr *ins;
    size_t n, cap;
    int *qubits;
    size_t nqub, qcap;
    qs__arg *args;
    size_t nargs, acap;
    qs__xnode *nodes;
    size_t nnodes, ncap;
    double *data;
    size_t ndata, dcap;
    char *pletters;
    size_t nlet, lcap;
    /* Named registers, for front ends and writers (optional). */
    qs__reg *qregs, *cregs;
    int nqregs, ncregs;
    qs__call *calls;       /* parsed calls of user-defined gates, in order */
    size_t ncalls;
};

/* Pool appends; each returns the offset, or -1 when out of memory. */
int qs__circ_qubits(qs_circuit *c, const int *q, int n);
int qs__circ_arg(qs_circuit *c, const qs__xnode *n, int len);
int qs__circ_data(qs_circuit *c, const double *d, size_t n);
int qs__circ_letters(qs_circuit *c, const char *s, int n);
/* A new zeroed operation at the end, or NULL when out of memory. */
qs__instr *qs__circ_push(qs_circuit *c);
/* Records a call of user gate `name` inlined as [first, end); 0 on success. */
int qs__circ_add_call(qs_circuit *c, const char *name, size_t first, size_t end, const int *q,
                      int nq);
/* Forgets the recorded calls. */
void qs__circ_clear_calls(qs_circuit *c);
/* Adds a named register; returns 0 on success. */
int qs__circ_add_reg(qs_circuit *c, int quantum, const char *name, int first, int size);
/* Resolves parameter names for qs__x_parse (ctx is the circuit). */
int qs__circ_resolve(void *ctx, const char *name, size_t len);

#endif
