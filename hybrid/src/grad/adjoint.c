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
 * parameters.  The core's qs_program_backprop() is that sweep (it runs the
 * program's cache-blocked schedule backwards on both states at once); this
 * file checks the arguments and takes 2 Re.
 */
#include "hybrid_impl.h"

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
    QH_TRY(qs_program_backprop(p, params, num_params, phi, lambda, work, grad, NULL));
    for (size_t j = 0; j < num_params; j++)
        grad[j] *= 2;
    return QS_OK;
}
