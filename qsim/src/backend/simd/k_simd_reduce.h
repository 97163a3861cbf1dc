/*
 * k_simd_reduce.h - scaling, reductions and Pauli sums on SIMD vectors
 * (template; included after k_simd.h, whose header explains the vector
 * layout), and simd_fill(), which puts all the SIMD ops in a copy of the
 * portable table.  Reductions accumulate in double in an order fixed by
 * the state size, so they do not depend on the thread count.
 */

/* ---- scaling: one pass --------------------------------------------------- */

typedef struct {
    R *y;
    const R *x;
    V ar, ai, sgn;
} scale_ctx;

static void scale_range(void *vc, uint64_t lo, uint64_t hi)
{
    const scale_ctx *c = vc;
    for (uint64_t i = lo; i < hi; i++) {
        V x = vload(c->y + i * VR);
        vstore(c->y + i * VR, vfma(c->ar, x, vmul(c->ai, vns(x, c->sgn))));
    }
}

static void axpy_range(void *vc, uint64_t lo, uint64_t hi)
{
    const scale_ctx *c = vc;
    for (uint64_t i = lo; i < hi; i++) {
        V x = vload(c->x + i * VR), y = vload(c->y + i * VR);
        vstore(c->y + i * VR, vfma(c->ar, x, vfma(c->ai, vns(x, c->sgn), y)));
    }
}

static void scale_setup(scale_ctx *c, const double alpha[2])
{
    c->ar = vset1((R)alpha[0]);
    c->ai = vset1((R)alpha[1]);
    c->sgn = sign_re();
}

static qs_status s_scale(qs__sv *sv, const double alpha[2])
{
    if (sv->nq < MIN_QUBITS) {
        return (GENERIC)->scale(sv, alpha);
    }
    scale_ctx c = {.y = sv->amps};
    scale_setup(&c, alpha);
    qs__parfor(sv->len >> VLB, VLB, scale_range, &c);
    return QS_OK;
}

static qs_status s_axpy(qs__sv *y, const double alpha[2], const qs__sv *x)
{
    if (y->nq < MIN_QUBITS) {
        return (GENERIC)->axpy(y, alpha, x);
    }
    scale_ctx c = {.y = y->amps, .x = x->amps};
    scale_setup(&c, alpha);
    qs__parfor(y->len >> VLB, VLB, axpy_range, &c);
    return QS_OK;
}

/* ---- reductions: one read pass, in double, in an order fixed by len ----- */

typedef struct {
    const R *a, *b;
    split s;
    V lmask;
} sred_ctx;

/* Adds the doubles of v, in a fixed order. */
static double vd_sum(VD v, int alternate)
{
    double t[VD_DOUBLES], s = 0;
    memcpy(t, &v, sizeof t);
    for (int k = 0; k < VD_DOUBLES; k++)
        s += (alternate && (k & 1)) ? -t[k] : t[k];
    return s;
}

static void norm2_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const sred_ctx *c = vc;
    VD acc[2 * VD_PER_V];
    for (int k = 0; k < 2 * VD_PER_V; k++)
        acc[k] = vdzero();
    for (uint64_t i = lo; i < hi; i++) {
        VD d[VD_PER_V];
        vtod(vload(c->a + i * VR), d);
        for (int k = 0; k < VD_PER_V; k++)
            acc[(i & 1) * VD_PER_V + k] = vdfma(d[k], d[k], acc[(i & 1) * VD_PER_V + k]);
    }
    double s = 0;
    for (int k = 0; k < 2 * VD_PER_V; k++)
        s += vd_sum(acc[k], 0);
    p[0] += s;
}

static double s_norm2(const qs__sv *sv)
{
    if (sv->nq < MIN_QUBITS)
        return (GENERIC)->norm2(sv);
    sred_ctx c = {.a = sv->amps};
    double r;
    qs__parreduce(sv->len >> VLB, VLB, 1, norm2_part, &c, &r);
    return r;
}

/* conj(a) b: the real part sums a*b over all reals; the imaginary part
 * sums a * swapri(b) = (ar bi, ai br) with the odd reals subtracted. */
static void inner_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const sred_ctx *c = vc;
    VD re[VD_PER_V], im[VD_PER_V];
    for (int k = 0; k < VD_PER_V; k++)
        re[k] = im[k] = vdzero();
    for (uint64_t i = lo; i < hi; i++) {
        VD x[VD_PER_V], y[VD_PER_V];
        vtod(vload(c->a + i * VR), x);
        vtod(vload(c->b + i * VR), y);
        for (int k = 0; k < VD_PER_V; k++) {
            re[k] = vdfma(x[k], y[k], re[k]);
            im[k] = vdfma(x[k], vdswapri(y[k]), im[k]);
        }
    }
    for (int k = 0; k < VD_PER_V; k++) {
        p[0] += vd_sum(re[k], 0);
        p[1] += vd_sum(im[k], 1);
    }
}

static void s_inner(const qs__sv *bra, const qs__sv *ket, double out[2])
{
    if (bra->nq < MIN_QUBITS) {
        (GENERIC)->inner(bra, ket, out);
        return;
    }
    sred_ctx c = {.a = bra->amps, .b = ket->amps};
    qs__parreduce(bra->len >> VLB, VLB, 2, inner_part, &c, out);
}

/* Only the vectors whose high mask bits match are read; lanes whose low
 * bits do not match are zeroed before squaring. */
static void pmask_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const sred_ctx *c = vc;
    VD acc[VD_PER_V];
    for (int k = 0; k < VD_PER_V; k++)
        acc[k] = vdzero();
    uint64_t b = split_base(&c->s, lo);
    for (uint64_t i = lo; i < hi; i++, b = split_next(&c->s, b)) {
        VD d[VD_PER_V];
        vtod(vand(vload(c->a + b * VR), c->lmask), d);
        for (int k = 0; k < VD_PER_V; k++)
            acc[k] = vdfma(d[k], d[k], acc[k]);
    }
    for (int k = 0; k < VD_PER_V; k++)
        p[0] += vd_sum(acc[k], 0);
}

static double s_prob_mask(const qs__sv *sv, uint64_t mask, uint64_t val)
{
    if (sv->nq < MIN_QUBITS)
        return (GENERIC)->prob_mask(sv, mask, val);
    sred_ctx c = {.a = sv->amps};
    split_op(&c.s, sv, NULL, 0, mask, val);
    vbits m;
    for (unsigned lane = 0; lane < VL; lane++)
        m.u[2 * lane] = m.u[2 * lane + 1] = lane_on(&c.s, lane) ? (RU)~(RU)0 : 0;
    c.lmask = m.v;
    double r;
    qs__parreduce(c.s.ngroups, VLB, 1, pmask_part, &c, &r);
    return r;
}

/* ---- Pauli sums: the portable driver (cpu/k_psum.h) with a vector dot --
 * sum_j Re[conj(a_{k0+j ^ x}) f_j a_{k0+j}] over a sub-block of W >= VL
 * amplitudes: the partner of a vector is the vector (k ^ x) with its lanes
 * permuted by the low bits of x.  f real per amplitude (fr), or constant
 * (fr[0], fi[0]).  In double, in an order fixed by W. */
static ALWAYS_INLINE double ps_dot_body(const R *a, uint64_t k0, uint64_t x, uint64_t W,
                                         const double *fr, const double *fi, const int constant)
{
    const uint64_t xv = x & ~(uint64_t)(VL - 1);
    const unsigned xl = (unsigned)(x & (VL - 1));
    const VI pidx = lane_xor_idx(xl);
    VD re[VD_PER_V], im[VD_PER_V];
    UNROLL
    for (int u = 0; u < VD_PER_V; u++)
        re[u] = im[u] = vdzero();
    for (uint64_t j = 0; j < W; j += VL) {
        uint64_t k = k0 + j;
        V A = vload(a + 2 * k), B = vload(a + 2 * (k ^ xv));
        if (xl)
            B = vperm(B, pidx);
        VD da[VD_PER_V], db[VD_PER_V];
        vtod(A, da);
        vtod(B, db);
        UNROLL
        for (int u = 0; u < VD_PER_V; u++) {
            if (constant) {
                re[u] = vdfma(da[u], db[u], re[u]);
                im[u] = vdfma(da[u], vdswapri(db[u]), im[u]);
            } else {
                re[u] = vdfma(vdmul(da[u], db[u]), vdup(fr + j + (uint64_t)u * (VD_DOUBLES / 2)), re[u]);
            }
        }
    }
    double S = 0, T = 0;
    for (int u = 0; u < VD_PER_V; u++) {
        S += vd_sum(re[u], 0);
        T -= vd_sum(im[u], 1);   /* Im conj(b) a = b_re a_im - b_im a_re */
    }
    return constant ? fr[0] * S - fi[0] * T : S;
}

static int ps_dot_vec(const R *a, uint64_t k0, uint64_t x, uint64_t W, const double *fr,
                      const double *fi, int constant, double *out)
{
    if (W < VL)
        return 0;
    *out = constant ? ps_dot_body(a, k0, x, W, fr, fi, 1) : ps_dot_body(a, k0, x, W, fr, fi, 0);
    return 1;
}

/* In-place Walsh-Hadamard transform of W doubles (aligned): butterflies
 * across vectors, then inside them by lane flips: for bit h, the lanes
 * with bit h clear get u + v and those with it set u - v. */
static int ps_wht_vec(double *f, uint64_t W)
{
    if (W < VD_DOUBLES)
        return 0;
    for (uint64_t h = VD_DOUBLES; h < W; h <<= 1)
        for (uint64_t i = 0; i < W; i += 2 * h)
            for (uint64_t j = i; j < i + h; j += VD_DOUBLES) {
                VD u = vdload(f + j), v = vdload(f + j + h);
                vdstore(f + j, vdadd(u, v));
                vdstore(f + j + h, vdsub(u, v));
            }
    VD sgn[3];
    for (int b = 0; (1 << b) < VD_DOUBLES; b++) {
        _Alignas(64) double t[VD_DOUBLES];
        for (int k = 0; k < VD_DOUBLES; k++)
            t[k] = (k >> b & 1) ? -1.0 : 1.0;
        sgn[b] = vdload(t);
    }
    for (uint64_t j = 0; j < W; j += VD_DOUBLES) {
        VD x = vdload(f + j);
        for (int b = 0; (1 << b) < VD_DOUBLES; b++)
            x = vdfma(x, sgn[b], vdflip(x, 1 << b));
        vdstore(f + j, x);
    }
    return 1;
}

#define PS_DOT_VEC ps_dot_vec
#define PS_WHT_VEC ps_wht_vec
#include "backend/cpu/k_psum.h"

/* The portable table with the ops above put in its place. */
static void simd_fill(qs__kernels *k)
{
    *k = *(GENERIC);
    k->dense = s_dense;
    k->diag = s_diag;
    k->perm = s_perm;
    k->pauli = s_pauli;
    k->scale = s_scale;
    k->axpy = s_axpy;
    k->norm2 = s_norm2;
    k->inner = s_inner;
    k->prob_mask = s_prob_mask;
    k->expect = k_expect;
    k->apply_pgroups = k_apply_pgroups;
}
