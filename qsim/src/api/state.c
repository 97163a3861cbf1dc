/*
 * state.c - public entry points for creating, copying, setting and reading
 * states.  Checks arguments, then calls the state's backend ops.
 */
#include "api/state_impl.h"
#include "core/check.h"
#include "core/error.h"
#include "core/mem.h"
#include "core/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

QS_API qs_status qs_state_create(int num_qubits, unsigned flags, qs_state **out)
{
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    if (num_qubits < 1 || num_qubits > QS_MAX_QUBITS)
        return qs__fail(QS_EINVAL, __func__, "num_qubits %d not in [1, %d]", num_qubits,
                        QS_MAX_QUBITS);
    if (flags & ~(unsigned)QS_STATE_F32)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    qs_state *s = calloc(1, sizeof *s);
    if (!s)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    qs_status st = qs__sv_alloc(&s->sv, num_qubits, (flags & QS_STATE_F32) != 0, __func__);
    if (st != QS_OK) {
        free(s);
        return st;
    }
    s->flags = flags;
    s->sv.k->set_basis(&s->sv, 0);   /* first touch, by the kernels' split */
    *out = s;
    return QS_OK;
}

QS_API void qs_state_destroy(qs_state *s)
{
    if (!s)
        return;
    qs__sv_free(&s->sv);
    qs__free_aligned(s->scratch);
    free(s);
}

void *qs__state_scratch(qs_state *s, size_t bytes)
{
    if (bytes > s->scratch_bytes) {
        void *p = qs__alloc_aligned(bytes);
        if (!p)
            return NULL;
        qs__free_aligned(s->scratch);
        s->scratch = p;
        s->scratch_bytes = bytes;
    }
    return s->scratch;
}

QS_API qs_status qs_state_copy(const qs_state *src, qs_state **out)
{
    QS_CHECK_NULL(__func__, src);
    QS_CHECK_NULL(__func__, out);
    QS_TRY(qs_state_create(src->sv.nq, src->flags, out));
    (*out)->sv.k->copy_from(&(*out)->sv, &src->sv);
    return QS_OK;
}

QS_API qs_status qs_state_assign(qs_state *dst, const qs_state *src)
{
    QS_CHECK_NULL(__func__, dst);
    QS_CHECK_NULL(__func__, src);
    if (dst->sv.nq != src->sv.nq)
        return qs__fail(QS_EINVAL, __func__, "states have %d and %d qubits", dst->sv.nq,
                        src->sv.nq);
    if (dst != src)
        dst->sv.k->copy_from(&dst->sv, &src->sv);
    return QS_OK;
}

QS_API int qs_state_num_qubits(const qs_state *s) { return s ? s->sv.nq : 0; }
QS_API unsigned qs_state_flags(const qs_state *s) { return s ? s->flags : 0; }
QS_API const char *qs_state_backend(const qs_state *s) { return s ? s->sv.be->name : ""; }

QS_API qs_status qs_state_set_basis(qs_state *s, uint64_t index)
{
    QS_CHECK_NULL(__func__, s);
    if (index >= s->sv.len)
        return qs__fail(QS_ERANGE, __func__, "index %llu out of range for a %d-qubit state",
                        (unsigned long long)index, s->sv.nq);
    s->sv.k->set_basis(&s->sv, index);
    return QS_OK;
}

QS_API qs_status qs_state_set_uniform(qs_state *s)
{
    QS_CHECK_NULL(__func__, s);
    double v[2] = {1.0 / sqrt((double)s->sv.len), 0};
    s->sv.k->set_const(&s->sv, v);
    return QS_OK;
}

QS_API qs_status qs_state_set_random(qs_state *s, qs_rng *rng)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, rng);
    /* Independent standard normals in every component, normalised: the
     * uniform distribution on the sphere.  Drawn serially, in index order,
     * so the state depends only on the seed. */
    gsl_rng *r = qs__rng_gsl(rng);
    double buf[512];
    for (uint64_t i = 0; i < s->sv.len; i += 256) {
        uint64_t n = s->sv.len - i < 256 ? s->sv.len - i : 256;
        for (uint64_t j = 0; j < 2 * n; j++)
            buf[j] = gsl_ran_gaussian_ziggurat(r, 1.0);
        s->sv.k->set_amps(&s->sv, i, n, buf);
    }
    return qs_state_normalize(s);
}

static qs_status check_range(const char *func, const qs_state *s, uint64_t first,
                             uint64_t count, const void *buf)
{
    QS_CHECK_NULL(func, s);
    if (count > 0 && !buf)
        return qs__fail(QS_EINVAL, func, "re_im is NULL");
    if (first > s->sv.len || count > s->sv.len - first)
        return qs__fail(QS_ERANGE, func,
                        "amplitudes [%llu, %llu) out of range for a %d-qubit state",
                        (unsigned long long)first, (unsigned long long)(first + count),
                        s->sv.nq);
    return QS_OK;
}

QS_API qs_status qs_state_get_amps(const qs_state *s, uint64_t first, uint64_t count,
                                   double *re_im)
{
    QS_TRY(check_range(__func__, s, first, count, re_im));
    s->sv.k->get_amps(&s->sv, first, count, re_im);
    return QS_OK;
}

QS_API qs_status qs_state_set_amps(qs_state *s, uint64_t first, uint64_t count,
                                   const double *re_im)
{
    QS_TRY(check_range(__func__, s, first, count, re_im));
    s->sv.k->set_amps(&s->sv, first, count, re_im);
    return QS_OK;
}

QS_API qs_status qs_state_data(qs_state *s, void **data)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, data);
    *data = s->sv.amps;
    return QS_OK;
}

QS_API qs_status qs_state_norm2(const qs_state *s, double *out)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, out);
    *out = s->sv.k->norm2(&s->sv);
    return QS_OK;
}

QS_API qs_status qs_state_normalize(qs_state *s)
{
    QS_CHECK_NULL(__func__, s);
    double n2 = s->sv.k->norm2(&s->sv);
    if (!(n2 > 0) || !isfinite(n2))
        return qs__fail(QS_EINVAL, __func__, "cannot normalise a state of norm^2 %g", n2);
    double a[2] = {1.0 / sqrt(n2), 0};
    s->sv.k->scale(&s->sv, a);
    return QS_OK;
}

static qs_status check_pair(const char *func, const qs_state *a, const qs_state *b)
{
    QS_CHECK_NULL(func, a);
    QS_CHECK_NULL(func, b);
    if (a->sv.nq != b->sv.nq)
        return qs__fail(QS_EINVAL, func, "states have %d and %d qubits", a->sv.nq, b->sv.nq);
    if (a->sv.f32 != b->sv.f32)
        return qs__fail(QS_EINVAL, func, "states have different precisions");
    return QS_OK;
}

QS_API qs_status qs_state_inner(const qs_state *bra, const qs_state *ket, double out[2])
{
    QS_TRY(check_pair(__func__, bra, ket));
    QS_CHECK_NULL(__func__, out);
    bra->sv.k->inner(&bra->sv, &ket->sv, out);
    return QS_OK;
}

QS_API qs_status qs_state_fidelity(const qs_state *a, const qs_state *b, double *out)
{
    QS_TRY(check_pair(__func__, a, b));
    QS_CHECK_NULL(__func__, out);
    double ip[2], na = a->sv.k->norm2(&a->sv), nb = b->sv.k->norm2(&b->sv);
    if (!(na > 0 && nb > 0))
        return qs__fail(QS_EINVAL, __func__, "a state has norm 0");
    a->sv.k->inner(&a->sv, &b->sv, ip);
    *out = (ip[0] * ip[0] + ip[1] * ip[1]) / (na * nb);
    return QS_OK;
}

QS_API qs_status qs_state_scale(qs_state *s, const double alpha[2])
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, alpha);
    s->sv.k->scale(&s->sv, alpha);
    return QS_OK;
}

QS_API qs_status qs_state_axpy(qs_state *y, const double alpha[2], const qs_state *x)
{
    QS_TRY(check_pair(__func__, y, x));
    QS_CHECK_NULL(__func__, alpha);
    y->sv.k->axpy(&y->sv, alpha, &x->sv);
    return QS_OK;
}

QS_API qs_status qs_state_apply_global_phase(qs_state *s, double phi)
{
    QS_CHECK_NULL(__func__, s);
    double a[2] = {cos(phi), sin(phi)};
    s->sv.k->scale(&s->sv, a);
    return QS_OK;
}

QS_API qs_status qs_state_apply_qft(qs_state *s, int first, int count, unsigned flags)
{
    QS_CHECK_NULL(__func__, s);
    if (count < 1 || first < 0 || first + count > s->sv.nq)
        return qs__fail(QS_ERANGE, __func__, "qubits [%d, %d) out of range for a %d-qubit state",
                        first, first + count, s->sv.nq);
    if (flags & ~(unsigned)QS_QFT_INVERSE)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    qs_status st = s->sv.be->qft(&s->sv, first, count, (flags & QS_QFT_INVERSE) != 0);
    if (st != QS_OK)
        return qs__fail(st, __func__, "FFTW could not plan a %d-qubit transform", count);
    return QS_OK;
}
