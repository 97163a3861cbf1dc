/*
 * noise_model.c - noise models: qsim's own JSON format and the JSON Qiskit
 * Aer writes (noise_model.to_dict(serializable=True)), both turned into
 * Kraus sets keyed by gate name and qubits, and attached to circuits with
 * Aer's rules.
 *
 * Aer's quantum error is a mixture: sequence i of instructions (id, x, y,
 * z, pauli, reset, kraus, unitary, or any gate qsim knows) runs with
 * probability p_i.  Its Kraus set is the union over i of sqrt(p_i) times
 * the products of the sequence's operators, each embedded in the error's
 * qubits.
 */
#include "noise/noise_impl.h"
#include "noise/json.h"
#include "core/check.h"
#include "core/error.h"
#include "core/rng.h"
#include "ir/circuit_impl.h"

#include <complex.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef double complex cplx;

typedef struct {
    char *op;           /* the gate name it follows */
    int local;          /* 1: only on qubits[], else on every gate of that name */
    int nq, qubits[QS_CHANNEL_MAX_QUBITS];
    int nops;
    cplx *ops;          /* nops matrices of d x d, d = 2^nq */
} nm_err;

struct qs_noise_model {
    nm_err *e;
    size_t n, cap;
    int has_ro_all;
    double ro_all[4];
    int nro;            /* per-qubit readout errors, qubits [0, nro) */
    double *ro;
    unsigned char *has_ro;
};

typedef struct {
    const char *func, *name;
    qs_noise_model *m;
} ctx;

#define MAXK QS_CHANNEL_MAX_KRAUS

/* A located failure about node j. */
static qs_status bad(const ctx *c, qs_status st, const qs__jnode *j, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static qs_status bad(const ctx *c, qs_status st, const qs__jnode *j, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return qs__fail_at(st, c->func, c->name, j ? j->line : 1, j ? j->col : 1, "%s", msg);
}

QS_API void qs_noise_model_destroy(qs_noise_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].op);
        free(m->e[i].ops);
    }
    free(m->e);
    free(m->ro);
    free(m->has_ro);
    free(m);
}

QS_API size_t qs_noise_model_num_errors(const qs_noise_model *m) { return m ? m->n : 0; }

/* ---- small matrices ----------------------------------------------- */

/* The d x d matrix (d = 2^nq) of a k-qubit operator M on positions pos. */
static void embed(int nq, const int *pos, int k, const cplx *M, cplx *out)
{
    int d = 1 << nq, dk = 1 << k, mask = 0;
    for (int j = 0; j < k; j++)
        mask |= 1 << pos[j];
    for (int r = 0; r < d; r++)
        for (int c = 0; c < d; c++) {
            if ((r & ~mask) != (c & ~mask)) {
                out[r * d + c] = 0;
                continue;
            }
            int sr = 0, sc = 0;
            for (int j = 0; j < k; j++) {
                sr |= (r >> pos[j] & 1) << j;
                sc |= (c >> pos[j] & 1) << j;
            }
            out[r * d + c] = M[sr * dk + sc];
        }
}

/* out = A B (d x d) */
static void matmul(int d, const cplx *A, const cplx *B, cplx *out)
{
    for (int r = 0; r < d; r++)
        for (int c = 0; c < d; c++) {
            cplx s = 0;
            for (int x = 0; x < d; x++)
                s += A[r * d + x] * B[x * d + c];
            out[r * d + c] = s;
        }
}

/* A Kraus set under construction. */
typedef struct {
    int n;
    cplx m[MAXK][16];
} kset;

/* s <- {b a : b in B, a in s}: B applied after s. */
static int compose(kset *s, const kset *B, int d)
{
    if (s->n * B->n > MAXK)
        return 0;
    kset r = {0};
    for (int b = 0; b < B->n; b++)
        for (int a = 0; a < s->n; a++)
            matmul(d, B->m[b], s->m[a], r.m[r.n++]);
    *s = r;
    return 1;
}

static double fro2(const cplx *m, int d)
{
    double s = 0;
    for (int i = 0; i < d * d; i++)
        s += creal(m[i] * conj(m[i]));
    return s;
}

/* ---- reading JSON values ------------------------------------------ */

static qs_status num(const ctx *c, const qs__jnode *j, double *v)
{
    if (!j || j->type != QS__J_NUM)
        return bad(c, QS_EPARSE, j, "expected a number");
    *v = j->num;
    return QS_OK;
}

static qs_status prob(const ctx *c, const qs__jnode *j, double *v)
{
    QS_TRY(num(c, j, v));
    if (!(*v >= -1e-12 && *v <= 1 + 1e-12))
        return bad(c, QS_EINVAL, j, "probability %g outside [0, 1]", *v);
    return QS_OK;
}

/* A complex number: [re, im] or a plain number. */
static qs_status cnum(const ctx *c, const qs__jnode *j, cplx *v)
{
    if (j && j->type == QS__J_NUM) {
        *v = j->num;
        return QS_OK;
    }
    if (!j || j->type != QS__J_ARR || j->n != 2 || j->items[0].type != QS__J_NUM ||
        j->items[1].type != QS__J_NUM)
        return bad(c, QS_EPARSE, j, "expected a complex number [re, im]");
    *v = j->items[0].num + I * j->items[1].num;
    return QS_OK;
}

/* A 2^k x 2^k matrix as a list of rows. */
static qs_status matrix(const ctx *c, const qs__jnode *j, int k, cplx *out)
{
    int d = 1 << k;
    if (!j || j->type != QS__J_ARR || j->n != d)
        return bad(c, QS_EPARSE, j, "expected a %dx%d matrix (a list of %d rows)", d, d, d);
    for (int r = 0; r < d; r++) {
        const qs__jnode *row = &j->items[r];
        if (row->type != QS__J_ARR || row->n != d)
            return bad(c, QS_EPARSE, row, "expected a row of %d entries", d);
        for (int x = 0; x < d; x++)
            QS_TRY(cnum(c, &row->items[x], &out[r * d + x]));
    }
    return QS_OK;
}

/* A list of qubit indices (at most max, each in [0, lim)). */
static qs_status qlist(const ctx *c, const qs__jnode *j, int max, int lim, int *q, int *n)
{
    if (!j || j->type != QS__J_ARR || j->n < 1 || j->n > max)
        return bad(c, QS_EPARSE, j, "expected a list of 1 to %d qubits", max);
    for (int i = 0; i < j->n; i++) {
        const qs__jnode *x = &j->items[i];
        /* in range before converted (8.9e17 went through (int): UBSan) */
        if (x->type != QS__J_NUM || !(x->num >= 0 && x->num < lim) || x->num != floor(x->num))
            return bad(c, QS_EPARSE, x, "expected a qubit index in [0, %d)", lim);
        q[i] = (int)x->num;
        for (int k = 0; k < i; k++)
            if (q[k] == q[i])
                return bad(c, QS_EINVAL, x, "qubit %d repeats", q[i]);
    }
    *n = j->n;
    return QS_OK;
}

static const qs__jnode *need(const ctx *c, const qs__jnode *obj, const char *key, int type,
                             qs_status *st)
{
    const qs__jnode *v = qs__json_get(obj, key);
    static const char *tn[] = {"null", "a boolean", "a number", "a string", "a list", "an object"};
    if (!v || v->type != type) {
        *st = bad(c, QS_EPARSE, v ? v : obj, "expected \"%s\" to be %s", key, tn[type]);
        return NULL;
    }
    return v;
}

/* ---- the model ---------------------------------------------------- */

/* Adds an error (ops: d x d each); one with the same key is composed with
 * it, the new one after, as Aer's add_quantum_error does. */
static qs_status add_error(const ctx *c, const qs__jnode *where, const char *op, int local,
                           const int *qubits, int nq, const kset *k)
{
    qs_noise_model *m = c->m;
    int d = 1 << nq;
    for (size_t i = 0; i < m->n; i++) {
        nm_err *e = &m->e[i];
        if (strcmp(e->op, op) || e->local != local || e->nq != nq ||
            (local && memcmp(e->qubits, qubits, sizeof(int) * (size_t)nq)))
            continue;
        kset s = {0};
        s.n = e->nops;
        for (int a = 0; a < e->nops; a++)
            memcpy(s.m[a], e->ops + (size_t)a * d * d, sizeof(cplx) * (size_t)(d * d));
        if (!compose(&s, k, d))
            return bad(c, QS_EINVAL, where,
                       "the errors on '%s' compose to more than %d Kraus operators", op, MAXK);
        cplx *ops = realloc(e->ops, sizeof(cplx) * (size_t)(s.n * d * d));
        if (!ops)
            return qs__fail(QS_ENOMEM, c->func, "out of memory");
        e->ops = ops;
        for (int a = 0; a < s.n; a++)
            memcpy(ops + (size_t)a * d * d, s.m[a], sizeof(cplx) * (size_t)(d * d));
        e->nops = s.n;
        return QS_OK;
    }
    if (m->n == m->cap) {
        size_t nc = m->cap ? 2 * m->cap : 8;
        nm_err *ne = realloc(m->e, sizeof *ne * nc);
        if (!ne)
            return qs__fail(QS_ENOMEM, c->func, "out of memory");
        m->e = ne;
        m->cap = nc;
    }
    nm_err *e = &m->e[m->n];
    memset(e, 0, sizeof *e);
    e->op = strdup(op);
    e->ops = malloc(sizeof(cplx) * (size_t)(k->n * d * d));
    if (!e->op || !e->ops) {
        free(e->op);
        free(e->ops);
        return qs__fail(QS_ENOMEM, c->func, "out of memory");
    }
    e->local = local;
    e->nq = nq;
    if (local)
        memcpy(e->qubits, qubits, sizeof(int) * (size_t)nq);
    e->nops = k->n;
    for (int a = 0; a < k->n; a++)
        memcpy(e->ops + (size_t)a * d * d, k->m[a], sizeof(cplx) * (size_t)(d * d));
    m->n++;
    return QS_OK;
}

/* Checks a Kraus set, then adds it for every operation and qubit tuple. */
static qs_status attach(const ctx *c, const qs__jnode *entry, const qs__jnode *ops,
                        const qs__jnode *tuples, int nq, const kset *k)
{
    double buf[2 * MAXK * 16];
    int d = 1 << nq;
    for (int a = 0; a < k->n; a++)
        for (int x = 0; x < d * d; x++) {
            buf[2 * (a * d * d + x)] = creal(k->m[a][x]);
            buf[2 * (a * d * d + x) + 1] = cimag(k->m[a][x]);
        }
    if (qs_kraus_check(nq, k->n, buf, 1e-6) != QS_OK)
        return bad(c, QS_EINVAL, entry, "%s",
                   strstr(qs_last_error(), "the Kraus") ? strstr(qs_last_error(), "the Kraus")
                                                         : qs_last_error());
    for (int i = 0; i < ops->n; i++) {
        const qs__jnode *o = &ops->items[i];
        if (o->type != QS__J_STR)
            return bad(c, QS_EPARSE, o, "expected an operation name");
        if (!tuples) {
            QS_TRY(add_error(c, o, o->str, 0, NULL, nq, k));
            continue;
        }
        for (int t = 0; t < tuples->n; t++) {
            int q[8], n;
            QS_TRY(qlist(c, &tuples->items[t], 8, QS_MAX_QUBITS, q, &n));
            if (n != nq)
                return bad(c, QS_EINVAL, &tuples->items[t],
                           "the error acts on %d qubit%s, this qubit list has %d", nq,
                           nq == 1 ? "" : "s", n);
            QS_TRY(add_error(c, o, o->str, 1, q, nq, k));
        }
    }
    return QS_OK;
}

/* One instruction of an Aer error as a Kraus set embedded in nq qubits. */
static qs_status instruction(const ctx *c, const qs__jnode *in, int nq, kset *out)
{
    qs_status st = QS_OK;
    const qs__jnode *name = need(c, in, "name", QS__J_STR, &st);
    const qs__jnode *qj = name ? need(c, in, "qubits", QS__J_ARR, &st) : NULL;
    if (!qj)
        return st;
    int q[8], k;
    QS_TRY(qlist(c, qj, QS_CHANNEL_MAX_QUBITS, nq, q, &k));
    const qs__jnode *pj = qs__json_get(in, "params");
    const char *nm = name->str;
    int dk = 1 << k;
    cplx M[MAXK][16];
    int nm_ops = 1;
    memset(M, 0, sizeof M);
    if (!strcmp(nm, "kraus")) {
        if (!pj || pj->type != QS__J_ARR || pj->n < 1 || pj->n > MAXK)
            return bad(c, QS_EPARSE, pj ? pj : in,
                       "expected \"params\": [matrix, ...] with 1 to %d matrices", MAXK);
        nm_ops = pj->n;
        for (int a = 0; a < nm_ops; a++)
            QS_TRY(matrix(c, &pj->items[a], k, M[a]));
    } else if (!strcmp(nm, "unitary")) {
        if (!pj || pj->type != QS__J_ARR || pj->n != 1)
            return bad(c, QS_EPARSE, pj ? pj : in, "expected \"params\": [matrix]");
        QS_TRY(matrix(c, &pj->items[0], k, M[0]));
    } else if (!strcmp(nm, "pauli")) {
        if (!pj || pj->type != QS__J_ARR || pj->n != 1 || pj->items[0].type != QS__J_STR ||
            (int)strlen(pj->items[0].str) != k)
            return bad(c, QS_EPARSE, pj ? pj : in,
                       "expected \"params\": [\"label\"] with one letter per qubit");
        const char *lab = pj->items[0].str;
        static const cplx P[4][4] = {{1, 0, 0, 1}, {0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}};
        for (int r = 0; r < dk; r++)
            for (int x = 0; x < dk; x++) {
                cplx v = 1;
                for (int j = 0; j < k; j++) {   /* the label's last letter is qubits[0] */
                    const char *pos = strchr("IXYZ", lab[k - 1 - j]);
                    if (!pos || !*pos)
                        return bad(c, QS_EPARSE, &pj->items[0], "a Pauli label uses I, X, Y, Z");
                    v *= P[pos - "IXYZ"][2 * (r >> j & 1) + (x >> j & 1)];
                }
                M[0][r * dk + x] = v;
            }
    } else if (!strcmp(nm, "reset")) {
        if (k != 1)
            return bad(c, QS_EINVAL, qj, "reset acts on one qubit");
        nm_ops = 2;
        M[0][0] = 1;   /* |0><0| and |0><1| */
        M[1][1] = 1;
    } else {
        qs_gate g;
        if (qs_gate_lookup(nm, &g) != QS_OK)
            return bad(c, QS_EUNSUPPORTED, name, "instruction '%s' is not supported in errors",
                       nm);
        if (qs_gate_num_qubits(g) != k)
            return bad(c, QS_EINVAL, qj, "'%s' acts on %d qubits", nm, qs_gate_num_qubits(g));
        double prm[4] = {0}, m[2 * 16];
        int np = qs_gate_num_params(g);
        if (np > 0 && (!pj || pj->type != QS__J_ARR || pj->n != np))
            return bad(c, QS_EPARSE, pj ? pj : in, "'%s' takes %d parameters", nm, np);
        for (int a = 0; a < np; a++)
            QS_TRY(num(c, &pj->items[a], &prm[a]));
        qs_gate_matrix(g, prm, m);
        for (int x = 0; x < dk * dk; x++)
            M[0][x] = m[2 * x] + I * m[2 * x + 1];
    }
    out->n = nm_ops;
    for (int a = 0; a < nm_ops; a++)
        embed(nq, q, k, M[a], out->m[a]);
    return QS_OK;
}

/* The qubit count of an Aer error: its highest instruction qubit + 1, as
 * a double (a qubit of 1e17 is converted to int only once it is known to
 * be small: the fuzzer's UBSan finding). */
static double aer_nq(const qs__jnode *ins)
{
    double nq = 0;
    for (int i = 0; i < ins->n; i++)
        for (int j = 0; ins->items[i].type == QS__J_ARR && j < ins->items[i].n; j++) {
            const qs__jnode *q = qs__json_get(&ins->items[i].items[j], "qubits");
            for (int x = 0; q && q->type == QS__J_ARR && x < q->n; x++)
                if (q->items[x].type == QS__J_NUM && q->items[x].num + 1 > nq)
                    nq = q->items[x].num + 1;
        }
    return nq;
}

static qs_status aer_qerror(const ctx *c, const qs__jnode *e)
{
    qs_status st = QS_OK;
    const qs__jnode *ops = need(c, e, "operations", QS__J_ARR, &st);
    const qs__jnode *ins = ops ? need(c, e, "instructions", QS__J_ARR, &st) : NULL;
    const qs__jnode *pr = ins ? need(c, e, "probabilities", QS__J_ARR, &st) : NULL;
    if (!pr)
        return st;
    if (pr->n != ins->n || ins->n < 1)
        return bad(c, QS_EPARSE, pr, "%d probabilities for %d instruction lists", pr->n, ins->n);
    double nqd = aer_nq(ins);
    if (!(nqd >= 1 && nqd <= QS_CHANNEL_MAX_QUBITS))
        return bad(c, QS_EUNSUPPORTED, ins, "an error on %.17g qubits (qsim takes 1 to %d)", nqd,
                   QS_CHANNEL_MAX_QUBITS);
    int nq = (int)nqd, d = 1 << nq;
    kset total = {0};
    double psum = 0;
    for (int i = 0; i < ins->n; i++) {
        double p;
        QS_TRY(prob(c, &pr->items[i], &p));
        psum += p;
        const qs__jnode *seq = &ins->items[i];
        if (seq->type != QS__J_ARR)
            return bad(c, QS_EPARSE, seq, "expected a list of instructions");
        kset s = {0};
        s.n = 1;
        for (int x = 0; x < d; x++)
            s.m[0][x * d + x] = 1;
        for (int j = 0; j < seq->n; j++) {
            kset k;
            QS_TRY(instruction(c, &seq->items[j], nq, &k));
            if (!compose(&s, &k, d))
                return bad(c, QS_EINVAL, &seq->items[j], "more than %d Kraus operators", MAXK);
        }
        for (int a = 0; a < s.n; a++) {
            if (p <= 0 || fro2(s.m[a], d) < 1e-30)
                continue;
            if (total.n == MAXK)
                return bad(c, QS_EINVAL, seq, "more than %d Kraus operators", MAXK);
            for (int x = 0; x < d * d; x++)
                total.m[total.n][x] = sqrt(p) * s.m[a][x];
            total.n++;
        }
    }
    if (fabs(psum - 1) > 1e-6)
        return bad(c, QS_EINVAL, pr, "the probabilities sum to %.9g, not 1", psum);
    const qs__jnode *gq = qs__json_get(e, "gate_qubits");
    if (gq && gq->type != QS__J_ARR)
        return bad(c, QS_EPARSE, gq, "expected a list of qubit lists");
    return attach(c, e, ops, gq, nq, &total);
}

static qs_status grow_ro(const ctx *c, int q)
{
    qs_noise_model *m = c->m;
    if (q < m->nro)
        return QS_OK;
    double *ro = realloc(m->ro, sizeof(double) * 4 * (size_t)(q + 1));
    if (ro)
        m->ro = ro;
    unsigned char *h = realloc(m->has_ro, (size_t)(q + 1));
    if (h)
        m->has_ro = h;
    if (!ro || !h)
        return qs__fail(QS_ENOMEM, c->func, "out of memory");
    memset(m->has_ro + m->nro, 0, (size_t)(q + 1 - m->nro));
    m->nro = q + 1;
    return QS_OK;
}

/* A 2x2 readout matrix (rows: the true value; each sums to 1). */
static qs_status readout(const ctx *c, const qs__jnode *pr, const qs__jnode *gq)
{
    double conf[4];
    if (!pr || pr->type != QS__J_ARR || pr->n != 2)
        return bad(c, pr && pr->type == QS__J_ARR ? QS_EUNSUPPORTED : QS_EPARSE, pr,
                   "expected a 2x2 readout matrix (qsim takes single-qubit readout errors)");
    for (int r = 0; r < 2; r++) {
        const qs__jnode *row = &pr->items[r];
        if (row->type != QS__J_ARR || row->n != 2)
            return bad(c, QS_EPARSE, row, "expected a row of 2 probabilities");
        QS_TRY(prob(c, &row->items[0], &conf[2 * r]));
        QS_TRY(prob(c, &row->items[1], &conf[2 * r + 1]));
        if (fabs(conf[2 * r] + conf[2 * r + 1] - 1) > 1e-6)
            return bad(c, QS_EINVAL, row, "the readout probabilities sum to %.9g, not 1",
                       conf[2 * r] + conf[2 * r + 1]);
    }
    if (!gq) {
        c->m->has_ro_all = 1;
        memcpy(c->m->ro_all, conf, sizeof conf);
        return QS_OK;
    }
    if (gq->type != QS__J_ARR)
        return bad(c, QS_EPARSE, gq, "expected a list of qubit lists");
    for (int t = 0; t < gq->n; t++) {
        int q[8], n;
        QS_TRY(qlist(c, &gq->items[t], 1, QS_MAX_QUBITS, q, &n));
        QS_TRY(grow_ro(c, q[0]));
        c->m->has_ro[q[0]] = 1;
        memcpy(c->m->ro + 4 * q[0], conf, sizeof conf);
    }
    return QS_OK;
}

static qs_status read_aer(const ctx *c, const qs__jnode *root)
{
    qs_status st = QS_OK;
    const qs__jnode *errs = need(c, root, "errors", QS__J_ARR, &st);
    if (!errs)
        return st;
    for (int i = 0; i < errs->n; i++) {
        const qs__jnode *e = &errs->items[i];
        const qs__jnode *type = need(c, e, "type", QS__J_STR, &st);
        if (!type)
            return st;
        if (!strcmp(type->str, "qerror")) {
            QS_TRY(aer_qerror(c, e));
        } else if (!strcmp(type->str, "roerror")) {
            QS_TRY(readout(c, qs__json_get(e, "probabilities"), qs__json_get(e, "gate_qubits")));
        } else {
            return bad(c, QS_EPARSE, type, "unknown error type '%s' (qerror or roerror)",
                       type->str);
        }
    }
    return QS_OK;
}

/* qsim's own format: {"qsim_noise_model": 1, "errors": [{"channel": name,
 * "params": [...], "gates": [...], "qubits": [[...], ...]}], "readout":
 * [{"confusion": [[..], [..]], "qubits": [[q], ...]}]}. */
static qs_status read_own(const ctx *c, const qs__jnode *root)
{
    qs_status st = QS_OK;
    const qs__jnode *ver = need(c, root, "qsim_noise_model", QS__J_NUM, &st);
    if (!ver)
        return st;
    if (ver->num != 1)
        return bad(c, QS_EUNSUPPORTED, ver, "format version %g (this qsim reads 1)", ver->num);
    const qs__jnode *errs = qs__json_get(root, "errors");
    if (errs && errs->type != QS__J_ARR)
        return bad(c, QS_EPARSE, errs, "expected \"errors\" to be a list");
    for (int i = 0; errs && i < errs->n; i++) {
        const qs__jnode *e = &errs->items[i];
        const qs__jnode *ch = need(c, e, "channel", QS__J_STR, &st);
        const qs__jnode *gates = ch ? need(c, e, "gates", QS__J_ARR, &st) : NULL;
        if (!gates)
            return st;
        int kind;
        if (qs_channel_lookup(ch->str, &kind) != QS_OK)
            return bad(c, QS_EINVAL, ch, "unknown channel '%s'", ch->str);
        kset k = {0};
        int nq;
        if (kind == QS_CHANNEL_KRAUS) {
            const qs__jnode *km = need(c, e, "kraus", QS__J_ARR, &st);
            const qs__jnode *kq = km ? need(c, e, "num_qubits", QS__J_NUM, &st) : NULL;
            if (!kq)
                return st;
            nq = kq->num >= 1 && kq->num <= QS_CHANNEL_MAX_QUBITS ? (int)kq->num : 0;
            if (nq < 1 || nq > QS_CHANNEL_MAX_QUBITS || km->n < 1 || km->n > MAXK)
                return bad(c, QS_EINVAL, km, "a Kraus channel on 1 to %d qubits with 1 to %d "
                           "matrices", QS_CHANNEL_MAX_QUBITS, MAXK);
            k.n = km->n;
            for (int a = 0; a < km->n; a++)
                QS_TRY(matrix(c, &km->items[a], nq, k.m[a]));
        } else {
            const qs__jnode *pj = qs__json_get(e, "params");
            int np = qs_channel_num_params(kind);
            double prm[4], ops[2 * MAXK * 16];
            nq = qs_channel_num_qubits(kind);
            if (!pj || pj->type != QS__J_ARR || pj->n != np)
                return bad(c, QS_EPARSE, pj ? pj : ch, "'%s' takes \"params\" of %d numbers",
                           ch->str, np);
            for (int a = 0; a < np; a++)
                QS_TRY(num(c, &pj->items[a], &prm[a]));
            if (qs_channel_kraus(kind, prm, &k.n, ops) != QS_OK) {
                const char *msg = strchr(qs_last_error(), ':');
                return bad(c, QS_EINVAL, pj, "%s", msg ? msg + 2 : qs_last_error());
            }
            int d = 1 << nq;
            for (int a = 0; a < k.n; a++)
                for (int x = 0; x < d * d; x++)
                    k.m[a][x] = ops[2 * (a * d * d + x)] + I * ops[2 * (a * d * d + x) + 1];
        }
        QS_TRY(attach(c, e, gates, qs__json_get(e, "qubits"), nq, &k));
    }
    const qs__jnode *ro = qs__json_get(root, "readout");
    if (ro && ro->type != QS__J_ARR)
        return bad(c, QS_EPARSE, ro, "expected \"readout\" to be a list");
    for (int i = 0; ro && i < ro->n; i++) {
        const qs__jnode *conf = need(c, &ro->items[i], "confusion", QS__J_ARR, &st);
        if (!conf)
            return st;
        QS_TRY(readout(c, conf, qs__json_get(&ro->items[i], "qubits")));
    }
    return QS_OK;
}

static qs_status parse(const char *func, const char *text, const char *name,
                       qs_noise_model **out)
{
    qs__jnode *root;
    QS_TRY(qs__json_parse(func, text, name, &root));
    qs_noise_model *m = calloc(1, sizeof *m);
    if (!m) {
        qs__json_free(root);
        return qs__fail(QS_ENOMEM, func, "out of memory");
    }
    ctx c = {func, name, m};
    qs_status st;
    if (root->type != QS__J_OBJ)
        st = bad(&c, QS_EPARSE, root, "expected a JSON object");
    else if (qs__json_get(root, "qsim_noise_model"))
        st = read_own(&c, root);
    else
        st = read_aer(&c, root);
    qs__json_free(root);
    if (st != QS_OK) {
        qs_noise_model_destroy(m);
        return st;
    }
    *out = m;
    return QS_OK;
}

QS_API qs_status qs_noise_model_parse(const char *text, const char *name, qs_noise_model **out)
{
    QS_CHECK_NULL(__func__, text);
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    return parse(__func__, text, name ? name : "<string>", out);
}

QS_API qs_status qs_noise_model_read(const char *path, qs_noise_model **out)
{
    QS_CHECK_NULL(__func__, path);
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    char *text;
    QS_TRY(qs__read_text(__func__, path, &text));
    qs_status st = parse(__func__, text, path, out);
    free(text);
    return st;
}

/* ---- using the model ---------------------------------------------- */

/* The error that follows operation `op` on qubits q (Aer's rule: a
 * qubit-specific error replaces the all-qubit one), or NULL. */
static const nm_err *find(const qs_noise_model *m, const char *op, const int *q, int nq)
{
    const nm_err *all = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const nm_err *e = &m->e[i];
        if (strcmp(e->op, op))
            continue;
        if (!e->local) {
            all = e;
            continue;
        }
        if (e->nq == nq && !memcmp(e->qubits, q, sizeof(int) * (size_t)nq))
            return e;
    }
    return all;
}

static qs_status push_err(const char *f, qs_circuit *o, const nm_err *e, const int *q, int nq,
                          const char *op)
{
    if (e->nq != nq)
        return qs__fail(QS_EINVAL, f,
                        "the noise model's error on '%s' acts on %d qubit%s, the gate on %d",
                        op, e->nq, e->nq == 1 ? "" : "s", nq);
    int d = 1 << nq;
    double *ops = malloc(sizeof(double) * 2 * (size_t)(e->nops * d * d));
    if (!ops)
        return qs__fail(QS_ENOMEM, f, "out of memory");
    for (int x = 0; x < e->nops * d * d; x++) {
        ops[2 * x] = creal(e->ops[x]);
        ops[2 * x + 1] = cimag(e->ops[x]);
    }
    qs_status st = qs__circ_push_channel(f, o, QS_CHANNEL_KRAUS, q, nq, e->nops, ops);
    free(ops);
    return st;
}

QS_API qs_status qs_noise_model_apply(const qs_noise_model *m, const qs_circuit *c,
                                      qs_circuit **out)
{
    const char *f = __func__;
    QS_CHECK_NULL(f, m);
    QS_CHECK_NULL(f, c);
    QS_CHECK_NULL(f, out);
    *out = NULL;
    qs_circuit *o;
    QS_TRY(qs_circuit_copy(c, &o));
    qs__instr *old = o->ins;
    size_t n = o->n, ci = 0;
    o->ins = NULL;
    o->n = o->cap = 0;
    qs_status st = QS_OK;
    /* Calls of user-defined gates that the model names are single
     * operations, as in Aer (where such a gate is a unitary labelled with
     * its name): their error attaches after the call, and the gates inlined
     * inside get none of their own. */
    for (size_t i = 0; i <= n && st == QS_OK; i++) {
        while (st == QS_OK && ci < o->ncalls && o->calls[ci].end <= i) {
            qs__call *k = &o->calls[ci++];
            int q[64];
            memcpy(q, o->qubits + k->qoff, sizeof(int) * (size_t)(k->nq < 64 ? k->nq : 64));
            const nm_err *e = k->end == i && k->end <= n ? find(m, k->name, q, k->nq) : NULL;
            if (e && k->end > k->first && old[k->end - 1].has_cond)
                st = qs__fail(QS_EUNSUPPORTED, f, "a call of '%s' is conditional and has an "
                              "error", k->name);
            if (st == QS_OK && e)
                st = push_err(f, o, e, q, k->nq, k->name);
        }
        if (i == n || st != QS_OK)
            break;
        const qs__instr *in = &old[i];
        int q[64];   /* a copy: pushing a channel may move o's qubit pool */
        memcpy(q, o->qubits + in->qoff, sizeof(int) * (size_t)(in->nq < 64 ? in->nq : 64));
        const char *op = in->kind == QS__I_GATE      ? qs_gate_name((qs_gate)in->gate)
                         : in->kind == QS__I_MEASURE ? "measure"
                         : in->kind == QS__I_RESET   ? "reset"
                                                     : NULL;
        /* inside a call whose gate the model names: no error of its own */
        for (size_t k = ci; op && k < o->ncalls && o->calls[k].first <= i; k++) {
            const qs__call *cl = &o->calls[k];
            if (i < cl->end && find(m, cl->name, o->qubits + cl->qoff, cl->nq))
                op = NULL;
        }
        const nm_err *e = op ? find(m, op, q, in->nq) : NULL;
        if (e && in->has_cond)
            st = qs__fail(QS_EUNSUPPORTED, f, "operation %zu is conditional and has an error",
                          i);
        /* Aer puts the error of a measurement before it, others after. */
        if (st == QS_OK && e && in->kind == QS__I_MEASURE)
            st = push_err(f, o, e, q, in->nq, op);
        qs__instr *ni = st == QS_OK ? qs__circ_push(o) : NULL;
        if (st == QS_OK && !ni)
            st = qs__fail(QS_ENOMEM, f, "out of memory");
        if (ni)
            *ni = *in;
        if (st == QS_OK && e && in->kind != QS__I_MEASURE)
            st = push_err(f, o, e, q, in->nq, op);
    }
    free(old);
    qs__circ_clear_calls(o);   /* their positions moved */
    if (st != QS_OK) {
        qs_circuit_destroy(o);
        return st;
    }
    *out = o;
    return QS_OK;
}

QS_API qs_status qs_noise_model_readout(const qs_noise_model *m, int qubit, double conf[4],
                                        int *has)
{
    QS_CHECK_NULL(__func__, m);
    QS_CHECK_NULL(__func__, conf);
    if (qubit < 0)
        return qs__fail(QS_ERANGE, __func__, "qubit %d is negative", qubit);
    int h = 1;
    if (qubit < m->nro && m->has_ro[qubit])
        memcpy(conf, m->ro + 4 * qubit, 4 * sizeof *conf);
    else if (m->has_ro_all)
        memcpy(conf, m->ro_all, 4 * sizeof *conf);
    else {
        static const double id[4] = {1, 0, 0, 1};
        memcpy(conf, id, sizeof id);
        h = 0;
    }
    if (has)
        *has = h;
    return QS_OK;
}

QS_API qs_status qs_noise_model_apply_readout(const qs_noise_model *m, const int *qubits, int k,
                                              size_t count, qs_rng *rng, uint64_t *outcomes)
{
    QS_CHECK_NULL(__func__, m);
    QS_CHECK_NULL(__func__, rng);
    if (k < 0 || k > 64)
        return qs__fail(QS_EINVAL, __func__, "k %d not in [0, 64]", k);
    if (count && k)
        QS_CHECK_NULL(__func__, outcomes);
    double conf[64][4];
    int any = 0;
    for (int j = 0; j < k; j++) {
        int h;
        QS_TRY(qs_noise_model_readout(m, qubits ? qubits[j] : j, conf[j], &h));
        any |= h;
    }
    if (!any)
        return QS_OK;
    gsl_rng *r = qs__rng_gsl(rng);
    for (size_t i = 0; i < count; i++)
        for (int j = 0; j < k; j++) {
            int t = (int)(outcomes[i] >> j & 1);
            if (gsl_rng_uniform(r) < conf[j][2 * t + (1 - t)])
                outcomes[i] ^= UINT64_C(1) << j;
        }
    return QS_OK;
}
