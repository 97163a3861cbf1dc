/*
 * registry.c - the compiled-in backends, best first, and the choice among
 * them: QS_BACKEND in the environment or qs_backend_select(), else the first
 * one available on this machine (cpuid for SIMD backends).  Each state keeps
 * the backend it was created with.
 */
#include "config.h"
#include "backend/backend.h"
#include "backend/simd/simd.h"
#include "core/error.h"
#include "core/mem.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* NULL-terminated, best first; SIMD backends are added above "cpu" under
 * their configure conditionals. */
static const qs__backend *const backends[] = {
#ifdef QS_HAVE_AVX512
    &qs__backend_avx512,
#endif
#ifdef QS_HAVE_AVX2
    &qs__backend_avx2,
#endif
    &qs__backend_cpu,
    NULL,
};

static _Atomic(const qs__backend *) chosen;

static const qs__backend *find(const char *name)
{
    for (int i = 0; backends[i]; i++)
        if (strcmp(backends[i]->name, name) == 0)
            return backends[i];
    return NULL;
}

static const qs__backend *automatic(void)
{
    const char *env = getenv("QS_BACKEND");
    if (env && *env) {
        const qs__backend *b = find(env);
        if (b && b->available())
            return b;
    }
    for (int i = 0; backends[i]; i++)
        if (backends[i]->available())
            return backends[i];
    return &qs__backend_cpu;
}

const qs__backend *qs__backend_current(void)
{
    const qs__backend *b = atomic_load(&chosen);
    if (!b) {
        b = automatic();
        atomic_store(&chosen, b);
    }
    return b;
}

QS_API const char *qs_backend_default(void) { return qs__backend_current()->name; }

QS_API qs_status qs_backend_select(const char *name)
{
    if (!name || !*name) {
        atomic_store(&chosen, automatic());
        return QS_OK;
    }
    const qs__backend *b = find(name);
    if (!b)
        return qs__fail(QS_EINVAL, __func__, "no backend named '%s'", name);
    if (!b->available())
        return qs__fail(QS_EUNSUPPORTED, __func__, "backend '%s' cannot run on this machine", name);
    atomic_store(&chosen, b);
    return QS_OK;
}

QS_API const char *qs_backend_name(int i)
{
    if (i < 0 || i >= (int)(sizeof backends / sizeof *backends) - 1)
        return NULL;
    return backends[i]->name;
}

QS_API int qs_backend_available(int i)
{
    return qs_backend_name(i) ? backends[i]->available() : 0;
}

qs_status qs__sv_alloc(qs__sv *sv, int nq, int f32, const char *func)
{
    memset(sv, 0, sizeof *sv);
    size_t elem = 2 * (f32 ? sizeof(float) : sizeof(double));
    if (nq > 62 || (UINT64_C(1) << nq) > UINT64_MAX / elem)
        return qs__fail(QS_ETOOBIG, func, "need %.3g GiB, have %.3g GiB",
                        ldexp((double)elem, nq - 30), (double)qs__mem_available() / (1u << 30));
    uint64_t len = UINT64_C(1) << nq, bytes = len * elem;
    QS_TRY(qs__mem_check(func, bytes));
    sv->nq = nq;
    sv->f32 = f32;
    sv->len = len;
    sv->be = qs__backend_current();
    sv->k = sv->be->kernels(f32);
    if (sv->be->alloc(sv) != QS_OK)
        return qs__fail(QS_ENOMEM, func, "allocating %.3g GiB for %d qubits failed",
                        (double)bytes / (1u << 30), nq);
    return QS_OK;
}

void qs__sv_free(qs__sv *sv)
{
    if (sv->amps)
        sv->be->free(sv);
}
