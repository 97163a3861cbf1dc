/*
 * adjoint.c - adjoint differentiation (Jones & Gacon 2020; qulacs'
 * backprop_inner_product): one backward sweep over the program with three
 * state vectors.
 *
 * With psi = U_N ... U_1 psi0, phi_k = U_k ... U_1 psi0 and
 * lambda_k = U_{k+1}^dag ... U_N^dag O psi, the derivative of
 * E = <psi|O|psi> with respect to argument x of step k is
 *   dE/dx = 2 Re <lambda_k | dU_k/dx | phi_{k-1}>,
 * and the chain rule through the argument's expression spreads it over the
 * parameters.  The sweep walks k = N..1, turning phi_k into phi_{k-1} and
 * lambda_k into lambda_{k-1} with one adjoint step each.  Uses the step
 * primitives of qsim.h only.
 */
#include "hybrid_impl.h"

#include <string.h>

/* The first step with a parameterized argument, or n. */
static size_t first_parameterized(const qs_program *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (qs_program_step_flags(p, k) & QS_STEP_PARAMETERIZED)
            return k;
    return n;
}

QH_API qs_status qh_grad_adjoint(const qs_program *p, const double *params, size_t num_params,
                                 qs_state *phi, qs_state *lambda, qs_state *work, double *grad)
{
    QH_CHECK_NULL(p);
    QH_CHECK_NULL(phi);
    QH_CHECK_NULL(lambda);
    QH_CHECK_NULL(work);
    if (num_params != (size_t)qs_program_num_params(p))
        return QH_FAIL(QS_EINVAL, "%zu parameter values for a program of %d", num_params,
                       qs_program_num_params(p));
    if (num_params > 0) {
        QH_CHECK_NULL(params);
        QH_CHECK_NULL(grad);
    }
    if (phi == lambda || phi == work || lambda == work)
        return QH_FAIL(QS_EINVAL, "phi, lambda and work must be three different states");
    size_t n = qs_program_num_steps(p);
    for (size_t k = 0; k < n; k++)
        if (qs_program_step_flags(p, k) & QS_STEP_NONUNITARY)
            return QH_FAIL(QS_EUNSUPPORTED,
                           "the adjoint method needs a circuit without measurement or reset "
                           "(step %zu measures, resets or is conditional)", k);
    if (num_params > 0)
        memset(grad, 0, sizeof *grad * num_params);
    size_t stop = first_parameterized(p, n);
    for (size_t k = n; k-- > stop;) {
        double args[4];
        int na = qs_program_step_num_args(p, k);
        if (na > 0)
            QH_TRY(qs_program_step_args(p, k, params, num_params, args));
        QH_TRY(qs_program_step_apply(p, k, args, QS_RUN_ADJOINT, phi));
        if (qs_program_step_flags(p, k) & QS_STEP_PARAMETERIZED)
            for (int a = 0; a < na; a++) {
                int used;
                QH_TRY(qs_program_step_arg_params(p, k, a, NULL, 0, &used));
                if (used == 0)
                    continue;
                double ip[2];
                QH_TRY(qs_state_assign(work, phi));
                QH_TRY(qs_program_step_apply_derivative(p, k, a, args, work));
                QH_TRY(qs_state_inner(lambda, work, ip));
                QH_TRY(qs_program_step_arg_grad(p, k, a, params, num_params, 2 * ip[0], grad));
            }
        if (k > stop)
            QH_TRY(qs_program_step_apply(p, k, args, QS_RUN_ADJOINT, lambda));
    }
    return QS_OK;
}
