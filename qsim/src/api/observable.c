/*
 * observable.c - public entry points for expectation values of Pauli
 * strings and sums and of real diagonals, and for applying a Pauli sum to
 * a state.
 */
#include "core/check.h"
#include "core/error.h"
#include "ir/lower.h"
#include "ir/pauli_impl.h"
#include "loc/loc.h"

static qs_status check_sum(const char *func, const qs_state *s, const qs_pauli_sum *h,
                           const qs__pgroups **g)
{
    QS_CHECK_NULL(func, s);
    QS_CHECK_NULL(func, h);
    if (h->nq > s->nq)
        return qs__fail(QS_EINVAL, func, "a %d-qubit sum on a %d-qubit state", h->nq, s->nq);
    *g = qs__pauli_groups(h);
    if (!*g)
        return qs__fail(QS_ENOMEM, func, "out of memory");
    return QS_OK;
}

QS_API qs_status qs_state_expect(const qs_state *s, const qs_pauli_sum *h, double *out)
{
    const qs__pgroups *g = NULL;
    QS_TRY(check_sum(__func__, s, h, &g));
    QS_CHECK_NULL(__func__, out);
    return qs__loc_expect(s, g, out);
}

QS_API qs_status qs_state_expect_pauli(const qs_state *s, const int *qubits, const char *paulis,
                                       int n, double *out)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, out);
    uint64_t x, z;
    int ny;
    QS_TRY(qs__pauli_masks(__func__, s->nq, qubits, paulis, n, &x, &z, &ny));
    static const double re[4] = {1, 0, -1, 0}, im[4] = {0, 1, 0, -1};
    size_t start[2] = {0, 1};
    double coef[2] = {re[ny & 3], im[ny & 3]};
    qs__pgroups g = {1, &x, start, &z, coef};
    return qs__loc_expect(s, &g, out);
}

QS_API qs_status qs_state_expect_diagonal(const qs_state *s, const double *values, double *out)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, values);
    QS_CHECK_NULL(__func__, out);
    return qs__loc_expect_diag_real(s, values, s->nq, out);
}

QS_API qs_status qs_pauli_sum_apply(const qs_pauli_sum *h, const qs_state *in, qs_state *out)
{
    const qs__pgroups *g = NULL;
    QS_TRY(check_sum(__func__, in, h, &g));
    QS_CHECK_NULL(__func__, out);
    if (out == in)
        return qs__fail(QS_EINVAL, __func__, "out must be another state than in");
    QS_TRY(qs__loc_same(__func__, in, out, 0));
    return qs__loc_apply_pgroups(in, out, g);
}
