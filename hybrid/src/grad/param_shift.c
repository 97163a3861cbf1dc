/*
 * param_shift.c - gradients by parameter-shift rules.
 *
 * Shift rules: with everything else fixed, E is a trigonometric
 * polynomial of degree R in w x for the argument x of a step, with (w, R)
 * from qs_program_step_arg_spectrum() (R = 1 for Pauli rotations, R = 2
 * with w = 1/2 for controlled rotations, whose generators have eigenvalue
 * gaps 1/2 and 1).  Its derivative is exact from 2R shifted evaluations
 * (Wierichs et al. 2022, equidistant frequencies):
 *   dE/dx = w sum_{mu=1..2R} (-1)^{mu-1} E(x + x_mu / w) / (4R sin^2(x_mu/2)),
 *   x_mu = (2 mu - 1) pi / (2R),
 * which for R = 1 is the familiar (E(x + pi/2) - E(x - pi/2)) / 2.  Each
 * argument's derivative then flows through its expression to the
 * parameters.  The prefix of the circuit before the shifted step is run
 * once and copied; only the suffix runs per shift.
 */
#include "hybrid_impl.h"

#include <math.h>
#include <string.h>

/* The sign s with (bra argument a of step k+1) = s * (argument a of step
 * k) as functions of the parameters, from their gradients; 0 when
 * argument a of step k does not vary here. */
static qs_status pair_sign(const qs_program *p, size_t k, int a, const double *params,
                           size_t np, double *gk, double *gb, double *sign)
{
    memset(gk, 0, sizeof *gk * np);
    memset(gb, 0, sizeof *gb * np);
    QH_TRY(qs_program_step_arg_grad(p, k, a, params, np, 1.0, gk));
    QH_TRY(qs_program_step_arg_grad(p, k + 1, a, params, np, 1.0, gb));
    *sign = 0;
    for (size_t j = 0; j < np && *sign == 0; j++)
        if (gk[j] != 0)
            *sign = gb[j] / gk[j] < 0 ? -1 : 1;
    return QS_OK;
}

qs_status qh__grad_shift(qh_objective *o, const double *params, int t, double *value,
                         double *grad)
{
    qs_state **ws;
    QH_TRY(qh__objective_slot(o, t, &ws));
    qs_state *prefix = ws[0], *s = ws[1];
    const qs_program *p = o->prog;
    size_t n = qs_program_num_steps(p), np = (size_t)o->np;
    double gk[np + 1], gb[np + 1];
    if (np > 0)
        memset(grad, 0, sizeof *grad * np);
    QH_TRY(qs_state_set_basis(prefix, 0));
    for (size_t k = 0; k < n; k++) {
        unsigned flags = qs_program_step_flags(p, k);
        if (flags & QS_STEP_NONUNITARY)
            return QH_FAIL(QS_EUNSUPPORTED,
                           "step %zu measures, resets or is conditional: no shift rule", k);
        /* A density program's gate is two steps, U on the ket and conj(U)
         * on the bra: shifted together, rho sees the gate's own spectrum. */
        int pair = (flags & QS_STEP_PAIRED) && k + 1 < n;
        double args[4], bargs[4];
        int na = qs_program_step_num_args(p, k);
        if (na > 0)
            QH_TRY(qs_program_step_args(p, k, params, np, args));
        if (pair && na > 0)
            QH_TRY(qs_program_step_args(p, k + 1, params, np, bargs));
        for (int a = 0; a < na && (flags & QS_STEP_PARAMETERIZED); a++) {
            int used, R;
            double w, sign = 1;
            QH_TRY(qs_program_step_arg_params(p, k, a, NULL, 0, &used));
            if (used == 0)
                continue;
            if (pair) {
                QH_TRY(pair_sign(p, k, a, params, np, gk, gb, &sign));
                if (sign == 0)
                    continue;   /* d(argument)/d(parameters) = 0 here */
            }
            QH_TRY(qs_program_step_arg_spectrum(p, k, a, &w, &R));
            double d = 0;
            for (int mu = 1; mu <= 2 * R; mu++) {
                double xm = (2 * mu - 1) * M_PI / (2 * R), sh[4], bsh[4], e, sn = sin(xm / 2);
                memcpy(sh, args, sizeof sh);
                sh[a] += xm / w;
                QH_TRY(qs_state_assign(s, prefix));
                QH_TRY(qs_program_step_apply(p, k, sh, 0, s));
                if (pair) {
                    memcpy(bsh, bargs, sizeof bsh);
                    bsh[a] += sign * xm / w;
                    QH_TRY(qs_program_step_apply(p, k + 1, bsh, 0, s));
                }
                QH_TRY(qs_program_run_range(p, params, np, k + 1 + (size_t)pair, n, 0, s));
                QH_TRY(qh__objective_expect(o, s, &e));
                d += (mu % 2 ? e : -e) / (4 * R * sn * sn);
            }
            QH_TRY(qs_program_step_arg_grad(p, k, a, params, np, w * d, grad));
        }
        QH_TRY(qs_program_step_apply(p, k, args, 0, prefix));
        if (pair) {   /* the bra step: done with its ket */
            if (na > 0)
                QH_TRY(qs_program_step_apply(p, k + 1, bargs, 0, prefix));
            else
                QH_TRY(qs_program_run_range(p, params, np, k + 1, k + 2, 0, prefix));
            k++;
        }
    }
    return value ? qh__objective_expect(o, prefix, value) : QS_OK;
}
