/*
 * k_values.h - kernels for real diagonals given by one value per basis
 * state of the low k qubits (template; see k_gates.h).  They serve cost
 * functions known on every basis state, such as a MaxCut cost: the value
 * table is read once, the state once, and no matrix is built.
 *
 * Amplitude i uses v = values[i & (2^k - 1)], so a diagonal of a k-qubit
 * program also acts on a larger state (the high qubits are spectators).
 */

typedef struct {
    R *a;
    const R *ca;
    const double *v;
    uint64_t vmask;
    double t, cr, ci;
    int times_value;
    const double *tab;   /* e^{-itv} for integer v in [vmin, vmin + ntab) */
    double vmin;
} values_ctx;

/* Integer values in a small range (cut values, energies of integer
 * couplings) need one sincos per distinct value instead of one per
 * amplitude.  Returns the table length, or 0 when a value is not an
 * integer or the range exceeds the cap.  The entries are the same sincos
 * of the same t*v, so results do not change by a bit. */
#define PHASE_TABLE_MAX 4096
static int phase_table(const double *v, uint64_t n, double t, double *tab, double *vmin)
{
    double lo = v[0], hi = v[0];
    for (uint64_t i = 0; i < n; i++) {
        if (v[i] != (double)(int64_t)v[i] || fabs(v[i]) > 1e15)
            return 0;
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
        if (hi - lo >= PHASE_TABLE_MAX)
            return 0;
    }
    int m = (int)(hi - lo) + 1;
    for (int j = 0; j < m; j++) {
        double x = lo + j;
        tab[2 * j] = cos(t * x);
        tab[2 * j + 1] = sin(t * x);
    }
    *vmin = lo;
    return m;
}

/* psi_i <- c * v^p * e^{-i t v} psi_i: one read+write pass (plus one read
 * of the values to find a phase table); one sincos per amplitude when
 * t != 0 and the values are not small integers. */
static void diag_real_range(void *vc, uint64_t lo, uint64_t hi)
{
    const values_ctx *c = vc;
    R *a = c->a;
    for (uint64_t i = lo; i < hi; i++) {
        double v = c->v[i & c->vmask], fr = c->cr, fi = c->ci;
        if (c->t != 0) {
            double s, co;   /* e^{-itv} = co - i s */
            if (c->tab) {
                const double *e = c->tab + 2 * (int64_t)(v - c->vmin);
                co = e[0];
                s = e[1];
            } else {
                s = sin(c->t * v);
                co = cos(c->t * v);
            }
            double r = fr * co + fi * s;
            fi = fi * co - fr * s;
            fr = r;
        }
        if (c->times_value) {
            fr *= v;
            fi *= v;
        }
        R xr = a[2 * i], xi = a[2 * i + 1];
        a[2 * i] = (R)(fr * xr - fi * xi);
        a[2 * i + 1] = (R)(fr * xi + fi * xr);
    }
}

static qs_status k_diag_real(qs__sv *sv, const double *values, int k, double t, const double c[2],
                        int times_value)
{
    values_ctx x = {.a = (R *)sv->amps, .v = values, .vmask = (UINT64_C(1) << k) - 1,
                    .t = t, .cr = c[0], .ci = c[1], .times_value = times_value};
    double tab[2 * PHASE_TABLE_MAX];
    if (t != 0 && phase_table(values, UINT64_C(1) << k, t, tab, &x.vmin) > 0)
        x.tab = tab;
    qs__parfor(sv->len, 0, diag_real_range, &x);
    return QS_OK;
}

/* sum_i |psi_i|^2 v_i: one read pass, summed in the blocked order. */
static void expect_values_part(void *vc, uint64_t lo, uint64_t hi, double *p)
{
    const values_ctx *c = vc;
    const R *a = c->ca;
    double s = 0;
    for (uint64_t i = lo; i < hi; i++)
        s += c->v[i & c->vmask] * ((double)a[2 * i] * a[2 * i] + (double)a[2 * i + 1] * a[2 * i + 1]);
    p[0] += s;
}

static double k_expect_diag_real(const qs__sv *sv, const double *values, int k)
{
    values_ctx x = {.ca = sv->amps, .v = values, .vmask = (UINT64_C(1) << k) - 1};
    double r;
    qs__parreduce(sv->len, 0, 1, expect_values_part, &x, &r);
    return r;
}
