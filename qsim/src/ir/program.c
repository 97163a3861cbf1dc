/*
 * program.c - compiling circuits into programs and running them.
 *
 * A run walks the steps once: constant ops go straight to the backend,
 * parameterized gates are rebuilt from their expressions on the stack,
 * measurements and resets draw from the caller's generator, and
 * conditions read the classical bits.  Nothing is allocated per run.
 */
#include "api/state_impl.h"
#include "core/check.h"
#include "core/error.h"
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

static void *dup_mem(const void *s, size_t n)
{
    void *d = malloc(n ? n : 1);
    if (d && n)
        memcpy(d, s, n);
    return d;
}

/* Size in doubles of a lowered gate's matrix data. */
static size_t gmat_size(const qs__gmat *g)
{
    size_t d = (size_t)1 << g->nt;
    if (g->kind == QS__OP_DENSE)
        return 2 * d * d;
    if (g->kind == QS__OP_PERM && !g->phased)
        return 0;
    return 2 * d;
}

/* Marks in term[i] the unconditional measurements that are terminal:
 * nothing after them acts on their qubit, writes their bit or reads it in
 * a condition (barriers do not count).  One backward sweep. */
static int find_terminal(const qs_circuit *c, unsigned char *term)
{
    unsigned char *bits = calloc((size_t)c->nc + 1, 1);   /* 1 written, 2 read */
    if (!bits)
        return 0;
    uint64_t touched = 0;
    for (size_t i = c->n; i-- > 0;) {
        const qs__instr *in = &c->ins[i];
        const int *q = c->qubits + in->qoff;
        uint64_t mask = 0;
        for (int j = 0; j < in->nq; j++)
            mask |= UINT64_C(1) << q[j];
        if (in->kind == QS__I_MEASURE) {
            term[i] = !in->has_cond && !(touched & mask) && (in->clbit < 0 || !bits[in->clbit]);
            if (in->clbit >= 0)
                bits[in->clbit] |= 1;
        }
        if (in->kind != QS__I_BARRIER)
            touched |= mask;
        if (in->has_cond)
            for (int b = 0; b < in->cbits; b++)
                bits[in->cfirst + b] |= 2;
    }
    free(bits);
    return 1;
}

QS_API qs_status qs_program_compile(const qs_circuit *c, unsigned flags, qs_program **out)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    if (flags & ~(unsigned)(QS_COMPILE_DEFER_MEASURE | QS_COMPILE_NO_FUSION))
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    qs_program *p = calloc(1, sizeof *p);
    unsigned char *term = p ? calloc(c->n + 1, 1) : NULL;
    if (!term || ((flags & QS_COMPILE_DEFER_MEASURE) && !find_terminal(c, term))) {
        free(term);
        qs_program_destroy(p);
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    p->nq = c->nq;
    p->nc = c->nc;
    p->np = c->np;
    p->steps = calloc(c->n ? c->n : 1, sizeof *p->steps);
    p->args = dup_mem(c->args, sizeof *c->args * c->nargs);
    p->nodes = dup_mem(c->nodes, sizeof *c->nodes * c->nnodes);
    /* Constant data: at most the circuit's matrices plus one gate each. */
    size_t dcap = c->ndata + c->n * (2u << (2 * QS__GATE_MAX_T)), nd = 0;
    p->data = malloc(sizeof(double) * (dcap ? dcap : 1));
    p->deferred = malloc(sizeof(int) * 2 * (c->n + 1));
    if (!p->steps || !p->args || !p->nodes || !p->data || !p->deferred) {
        free(term);
        qs_program_destroy(p);
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    int diag_cdoff = -1;   /* the last diagonal table copied, shared by the next ones */
    long diag_pdoff = -1;
    for (size_t i = 0; i < c->n; i++) {
        const qs__instr *in = &c->ins[i];
        const int *q = c->qubits + in->qoff;
        if (term[i]) {
            p->deferred[2 * p->ndeferred] = q[0];
            p->deferred[2 * p->ndeferred + 1] = in->clbit;
            p->ndeferred++;
            continue;
        }
        qs__step *s = &p->steps[p->n++];
        s->doff = -1;
        s->line = in->line;
        s->col = in->col;
        s->na = in->na;
        s->aoff = in->aoff;
        s->has_cond = in->has_cond;
        s->cfirst = in->cfirst;
        s->cbits = in->cbits;
        s->cval = in->cval;
        p->dynamic |= in->has_cond;
        uint64_t xcm = 0, xcv = 0;
        for (int j = 0; j < in->nx; j++) {
            uint64_t bit = UINT64_C(1) << c->qubits[in->xoff + j];
            xcm |= bit;
            xcv |= (in->xval >> j & 1) ? bit : 0;
        }
        switch (in->kind) {
        case QS__I_GATE: {
            const qs__gate_info *gi = &qs__gates[in->gate];
            double prm[4];
            int constant = 1;
            for (int a = 0; a < in->na; a++) {
                const qs__arg *ar = &c->args[in->aoff + a];
                constant &= qs__x_is_const(c->nodes + ar->off, ar->len, &prm[a]);
            }
            s->gate = in->gate;
            memcpy(s->q, q, sizeof(int) * (size_t)in->nq);
            if (!constant) {
                s->kind = QS__S_PGATE;
                s->xcm = xcm;
                s->xcv = xcv;
                break;
            }
            qs__gmat gm;
            qs__gate_build(in->gate, prm, &gm);
            uint64_t cm = 0;
            for (int j = 0; j < gi->nc; j++)
                cm |= UINT64_C(1) << q[j];
            qs__lower_gmat(&gm, q + gi->nc, cm | xcm, cm | xcv, &s->op);
            size_t len = gmat_size(&gm);
            memcpy(p->data + nd, gm.m, sizeof(double) * len);
            s->doff = len ? (long)nd : -1;
            nd += len;
            s->kind = QS__S_OP;
            s->na = 0;   /* folded: no argument left to vary */
            break;
        }
        case QS__I_MATRIX: {
            size_t len = (size_t)2 << (2 * in->nq);
            memcpy(p->data + nd, c->data + in->doff, sizeof(double) * len);
            s->kind = QS__S_OP;
            s->op.kind = QS__OP_DENSE;
            s->op.nt = in->nq;
            s->op.cmask = xcm;
            s->op.cval = xcv;
            memcpy(s->op.targets, q, sizeof(int) * (size_t)in->nq);
            s->doff = (long)nd;
            nd += len;
            break;
        }
        case QS__I_PAULI: {
            uint64_t x, z;
            int ny;
            qs__pauli_masks(__func__, c->nq, q, c->pletters + in->poff, in->nq, &x, &z, &ny);
            double zero[2] = {0, 0};
            qs__lower_pauli(x, z, ny, zero, zero, &s->op);
            s->kind = QS__S_PAULI;
            break;
        }
        case QS__I_GPHASE: s->kind = QS__S_GPHASE; break;
        case QS__I_DIAGEXP:
            s->kind = QS__S_DIAGEXP;
            if (in->doff != diag_cdoff) {
                size_t len = (size_t)1 << c->nq;
                memcpy(p->data + nd, c->data + in->doff, sizeof(double) * len);
                diag_cdoff = in->doff;
                diag_pdoff = (long)nd;
                nd += len;
            }
            s->doff = diag_pdoff;
            break;
        case QS__I_QFT:
            s->kind = QS__S_QFT;
            s->first = q[0];
            s->count = in->nq;
            s->inv = (in->flags & QS_QFT_INVERSE) != 0;
            break;
        case QS__I_MEASURE:
            s->kind = QS__S_MEASURE;
            s->q[0] = q[0];
            s->clbit = in->clbit;
            p->dynamic = 1;
            break;
        case QS__I_RESET:
            s->kind = QS__S_RESET;
            s->q[0] = q[0];
            p->dynamic = 1;
            break;
        default: s->kind = QS__S_BARRIER; break;
        }
    }
    free(term);
    /* The data pool is final: point the ops at their matrices. */
    for (size_t i = 0; i < p->n; i++)
        if (p->steps[i].doff >= 0 && p->steps[i].kind == QS__S_OP)
            p->steps[i].op.m = p->data + p->steps[i].doff;
    if (!(flags & QS_COMPILE_NO_FUSION)) {
        qs_status st = qs__program_schedule(p, __func__);
        if (st != QS_OK) {
            qs_program_destroy(p);
            return st;
        }
    }
    *out = p;
    return QS_OK;
}

QS_API int qs_program_num_qubits(const qs_program *p) { return p ? p->nq : 0; }
QS_API int qs_program_num_clbits(const qs_program *p) { return p ? p->nc : 0; }
QS_API int qs_program_num_params(const qs_program *p) { return p ? p->np : 0; }
QS_API int qs_program_is_dynamic(const qs_program *p) { return p ? p->dynamic : 0; }
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
    if (s->sv.nq < p->nq)
        return qs__fail(QS_EINVAL, func, "a %d-qubit program on a %d-qubit state", p->nq,
                        s->sv.nq);
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
    return qs__program_exec(p, params, s, 0, 0, rng, clbits, &at);
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
        QS_TRY(qs_state_measure(s, st->q, 1, rng, &o, NULL));
        if (clbits && st->clbit >= 0)
            clbits[st->clbit] = (unsigned char)o;
        return QS_OK;
    }
    case QS__S_RESET: return qs_state_reset(s, st->q, 1, rng);
    case QS__S_BARRIER: return QS_OK;
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
