/* check.c - argument checks shared by the public entry points. */
#include "core/check.h"
#include "core/error.h"

qs_status qs__null(const char *func, const char *what)
{
    return qs__fail(QS_EINVAL, func, "%s is NULL", what);
}

qs_status qs__check_qubits(const char *func, int nq, const char *role,
                           const int *qubits, int n, uint64_t *used)
{
    if (n > 0 && !qubits)
        return qs__fail(QS_EINVAL, func, "%s list is NULL", role);
    for (int i = 0; i < n; i++) {
        int q = qubits[i];
        if (q < 0 || q >= nq)
            return qs__fail(QS_ERANGE, func, "%s %d out of range for a %d-qubit state",
                            role, q, nq);
        if (*used & (UINT64_C(1) << q))
            return qs__fail(QS_EINVAL, func, "qubit %d appears twice (as %s)", q, role);
        *used |= UINT64_C(1) << q;
    }
    return QS_OK;
}
