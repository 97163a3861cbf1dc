/* exact.h - shared pieces of the exact solvers (internal). */
#ifndef QS_EXACT_EXACT_H
#define QS_EXACT_EXACT_H

#include "ir/pauli_impl.h"
#include <qsim/qsim.h>

/* The k lowest eigenpairs by thick-restart Lanczos (krylov.c). */
qs_status qs__krylov(const char *func, const qs_pauli_sum *h, int k, double *evals,
                     double *evecs);

#endif
