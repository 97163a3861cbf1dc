/*
 * finite_diff.c - gradients by central differences, for checks:
 * (E(x + h e_j) - E(x - h e_j)) / 2h per parameter, two runs each.  With
 * the default h = 1e-6 the error is about h^2 |E'''| / 6 + eps |E| / h,
 * near 1e-10 for energies of order one.  The 2 n runs are items (par.h),
 * spread over the ranks for a gradient of its own.
 */
#include "par/par.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    qh_objective *o;
    const double *params;
    double *x;          /* one vector: items run in turn on one thread */
} fd_ctx;

/* Item 2j: E(x + h e_j); item 2j + 1: E(x - h e_j). */
static qs_status fd_item(void *ctx, size_t i, qh__slot *w, double *rec)
{
    fd_ctx *c = ctx;
    size_t j = i / 2;
    double h = c->o->fd_step;
    c->x[j] = c->params[j] + (i % 2 ? -h : h);
    qs_status st = qh__objective_value(c->o, c->x, w, rec, NULL);
    c->x[j] = c->params[j];
    return st;
}

qs_status qh__grad_fd(qh_objective *o, const double *params, qh__slot *w, int spread,
                      double *value, double *grad)
{
    size_t np = (size_t)o->np;
    double *x = malloc(sizeof *x * (np ? np : 1)), *e = malloc(sizeof *e * (2 * np + 1));
    fd_ctx c = {o, params, x};
    qs_status st = x && e ? QS_OK : QH_FAIL(QS_ENOMEM, "out of memory");
    if (st == QS_OK && np > 0)
        memcpy(x, params, sizeof *x * np);
    if (spread && st != QS_OK) {
        st = qh_comm_agree(st, NULL);   /* where the others agree in qh__spread */
    } else if (spread) {
        /* on this thread, in slot 0 of the objective's workspace (w) */
        st = qh__spread(&o->ws, 2 * np, 1, 1, fd_item, &c, e);
    } else {
        for (size_t i = 0; i < 2 * np && st == QS_OK; i++)
            st = fd_item(&c, i, w, &e[i]);
    }
    for (size_t j = 0; j < np && st == QS_OK; j++)
        grad[j] = (e[2 * j] - e[2 * j + 1]) / (2 * o->fd_step);
    free(x);
    free(e);
    if (st != QS_OK || !value)
        return st;
    return qh__objective_value(o, params, w, value, NULL);
}
