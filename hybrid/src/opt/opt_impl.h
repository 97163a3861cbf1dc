/*
 * opt_impl.h - the optimizer type vtable and the optimizer object shared
 * by optimizer.c (the plumbing: set, iterate, stopping rules, checkpoints)
 * and the types (gd.c adam.c spsa.c qng.c gsl_bfgs.c gsl_simplex.c).
 *
 * A type keeps its own state in `size` bytes and reads and writes the
 * common fields below: the current point x, f(x) and the gradient.  It
 * evaluates the function only through qh__opt_eval(), which records or
 * replays evaluations for the types whose state cannot be saved (GSL's).
 */
#ifndef QH_OPT_IMPL_H
#define QH_OPT_IMPL_H

#include "hybrid_impl.h"

enum {
    QH__OPT_GRADIENT = 1 << 0,  /* keeps the gradient at x in o->g */
    QH__OPT_REPLAY = 1 << 1,    /* private state: checkpoints replay evaluations */
    QH__OPT_SIZE = 1 << 2       /* o->gnorm is a simplex size, not |g| */
};

struct qh_optimizer_type {
    const char *name;
    size_t size;               /* bytes of the type's state */
    int flags;
    qs_status (*alloc)(void *state, size_t n);
    /* o->x holds x0: evaluate and fill o->f (and o->g). */
    qs_status (*set)(void *state, qh_optimizer *o);
    /* One step: updates o->x, o->f (and o->g, o->gnorm). */
    qs_status (*iterate)(void *state, qh_optimizer *o);
    void (*free)(void *state);
    qs_status (*option)(void *state, const char *name, double value);
    /* Own state as doubles (types without QH__OPT_REPLAY). */
    size_t (*state_len)(const void *state, size_t n);
    void (*save)(const void *state, size_t n, double *buf);
    void (*load)(void *state, size_t n, const double *buf);
};

struct qh_optimizer {
    const qh_optimizer_type *type;
    void *state;
    size_t n;
    double *x, *g, *x0;
    double f, f_prev, gnorm;
    int have_prev, reason;
    size_t iter, nevals;
    size_t max_iter;
    double gtol, ftol;
    qh_fdf fdf;
    void *ctx;
    qh_metric_fn metric;
    void *mctx;
    /* Evaluation log of QH__OPT_REPLAY types: per evaluation
     * [with_grad, hash_hi, hash_lo, f, grad (n if with_grad)]. */
    double *log;
    size_t log_len, log_cap, replay_pos, replay_end;
};

/* f (and grad unless NULL) at x: calls fdf, or replays a logged value. */
qs_status qh__opt_eval(qh_optimizer *o, const double *x, double *f, double *grad);

/* After a GSL call: the status an adapter kept from a failed evaluation,
 * else QS_EINTERNAL naming GSL's error when gsl_status is not success. */
qs_status qh__opt_gsl_result(qs_status kept, int gsl_status, const char *func);

/* Option helpers for types: matches name, checks value > 0 (or >= 0). */
int qh__opt_is(const char *name, const char *want);
qs_status qh__opt_positive(const char *name, double v, double *dst);
qs_status qh__opt_unknown(const qh_optimizer_type *t, const char *name);

#endif
