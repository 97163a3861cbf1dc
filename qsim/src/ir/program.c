/*
 * program.c - running compiled programs (compile.c builds them).
 *
 * A run walks the schedule once: segments run block by block
 * (segment.c), the other steps one by one; constant ops go straight to
 * the localiser, parameterized gates are rebuilt from their expressions on
 * the stack, measurements and resets draw from the caller's generator,
 * and conditions read the classical bits.  Nothing is allocated per run.
 */
#include "loc/loc.h"
#include "core/check.h"
#include "core/error.h"
#include "ir/classical.h"
#include "ir/lower.h"
#include "ir/program_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

QS_API void qs_program_destroy(qs_program *p)
{
    if (!p)
        return;
    qs__program_schedule_free(p);
    free(p->steps);
    free(p->data);
    free(p->args);
    free(p->nodes);
    free(p->deferred);
    free(p);
}

QS_API int qs_program_num_qubits(const qs_program *p) { return p ? p->nq : 0; }
QS_API int qs_program_num_clbits(const qs_program *p) { return p ? p->nc : 0; }
QS_API int qs_program_num_params(const qs_program *p) { return p ? p->np : 0; }
QS_API int qs_program_is_dynamic(const qs_program *p) { return p ? p->dynamic : 0; }
QS_API size_t qs_program_num_fused_ops(const qs_program *p) { return p ? p->nfops : 0; }
QS_API int qs_program_num_deferred(const qs_program *p) { return p ? p->ndeferred : 0; }

QS_API qs_status qs_program_deferred(const qs_program *p, int i, int *qubit, int *clbit)
{
    QS_CHECK_NULL(__func__, p);
    if (i < 0 || i >= p->ndeferred)
        return qs__fail(QS_ERANGE, __func__, "i %d out of range for %d deferred measurements", i,
                        p->ndeferred);
    if (qubit)
        *qubit = p->deferred[2 * i];
    if (clbit)
        *clbit = p->deferred[2 * i + 1];
    return QS_OK;
}

static int cond_holds(const qs__step *s, const unsigned char *clbits)
{
    uint64_t v = 0;
    for (int b = 0; b < s->cbits; b++)
        v |= (uint64_t)(clbits[s->cfirst + b] & 1) << b;
    return v == s->cval;
}

qs_status qs__program_check_run(const char *func, const qs_program *p, const double *params,
                                size_t num_params, const qs_state *s)
{
    QS_CHECK_NULL(func, p);
    QS_CHECK_NULL(func, s);
    if (num_params != (size_t)p->np)
        return qs__fail(QS_EINVAL, func, "%zu parameter values for a program of %d", num_params,
                        p->np);
    if (p->np > 0 && !params)
        return qs__null(func, "params");
    for (int i = 0; i < p->np; i++)
        if (!isfinite(params[i]))
            return qs__fail(QS_EINVAL, func, "parameter %d is %g", i, params[i]);
    if (s->nq < p->nq)
        return qs__fail(QS_EINVAL, func, "a %d-qubit program on a %d-qubit state", p->nq,
                        s->nq);
    return QS_OK;
}

QS_API qs_status qs_program_run(const qs_program *p, const double *params, size_t num_params,
                                qs_state *s, qs_rng *rng, unsigned char *clbits)
{
    QS_TRY(qs__program_check_run(__func__, p, params, num_params, s));
    if (p->dynamic && !rng)
        return qs__fail(QS_EINVAL, __func__, "the program measures or resets: rng is NULL");
    if (p->nc > 0 && !clbits)
        return qs__fail(QS_EINVAL, __func__, "the program has %d classical bits: clbits is NULL",
                        p->nc);
    if (clbits)
        memset(clbits, 0, (size_t)p->nc);
    size_t at;
    if (p->nbits == p->nc)
        return qs__program_exec(p, params, s, 0, 0, rng, clbits, &at);
    /* Hidden bits (variables, guards) need room the caller does not give. */
    unsigned char *bits = calloc((size_t)p->nbits, 1);
    qs_status ok = qs__loc_agree(s, bits ? QS_OK : qs__fail(QS_ENOMEM, __func__, "out of memory"));
    if (ok != QS_OK) {   /* on any rank of a distributed state */
        free(bits);
        return ok;
    }
    qs_status st = qs__program_exec(p, params, s, 0, 0, rng, bits, &at);
    if (clbits)
        memcpy(clbits, bits, (size_t)p->nc);
    free(bits);
    return st;
}

/* Runs step i (not part of a segment); *stopped when stop is set and it
 * is a measurement or reset whose condition holds. */
static qs_status exec_step(const qs_program *p, size_t i, const double *params, qs_state *s,
                           int stop, qs_rng *rng, unsigned char *clbits, int *stopped)
{
    const qs__step *st = &p->steps[i];
    *stopped = 0;
    if (st->has_cond && !cond_holds(st, clbits))
        return QS_OK;
    if (stop && (st->kind == QS__S_MEASURE || st->kind == QS__S_RESET)) {
        *stopped = 1;
        return QS_OK;
    }
    switch (st->kind) {
    case QS__S_MEASURE: {
        uint64_t o;
        QS_TRY(qs__loc_measure("qs_program_run", s, st->q, 1, rng, &o, NULL));
        if (clbits && st->clbit >= 0)
            clbits[st->clbit] = (unsigned char)o;
        return QS_OK;
    }
    case QS__S_RESET: return qs__loc_reset("qs_program_run", s, st->q, 1, rng);
    case QS__S_BARRIER: return QS_OK;
    case QS__S_STORE: {
        const qs__arg *a = &p->args[st->aoff];
        int64_t v = qs__c_eval(p->nodes + a->off, a->len, clbits);
        for (int b = 0; b < st->count; b++)
            clbits[st->clbit + b] = (unsigned char)((uint64_t)v >> (b < 64 ? b : 63) & 1);
        return QS_OK;
    }
    case QS__S_FAIL:
        return qs__fail(QS_ETOOBIG, "qs_program_run", "line %d:%d: the while loop did not end "
                        "within %d iterations (the limit of loops on measured bits)", st->line,
                        st->col, st->count);
    default: {
        double args[QS__STEP_MAX_ARGS];
        QS_TRY(qs__step_args_finite(p, i, params, args, "qs_program_run"));
        return qs__step_apply(p, st, args, QS__FORWARD, 0, s);
    }
    }
}

qs_status qs__program_exec(const qs_program *p, const double *params, qs_state *s, size_t from,
                           int stop, qs_rng *rng, unsigned char *clbits, size_t *at)
{
    size_t i = from;
    int stopped;
    /* Step by step where there is no schedule, or up to the next place
     * where an entry starts. */
    while (i < p->n && (!p->entries || p->entry_at[i] < 0)) {
        QS_TRY(exec_step(p, i, params, s, stop, rng, clbits, &stopped));
        if (stopped) {
            *at = i;
            return QS_OK;
        }
        i++;
    }
    if (i < p->n)
        for (size_t e = (size_t)p->entry_at[i]; e < p->nentries; e++) {
            const qs__entry *en = &p->entries[e];
            if (en->seg >= 0) {
                QS_TRY(qs__segment_run(p, &p->segs[en->seg], params, s));
                continue;
            }
            QS_TRY(exec_step(p, (size_t)en->step, params, s, stop, rng, clbits, &stopped));
            if (stopped) {
                *at = (size_t)en->step;
                return QS_OK;
            }
        }
    *at = p->n;
    return QS_OK;
}
