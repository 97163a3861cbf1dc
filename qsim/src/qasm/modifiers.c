/*
 * modifiers.c - OpenQASM 3 gate modifiers: ctrl(n) @, negctrl(n) @, inv @
 * and pow(k) @ on any gate, user gates included.
 *
 * The gate is expanded into a scratch circuit on local qubits (controls
 * first, as the operands list them), each modifier rewrites that list from
 * the innermost out, and the result is emitted on the actual qubits:
 *   inv      reverses the list and inverts each operation: table gates by
 *            their parameters (rz(t) -> rz(-t), u(a,b,c) -> u(-a,-c,-b),
 *            s -> sdg ...), which stays symbolic; the rest through its
 *            matrix;
 *   pow(k)   repeats the list k times (after inv when k < 0) for an
 *            integer k; any other k takes the principal power of the
 *            list's unitary (a dense matrix);
 *   ctrl(n)  controls each operation: a table gate becomes the table gate
 *            with n more controls where there is one (x -> cx -> ccx ...,
 *            rz -> crz, u -> cu3, keeping symbolic arguments), a global
 *            phase becomes p or cp on the controls, anything else a dense
 *            controlled matrix (at most QS_MAX_TARGETS qubits, constant
 *            arguments);
 *   negctrl  the same between x gates on its controls.
 */
#include "qasm/qasm.h"
#include "ir/gates.h"

#include <complex.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Most arguments of a table gate (cu has 4). */
#define MAX_ARGS 4
/* Operations a modified gate may expand to. */
#define MOD_MAX_OPS 4096

/* One operation of the scratch list. */
typedef struct mop {
    int kind;             /* QS__I_GATE, QS__I_GPHASE, QS__I_MATRIX, QS__I_BARRIER */
    int gate, nq;
    int q[QS_MAX_QUBITS];
    int na;
    qs__xbuf a[MAX_ARGS];
    double *m;            /* QS__I_MATRIX: 2^nq x 2^nq, row-major (re, im) */
} mop;

typedef struct mlist {
    mop *o;
    int n, cap;
} mlist;

static void mop_free(mop *o)
{
    for (int a = 0; a < o->na; a++)
        qs__xbuf_free(&o->a[a]);
    free(o->m);
}

static void mlist_free(mlist *l)
{
    for (int i = 0; i < l->n; i++)
        mop_free(&l->o[i]);
    free(l->o);
    memset(l, 0, sizeof *l);
}

/* A new zeroed operation at the end, or NULL (reported). */
static mop *mpush(qq_parser *ps, mlist *l, qq_loc loc)
{
    if (l->n >= MOD_MAX_OPS) {
        qq_error(ps, QS_ETOOBIG, loc, "a modified gate expands to more than %d operations",
                 MOD_MAX_OPS);
        return NULL;
    }
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        mop *o = realloc(l->o, sizeof *o * (size_t)cap);
        if (!o) {
            qq_error(ps, QS_ENOMEM, loc, "out of memory");
            return NULL;
        }
        l->o = o;
        l->cap = cap;
    }
    mop *o = &l->o[l->n++];
    memset(o, 0, sizeof *o);
    return o;
}

static void xcopy(qs__xbuf *b, const qs__xnode *n, int len) { qs__x_append(b, n, len); }

/* The scratch list of what circuit c (local qubits) holds. */
static int from_circuit(qq_parser *ps, const qs_circuit *c, mlist *l, qq_loc loc)
{
    for (size_t i = 0; i < c->n; i++) {
        const qs__instr *in = &c->ins[i];
        mop *o = mpush(ps, l, loc);
        if (!o)
            return 0;
        o->kind = in->kind;
        o->gate = in->gate;
        o->nq = in->nq;
        memcpy(o->q, c->qubits + in->qoff, sizeof(int) * (size_t)in->nq);
        o->na = in->na;
        for (int a = 0; a < in->na; a++) {
            const qs__arg *ar = &c->args[in->aoff + a];
            xcopy(&o->a[a], c->nodes + ar->off, ar->len);
            if (o->a[a].oom)
                return qq_error(ps, QS_ENOMEM, loc, "out of memory");
        }
        if (in->kind == QS__I_MATRIX) {
            size_t len = (size_t)2 << (2 * in->nq);
            o->m = malloc(sizeof(double) * len);
            if (!o->m)
                return qq_error(ps, QS_ENOMEM, loc, "out of memory");
            memcpy(o->m, c->data + in->doff, sizeof(double) * len);
        }
    }
    return 1;
}

/* The constant values of an operation's arguments, or 0. */
static int const_args(const mop *o, double *v)
{
    for (int a = 0; a < o->na; a++)
        if (!qs__x_is_const(o->a[a].n, o->a[a].len, &v[a]))
            return 0;
    return 1;
}

/* The dense matrix of an operation on its own qubits (bit j = o->q[j]),
 * malloc'd; NULL when its arguments are not constant. */
static double *matrix_of(const mop *o)
{
    double v[MAX_ARGS];
    if (o->kind == QS__I_BARRIER || !const_args(o, v))
        return NULL;
    size_t d = (size_t)1 << o->nq;
    double *m = malloc(sizeof(double) * 2 * d * d);
    if (!m)
        return NULL;
    if (o->kind == QS__I_MATRIX)
        memcpy(m, o->m, sizeof(double) * 2 * d * d);
    else if (o->kind == QS__I_GATE)
        qs_gate_matrix((qs_gate)o->gate, v, m);
    else {   /* a global phase: 1x1 */
        m[0] = cos(v[0]);
        m[1] = sin(v[0]);
    }
    return m;
}

/* Replaces operation o by the constant matrix m on qubits q[0..nq). */
static void set_matrix(mop *o, double *m, const int *q, int nq)
{
    mop_free(o);
    memset(o, 0, sizeof *o);
    o->kind = QS__I_MATRIX;
    o->nq = nq;
    memmove(o->q, q, sizeof(int) * (size_t)nq);
    o->m = m;
}

/* ------------------------------------------------------------------- inv */

/* Table gates whose inverse is another constant table gate. */
static int inverse_name(int g)
{
    static const qs_gate pairs[][2] = {
        {QS_GATE_S, QS_GATE_SDG}, {QS_GATE_T, QS_GATE_TDG}, {QS_GATE_SX, QS_GATE_SXDG},
        {QS_GATE_CS, QS_GATE_CSDG}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        if (g == (int)pairs[i][0])
            return (int)pairs[i][1];
        if (g == (int)pairs[i][1])
            return (int)pairs[i][0];
    }
    static const qs_gate self[] = {QS_GATE_ID, QS_GATE_X, QS_GATE_Y, QS_GATE_Z, QS_GATE_H,
                                   QS_GATE_CX, QS_GATE_CY, QS_GATE_CZ, QS_GATE_CH,
                                   QS_GATE_SWAP, QS_GATE_CSWAP, QS_GATE_CCX, QS_GATE_CCZ,
                                   QS_GATE_C3X, QS_GATE_C4X, QS_GATE_ECR};
    for (size_t i = 0; i < sizeof self / sizeof *self; i++)
        if (g == (int)self[i])
            return g;
    return -1;
}

static void negate(qs__xbuf *b)
{
    qs__x_op(b, QS__X_NEG);
}

static void swap_bufs(qs__xbuf *a, qs__xbuf *b)
{
    qs__xbuf t = *a;
    *a = *b;
    *b = t;
}

/* Inverts operation o in place. */
static int invert(qq_parser *ps, mop *o, qq_loc loc)
{
    if (o->kind == QS__I_BARRIER)
        return 1;
    if (o->kind == QS__I_GPHASE) {
        negate(&o->a[0]);
        return 1;
    }
    if (o->kind == QS__I_GATE) {
        int g = o->gate, inv = inverse_name(g);
        if (inv >= 0) {
            o->gate = inv;
            return 1;
        }
        switch (g) {
        case QS_GATE_U0: case QS_GATE_U1: case QS_GATE_P: case QS_GATE_RX: case QS_GATE_RY:
        case QS_GATE_RZ: case QS_GATE_CRX: case QS_GATE_CRY: case QS_GATE_CRZ:
        case QS_GATE_CU1: case QS_GATE_CP: case QS_GATE_RXX: case QS_GATE_RYY:
        case QS_GATE_RZZ: case QS_GATE_RZX:
            for (int a = 0; a < o->na; a++)
                negate(&o->a[a]);
            return 1;
        case QS_GATE_R:   /* r(t, f)^-1 = r(-t, f) */
            negate(&o->a[0]);
            return 1;
        case QS_GATE_U: case QS_GATE_U3: case QS_GATE_CU3: case QS_GATE_CU:
            /* u(a, b, c)^-1 = u(-a, -c, -b); cu's phase is negated too */
            negate(&o->a[0]);
            negate(&o->a[1]);
            negate(&o->a[2]);
            swap_bufs(&o->a[1], &o->a[2]);
            if (g == QS_GATE_CU)
                negate(&o->a[3]);
            return 1;
        default: break;
        }
    }
    double *m = matrix_of(o);
    if (!m)
        return qq_error(ps, QS_EUNSUPPORTED, loc, "inv @ on gate '%s' with arguments that "
                        "depend on input parameters is not supported",
                        o->kind == QS__I_GATE ? qs_gate_name((qs_gate)o->gate) : "matrix");
    size_t d = (size_t)1 << o->nq;
    double *t = malloc(sizeof(double) * 2 * d * d);
    if (!t) {
        free(m);
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    }
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++) {
            t[2 * (i * d + j)] = m[2 * (j * d + i)];
            t[2 * (i * d + j) + 1] = -m[2 * (j * d + i) + 1];
        }
    free(m);
    int q[QS_MAX_QUBITS];
    memcpy(q, o->q, sizeof(int) * (size_t)o->nq);
    set_matrix(o, t, q, o->nq);
    return 1;
}

static int apply_inv(qq_parser *ps, mlist *l, qq_loc loc)
{
    for (int i = 0, j = l->n - 1; i < j; i++, j--) {
        mop t = l->o[i];
        l->o[i] = l->o[j];
        l->o[j] = t;
    }
    for (int i = 0; i < l->n; i++)
        if (!invert(ps, &l->o[i], loc))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ ctrl */

/* The table gate with one more control than g on the same operation, or -1. */
static int controlled(int g)
{
    const qs__gate_info *a = &qs__gates[g];
    for (int h = 0; h < QS_NUM_GATES; h++) {
        const qs__gate_info *b = &qs__gates[h];
        if (b->build == a->build && b->nt == a->nt && b->np == a->np && b->nc == a->nc + 1)
            return h;
    }
    return -1;
}

/* The matrix of U controlled by nc qubits (the low index bits), all 1. */
static double *controlled_matrix(const double *u, int nt, int nc)
{
    size_t d = (size_t)1 << nt, D = d << nc, cm = ((size_t)1 << nc) - 1;
    double *m = calloc(2 * D * D, sizeof(double));
    if (!m)
        return NULL;
    for (size_t i = 0; i < D; i++)
        m[2 * (i * D + i)] = 1;
    for (size_t r = 0; r < d; r++)
        for (size_t c = 0; c < d; c++) {
            size_t i = (r << nc) | cm, j = (c << nc) | cm;
            m[2 * (i * D + j)] = u[2 * (r * d + c)];
            m[2 * (i * D + j) + 1] = u[2 * (r * d + c) + 1];
        }
    return m;
}

/* Adds controls ctl[0..nc) (all on 1) to operation o. */
static int control(qq_parser *ps, mop *o, const int *ctl, int nc, qq_loc loc)
{
    int q[QS_MAX_QUBITS];
    if (o->kind == QS__I_BARRIER)
        return 1;
    if (o->nq + nc > QS_MAX_QUBITS)
        return qq_error(ps, QS_ETOOBIG, loc, "a controlled gate on more than %d qubits",
                        QS_MAX_QUBITS);
    memcpy(q, ctl, sizeof(int) * (size_t)nc);
    memcpy(q + nc, o->q, sizeof(int) * (size_t)o->nq);
    if (o->kind == QS__I_GATE) {
        int g = o->gate;
        for (int k = 0; k < nc && g >= 0; k++)
            g = controlled(g);
        if (g >= 0) {
            o->gate = g;
            o->nq += nc;
            memcpy(o->q, q, sizeof(int) * (size_t)o->nq);
            return 1;
        }
    }
    if (o->kind == QS__I_GPHASE && nc <= 2) {   /* e^{i phi} on the controls' |1..1> */
        o->kind = QS__I_GATE;
        o->gate = nc == 1 ? QS_GATE_P : QS_GATE_CP;
        o->nq = nc;
        memcpy(o->q, ctl, sizeof(int) * (size_t)nc);
        return 1;
    }
    if (o->nq + nc > QS_MAX_TARGETS)
        return qq_error(ps, QS_EUNSUPPORTED, loc, "ctrl @ on '%s' needs a dense matrix on %d "
                        "qubits (at most %d)", o->kind == QS__I_GATE ?
                        qs_gate_name((qs_gate)o->gate) : "gphase", o->nq + nc, QS_MAX_TARGETS);
    double *u = matrix_of(o);
    if (!u)
        return qq_error(ps, QS_EUNSUPPORTED, loc, "ctrl @ on gate '%s' with arguments that "
                        "depend on input parameters is not supported",
                        o->kind == QS__I_GATE ? qs_gate_name((qs_gate)o->gate) : "gphase");
    double *m = controlled_matrix(u, o->nq, nc);
    free(u);
    if (!m)
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    set_matrix(o, m, q, o->nq + nc);
    return 1;
}

static int x_on(qq_parser *ps, mlist *l, int q, qq_loc loc)
{
    mop *o = mpush(ps, l, loc);
    if (!o)
        return 0;
    o->kind = QS__I_GATE;
    o->gate = QS_GATE_X;
    o->nq = 1;
    o->q[0] = q;
    return 1;
}

static int apply_ctrl(qq_parser *ps, mlist *l, const int *ctl, int nc, int neg, qq_loc loc)
{
    for (int i = 0; i < l->n; i++)
        if (!control(ps, &l->o[i], ctl, nc, loc))
            return 0;
    if (!neg)
        return 1;
    /* x on the controls before and after */
    mlist out = {0};
    int ok = 1;
    for (int k = 0; ok && k < nc; k++)
        ok = x_on(ps, &out, ctl[k], loc);
    for (int i = 0; ok && i < l->n; i++) {
        mop *o = mpush(ps, &out, loc);
        ok = o != NULL;
        if (ok) {
            *o = l->o[i];
            memset(&l->o[i], 0, sizeof l->o[i]);
        }
    }
    for (int k = 0; ok && k < nc; k++)
        ok = x_on(ps, &out, ctl[k], loc);
    mlist_free(l);
    *l = out;
    return ok;
}

/* ------------------------------------------------------------------- pow */

/* The unitary of the list on qubits 0..nq-1 (malloc'd), or NULL. */
static double *unitary_of(qq_parser *ps, const mlist *l, int nq, qq_loc loc)
{
    size_t d = (size_t)1 << nq;
    double *u = calloc(2 * d * d, sizeof(double)), *col = malloc(sizeof(double) * 2 * d);
    if (!u || !col) {
        free(u);
        free(col);
        qq_error(ps, QS_ENOMEM, loc, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < d; i++)
        u[2 * (i * d + i)] = 1;
    for (int k = 0; k < l->n; k++) {
        const mop *o = &l->o[k];
        if (o->kind == QS__I_BARRIER)
            continue;
        double *m = matrix_of(o);
        if (!m) {
            free(u);
            free(col);
            qq_error(ps, QS_EUNSUPPORTED, loc, "pow @ with a fractional exponent on a gate "
                     "whose arguments depend on input parameters is not supported");
            return NULL;
        }
        /* u = M u, M acting on qubits o->q (a 1x1 global phase when nq = 0) */
        size_t dm = (size_t)1 << o->nq;
        for (size_t c = 0; c < d; c++) {
            for (size_t r = 0; r < d; r++) {
                size_t sub = 0;
                for (int j = 0; j < o->nq; j++)
                    sub |= ((r >> o->q[j]) & 1) << j;
                double re = 0, im = 0;
                for (size_t s2 = 0; s2 < dm; s2++) {
                    size_t rr = r;
                    for (int j = 0; j < o->nq; j++)
                        rr = (rr & ~((size_t)1 << o->q[j])) | (((s2 >> j) & 1) << o->q[j]);
                    double mr = m[2 * (sub * dm + s2)], mi = m[2 * (sub * dm + s2) + 1];
                    double ur = u[2 * (rr * d + c)], ui = u[2 * (rr * d + c) + 1];
                    re += mr * ur - mi * ui;
                    im += mr * ui + mi * ur;
                }
                col[2 * r] = re;
                col[2 * r + 1] = im;
            }
            for (size_t r = 0; r < d; r++) {
                u[2 * (r * d + c)] = col[2 * r];
                u[2 * (r * d + c) + 1] = col[2 * r + 1];
            }
        }
        free(m);
    }
    free(col);
    return u;
}

/* U^k for a unitary U (principal branch), through its Schur form. */
static double *matrix_power(qq_parser *ps, const double *u, int nq, double k, qq_loc loc)
{
    lapack_int n = 1 << nq, sdim = 0;
    double complex *a = malloc(sizeof *a * (size_t)(n * n)), *z = malloc(sizeof *z * (size_t)(n * n));
    double complex *w = malloc(sizeof *w * (size_t)n);
    double *out = calloc(2 * (size_t)(n * n), sizeof(double));
    int ok = a && z && w && out;
    for (lapack_int i = 0; ok && i < n * n; i++)
        a[i] = u[2 * i] + I * u[2 * i + 1];
    ok = ok && LAPACKE_zgees(LAPACK_ROW_MAJOR, 'V', 'N', NULL, n, (lapack_complex_double *)a, n,
                             &sdim, (lapack_complex_double *)w, (lapack_complex_double *)z,
                             n) == 0;
    /* U is normal, so its Schur form is diagonal: U^k = Z diag(w^k) Z^H */
    for (lapack_int r = 0; ok && r < n; r++)
        for (lapack_int c = 0; c < n; c++) {
            double complex s = 0;
            for (lapack_int j = 0; j < n; j++)
                s += z[r * n + j] * cexp(k * clog(w[j])) * conj(z[c * n + j]);
            out[2 * (r * n + c)] = creal(s);
            out[2 * (r * n + c) + 1] = cimag(s);
        }
    free(a);
    free(z);
    free(w);
    if (!ok) {
        free(out);
        qq_error(ps, QS_EINTERNAL, loc, "pow @: the Schur decomposition failed");
        return NULL;
    }
    return out;
}

static int apply_pow(qq_parser *ps, mlist *l, double k, int nq, qq_loc loc)
{
    if (k == floor(k) && fabs(k) <= MOD_MAX_OPS) {
        if (k < 0 && !apply_inv(ps, l, loc))
            return 0;
        long n = (long)fabs(k);
        mlist out = {0};
        int ok = 1;
        for (long r = 0; ok && r < n; r++)
            for (int i = 0; ok && i < l->n; i++) {
                mop *o = mpush(ps, &out, loc);
                ok = o != NULL;
                if (!ok)
                    break;
                *o = l->o[i];
                o->m = NULL;
                for (int a = 0; a < o->na; a++) {
                    memset(&o->a[a], 0, sizeof o->a[a]);
                    xcopy(&o->a[a], l->o[i].a[a].n, l->o[i].a[a].len);
                    ok = ok && !o->a[a].oom;
                }
                if (ok && l->o[i].m) {
                    size_t len = (size_t)2 << (2 * o->nq);
                    o->m = malloc(sizeof(double) * len);
                    ok = o->m != NULL;
                    if (ok)
                        memcpy(o->m, l->o[i].m, sizeof(double) * len);
                }
                if (!ok)
                    qq_error(ps, QS_ENOMEM, loc, "out of memory");
            }
        mlist_free(l);
        *l = out;
        return ok;
    }
    if (nq > QS_MAX_TARGETS || nq < 1)
        return qq_error(ps, QS_EUNSUPPORTED, loc, "pow(%g) @ needs a dense matrix on %d qubits "
                        "(1 to %d)", k, nq, QS_MAX_TARGETS);
    double *u = unitary_of(ps, l, nq, loc);
    double *m = u ? matrix_power(ps, u, nq, k, loc) : NULL;
    free(u);
    if (!m)
        return 0;
    mlist_free(l);
    mop *o = mpush(ps, l, loc);
    if (!o) {
        free(m);
        return 0;
    }
    int q[QS_MAX_QUBITS];
    for (int j = 0; j < nq; j++)
        q[j] = j;
    set_matrix(o, m, q, nq);
    return 1;
}

/* ------------------------------------------------------------- emission */

int qq_emit_modified(qq_parser *ps, qs_circuit *c, int sym, const int *qubits,
                     const qs__xnode *const *an, const int *al, const qq_mod *mods, int nmods,
                     const qq_cond *cond, qq_loc loc)
{
    const qq_gate *g = &ps->gates[sym];
    int nctl = 0;
    for (int i = 0; i < nmods; i++)
        nctl += mods[i].kind == QQ_MOD_CTRL || mods[i].kind == QQ_MOD_NEGCTRL ? mods[i].n : 0;
    int nq = g->nq + nctl, local[QS_MAX_QUBITS];
    if (nq > QS_MAX_QUBITS)
        return qq_error(ps, QS_ETOOBIG, loc, "a gate on more than %d qubits", QS_MAX_QUBITS);
    for (int j = 0; j < g->nq; j++)
        local[j] = nctl + j;
    /* The gate itself on local qubits nctl.., in a scratch circuit. */
    qs_circuit *tmp;
    if (qs_circuit_create(nq, 0, &tmp) != QS_OK)
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    mlist l = {0};
    int ok = qq_expand_into(ps, tmp, sym, local, an, al, loc) && from_circuit(ps, tmp, &l, loc);
    qs_circuit_destroy(tmp);
    /* Modifiers from the innermost out; each ctrl takes the qubits just
     * before those of what it controls. */
    int lo = nctl;
    for (int i = nmods - 1; ok && i >= 0; i--) {
        const qq_mod *m = &mods[i];
        if (m->kind == QQ_MOD_INV) {
            ok = apply_inv(ps, &l, loc);
        } else if (m->kind == QQ_MOD_POW) {
            ok = apply_pow(ps, &l, m->k, nq, loc);
        } else {
            int ctl[QS_MAX_QUBITS];
            lo -= m->n;
            for (int k = 0; k < m->n; k++)
                ctl[k] = lo + k;
            ok = apply_ctrl(ps, &l, ctl, m->n, m->kind == QQ_MOD_NEGCTRL, loc);
        }
    }
    for (int i = 0; ok && i < l.n; i++) {
        mop *o = &l.o[i];
        int q[QS_MAX_QUBITS], al2[MAX_ARGS];
        const qs__xnode *an2[MAX_ARGS];
        for (int j = 0; j < o->nq; j++)
            q[j] = qubits[o->q[j]];
        for (int a = 0; a < o->na; a++) {
            an2[a] = o->a[a].n;
            al2[a] = o->a[a].len;
        }
        if (o->kind == QS__I_BARRIER)
            continue;
        ok = qq_emit_op(ps, c, o->kind, o->gate, q, o->nq, an2, al2, o->na, o->m, cond, loc);
    }
    mlist_free(&l);
    return ok;
}
