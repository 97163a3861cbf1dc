/*
 * pauli_impl.h - the Pauli-sum handle (internal; used by api/, exact/).
 *
 * Terms are (x, z) bit masks with a real weight: the string has X where
 * only x is set, Z where only z is set and Y where both are.  A hash index
 * keeps terms unique.  The grouping by x mask that kernels want is built
 * lazily, under a lock, so that const sums can be shared between threads.
 */
#ifndef QS_IR_PAULI_IMPL_H
#define QS_IR_PAULI_IMPL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

struct qs_pauli_sum {
    int fixed_nq;          /* size given at creation, 0 = grows */
    int nq;
    size_t n, cap;
    uint64_t *x, *z;
    double *w;
    size_t *hash;          /* open addressing: term index + 1, 0 = empty */
    size_t hcap;
    char **hkey, **hval;   /* header entries from files */
    size_t nh;
    /* Lazily built grouping. */
    pthread_mutex_t lock;
    int grouped;
    qs__pgroups g;
    uint64_t *gx, *gz;
    size_t *gstart;
    double *gcoef;
};

/* The grouping of h (built on first use).  NULL on allocation failure. */
const qs__pgroups *qs__pauli_groups(const qs_pauli_sum *h);

#endif
