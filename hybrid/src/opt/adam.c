/*
 * adam.c - Adam (Kingma & Ba 2015) with bias correction:
 *   m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,
 *   x <- x - eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),
 * one evaluation (value and gradient) per iteration.
 */
#include "opt/opt_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double lr, b1, b2, eps;
    double t;          /* steps taken */
    double *m, *v;
} adam_state;

static qs_status adam_alloc(void *vs, size_t n)
{
    adam_state *s = vs;
    s->lr = 0.01;
    s->b1 = 0.9;
    s->b2 = 0.999;
    s->eps = 1e-8;
    s->m = calloc(n, sizeof *s->m);
    s->v = calloc(n, sizeof *s->v);
    return s->m && s->v ? QS_OK : qs_set_error(QS_ENOMEM, "qh_optimizer_alloc", "out of memory");
}

static qs_status adam_set(void *vs, qh_optimizer *o)
{
    adam_state *s = vs;
    s->t = 0;
    memset(s->m, 0, sizeof *s->m * o->n);
    memset(s->v, 0, sizeof *s->v * o->n);
    return qh__opt_eval(o, o->x, &o->f, o->g);
}

static qs_status adam_iterate(void *vs, qh_optimizer *o)
{
    adam_state *s = vs;
    s->t += 1;
    double c1 = 1 - pow(s->b1, s->t), c2 = 1 - pow(s->b2, s->t);
    for (size_t i = 0; i < o->n; i++) {
        double g = o->g[i];
        s->m[i] = s->b1 * s->m[i] + (1 - s->b1) * g;
        s->v[i] = s->b2 * s->v[i] + (1 - s->b2) * g * g;
        o->x[i] -= s->lr * (s->m[i] / c1) / (sqrt(s->v[i] / c2) + s->eps);
    }
    return qh__opt_eval(o, o->x, &o->f, o->g);
}

static void adam_free(void *vs)
{
    adam_state *s = vs;
    free(s->m);
    free(s->v);
}

static qs_status beta(const char *name, double value, double *dst)
{
    if (!(value >= 0 && value < 1))
        return qs_set_error(QS_EINVAL, "qh_optimizer_set_option", "%s %g not in [0, 1)", name,
                            value);
    *dst = value;
    return QS_OK;
}

static qs_status adam_option(void *vs, const char *name, double value)
{
    adam_state *s = vs;
    if (qh__opt_is(name, "learning_rate"))
        return qh__opt_positive(name, value, &s->lr);
    if (qh__opt_is(name, "beta1"))
        return beta(name, value, &s->b1);
    if (qh__opt_is(name, "beta2"))
        return beta(name, value, &s->b2);
    if (qh__opt_is(name, "epsilon"))
        return qh__opt_positive(name, value, &s->eps);
    return qh__opt_unknown(qh_optimizer_adam, name);
}

static size_t adam_state_len(const void *vs, size_t n) { (void)vs; return 1 + 2 * n; }
static void adam_save(const void *vs, size_t n, double *buf)
{
    const adam_state *s = vs;
    buf[0] = s->t;
    memcpy(buf + 1, s->m, sizeof *buf * n);
    memcpy(buf + 1 + n, s->v, sizeof *buf * n);
}
static void adam_load(void *vs, size_t n, const double *buf)
{
    adam_state *s = vs;
    s->t = buf[0];
    memcpy(s->m, buf + 1, sizeof *buf * n);
    memcpy(s->v, buf + 1 + n, sizeof *buf * n);
}

static const qh_optimizer_type adam_type = {
    "adam", sizeof(adam_state), QH__OPT_GRADIENT, adam_alloc, adam_set, adam_iterate, adam_free,
    adam_option, adam_state_len, adam_save, adam_load,
};
QH_API const qh_optimizer_type *const qh_optimizer_adam = &adam_type;
