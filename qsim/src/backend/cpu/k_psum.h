/*
 * k_psum.h - Pauli sums: <psi|H|psi> and H|psi> (template; see k_gates.h).
 * Included by the portable instantiations (cpu_f64.c, cpu_f32.c) and by
 * the SIMD ones, which define PS_DOT_VEC and PS_WHT_VEC first: vector
 * versions of the inner sum (where the factor is real or constant) and
 * of the transform (on 64-byte aligned tables of at least a vector);
 * each returns 0 where it does not apply and the scalar code runs.
 */

/* ---- Pauli sums ------------------------------------------------------------
 * Group g is sum_t coef_t (-1)^{|k & z_t|} |k ^ x_g><k|: its factor
 * f(k) = sum_t coef_t (-1)^{|k & z_t|} multiplies amplitude k.
 *
 * Factors: on a sub-block of 2^sw amplitudes k = k0 + lo, the sign splits
 * into (-1)^{|k0 & z_t|}, constant on the sub-block, and (-1)^{|lo & z_t|};
 * so f(k0 + lo) = sum_zeta G[zeta] (-1)^{|lo & zeta|} with G[zeta] the sum
 * of the terms' constant parts whose low z bits are zeta: a Walsh-Hadamard
 * transform of G.  That costs T/2^sw + sw operations per amplitude for T
 * terms instead of T (the 106 Z-only terms of H2O: 8 instead of 106).
 *
 * Passes: groups whose x differ only below bit bb share x >> bb (sorted
 * groups come in runs of equal x >> bb); a run is one pass over blocks of
 * 2^bb amplitudes, taking each block with its partner block (b ^ xh)
 * while both sit in cache.  All groups with X/Y positions below bb (and
 * the Z-only group) are one pass.  Sums run in an order fixed by the
 * state size and the groups, never by the thread count. */

#define PS_SUB 6     /* sub-block of one factor evaluation: 2^6 */
#define PS_BLOCK 13  /* cache block: 2^13 amplitudes */

typedef struct {
    const R *a;
    R *w;
    const qs__pgroups *g;
    size_t g0, g1;      /* the run's groups */
    uint64_t xh;        /* their common x >> bb */
    int bb, sw, pivot;  /* block bits, sub-block bits, pivot bit of xh */
} ps_ctx;

/* f(k0 + lo) for lo < 2^sw into fr (and fi unless the group's
 * coefficients are all real: returns 0 then, 1 if complex).  k0 is a
 * multiple of 2^sw.  When no term has z bits below sw, f is constant on
 * the sub-block: only fr[0], fi[0] are set and *constant is 1. */
static int ps_factor(const qs__pgroups *g, size_t grp, uint64_t k0, int sw, double *fr,
                     double *fi, int *constant)
{
    const size_t W = (size_t)1 << sw;
    const uint64_t lowm = W - 1;
    int low = 0, cplx = 0;
    for (size_t t = g->start[grp]; t < g->start[grp + 1]; t++) {
        low |= (g->zmask[t] & lowm) != 0;
        cplx |= g->coef[2 * t + 1] != 0;
    }
    if (!low) {
        double r = 0, im = 0;
        for (size_t t = g->start[grp]; t < g->start[grp + 1]; t++) {
            double s = qs__parity(k0 & g->zmask[t]) ? -1.0 : 1.0;
            r += s * g->coef[2 * t];
            im += s * g->coef[2 * t + 1];
        }
        fr[0] = r;
        fi[0] = im;
        *constant = 1;
        return cplx;
    }
    *constant = 0;
    memset(fr, 0, sizeof(double) * W);
    if (cplx)
        memset(fi, 0, sizeof(double) * W);
    for (size_t t = g->start[grp]; t < g->start[grp + 1]; t++) {
        double s = qs__parity(k0 & g->zmask[t]) ? -1.0 : 1.0;
        size_t z = (size_t)(g->zmask[t] & lowm);
        fr[z] += s * g->coef[2 * t];
        if (cplx)
            fi[z] += s * g->coef[2 * t + 1];
    }
    for (int pass = 0; pass < 1 + cplx; pass++) {
        double *f = pass ? fi : fr;
#ifdef PS_WHT_VEC
        if (PS_WHT_VEC(f, W))
            continue;
#endif
        for (size_t h = 1; h < W; h <<= 1)
            for (size_t i = 0; i < W; i += 2 * h)
                for (size_t j = i; j < i + h; j++) {
                    double u = f[j], v = f[j + h];
                    f[j] = u + v;
                    f[j + h] = u - v;
                }
    }
    return cplx;
}

/* Sub-block bits for a group of T terms: about log2(T), so that the
 * transform (sw per amplitude) and the per-sub-block sums (T / 2^sw)
 * cost alike; the largest when the factor is constant on sub-blocks. */
static int ps_subbits(const ps_ctx *c, size_t grp)
{
    size_t T = c->g->start[grp + 1] - c->g->start[grp];
    uint64_t z = 0;
    for (size_t t = c->g->start[grp]; t < c->g->start[grp + 1]; t++)
        z |= c->g->zmask[t];
    if (!(z & ((UINT64_C(1) << c->sw) - 1)))
        return c->sw;   /* constant on every sub-block: no transform */
    int sw = 2;
    while (sw < PS_SUB && ((size_t)1 << sw) <= T)
        sw++;
    return sw < c->sw ? sw : c->sw;
}

/* The blocks of item i: block A and, for a far run, its partner. */
static inline uint64_t ps_block(const ps_ctx *c, uint64_t i)
{
    return c->xh ? qs__insert0(i, c->pivot) : i;
}

/* conj(a_{k ^ x}) a_k, weighted by f (real, or complex when fi). */
#define PS_TERM(j, acc, acci)                                                              \
    do {                                                                                   \
        uint64_t k_ = k0 + (j), l_ = k_ ^ x;                                               \
        double akr = a[2 * k_], aki = a[2 * k_ + 1], alr = a[2 * l_], ali = a[2 * l_ + 1]; \
        double re_ = alr * akr + ali * aki, im_ = alr * aki - ali * akr;                   \
        if (mode == 0) {                                                                   \
            acc += re_;                                                                    \
            acci += im_;                                                                   \
        } else {                                                                           \
            acc += fr[j] * re_;                                                            \
            if (mode == 2)                                                                 \
                acci += fi[j] * im_;                                                       \
        }                                                                                  \
    } while (0)

/* sum_j Re[conj(a_{k0+j ^ x}) f_j a_{k0+j}] for j < W in four independent
 * sums (W < 4 only for states of one qubit).  mode 0: f constant (fr[0],
 * fi[0]); 1: f real; 2: complex. */
static inline __attribute__((always_inline)) double
ps_dot_mode(const R *a, uint64_t k0, uint64_t x, uint64_t W, const double *fr, const double *fi,
            const int mode)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    uint64_t j = 0;
    for (; j + 4 <= W; j += 4) {
        PS_TERM(j, s0, t0);
        PS_TERM(j + 1, s1, t1);
        PS_TERM(j + 2, s2, t2);
        PS_TERM(j + 3, s3, t3);
    }
    for (; j < W; j++)
        PS_TERM(j, s0, t0);
    double S = (s0 + s1) + (s2 + s3), T = (t0 + t1) + (t2 + t3);
    return mode == 0 ? fr[0] * S - fi[0] * T : S - T;
}
#undef PS_TERM

static double ps_dot(const R *a, uint64_t k0, uint64_t x, uint64_t W, const double *fr,
                     const double *fi, int cplx, int constant)
{
#ifdef PS_DOT_VEC
    if (!cplx || constant) {
        double s;
        if (PS_DOT_VEC(a, k0, x, W, fr, fi, constant, &s))
            return s;
    }
#endif
    if (constant)
        return ps_dot_mode(a, k0, x, W, fr, fi, 0);
    return cplx ? ps_dot_mode(a, k0, x, W, fr, fi, 2) : ps_dot_mode(a, k0, x, W, fr, fi, 1);
}

/* sum_k Re[conj(a_{k^x}) f(k) a_k] over the run's groups and the blocks
 * of items [lo, hi): the pair (k, k ^ x) is counted from both ends. */
static void ps_expect_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const ps_ctx *c = vc;
    _Alignas(64) double fr[1 << PS_SUB], fi[1 << PS_SUB];
    double s = 0;
    for (uint64_t i = lo; i < hi; i++)
        for (int side = 0; side < (c->xh ? 2 : 1); side++) {
            uint64_t blk = ps_block(c, i) ^ (side ? c->xh : 0);
            for (size_t grp = c->g0; grp < c->g1; grp++) {
                const uint64_t x = c->g->xmask[grp];
                const int sw = ps_subbits(c, grp);
                const uint64_t W = UINT64_C(1) << sw, nsub = UINT64_C(1) << (c->bb - sw);
                for (uint64_t sb = 0; sb < nsub; sb++) {
                    uint64_t k0 = (blk << c->bb) + (sb << sw);
                    int constant, cplx = ps_factor(c->g, grp, k0, sw, fr, fi, &constant);
                    s += ps_dot(c->a, k0, x, W, fr, fi, cplx, constant);
                }
            }
        }
    p[0] += s;
}

/* Sets up the run of groups starting at g0; returns its end. */
static size_t ps_run(ps_ctx *c, const qs__sv *sv, const qs__pgroups *g, size_t g0)
{
    c->g = g;
    c->bb = sv->nq < PS_BLOCK ? sv->nq : PS_BLOCK;
    c->sw = c->bb < PS_SUB ? c->bb : PS_SUB;
    c->g0 = g0;
    c->xh = g->xmask[g0] >> c->bb;
    size_t g1 = g0 + 1;
    while (g1 < g->ngroups && g->xmask[g1] >> c->bb == c->xh)
        g1++;
    c->g1 = g1;
    c->pivot = c->xh ? __builtin_ctzll(c->xh) : 0;
    return g1;
}

static double k_expect(const qs__sv *sv, const qs__pgroups *g)
{
    double total = 0;
    for (size_t g0 = 0; g0 < g->ngroups;) {
        ps_ctx c = {.a = sv->amps};
        g0 = ps_run(&c, sv, g, g0);
        uint64_t items = sv->len >> c.bb >> (c.xh ? 1 : 0);
        double r;
        qs__parreduce(items, c.bb + (c.xh ? 1 : 0), 1, ps_expect_part, &c, &r);
        total += r;
    }
    return total;
}

/* out[k ^ x] (+)= f(k) in[k]; the first group of all writes, the others
 * add.  An item's blocks of out are written by that item only. */
static void ps_apply_range(void *vc, uint64_t lo, uint64_t hi)
{
    const ps_ctx *c = vc;
    const R *a = c->a;
    R *w = c->w;
    _Alignas(64) double fr[1 << PS_SUB], fi[1 << PS_SUB];
    for (uint64_t i = lo; i < hi; i++)
        for (int side = 0; side < (c->xh ? 2 : 1); side++) {
            uint64_t blk = ps_block(c, i) ^ (side ? c->xh : 0);
            for (size_t grp = c->g0; grp < c->g1; grp++) {
                const uint64_t x = c->g->xmask[grp];
                const int add = grp > 0, sw = ps_subbits(c, grp);
                const uint64_t W = UINT64_C(1) << sw, nsub = UINT64_C(1) << (c->bb - sw);
                for (uint64_t sb = 0; sb < nsub; sb++) {
                    uint64_t k0 = (blk << c->bb) + (sb << sw);
                    int constant;
                    if (!ps_factor(c->g, grp, k0, sw, fr, fi, &constant) && !constant)
                        memset(fi, 0, sizeof(double) * W);
                    for (uint64_t j = 0; j < W; j++) {
                        uint64_t k = k0 + j, o = k ^ x, f = constant ? 0 : j;
                        double ar = a[2 * k], ai = a[2 * k + 1];
                        R vr = (R)(fr[f] * ar - fi[f] * ai), vi = (R)(fr[f] * ai + fi[f] * ar);
                        if (add) {
                            w[2 * o] += vr;
                            w[2 * o + 1] += vi;
                        } else {
                            w[2 * o] = vr;
                            w[2 * o + 1] = vi;
                        }
                    }
                }
            }
        }
}

static qs_status k_apply_pgroups(const qs__sv *in, qs__sv *out, const qs__pgroups *g)
{
    if (g->ngroups == 0) {
        memset(out->amps, 0, sizeof(R) * 2 * (size_t)out->len);
        return QS_OK;
    }
    for (size_t g0 = 0; g0 < g->ngroups;) {
        ps_ctx c = {.a = in->amps, .w = out->amps};
        g0 = ps_run(&c, in, g, g0);
        uint64_t items = in->len >> c.bb >> (c.xh ? 1 : 0);
        qs__parfor(items, c.bb + (c.xh ? 1 : 0), ps_apply_range, &c);
    }
    return QS_OK;
}
