/*
 * rng.c - qs_rng: a seeded GSL mt19937 generator.  Internal users draw from
 * it through qs__rng_gsl() so that GSL's distributions can be used.
 */
#include "core/rng.h"
#include "core/error.h"

#include <stdlib.h>

struct qs_rng {
    gsl_rng *r;
};

/* mt19937 takes a 32-bit seed; fold the high half in so that seeds that
 * differ only above bit 31 give different streams. */
static unsigned long fold_seed(uint64_t seed)
{
    return (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffu);
}

QS_API qs_status qs_rng_create(uint64_t seed, qs_rng **out)
{
    if (!out)
        return qs__fail(QS_EINVAL, __func__, "out is NULL");
    *out = NULL;
    qs_rng *g = malloc(sizeof *g);
    if (!g)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    g->r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g->r) {
        free(g);
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    gsl_rng_set(g->r, fold_seed(seed));
    *out = g;
    return QS_OK;
}

QS_API void qs_rng_destroy(qs_rng *rng)
{
    if (!rng)
        return;
    gsl_rng_free(rng->r);
    free(rng);
}

QS_API qs_status qs_rng_seed(qs_rng *rng, uint64_t seed)
{
    if (!rng)
        return qs__fail(QS_EINVAL, __func__, "rng is NULL");
    gsl_rng_set(rng->r, fold_seed(seed));
    return QS_OK;
}

QS_API qs_status qs_rng_uniform(qs_rng *rng, double *out)
{
    if (!rng || !out)
        return qs__fail(QS_EINVAL, __func__, "%s is NULL", rng ? "out" : "rng");
    *out = gsl_rng_uniform(rng->r);
    return QS_OK;
}

gsl_rng *qs__rng_gsl(qs_rng *rng) { return rng->r; }
