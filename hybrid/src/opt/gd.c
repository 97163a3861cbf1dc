/*
 * gd.c - gradient descent with momentum (heavy ball):
 *   v <- mu v - eta grad f(x),  x <- x + v,
 * one evaluation (value and gradient) per iteration.
 */
#include "opt/opt_impl.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    double lr, mu;
    double *v;
} gd_state;

static qs_status gd_alloc(void *vs, size_t n)
{
    gd_state *s = vs;
    s->lr = 0.05;
    s->mu = 0.9;
    s->v = calloc(n, sizeof *s->v);
    return s->v ? QS_OK : qs_set_error(QS_ENOMEM, "qh_optimizer_alloc", "out of memory");
}

static qs_status gd_set(void *vs, qh_optimizer *o)
{
    gd_state *s = vs;
    memset(s->v, 0, sizeof *s->v * o->n);
    return qh__opt_eval(o, o->x, &o->f, o->g);
}

static qs_status gd_iterate(void *vs, qh_optimizer *o)
{
    gd_state *s = vs;
    for (size_t i = 0; i < o->n; i++) {
        s->v[i] = s->mu * s->v[i] - s->lr * o->g[i];
        o->x[i] += s->v[i];
    }
    return qh__opt_eval(o, o->x, &o->f, o->g);
}

static void gd_free(void *vs) { free(((gd_state *)vs)->v); }

static qs_status gd_option(void *vs, const char *name, double value)
{
    gd_state *s = vs;
    if (qh__opt_is(name, "learning_rate"))
        return qh__opt_positive(name, value, &s->lr);
    if (qh__opt_is(name, "momentum")) {
        if (!(value >= 0 && value < 1))
            return qs_set_error(QS_EINVAL, "qh_optimizer_set_option", "momentum %g not in [0, 1)",
                                value);
        s->mu = value;
        return QS_OK;
    }
    return qh__opt_unknown(qh_optimizer_gd, name);
}

static size_t gd_state_len(const void *vs, size_t n) { (void)vs; return n; }
static void gd_save(const void *vs, size_t n, double *buf)
{
    memcpy(buf, ((const gd_state *)vs)->v, sizeof *buf * n);
}
static void gd_load(void *vs, size_t n, const double *buf)
{
    memcpy(((gd_state *)vs)->v, buf, sizeof *buf * n);
}

static const qh_optimizer_type gd_type = {
    "gd", sizeof(gd_state), QH__OPT_GRADIENT, gd_alloc, gd_set, gd_iterate, gd_free, gd_option,
    gd_state_len, gd_save, gd_load,
};
QH_API const qh_optimizer_type *const qh_optimizer_gd = &gd_type;
