/*
 * dm_compile.c - channels as circuit operations, and circuits compiled for
 * density matrices: the "doubled" circuit on 2n qubits whose gates are U on
 * the ket qubits and conj(U) on the bra qubits and whose channels, resets
 * and measurements are superoperators, compiled (fused, cache-blocked) as
 * any other program.
 */
#include "noise/noise_impl.h"
#include "core/check.h"
#include "core/error.h"
#include "ir/circuit_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- channels in circuits ----------------------------------------- */

qs_status qs__circ_push_channel(const char *f, qs_circuit *c, int kind, const int *qubits, int k,
                               int nops, const double *ops)
{
    uint64_t used = 0;
    QS_TRY(qs__check_qubits(f, c->nq, "qubit", qubits, k, &used));
    size_t len = (size_t)nops * 2 << (2 * k);
    int d = qs__circ_data(c, ops, len);
    int qo = d < 0 ? -1 : qs__circ_qubits(c, qubits, k);
    qs__instr *in = qo < 0 ? NULL : qs__circ_push(c);
    if (!in)
        return qs__fail(QS_ENOMEM, f, "out of memory");
    in->kind = QS__I_CHANNEL;
    in->nq = k;
    in->qoff = qo;
    in->doff = d;
    in->gate = nops;
    in->flags = (unsigned)kind;
    return QS_OK;
}

QS_API qs_status qs_circuit_append_channel(qs_circuit *c, int kind, const int *qubits,
                                           const double *params)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, qubits);
    int k = qs_channel_num_qubits(kind), nops;
    if (k < 1)
        return qs__fail(QS_EINVAL, __func__,
                        "kind %d is not a named channel (Kraus sets: qs_circuit_append_kraus)",
                        kind);
    double ops[2 * 16 * 16];
    QS_TRY(qs_channel_kraus(kind, params, &nops, ops));
    return qs__circ_push_channel(__func__, c, kind, qubits, k, nops, ops);
}

QS_API qs_status qs_circuit_append_kraus(qs_circuit *c, const int *qubits, int num_qubits,
                                         int num_ops, const double *ops)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, qubits);
    QS_TRY(qs_kraus_check(num_qubits, num_ops, ops, QS_KRAUS_TOLERANCE));
    return qs__circ_push_channel(__func__, c, QS_CHANNEL_KRAUS, qubits, num_qubits, num_ops, ops);
}

QS_API size_t qs_circuit_num_channels(const qs_circuit *c)
{
    size_t n = 0;
    for (size_t i = 0; c && i < c->n; i++)
        n += c->ins[i].kind == QS__I_CHANNEL;
    return n;
}

/* ---- the doubled circuit ------------------------------------------ */

typedef struct {
    qs_circuit *d;
    int n;
    int ok;
} dbl;

static qs__instr *emit(dbl *b, int kind, const int *q, int nq, int shift)
{
    int qq[64];
    for (int j = 0; j < nq; j++)
        qq[j] = q[j] + shift;
    int qo = qs__circ_qubits(b->d, qq, nq);
    qs__instr *in = qo < 0 ? NULL : qs__circ_push(b->d);
    if (!in) {
        b->ok = 0;
        return NULL;
    }
    in->kind = kind;
    in->nq = nq;
    in->qoff = qo;
    return in;
}

/* Copies argument a of c into d, negated when neg. */
static int copy_arg(dbl *b, const qs_circuit *c, int a, int neg)
{
    const qs__arg *ar = &c->args[a];
    qs__xbuf x = {0};
    qs__x_append(&x, c->nodes + ar->off, ar->len);
    if (neg)
        qs__x_op(&x, QS__X_NEG);
    int r = x.oom ? -1 : qs__circ_arg(b->d, x.n, x.len);
    qs__xbuf_free(&x);
    if (r < 0)
        b->ok = 0;
    return r;
}

static void emit_args(dbl *b, const qs_circuit *c, const qs__instr *src, qs__instr *in,
                      unsigned negmask)
{
    in->na = src->na;
    for (int a = 0; a < src->na; a++) {
        int r = copy_arg(b, c, src->aoff + a, negmask >> a & 1);
        if (a == 0)
            in->aoff = r;
    }
}

static void emit_matrix(dbl *b, const int *q, int nq, const double *m, int conj)
{
    size_t len = (size_t)2 << (2 * nq);
    double *cm = malloc(sizeof(double) * len);
    if (!cm) {
        b->ok = 0;
        return;
    }
    for (size_t i = 0; i < len; i++)
        cm[i] = conj && (i & 1) ? -m[i] : m[i];
    int d = qs__circ_data(b->d, cm, len);
    free(cm);
    qs__instr *in = d < 0 ? NULL : emit(b, QS__I_MATRIX, q, nq, 0);
    if (in)
        in->doff = d;
    else
        b->ok = 0;
}

/* The superoperator of a Kraus set on qubits q, as a matrix op. */
static void emit_superop(dbl *b, const int *q, int k, int nops, const double *ops)
{
    double S[2 * 256];
    int t[2 * QS_CHANNEL_MAX_QUBITS];
    qs__superop(k, nops, ops, S);
    for (int j = 0; j < k; j++) {
        t[j] = q[j];
        t[k + j] = q[j] + b->n;
    }
    emit_matrix(b, t, 2 * k, S, 0);
}

static void emit_gate(dbl *b, const qs_circuit *c, const qs__instr *src, const int *q)
{
    qs__instr *in = emit(b, QS__I_GATE, q, src->nq, 0);
    if (!in)
        return;
    in->gate = src->gate;
    emit_args(b, c, src, in, 0);
    int cg;
    unsigned neg;
    if (qs__gate_conj(src->gate, &cg, &neg)) {
        if (src->na > 0)
            in->flags |= QS__I_PAIRED;
        in = emit(b, QS__I_GATE, q, src->nq, b->n);
        if (!in)
            return;
        in->gate = cg;
        emit_args(b, c, src, in, neg);
        return;
    }
    /* A gate without parameters whose matrix has complex entries. */
    double m[2 * 1024];
    int qb[8];
    qs_gate_matrix((qs_gate)src->gate, NULL, m);
    for (int j = 0; j < src->nq; j++)
        qb[j] = q[j] + b->n;
    emit_matrix(b, qb, src->nq, m, 1);
}

static void emit_pauli(dbl *b, const qs_circuit *c, const qs__instr *src, const int *q)
{
    const char *let = c->pletters + src->poff;
    int ny = 0;
    for (int j = 0; j < src->nq; j++)
        ny += let[j] == 'Y';
    for (int side = 0; side < 2 && b->ok; side++) {
        qs__instr *in = emit(b, QS__I_PAULI, q, src->nq, side ? b->n : 0);
        if (!in)
            return;
        if (!side)
            in->flags |= QS__I_PAIRED;
        in->poff = qs__circ_letters(b->d, let, src->nq);
        b->ok &= in->poff >= 0;
        /* conj(exp(-i t/2 P)) = exp(+i t/2 conj(P)), conj(P) = (-1)^ny P */
        in->na = 1;
        in->aoff = copy_arg(b, c, src->aoff, side && !(ny & 1));
    }
}

static void emit_diagexp(dbl *b, const qs_circuit *c, const qs__instr *src)
{
    uint64_t dn = UINT64_C(1) << b->n;
    const double *v = c->data + src->doff;
    double *w = malloc(sizeof(double) * dn * dn);
    if (!w) {
        b->ok = 0;
        return;
    }
    /* exp(-i t D) on the ket and exp(+i t D) on the bra: one diagonal. */
    for (uint64_t x = 0; x < dn; x++)
        for (uint64_t k = 0; k < dn; k++)
            w[k + dn * x] = v[k] - v[x];
    int d = qs__circ_data(b->d, w, dn * dn);
    free(w);
    qs__instr *in = d < 0 ? NULL : emit(b, QS__I_DIAGEXP, NULL, 0, 0);
    if (!in) {
        b->ok = 0;
        return;
    }
    in->doff = d;
    in->na = 1;
    in->aoff = copy_arg(b, c, src->aoff, 0);
}

/* Marks measurements after which nothing acts on their qubit. */
static void terminal(const qs_circuit *c, unsigned char *term)
{
    uint64_t touched = 0;
    for (size_t i = c->n; i-- > 0;) {
        const qs__instr *in = &c->ins[i];
        const int *q = c->qubits + in->qoff;
        uint64_t mask = 0;
        for (int j = 0; j < in->nq; j++)
            mask |= UINT64_C(1) << q[j];
        if (in->kind == QS__I_MEASURE)
            term[i] = !(touched & mask);
        if (in->kind != QS__I_BARRIER)
            touched |= in->nq ? mask : ~UINT64_C(0);
    }
}

QS_API qs_status qs_density_compile(const qs_circuit *c, unsigned flags, qs_program **out)
{
    const char *f = __func__;
    QS_CHECK_NULL(f, c);
    QS_CHECK_NULL(f, out);
    *out = NULL;
    if (flags & ~(unsigned)(QS_COMPILE_DEFER_MEASURE | QS_COMPILE_NO_FUSION))
        return qs__fail(QS_EINVAL, f, "unknown flags 0x%x", flags);
    if (c->nq < 1 || 2 * c->nq > QS_MAX_QUBITS)
        return qs__fail(QS_EUNSUPPORTED, f, "a density matrix of %d qubits (1 to %d)", c->nq,
                        QS_MAX_QUBITS / 2);
    for (size_t i = 0; i < c->n; i++)
        if (c->ins[i].has_cond) {
            if (c->ins[i].line > 0)
                return qs__fail(QS_EUNSUPPORTED, f,
                                "operation %zu (line %d) is conditional: density matrices do "
                                "not keep measurement outcomes (use trajectories)",
                                i, c->ins[i].line);
            return qs__fail(QS_EUNSUPPORTED, f,
                            "operation %zu is conditional: density matrices do not keep "
                            "measurement outcomes (use trajectories)",
                            i);
        }
    unsigned char *term = calloc(c->n + 1, 1);
    dbl b = {NULL, c->nq, term != NULL};
    if (b.ok && qs_circuit_create(2 * c->nq, 0, &b.d) != QS_OK)
        b.ok = 0;
    for (int i = 0; i < c->np && b.ok; i++) {
        int idx;
        b.ok = qs_circuit_add_param(b.d, c->pnames[i], &idx) == QS_OK;
    }
    if (b.ok && (flags & QS_COMPILE_DEFER_MEASURE))
        terminal(c, term);
    for (size_t i = 0; i < c->n && b.ok; i++) {
        const qs__instr *in = &c->ins[i];
        const int *q = c->qubits + in->qoff;
        switch (in->kind) {
        case QS__I_GATE: emit_gate(&b, c, in, q); break;
        case QS__I_MATRIX:
            emit_matrix(&b, q, in->nq, c->data + in->doff, 0);
            if (b.ok) {
                int qb[QS_MAX_TARGETS];
                for (int j = 0; j < in->nq; j++)
                    qb[j] = q[j] + b.n;
                emit_matrix(&b, qb, in->nq, c->data + in->doff, 1);
            }
            break;
        case QS__I_PAULI: emit_pauli(&b, c, in, q); break;
        case QS__I_GPHASE: break;   /* cancels in U rho U^dag */
        case QS__I_DIAGEXP: emit_diagexp(&b, c, in); break;
        case QS__I_QFT: {
            qs__instr *o = emit(&b, QS__I_QFT, q, in->nq, 0);
            if (o)
                o->flags = in->flags;
            /* conj(F) = F^-1 */
            o = b.ok ? emit(&b, QS__I_QFT, q, in->nq, b.n) : NULL;
            if (o)
                o->flags = in->flags ^ QS_QFT_INVERSE;
            break;
        }
        case QS__I_MEASURE: {
            if (term[i])
                break;
            double k[16] = {0};   /* dephasing: |0><0| and |1><1| */
            k[0] = 1;
            k[8 + 6] = 1;
            emit_superop(&b, q, 1, 2, k);
            break;
        }
        case QS__I_RESET: {
            double k[16] = {0};   /* |0><0| and |0><1| */
            k[0] = 1;
            k[8 + 2] = 1;
            emit_superop(&b, q, 1, 2, k);
            break;
        }
        case QS__I_CHANNEL: emit_superop(&b, q, in->nq, in->gate, c->data + in->doff); break;
        default: {   /* barrier */
            int qq[2 * 64];
            for (int j = 0; j < in->nq; j++) {
                qq[j] = q[j];
                qq[in->nq + j] = q[j] + b.n;
            }
            emit(&b, QS__I_BARRIER, qq, 2 * in->nq, 0);
            break;
        }
        }
    }
    free(term);
    if (!b.ok) {
        qs_circuit_destroy(b.d);
        return qs__fail(QS_ENOMEM, f, "out of memory");
    }
    qs_status st = qs_program_compile(b.d, flags & QS_COMPILE_NO_FUSION, out);
    qs_circuit_destroy(b.d);
    return st;
}

QS_API qs_status qs_density_run(const qs_program *p, const double *params, size_t num_params,
                                qs_density *rho)
{
    QS_CHECK_NULL(__func__, p);
    QS_CHECK_NULL(__func__, rho);
    if (qs_program_num_qubits(p) != 2 * rho->n)
        return qs__fail(QS_EINVAL, __func__,
                        "a program on %d qubits for a %d-qubit density matrix (compile it "
                        "with qs_density_compile)",
                        qs_program_num_qubits(p), rho->n);
    return qs_program_run(p, params, num_params, rho->s, NULL, NULL);
}
