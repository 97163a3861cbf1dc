/*
 * k_reduce.h - reductions, probabilities, collapse, Pauli sums and sampling
 * of the generic CPU backend (template; see k_gates.h).  Reductions go
 * through qs__parreduce, so their sums do not depend on the thread count;
 * accumulation is in double for both precisions.
 */

typedef struct {
    const R *a, *b;
    R *w;
    uint64_t mask, val, fmask;
    const int *q;
    int k, m;
    int pos[64];
    double *out;
    double scale;
} red_ctx;

/* Four independent sums: one chain of dependent additions would run at a
 * quarter of the speed the memory allows. */
static void norm2_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const red_ctx *c = vc;
    double s[4] = {0, 0, 0, 0};
    uint64_t i = 2 * lo;
    for (; i + 4 <= 2 * hi; i += 4)
        for (int u = 0; u < 4; u++)
            s[u] += (double)c->a[i + u] * c->a[i + u];
    for (; i < 2 * hi; i++)
        s[0] += (double)c->a[i] * c->a[i];
    p[0] += (s[0] + s[1]) + (s[2] + s[3]);
}

static double k_norm2(const qs__sv *sv)
{
    red_ctx c = {.a = sv->amps};
    double r;
    qs__parreduce(sv->len, 0, 1, norm2_part, &c, &r);
    return r;
}

static void inner_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const red_ctx *c = vc;
    double sr[2] = {0, 0}, si[2] = {0, 0};
    for (uint64_t i = lo; i < hi; i++) {
        double ar = c->a[2 * i], ai = c->a[2 * i + 1], br = c->b[2 * i], bi = c->b[2 * i + 1];
        sr[i & 1] += ar * br + ai * bi;   /* conj(a) * b */
        si[i & 1] += ar * bi - ai * br;
    }
    p[0] += sr[0] + sr[1];
    p[1] += si[0] + si[1];
}

static void k_inner(const qs__sv *bra, const qs__sv *ket, double out[2])
{
    red_ctx c = {.a = bra->amps, .b = ket->amps};
    qs__parreduce(bra->len, 0, 2, inner_part, &c, out);
}

/* Sum of |a|^2 over the indices with (i & mask) == val: only those are read. */
static void pmask_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const red_ctx *c = vc;
    double s = 0;
    uint64_t k = qs__insert0s(lo, c->pos, c->m) | c->val;
    for (uint64_t i = lo; i < hi; i++, k = qs__next_base(k, c->fmask, c->val))
        s += (double)c->a[2 * k] * c->a[2 * k] + (double)c->a[2 * k + 1] * c->a[2 * k + 1];
    p[0] += s;
}

static double k_prob_mask(const qs__sv *sv, uint64_t mask, uint64_t val)
{
    red_ctx c = {.a = sv->amps, .val = val, .fmask = mask, .m = 0};
    for (uint64_t m = mask; m; m &= m - 1)
        c.pos[c.m++] = __builtin_ctzll(m);
    double r;
    qs__parreduce(sv->len >> c.m, c.m, 1, pmask_part, &c, &r);
    return r;
}

static void probs_range(void *vc, uint64_t lo, uint64_t hi)
{
    const red_ctx *c = vc;
    for (uint64_t i = lo; i < hi; i++)
        c->out[i] = (double)c->a[2 * i] * c->a[2 * i] + (double)c->a[2 * i + 1] * c->a[2 * i + 1];
}

static void k_probs(const qs__sv *sv, double *out)
{
    red_ctx c = {.a = sv->amps, .out = out};
    qs__parfor(sv->len, 0, probs_range, &c);
}

static void marg_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const red_ctx *c = vc;
    for (uint64_t i = lo; i < hi; i++)
        p[qs__gather_bits(i, c->q, c->k)] +=
            (double)c->a[2 * i] * c->a[2 * i] + (double)c->a[2 * i + 1] * c->a[2 * i + 1];
}

static void k_marginal(const qs__sv *sv, const int *qubits, int k, double *out)
{
    red_ctx c = {.a = sv->amps, .q = qubits, .k = k};
    qs__parreduce(sv->len, 0, 1 << k, marg_part, &c, out);
}

static void collapse_range(void *vc, uint64_t lo, uint64_t hi)
{
    const red_ctx *c = vc;
    R *w = c->w;
    const R s = (R)c->scale;
    for (uint64_t i = lo; i < hi; i++) {
        R f = (i & c->mask) == c->val ? s : 0;
        w[2 * i] *= f;
        w[2 * i + 1] *= f;
    }
}

static qs_status k_collapse(qs__sv *sv, uint64_t mask, uint64_t val, double scale)
{
    red_ctx c = {.w = sv->amps, .mask = mask, .val = val, .scale = scale};
    qs__parfor(sv->len, 0, collapse_range, &c);
    return QS_OK;
}

static double k_sample_sorted(const qs__sv *sv, const double *u, size_t n, uint64_t *idx)
{
    const R *a = sv->amps;
    double cum = 0;
    size_t j = 0;
    uint64_t last = 0;
    for (uint64_t i = 0; i < sv->len; i++) {
        double p = (double)a[2 * i] * a[2 * i] + (double)a[2 * i + 1] * a[2 * i + 1];
        if (p == 0)
            continue;
        cum += p;
        last = i;
        while (j < n && u[j] < cum)
            idx[j++] = i;
    }
    /* The loop runs to the end so that the total is exact.  Rounding can leave u just above the final sum: those land on the last
     * index of non-zero probability. */
    while (j < n)
        idx[j++] = last;
    return cum;
}
