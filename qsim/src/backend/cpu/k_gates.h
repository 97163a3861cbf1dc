/*
 * k_gates.h - gate kernels of the generic CPU backend: dense, diagonal,
 * permutation and Pauli operations with any controls.
 *
 * A template: cpu_f64.c and cpu_f32.c include it with R defined as the real
 * type.  These portable kernels are also the reference that faster backends
 * are tested against.
 *
 * Index arithmetic (all four kernels): let pos[0..m-1] be the sorted set of
 * target and control positions.  Counter i in [0, 2^(n-m)) becomes a base
 * index by inserting zeros at pos and ORing in the control values; the 2^nt
 * amplitudes of one group are then base + off[j], where off[j] scatters the
 * bits of j to the target positions.  Every amplitude whose controls are set
 * belongs to exactly one group, so each kernel is 1 read + 1 write pass over
 * those amplitudes and leaves the others untouched.
 */

typedef struct {
    R *a;                    /* interleaved re, im */
    int pos[64], m;          /* sorted fixed positions */
    uint64_t fmask, cval;    /* fixed bits, and the controls' values */
    int nt, d;               /* targets, 2^nt */
    uint64_t off[1 << QS_MAX_TARGETS];
    uint64_t s0, s1;         /* swap2_range: the two offsets exchanged */
    const qs__op *op;
    R mr[1 << (2 * QS_MAX_TARGETS)], mi[1 << (2 * QS_MAX_TARGETS)];
} group_ctx;

/* Fills the enumeration fields shared by all gate kernels; returns the
 * number of groups. */
static uint64_t group_setup(group_ctx *c, qs__sv *sv, const qs__op *op,
                            const int *targets, int nt)
{
    c->a = (R *)sv->amps;
    c->op = op;
    c->nt = nt;
    c->d = 1 << nt;
    c->cval = op->cval;
    c->m = 0;
    for (int j = 0; j < nt; j++)
        c->pos[c->m++] = targets[j];
    for (uint64_t cm = op->cmask; cm; cm &= cm - 1)
        c->pos[c->m++] = __builtin_ctzll(cm);
    qs__sort_small(c->pos, c->m);
    c->fmask = 0;
    for (int j = 0; j < c->m; j++)
        c->fmask |= UINT64_C(1) << c->pos[j];
    for (int j = 0; j < c->d; j++)
        c->off[j] = qs__scatter_bits((uint64_t)j, targets, nt);
    return sv->len >> c->m;
}

/* The base of group i; the following ones come from qs__next_base. */
static inline uint64_t group_base(const group_ctx *c, uint64_t i)
{
    return qs__insert0s(i, c->pos, c->m) | c->cval;
}

static inline uint64_t group_next(const group_ctx *c, uint64_t b)
{
    return qs__next_base(b, c->fmask, c->cval);
}

/* ---- dense ------------------------------------------------------------ */

static void dense1_range(void *vc, uint64_t lo, uint64_t hi)
{
    const group_ctx *c = vc;
    R *a = c->a;
    const uint64_t o = c->off[1];
    const R m00r = c->mr[0], m00i = c->mi[0], m01r = c->mr[1], m01i = c->mi[1];
    const R m10r = c->mr[2], m10i = c->mi[2], m11r = c->mr[3], m11i = c->mi[3];
    uint64_t i0 = group_base(c, lo);
    for (uint64_t i = lo; i < hi; i++, i0 = group_next(c, i0)) {
        uint64_t i1 = i0 | o;
        R xr = a[2 * i0], xi = a[2 * i0 + 1], yr = a[2 * i1], yi = a[2 * i1 + 1];
        a[2 * i0] = m00r * xr - m00i * xi + m01r * yr - m01i * yi;
        a[2 * i0 + 1] = m00r * xi + m00i * xr + m01r * yi + m01i * yr;
        a[2 * i1] = m10r * xr - m10i * xi + m11r * yr - m11i * yi;
        a[2 * i1 + 1] = m10r * xi + m10i * xr + m11r * yi + m11i * yr;
    }
}

static void dense_range(void *vc, uint64_t lo, uint64_t hi)
{
    const group_ctx *c = vc;
    R *a = c->a;
    const int d = c->d;
    R vr[1 << QS_MAX_TARGETS], vi[1 << QS_MAX_TARGETS];
    uint64_t base = group_base(c, lo);
    for (uint64_t i = lo; i < hi; i++, base = group_next(c, base)) {
        for (int j = 0; j < d; j++) {
            vr[j] = a[2 * (base + c->off[j])];
            vi[j] = a[2 * (base + c->off[j]) + 1];
        }
        for (int r = 0; r < d; r++) {
            const R *mr = c->mr + r * d, *mi = c->mi + r * d;
            R sr = 0, si = 0;
            for (int j = 0; j < d; j++) {
                sr += mr[j] * vr[j] - mi[j] * vi[j];
                si += mr[j] * vi[j] + mi[j] * vr[j];
            }
            a[2 * (base + c->off[r])] = sr;
            a[2 * (base + c->off[r]) + 1] = si;
        }
    }
}

static qs_status k_dense(qs__sv *sv, const qs__op *op);
static qs_status k_diag(qs__sv *sv, const qs__op *op);
static qs_status k_perm(qs__sv *sv, const qs__op *op);
static const qs__gate_fns gate_fns = {k_dense, k_diag, k_perm};

static qs_status k_dense(qs__sv *sv, const qs__op *op)
{
    qs_status st;
    qs__op_buf ob;
    if (!(op = qs__op_route(sv, op, QS__OP_DENSE, &gate_fns, &ob, &st)))
        return st;
    group_ctx c;
    uint64_t n = group_setup(&c, sv, op, op->targets, op->nt);
    for (int j = 0; j < c.d * c.d; j++) {
        c.mr[j] = (R)op->m[2 * j];
        c.mi[j] = (R)op->m[2 * j + 1];
    }
    qs__parfor(n, op->nt, op->nt == 1 ? dense1_range : dense_range, &c);
    return QS_OK;
}

/* ---- diagonal --------------------------------------------------------- */

static void diag_range(void *vc, uint64_t lo, uint64_t hi)
{
    const group_ctx *c = vc;
    R *a = c->a;
    const int d = c->d;
    uint64_t base = group_base(c, lo);
    for (uint64_t i = lo; i < hi; i++, base = group_next(c, base)) {
        for (int j = 0; j < d; j++) {
            uint64_t k = base + c->off[j];
            R xr = a[2 * k], xi = a[2 * k + 1];
            a[2 * k] = c->mr[j] * xr - c->mi[j] * xi;
            a[2 * k + 1] = c->mr[j] * xi + c->mi[j] * xr;
        }
    }
}

static qs_status k_diag(qs__sv *sv, const qs__op *op)
{
    qs_status st;
    qs__op_buf ob;
    if (!(op = qs__op_route(sv, op, QS__OP_DIAG, &gate_fns, &ob, &st)))
        return st;
    group_ctx c;
    uint64_t n = group_setup(&c, sv, op, op->targets, op->nt);
    for (int j = 0; j < c.d; j++) {
        c.mr[j] = (R)op->m[2 * j];
        c.mi[j] = (R)op->m[2 * j + 1];
    }
    qs__parfor(n, op->nt, diag_range, &c);
    return QS_OK;
}

/* ---- permutation ------------------------------------------------------- */

/* Pure moves: no arithmetic on the amplitudes. */
static void perm_range(void *vc, uint64_t lo, uint64_t hi)
{
    const group_ctx *c = vc;
    R *a = c->a;
    const int d = c->d;
    R vr[1 << QS_MAX_TARGETS], vi[1 << QS_MAX_TARGETS];
    uint64_t base = group_base(c, lo);
    for (uint64_t i = lo; i < hi; i++, base = group_next(c, base)) {
        for (int j = 0; j < d; j++) {
            vr[j] = a[2 * (base + c->off[j])];
            vi[j] = a[2 * (base + c->off[j]) + 1];
        }
        for (int j = 0; j < d; j++) {
            uint64_t k = base + c->off[c->op->perm[j]];
            a[2 * k] = vr[j];
            a[2 * k + 1] = vi[j];
        }
    }
}

/* The common case: a swap of two amplitudes (X, CNOT, Toffoli, SWAP). */
static void swap2_range(void *vc, uint64_t lo, uint64_t hi)
{
    const group_ctx *c = vc;
    R *a = c->a;
    const uint64_t o0 = c->s0, o1 = c->s1;
    uint64_t base = group_base(c, lo);
    for (uint64_t i = lo; i < hi; i++, base = group_next(c, base)) {
        uint64_t p = base + o0, q = base + o1;
        R xr = a[2 * p], xi = a[2 * p + 1];
        a[2 * p] = a[2 * q];
        a[2 * p + 1] = a[2 * q + 1];
        a[2 * q] = xr;
        a[2 * q + 1] = xi;
    }
}

static void permph_range(void *vc, uint64_t lo, uint64_t hi)
{
    const group_ctx *c = vc;
    R *a = c->a;
    const int d = c->d;
    R vr[1 << QS_MAX_TARGETS], vi[1 << QS_MAX_TARGETS];
    uint64_t base = group_base(c, lo);
    for (uint64_t i = lo; i < hi; i++, base = group_next(c, base)) {
        for (int j = 0; j < d; j++) {
            vr[j] = a[2 * (base + c->off[j])];
            vi[j] = a[2 * (base + c->off[j]) + 1];
        }
        for (int j = 0; j < d; j++) {
            uint64_t k = base + c->off[c->op->perm[j]];
            a[2 * k] = c->mr[j] * vr[j] - c->mi[j] * vi[j];
            a[2 * k + 1] = c->mr[j] * vi[j] + c->mi[j] * vr[j];
        }
    }
}

static qs_status k_perm(qs__sv *sv, const qs__op *op)
{
    qs_status st;
    qs__op_buf ob;
    if (!(op = qs__op_route(sv, op, QS__OP_PERM, &gate_fns, &ob, &st)))
        return st;
    group_ctx c;
    uint64_t n = group_setup(&c, sv, op, op->targets, op->nt);
    qs__range_fn fn = perm_range;
    if (op->m) {
        for (int j = 0; j < c.d; j++) {
            c.mr[j] = (R)op->m[2 * j];
            c.mi[j] = (R)op->m[2 * j + 1];
        }
        fn = permph_range;
    } else {
        /* A single transposition (X, CNOT, Toffoli, SWAP, Fredkin): swap
         * the two amplitudes of each group directly. */
        int moved[2], nm = 0;
        for (int j = 0; j < c.d; j++)
            if (op->perm[j] != (uint32_t)j) {
                if (nm < 2)
                    moved[nm] = j;
                nm++;
            }
        if (nm == 2) {
            c.s0 = c.off[moved[0]];
            c.s1 = c.off[moved[1]];
            fn = swap2_range;
        }
    }
    qs__parfor(n, op->nt, fn, &c);
    return QS_OK;
}

/* ---- Pauli string: psi <- a psi + b P psi ------------------------------- */

typedef struct {
    R *a;
    int pos[65], m;
    uint64_t fmask, cval, x, z;
    R ar, ai, gr, gi;        /* a, and b * i^ny */
} pauli_ctx;

/* x == 0: P is diagonal with sign (-1)^{|c & z|}. */
static void pauli_diag_range(void *vc, uint64_t lo, uint64_t hi)
{
    const pauli_ctx *c = vc;
    R *a = c->a;
    const R pr = c->ar + c->gr, pi = c->ai + c->gi;   /* even parity */
    const R qr = c->ar - c->gr, qi = c->ai - c->gi;   /* odd parity */
    uint64_t k = qs__insert0s(lo, c->pos, c->m) | c->cval;
    for (uint64_t i = lo; i < hi; i++, k = qs__next_base(k, c->fmask, c->cval)) {
        int odd = qs__parity(k & c->z);
        R fr = odd ? qr : pr, fi = odd ? qi : pi;
        R xr = a[2 * k], xi = a[2 * k + 1];
        a[2 * k] = fr * xr - fi * xi;
        a[2 * k + 1] = fr * xi + fi * xr;
    }
}

/* x != 0: pairs (k, k ^ x) with k's pivot bit (lowest bit of x) clear. */
static void pauli_pair_range(void *vc, uint64_t lo, uint64_t hi)
{
    const pauli_ctx *c = vc;
    R *a = c->a;
    uint64_t k = qs__insert0s(lo, c->pos, c->m) | c->cval;
    for (uint64_t i = lo; i < hi; i++, k = qs__next_base(k, c->fmask, c->cval)) {
        uint64_t l = k ^ c->x;
        R s_k = qs__parity(k & c->z) ? -1 : 1;   /* sign of P|k> */
        R s_l = qs__parity(l & c->z) ? -1 : 1;
        R kr = a[2 * k], ki = a[2 * k + 1], lr = a[2 * l], li = a[2 * l + 1];
        /* psi'[k] = a psi[k] + g s_l psi[l];  psi'[l] = a psi[l] + g s_k psi[k] */
        R gkr = s_l * c->gr, gki = s_l * c->gi, glr = s_k * c->gr, gli = s_k * c->gi;
        a[2 * k] = c->ar * kr - c->ai * ki + gkr * lr - gki * li;
        a[2 * k + 1] = c->ar * ki + c->ai * kr + gkr * li + gki * lr;
        a[2 * l] = c->ar * lr - c->ai * li + glr * kr - gli * ki;
        a[2 * l + 1] = c->ar * li + c->ai * lr + glr * ki + gli * kr;
    }
}

static qs_status k_pauli(qs__sv *sv, const qs__op *op)
{
    pauli_ctx c;
    c.a = (R *)sv->amps;
    c.x = op->xmask;
    c.z = op->zmask;
    c.cval = op->cval;
    /* g = b * i^ny */
    double gr = op->b[0], gi = op->b[1];
    for (int j = 0; j < (op->ny & 3); j++) {
        double t = gr;
        gr = -gi;
        gi = t;
    }
    c.ar = (R)op->a[0];
    c.ai = (R)op->a[1];
    c.gr = (R)gr;
    c.gi = (R)gi;
    c.m = 0;
    for (uint64_t cm = op->cmask; cm; cm &= cm - 1)
        c.pos[c.m++] = __builtin_ctzll(cm);
    if (c.x)
        c.pos[c.m++] = 63 - __builtin_clzll(c.x);   /* highest: dense streams */
    qs__sort_small(c.pos, c.m);
    c.fmask = 0;
    for (int j = 0; j < c.m; j++)
        c.fmask |= UINT64_C(1) << c.pos[j];
    uint64_t n = sv->len >> c.m;
    qs__parfor(n, c.x ? 1 : 0, c.x ? pauli_pair_range : pauli_diag_range, &c);
    return QS_OK;
}
