/*
 * sector.c - lowest eigenvalues of a Pauli sum within a sector of basis
 * states fixed by Hamming weights (particle numbers), through LAPACKE.
 *
 * The sector's states are enumerated in ascending order, so a state's row
 * is found by binary search.  Term t maps |c> to +-i^ny |c ^ x_t>; the
 * D x D matrix is filled column by column from the terms (D * terms *
 * log D work), then ?syevr / ?heevr give the lowest eigenvalues.  A
 * molecule's sector is small: LiH/STO-3G (12 qubits, 2+2 electrons) has
 * D = 225 of 4096 states.
 */
#include "exact/exact.h"
#include "core/bits.h"
#include "core/check.h"
#include "core/error.h"
#include "core/mem.h"

#include <lapacke.h>
#include <stdlib.h>
#include <string.h>

static int in_sector(uint64_t b, int nc, const uint64_t *masks, const int *counts)
{
    for (int j = 0; j < nc; j++)
        if (qs__popcount(b & masks[j]) != counts[j])
            return 0;
    return 1;
}

static long find(const uint64_t *states, size_t D, uint64_t b)
{
    size_t lo = 0, hi = D;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (states[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < D && states[lo] == b ? (long)lo : -1;
}

QS_API qs_status qs_pauli_sum_eigensolve_sector(const qs_pauli_sum *h, int num_constraints,
                                                const uint64_t *masks, const int *counts, int k,
                                                double *evals)
{
    QS_CHECK_NULL(__func__, h);
    QS_CHECK_NULL(__func__, evals);
    if (num_constraints < 0)
        return qs__fail(QS_EINVAL, __func__, "num_constraints %d is negative", num_constraints);
    if (num_constraints > 0 && (!masks || !counts))
        return qs__null(__func__, masks ? "counts" : "masks");
    int n = h->nq;
    if (n < 1)
        return qs__fail(QS_EINVAL, __func__, "the sum acts on no qubit");
    if (n > QS_EIG_KRYLOV_MAX_QUBITS)
        return qs__fail(QS_ETOOBIG, __func__, "enumerating the sector of %d qubits (at most %d)",
                        n, QS_EIG_KRYLOV_MAX_QUBITS);
    uint64_t len = UINT64_C(1) << n;
    size_t D = 0;
    for (uint64_t b = 0; b < len; b++)
        D += (size_t)in_sector(b, num_constraints, masks, counts);
    if (D > QS_EIG_SECTOR_MAX_DIM)
        return qs__fail(QS_ETOOBIG, __func__, "the sector has %zu states (at most %d)", D,
                        QS_EIG_SECTOR_MAX_DIM);
    if (k < 1 || (size_t)k > D)
        return qs__fail(QS_EINVAL, __func__, "k %d not in [1, %zu] (states in the sector)", k, D);

    int real = 1;
    for (size_t t = 0; t < h->n; t++)
        real &= !(qs__popcount(h->x[t] & h->z[t]) & 1);
    size_t per = real ? 1 : 2;
    QS_TRY(qs__mem_check(__func__, (uint64_t)D * D * per * sizeof(double)));
    uint64_t *states = malloc(sizeof *states * D);
    double *a = calloc(D * D * per, sizeof *a);
    double *w = malloc(sizeof *w * D);
    lapack_int *isuppz = malloc(sizeof *isuppz * 2 * (size_t)k);
    qs_status st = QS_OK;
    if (!states || !a || !w || !isuppz) {
        st = qs__fail(QS_ENOMEM, __func__, "out of memory for a sector of %zu states", D);
        goto done;
    }
    size_t i = 0;
    for (uint64_t b = 0; b < len; b++)
        if (in_sector(b, num_constraints, masks, counts))
            states[i++] = b;
    static const double re[4] = {1, 0, -1, 0}, im[4] = {0, 1, 0, -1};
    for (size_t c = 0; c < D; c++)
        for (size_t t = 0; t < h->n; t++) {
            long r = find(states, D, states[c] ^ h->x[t]);
            if (r < 0)
                continue;
            int ny = qs__popcount(h->x[t] & h->z[t]) & 3;
            double s = qs__parity(states[c] & h->z[t]) ? -h->w[t] : h->w[t];
            size_t at = ((size_t)r * D + c) * per;
            a[at] += s * re[ny];
            if (!real)
                a[at + 1] += s * im[ny];
        }
    lapack_int m = 0, info, LD = (lapack_int)D;
    if (real)
        info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 'N', 'I', 'U', LD, a, LD, 0, 0, 1, k, 0, &m, w, w,
                              1, isuppz);
    else
        info = LAPACKE_zheevr(LAPACK_ROW_MAJOR, 'N', 'I', 'U', LD, (lapack_complex_double *)a, LD,
                              0, 0, 1, k, 0, &m, w, (lapack_complex_double *)a, 1, isuppz);
    if (info != 0 || m != k) {
        st = qs__fail(QS_ENOTCONV, __func__, "LAPACKE ?syevr/?heevr failed (info %d)", (int)info);
        goto done;
    }
    memcpy(evals, w, sizeof *evals * (size_t)k);
done:
    free(states);
    free(a);
    free(w);
    free(isuppz);
    return st;
}
