/*
 * gsl_bfgs.c - BFGS through GSL: gsl_multimin_fdfminimizer_vector_bfgs2
 * (Fletcher's line search with a memoryless BFGS update).
 *
 * GSL's callbacks return a double, so an adapter keeps the real status of
 * a failed evaluation (STYLE 2.3): it hands GSL a large finite value and a
 * zero gradient (never NaN, which some GSL paths treat as a fatal error),
 * evaluates nothing more, and the status is returned once GSL's iterate
 * comes back.  GSL asks for f, df and fdf at the same point in turn; a
 * one-point cache answers the repeats.  The minimizer's state is private to
 * GSL, so checkpoints replay the evaluation log (QH__OPT_REPLAY).
 */
#include "opt/opt_impl.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    gsl_multimin_fdfminimizer *m;
    gsl_multimin_function_fdf fn;
    gsl_vector *x;
    double step, tol;
    qh_optimizer *o;
    qs_status st;
    double *cx, *cg, cf;
    int cached, cached_g;
} bfgs_state;

/* f (and g) at x through the cache; on failure keeps the status. */
static double eval(bfgs_state *s, const gsl_vector *x, gsl_vector *g)
{
    size_t n = s->o->n;
    if (s->st != QS_OK)
        goto failed;
    if (!(s->cached && memcmp(s->cx, x->data, sizeof *s->cx * n) == 0 && (s->cached_g || !g))) {
        s->st = qh__opt_eval(s->o, x->data, &s->cf, g ? s->cg : NULL);
        if (s->st != QS_OK)
            goto failed;
        memcpy(s->cx, x->data, sizeof *s->cx * n);
        s->cached = 1;
        s->cached_g = g != NULL;
    }
    if (g)
        memcpy(g->data, s->cg, sizeof *s->cg * n);
    return s->cf;
failed:
    s->cached = 0;
    if (g)
        gsl_vector_set_zero(g);
    return DBL_MAX;
}

static double fn_f(const gsl_vector *x, void *p) { return eval(p, x, NULL); }
static void fn_df(const gsl_vector *x, void *p, gsl_vector *g) { eval(p, x, g); }
static void fn_fdf(const gsl_vector *x, void *p, double *f, gsl_vector *g) { *f = eval(p, x, g); }

static qs_status bfgs_alloc(void *vs, size_t n)
{
    bfgs_state *s = vs;
    s->step = 0.01;
    s->tol = 0.1;
    s->m = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, n);
    s->x = gsl_vector_alloc(n);
    s->cx = malloc(sizeof *s->cx * n);
    s->cg = malloc(sizeof *s->cg * n);
    if (!s->m || !s->x || !s->cx || !s->cg)
        return qs_set_error(QS_ENOMEM, "qh_optimizer_alloc", "out of memory");
    s->fn = (gsl_multimin_function_fdf){fn_f, fn_df, fn_fdf, n, s};
    return QS_OK;
}

static void take(bfgs_state *s, qh_optimizer *o)
{
    memcpy(o->x, s->m->x->data, sizeof *o->x * o->n);
    memcpy(o->g, s->m->gradient->data, sizeof *o->g * o->n);
    o->f = s->m->f;
}

static qs_status bfgs_set(void *vs, qh_optimizer *o)
{
    bfgs_state *s = vs;
    s->o = o;
    s->st = QS_OK;
    s->cached = 0;
    memcpy(s->x->data, o->x, sizeof *o->x * o->n);
    int gst = gsl_multimin_fdfminimizer_set(s->m, &s->fn, s->x, s->step, s->tol);
    QH_TRY(qh__opt_gsl_result(s->st, gst, "qh_optimizer_set"));
    take(s, o);
    return QS_OK;
}

static qs_status bfgs_iterate(void *vs, qh_optimizer *o)
{
    bfgs_state *s = vs;
    int gst = gsl_multimin_fdfminimizer_iterate(s->m);
    if (gst == GSL_ENOPROG && s->st == QS_OK && o->gnorm > o->gtol) {
        /* The line search found nothing along the BFGS direction while the
         * gradient is not small yet: restart from steepest descent once. */
        gsl_multimin_fdfminimizer_restart(s->m);
        gst = gsl_multimin_fdfminimizer_iterate(s->m);
    }
    if (gst == GSL_ENOPROG && s->st == QS_OK) {
        o->reason = QH_STOP_NOPROGRESS;
        return QS_OK;
    }
    QH_TRY(qh__opt_gsl_result(s->st, gst, "qh_optimizer_iterate"));
    take(s, o);
    return QS_OK;
}

static void bfgs_free(void *vs)
{
    bfgs_state *s = vs;
    if (s->m)
        gsl_multimin_fdfminimizer_free(s->m);
    if (s->x)
        gsl_vector_free(s->x);
    free(s->cx);
    free(s->cg);
}

static qs_status bfgs_option(void *vs, const char *name, double value)
{
    bfgs_state *s = vs;
    if (qh__opt_is(name, "step"))
        return qh__opt_positive(name, value, &s->step);
    if (qh__opt_is(name, "tol"))
        return qh__opt_positive(name, value, &s->tol);
    return qh__opt_unknown(qh_optimizer_bfgs, name);
}

static const qh_optimizer_type bfgs_type = {
    "bfgs", sizeof(bfgs_state), QH__OPT_GRADIENT | QH__OPT_REPLAY, bfgs_alloc, bfgs_set,
    bfgs_iterate, bfgs_free, bfgs_option, NULL, NULL, NULL,
};
QH_API const qh_optimizer_type *const qh_optimizer_bfgs = &bfgs_type;
