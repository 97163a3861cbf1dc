/*
 * k_state.h - setting, copying and scaling kernels of the generic CPU
 * backend (template; see k_gates.h).  Each is one pass over the state.
 */

typedef struct {
    R *a;
    const void *src;
    int src_f32;
    R vr, vi;
    uint64_t index;
} state_ctx;

static void basis_range(void *vc, uint64_t lo, uint64_t hi)
{
    const state_ctx *c = vc;
    memset(c->a + 2 * lo, 0, sizeof(R) * 2 * (size_t)(hi - lo));
    if (c->index >= lo && c->index < hi)
        c->a[2 * c->index] = 1;
}

static qs_status k_set_basis(qs__sv *sv, uint64_t index)
{
    state_ctx c = {.a = (R *)sv->amps, .index = index};
    qs__parfor(sv->len, 0, basis_range, &c);
    return QS_OK;
}

static void const_range(void *vc, uint64_t lo, uint64_t hi)
{
    const state_ctx *c = vc;
    for (uint64_t i = lo; i < hi; i++) {
        c->a[2 * i] = c->vr;
        c->a[2 * i + 1] = c->vi;
    }
}

static qs_status k_set_const(qs__sv *sv, const double v[2])
{
    state_ctx c = {.a = (R *)sv->amps, .vr = (R)v[0], .vi = (R)v[1]};
    qs__parfor(sv->len, 0, const_range, &c);
    return QS_OK;
}

static void scale_range(void *vc, uint64_t lo, uint64_t hi)
{
    const state_ctx *c = vc;
    R *a = c->a;
    for (uint64_t i = lo; i < hi; i++) {
        R xr = a[2 * i], xi = a[2 * i + 1];
        a[2 * i] = c->vr * xr - c->vi * xi;
        a[2 * i + 1] = c->vr * xi + c->vi * xr;
    }
}

static qs_status k_scale(qs__sv *sv, const double alpha[2])
{
    state_ctx c = {.a = (R *)sv->amps, .vr = (R)alpha[0], .vi = (R)alpha[1]};
    qs__parfor(sv->len, 0, scale_range, &c);
    return QS_OK;
}

static void axpy_range(void *vc, uint64_t lo, uint64_t hi)
{
    const state_ctx *c = vc;
    R *y = c->a;
    const R *x = c->src;
    for (uint64_t i = lo; i < hi; i++) {
        R xr = x[2 * i], xi = x[2 * i + 1];
        y[2 * i] += c->vr * xr - c->vi * xi;
        y[2 * i + 1] += c->vr * xi + c->vi * xr;
    }
}

static qs_status k_axpy(qs__sv *y, const double alpha[2], const qs__sv *x)
{
    state_ctx c = {.a = (R *)y->amps, .src = x->amps, .vr = (R)alpha[0], .vi = (R)alpha[1]};
    qs__parfor(y->len, 0, axpy_range, &c);
    return QS_OK;
}

static void copy_range(void *vc, uint64_t lo, uint64_t hi)
{
    const state_ctx *c = vc;
    if (c->src_f32) {
        const float *s = c->src;
        for (uint64_t i = 2 * lo; i < 2 * hi; i++)
            c->a[i] = (R)s[i];
    } else {
        const double *s = c->src;
        for (uint64_t i = 2 * lo; i < 2 * hi; i++)
            c->a[i] = (R)s[i];
    }
}

static qs_status k_copy_from(qs__sv *dst, const qs__sv *src)
{
    state_ctx c = {.a = (R *)dst->amps, .src = src->amps, .src_f32 = src->f32};
    qs__parfor(dst->len, 0, copy_range, &c);
    return QS_OK;
}

static qs_status k_get_amps(const qs__sv *sv, uint64_t first, uint64_t count, double *out)
{
    const R *a = (const R *)sv->amps + 2 * first;
    for (uint64_t i = 0; i < 2 * count; i++)
        out[i] = (double)a[i];
    return QS_OK;
}

static qs_status k_set_amps(qs__sv *sv, uint64_t first, uint64_t count, const double *in)
{
    R *a = (R *)sv->amps + 2 * first;
    for (uint64_t i = 0; i < 2 * count; i++)
        a[i] = (R)in[i];
    return QS_OK;
}
