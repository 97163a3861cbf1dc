/* rng.h - access to the GSL generator inside a qs_rng (internal). */
#ifndef QS_CORE_RNG_H
#define QS_CORE_RNG_H

#include <gsl/gsl_rng.h>
#include <qsim/qsim.h>

gsl_rng *qs__rng_gsl(qs_rng *rng);

#endif
