/*
 * unitary.c - the dense unitary of a small circuit: the circuit runs once
 * on a 2n-qubit state holding the identity (low n qubits = row, high n =
 * column), which applies it to every column at once.  It uses only the
 * public state calls, so it works on any backend or distribution.
 */
#include "core/check.h"
#include "core/error.h"
#include "ir/circuit_impl.h"

#include <stdlib.h>

#define MAX_UNITARY_QUBITS 12

QS_API qs_status qs_circuit_unitary(const qs_circuit *c, const double *params, size_t num_params,
                                    double *out)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, out);
    int n = c->nq;
    if (n < 1 || n > MAX_UNITARY_QUBITS)
        return qs__fail(n < 1 ? QS_EINVAL : QS_ETOOBIG, __func__,
                        "the unitary of a %d-qubit circuit (1 to %d supported)", n,
                        MAX_UNITARY_QUBITS);
    for (size_t i = 0; i < c->n; i++)
        if (c->ins[i].kind == QS__I_MEASURE || c->ins[i].kind == QS__I_RESET ||
            c->ins[i].has_cond)
            return qs__fail(QS_EUNSUPPORTED, __func__,
                            "operation %zu measures, resets or is conditional: no unitary", i);
    qs_program *p = NULL;
    qs_state *s = NULL;
    unsigned char *bits = calloc((size_t)c->nc + 1, 1);
    if (!bits)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    qs_status st = qs_program_compile(c, 0, &p);
    if (st == QS_OK)
        st = qs_state_create(2 * n, QS_STATE_DEFAULT, &s);
    uint64_t D = UINT64_C(1) << n;
    double one[2] = {1, 0};
    for (uint64_t j = 1; j < D && st == QS_OK; j++)
        st = qs_state_set_amps(s, j + (j << n), 1, one);
    if (st == QS_OK)
        st = qs_program_run(p, params, num_params, s, NULL, bits);
    /* Amplitude (row r, column col) sits at index r + col * 2^n: column
     * col is the run of D amplitudes from col * 2^n, read into out's
     * column (out is row-major). */
    double *column = st == QS_OK ? malloc(sizeof(double) * 2 * D) : NULL;
    if (st == QS_OK && !column)
        st = qs__fail(QS_ENOMEM, __func__, "out of memory");
    for (uint64_t col = 0; col < D && st == QS_OK; col++) {
        st = qs_state_get_amps(s, col << n, D, column);
        for (uint64_t r = 0; r < D && st == QS_OK; r++) {
            out[2 * (r * D + col)] = column[2 * r];
            out[2 * (r * D + col) + 1] = column[2 * r + 1];
        }
    }
    free(column);
    qs_state_destroy(s);
    qs_program_destroy(p);
    free(bits);
    return st;
}
