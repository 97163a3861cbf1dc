/*
 * spsa.c - simultaneous perturbation stochastic approximation (Spall
 * 1998): at step k, with a_k = a / (k + 1 + A)^alpha and
 * c_k = c / (k + 1)^gamma, a direction Delta of independent +-1 entries,
 *   g_k = (f(x + c_k Delta) - f(x - c_k Delta)) / (2 c_k) Delta,
 *   x <- x - a_k g_k,
 * then f at the new point for reporting: three evaluations, no gradient.
 * Delta comes from GSL's mt19937 seeded with a mix of (seed, k), so a step
 * depends only on k: a checkpoint needs nothing but k.
 */
#include "opt/opt_impl.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

typedef struct {
    double a, c, A, alpha, gamma, seed;
    double k;
    gsl_rng *rng;
    double *delta, *xp, *xm;
} spsa_state;

static qs_status spsa_alloc(void *vs, size_t n)
{
    spsa_state *s = vs;
    s->a = 0.2;
    s->c = 0.1;
    s->A = 10;
    s->alpha = 0.602;
    s->gamma = 0.101;
    s->rng = gsl_rng_alloc(gsl_rng_mt19937);
    s->delta = malloc(sizeof *s->delta * n);
    s->xp = malloc(sizeof *s->xp * n);
    s->xm = malloc(sizeof *s->xm * n);
    if (!s->rng || !s->delta || !s->xp || !s->xm)
        return qs_set_error(QS_ENOMEM, "qh_optimizer_alloc", "out of memory");
    return QS_OK;
}

static qs_status spsa_set(void *vs, qh_optimizer *o)
{
    spsa_state *s = vs;
    s->k = 0;
    o->gnorm = NAN;
    return qh__opt_eval(o, o->x, &o->f, NULL);
}

/* splitmix64: decorrelates the seeds of consecutive steps. */
static unsigned long step_seed(double seed, double k)
{
    uint64_t z = (uint64_t)seed * 0x9e3779b97f4a7c15u + (uint64_t)k + 1;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (unsigned long)(z ^ (z >> 31));
}

static qs_status spsa_iterate(void *vs, qh_optimizer *o)
{
    spsa_state *s = vs;
    double ak = s->a / pow(s->k + 1 + s->A, s->alpha), ck = s->c / pow(s->k + 1, s->gamma);
    gsl_rng_set(s->rng, step_seed(s->seed, s->k));
    for (size_t i = 0; i < o->n; i++) {
        s->delta[i] = gsl_rng_uniform_int(s->rng, 2) ? 1.0 : -1.0;
        s->xp[i] = o->x[i] + ck * s->delta[i];
        s->xm[i] = o->x[i] - ck * s->delta[i];
    }
    double fp, fm;
    QH_TRY(qh__opt_eval(o, s->xp, &fp, NULL));
    QH_TRY(qh__opt_eval(o, s->xm, &fm, NULL));
    double scale = ak * (fp - fm) / (2 * ck);
    for (size_t i = 0; i < o->n; i++)
        o->x[i] -= scale * s->delta[i];   /* 1 / Delta_i = Delta_i */
    s->k += 1;
    return qh__opt_eval(o, o->x, &o->f, NULL);
}

static void spsa_free(void *vs)
{
    spsa_state *s = vs;
    if (s->rng)
        gsl_rng_free(s->rng);
    free(s->delta);
    free(s->xp);
    free(s->xm);
}

static qs_status spsa_option(void *vs, const char *name, double value)
{
    spsa_state *s = vs;
    if (qh__opt_is(name, "a"))
        return qh__opt_positive(name, value, &s->a);
    if (qh__opt_is(name, "c"))
        return qh__opt_positive(name, value, &s->c);
    if (qh__opt_is(name, "alpha"))
        return qh__opt_positive(name, value, &s->alpha);
    if (qh__opt_is(name, "gamma"))
        return qh__opt_positive(name, value, &s->gamma);
    if (qh__opt_is(name, "A") || qh__opt_is(name, "seed")) {
        if (!(value >= 0) || value != floor(value) || value > 9007199254740992.0)
            return qs_set_error(QS_EINVAL, "qh_optimizer_set_option",
                                "%s %g must be a non-negative integer", name, value);
        *(qh__opt_is(name, "A") ? &s->A : &s->seed) = value;
        return QS_OK;
    }
    return qh__opt_unknown(qh_optimizer_spsa, name);
}

static size_t spsa_state_len(const void *vs, size_t n) { (void)vs; (void)n; return 1; }
static void spsa_save(const void *vs, size_t n, double *buf) { (void)n; buf[0] = ((const spsa_state *)vs)->k; }
static void spsa_load(void *vs, size_t n, const double *buf) { (void)n; ((spsa_state *)vs)->k = buf[0]; }

static const qh_optimizer_type spsa_type = {
    "spsa", sizeof(spsa_state), 0, spsa_alloc, spsa_set, spsa_iterate, spsa_free, spsa_option,
    spsa_state_len, spsa_save, spsa_load,
};
QH_API const qh_optimizer_type *const qh_optimizer_spsa = &spsa_type;
