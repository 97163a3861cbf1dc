/*
 * k_simd.h - gate kernels on SIMD vectors (template).  An instantiation
 * file defines R (double or float) and QS_F32, includes its ISA's vec.h
 * (V holds VL = 2^VLB complex amplitudes), this file and k_simd_reduce.h,
 * and hands simd_fill() to the registry.  Written once
 * for AVX2 and AVX-512 in both precisions; ops not replaced here, and
 * states too small for a vector loop, stay with the portable kernels,
 * which are also the tests' reference.
 *
 * Index arithmetic.  A basis index is v * VL + lane: bits below VLB pick a
 * lane inside a vector, the others the vector v.  A simplified op
 * (simplify.h) is split at VLB:
 *  - targets and controls at or above VLB are fixed bits of v: a group is
 *    the 2^h vectors of one base (h high targets), bases are enumerated in
 *    increasing order with qs__next_base, and vectors whose controls are
 *    not set are never read;
 *  - targets below VLB act inside a register: for each of the P = 2^l
 *    patterns p of the l low targets, perm_p moves lane (lane ^ p) into
 *    lane, and per-lane coefficients say what each lane takes from it;
 *    controls below VLB only change those coefficients (the identity on
 *    lanes whose controls are not set).
 * Every gate kernel is then one read + one write pass over the vectors it
 * touches, with the arithmetic of a 2^h x (2^h P) complex matrix-vector
 * product per group, in registers.
 *
 * Complex products use i*x = (-im, re) = vxor(vswapri(x), sign of re): for
 * m = mr + i mi, m x = mr x + mi (i x), so every product is two FMAs with
 * coefficient vectors holding mr (resp. mi) in both reals of each lane.
 *
 * This file has the gate kernels; k_simd_reduce.h (included after it)
 * scaling, reductions, Pauli sums and the table.
 */

#define VL (1 << VLB)
#define VR (2 * VL)
#define GENERIC (QS_F32 ? &qs__cpu_kernels_f32 : &qs__cpu_kernels_f64)
/* Smaller states go to the portable kernels. */
#define MIN_QUBITS (VLB + 2)
/* Coefficient vectors of one dense op (cr and ci each). */
#define MAX_COEF 256
/* Lane-move terms of one permutation op. */
#define MAX_TERMS 64

#define ALWAYS_INLINE inline __attribute__((always_inline))
/* Loops over a constant number of vectors must unroll into registers
 * (GCC does not at -O2). */
#define UNROLL _Pragma("GCC unroll 32")
/* Reads PF_DIST bytes ahead of each stream of a group: when the 2^h
 * vectors of a group lie 512 B to 8 KB apart, the streams interleave
 * inside the same pages and the hardware prefetcher loses them (H on
 * qubit 6 took 2.5x the time of H on qubit 16 without this). */
#define PF_DIST 1024
#define PREFETCH(p) _mm_prefetch((const char *)(p) + PF_DIST, _MM_HINT_T0)

/* Building a vector lane by lane. */
typedef union {
    V v;
    R r[VR];
    RU u[VR];
} vbits;

static inline V vns(V x, V sgn) { return vxor(vswapri(x), sgn); }

/* -0.0 in the real parts, +0.0 in the imaginary ones. */
static V sign_re(void)
{
    vbits b;
    for (int k = 0; k < VR; k++)
        b.r[k] = (k & 1) ? (R)0.0 : (R)-0.0;
    return b.v;
}

/* Index vector taking lane (lane ^ x) into lane. */
static VI lane_xor_idx(unsigned x)
{
    int e[VR];
    for (int k = 0; k < VR; k++)
        e[k] = 2 * ((k / 2) ^ (int)x) + (k & 1);
    return vidx(e);
}

/* ---- splitting an op at VLB -------------------------------------------- */

typedef struct {
    int pos[64], m;               /* fixed bits of a vector index, ascending */
    uint64_t fmask, cval;         /* their mask; the controls' values */
    uint64_t ngroups;
    int h, hbit[QS_MAX_TARGETS];  /* high targets: their matrix bits */
    uint64_t off[1 << QS_MAX_TARGETS];   /* reals from a base to vector j */
    int l, lbit[VLB], lpos[VLB];  /* low targets: matrix bit, lane bit */
    unsigned lcm, lcv;            /* controls inside a vector */
} split;

static void split_op(split *s, const qs__sv *sv, const int *targets, int nt, uint64_t cmask,
                     uint64_t cval)
{
    int hpos[QS_MAX_TARGETS];
    s->h = s->l = s->m = 0;
    s->lcm = s->lcv = 0;
    s->cval = s->fmask = 0;
    for (int j = 0; j < nt; j++) {
        int t = targets[j];
        if (t >= VLB) {
            s->hbit[s->h] = j;
            hpos[s->h++] = t - VLB;
            s->pos[s->m++] = t - VLB;
        } else {
            s->lbit[s->l] = j;
            s->lpos[s->l++] = t;
        }
    }
    for (uint64_t cm = cmask; cm; cm &= cm - 1) {
        int c = __builtin_ctzll(cm);
        unsigned v = (unsigned)(cval >> c) & 1u;
        if (c >= VLB) {
            s->pos[s->m++] = c - VLB;
            s->cval |= (uint64_t)v << (c - VLB);
        } else {
            s->lcm |= 1u << c;
            s->lcv |= v << c;
        }
    }
    qs__sort_small(s->pos, s->m);
    for (int i = 0; i < s->m; i++)
        s->fmask |= UINT64_C(1) << s->pos[i];
    s->ngroups = (sv->len >> VLB) >> s->m;
    for (unsigned j = 0; j < (1u << s->h); j++) {
        uint64_t o = 0;
        for (int b = 0; b < s->h; b++)
            if (j >> b & 1)
                o |= UINT64_C(1) << hpos[b];
        s->off[j] = o * VR;
    }
}

/* Matrix index of high pattern j and low pattern b. */
static unsigned mat_index(const split *s, unsigned j, unsigned b)
{
    unsigned r = 0;
    for (int i = 0; i < s->h; i++)
        r |= ((j >> i) & 1u) << s->hbit[i];
    for (int i = 0; i < s->l; i++)
        r |= ((b >> i) & 1u) << s->lbit[i];
    return r;
}

/* Low-target pattern of a lane, and the lanes of a pattern. */
static unsigned lane_pat(const split *s, unsigned lane)
{
    unsigned b = 0;
    for (int i = 0; i < s->l; i++)
        b |= ((lane >> s->lpos[i]) & 1u) << i;
    return b;
}

static unsigned pat_lanes(const split *s, unsigned p)
{
    unsigned m = 0;
    for (int i = 0; i < s->l; i++)
        m |= ((p >> i) & 1u) << s->lpos[i];
    return m;
}

static int lane_on(const split *s, unsigned lane) { return (lane & s->lcm) == s->lcv; }

static inline uint64_t split_base(const split *s, uint64_t i)
{
    return qs__insert0s(i, s->pos, s->m) | s->cval;
}

static inline uint64_t split_next(const split *s, uint64_t b)
{
    return qs__next_base(b, s->fmask, s->cval);
}

/* Sets lane `lane` of cr/ci to the complex z (rounded to R). */
static void set_lane(vbits *cr, vbits *ci, unsigned lane, double re, double im)
{
    cr->r[2 * lane] = cr->r[2 * lane + 1] = (R)re;
    ci->r[2 * lane] = ci->r[2 * lane + 1] = (R)im;
}

static qs_status s_dense(qs__sv *sv, const qs__op *op);
static qs_status s_diag(qs__sv *sv, const qs__op *op);
static qs_status s_perm(qs__sv *sv, const qs__op *op);
static const qs__gate_fns simd_gate_fns = {s_dense, s_diag, s_perm};

/* ---- dense -------------------------------------------------------------- */

typedef struct {
    R *a;
    split s;
    int D, P;
    V sgn;
    VI pidx[8];   /* P <= VL <= 8 (shapes with P > VL are never picked) */
    V cr[MAX_COEF], ci[MAX_COEF];   /* [(r * D + j) * P + p] */
} dense_ctx;

/* out_r = sum_{j,p} c[r][j][p] perm_p(x_j) for each group.  D and P are
 * constants where this is inlined, so the loops unroll into registers. */
static ALWAYS_INLINE void dense_body(const dense_ctx *c, uint64_t lo, uint64_t hi, const int D,
                                     const int P)
{
    R *a = c->a;
    const V sgn = c->sgn;
    uint64_t b = split_base(&c->s, lo);
    for (uint64_t i = lo; i < hi; i++, b = split_next(&c->s, b)) {
        R *g = a + b * VR;
        V x[1 << QS_MAX_TARGETS], y[1 << QS_MAX_TARGETS];
        UNROLL
        for (int j = 0; j < D; j++) {
            PREFETCH(g + c->s.off[j]);
            V v = vload(g + c->s.off[j]);
            UNROLL
            for (int p = 0; p < P; p++) {
                V w = p ? vperm(v, c->pidx[p]) : v;
                x[j * P + p] = w;
                y[j * P + p] = vns(w, sgn);
            }
        }
        UNROLL
        for (int r = 0; r < D; r++) {
            const V *cr = c->cr + r * D * P, *ci = c->ci + r * D * P;
            V s0 = vmul(cr[0], x[0]), s1 = vmul(ci[0], y[0]);
            UNROLL
            for (int q = 1; q < D * P; q++) {
                s0 = vfma(cr[q], x[q], s0);
                s1 = vfma(ci[q], y[q], s1);
            }
            vstore(g + c->s.off[r], vadd(s0, s1));
        }
    }
}

/* Every shape a dense op can take (D = 2^h vectors, P = 2^l lane
 * patterns, h + l <= QS_MAX_TARGETS, D*D*P <= MAX_COEF), each with
 * constant loop bounds. */
#define DENSE_SHAPES(X)                                                                \
    X(2, 1) X(1, 2) X(4, 1) X(2, 2) X(1, 4) X(8, 1) X(4, 2) X(2, 4) X(1, 8) X(16, 1) \
    X(8, 2) X(4, 4) X(2, 8) X(8, 4) X(4, 8)
#define DENSE_FN(D, P)                                                                 \
    static void dense_d##D##p##P(void *c, uint64_t lo, uint64_t hi)                     \
    {                                                                                  \
        dense_body(c, lo, hi, D, P);                                                   \
    }
DENSE_SHAPES(DENSE_FN)
#undef DENSE_FN

static qs__range_fn dense_fn(int D, int P)
{
#define DENSE_PICK(d_, p_)                                                             \
    if (D == d_ && P == p_)                                                            \
        return dense_d##d_##p##p_;
    DENSE_SHAPES(DENSE_PICK)
#undef DENSE_PICK
    return NULL;
}

static qs_status s_dense(qs__sv *sv, const qs__op *op)
{
    qs_status st;
    qs__op_buf ob;
    if (!(op = qs__op_route(sv, op, QS__OP_DENSE, &simd_gate_fns, &ob, &st)))
        return st;
    dense_ctx c;
    split_op(&c.s, sv, op->targets, op->nt, op->cmask, op->cval);
    c.D = 1 << c.s.h;
    c.P = 1 << c.s.l;
    qs__range_fn fn = dense_fn(c.D, c.P);
    if (sv->nq < MIN_QUBITS || !fn || c.D * c.D * c.P > MAX_COEF) {
        return (GENERIC)->dense(sv, op);
    }
    c.a = sv->amps;
    c.sgn = sign_re();
    const int d = 1 << op->nt;
    for (int p = 0; p < c.P; p++)
        c.pidx[p] = lane_xor_idx(pat_lanes(&c.s, (unsigned)p));
    for (int r = 0; r < c.D; r++)
        for (int j = 0; j < c.D; j++)
            for (int p = 0; p < c.P; p++) {
                vbits cr, ci;
                for (unsigned lane = 0; lane < VL; lane++) {
                    if (lane_on(&c.s, lane)) {
                        unsigned bl = lane_pat(&c.s, lane);
                        unsigned row = mat_index(&c.s, (unsigned)r, bl);
                        unsigned col = mat_index(&c.s, (unsigned)j, bl ^ (unsigned)p);
                        const double *z = op->m + 2 * (row * (unsigned)d + col);
                        set_lane(&cr, &ci, lane, z[0], z[1]);
                    } else {
                        set_lane(&cr, &ci, lane, r == j && p == 0, 0);
                    }
                }
                c.cr[(r * c.D + j) * c.P + p] = cr.v;
                c.ci[(r * c.D + j) * c.P + p] = ci.v;
            }
    qs__parfor(c.s.ngroups, c.s.h + VLB, fn, &c);
    return QS_OK;
}

/* ---- diagonal ----------------------------------------------------------- */

typedef struct {
    R *a;
    split s;
    V sgn;
    int nact, act[1 << QS_MAX_TARGETS];   /* vectors of a group that change */
    V cr[1 << QS_MAX_TARGETS], ci[1 << QS_MAX_TARGETS];
} diag_ctx;

/* Real entries (Z, CZ): one multiply per vector. */
static ALWAYS_INLINE void diag_body(const diag_ctx *c, uint64_t lo, uint64_t hi, int nact,
                                    int real)
{
    R *a = c->a;
    uint64_t b = split_base(&c->s, lo);
    for (uint64_t i = lo; i < hi; i++, b = split_next(&c->s, b)) {
        R *g = a + b * VR;
        for (int t = 0; t < nact; t++) {
            int j = c->act[t];
            PREFETCH(g + c->s.off[j]);
            V x = vload(g + c->s.off[j]);
            V y = real ? vmul(c->cr[j], x) : vfma(c->cr[j], x, vmul(c->ci[j], vns(x, c->sgn)));
            vstore(g + c->s.off[j], y);
        }
    }
}

static void diag_1r(void *c, uint64_t lo, uint64_t hi) { diag_body(c, lo, hi, 1, 1); }
static void diag_1c(void *c, uint64_t lo, uint64_t hi) { diag_body(c, lo, hi, 1, 0); }
static void diag_2c(void *c, uint64_t lo, uint64_t hi) { diag_body(c, lo, hi, 2, 0); }
static void diag_any(void *vc, uint64_t lo, uint64_t hi)
{
    const diag_ctx *c = vc;
    diag_body(c, lo, hi, c->nact, 0);
}

static qs_status s_diag(qs__sv *sv, const qs__op *op)
{
    qs_status st;
    qs__op_buf ob;
    if (!(op = qs__op_route(sv, op, QS__OP_DIAG, &simd_gate_fns, &ob, &st)))
        return st;
    if (sv->nq < MIN_QUBITS) {
        return (GENERIC)->diag(sv, op);
    }
    diag_ctx c;
    split_op(&c.s, sv, op->targets, op->nt, op->cmask, op->cval);
    c.a = sv->amps;
    c.sgn = sign_re();
    c.nact = 0;
    int real = 1;
    for (unsigned j = 0; j < (1u << c.s.h); j++) {
        vbits cr, ci;
        int ident = 1;
        for (unsigned lane = 0; lane < VL; lane++) {
            double re = 1, im = 0;
            if (lane_on(&c.s, lane)) {
                const double *z = op->m + 2 * mat_index(&c.s, j, lane_pat(&c.s, lane));
                re = z[0];
                im = z[1];
            }
            ident &= re == 1 && im == 0;
            real &= im == 0;
            set_lane(&cr, &ci, lane, re, im);
        }
        c.cr[j] = cr.v;
        c.ci[j] = ci.v;
        if (!ident)
            c.act[c.nact++] = (int)j;
    }
    if (c.nact == 0)
        return QS_OK;
    qs__range_fn fn = diag_any;
    if (c.nact == 1)
        fn = real ? diag_1r : diag_1c;
    else if (c.nact == 2 && !real)
        fn = diag_2c;
    qs__parfor(c.s.ngroups, c.s.h + VLB, fn, &c);
    return QS_OK;
}

/* ---- permutation --------------------------------------------------------
 * Output vector r of a group is the OR of a few terms, each the lanes
 * `mask` of perm_p(x_j): pure moves.  Phases, when there are any, are one
 * complex multiply of the outputs. */

typedef struct {
    R *a;
    split s;
    V sgn;
    unsigned need;                       /* input vectors read */
    int nout, out[1 << QS_MAX_TARGETS];  /* output vectors written */
    int start[(1 << QS_MAX_TARGETS) + 1];  /* terms of out[k]: start[k].. */
    int tj[MAX_TERMS], tp[MAX_TERMS], tfull[MAX_TERMS];
    V tmask[MAX_TERMS];
    VI pidx[8];   /* P <= VL <= 8 (shapes with P > VL are never picked) */
    int phased;
    V pr[1 << QS_MAX_TARGETS], pi[1 << QS_MAX_TARGETS];
} perm_ctx;

static ALWAYS_INLINE void perm_body(const perm_ctx *c, uint64_t lo, uint64_t hi, int phased)
{
    R *a = c->a;
    const int D = 1 << c->s.h;
    uint64_t b = split_base(&c->s, lo);
    for (uint64_t i = lo; i < hi; i++, b = split_next(&c->s, b)) {
        R *g = a + b * VR;
        V x[1 << QS_MAX_TARGETS];
        for (int j = 0; j < D; j++)
            if (c->need >> j & 1)
                x[j] = vload(g + c->s.off[j]);
        for (int k = 0; k < c->nout; k++) {
            V acc = x[c->tj[c->start[k]]];
            for (int t = c->start[k]; t < c->start[k + 1]; t++) {
                V w = c->tp[t] ? vperm(x[c->tj[t]], c->pidx[c->tp[t]]) : x[c->tj[t]];
                if (!c->tfull[t])
                    w = vand(w, c->tmask[t]);
                acc = t == c->start[k] ? w : vor(acc, w);
            }
            int r = c->out[k];
            if (phased)
                acc = vfma(c->pr[r], acc, vmul(c->pi[r], vns(acc, c->sgn)));
            vstore(g + c->s.off[r], acc);
        }
    }
}

/* The common case (X, CNOT, Toffoli, SWAP above the vector width): two
 * whole vectors of each group exchanged. */
static void perm_swap(void *vc, uint64_t lo, uint64_t hi)
{
    const perm_ctx *c = vc;
    R *a = c->a;
    const uint64_t o0 = c->s.off[c->out[0]], o1 = c->s.off[c->out[1]];
    uint64_t b = split_base(&c->s, lo);
    for (uint64_t i = lo; i < hi; i++, b = split_next(&c->s, b)) {
        R *g = a + b * VR;
        PREFETCH(g + o0);
        PREFETCH(g + o1);
        V x0 = vload(g + o0), x1 = vload(g + o1);
        vstore(g + o0, x1);
        vstore(g + o1, x0);
    }
}

/* Everything inside one vector (targets and controls below VLB). */
static void perm_lanes(void *vc, uint64_t lo, uint64_t hi)
{
    const perm_ctx *c = vc;
    R *a = c->a;
    const int nt = c->start[1];
    for (uint64_t i = lo; i < hi; i++) {
        V x = vload(a + i * VR), acc = vand(vperm(x, c->pidx[c->tp[0]]), c->tmask[0]);
        for (int t = 1; t < nt; t++)
            acc = vor(acc, vand(vperm(x, c->pidx[c->tp[t]]), c->tmask[t]));
        vstore(a + i * VR, acc);
    }
}

static void perm_moves(void *c, uint64_t lo, uint64_t hi) { perm_body(c, lo, hi, 0); }
static void perm_phased(void *c, uint64_t lo, uint64_t hi) { perm_body(c, lo, hi, 1); }

/* Fills the terms and phases; 0 if they do not fit. */
static int perm_plan(perm_ctx *c, const qs__op *op)
{
    const split *s = &c->s;
    const unsigned D = 1u << s->h, P = 1u << s->l;
    uint32_t inv[1 << QS_MAX_TARGETS];
    for (unsigned j = 0; j < (1u << op->nt); j++)
        inv[op->perm[j]] = j;
    int nt = 0;
    c->need = 0;
    c->nout = 0;
    c->phased = op->m != NULL;
    for (unsigned r = 0; r < D; r++) {
        /* lanes of output r taken from (j, p): bit lane of sel[j * P + p] */
        unsigned sel[(1 << QS_MAX_TARGETS) * VL];
        memset(sel, 0, sizeof(unsigned) * D * P);
        vbits pr, pi;
        int moved = 0;
        for (unsigned lane = 0; lane < VL; lane++) {
            unsigned j = r, p = 0;
            double re = 1, im = 0;
            if (lane_on(s, lane)) {
                unsigned bl = lane_pat(s, lane);
                unsigned src = inv[mat_index(s, r, bl)];
                /* the high and low patterns of src */
                unsigned sj = 0, sb = 0;
                for (int q = 0; q < s->h; q++)
                    sj |= ((src >> s->hbit[q]) & 1u) << q;
                for (int q = 0; q < s->l; q++)
                    sb |= ((src >> s->lbit[q]) & 1u) << q;
                j = sj;
                p = sb ^ bl;
                if (op->m) {
                    re = op->m[2 * src];
                    im = op->m[2 * src + 1];
                }
            }
            moved |= j != r || p != 0 || re != 1 || im != 0;
            sel[j * P + p] |= 1u << lane;
            set_lane(&pr, &pi, lane, re, im);
        }
        c->pr[r] = pr.v;
        c->pi[r] = pi.v;
        if (!moved)
            continue;
        c->start[c->nout] = nt;
        c->out[c->nout++] = (int)r;
        for (unsigned q = 0; q < D * P; q++) {
            if (!sel[q])
                continue;
            if (nt == MAX_TERMS)
                return 0;
            vbits m;
            for (unsigned lane = 0; lane < VL; lane++)
                m.u[2 * lane] = m.u[2 * lane + 1] = (sel[q] >> lane & 1u) ? (RU)~(RU)0 : 0;
            c->tj[nt] = (int)(q / P);
            c->tp[nt] = (int)(q % P);
            c->tfull[nt] = sel[q] == (1u << VL) - 1;
            c->tmask[nt] = m.v;
            c->need |= 1u << (q / P);
            nt++;
        }
    }
    c->start[c->nout] = nt;
    for (unsigned p = 0; p < P; p++)
        c->pidx[p] = lane_xor_idx(pat_lanes(s, p));
    return 1;
}

static qs_status s_perm(qs__sv *sv, const qs__op *op)
{
    qs_status st;
    qs__op_buf ob;
    if (!(op = qs__op_route(sv, op, QS__OP_PERM, &simd_gate_fns, &ob, &st)))
        return st;
    perm_ctx c;
    split_op(&c.s, sv, op->targets, op->nt, op->cmask, op->cval);
    if (sv->nq < MIN_QUBITS || !perm_plan(&c, op)) {
        return (GENERIC)->perm(sv, op);
    }
    if (c.nout == 0)
        return QS_OK;
    c.a = sv->amps;
    c.sgn = sign_re();
    qs__range_fn fn = c.phased ? perm_phased : perm_moves;
    if (!c.phased && c.nout == 2 && c.start[2] == 2 && c.tfull[0] && c.tfull[1] && !c.tp[0] &&
        !c.tp[1] && c.tj[0] == c.out[1] && c.tj[1] == c.out[0])
        fn = perm_swap;
    else if (!c.phased && c.s.h == 0 && c.s.m == 0)
        fn = perm_lanes;
    qs__parfor(c.s.ngroups, c.s.h + VLB, fn, &c);
    return QS_OK;
}

/* ---- Pauli string: psi <- a psi + b P psi --------------------------------
 * P|k> = i^ny (-1)^{|k & z|} |k ^ x>, so psi'[l] = a psi[l] + g
 * (-1)^{|(l ^ x) & z|} psi[l ^ x] with g = b i^ny.  With l = v VL + lane the
 * sign splits into the parity of ((v ^ xv) & zv), one per vector, and a
 * per-lane part folded into the coefficients g[0] (even) and g[1] (odd). */

typedef struct {
    R *a;
    split s;          /* fixed bits: the pivot of xv and the high controls */
    uint64_t xv, zv;
    int lperm;
    VI pidx;
    V sgn, ar, ai, gr[2], gi[2];
} pauli_ctx;

static ALWAYS_INLINE V pauli_out(const pauli_ctx *c, V x, V y, int odd)
{
    V t = vfma(c->ar, x, vmul(c->ai, vns(x, c->sgn)));
    t = vfma(c->gr[odd], y, t);
    return vfma(c->gi[odd], vns(y, c->sgn), t);
}

/* The loop keeps the context in registers: stores through a (R *) could
 * alias its V fields, so the compiler would reload them every time. */
static ALWAYS_INLINE void pauli_pair_body(const pauli_ctx *c, uint64_t lo, uint64_t hi,
                                          const int lperm)
{
    R *a = c->a;
    const pauli_ctx k = *c;
    uint64_t v0 = split_base(&k.s, lo);
    for (uint64_t i = lo; i < hi; i++, v0 = split_next(&k.s, v0)) {
        uint64_t v1 = v0 ^ k.xv;
        PREFETCH(a + v0 * VR);
        PREFETCH(a + v1 * VR);
        V x0 = vload(a + v0 * VR), x1 = vload(a + v1 * VR);
        V y0 = lperm ? vperm(x0, k.pidx) : x0, y1 = lperm ? vperm(x1, k.pidx) : x1;
        vstore(a + v0 * VR, pauli_out(&k, x0, y1, qs__parity(v1 & k.zv)));
        vstore(a + v1 * VR, pauli_out(&k, x1, y0, qs__parity(v0 & k.zv)));
    }
}

static void pauli_pair(void *c, uint64_t lo, uint64_t hi) { pauli_pair_body(c, lo, hi, 0); }
static void pauli_pair_perm(void *c, uint64_t lo, uint64_t hi) { pauli_pair_body(c, lo, hi, 1); }

static void pauli_single(void *vc, uint64_t lo, uint64_t hi)
{
    const pauli_ctx *c = vc;
    R *a = c->a;
    uint64_t v = split_base(&c->s, lo);
    for (uint64_t i = lo; i < hi; i++, v = split_next(&c->s, v)) {
        V x = vload(a + v * VR);
        V y = c->lperm ? vperm(x, c->pidx) : x;
        vstore(a + v * VR, pauli_out(c, x, y, qs__parity(v & c->zv)));
    }
}

static qs_status s_pauli(qs__sv *sv, const qs__op *op)
{
    if (sv->nq < MIN_QUBITS) {
        return (GENERIC)->pauli(sv, op);
    }
    pauli_ctx c;
    c.a = sv->amps;
    c.xv = op->xmask >> VLB;
    c.zv = op->zmask >> VLB;
    unsigned xl = (unsigned)(op->xmask & (VL - 1)), zl = (unsigned)(op->zmask & (VL - 1));
    /* The pivot is the highest bit of xv: v0 then runs through whole
     * halves and v1 = v0 ^ xv through the other half in runs permuted by
     * the lower bits; with the lowest bit both would skip every other run. */
    int pivot = c.xv ? 63 - __builtin_clzll(c.xv) + VLB : 0;
    split_op(&c.s, sv, &pivot, c.xv ? 1 : 0, op->cmask, op->cval);
    c.lperm = xl != 0;
    c.pidx = lane_xor_idx(xl);
    c.sgn = sign_re();
    double gr = op->b[0], gi = op->b[1];   /* g = b i^ny */
    for (int j = 0; j < (op->ny & 3); j++) {
        double t = gr;
        gr = -gi;
        gi = t;
    }
    vbits ar, ai, g0r, g0i, g1r, g1i;
    for (unsigned lane = 0; lane < VL; lane++) {
        int on = lane_on(&c.s, lane);
        double s = qs__parity((lane ^ xl) & zl) ? -1 : 1;
        set_lane(&ar, &ai, lane, on ? op->a[0] : 1, on ? op->a[1] : 0);
        set_lane(&g0r, &g0i, lane, on ? s * gr : 0, on ? s * gi : 0);
        set_lane(&g1r, &g1i, lane, on ? -s * gr : 0, on ? -s * gi : 0);
    }
    c.ar = ar.v;
    c.ai = ai.v;
    c.gr[0] = g0r.v;
    c.gi[0] = g0i.v;
    c.gr[1] = g1r.v;
    c.gi[1] = g1i.v;
    qs__parfor(c.s.ngroups, c.s.h + VLB,
               c.xv ? (c.lperm ? pauli_pair_perm : pauli_pair) : pauli_single, &c);
    return QS_OK;
}
