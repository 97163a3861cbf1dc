/*
 * unitary.c - the dense unitary of a small circuit: the circuit runs once
 * on a 2n-qubit state holding the identity (low n qubits = row, high n =
 * column), which applies it to every column at once.
 */
#include "api/state_impl.h"
#include "core/check.h"
#include "core/error.h"
#include "ir/program_impl.h"

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
            c->ins[i].has_cond || c->ins[i].kind == QS__I_STORE || c->ins[i].kind == QS__I_FAIL)
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
    if (st == QS_OK) {
        double one[2] = {1, 0};
        s->sv.k->set_basis(&s->sv, 0);
        for (uint64_t j = 1; j < D; j++)
            s->sv.k->set_amps(&s->sv, j + (j << n), 1, one);
        st = qs_program_run(p, params, num_params, s, NULL, bits);
    }
    if (st == QS_OK) {
        /* amplitude (row r, column col) sits at index r + col * 2^n */
        const double *a = s->sv.amps;
        for (uint64_t r = 0; r < D; r++)
            for (uint64_t col = 0; col < D; col++) {
                out[2 * (r * D + col)] = a[2 * (r + (col << n))];
                out[2 * (r * D + col) + 1] = a[2 * (r + (col << n)) + 1];
            }
    }
    qs_state_destroy(s);
    qs_program_destroy(p);
    free(bits);
    return st;
}
