/*
 * gsl_simplex.c - Nelder-Mead through GSL:
 * gsl_multimin_fminimizer_nmsimplex2, gradient-free.  The optimizer's
 * "gradient norm" is the simplex size (gsl_multimin_fminimizer_size), so
 * the gtol stopping rule stops on a small simplex.  Failed evaluations are
 * kept and reported as in gsl_bfgs.c; checkpoints replay the evaluations.
 */
#include "opt/opt_impl.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <string.h>

typedef struct {
    gsl_multimin_fminimizer *m;
    gsl_multimin_function fn;
    gsl_vector *x, *step;
    double step_size;
    qh_optimizer *o;
    qs_status st;
} nm_state;

static double fn_f(const gsl_vector *x, void *p)
{
    nm_state *s = p;
    double f;
    if (s->st != QS_OK || (s->st = qh__opt_eval(s->o, x->data, &f, NULL)) != QS_OK)
        return DBL_MAX;
    return f;
}

static qs_status nm_alloc(void *vs, size_t n)
{
    nm_state *s = vs;
    s->step_size = 0.1;
    s->m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    s->x = gsl_vector_alloc(n);
    s->step = gsl_vector_alloc(n);
    if (!s->m || !s->x || !s->step)
        return qs_set_error(QS_ENOMEM, "qh_optimizer_alloc", "out of memory");
    s->fn = (gsl_multimin_function){fn_f, n, s};
    return QS_OK;
}

static void take(nm_state *s, qh_optimizer *o)
{
    memcpy(o->x, s->m->x->data, sizeof *o->x * o->n);
    o->f = s->m->fval;
    o->gnorm = gsl_multimin_fminimizer_size(s->m);
}

static qs_status nm_set(void *vs, qh_optimizer *o)
{
    nm_state *s = vs;
    s->o = o;
    s->st = QS_OK;
    memcpy(s->x->data, o->x, sizeof *o->x * o->n);
    gsl_vector_set_all(s->step, s->step_size);
    int gst = gsl_multimin_fminimizer_set(s->m, &s->fn, s->x, s->step);
    QH_TRY(qh__opt_gsl_result(s->st, gst, "qh_optimizer_set"));
    take(s, o);
    return QS_OK;
}

static qs_status nm_iterate(void *vs, qh_optimizer *o)
{
    nm_state *s = vs;
    int gst = gsl_multimin_fminimizer_iterate(s->m);
    QH_TRY(qh__opt_gsl_result(s->st, gst, "qh_optimizer_iterate"));
    take(s, o);
    return QS_OK;
}

static void nm_free(void *vs)
{
    nm_state *s = vs;
    if (s->m)
        gsl_multimin_fminimizer_free(s->m);
    if (s->x)
        gsl_vector_free(s->x);
    if (s->step)
        gsl_vector_free(s->step);
}

static qs_status nm_option(void *vs, const char *name, double value)
{
    nm_state *s = vs;
    if (qh__opt_is(name, "step"))
        return qh__opt_positive(name, value, &s->step_size);
    return qh__opt_unknown(qh_optimizer_nelder_mead, name);
}

static const qh_optimizer_type nm_type = {
    "nelder-mead", sizeof(nm_state), QH__OPT_REPLAY | QH__OPT_SIZE, nm_alloc, nm_set, nm_iterate,
    nm_free, nm_option, NULL, NULL, NULL,
};
QH_API const qh_optimizer_type *const qh_optimizer_nelder_mead = &nm_type;
