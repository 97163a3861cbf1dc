/*
 * test_opt.c - every optimizer type on the same analytic functions with
 * known minima (GSL's multimin/test.c idea), Adam against a trajectory
 * computed by hand, failures of the function passed on through GSL's
 * callbacks, stopping rules, and checkpoints: a run resumed from any
 * iteration ends exactly where the uninterrupted run ends.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <qsim/hybrid.h>
#include <stdlib.h>
#include <string.h>

/* f = sum_i (i+1) (x_i - c_i)^2 + 0.5 (x_0 - c_0)^2 (x_1 - c_1)^2, minimum 0 at c */
static const double C[4] = {1.0, -2.0, 0.5, 3.0};

static qs_status bowl(void *ctx, const double *x, double *f, double *g)
{
    int *calls = ctx;
    if (calls)
        (*calls)++;
    double d[4], s = 0;
    for (int i = 0; i < 4; i++) {
        d[i] = x[i] - C[i];
        s += (i + 1) * d[i] * d[i];
    }
    s += 0.5 * d[0] * d[0] * d[1] * d[1];
    *f = s;
    if (g)
        for (int i = 0; i < 4; i++)
            g[i] = 2 * (i + 1) * d[i] + (i == 0 ? d[0] * d[1] * d[1] : i == 1 ? d[1] * d[0] * d[0] : 0);
    return QS_OK;
}

/* The metric for QNG: half the Hessian at the minimum (a Newton-like step). */
static qs_status bowl_metric(void *ctx, const double *x, double *G)
{
    (void)ctx;
    (void)x;
    memset(G, 0, sizeof(double) * 16);
    for (int i = 0; i < 4; i++)
        G[i * 5] = i + 1;
    return QS_OK;
}

static qs_status rosenbrock(void *ctx, const double *x, double *f, double *g)
{
    (void)ctx;
    double a = 1 - x[0], b = x[1] - x[0] * x[0];
    *f = a * a + 100 * b * b;
    if (g) {
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
    }
    return QS_OK;
}

static qh_optimizer *make(const char *name, size_t n)
{
    const qh_optimizer_type *t = qh_optimizer_lookup(name);
    cr_assert_not_null(t, "%s", name);
    qh_optimizer *o;
    cr_assert_eq(qh_optimizer_alloc(t, n, &o), QS_OK);
    cr_assert_str_eq(qh_optimizer_name(o), name);
    if (!strcmp(name, "spsa")) {
        qh_optimizer_set_option(o, "a", 0.3);
        qh_optimizer_set_option(o, "c", 0.05);
    }
    if (!strcmp(name, "qng"))
        qh_optimizer_set_metric(o, bowl_metric, NULL);
    if (!strcmp(name, "gd"))
        qh_optimizer_set_option(o, "learning_rate", 0.02);
    if (!strcmp(name, "adam"))
        qh_optimizer_set_option(o, "learning_rate", 0.05);
    return o;
}

static const struct {
    const char *name;
    size_t iters;
    double tol;
} types[] = {
    {"gd", 3000, 1e-6}, {"adam", 3000, 1e-4}, {"spsa", 3000, 3e-2},
    {"bfgs", 200, 1e-6}, {"nelder-mead", 3000, 1e-4}, {"qng", 300, 1e-6},
};

Test(opt, every_type_finds_the_minimum_of_a_bowl)
{
    for (size_t k = 0; k < sizeof types / sizeof *types; k++) {
        qh_optimizer *o = make(types[k].name, 4);
        double x0[4] = {0, 0, 0, 0};
        cr_assert_eq(qh_optimizer_set_stop(o, types[k].iters, 1e-10, 0), QS_OK);
        cr_assert_eq(qh_optimizer_set(o, bowl, NULL, x0), QS_OK, "%s", qs_last_error());
        int reason;
        cr_assert_eq(qh_optimizer_run(o, NULL, NULL, &reason), QS_OK, "%s: %s", types[k].name,
                     qs_last_error());
        const double *x = qh_optimizer_x(o);
        for (int i = 0; i < 4; i++)
            cr_assert(fabs(x[i] - C[i]) < types[k].tol, "%s: x[%d] = %.10g, want %g (%s after %zu)",
                      types[k].name, i, x[i], C[i], qh_stop_reason_name(reason),
                      qh_optimizer_iterations(o));
        cr_assert(qh_optimizer_f(o) < types[k].tol, "%s: f = %g", types[k].name, qh_optimizer_f(o));
        cr_assert_eq(qh_optimizer_gradient(o) == NULL,
                     !strcmp(types[k].name, "spsa") || !strcmp(types[k].name, "nelder-mead"));
        qh_optimizer_free(o);
    }
}

Test(opt, rosenbrock_with_bfgs_and_nelder_mead)
{
    const char *names[] = {"bfgs", "nelder-mead"};
    for (int k = 0; k < 2; k++) {
        qh_optimizer *o = make(names[k], 2);
        double x0[2] = {-1.2, 1};
        qh_optimizer_set_stop(o, 5000, k ? 1e-9 : 1e-10, 0);
        cr_assert_eq(qh_optimizer_set(o, rosenbrock, NULL, x0), QS_OK);
        int reason;
        cr_assert_eq(qh_optimizer_run(o, NULL, NULL, &reason), QS_OK);
        const double *x = qh_optimizer_x(o);
        cr_assert(fabs(x[0] - 1) < 1e-5 && fabs(x[1] - 1) < 1e-5, "%s: (%.10g, %.10g) %s",
                  names[k], x[0], x[1], qh_stop_reason_name(reason));
        qh_optimizer_free(o);
    }
}

static qs_status parabola(void *ctx, const double *x, double *f, double *g)
{
    (void)ctx;
    *f = x[0] * x[0];
    if (g)
        g[0] = 2 * x[0];
    return QS_OK;
}

/* f = x^2 from x = 1 with learning rate 0.1 and the default betas: by hand,
 * step 1: g = 2, m = 0.2, v = 0.004, m^ = 2, v^ = 4,
 *         x = 1 - 0.1 * 2 / (2 + 1e-8) = 0.9000000005;
 * step 2: g = 1.800000001, m = 0.36000000010, v = 0.0072360000036,
 *         m^ = m / 0.19, v^ = v / 0.001999 -> x = 0.80041222869179...;
 * step 3 likewise -> 0.70158627294603. */
Test(opt, adam_hand_computed_trajectory)
{
    qh_optimizer *o;
    cr_assert_eq(qh_optimizer_alloc(qh_optimizer_adam, 1, &o), QS_OK);
    cr_assert_eq(qh_optimizer_set_option(o, "learning_rate", 0.1), QS_OK);
    double x0 = 1;
    cr_assert_eq(qh_optimizer_set(o, parabola, NULL, &x0), QS_OK);
    const double want[3] = {0.9000000005, 0.8004122286917928, 0.7015862729460303};
    for (int t = 0; t < 3; t++) {
        cr_assert_eq(qh_optimizer_iterate(o), QS_OK);
        cr_assert(fabs(qh_optimizer_x(o)[0] - want[t]) < 1e-15, "step %d: %.17g, want %.17g",
                  t + 1, qh_optimizer_x(o)[0], want[t]);
    }
    cr_assert_eq(qh_optimizer_iterations(o), 3);
    cr_assert_eq(qh_optimizer_evaluations(o), 4);
    cr_assert_eq(qh_optimizer_set_option(o, "beta1", 1.5), QS_EINVAL);
    cr_assert_eq(qh_optimizer_set_option(o, "momentum", 0.5), QS_EINVAL);
    cr_assert(strstr(qs_last_error(), "adam has no option 'momentum'"), "%s", qs_last_error());
    qh_optimizer_free(o);
}

/* Fails from the 9th evaluation on. */
static qs_status failing(void *ctx, const double *x, double *f, double *g)
{
    int *calls = ctx;
    if (++*calls >= 9)
        return qs_set_error(QS_EIO, "failing", "the objective could not be evaluated");
    return bowl(NULL, x, f, g);
}

Test(opt, a_failing_function_stops_every_type_with_its_status)
{
    for (size_t k = 0; k < sizeof types / sizeof *types; k++) {
        qh_optimizer *o = make(types[k].name, 4);
        int calls = 0, reason;
        double x0[4] = {0.1, 0.2, 0.3, 0.4};
        qs_status st = qh_optimizer_set(o, failing, &calls, x0);
        if (st == QS_OK)
            st = qh_optimizer_run(o, NULL, NULL, &reason);
        cr_assert_eq(st, QS_EIO, "%s: %s", types[k].name, qs_status_name(st));
        cr_assert_str_eq(qs_last_error(), "failing: the objective could not be evaluated");
        cr_assert_eq(calls, 9, "%s: evaluated %d times after failing", types[k].name, calls);
        qh_optimizer_free(o);
    }
}

Test(opt, stopping_rules)
{
    qh_optimizer *o = make("bfgs", 4);
    double x0[4] = {0, 0, 0, 0};
    int reason;
    qh_optimizer_set_stop(o, 3, 0, 0);
    qh_optimizer_set(o, bowl, NULL, x0);
    qh_optimizer_run(o, NULL, NULL, &reason);
    cr_assert_eq(reason, QH_STOP_MAXITER);
    cr_assert_eq(qh_optimizer_iterations(o), 3);
    qh_optimizer_set_stop(o, 0, 1e-3, 0);
    qh_optimizer_run(o, NULL, NULL, &reason);
    cr_assert_eq(reason, QH_STOP_GTOL);
    cr_assert(qh_optimizer_grad_norm(o) < 1e-3);
    qh_optimizer_free(o);

    o = make("adam", 4);
    qh_optimizer_set_stop(o, 100000, 0, 1e-9);
    qh_optimizer_set(o, bowl, NULL, x0);
    qh_optimizer_run(o, NULL, NULL, &reason);
    cr_assert_eq(reason, QH_STOP_FTOL);
    cr_assert_str_eq(qh_stop_reason_name(reason), "ftol");
    qh_optimizer_free(o);
}

static qs_status stop_at_5(void *ctx, const qh_optimizer *o)
{
    (void)ctx;
    return qh_optimizer_iterations(o) == 5 ? qs_set_error(QS_ECALLBACK, "cb", "enough") : QS_OK;
}

Test(opt, callback_stops_the_run)
{
    qh_optimizer *o = make("gd", 4);
    double x0[4] = {0};
    qh_optimizer_set(o, bowl, NULL, x0);
    cr_assert_eq(qh_optimizer_run(o, stop_at_5, NULL, NULL), QS_ECALLBACK);
    cr_assert_eq(qh_optimizer_iterations(o), 5);
    qh_optimizer_free(o);
}

/* Checkpoint after iteration k, resume in a new optimizer, run to the end:
 * the same point, value and counts, bit for bit, for every type. */
typedef struct {
    size_t at;
    double *buf;
    size_t len;
} saver;

static qs_status save_at(void *ctx, const qh_optimizer *o)
{
    saver *s = ctx;
    if (qh_optimizer_iterations(o) != s->at)
        return QS_OK;
    cr_assert_eq(qh_optimizer_save(o, NULL, 0, &s->len), QS_OK);
    s->buf = malloc(sizeof *s->buf * s->len);
    cr_assert_eq(qh_optimizer_save(o, s->buf, s->len, &s->len), QS_OK);
    return qs_set_error(QS_ECALLBACK, "save_at", "killed");
}

Test(opt, resumed_runs_end_like_uninterrupted_ones)
{
    for (size_t k = 0; k < sizeof types / sizeof *types; k++) {
        const char *nm = types[k].name;
        double x0[4] = {0.3, 0.1, -0.2, 0.5}, full[4], f_full;
        int calls_full = 0, calls_a = 0, calls_b = 0;
        qh_optimizer *a = make(nm, 4);
        qh_optimizer_set_stop(a, 40, 0, 0);
        qh_optimizer_set(a, bowl, &calls_full, x0);
        cr_assert_eq(qh_optimizer_run(a, NULL, NULL, NULL), QS_OK);
        memcpy(full, qh_optimizer_x(a), sizeof full);
        size_t iters = qh_optimizer_iterations(a);
        f_full = qh_optimizer_f(a);
        size_t evals = qh_optimizer_evaluations(a);
        qh_optimizer_free(a);

        saver sv = {iters / 2, NULL, 0};
        a = make(nm, 4);
        qh_optimizer_set_stop(a, 40, 0, 0);
        qh_optimizer_set(a, bowl, &calls_a, x0);
        cr_assert_eq(qh_optimizer_run(a, save_at, &sv, NULL), QS_ECALLBACK, "%s after %zu", nm,
                     iters);
        qh_optimizer_free(a);

        qh_optimizer *b = make(nm, 4);
        qh_optimizer_set_stop(b, 40, 0, 0);
        cr_assert_eq(qh_optimizer_resume(b, bowl, &calls_b, sv.buf, sv.len), QS_OK, "%s: %s", nm,
                     qs_last_error());
        cr_assert_eq(qh_optimizer_iterations(b), iters / 2);
        cr_assert_eq(qh_optimizer_run(b, NULL, NULL, NULL), QS_OK);
        cr_assert(memcmp(full, qh_optimizer_x(b), sizeof full) == 0, "%s: resumed run differs", nm);
        cr_assert(f_full == qh_optimizer_f(b));
        cr_assert_eq(qh_optimizer_evaluations(b), evals);
        cr_assert_eq(calls_a + calls_b, calls_full, "%s: %d + %d evaluations, %d uninterrupted",
                     nm, calls_a, calls_b, calls_full);
        /* a checkpoint of another type or size is refused */
        qh_optimizer *c = make(k ? "gd" : "adam", 4);
        cr_assert_eq(qh_optimizer_resume(c, bowl, NULL, sv.buf, sv.len), QS_EINVAL);
        qh_optimizer_free(c);
        qh_optimizer_free(b);
        free(sv.buf);
    }
}

Test(opt, replay_detects_another_function)
{
    qh_optimizer *a = make("bfgs", 2);
    double x0[2] = {-1.2, 1};
    qh_optimizer_set(a, rosenbrock, NULL, x0);
    for (int i = 0; i < 5; i++)
        qh_optimizer_iterate(a);
    size_t len;
    qh_optimizer_save(a, NULL, 0, &len);
    double *buf = malloc(sizeof *buf * len);
    qh_optimizer_save(a, buf, len, &len);
    buf[len - 5] += 1e-3;   /* a logged value changed: the replay takes another path */
    qh_optimizer *b = make("bfgs", 2);
    cr_assert_eq(qh_optimizer_resume(b, rosenbrock, NULL, buf, len), QS_EINVAL);
    cr_assert_eq(qh_optimizer_resume(b, rosenbrock, NULL, buf, len - 1), QS_EINVAL);
    free(buf);
    qh_optimizer_free(a);
    qh_optimizer_free(b);
}

Test(opt, registry_and_bad_arguments)
{
    int n = 0;
    while (qh_optimizer_type_at(n))
        n++;
    cr_assert_eq(n, 6);
    cr_assert_eq(qh_optimizer_lookup("nm"), qh_optimizer_nelder_mead);
    cr_assert_null(qh_optimizer_lookup("lbfgs"));
    qh_optimizer *o;
    cr_assert_eq(qh_optimizer_alloc(qh_optimizer_adam, 0, &o), QS_EINVAL);
    cr_assert_eq(qh_optimizer_alloc(qh_optimizer_qng, 2, &o), QS_OK);
    double x0[2] = {0, 0};
    cr_assert_eq(qh_optimizer_set(o, parabola, NULL, x0), QS_EINVAL, "qng without a metric");
    cr_assert(strstr(qs_last_error(), "metric"));
    cr_assert_eq(qh_optimizer_iterate(o), QS_EINVAL, "not set");
    qh_optimizer_free(o);
    qh_optimizer_free(NULL);
}
