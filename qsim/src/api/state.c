/*
 * state.c - public entry points for creating, copying, setting and reading
 * states.  Checks arguments, then calls the localiser (loc/loc.h).
 */
#include "config.h"
#include "core/check.h"
#include "core/error.h"
#include "loc/loc.h"
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
    if (flags & ~(unsigned)(QS_STATE_F32 | QS_STATE_DISTRIBUTED))
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    return qs__loc_create(__func__, num_qubits, flags, NULL, out);
}

QS_API qs_status qs_state_create_distributed(int num_qubits, unsigned flags, const void *comm,
                                             qs_state **out)
{
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    if (num_qubits < 1 || num_qubits > QS_MAX_QUBITS)
        return qs__fail(QS_EINVAL, __func__, "num_qubits %d not in [1, %d]", num_qubits,
                        QS_MAX_QUBITS);
    if (flags & ~(unsigned)(QS_STATE_F32 | QS_STATE_DISTRIBUTED))
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    return qs__loc_create(__func__, num_qubits, flags | QS_STATE_DISTRIBUTED, comm, out);
}

QS_API int qs_state_num_ranks(const qs_state *s) { return s ? qs__loc_ranks(s) : 0; }

QS_API qs_status qs_state_comm_stats(const qs_state *s, uint64_t stats[4])
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, stats);
    return qs__loc_stats(s, stats);
}

QS_API int qs_mpi_enabled(void)
{
#ifdef QS_HAVE_MPI
    return 1;
#else
    return 0;
#endif
}

QS_API void qs_state_destroy(qs_state *s) { qs__loc_destroy(s); }

QS_API qs_status qs_state_copy(const qs_state *src, qs_state **out)
{
    QS_CHECK_NULL(__func__, src);
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    QS_TRY(qs__loc_create_like(__func__, src, out));
    qs_status st = qs__loc_copy(*out, src);
    if (st != QS_OK) {
        qs_state_destroy(*out);
        *out = NULL;
    }
    return st;
}

QS_API qs_status qs_state_assign(qs_state *dst, const qs_state *src)
{
    QS_CHECK_NULL(__func__, dst);
    QS_CHECK_NULL(__func__, src);
    QS_TRY(qs__loc_same(__func__, dst, src, 1));   /* copies convert precisions */
    return dst != src ? qs__loc_copy(dst, src) : QS_OK;
}

QS_API int qs_state_num_qubits(const qs_state *s) { return s ? s->nq : 0; }
QS_API unsigned qs_state_flags(const qs_state *s) { return s ? s->flags : 0; }
QS_API const char *qs_state_backend(const qs_state *s) { return s ? s->sv.be->name : ""; }

QS_API qs_status qs_state_set_basis(qs_state *s, uint64_t index)
{
    QS_CHECK_NULL(__func__, s);
    if (index >> s->nq)
        return qs__fail(QS_ERANGE, __func__, "index %llu out of range for a %d-qubit state",
                        (unsigned long long)index, s->nq);
    return qs__loc_set_basis(s, index);
}

QS_API qs_status qs_state_set_uniform(qs_state *s)
{
    QS_CHECK_NULL(__func__, s);
    double v[2] = {1.0 / sqrt(ldexp(1, s->nq)), 0};
    return qs__loc_set_const(s, v);
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
    uint64_t len = UINT64_C(1) << s->nq;
    for (uint64_t i = 0; i < len; i += 256) {
        uint64_t n = len - i < 256 ? len - i : 256;
        for (uint64_t j = 0; j < 2 * n; j++)
            buf[j] = gsl_ran_gaussian_ziggurat(r, 1.0);
        QS_TRY(qs__loc_set_amps(s, i, n, buf));
    }
    return qs_state_normalize(s);
}

static qs_status check_range(const char *func, const qs_state *s, uint64_t first,
                             uint64_t count, const void *buf)
{
    QS_CHECK_NULL(func, s);
    if (count > 0 && !buf)
        return qs__fail(QS_EINVAL, func, "re_im is NULL");
    uint64_t len = UINT64_C(1) << s->nq;
    if (first > len || count > len - first)
        return qs__fail(QS_ERANGE, func,
                        "amplitudes [%llu, %llu) out of range for a %d-qubit state",
                        (unsigned long long)first, (unsigned long long)(first + count), s->nq);
    return QS_OK;
}

QS_API qs_status qs_state_get_amps(const qs_state *s, uint64_t first, uint64_t count,
                                   double *re_im)
{
    QS_TRY(check_range(__func__, s, first, count, re_im));
    return qs__loc_get_amps(s, first, count, re_im);
}

QS_API qs_status qs_state_set_amps(qs_state *s, uint64_t first, uint64_t count,
                                   const double *re_im)
{
    QS_TRY(check_range(__func__, s, first, count, re_im));
    return qs__loc_set_amps(s, first, count, re_im);
}

QS_API qs_status qs_state_data(qs_state *s, void **data)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, data);
    if (s->dist)
        return qs__fail(QS_EUNSUPPORTED, __func__,
                        "the state is distributed over ranks: read it with qs_state_get_amps");
    *data = s->sv.amps;   /* the one-process CPU layout, documented in qsim.h */
    return QS_OK;
}

QS_API qs_status qs_state_norm2(const qs_state *s, double *out)
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, out);
    return qs__loc_norm2(s, out);
}

QS_API qs_status qs_state_normalize(qs_state *s)
{
    QS_CHECK_NULL(__func__, s);
    double n2;
    QS_TRY(qs__loc_norm2(s, &n2));
    if (!(n2 > 0) || !isfinite(n2))
        return qs__fail(QS_EINVAL, __func__, "cannot normalise a state of norm^2 %g", n2);
    double a[2] = {1.0 / sqrt(n2), 0};
    return qs__loc_scale(s, a);
}

static qs_status check_pair(const char *func, const qs_state *a, const qs_state *b)
{
    QS_CHECK_NULL(func, a);
    QS_CHECK_NULL(func, b);
    return qs__loc_same(func, a, b, 0);
}

QS_API qs_status qs_state_inner(const qs_state *bra, const qs_state *ket, double out[2])
{
    QS_TRY(check_pair(__func__, bra, ket));
    QS_CHECK_NULL(__func__, out);
    return qs__loc_inner(bra, ket, out);
}

QS_API qs_status qs_state_fidelity(const qs_state *a, const qs_state *b, double *out)
{
    QS_TRY(check_pair(__func__, a, b));
    QS_CHECK_NULL(__func__, out);
    double ip[2], na, nb;
    QS_TRY(qs__loc_norm2(a, &na));
    QS_TRY(qs__loc_norm2(b, &nb));
    if (!(na > 0 && nb > 0))
        return qs__fail(QS_EINVAL, __func__, "a state has norm 0");
    QS_TRY(qs__loc_inner(a, b, ip));
    *out = (ip[0] * ip[0] + ip[1] * ip[1]) / (na * nb);
    return QS_OK;
}

QS_API qs_status qs_state_scale(qs_state *s, const double alpha[2])
{
    QS_CHECK_NULL(__func__, s);
    QS_CHECK_NULL(__func__, alpha);
    return qs__loc_scale(s, alpha);
}

QS_API qs_status qs_state_axpy(qs_state *y, const double alpha[2], const qs_state *x)
{
    QS_TRY(check_pair(__func__, y, x));
    QS_CHECK_NULL(__func__, alpha);
    return qs__loc_axpy(y, alpha, x);
}

QS_API qs_status qs_state_apply_global_phase(qs_state *s, double phi)
{
    QS_CHECK_NULL(__func__, s);
    double a[2] = {cos(phi), sin(phi)};
    return qs__loc_scale(s, a);
}

QS_API qs_status qs_state_apply_qft(qs_state *s, int first, int count, unsigned flags)
{
    QS_CHECK_NULL(__func__, s);
    if (count < 1 || first < 0 || first + count > s->nq)
        return qs__fail(QS_ERANGE, __func__, "qubits [%d, %d) out of range for a %d-qubit state",
                        first, first + count, s->nq);
    if (flags & ~(unsigned)QS_QFT_INVERSE)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    return qs__loc_qft(__func__, s, first, count, (flags & QS_QFT_INVERSE) != 0);
}
