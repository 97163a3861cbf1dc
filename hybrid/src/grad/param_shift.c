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
 *
 * Density matrices (programs of qs_density_compile): a gate is two steps,
 * U on the ket and conj(U) on the bra (QS_STEP_PAIRED); alone, either is
 * no rotation of rho and the rule does not hold, so both are shifted
 * together (the bra's argument by the same amount times the sign relating
 * the two expressions), which gives rho the gate's own spectrum.
 *
 * Over ranks: the shifted arguments are items (par.h); every rank walks the
 * prefix but runs the shifts of its own arguments only, the derivatives are
 * gathered, and every rank then applies the chain rule to all of them in
 * circuit order, as one process does.
 */
#include "par/par.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The sign s with (argument a of step k+1) = s * (argument a of step k) as
 * functions of the parameters, from their gradients; 0 when argument a of
 * step k does not vary here. */
static qs_status pair_sign(const qs_program *p, size_t k, int a, const double *params,
                           size_t np, double *sign)
{
    double *g = calloc(2 * np + 2, sizeof *g);
    if (!g)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    qs_status st = qs_program_step_arg_grad(p, k, a, params, np, 1.0, g);
    if (st == QS_OK)
        st = qs_program_step_arg_grad(p, k + 1, a, params, np, 1.0, g + np + 1);
    *sign = 0;
    for (size_t j = 0; st == QS_OK && j < np && *sign == 0; j++)
        if (g[j] != 0)
            *sign = g[np + 1 + j] / g[j] < 0 ? -1 : 1;
    free(g);
    return st;
}

/* Walks the circuit once.  For the argument items it owns (item j: rank
 * j mod P, all items when P is 1), d[j] gets dE/dx; with chain set, the
 * derivatives d[] (of every item) flow to grad instead.  *nitems gets the
 * item count. */
static qs_status walk(const qh__shift *f, const double *params, qs_state *prefix, qs_state *s,
                      int rank, int P, double *d, int chain, double *grad, size_t *nitems)
{
    const qs_program *p = f->prog;
    size_t n = qs_program_num_steps(p), np = f->np, j = 0;
    if (!chain)
        QH_TRY(qs_state_set_basis(prefix, 0));
    for (size_t k = 0; k < n; k++) {
        unsigned flags = qs_program_step_flags(p, k);
        if (flags & QS_STEP_NONUNITARY)
            return QH_FAIL(QS_EUNSUPPORTED,
                           "step %zu measures, resets or is conditional: no shift rule", k);
        int pair = (flags & QS_STEP_PAIRED) && k + 1 < n;
        double args[4], bargs[4];
        int na = qs_program_step_num_args(p, k);
        if (na > 0 && !chain)
            QH_TRY(qs_program_step_args(p, k, params, np, args));
        if (pair && na > 0 && !chain)
            QH_TRY(qs_program_step_args(p, k + 1, params, np, bargs));
        for (int a = 0; a < na && (flags & QS_STEP_PARAMETERIZED); a++) {
            int used, R;
            double wt, sign = 1;
            QH_TRY(qs_program_step_arg_params(p, k, a, NULL, 0, &used));
            if (used == 0)
                continue;
            if (pair) {
                QH_TRY(pair_sign(p, k, a, params, np, &sign));
                if (sign == 0)
                    continue;   /* d(argument)/d(parameters) = 0 here */
            }
            QH_TRY(qs_program_step_arg_spectrum(p, k, a, &wt, &R));
            size_t item = j++;
            if (chain) {
                QH_TRY(qs_program_step_arg_grad(p, k, a, params, np, wt * d[item], grad));
                continue;
            }
            if (item % (size_t)P != (size_t)rank)
                continue;
            double sum = 0;
            for (int mu = 1; mu <= 2 * R; mu++) {
                double xm = (2 * mu - 1) * M_PI / (2 * R), sh[4], e, sn = sin(xm / 2);
                memcpy(sh, args, sizeof sh);
                sh[a] += xm / wt;
                QH_TRY(qs_state_assign(s, prefix));
                QH_TRY(qs_program_step_apply(p, k, sh, 0, s));
                if (pair) {
                    double bsh[4];
                    memcpy(bsh, bargs, sizeof bsh);
                    bsh[a] += sign * xm / wt;
                    QH_TRY(qs_program_step_apply(p, k + 1, bsh, 0, s));
                }
                QH_TRY(qs_program_run_range(p, params, np, k + 1 + (size_t)pair, n, 0, s));
                QH_TRY(f->expect(f->ctx, s, &e));
                sum += (mu % 2 ? e : -e) / (4 * R * sn * sn);
            }
            d[item] = sum;
        }
        if (!chain)
            QH_TRY(qs_program_step_apply(p, k, args, 0, prefix));
        if (pair) {   /* the bra step goes with its ket */
            if (!chain && na > 0)
                QH_TRY(qs_program_step_apply(p, k + 1, bargs, 0, prefix));
            else if (!chain)
                QH_TRY(qs_program_run_range(p, params, np, k + 1, k + 2, 0, prefix));
            k++;
        }
    }
    *nitems = j;
    return QS_OK;
}

static qs_status objective_expect(void *o, const qs_state *s, double *value)
{
    return qh__objective_expect(o, s, value);
}

qs_status qh__grad_shift(qh_objective *o, const double *params, qh__slot *w, int spread,
                         double *value, double *grad)
{
    qh__shift sh = {o->prog, (size_t)o->np, objective_expect, o};
    int P = spread ? qh__item_ranks(&o->ws) : 1, rank = P > 1 ? qh_comm_rank() : 0;
    size_t np = (size_t)o->np, n = qs_program_num_steps(o->prog), cap = 0, count = 0;
    /* at most 4 arguments a step */
    double *d = malloc(sizeof *d * (4 * n + 1)), *mine = NULL;
    qs_status st = d ? QS_OK : QH_FAIL(QS_ENOMEM, "out of memory");
    if (st == QS_OK)
        st = walk(&sh, params, w->s[0], w->s[1], rank, P, d, 0, NULL, &count);
    if (st == QS_OK && value)
        st = qh__objective_expect(o, w->s[0], value);
    if (P > 1) {
        /* this rank's derivatives in turn, then all of them in order */
        cap = qh__par_count(count, rank, P);
        mine = malloc(sizeof *mine * (cap ? cap : 1));
        if (st == QS_OK && !mine)
            st = QH_FAIL(QS_ENOMEM, "out of memory");
        for (size_t i = 0; st == QS_OK && i < cap; i++)
            mine[i] = d[(size_t)rank + i * (size_t)P];
        st = qh__comm_gather(st, mine, count, 1, d);
    }
    if (st == QS_OK && np > 0)
        memset(grad, 0, sizeof *grad * np);
    if (st == QS_OK)
        st = walk(&sh, params, w->s[0], w->s[1], rank, P, d, 1, grad, &count);
    free(mine);
    free(d);
    return st;
}

qs_status qh__shift_gradient(const qh__shift *sh, const double *params, qs_state *prefix,
                             qs_state *s, double *grad)
{
    size_t n = qs_program_num_steps(sh->prog), count = 0;
    double *d = malloc(sizeof *d * (4 * n + 1));
    qs_status st = d ? QS_OK : QH_FAIL(QS_ENOMEM, "out of memory");
    if (st == QS_OK)
        st = walk(sh, params, prefix, s, 0, 1, d, 0, NULL, &count);
    if (st == QS_OK && sh->np > 0)
        memset(grad, 0, sizeof *grad * sh->np);
    if (st == QS_OK)
        st = walk(sh, params, prefix, s, 0, 1, d, 1, grad, &count);
    free(d);
    return st;
}
