/*
 * compile.c - qs_program_compile: lowering each instruction of a circuit
 * to a step (program_impl.h), one function per instruction kind, then
 * building the run schedule (schedule.c).  Constant gates become complete
 * backend ops whose matrices sit in the program's data pool; gates whose
 * arguments use parameters keep their expressions.
 */
#include "core/check.h"
#include "core/error.h"
#include "ir/classical.h"
#include "ir/lower.h"
#include "ir/program_impl.h"

#include <stdlib.h>
#include <string.h>

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
    /* 1 written, 2 read; hidden bits after the visible ones */
    unsigned char *bits = calloc((size_t)c->nc + (size_t)c->nvb + 1, 1);
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
                bits[qs__c_bit(in->cfirst + b, c->nc)] |= 2;
        if (in->kind == QS__I_STORE) {   /* reads the bits of its expression */
            const qs__arg *a = &c->args[in->aoff];
            for (int k = 0; k < a->len; k++) {
                const qs__xnode *x = &c->nodes[a->off + k];
                for (int b = 0; x->op == QS__C_BITS && b < (int)x->value / 2; b++)
                    bits[qs__c_bit(x->param + b, c->nc)] |= 2;
            }
        }
    }
    free(bits);
    return 1;
}

/* What lowering one instruction needs besides the step. */
typedef struct {
    const qs_circuit *c;
    qs_program *p;
    size_t nd;            /* doubles used in p->data */
    int diag_cdoff;       /* the last diagonal table copied, shared by the next ones */
    long diag_pdoff;
} lowering;

/* Appends len doubles to the data pool; returns their offset. */
static long pool_add(lowering *w, const double *src, size_t len)
{
    long off = (long)w->nd;
    memcpy(w->p->data + w->nd, src, sizeof(double) * len);
    w->nd += len;
    return off;
}

/* The extra controls of an instruction (qs_circuit_append_controlled_*)
 * as a qubit mask and the values those qubits need. */
static void extra_controls(const qs_circuit *c, const qs__instr *in, uint64_t *cm,
                           uint64_t *cv)
{
    *cm = *cv = 0;
    for (int j = 0; j < in->nx; j++) {
        uint64_t bit = UINT64_C(1) << c->qubits[in->xoff + j];
        *cm |= bit;
        *cv |= (in->xval >> j & 1) ? bit : 0;
    }
}

static void lower_gate(lowering *w, const qs__instr *in, const int *q, qs__step *s)
{
    const qs__gate_info *gi = &qs__gates[in->gate];
    double prm[4];
    int constant = 1;
    for (int a = 0; a < in->na; a++) {
        const qs__arg *ar = &w->c->args[in->aoff + a];
        constant &= qs__x_is_const(w->c->nodes + ar->off, ar->len, &prm[a]);
    }
    s->gate = in->gate;
    memcpy(s->q, q, sizeof(int) * (size_t)in->nq);
    uint64_t xcm, xcv;
    extra_controls(w->c, in, &xcm, &xcv);
    if (!constant) {
        s->kind = QS__S_PGATE;
        s->xcm = xcm;
        s->xcv = xcv;
        return;
    }
    qs__gmat gm;
    qs__gate_build(in->gate, prm, &gm);
    uint64_t cm = 0;
    for (int j = 0; j < gi->nc; j++)
        cm |= UINT64_C(1) << q[j];
    qs__lower_gmat(&gm, q + gi->nc, cm | xcm, cm | xcv, &s->op);
    size_t len = gmat_size(&gm);
    s->doff = len ? pool_add(w, gm.m, len) : -1;
    s->kind = QS__S_OP;
    s->na = 0;   /* folded: no argument left to vary */
}

static void lower_matrix(lowering *w, const qs__instr *in, const int *q, qs__step *s)
{
    s->kind = QS__S_OP;
    s->op.kind = QS__OP_DENSE;
    s->op.nt = in->nq;
    extra_controls(w->c, in, &s->op.cmask, &s->op.cval);
    memcpy(s->op.targets, q, sizeof(int) * (size_t)in->nq);
    s->doff = pool_add(w, w->c->data + in->doff, (size_t)2 << (2 * in->nq));
}

static void lower_pauli(lowering *w, const qs__instr *in, const int *q, qs__step *s)
{
    uint64_t x, z;
    int ny;
    /* checked when the instruction was added */
    qs__pauli_masks("qs_program_compile", w->c->nq, q, w->c->pletters + in->poff, in->nq, &x,
                    &z, &ny);
    double zero[2] = {0, 0};
    qs__lower_pauli(x, z, ny, zero, zero, &s->op);
    s->kind = QS__S_PAULI;
}

static void lower_diagexp(lowering *w, const qs__instr *in, qs__step *s)
{
    s->kind = QS__S_DIAGEXP;
    if (in->doff != w->diag_cdoff) {
        w->diag_pdoff = pool_add(w, w->c->data + in->doff, (size_t)1 << w->c->nq);
        w->diag_cdoff = in->doff;
    }
    s->doff = w->diag_pdoff;
}

static void lower_qft(const qs__instr *in, const int *q, qs__step *s)
{
    s->kind = QS__S_QFT;
    s->first = q[0];
    s->count = in->nq;
    s->inv = (in->flags & QS_QFT_INVERSE) != 0;
}

/* Measurements and resets. */
static void lower_collapse(qs_program *p, const qs__instr *in, const int *q, qs__step *s)
{
    s->kind = in->kind == QS__I_MEASURE ? QS__S_MEASURE : QS__S_RESET;
    s->q[0] = q[0];
    if (in->kind == QS__I_MEASURE)
        s->clbit = in->clbit;
    p->dynamic = 1;
}

/* Classical assignments (hidden bits after the visible ones) and the
 * failure of a loop past its limit. */
static void lower_classical(qs_program *p, const qs_circuit *c, const qs__instr *in, qs__step *s)
{
    if (in->kind == QS__I_STORE) {
        const qs__arg *a = &p->args[in->aoff];
        qs__c_map_bits(p->nodes + a->off, a->len, c->nc);
        s->kind = QS__S_STORE;
        s->clbit = qs__c_bit(in->clbit, c->nc);
    } else {
        s->kind = QS__S_FAIL;
    }
    s->count = (int)in->flags;
    p->dynamic = 1;
}

/* Lowers instruction in to a new step of the program. */
static void lower(lowering *w, const qs__instr *in)
{
    qs_program *p = w->p;
    const int *q = w->c->qubits + in->qoff;
    qs__step *s = &p->steps[p->n++];
    s->doff = -1;
    s->line = in->line;
    s->col = in->col;
    s->na = in->na;
    s->aoff = in->aoff;
    s->has_cond = in->has_cond;
    s->cfirst = qs__c_bit(in->cfirst, w->c->nc);
    s->cbits = in->cbits;
    s->cval = in->cval;
    s->paired = (in->flags & QS__I_PAIRED) != 0;
    p->dynamic |= in->has_cond;
    switch (in->kind) {
    case QS__I_GATE: lower_gate(w, in, q, s); break;
    case QS__I_MATRIX: lower_matrix(w, in, q, s); break;
    case QS__I_PAULI: lower_pauli(w, in, q, s); break;
    case QS__I_GPHASE: s->kind = QS__S_GPHASE; break;
    case QS__I_DIAGEXP: lower_diagexp(w, in, s); break;
    case QS__I_QFT: lower_qft(in, q, s); break;
    case QS__I_MEASURE:
    case QS__I_RESET: lower_collapse(p, in, q, s); break;
    case QS__I_STORE:
    case QS__I_FAIL: lower_classical(p, w->c, in, s); break;
    default: s->kind = QS__S_BARRIER; break;
    }
}

/* The program's copies of the circuit's tables, and room for its steps
 * and constant data: at most the circuit's matrices plus one gate each. */
static qs_status alloc_program(const qs_circuit *c, qs_program **out)
{
    qs_program *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return QS_ENOMEM;
    p->nq = c->nq;
    p->nc = c->nc;
    p->nbits = c->nc + c->nvb;
    p->np = c->np;
    p->steps = calloc(c->n ? c->n : 1, sizeof *p->steps);
    p->args = dup_mem(c->args, sizeof *c->args * c->nargs);
    p->nodes = dup_mem(c->nodes, sizeof *c->nodes * c->nnodes);
    size_t dcap = c->ndata + c->n * (2u << (2 * QS__GATE_MAX_T));
    p->data = malloc(sizeof(double) * (dcap ? dcap : 1));
    p->deferred = malloc(sizeof(int) * 2 * (c->n + 1));
    if (!p->steps || !p->args || !p->nodes || !p->data || !p->deferred)
        return QS_ENOMEM;
    return QS_OK;
}

QS_API qs_status qs_program_compile(const qs_circuit *c, unsigned flags, qs_program **out)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    if (flags & ~(unsigned)(QS_COMPILE_DEFER_MEASURE | QS_COMPILE_NO_FUSION))
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    qs_program *p;
    unsigned char *term = NULL;
    qs_status st = alloc_program(c, &p);
    if (st == QS_OK && !(term = calloc(c->n + 1, 1)))
        st = QS_ENOMEM;
    if (st == QS_OK && (flags & QS_COMPILE_DEFER_MEASURE) && !find_terminal(c, term))
        st = QS_ENOMEM;
    if (st != QS_OK) {
        free(term);
        qs_program_destroy(p);
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    lowering w = {c, p, 0, -1, -1};
    for (size_t i = 0; i < c->n; i++) {
        const qs__instr *in = &c->ins[i];
        if (in->kind == QS__I_CHANNEL) {   /* noise: see noise/dm_compile.c */
            free(term);
            qs_program_destroy(p);
            return qs__fail(QS_EUNSUPPORTED, __func__,
                            "operation %zu is a noise channel: run the circuit on a density "
                            "matrix (qs_density_compile) or by trajectories", i);
        }
        if (term[i]) {   /* deferred: the caller samples it at the end */
            p->deferred[2 * p->ndeferred] = c->qubits[in->qoff];
            p->deferred[2 * p->ndeferred + 1] = in->clbit;
            p->ndeferred++;
            continue;
        }
        lower(&w, in);
    }
    free(term);
    /* The data pool is final: point the ops at their matrices. */
    for (size_t i = 0; i < p->n; i++)
        if (p->steps[i].doff >= 0 && p->steps[i].kind == QS__S_OP)
            p->steps[i].op.m = p->data + p->steps[i].doff;
    if (!(flags & QS_COMPILE_NO_FUSION)) {
        st = qs__program_schedule(p, __func__);
        if (st != QS_OK) {
            qs_program_destroy(p);
            return st;
        }
    }
    *out = p;
    return QS_OK;
}
