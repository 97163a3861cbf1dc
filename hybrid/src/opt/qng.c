/*
 * qng.c - quantum natural gradient (Stokes et al. 2020):
 *   x <- x - eta (g(x) + eps I)^{-1} grad f(x)
 * with the metric g of qh_optimizer_set_metric() (for circuits, the
 * block-diagonal Fubini-Study metric of qh_objective_metric()).  The
 * regularised metric is positive definite and solved by a plain Cholesky
 * factorisation; should rounding break that, eps grows tenfold and the
 * factorisation is tried again.
 */
#include "opt/opt_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double lr, reg;
    double *G, *L, *d;
} qng_state;

static qs_status qng_alloc(void *vs, size_t n)
{
    qng_state *s = vs;
    s->lr = 0.1;
    s->reg = 1e-3;
    s->G = malloc(sizeof *s->G * n * n);
    s->L = malloc(sizeof *s->L * n * n);
    s->d = malloc(sizeof *s->d * n);
    if (!s->G || !s->L || !s->d)
        return qs_set_error(QS_ENOMEM, "qh_optimizer_alloc", "out of memory");
    return QS_OK;
}

static qs_status qng_set(void *vs, qh_optimizer *o)
{
    (void)vs;
    if (!o->metric)
        return qs_set_error(QS_EINVAL, "qh_optimizer_set",
                            "qng needs a metric: call qh_optimizer_set_metric() first");
    return qh__opt_eval(o, o->x, &o->f, o->g);
}

/* L L^T = A + eps I (lower triangular L); 0 if not positive definite. */
static int cholesky(const double *A, double eps, size_t n, double *L)
{
    memset(L, 0, sizeof *L * n * n);
    for (size_t j = 0; j < n; j++) {
        double s = A[j * n + j] + eps;
        for (size_t k = 0; k < j; k++)
            s -= L[j * n + k] * L[j * n + k];
        if (!(s > 0))
            return 0;
        L[j * n + j] = sqrt(s);
        for (size_t i = j + 1; i < n; i++) {
            double t = A[i * n + j];
            for (size_t k = 0; k < j; k++)
                t -= L[i * n + k] * L[j * n + k];
            L[i * n + j] = t / L[j * n + j];
        }
    }
    return 1;
}

static qs_status qng_iterate(void *vs, qh_optimizer *o)
{
    qng_state *s = vs;
    size_t n = o->n;
    QH_TRY(o->metric(o->mctx, o->x, s->G));
    double eps = s->reg;
    int ok = 0;
    for (int tries = 0; tries < 8 && !ok; tries++, eps *= 10)
        ok = cholesky(s->G, eps, n, s->L);
    if (!ok)
        return qs_set_error(QS_ENOTCONV, "qh_optimizer_iterate",
                            "the metric is not positive semi-definite");
    /* forward then back substitution: (L L^T) d = g */
    for (size_t i = 0; i < n; i++) {
        double t = o->g[i];
        for (size_t k = 0; k < i; k++)
            t -= s->L[i * n + k] * s->d[k];
        s->d[i] = t / s->L[i * n + i];
    }
    for (size_t i = n; i-- > 0;) {
        double t = s->d[i];
        for (size_t k = i + 1; k < n; k++)
            t -= s->L[k * n + i] * s->d[k];
        s->d[i] = t / s->L[i * n + i];
    }
    for (size_t i = 0; i < n; i++)
        o->x[i] -= s->lr * s->d[i];
    return qh__opt_eval(o, o->x, &o->f, o->g);
}

static void qng_free(void *vs)
{
    qng_state *s = vs;
    free(s->G);
    free(s->L);
    free(s->d);
}

static qs_status qng_option(void *vs, const char *name, double value)
{
    qng_state *s = vs;
    if (qh__opt_is(name, "learning_rate"))
        return qh__opt_positive(name, value, &s->lr);
    if (qh__opt_is(name, "regularization"))
        return qh__opt_positive(name, value, &s->reg);
    return qh__opt_unknown(qh_optimizer_qng, name);
}

static const qh_optimizer_type qng_type = {
    "qng", sizeof(qng_state), QH__OPT_GRADIENT, qng_alloc, qng_set, qng_iterate, qng_free,
    qng_option, NULL, NULL, NULL,
};
QH_API const qh_optimizer_type *const qh_optimizer_qng = &qng_type;
