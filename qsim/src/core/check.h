/*
 * check.h - argument checks shared by the public entry points (internal).
 * Each sets the message for the calling public function and returns the
 * status to return.
 */
#ifndef QS_CORE_CHECK_H
#define QS_CORE_CHECK_H

#include <stdint.h>
#include <qsim/qsim.h>

/* Checks that qubits[0..n-1] ("target", "control", ...) are in [0, nq) and
 * not already in *used (a mask of qubits seen so far), and adds them. */
qs_status qs__check_qubits(const char *func, int nq, const char *role,
                           const int *qubits, int n, uint64_t *used);
/* A NULL pointer argument. */
qs_status qs__null(const char *func, const char *what);

#define QS_CHECK_NULL(func, p)                 \
    do {                                       \
        if (!(p))                              \
            return qs__null(func, #p);         \
    } while (0)

#endif
