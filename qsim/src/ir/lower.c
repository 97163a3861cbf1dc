/* lower.c - turning gates and Pauli strings into backend ops. */
#include "ir/lower.h"
#include "core/check.h"
#include "core/error.h"

#include <string.h>

void qs__lower_gmat(const qs__gmat *gm, const int *targets, uint64_t cmask,
                    uint64_t cval, qs__op *op)
{
    op->kind = gm->kind;
    op->nt = gm->nt;
    memcpy(op->targets, targets, sizeof(int) * (size_t)gm->nt);
    op->cmask = cmask;
    op->cval = cval;
    op->m = gm->m;
    if (gm->kind == QS__OP_PERM) {
        memcpy(op->perm, gm->perm, sizeof(uint32_t) * ((size_t)1 << gm->nt));
        if (!gm->phased)
            op->m = NULL;
    }
}

qs_status qs__pauli_masks(const char *func, int nq, const int *qubits,
                          const char *paulis, int n, uint64_t *x, uint64_t *z,
                          int *ny)
{
    uint64_t used = 0;
    *x = *z = 0;
    *ny = 0;
    if (n < 0)
        return qs__fail(QS_EINVAL, func, "n %d is negative", n);
    if (n > 0 && (!qubits || !paulis))
        return qs__null(func, qubits ? "paulis" : "qubits");
    for (int i = 0; i < n && paulis[i]; i++) {
        QS_TRY(qs__check_qubits(func, nq, "qubit", qubits + i, 1, &used));
        uint64_t bit = UINT64_C(1) << qubits[i];
        switch (paulis[i]) {
        case 'I': case 'i': break;
        case 'X': case 'x': *x |= bit; break;
        case 'Y': case 'y': *x |= bit; *z |= bit; (*ny)++; break;
        case 'Z': case 'z': *z |= bit; break;
        default:
            return qs__fail(QS_EINVAL, func, "paulis[%d] is '%c', expected I, X, Y or Z", i,
                            paulis[i]);
        }
    }
    return QS_OK;
}

void qs__lower_pauli(uint64_t x, uint64_t z, int ny, const double a[2],
                     const double b[2], qs__op *op)
{
    memset(op, 0, sizeof *op);
    op->kind = QS__OP_PAULI;
    op->xmask = x;
    op->zmask = z;
    op->ny = ny;
    op->a[0] = a[0];
    op->a[1] = a[1];
    op->b[0] = b[0];
    op->b[1] = b[1];
}
