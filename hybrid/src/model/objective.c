/*
 * objective.c - objectives E(params) = <0|U^dag O U|0> with a Pauli-sum or
 * diagonal observable: values, gradients by the three methods, batches of
 * parameter vectors, and the objective as an optimizer's function.
 *
 * Batches: the vectors are dealt out to the ranks (par.h); on each rank, a
 * state below BATCH_ACROSS_QUBITS qubits is too small for the kernels to
 * use threads, so its vectors run side by side, one per thread (each in its
 * own workspace slot); larger states run one vector after the other with
 * threaded kernels.  Each result depends only on its own vector, so
 * batches give the same bits as single calls, whatever the rank and thread
 * counts.  A single gradient by shifts or differences spreads its
 * evaluations over the ranks the same way (grad/).
 *
 * Noisy objectives hold the density matrix while it fits (the memory
 * check, for the 3 states of 2n qubits a slot keeps) and run by
 * trajectories beyond: each value is then the mean over o->traj seeded
 * trajectories (qs_trajectories_run), the same ones at every point
 * (common random numbers), with its standard error; gradients by central
 * differences of those means.
 */
#include "par/par.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Below this many qubits a batch runs one vector per thread. */
#define BATCH_ACROSS_QUBITS 15
/* Central differences of trajectory means: a wider step than for exact
 * values (the default 1e-6), since a sampled Kraus operator whose
 * probability depends on the parameters can change between x + h and
 * x - h. */
#define TRAJ_FD_STEP 1e-3

QH_API const char *qh_version(void) { return "0.1.0"; }

static qs_status create(const char *func, const qs_circuit *c, const qs_pauli_sum *h,
                        const double *values, const qs_noise_model *noise, qh_objective **out)
{
    if (!out)
        return qs_set_error(QS_EINVAL, func, "out is NULL");
    *out = NULL;
    if (!c)
        return qs_set_error(QS_EINVAL, func, "c is NULL");
    int nq = qs_circuit_num_qubits(c);
    if (nq < 1)
        return qs_set_error(QS_EINVAL, func, "the circuit has no qubit");
    if (h && qs_pauli_sum_num_qubits(h) > nq)
        return qs_set_error(QS_EINVAL, func, "a %d-qubit observable for a %d-qubit circuit",
                            qs_pauli_sum_num_qubits(h), nq);
    qh_objective *o = calloc(1, sizeof *o);
    if (!o)
        return qs_set_error(QS_ENOMEM, func, "out of memory");
    o->nq = nq;
    o->np = qs_circuit_num_params(c);
    o->fd_step = 1e-6;
    qs_status st;
    if (noise) {
        /* Under noise the objective is Tr(rho H) on the density matrix: its
         * program acts on the 2n qubits of the vectorised rho, while the
         * slot's 3 states fit; beyond, trajectories of n qubits. */
        st = qs_noise_model_apply(noise, c, &o->noisy);
        int fits = 2 * nq <= QS_MAX_QUBITS - 2 &&
                   qs_memory_check((uint64_t)3 * 16 << (2 * nq)) == QS_OK;
        if (st == QS_OK && fits) {
            st = qs_density_compile(o->noisy, QS_COMPILE_DEFER_MEASURE, &o->prog);
            o->dm = 1;
            o->method = QH_GRAD_PARAM_SHIFT;   /* the adjoint method needs a pure state */
        } else if (st == QS_OK) {
            qs_clear_error();
            o->traj = QH_DEFAULT_TRAJECTORIES;
            o->traj_seed = 1;
            o->method = QH_GRAD_FINITE_DIFF;
            o->fd_step = TRAJ_FD_STEP;
        }
    } else {
        st = qs_program_compile(c, QS_COMPILE_DEFER_MEASURE, &o->prog);
    }
    if (st == QS_OK && o->prog && qs_program_is_dynamic(o->prog))
        st = qs_set_error(QS_EUNSUPPORTED, func, "the circuit measures, resets or branches "
                          "before its end; an objective needs a unitary circuit (measurements "
                          "only at the end)");
    o->nc = st == QS_OK && o->prog ? qs_program_num_clbits(o->prog) : 0;
    qh__ws_init(&o->ws, o->dm ? 2 * nq : nq, 3, (size_t)o->nc, 0, 0, 0);
    if (st == QS_OK && h)
        st = qs_pauli_sum_copy(h, &o->h);
    if (st == QS_OK && values) {
        size_t len = (size_t)1 << nq;
        o->diag = malloc(sizeof *o->diag * len);
        if (!o->diag)
            st = qs_set_error(QS_ENOMEM, func, "out of memory");
        else
            memcpy(o->diag, values, sizeof *o->diag * len);
    }
    if (st != QS_OK) {
        qh_objective_destroy(o);
        return st;
    }
    *out = o;
    return QS_OK;
}

QH_API qs_status qh_objective_create(const qs_circuit *c, const qs_pauli_sum *h,
                                     qh_objective **out)
{
    if (!h)
        return QH_FAIL(QS_EINVAL, "h is NULL");
    return create(__func__, c, h, NULL, NULL, out);
}

QH_API qs_status qh_objective_create_diagonal(const qs_circuit *c, const double *values,
                                              qh_objective **out)
{
    if (!values)
        return QH_FAIL(QS_EINVAL, "values is NULL");
    if (c && qs_circuit_num_qubits(c) > 30)
        return QH_FAIL(QS_ETOOBIG, "a diagonal observable of %d qubits", qs_circuit_num_qubits(c));
    return create(__func__, c, NULL, values, NULL, out);
}

QH_API qs_status qh_objective_create_noisy(const qs_circuit *c, const qs_pauli_sum *h,
                                           const double *values, const qs_noise_model *noise,
                                           qh_objective **out)
{
    if (!h == !values)
        return QH_FAIL(QS_EINVAL, "give exactly one of h and values");
    if (!noise)
        return QH_FAIL(QS_EINVAL, "noise is NULL");
    if (c && values && qs_circuit_num_qubits(c) > 30)
        return QH_FAIL(QS_ETOOBIG, "a diagonal observable of %d qubits", qs_circuit_num_qubits(c));
    return create(__func__, c, h, values, noise, out);
}

QH_API int qh_objective_is_noisy(const qh_objective *o) { return o ? o->dm || o->traj : 0; }

QH_API size_t qh_objective_num_trajectories(const qh_objective *o) { return o ? o->traj : 0; }

QH_API qs_status qh_objective_set_trajectories(qh_objective *o, size_t n, uint64_t seed)
{
    QH_CHECK_NULL(o);
    if (!o->noisy)
        return QH_FAIL(QS_EINVAL, "trajectories need a noisy objective (qh_objective_create_noisy)");
    if (n < 2 || n > ((size_t)1 << 30))
        return QH_FAIL(QS_EINVAL, "%zu trajectories: give 2 to 2^30", n);
    if (o->shots)
        return QH_FAIL(QS_EUNSUPPORTED, "shot estimates and trajectories together: choose one");
    if (!o->traj && o->method == QH_GRAD_PARAM_SHIFT) {
        o->method = QH_GRAD_FINITE_DIFF;
        o->fd_step = TRAJ_FD_STEP;
    }
    o->traj = n;
    o->traj_seed = seed;
    return QS_OK;
}

QH_API void qh_objective_destroy(qh_objective *o)
{
    if (!o)
        return;
    qh__ws_free(&o->ws);
    qs_program_destroy(o->prog);
    qs_circuit_destroy(o->noisy);
    qs_pauli_sum_destroy(o->h);
    free(o->diag);
    free(o);
}

QH_API int qh_objective_num_params(const qh_objective *o) { return o ? o->np : 0; }
QH_API int qh_objective_num_qubits(const qh_objective *o) { return o ? o->nq : 0; }
QH_API const qs_program *qh_objective_program(const qh_objective *o) { return o ? o->prog : NULL; }

QH_API qs_status qh_objective_set_threads(qh_objective *o, int num_threads)
{
    QH_CHECK_NULL(o);
    if (num_threads < 0)
        return QH_FAIL(QS_EINVAL, "num_threads %d is negative", num_threads);
    o->threads = num_threads;
    return QS_OK;
}

QH_API qs_status qh_objective_set_method(qh_objective *o, int method)
{
    QH_CHECK_NULL(o);
    if (!qh_grad_method_name(method))
        return QH_FAIL(QS_EINVAL, "unknown gradient method %d", method);
    o->method = method;
    return QS_OK;
}

QH_API qs_status qh_objective_set_fd_step(qh_objective *o, double h)
{
    QH_CHECK_NULL(o);
    if (!(h > 0) || !isfinite(h))
        return QH_FAIL(QS_EINVAL, "step %g is not a positive number", h);
    o->fd_step = h;
    return QS_OK;
}

QH_API const char *qh_grad_method_name(int method)
{
    switch (method) {
    case QH_GRAD_ADJOINT: return "adjoint";
    case QH_GRAD_PARAM_SHIFT: return "shift";
    case QH_GRAD_FINITE_DIFF: return "fd";
    default: return NULL;
    }
}

QH_API qs_status qh_grad_method_lookup(const char *name, int *method)
{
    QH_CHECK_NULL(name);
    QH_CHECK_NULL(method);
    static const struct { const char *name; int m; } names[] = {
        {"adjoint", QH_GRAD_ADJOINT}, {"shift", QH_GRAD_PARAM_SHIFT},
        {"parameter-shift", QH_GRAD_PARAM_SHIFT}, {"fd", QH_GRAD_FINITE_DIFF},
        {"finite-difference", QH_GRAD_FINITE_DIFF},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i].name) == 0) {
            *method = names[i].m;
            return QS_OK;
        }
    return QH_FAIL(QS_EINVAL, "unknown gradient method '%s' (adjoint, shift, fd)", name);
}

qs_status qh__objective_slot0(qh_objective *o, qh__slot **w)
{
    QH_TRY(qh__ws_reserve(&o->ws, 1));
    *w = qh__ws_slot(&o->ws, 0);
    return QS_OK;
}

qs_status qh__objective_run(qh_objective *o, const double *params, qh__slot *w, qs_state *s)
{
    QH_TRY(qs_state_set_basis(s, 0));
    return qs_program_run(o->prog, params, (size_t)o->np, s, NULL, w->bits);
}

qs_status qh__objective_expect(const qh_objective *o, const qs_state *s, double *value)
{
    if (o->shots)
        return qh__objective_estimate(o, s, value);
    if (o->dm)
        return o->h ? qs_density_expect_state(s, o->h, value)
                    : qs_density_expect_diagonal_state(s, o->diag, value);
    if (o->h)
        return qs_state_expect(s, o->h, value);
    return qs_state_expect_diagonal(s, o->diag, value);
}

qs_status qh__objective_apply(const qh_objective *o, const qs_state *in, qs_state *out)
{
    if (o->h)
        return qs_pauli_sum_apply(o->h, in, out);
    QH_TRY(qs_state_assign(out, in));
    return qs_state_apply_real_diagonal(out, o->diag);
}

static uint64_t mix(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

/* Batches of a diagonal observable's trajectory mean: the library gives
 * the mean probabilities only, so the error comes from the spread of
 * TRAJ_BATCHES batch means. */
#define TRAJ_BATCHES 16

static qs_status traj_value(const qh_objective *o, const double *params, double *value,
                            double *se)
{
    size_t np = (size_t)o->np;
    if (o->h) {
        double ex[2];
        QH_TRY(qs_trajectories_run(o->noisy, params, np, o->traj, o->traj_seed, 0, NULL, o->h,
                                   ex, NULL));
        *value = ex[0];
        if (se)
            *se = ex[1];
        return QS_OK;
    }
    size_t D = (size_t)1 << o->nq, B = o->traj < TRAJ_BATCHES ? o->traj : TRAJ_BATCHES;
    double *p = malloc(sizeof *p * D), m[TRAJ_BATCHES], sum = 0, ss = 0;
    if (!p)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    qs_status st = QS_OK;
    for (size_t b = 0; b < B && st == QS_OK; b++) {
        size_t nb = o->traj / B + (b < o->traj % B);
        st = qs_trajectories_run(o->noisy, params, np, nb, mix(o->traj_seed ^ mix(b)), 0, p,
                                 NULL, NULL, NULL);
        m[b] = 0;
        for (size_t k = 0; k < D && st == QS_OK; k++)
            m[b] += p[k] * o->diag[k];
        sum += m[b] * (double)nb;
    }
    free(p);
    if (st != QS_OK)
        return st;
    *value = sum / (double)o->traj;
    for (size_t b = 0; b < B; b++)
        ss += (m[b] - *value) * (m[b] - *value);
    if (se)
        *se = B > 1 ? sqrt(ss / (double)(B - 1) / (double)B) : NAN;
    return QS_OK;
}

qs_status qh__objective_value(qh_objective *o, const double *params, qh__slot *w, double *value,
                              double *se)
{
    if (o->traj)
        return traj_value(o, params, value, se);
    QH_TRY(qh__objective_run(o, params, w, w->s[0]));
    if (se)
        *se = 0;
    return qh__objective_expect(o, w->s[0], value);
}

/* In slot w (reserved). */
static qs_status value_at(qh_objective *o, const double *params, qh__slot *w, double *value)
{
    return qh__objective_value(o, params, w, value, NULL);
}

/* In slot w (reserved); see qh__grad_shift for `spread`. */
static qs_status gradient_at(qh_objective *o, int method, const double *params, qh__slot *w,
                             int spread, double *value, double *grad)
{
    if (method == QH_GRAD_FINITE_DIFF)
        return qh__grad_fd(o, params, w, spread, value, grad);
    if (o->traj)
        return QH_FAIL(QS_EUNSUPPORTED, "this noisy objective runs by %zu trajectories (its "
                       "density matrix does not fit, or trajectories were asked for): "
                       "gradients by finite differences (fd) only", o->traj);
    if (method == QH_GRAD_PARAM_SHIFT)
        return qh__grad_shift(o, params, w, spread, value, grad);
    if (o->shots)
        return QH_FAIL(QS_EUNSUPPORTED, "the adjoint method is exact: with shots, use "
                       "parameter shift (shift) or finite differences (fd) on the estimates");
    if (o->dm)
        return QH_FAIL(QS_EUNSUPPORTED, "the adjoint method needs a pure state and this "
                       "objective is noisy (a density matrix): use parameter shift (shift) or "
                       "finite differences (fd)");
    /* one item: every rank runs it */
    QH_TRY(qh__objective_run(o, params, w, w->s[0]));
    if (value)
        QH_TRY(qh__objective_expect(o, w->s[0], value));
    QH_TRY(qh__objective_apply(o, w->s[0], w->s[1]));
    return qh_grad_adjoint(o->prog, params, (size_t)o->np, w->s[0], w->s[1], w->s[2], grad);
}

static qs_status check_call(const char *func, const qh_objective *o, const double *params,
                            const void *out)
{
    if (!o)
        return qs_set_error(QS_EINVAL, func, "o is NULL");
    if (o->np > 0 && !params)
        return qs_set_error(QS_EINVAL, func, "params is NULL");
    if (!out)
        return qs_set_error(QS_EINVAL, func, "output is NULL");
    return QS_OK;
}

QH_API qs_status qh_objective_value(qh_objective *o, const double *params, double *value)
{
    QH_TRY(check_call(__func__, o, params, value));
    qh__slot *w;
    QH_TRY(qh__objective_slot0(o, &w));
    return value_at(o, params, w, value);
}

QH_API qs_status qh_objective_gradient(qh_objective *o, int method, const double *params,
                                       double *value, double *grad)
{
    QH_TRY(check_call(__func__, o, params, o && o->np == 0 ? (void *)o : grad));
    if (!qh_grad_method_name(method))
        return QH_FAIL(QS_EINVAL, "unknown gradient method %d", method);
    qh__slot *w;
    QH_TRY(qh__objective_slot0(o, &w));
    return gradient_at(o, method, params, w, 1, value, grad);
}

QH_API qs_status qh_objective_value_error(qh_objective *o, const double *params,
                                          double *value, double *std_error)
{
    QH_TRY(check_call(__func__, o, params, value));
    QH_CHECK_NULL(std_error);
    qh__slot *w = NULL;
    if (!o->traj)
        QH_TRY(qh__objective_slot0(o, &w));
    return qh__objective_value(o, params, w, value, std_error);
}

QH_API qs_status qh_objective_state(qh_objective *o, const double *params, qs_state *out)
{
    QH_TRY(check_call(__func__, o, params, out));
    if (o->traj)
        return QH_FAIL(QS_EUNSUPPORTED, "this noisy objective runs by trajectories: it has no "
                       "single final state");
    if (qs_state_num_qubits(out) != (o->dm ? 2 : 1) * o->nq)
        return QH_FAIL(QS_EINVAL, "a %d-qubit state for a %d-qubit objective%s",
                       qs_state_num_qubits(out), o->nq,
                       o->dm ? " (noisy: its state is a density matrix of 2n qubits, "
                               "qs_density_state())" : "");
    qh__slot *w;
    QH_TRY(qh__objective_slot0(o, &w));
    return qh__objective_run(o, params, w, out);
}

/* ---- batches ----------------------------------------------------------- */

typedef struct {
    qh_objective *o;
    int method;              /* -1: values only */
    const double *params;
} batch;

/* Record of vector i: its value, then its gradient. */
static qs_status batch_item(void *ctx, size_t i, qh__slot *w, double *rec)
{
    batch *b = ctx;
    const double *x = b->params + i * (size_t)b->o->np;
    if (b->method < 0)
        return value_at(b->o, x, w, rec);
    return gradient_at(b->o, b->method, x, w, 0, rec, rec + 1);
}

static qs_status run_batch(qh_objective *o, size_t count, batch *b, double *values, double *grads)
{
    size_t np = (size_t)o->np, rec = 1 + (b->method < 0 ? 0 : np);
    double *out = malloc(sizeof *out * rec * (count ? count : 1));
    if (!out)
        return QH_FAIL(QS_ENOMEM, "out of memory for %zu results", count);
    int threads = o->nq >= BATCH_ACROSS_QUBITS ? 1 : o->threads;
    qs_status st = qh__spread(&o->ws, count, threads, rec, batch_item, b, out);
    for (size_t i = 0; i < count && st == QS_OK; i++) {
        if (values)
            values[i] = out[i * rec];
        if (grads && np)
            memcpy(grads + i * np, out + i * rec + 1, sizeof *grads * np);
    }
    free(out);
    return st;
}

QH_API qs_status qh_objective_values(qh_objective *o, size_t count, const double *params,
                                     double *values)
{
    QH_TRY(check_call(__func__, o, params, values));
    batch b = {o, -1, params};
    return run_batch(o, count, &b, values, NULL);
}

QH_API qs_status qh_objective_gradients(qh_objective *o, int method, size_t count,
                                        const double *params, double *values, double *grads)
{
    QH_TRY(check_call(__func__, o, params, o && o->np == 0 ? (void *)o : grads));
    if (!qh_grad_method_name(method))
        return QH_FAIL(QS_EINVAL, "unknown gradient method %d", method);
    batch b = {o, method, params};
    return run_batch(o, count, &b, values, grads);
}

/* ---- as an optimizer's function ---------------------------------------- */

QH_API qs_status qh_objective_fdf(void *objective, const double *x, double *f, double *grad)
{
    qh_objective *o = objective;
    QH_CHECK_NULL(o);
    QH_CHECK_NULL(f);
    qh__slot *w;
    QH_TRY(qh__objective_slot0(o, &w));
    if (!grad)
        return value_at(o, x, w, f);
    return gradient_at(o, o->method, x, w, 1, f, grad);
}

QH_API qs_status qh_objective_metric_fn(void *objective, const double *x, double *g)
{
    return qh_objective_metric(objective, x, g);
}

double qh__norm(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}
