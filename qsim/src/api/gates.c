/*
 * gates.c - public entry points for the gate table and for applying gates,
 * matrices, diagonals, permutations, Pauli strings and real diagonals
 * given by one value per basis state to a state.
 */
#include "core/check.h"
#include "core/error.h"
#include "ir/lower.h"
#include "loc/loc.h"

#include <math.h>
#include <string.h>

static int valid(qs_gate g) { return (int)g >= 0 && g < QS_NUM_GATES; }

QS_API qs_status qs_gate_lookup(const char *name, qs_gate *out)
{
    QS_CHECK_NULL(__func__, name);
    QS_CHECK_NULL(__func__, out);
    for (int g = 0; g < QS_NUM_GATES; g++)
        if (strcmp(qs__gates[g].name, name) == 0) {
            *out = (qs_gate)g;
            return QS_OK;
        }
    return qs__fail(QS_EINVAL, __func__, "no gate named '%s'", name);
}

QS_API const char *qs_gate_name(qs_gate g) { return valid(g) ? qs__gates[g].name : NULL; }
QS_API int qs_gate_num_qubits(qs_gate g) { return valid(g) ? qs__gates[g].nc + qs__gates[g].nt : -1; }
QS_API int qs_gate_num_controls(qs_gate g) { return valid(g) ? qs__gates[g].nc : -1; }
QS_API int qs_gate_num_params(qs_gate g) { return valid(g) ? qs__gates[g].np : -1; }

QS_API qs_status qs_gate_matrix(qs_gate g, const double *params, double *out)
{
    if (!valid(g))
        return qs__fail(QS_EINVAL, __func__, "gate %d is not a gate", (int)g);
    if (qs__gates[g].np > 0 && !params)
        return qs__null(__func__, "params");
    QS_CHECK_NULL(__func__, out);
    qs__gmat gm;
    qs__gate_build(g, params, &gm);
    int nc = qs__gates[g].nc, nt = gm.nt, dt = 1 << nt, D = 1 << (nc + nt);
    double base[2 << (2 * QS__GATE_MAX_T)];
    qs__gmat_dense(&gm, base);
    /* Controls are the low nc bits; the base acts on the high bits when all
     * controls are 1, identity otherwise. */
    int cm = (1 << nc) - 1;
    memset(out, 0, sizeof(double) * 2 * (size_t)D * (size_t)D);
    for (int r = 0; r < D; r++)
        for (int c = 0; c < D; c++) {
            if ((r & cm) != (c & cm))
                continue;
            if ((c & cm) == cm) {
                int br = r >> nc, bc = c >> nc;
                out[2 * (r * D + c)] = base[2 * (br * dt + bc)];
                out[2 * (r * D + c) + 1] = base[2 * (br * dt + bc) + 1];
            } else if (r == c) {
                out[2 * (r * D + c)] = 1;
            }
        }
    return QS_OK;
}

/* Control masks from explicit controls; adds them to *used. */
static qs_status control_masks(const char *func, int nq, const int *controls,
                               const int *values, int nc, uint64_t *used,
                               uint64_t *cmask, uint64_t *cval)
{
    if (nc < 0)
        return qs__fail(QS_EINVAL, func, "num_controls %d is negative", nc);
    QS_TRY(qs__check_qubits(func, nq, "control", controls, nc, used));
    *cmask = *cval = 0;
    for (int i = 0; i < nc; i++) {
        int v = values ? values[i] : 1;
        if (v != 0 && v != 1)
            return qs__fail(QS_EINVAL, func, "control_values[%d] is %d, expected 0 or 1", i, v);
        *cmask |= UINT64_C(1) << controls[i];
        if (v)
            *cval |= UINT64_C(1) << controls[i];
    }
    return QS_OK;
}

static qs_status apply_gate(const char *func, qs_state *s, const int *controls,
                            const int *values, int ncontrols, qs_gate g,
                            const int *qubits, const double *params)
{
    QS_CHECK_NULL(func, s);
    if (!valid(g))
        return qs__fail(QS_EINVAL, func, "gate %d is not a gate", (int)g);
    const qs__gate_info *gi = &qs__gates[g];
    if (gi->np > 0 && !params)
        return qs__null(func, "params");
    uint64_t used = 0, cmask, cval;
    QS_TRY(control_masks(func, s->nq, controls, values, ncontrols, &used, &cmask, &cval));
    QS_TRY(qs__check_qubits(func, s->nq, "control", qubits, gi->nc, &used));
    QS_TRY(qs__check_qubits(func, s->nq, "target", qubits + gi->nc, gi->nt, &used));
    for (int i = 0; i < gi->np; i++)
        if (!isfinite(params[i]))
            return qs__fail(QS_EINVAL, func, "parameter %d of %s is %g", i, gi->name, params[i]);
    for (int i = 0; i < gi->nc; i++) {
        cmask |= UINT64_C(1) << qubits[i];
        cval |= UINT64_C(1) << qubits[i];
    }
    qs__gmat gm;
    qs__op op;
    qs__gate_build(g, params, &gm);
    qs__lower_gmat(&gm, qubits + gi->nc, cmask, cval, &op);
    return qs__loc_apply(s, &op);
}

QS_API qs_status qs_state_apply_gate(qs_state *s, qs_gate g, const int *qubits,
                                     const double *params)
{
    return apply_gate(__func__, s, NULL, NULL, 0, g, qubits, params);
}

QS_API qs_status qs_state_apply_controlled_gate(qs_state *s, const int *controls,
                                                const int *control_values, int num_controls,
                                                qs_gate g, const int *qubits,
                                                const double *params)
{
    return apply_gate(__func__, s, controls, control_values, num_controls, g, qubits, params);
}

/* Shared checks of the matrix-like entry points; fills op's targets and
 * controls. */
static qs_status matrix_op(const char *func, qs_state *s, const int *targets, int nt,
                           const int *controls, const int *values, int nc,
                           const void *data, qs__op *op)
{
    QS_CHECK_NULL(func, s);
    if (nt < 1 || nt > QS_MAX_TARGETS)
        return qs__fail(QS_EINVAL, func, "num_targets %d not in [1, %d]", nt, QS_MAX_TARGETS);
    if (!data)
        return qs__null(func, "matrix");
    memset(op, 0, sizeof *op);
    uint64_t used = 0;
    QS_TRY(control_masks(func, s->nq, controls, values, nc, &used, &op->cmask, &op->cval));
    QS_TRY(qs__check_qubits(func, s->nq, "target", targets, nt, &used));
    op->nt = nt;
    memcpy(op->targets, targets, sizeof(int) * (size_t)nt);
    return QS_OK;
}

QS_API qs_status qs_state_apply_matrix(qs_state *s, const int *targets, int num_targets,
                                       const int *controls, const int *control_values,
                                       int num_controls, const double *matrix)
{
    qs__op op;
    QS_TRY(matrix_op(__func__, s, targets, num_targets, controls, control_values, num_controls,
                     matrix, &op));
    op.kind = QS__OP_DENSE;
    op.m = matrix;
    return qs__loc_apply(s, &op);
}

QS_API qs_status qs_state_apply_diagonal(qs_state *s, const int *targets, int num_targets,
                                         const int *controls, const int *control_values,
                                         int num_controls, const double *diag)
{
    qs__op op;
    QS_TRY(matrix_op(__func__, s, targets, num_targets, controls, control_values, num_controls,
                     diag, &op));
    op.kind = QS__OP_DIAG;
    op.m = diag;
    return qs__loc_apply(s, &op);
}

QS_API qs_status qs_state_apply_permutation(qs_state *s, const int *targets, int num_targets,
                                            const int *controls, const int *control_values,
                                            int num_controls, const uint32_t *perm,
                                            const double *phases)
{
    qs__op op;
    QS_TRY(matrix_op(__func__, s, targets, num_targets, controls, control_values, num_controls,
                     perm, &op));
    uint32_t d = 1u << num_targets, seen = 0;
    for (uint32_t j = 0; j < d; j++) {
        if (perm[j] >= d || (seen & (1u << perm[j])))
            return qs__fail(QS_EINVAL, __func__, "perm is not a permutation of 0..%u (perm[%u] = %u)",
                            d - 1, j, perm[j]);
        seen |= 1u << perm[j];
        op.perm[j] = perm[j];
    }
    op.kind = QS__OP_PERM;
    op.m = phases;
    return qs__loc_apply(s, &op);
}

static qs_status apply_pauli(const char *func, qs_state *s, const int *qubits,
                             const char *paulis, int n, const double a[2], const double b[2])
{
    QS_CHECK_NULL(func, s);
    uint64_t x, z;
    int ny;
    QS_TRY(qs__pauli_masks(func, s->nq, qubits, paulis, n, &x, &z, &ny));
    qs__op op;
    qs__lower_pauli(x, z, ny, a, b, &op);
    return qs__loc_apply(s, &op);
}

QS_API qs_status qs_state_apply_pauli_rotation(qs_state *s, const int *qubits,
                                               const char *paulis, int n, double theta)
{
    if (!isfinite(theta))
        return qs__fail(QS_EINVAL, __func__, "theta is %g", theta);
    double a[2] = {cos(theta / 2), 0}, b[2] = {0, -sin(theta / 2)};
    return apply_pauli(__func__, s, qubits, paulis, n, a, b);
}

QS_API qs_status qs_state_apply_pauli(qs_state *s, const int *qubits, const char *paulis, int n)
{
    double a[2] = {0, 0}, b[2] = {1, 0};
    return apply_pauli(__func__, s, qubits, paulis, n, a, b);
}

QS_API qs_status qs_state_apply_diagonal_exp(qs_state *s, const double *values, double t)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, values);
    if (!isfinite(t))
        return qs__fail(QS_EINVAL, __func__, "t is %g", t);
    const double one[2] = {1, 0};
    return qs__loc_diag_real(s, values, s->nq, t, one, 0);
}

QS_API qs_status qs_state_apply_real_diagonal(qs_state *s, const double *values)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, values);
    const double one[2] = {1, 0};
    return qs__loc_diag_real(s, values, s->nq, 0, one, 1);
}
