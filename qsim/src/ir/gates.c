/*
 * gates.c - the gate table and the builders of each gate's base operation.
 *
 * The table rows come from <qsim/gates.def>; this file adds one builder per
 * base name.  Builders give the exact matrices of Qiskit's gate classes,
 * global phases included.  Where Qiskit defines a gate only through its
 * qelib1.inc body (rccx, rc3x), the builder multiplies that body out.
 */
#include "ir/gates.h"
#include "backend/backend.h"
#include "core/error.h"

#include <math.h>
#include <string.h>

#define DIAG QS__OP_DIAG
#define DENSE QS__OP_DENSE
#define PERM QS__OP_PERM

static void set(double *m, int i, double re, double im)
{
    m[2 * i] = re;
    m[2 * i + 1] = im;
}

/* Dense builders write row-major 2^nt x 2^nt; entry (r, c) is m[r*d + c]. */
static void dense1(qs__gmat *g, double ar, double ai, double br, double bi,
                   double cr, double ci, double dr, double di)
{
    g->kind = DENSE;
    g->nt = 1;
    set(g->m, 0, ar, ai);
    set(g->m, 1, br, bi);
    set(g->m, 2, cr, ci);
    set(g->m, 3, dr, di);
}

static void diag1(qs__gmat *g, double ar, double ai, double br, double bi)
{
    g->kind = DIAG;
    g->nt = 1;
    set(g->m, 0, ar, ai);
    set(g->m, 1, br, bi);
}

/* U(theta, phi, lambda) = [[c, -e^{il} s], [e^{ip} s, e^{i(p+l)} c]] */
static void u3_matrix(qs__gmat *g, double th, double ph, double la)
{
    double c = cos(th / 2), s = sin(th / 2);
    dense1(g, c, 0, -cos(la) * s, -sin(la) * s, cos(ph) * s, sin(ph) * s,
           cos(ph + la) * c, sin(ph + la) * c);
}

static void b_id(const double *p, qs__gmat *g) { (void)p; diag1(g, 1, 0, 1, 0); }
static void b_u0(const double *p, qs__gmat *g) { (void)p; diag1(g, 1, 0, 1, 0); }
static void b_p(const double *p, qs__gmat *g) { diag1(g, 1, 0, cos(p[0]), sin(p[0])); }
static void b_u2(const double *p, qs__gmat *g)
{
    u3_matrix(g, M_PI / 2, p[0], p[1]);
}
static void b_u3(const double *p, qs__gmat *g) { u3_matrix(g, p[0], p[1], p[2]); }
/* cu's target operation: e^{i gamma} U(theta, phi, lambda). */
static void b_u4(const double *p, qs__gmat *g)
{
    u3_matrix(g, p[0], p[1], p[2]);
    double cr = cos(p[3]), ci = sin(p[3]);
    for (int i = 0; i < 4; i++) {
        double r = g->m[2 * i], im = g->m[2 * i + 1];
        set(g->m, i, cr * r - ci * im, cr * im + ci * r);
    }
}
static void perm1(qs__gmat *g, int phased, double p0r, double p0i, double p1r, double p1i)
{
    g->kind = PERM;
    g->nt = 1;
    g->phased = phased;
    g->perm[0] = 1;
    g->perm[1] = 0;
    set(g->m, 0, p0r, p0i);
    set(g->m, 1, p1r, p1i);
}
static void b_x(const double *p, qs__gmat *g) { (void)p; perm1(g, 0, 1, 0, 1, 0); }
/* Y|0> = i|1>, Y|1> = -i|0> */
static void b_y(const double *p, qs__gmat *g) { (void)p; perm1(g, 1, 0, 1, 0, -1); }
static void b_z(const double *p, qs__gmat *g) { (void)p; diag1(g, 1, 0, -1, 0); }
static void b_h(const double *p, qs__gmat *g)
{
    (void)p;
    double r = M_SQRT1_2;
    dense1(g, r, 0, r, 0, r, 0, -r, 0);
}
static void b_s(const double *p, qs__gmat *g) { (void)p; diag1(g, 1, 0, 0, 1); }
static void b_sdg(const double *p, qs__gmat *g) { (void)p; diag1(g, 1, 0, 0, -1); }
static void b_t(const double *p, qs__gmat *g) { (void)p; diag1(g, 1, 0, M_SQRT1_2, M_SQRT1_2); }
static void b_tdg(const double *p, qs__gmat *g) { (void)p; diag1(g, 1, 0, M_SQRT1_2, -M_SQRT1_2); }
/* sx = [[1+i, 1-i], [1-i, 1+i]] / 2 */
static void b_sx(const double *p, qs__gmat *g)
{
    (void)p;
    dense1(g, .5, .5, .5, -.5, .5, -.5, .5, .5);
}
static void b_sxdg(const double *p, qs__gmat *g)
{
    (void)p;
    dense1(g, .5, -.5, .5, .5, .5, .5, .5, -.5);
}
static void b_rx(const double *p, qs__gmat *g)
{
    double c = cos(p[0] / 2), s = sin(p[0] / 2);
    dense1(g, c, 0, 0, -s, 0, -s, c, 0);
}
static void b_ry(const double *p, qs__gmat *g)
{
    double c = cos(p[0] / 2), s = sin(p[0] / 2);
    dense1(g, c, 0, -s, 0, s, 0, c, 0);
}
static void b_rz(const double *p, qs__gmat *g)
{
    double c = cos(p[0] / 2), s = sin(p[0] / 2);
    diag1(g, c, -s, c, s);
}
/* r(theta, phi) = [[c, -i e^{-i phi} s], [-i e^{i phi} s, c]] */
static void b_r(const double *p, qs__gmat *g)
{
    double c = cos(p[0] / 2), s = sin(p[0] / 2), cp = cos(p[1]), sp = sin(p[1]);
    /* -i e^{-i phi} = -sin(phi) - i cos(phi);  -i e^{i phi} = sin(phi) - i cos(phi) */
    dense1(g, c, 0, -sp * s, -cp * s, sp * s, -cp * s, c, 0);
}

/* Two-qubit permutations; index bit 0 is the first qubit argument. */
static void perm2(qs__gmat *g, const uint32_t *perm)
{
    g->kind = PERM;
    g->nt = 2;
    g->phased = 0;
    memcpy(g->perm, perm, 4 * sizeof *perm);
}
static void b_swap(const double *p, qs__gmat *g)
{
    (void)p;
    perm2(g, (const uint32_t[]){0, 2, 1, 3});
}
/* iswap: |01> -> i|10>, |10> -> i|01> */
static void b_iswap(const double *p, qs__gmat *g)
{
    (void)p;
    perm2(g, (const uint32_t[]){0, 2, 1, 3});
    g->phased = 1;
    set(g->m, 0, 1, 0);
    set(g->m, 1, 0, 1);
    set(g->m, 2, 0, 1);
    set(g->m, 3, 1, 0);
}
/* dcx = cx(a,b) then cx(b,a) */
static void b_dcx(const double *p, qs__gmat *g)
{
    (void)p;
    perm2(g, (const uint32_t[]){0, 2, 3, 1});
}

/* exp(-i theta/2 P1 (x) P0) with P0 on the first qubit argument. */
static void pauli_exp2(qs__gmat *g, double theta, char p0, char p1)
{
    /* P = Pa (x) Pb as a 4x4 matrix, then c I - i s P. */
    static const double X[8] = {0, 0, 1, 0, 1, 0, 0, 0};
    static const double Y[8] = {0, 0, 0, -1, 0, 1, 0, 0};
    static const double Z[8] = {1, 0, 0, 0, 0, 0, -1, 0};
    const double *A = p0 == 'X' ? X : p0 == 'Y' ? Y : Z;  /* on bit 0 */
    const double *B = p1 == 'X' ? X : p1 == 'Y' ? Y : Z;  /* on bit 1 */
    double c = cos(theta / 2), s = sin(theta / 2);
    g->kind = DENSE;
    g->nt = 2;
    for (int r = 0; r < 4; r++)
        for (int col = 0; col < 4; col++) {
            int ra = r & 1, rb = r >> 1, ca = col & 1, cb = col >> 1;
            double ar = A[2 * (ra * 2 + ca)], ai = A[2 * (ra * 2 + ca) + 1];
            double br = B[2 * (rb * 2 + cb)], bi = B[2 * (rb * 2 + cb) + 1];
            double pr = ar * br - ai * bi, pi = ar * bi + ai * br;
            /* c*delta - i*s*P */
            set(g->m, r * 4 + col, (r == col ? c : 0) + s * pi, -s * pr);
        }
}
static void b_rxx(const double *p, qs__gmat *g) { pauli_exp2(g, p[0], 'X', 'X'); }
static void b_ryy(const double *p, qs__gmat *g) { pauli_exp2(g, p[0], 'Y', 'Y'); }
/* rzx(theta) a,b = exp(-i theta/2 Z_a X_b) */
static void b_rzx(const double *p, qs__gmat *g) { pauli_exp2(g, p[0], 'Z', 'X'); }
static void b_rzz(const double *p, qs__gmat *g)
{
    double c = cos(p[0] / 2), s = sin(p[0] / 2);
    g->kind = DIAG;
    g->nt = 2;
    set(g->m, 0, c, -s);
    set(g->m, 1, c, s);
    set(g->m, 2, c, s);
    set(g->m, 3, c, -s);
}
/* ecr = (IX - XY) / sqrt(2) in Qiskit's q1 (x) q0 notation */
static void b_ecr(const double *p, qs__gmat *g)
{
    (void)p;
    double r = M_SQRT1_2;
    static const int re[16] = {0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0};
    static const int im[16] = {0, 0, 0, 1, 0, 0, -1, 0, 0, 1, 0, 0, -1, 0, 0, 0};
    g->kind = DENSE;
    g->nt = 2;
    for (int i = 0; i < 16; i++)
        set(g->m, i, r * re[i], r * im[i]);
}

/* ---- gates defined by their qelib1.inc bodies ------------------------- */

/* Body steps: H (u2(0,pi)), phase (u1), or CX on qubit indices. */
typedef struct { char op; int a, b; double angle; } step;

/* Multiplies a body out on nq qubits and stores it as a phased permutation
 * (both bodies are relative-phase Toffolis, so each column has one entry). */
static void from_body(qs__gmat *g, int nq, const step *body, int nsteps)
{
    int d = 1 << nq;
    double col[2 * 16];
    g->kind = PERM;
    g->nt = nq;
    g->phased = 1;
    for (int j = 0; j < d; j++) {
        memset(col, 0, sizeof col);
        col[2 * j] = 1;
        for (int s = 0; s < nsteps; s++) {
            const step *st = &body[s];
            int ma = 1 << st->a;
            for (int i = 0; i < d; i++) {
                if (st->op == 'h' && !(i & ma)) {
                    int k = i | ma;
                    double xr = col[2 * i], xi = col[2 * i + 1], yr = col[2 * k], yi = col[2 * k + 1];
                    col[2 * i] = M_SQRT1_2 * (xr + yr);
                    col[2 * i + 1] = M_SQRT1_2 * (xi + yi);
                    col[2 * k] = M_SQRT1_2 * (xr - yr);
                    col[2 * k + 1] = M_SQRT1_2 * (xi - yi);
                } else if (st->op == 'p' && (i & ma)) {
                    double c = cos(st->angle), sn = sin(st->angle), xr = col[2 * i], xi = col[2 * i + 1];
                    col[2 * i] = c * xr - sn * xi;
                    col[2 * i + 1] = c * xi + sn * xr;
                } else if (st->op == 'x' && (i & ma) && !(i & (1 << st->b))) {
                    int k = i | (1 << st->b);
                    double tr = col[2 * i], ti = col[2 * i + 1];
                    col[2 * i] = col[2 * k];
                    col[2 * i + 1] = col[2 * k + 1];
                    col[2 * k] = tr;
                    col[2 * k + 1] = ti;
                }
            }
        }
        /* The column's single non-zero entry gives perm[j] and its phase. */
        int best = 0;
        for (int i = 1; i < d; i++)
            if (hypot(col[2 * i], col[2 * i + 1]) > hypot(col[2 * best], col[2 * best + 1]))
                best = i;
        g->perm[j] = (uint32_t)best;
        set(g->m, j, col[2 * best], col[2 * best + 1]);
    }
}

#define Q4 (M_PI / 4)
static void b_rccx(const double *p, qs__gmat *g)
{
    (void)p;
    static const step body[] = {
        {'h', 2, 0, 0}, {'p', 2, 0, Q4}, {'x', 1, 2, 0}, {'p', 2, 0, -Q4}, {'x', 0, 2, 0},
        {'p', 2, 0, Q4}, {'x', 1, 2, 0}, {'p', 2, 0, -Q4}, {'h', 2, 0, 0},
    };
    from_body(g, 3, body, sizeof body / sizeof *body);
}
static void b_rc3x(const double *p, qs__gmat *g)
{
    (void)p;
    static const step body[] = {
        {'h', 3, 0, 0}, {'p', 3, 0, Q4}, {'x', 2, 3, 0}, {'p', 3, 0, -Q4}, {'h', 3, 0, 0},
        {'x', 0, 3, 0}, {'p', 3, 0, Q4}, {'x', 1, 3, 0}, {'p', 3, 0, -Q4}, {'x', 0, 3, 0},
        {'p', 3, 0, Q4}, {'x', 1, 3, 0}, {'p', 3, 0, -Q4}, {'h', 3, 0, 0}, {'p', 3, 0, Q4},
        {'x', 2, 3, 0}, {'p', 3, 0, -Q4}, {'h', 3, 0, 0},
    };
    from_body(g, 4, body, sizeof body / sizeof *body);
}

const qs__gate_info qs__gates[QS_NUM_GATES] = {
#define QS_GATE(id, nm, c, t, p, kind, base) \
    [QS_GATE_##id] = {#nm, c, t, p, kind, b_##base},
#include <qsim/gates.def>
};

void qs__gate_build(qs_gate g, const double *params, qs__gmat *out)
{
    out->phased = 0;
    qs__gates[g].build(params, out);
}

void qs__gmat_dense(const qs__gmat *gm, double *out)
{
    int d = 1 << gm->nt;
    memset(out, 0, sizeof(double) * 2 * (size_t)(d * d));
    for (int j = 0; j < d; j++) {
        switch (gm->kind) {
        case QS__OP_DENSE:
            for (int r = 0; r < d; r++)
                set(out, r * d + j, gm->m[2 * (r * d + j)], gm->m[2 * (r * d + j) + 1]);
            break;
        case QS__OP_DIAG:
            set(out, j * d + j, gm->m[2 * j], gm->m[2 * j + 1]);
            break;
        default: /* column j holds phase_j at row perm[j] */
            set(out, (int)gm->perm[j] * d + j, gm->phased ? gm->m[2 * j] : 1,
                gm->phased ? gm->m[2 * j + 1] : 0);
        }
    }
}
