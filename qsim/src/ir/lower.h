/*
 * lower.h - turning gates and Pauli strings into backend ops (internal).
 */
#ifndef QS_IR_LOWER_H
#define QS_IR_LOWER_H

#include "backend/backend.h"
#include "ir/gates.h"

/* op <- gm on targets[0..gm->nt-1] under the control masks.  op->m points
 * into gm, which must outlive op. */
void qs__lower_gmat(const qs__gmat *gm, const int *targets, uint64_t cmask,
                    uint64_t cval, qs__op *op);

/* Reads a Pauli string given as letters on qubits into X|Y and Z|Y masks
 * and the number of Y letters.  'I' letters are skipped.  Checks the
 * qubits against nq (each at most once) and the letters. */
qs_status qs__pauli_masks(const char *func, int nq, const int *qubits,
                          const char *paulis, int n, uint64_t *x, uint64_t *z,
                          int *ny);

/* op <- a I + b P for the Pauli string (x, z, ny). */
void qs__lower_pauli(uint64_t x, uint64_t z, int ny, const double a[2],
                     const double b[2], qs__op *op);

#endif
