/*
 * optimizer.c - the plumbing shared by every optimizer type: allocation,
 * options, set/iterate, the run loop with its stopping rules, and
 * checkpoints (save/resume).
 *
 * Checkpoints hold the common fields and either the type's own state or,
 * for types whose state is private to GSL (QH__OPT_REPLAY), the log of
 * every evaluation: resuming re-creates the minimizer, sets it at x0 and
 * iterates it as often as before, answering its evaluations from the log
 * (each checked against a hash of the point asked for).  GSL's arithmetic
 * is deterministic, so the minimizer reaches the saved state bit for bit
 * without evaluating the function, and the run goes on as if never
 * interrupted.  All stopping rules are tested at the top of the loop, so a
 * run resumed after iteration k decides exactly as the original did.
 */
#include "opt/opt_impl.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The registry, in a stable order: a checkpoint stores the index. */
static const qh_optimizer_type *type_at(int i)
{
    const qh_optimizer_type *const *all[] = {
        &qh_optimizer_gd, &qh_optimizer_adam, &qh_optimizer_spsa,
        &qh_optimizer_bfgs, &qh_optimizer_nelder_mead, &qh_optimizer_qng,
    };
    return i >= 0 && i < (int)(sizeof all / sizeof *all) ? *all[i] : NULL;
}

QH_API const qh_optimizer_type *qh_optimizer_type_at(int i) { return type_at(i); }

QH_API const char *qh_optimizer_type_name(const qh_optimizer_type *t) { return t ? t->name : NULL; }

QH_API const qh_optimizer_type *qh_optimizer_lookup(const char *name)
{
    if (!name)
        return NULL;
    if (strcmp(name, "nm") == 0 || strcmp(name, "simplex") == 0)
        name = "nelder-mead";
    for (int i = 0; type_at(i); i++)
        if (strcmp(type_at(i)->name, name) == 0)
            return type_at(i);
    return NULL;
}

static int type_index(const qh_optimizer_type *t)
{
    for (int i = 0; type_at(i); i++)
        if (type_at(i) == t)
            return i;
    return -1;
}

QH_API qs_status qh_optimizer_alloc(const qh_optimizer_type *t, size_t n, qh_optimizer **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    QH_CHECK_NULL(t);
    if (n == 0)
        return QH_FAIL(QS_EINVAL, "n is 0");
    qh_optimizer *o = calloc(1, sizeof *o);
    if (!o)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    o->type = t;
    o->n = n;
    o->max_iter = 1000;
    o->gtol = 1e-6;
    o->state = calloc(1, t->size ? t->size : 1);
    o->x = calloc(n, sizeof *o->x);
    o->g = calloc(n, sizeof *o->g);
    o->x0 = calloc(n, sizeof *o->x0);
    if (!o->state || !o->x || !o->g || !o->x0) {
        qh_optimizer_free(o);
        return QH_FAIL(QS_ENOMEM, "out of memory");
    }
    qs_status st = t->alloc(o->state, n);
    if (st != QS_OK) {
        qh_optimizer_free(o);   /* the type frees what it got */
        return st;
    }
    *out = o;
    return QS_OK;
}

QH_API void qh_optimizer_free(qh_optimizer *o)
{
    if (!o)
        return;
    if (o->state)
        o->type->free(o->state);
    free(o->state);
    free(o->x);
    free(o->g);
    free(o->x0);
    free(o->log);
    free(o);
}

QH_API const char *qh_optimizer_name(const qh_optimizer *o) { return o ? o->type->name : NULL; }

qs_status qh__opt_gsl_result(qs_status kept, int gsl_status, const char *func)
{
    if (kept != QS_OK)
        return kept;
    if (gsl_status != GSL_SUCCESS)
        return qs_set_error(QS_EINTERNAL, func, "GSL: %s", gsl_strerror(gsl_status));
    return QS_OK;
}

int qh__opt_is(const char *name, const char *want) { return strcmp(name, want) == 0; }

qs_status qh__opt_positive(const char *name, double v, double *dst)
{
    if (!(v > 0) || !isfinite(v))
        return qs_set_error(QS_EINVAL, "qh_optimizer_set_option", "%s %g must be positive", name,
                            v);
    *dst = v;
    return QS_OK;
}

qs_status qh__opt_unknown(const qh_optimizer_type *t, const char *name)
{
    return qs_set_error(QS_EINVAL, "qh_optimizer_set_option", "%s has no option '%s'", t->name,
                        name);
}

QH_API qs_status qh_optimizer_set_option(qh_optimizer *o, const char *name, double value)
{
    QH_CHECK_NULL(o);
    QH_CHECK_NULL(name);
    if (!isfinite(value))
        return QH_FAIL(QS_EINVAL, "%s is %g", name, value);
    return o->type->option(o->state, name, value);
}

QH_API qs_status qh_optimizer_set_metric(qh_optimizer *o, qh_metric_fn g, void *ctx)
{
    QH_CHECK_NULL(o);
    o->metric = g;
    o->mctx = ctx;
    return QS_OK;
}

QH_API qs_status qh_optimizer_set_stop(qh_optimizer *o, size_t max_iter, double gtol,
                                       double ftol)
{
    QH_CHECK_NULL(o);
    if (!(gtol >= 0) || !(ftol >= 0))
        return QH_FAIL(QS_EINVAL, "tolerances %g and %g must not be negative", gtol, ftol);
    o->max_iter = max_iter;
    o->gtol = gtol;
    o->ftol = ftol;
    return QS_OK;
}

/* FNV-1a over the bytes of x, as two exact 32-bit halves. */
static void hash_x(const double *x, size_t n, double h[2])
{
    uint64_t v = 0xcbf29ce484222325u;
    const unsigned char *b = (const unsigned char *)x;
    for (size_t i = 0; i < n * sizeof *x; i++) {
        v ^= b[i];
        v *= 0x100000001b3u;
    }
    h[0] = (double)(v >> 32);
    h[1] = (double)(v & 0xffffffffu);
}

static qs_status log_eval(qh_optimizer *o, const double *x, double f, const double *grad)
{
    size_t need = 4 + (grad ? o->n : 0);
    if (o->log_len + need > o->log_cap) {
        size_t cap = o->log_cap ? 2 * o->log_cap : 256;
        while (cap < o->log_len + need)
            cap *= 2;
        double *l = realloc(o->log, sizeof *l * cap);
        if (!l)
            return qs_set_error(QS_ENOMEM, "qh_optimizer", "out of memory for the evaluation log");
        o->log = l;
        o->log_cap = cap;
    }
    double *e = o->log + o->log_len;
    e[0] = grad ? 1 : 0;
    hash_x(x, o->n, e + 1);
    e[3] = f;
    if (grad)
        memcpy(e + 4, grad, sizeof *grad * o->n);
    o->log_len += need;
    return QS_OK;
}

qs_status qh__opt_eval(qh_optimizer *o, const double *x, double *f, double *grad)
{
    if (o->replay_pos < o->replay_end) {
        const double *e = o->log + o->replay_pos;
        double h[2];
        hash_x(x, o->n, h);
        if ((e[0] != 0) != (grad != NULL) || e[1] != h[0] || e[2] != h[1])
            return qs_set_error(QS_EINVAL, "qh_optimizer_resume",
                                "evaluation %zu of the checkpoint does not match this run (another "
                                "function, starting point or options?)", o->nevals);
        *f = e[3];
        if (grad)
            memcpy(grad, e + 4, sizeof *grad * o->n);
        o->replay_pos += 4 + (grad ? o->n : 0);
        o->nevals++;
        return QS_OK;
    }
    QH_TRY(o->fdf(o->ctx, x, f, grad));
    if (!isfinite(*f))
        return qs_set_error(QS_EINVAL, "qh_optimizer", "the function's value is %g", *f);
    for (size_t i = 0; grad && i < o->n; i++)
        if (!isfinite(grad[i]))
            return qs_set_error(QS_EINVAL, "qh_optimizer", "gradient entry %zu is %g", i, grad[i]);
    o->nevals++;
    if (o->type->flags & QH__OPT_REPLAY)
        QH_TRY(log_eval(o, x, *f, grad));
    return QS_OK;
}

static void update_norm(qh_optimizer *o)
{
    if (o->type->flags & QH__OPT_GRADIENT)
        o->gnorm = qh__norm(o->g, o->n);
}

QH_API qs_status qh_optimizer_set(qh_optimizer *o, qh_fdf fdf, void *ctx, const double *x0)
{
    QH_CHECK_NULL(o);
    QH_CHECK_NULL(fdf);
    QH_CHECK_NULL(x0);
    for (size_t i = 0; i < o->n; i++)
        if (!isfinite(x0[i]))
            return QH_FAIL(QS_EINVAL, "x0[%zu] is %g", i, x0[i]);
    o->fdf = fdf;
    o->ctx = ctx;
    memcpy(o->x, x0, sizeof *x0 * o->n);
    memcpy(o->x0, x0, sizeof *x0 * o->n);
    memset(o->g, 0, sizeof *o->g * o->n);
    o->iter = o->nevals = 0;
    o->log_len = o->replay_pos = o->replay_end = 0;
    o->have_prev = 0;
    o->reason = QH_STOP_NONE;
    o->gnorm = NAN;
    qs_status st = o->type->set(o->state, o);
    if (st != QS_OK) {
        o->fdf = NULL;
        return st;
    }
    update_norm(o);
    return QS_OK;
}

QH_API qs_status qh_optimizer_iterate(qh_optimizer *o)
{
    QH_CHECK_NULL(o);
    if (!o->fdf)
        return QH_FAIL(QS_EINVAL, "the optimizer was not set (qh_optimizer_set)");
    o->f_prev = o->f;
    o->have_prev = 1;
    qs_status st = o->type->iterate(o->state, o);
    if (st != QS_OK)
        return st;
    if (o->reason == QH_STOP_NOPROGRESS)
        return QS_OK;
    o->iter++;
    update_norm(o);
    return QS_OK;
}

QH_API const char *qh_stop_reason_name(int reason)
{
    switch (reason) {
    case QH_STOP_MAXITER: return "maxiter";
    case QH_STOP_GTOL: return "gtol";
    case QH_STOP_FTOL: return "ftol";
    case QH_STOP_NOPROGRESS: return "no progress";
    default: return "running";
    }
}

QH_API qs_status qh_optimizer_run(qh_optimizer *o, qh_iter_fn cb, void *ctx, int *reason)
{
    QH_CHECK_NULL(o);
    if (!o->fdf)
        return QH_FAIL(QS_EINVAL, "the optimizer was not set (qh_optimizer_set)");
    o->reason = QH_STOP_NONE;
    for (;;) {
        if (o->ftol > 0 && o->have_prev && fabs(o->f - o->f_prev) < o->ftol)
            o->reason = QH_STOP_FTOL;
        else if (o->gtol > 0 && o->gnorm < o->gtol)
            o->reason = QH_STOP_GTOL;
        else if (o->max_iter > 0 && o->iter >= o->max_iter)
            o->reason = QH_STOP_MAXITER;
        if (o->reason != QH_STOP_NONE)
            break;
        QH_TRY(qh_optimizer_iterate(o));
        if (o->reason == QH_STOP_NOPROGRESS)
            break;
        if (cb)
            QH_TRY(cb(ctx, o));
    }
    if (reason)
        *reason = o->reason;
    return QS_OK;
}

QH_API const double *qh_optimizer_x(const qh_optimizer *o) { return o ? o->x : NULL; }
QH_API double qh_optimizer_f(const qh_optimizer *o) { return o ? o->f : NAN; }
QH_API const double *qh_optimizer_gradient(const qh_optimizer *o)
{
    return o && (o->type->flags & QH__OPT_GRADIENT) ? o->g : NULL;
}
QH_API double qh_optimizer_grad_norm(const qh_optimizer *o) { return o ? o->gnorm : NAN; }
QH_API size_t qh_optimizer_iterations(const qh_optimizer *o) { return o ? o->iter : 0; }
QH_API size_t qh_optimizer_evaluations(const qh_optimizer *o) { return o ? o->nevals : 0; }
QH_API int qh_optimizer_stop_reason(const qh_optimizer *o) { return o ? o->reason : QH_STOP_NONE; }

/* ---- checkpoints --------------------------------------------------------- */

/* Layout: header, then x, g, x0 (n each), then the type's state or the log. */
enum { H_MAGIC, H_VERSION, H_TYPE, H_N, H_ITER, H_NEVALS, H_F, H_FPREV, H_HAVEPREV, H_GNORM,
       H_TAIL, H_LEN };
#define CKPT_MAGIC 5.14e8   /* "qsim optimizer" */
#define CKPT_VERSION 1

/* v is a whole number in [0, max]. */
static int is_count(double v, double max) { return v >= 0 && v <= max && v == floor(v); }

static size_t tail_len(const qh_optimizer *o)
{
    if (o->type->flags & QH__OPT_REPLAY)
        return o->log_len;
    return o->type->state_len ? o->type->state_len(o->state, o->n) : 0;
}

QH_API qs_status qh_optimizer_save(const qh_optimizer *o, double *buf, size_t cap, size_t *len)
{
    QH_CHECK_NULL(o);
    QH_CHECK_NULL(len);
    if (!o->fdf)
        return QH_FAIL(QS_EINVAL, "the optimizer was not set");
    size_t tl = tail_len(o), need = H_LEN + 3 * o->n + tl;
    *len = need;
    if (!buf)
        return QS_OK;
    if (cap < need)
        return QH_FAIL(QS_ERANGE, "the checkpoint needs %zu doubles, the buffer has %zu", need,
                       cap);
    double *h = buf;
    h[H_MAGIC] = CKPT_MAGIC;
    h[H_VERSION] = CKPT_VERSION;
    h[H_TYPE] = type_index(o->type);
    h[H_N] = (double)o->n;
    h[H_ITER] = (double)o->iter;
    h[H_NEVALS] = (double)o->nevals;
    h[H_F] = o->f;
    h[H_FPREV] = o->f_prev;
    h[H_HAVEPREV] = o->have_prev;
    h[H_GNORM] = o->gnorm;
    h[H_TAIL] = (double)tl;
    double *p = buf + H_LEN;
    memcpy(p, o->x, sizeof *p * o->n);
    memcpy(p + o->n, o->g, sizeof *p * o->n);
    memcpy(p + 2 * o->n, o->x0, sizeof *p * o->n);
    p += 3 * o->n;
    if (o->type->flags & QH__OPT_REPLAY)
        memcpy(p, o->log, sizeof *p * tl);
    else if (tl)
        o->type->save(o->state, o->n, p);
    return QS_OK;
}

QH_API qs_status qh_optimizer_resume(qh_optimizer *o, qh_fdf fdf, void *ctx, const double *buf,
                                     size_t len)
{
    QH_CHECK_NULL(o);
    QH_CHECK_NULL(fdf);
    QH_CHECK_NULL(buf);
    const double *h = buf;
    if (len < H_LEN || h[H_MAGIC] != CKPT_MAGIC || h[H_VERSION] != CKPT_VERSION)
        return QH_FAIL(QS_EINVAL, "not an optimizer checkpoint");
    /* every count is checked before it is converted or used: the buffer
     * comes from a file that may have been edited */
    if (h[H_TYPE] != type_index(o->type) || h[H_N] != (double)o->n) {
        const qh_optimizer_type *t = is_count(h[H_TYPE], 64) ? type_at((int)h[H_TYPE]) : NULL;
        return QH_FAIL(QS_EINVAL, "the checkpoint is of %s with %g variables, not %s with %zu",
                       t ? t->name : "another optimizer", h[H_N], o->type->name, o->n);
    }
    /* a replayed iteration takes at least one logged evaluation */
    double most_iter = o->max_iter ? (double)o->max_iter : 9007199254740992.0;
    if ((o->type->flags & QH__OPT_REPLAY) && h[H_TAIL] < most_iter)
        most_iter = h[H_TAIL];
    if (!is_count(h[H_TAIL], (double)len) || !is_count(h[H_ITER], most_iter) ||
        !is_count(h[H_NEVALS], 9007199254740992.0))
        return QH_FAIL(QS_EINVAL, "the checkpoint's counts are not valid (iteration %g of at "
                       "most %.0f, %g evaluations, %g saved values)", h[H_ITER], most_iter,
                       h[H_NEVALS], h[H_TAIL]);
    size_t tl = (size_t)h[H_TAIL];
    size_t want = o->type->flags & QH__OPT_REPLAY ? tl : tail_len(o);
    if (len != H_LEN + 3 * o->n + tl || tl != want)
        return QH_FAIL(QS_EINVAL, "truncated checkpoint (%zu of %zu values)", len,
                       H_LEN + 3 * o->n + want);
    const double *x = buf + H_LEN, *g = x + o->n, *x0 = g + o->n, *tail = x0 + o->n;
    o->fdf = fdf;
    o->ctx = ctx;
    o->reason = QH_STOP_NONE;
    memcpy(o->x0, x0, sizeof *x0 * o->n);
    size_t iter = (size_t)h[H_ITER];
    if (o->type->flags & QH__OPT_REPLAY) {
        if (tl > o->log_cap) {
            double *l = realloc(o->log, sizeof *l * tl);
            if (!l)
                return QH_FAIL(QS_ENOMEM, "out of memory");
            o->log = l;
            o->log_cap = tl;
        }
        memcpy(o->log, tail, sizeof *tail * tl);
        o->log_len = o->replay_end = tl;
        o->replay_pos = 0;
        o->nevals = 0;
        o->iter = 0;
        memcpy(o->x, x0, sizeof *x0 * o->n);
        qs_status st = o->type->set(o->state, o);
        for (size_t i = 0; i < iter && st == QS_OK; i++)
            st = o->type->iterate(o->state, o);
        if (st == QS_OK && o->replay_pos != o->replay_end)
            st = QH_FAIL(QS_EINVAL, "the checkpoint's %zu logged values were not all replayed",
                         tl);
        if (st == QS_OK && memcmp(o->x, x, sizeof *x * o->n) != 0)
            st = QH_FAIL(QS_EINVAL, "replaying the checkpoint reached another point");
        o->replay_pos = o->replay_end = 0;
        if (st != QS_OK) {
            o->fdf = NULL;
            return st;
        }
    } else {
        memcpy(o->x, x, sizeof *x * o->n);
        memcpy(o->g, g, sizeof *g * o->n);
        if (tl)
            o->type->load(o->state, o->n, tail);
    }
    o->iter = iter;
    o->nevals = (size_t)h[H_NEVALS];
    o->f = h[H_F];
    o->f_prev = h[H_FPREV];
    o->have_prev = h[H_HAVEPREV] != 0;
    o->gnorm = h[H_GNORM];
    return QS_OK;
}
