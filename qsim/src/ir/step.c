/*
 * step.c - one step of a compiled program: its argument values, and
 * applying it forward, as its conjugate transpose, or as its derivative
 * with respect to one argument.  program.c runs programs with it and
 * program_steps.c builds the public step primitives on it.  Applies
 * through the localiser (loc/loc.h).
 *
 * Derivatives of named gates need no per-gate code: every parameterized
 * gate's matrix entries are trigonometric polynomials of degree <= 2 in
 * u = x/2 (frequencies 0, 1/2 and 1 in the argument x: e^{+-ix/2} for
 * rotations, e^{ix} for phases, e^{-+ix} for r's phi), and such a
 * polynomial's derivative is an exact combination of its values at four
 * shifted points (trigonometric interpolation):
 *   f'(u) = sum_{mu=1..4} (-1)^{mu-1} f(u + u_mu) / (8 sin^2(u_mu / 2)),
 *   u_mu = (2 mu - 1) pi / 4,  and df/dx = f'(u) / 2.
 * test_steps.c checks every gate against finite differences.
 */
#include "loc/loc.h"
#include "core/error.h"
#include "ir/lower.h"
#include "ir/program_impl.h"

#include <math.h>
#include <string.h>

int qs__step_nonunitary(const qs__step *st)
{
    return st->has_cond || st->kind == QS__S_MEASURE || st->kind == QS__S_RESET ||
           st->kind == QS__S_STORE || st->kind == QS__S_FAIL;
}

void qs__step_args(const qs_program *p, const qs__step *st, const double *params, double *args)
{
    for (int a = 0; a < st->na; a++) {
        const qs__arg *ar = &p->args[st->aoff + a];
        args[a] = qs__x_eval(p->nodes + ar->off, ar->len, params);
    }
}

qs_status qs__step_args_finite(const qs_program *p, size_t k, const double *params, double *args,
                               const char *func)
{
    const qs__step *st = &p->steps[k];
    qs__step_args(p, st, params, args);
    for (int a = 0; a < st->na; a++)
        if (!isfinite(args[a]))
            return qs__fail(QS_EINVAL, func, "argument %d of step %zu evaluates to %g", a, k,
                            args[a]);
    return QS_OK;
}

int qs__step_arg_uses_params(const qs_program *p, const qs__step *st, int a)
{
    const qs__arg *ar = &p->args[st->aoff + a];
    return qs__x_max_param(p->nodes + ar->off, ar->len) >= 0;
}

int qs__step_uses_params(const qs_program *p, const qs__step *st)
{
    for (int a = 0; a < st->na; a++)
        if (qs__step_arg_uses_params(p, st, a))
            return 1;
    return 0;
}

/* out <- the conjugate transpose of op; its data goes to buf. */
static void adjoint_op(const qs__op *op, qs__op *out, double *buf)
{
    *out = *op;
    int d = 1 << op->nt;
    switch (op->kind) {
    case QS__OP_DENSE:
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++) {
                buf[2 * (r * d + c)] = op->m[2 * (c * d + r)];
                buf[2 * (r * d + c) + 1] = -op->m[2 * (c * d + r) + 1];
            }
        out->m = buf;
        break;
    case QS__OP_DIAG:
        for (int j = 0; j < d; j++) {
            buf[2 * j] = op->m[2 * j];
            buf[2 * j + 1] = -op->m[2 * j + 1];
        }
        out->m = buf;
        break;
    case QS__OP_PERM:
        /* |j> -> m_j |perm[j]> is undone by |perm[j]> -> conj(m_j) |j>. */
        for (int j = 0; j < d; j++) {
            uint32_t to = op->perm[j];
            out->perm[to] = (uint32_t)j;
            if (op->m) {
                buf[2 * to] = op->m[2 * j];
                buf[2 * to + 1] = -op->m[2 * j + 1];
            }
        }
        out->m = op->m ? buf : NULL;
        break;
    default:   /* a I + b P with P Hermitian */
        out->a[1] = -op->a[1];
        out->b[1] = -op->b[1];
        break;
    }
}

void qs__op_adjoint(const qs__op *op, qs__op *out, double *buf) { adjoint_op(op, out, buf); }

/* The derivative of gate g's base operation with respect to argument a. */
static void gate_derivative(int g, const double *args, int na, int a, qs__gmat *out)
{
    double shifted[QS__STEP_MAX_ARGS];
    qs__gmat gm;
    size_t len = 0;
    for (int mu = 1; mu <= 4; mu++) {
        double u = (2 * mu - 1) * M_PI / 4, s = sin(u / 2);
        double w = (mu % 2 ? 0.5 : -0.5) / (8 * s * s);
        memcpy(shifted, args, sizeof(double) * (size_t)na);
        shifted[a] += 2 * u;
        qs__gate_build(g, shifted, &gm);
        if (gm.kind == QS__OP_PERM) {   /* as a dense matrix */
            double dense[sizeof gm.m / sizeof *gm.m];
            qs__gmat_dense(&gm, dense);
            memcpy(gm.m, dense, sizeof dense);
            gm.kind = QS__OP_DENSE;
        }
        if (mu == 1) {
            *out = gm;
            len = gm.kind == QS__OP_DENSE ? (size_t)2 << (2 * gm.nt) : (size_t)2 << gm.nt;
            memset(out->m, 0, sizeof(double) * len);
        }
        for (size_t i = 0; i < len; i++)
            out->m[i] += w * gm.m[i];
    }
}

/* op <- P_c (x) V' on targets t and controls c (control j on |bit j of
 * cv>), as one op whose targets are t then c: d/dx (P_c (x) V(x) +
 * (1 - P_c) (x) 1) is zero where a control is not set. */
static void embed_controls(const qs__gmat *gm, const int *c, int nc, unsigned cv, const int *t,
                           qs__op *op, double *buf)
{
    memset(op, 0, sizeof *op);
    op->kind = gm->kind;
    op->nt = gm->nt + nc;
    memcpy(op->targets, t, sizeof(int) * (size_t)gm->nt);
    memcpy(op->targets + gm->nt, c, sizeof(int) * (size_t)nc);
    unsigned d = 1u << gm->nt, D = 1u << op->nt, mask = ((1u << nc) - 1) << gm->nt;
    unsigned on = cv << gm->nt;
    for (unsigned r = 0; r < D; r++) {
        if (gm->kind == QS__OP_DIAG) {
            buf[2 * r] = (r & mask) == on ? gm->m[2 * (r & (d - 1))] : 0;
            buf[2 * r + 1] = (r & mask) == on ? gm->m[2 * (r & (d - 1)) + 1] : 0;
            continue;
        }
        for (unsigned k = 0; k < D; k++) {
            int set = (r & mask) == on && (k & mask) == on;
            const double *z = gm->m + 2 * ((r & (d - 1)) * d + (k & (d - 1)));
            buf[2 * (r * D + k)] = set ? z[0] : 0;
            buf[2 * (r * D + k) + 1] = set ? z[1] : 0;
        }
    }
    op->m = buf;
}

static void gate_op(const qs__step *st, const double *args, int mode, int darg, qs__op *op,
                    double *buf)
{
    const qs__gate_info *gi = &qs__gates[st->gate];
    uint64_t cm = 0;
    for (int j = 0; j < gi->nc; j++)
        cm |= UINT64_C(1) << st->q[j];
    qs__gmat gm;
    if (mode == QS__DERIVATIVE) {
        /* the gate's own controls (on |1>), then the extra ones */
        int c[QS_MAX_TARGETS], nc = gi->nc;
        unsigned cv = (1u << gi->nc) - 1;
        memcpy(c, st->q, sizeof(int) * (size_t)gi->nc);
        for (int b = 0; b < 64; b++)
            if (st->xcm >> b & 1) {
                cv |= (unsigned)(st->xcv >> b & 1) << nc;
                c[nc++] = b;
            }
        gate_derivative(st->gate, args, st->na, darg, &gm);
        embed_controls(&gm, c, nc, cv, st->q + gi->nc, op, buf);
        return;
    }
    qs__gate_build(st->gate, args, &gm);
    qs__op tmp;
    qs__lower_gmat(&gm, st->q + gi->nc, cm | st->xcm, cm | st->xcv, &tmp);
    if (mode == QS__ADJOINT) {
        adjoint_op(&tmp, op, buf);
        return;
    }
    *op = tmp;
    if (tmp.m) {
        size_t len = gm.kind == QS__OP_DENSE ? (size_t)2 << (2 * gm.nt) : (size_t)2 << gm.nt;
        memcpy(buf, gm.m, sizeof(double) * len);
        op->m = buf;
    }
}

int qs__step_op(const qs_program *p, const qs__step *st, const double *args, int mode, int darg,
                qs__op *op, double *buf)
{
    (void)p;
    int adj = mode == QS__ADJOINT, der = mode == QS__DERIVATIVE;
    switch (st->kind) {
    case QS__S_OP:
        if (der)
            return 0;
        if (adj)
            adjoint_op(&st->op, op, buf);
        else
            *op = st->op;
        return 1;
    case QS__S_PGATE:
        gate_op(st, args, mode, darg, op, buf);
        return 1;
    case QS__S_PAULI: {
        /* exp(-i t/2 P) = cos(t/2) - i sin(t/2) P; d/dt = -sin/2 - i cos/2 P */
        double t = args[0], c = cos(t / 2), sn = sin(t / 2);
        *op = st->op;
        op->a[0] = der ? -sn / 2 : c;
        op->a[1] = 0;
        op->b[0] = 0;
        op->b[1] = der ? -c / 2 : adj ? sn : -sn;
        return 1;
    }
    case QS__S_GPHASE: {
        /* e^{i phi}, its conjugate, and d/dphi = i e^{i phi}: a diagonal op
         * without targets */
        double ph = adj ? -args[0] : args[0];
        memset(op, 0, sizeof *op);
        op->kind = QS__OP_DIAG;
        buf[0] = der ? -sin(ph) : cos(ph);
        buf[1] = der ? cos(ph) : sin(ph);
        op->m = buf;
        return 1;
    }
    default:
        return 0;
    }
}

qs_status qs__step_apply(const qs_program *p, const qs__step *st, const double *args, int mode,
                         int darg, qs_state *s)
{
    int adj = mode == QS__ADJOINT, der = mode == QS__DERIVATIVE;
    double buf[QS__OPBUF];
    qs__op op;
    if (qs__step_op(p, st, args, mode, darg, &op, buf))
        return qs__loc_apply(s, &op);
    switch (st->kind) {
    case QS__S_DIAGEXP: {
        /* exp(-i t D); its adjoint exp(i t D); d/dt = -i D exp(-i t D) */
        static const double one[2] = {1, 0}, minus_i[2] = {0, -1};
        return qs__loc_diag_real(s, p->data + st->doff, p->nq, adj ? -args[0] : args[0],
                                 der ? minus_i : one, der);
    }
    case QS__S_QFT:
        QS_ASSERT(!der);
        return qs__loc_qft("qs_program_run", s, st->first, st->count, st->inv != adj);
    case QS__S_BARRIER:
        return QS_OK;
    default:
        QS_ASSERT(!der);
        return qs__fail(QS_EINTERNAL, __func__, "step kind %d is not unitary", st->kind);
    }
}
