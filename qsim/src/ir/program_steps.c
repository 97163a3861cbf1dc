/*
 * program_steps.c - public entry points for the steps of a program: their
 * flags, arguments and the parameters behind them (the chain rule through
 * expressions), their spectra for shift rules, and applying one step, its
 * adjoint or its derivative, or a slice of steps forward or backward.
 * Checks arguments, then calls step.c.
 */
#include "loc/loc.h"
#include "core/check.h"
#include "core/error.h"
#include "ir/program_impl.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

QS_API size_t qs_program_num_steps(const qs_program *p) { return p ? p->n : 0; }

QS_API unsigned qs_program_step_flags(const qs_program *p, size_t k)
{
    if (!p || k >= p->n)
        return 0;
    const qs__step *st = &p->steps[k];
    return (qs__step_uses_params(p, st) ? QS_STEP_PARAMETERIZED : 0u) |
           (qs__step_nonunitary(st) ? QS_STEP_NONUNITARY : 0u) |
           (st->paired ? QS_STEP_PAIRED : 0u);
}

QS_API int qs_program_step_num_args(const qs_program *p, size_t k)
{
    return p && k < p->n ? p->steps[k].na : -1;
}

static qs_status get_step(const char *func, const qs_program *p, size_t k, const qs__step **st)
{
    QS_CHECK_NULL(func, p);
    if (k >= p->n)
        return qs__fail(QS_ERANGE, func, "step %zu out of range for a program of %zu steps", k,
                        p->n);
    *st = &p->steps[k];
    return QS_OK;
}

static qs_status get_arg(const char *func, const qs_program *p, size_t k, int a,
                         const qs__step **st)
{
    QS_TRY(get_step(func, p, k, st));
    if (a < 0 || a >= (*st)->na)
        return qs__fail(QS_ERANGE, func, "argument %d out of range for step %zu (%d arguments)", a,
                        k, (*st)->na);
    return QS_OK;
}

static qs_status check_params(const char *func, const qs_program *p, const double *params,
                              size_t num_params)
{
    if (num_params != (size_t)p->np)
        return qs__fail(QS_EINVAL, func, "%zu parameter values for a program of %d", num_params,
                        p->np);
    if (p->np > 0 && !params)
        return qs__null(func, "params");
    return QS_OK;
}

/* "step 3 (line 7:5) measures: ..." */
static qs_status refuse(const char *func, const qs__step *st, size_t k)
{
    const char *what = st->has_cond ? "is conditional" : st->kind == QS__S_MEASURE ? "measures"
                       : st->kind == QS__S_RESET ? "resets" : "is classical";
    char where[48] = "";
    if (st->line > 0)
        snprintf(where, sizeof where, " (line %d:%d)", st->line, st->col);
    return qs__fail(QS_EUNSUPPORTED, func,
                    "step %zu%s %s: slices, adjoints and derivatives need unitary steps (no "
                    "measurement, reset or condition)", k, where, what);
}

QS_API qs_status qs_program_step_args(const qs_program *p, size_t k, const double *params,
                                      size_t num_params, double *args)
{
    const qs__step *st = NULL;
    QS_TRY(get_step(__func__, p, k, &st));
    QS_TRY(check_params(__func__, p, params, num_params));
    if (st->na > 0 && !args)
        return qs__null(__func__, "args");
    return qs__step_args_finite(p, k, params, args, __func__);
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

QS_API qs_status qs_program_step_arg_params(const qs_program *p, size_t k, int a, int *idx,
                                            int max, int *count)
{
    const qs__step *st = NULL;
    QS_TRY(get_arg(__func__, p, k, a, &st));
    QS_CHECK_NULL(__func__, count);
    if (max < 0 || (max > 0 && !idx))
        return qs__fail(QS_EINVAL, __func__, "max %d with idx %s", max, idx ? "set" : "NULL");
    const qs__arg *ar = &p->args[st->aoff + a];
    /* Distinct parameter indices, sorted: an expression has few nodes. */
    int seen[QS__X_MAX], n = 0;
    for (int i = 0; i < ar->len; i++) {
        const qs__xnode *nd = &p->nodes[ar->off + i];
        if (nd->op != QS__X_PARAM)
            continue;
        int dup = 0;
        for (int j = 0; j < n && !dup; j++)
            dup = seen[j] == nd->param;
        if (!dup)
            seen[n++] = nd->param;
    }
    qsort(seen, (size_t)n, sizeof *seen, cmp_int);
    for (int j = 0; j < n && j < max; j++)
        idx[j] = seen[j];
    *count = n;
    return QS_OK;
}

QS_API qs_status qs_program_step_arg_grad(const qs_program *p, size_t k, int a,
                                          const double *params, size_t num_params, double seed,
                                          double *grad)
{
    const qs__step *st = NULL;
    QS_TRY(get_arg(__func__, p, k, a, &st));
    QS_TRY(check_params(__func__, p, params, num_params));
    if (p->np > 0)
        QS_CHECK_NULL(__func__, grad);
    const qs__arg *ar = &p->args[st->aoff + a];
    qs__x_eval_grad(p->nodes + ar->off, ar->len, params, seed, grad);
    return QS_OK;
}

/* How argument x of a named gate enters the entries of its base matrix
 * V: HALF as e^{+-ix/2} (rotations), PHASE as 1 and e^{ix}, RPHI as
 * e^{-ix}, 1, e^{ix}; NONE not at all. */
enum { NONE, HALF, PHASE, RPHI };

static int gate_arg_class(int g, int a)
{
    switch (g) {
    case QS_GATE_U0: return NONE;
    case QS_GATE_U1: case QS_GATE_P: case QS_GATE_CU1: case QS_GATE_CP: case QS_GATE_U2:
        return PHASE;
    case QS_GATE_U3: case QS_GATE_U: case QS_GATE_CU3: case QS_GATE_CU:
        return a == 0 ? HALF : PHASE;
    case QS_GATE_R: return a == 0 ? HALF : RPHI;
    case QS_GATE_RX: case QS_GATE_RY: case QS_GATE_RZ: case QS_GATE_CRX: case QS_GATE_CRY:
    case QS_GATE_CRZ: case QS_GATE_RXX: case QS_GATE_RYY: case QS_GATE_RZZ: case QS_GATE_RZX:
        return HALF;
    default: return -1;
    }
}

/* Spectrum of exp(-i t D): frequencies are differences of D's values; for
 * integers they are the multiples of their gcd up to max - min. */
static qs_status diag_spectrum(const char *func, const double *v, uint64_t len, double *omega,
                               int *degree)
{
    double lo = v[0], hi = v[0];
    for (uint64_t i = 0; i < len; i++) {
        if (v[i] != nearbyint(v[i]) || fabs(v[i]) > 1e15)
            return qs__fail(QS_EUNSUPPORTED, func,
                            "diagonal value %.17g is not an integer: no finite shift rule", v[i]);
        lo = fmin(lo, v[i]);
        hi = fmax(hi, v[i]);
    }
    uint64_t g = 0;
    for (uint64_t i = 0; i < len && g != 1; i++) {
        uint64_t d = (uint64_t)(v[i] - lo);
        while (d) {
            uint64_t r = g % d;
            g = d;
            d = r;
        }
    }
    if (g == 0) {
        *omega = 1;
        *degree = 0;
        return QS_OK;
    }
    double R = (hi - lo) / (double)g;
    if (R > INT_MAX)
        return qs__fail(QS_EUNSUPPORTED, func, "diagonal spectrum of degree %g", R);
    *omega = (double)g;
    *degree = (int)R;
    return QS_OK;
}

QS_API qs_status qs_program_step_arg_spectrum(const qs_program *p, size_t k, int a,
                                              double *omega, int *degree)
{
    const qs__step *st = NULL;
    QS_TRY(get_arg(__func__, p, k, a, &st));
    QS_CHECK_NULL(__func__, omega);
    QS_CHECK_NULL(__func__, degree);
    *omega = 1;
    *degree = 0;
    switch (st->kind) {
    case QS__S_PAULI: *degree = 1; return QS_OK;      /* generator P/2: gap 1 */
    case QS__S_GPHASE: return QS_OK;                  /* cancels in every expectation */
    case QS__S_DIAGEXP:
        return diag_spectrum(__func__, p->data + st->doff, UINT64_C(1) << p->nq, omega, degree);
    case QS__S_PGATE: break;
    default: return QS_OK;
    }
    int cls = gate_arg_class(st->gate, a);
    switch (cls) {
    case NONE: return QS_OK;
    case PHASE: *degree = 1; return QS_OK;
    case RPHI: *degree = 2; return QS_OK;
    case HALF:
        /* Entries e^{+-ix/2}, and 1 on the uncontrolled block when the gate
         * has controls: gaps 1, or 1/2 and 1. */
        if (qs__gates[st->gate].nc > 0 || st->xcm) {
            *omega = 0.5;
            *degree = 2;
        } else {
            *degree = 1;
        }
        return QS_OK;
    default:
        return qs__fail(QS_EUNSUPPORTED, __func__, "no spectrum known for argument %d of %s", a,
                        qs__gates[st->gate].name);
    }
}

static qs_status check_state(const char *func, const qs_program *p, const qs_state *s)
{
    QS_CHECK_NULL(func, s);
    if (s->nq < p->nq)
        return qs__fail(QS_EINVAL, func, "a %d-qubit program on a %d-qubit state", p->nq,
                        s->nq);
    return QS_OK;
}

static qs_status check_args(const char *func, const qs__step *st, size_t k, const double *args)
{
    if (st->na > 0 && !args)
        return qs__null(func, "args");
    for (int a = 0; a < st->na; a++)
        if (!isfinite(args[a]))
            return qs__fail(QS_EINVAL, func, "argument %d of step %zu is %g", a, k, args[a]);
    return QS_OK;
}

QS_API qs_status qs_program_step_apply(const qs_program *p, size_t k, const double *args,
                                       unsigned flags, qs_state *s)
{
    const qs__step *st = NULL;
    QS_TRY(get_step(__func__, p, k, &st));
    QS_TRY(check_state(__func__, p, s));
    if (flags & ~(unsigned)QS_RUN_ADJOINT)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    if (qs__step_nonunitary(st))
        return refuse(__func__, st, k);
    QS_TRY(check_args(__func__, st, k, args));
    return qs__step_apply(p, st, args, (flags & QS_RUN_ADJOINT) ? QS__ADJOINT : QS__FORWARD, 0, s);
}

QS_API qs_status qs_program_step_apply_derivative(const qs_program *p, size_t k, int a,
                                                  const double *args, qs_state *s)
{
    const qs__step *st = NULL;
    QS_TRY(get_arg(__func__, p, k, a, &st));
    QS_TRY(check_state(__func__, p, s));
    if (qs__step_nonunitary(st))
        return refuse(__func__, st, k);
    QS_TRY(check_args(__func__, st, k, args));
    return qs__step_apply(p, st, args, QS__DERIVATIVE, a, s);
}

QS_API qs_status qs_program_run_range(const qs_program *p, const double *params,
                                      size_t num_params, size_t first, size_t end,
                                      unsigned flags, qs_state *s)
{
    QS_CHECK_NULL(__func__, p);
    QS_TRY(check_params(__func__, p, params, num_params));
    QS_TRY(check_state(__func__, p, s));
    if (flags & ~(unsigned)QS_RUN_ADJOINT)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    if (first > end || end > p->n)
        return qs__fail(QS_ERANGE, __func__, "steps [%zu, %zu) out of range for %zu steps", first,
                        end, p->n);
    for (size_t k = first; k < end; k++)
        if (qs__step_nonunitary(&p->steps[k]))
            return refuse(__func__, &p->steps[k], k);
    int adj = (flags & QS_RUN_ADJOINT) != 0;
    for (size_t i = 0; i < end - first; i++) {
        size_t k = adj ? end - 1 - i : first + i;
        const qs__step *st = &p->steps[k];
        double args[QS__STEP_MAX_ARGS];
        QS_TRY(qs__step_args_finite(p, k, params, args, __func__));
        QS_TRY(qs__step_apply(p, st, args, adj ? QS__ADJOINT : QS__FORWARD, 0, s));
    }
    return QS_OK;
}
