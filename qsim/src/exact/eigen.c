/*
 * eigen.c - exact references for Pauli sums: the dense matrix, and the
 * lowest eigenpairs by LAPACKE (dense, up to QS_EIG_DENSE_MAX_QUBITS) or by
 * the matrix-free Krylov solver in krylov.c.
 *
 * Sums whose terms all have an even number of Y letters (molecular
 * Hamiltonians, MaxCut costs) have real symmetric matrices and go through
 * dsyevr; the others through zheevr.
 */
#include "exact/exact.h"
#include "core/bits.h"
#include "core/check.h"
#include "core/error.h"
#include "core/mem.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_real(const qs_pauli_sum *h)
{
    for (size_t t = 0; t < h->n; t++)
        if (qs__popcount(h->x[t] & h->z[t]) & 1)
            return 0;
    return 1;
}

/* Adds the sum into a dense D x D matrix, real (stride 1) or complex
 * (stride 2); entry (r, c) at (r * D + c) * stride. */
static void fill(const qs_pauli_sum *h, double *a, int complex_)
{
    uint64_t D = UINT64_C(1) << h->nq;
    static const double re[4] = {1, 0, -1, 0}, im[4] = {0, 1, 0, -1};
    for (size_t t = 0; t < h->n; t++) {
        int ny = qs__popcount(h->x[t] & h->z[t]) & 3;
        for (uint64_t c = 0; c < D; c++) {
            uint64_t r = c ^ h->x[t];
            double s = qs__parity(c & h->z[t]) ? -h->w[t] : h->w[t];
            if (complex_) {
                a[2 * (r * D + c)] += s * re[ny];
                a[2 * (r * D + c) + 1] += s * im[ny];
            } else {
                a[r * D + c] += s * re[ny];
            }
        }
    }
}

QS_API qs_status qs_pauli_sum_matrix(const qs_pauli_sum *h, double *out)
{
    QS_CHECK_NULL(__func__, h);
    QS_CHECK_NULL(__func__, out);
    if (h->nq > QS_EIG_DENSE_MAX_QUBITS)
        return qs__fail(QS_ETOOBIG, __func__, "a dense matrix of %d qubits (at most %d)", h->nq,
                        QS_EIG_DENSE_MAX_QUBITS);
    uint64_t D = UINT64_C(1) << h->nq;
    memset(out, 0, sizeof(double) * 2 * D * D);
    fill(h, out, 1);
    return QS_OK;
}

static qs_status dense(const char *func, const qs_pauli_sum *h, int k, double *evals,
                       double *evecs)
{
    int n = h->nq, real = is_real(h);
    lapack_int D = (lapack_int)1 << n;
    size_t per = real ? 1 : 2;
    QS_TRY(qs__mem_check(func, (uint64_t)D * (uint64_t)D * per * sizeof(double) * 2));
    double *a = calloc((size_t)D * (size_t)D * per, sizeof *a);
    double *z = evecs ? calloc((size_t)D * (size_t)k * per, sizeof *z) : NULL;
    double *w = malloc(sizeof *w * (size_t)D);
    lapack_int *isuppz = malloc(sizeof *isuppz * 2 * (size_t)(k > 0 ? k : 1));
    qs_status st = QS_OK;
    if (!a || !w || !isuppz || (evecs && !z)) {
        st = qs__fail(QS_ENOMEM, func, "out of memory for a %d-qubit dense matrix", n);
        goto done;
    }
    fill(h, a, !real);
    char jobz = evecs ? 'V' : 'N';
    lapack_int m = 0, info;
    /* Row-major with ldz = k: eigenvector j is column j of z. */
    if (real)
        info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, jobz, 'I', 'U', D, a, D, 0, 0, 1, k, 0, &m, w,
                              evecs ? z : w, evecs ? k : 1, isuppz);
    else
        info = LAPACKE_zheevr(LAPACK_ROW_MAJOR, jobz, 'I', 'U', D, (lapack_complex_double *)a, D,
                              0, 0, 1, k, 0, &m, w,
                              (lapack_complex_double *)(evecs ? z : a), evecs ? k : 1, isuppz);
    if (info != 0 || m != k) {
        st = qs__fail(QS_ENOTCONV, func, "LAPACKE ?syevr/?heevr failed (info %d)", (int)info);
        goto done;
    }
    memcpy(evals, w, sizeof *evals * (size_t)k);
    if (evecs)
        for (int j = 0; j < k; j++)
            for (lapack_int i = 0; i < D; i++) {
                evecs[2 * ((size_t)j * (size_t)D + (size_t)i)] = real ? z[i * k + j] : z[2 * (i * k + j)];
                evecs[2 * ((size_t)j * (size_t)D + (size_t)i) + 1] = real ? 0 : z[2 * (i * k + j) + 1];
            }
done:
    free(a);
    free(z);
    free(w);
    free(isuppz);
    return st;
}

QS_API qs_status qs_pauli_sum_eigensolve(const qs_pauli_sum *h, int k, unsigned method,
                                         double *evals, double *evecs)
{
    QS_CHECK_NULL(__func__, h);
    QS_CHECK_NULL(__func__, evals);
    if (h->nq < 1)
        return qs__fail(QS_EINVAL, __func__, "the sum acts on no qubit");
    uint64_t D = UINT64_C(1) << h->nq;
    if (k < 1 || (uint64_t)k > D)
        return qs__fail(QS_EINVAL, __func__, "k %d not in [1, %llu]", k, (unsigned long long)D);
    if (method > QS_EIG_KRYLOV)
        return qs__fail(QS_EINVAL, __func__, "unknown method %u", method);
    if (method == QS_EIG_AUTO)
        method = h->nq <= 12 ? QS_EIG_DENSE : QS_EIG_KRYLOV;
    if (method == QS_EIG_DENSE) {
        if (h->nq > QS_EIG_DENSE_MAX_QUBITS)
            return qs__fail(QS_ETOOBIG, __func__, "dense eigensolve of %d qubits (at most %d)",
                            h->nq, QS_EIG_DENSE_MAX_QUBITS);
        return dense(__func__, h, k, evals, evecs);
    }
    if (h->nq > QS_EIG_KRYLOV_MAX_QUBITS)
        return qs__fail(QS_ETOOBIG, __func__, "Krylov eigensolve of %d qubits (at most %d)", h->nq,
                        QS_EIG_KRYLOV_MAX_QUBITS);
    return qs__krylov(__func__, h, k, evals, evecs);
}
