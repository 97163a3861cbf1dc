/*
 * finite_diff.c - gradients by central differences, for checks:
 * (E(x + h e_j) - E(x - h e_j)) / 2h per parameter, two runs each.  With
 * the default h = 1e-6 the error is about h^2 |E'''| / 6 + eps |E| / h,
 * near 1e-10 for energies of order one.
 */
#include "hybrid_impl.h"

#include <stdlib.h>
#include <string.h>

qs_status qh__grad_fd(qh_objective *o, const double *params, int t, double *value,
                      double *grad)
{
    qs_state **ws;
    QH_TRY(qh__objective_slot(o, t, &ws));
    size_t np = (size_t)o->np;
    double *x = malloc(sizeof *x * (np ? np : 1));
    if (!x)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    if (np > 0)
        memcpy(x, params, sizeof *x * np);
    qs_status st = QS_OK;
    for (size_t j = 0; j < np && st == QS_OK; j++) {
        double ep = 0, em = 0, h = o->fd_step;
        x[j] = params[j] + h;
        st = qh__objective_run(o, x, t, ws[0]);
        if (st == QS_OK)
            st = qh__objective_expect(o, ws[0], &ep);
        x[j] = params[j] - h;
        if (st == QS_OK)
            st = qh__objective_run(o, x, t, ws[0]);
        if (st == QS_OK)
            st = qh__objective_expect(o, ws[0], &em);
        x[j] = params[j];
        grad[j] = (ep - em) / (2 * h);
    }
    free(x);
    if (st != QS_OK || !value)
        return st;
    QH_TRY(qh__objective_run(o, params, t, ws[0]));
    return qh__objective_expect(o, ws[0], value);
}
