/*
 * bits.h - index arithmetic shared by kernels and the IR (internal).
 *
 * Kernels enumerate the 2^(n-m) "base" indices whose m fixed bits (targets
 * and controls) are zero by inserting zero bits into a counter; the fixed
 * bits are then ORed in.
 */
#ifndef QS_CORE_BITS_H
#define QS_CORE_BITS_H

#include <stdint.h>

/* Inserts a 0 at bit position p: bits >= p move up by one. */
static inline uint64_t qs__insert0(uint64_t i, int p)
{
    uint64_t low = i & ((UINT64_C(1) << p) - 1);
    return ((i >> p) << (p + 1)) | low;
}

/* Inserts zeros at the m ascending positions pos[0..m-1]. */
static inline uint64_t qs__insert0s(uint64_t i, const int *pos, int m)
{
    for (int j = 0; j < m; j++)
        i = qs__insert0(i, pos[j]);
    return i;
}

static inline int qs__parity(uint64_t x) { return __builtin_parityll(x); }
static inline int qs__popcount(uint64_t x) { return __builtin_popcountll(x); }

/* Gathers the bits of x at positions pos[0..k-1] into bits 0..k-1. */
static inline uint64_t qs__gather_bits(uint64_t x, const int *pos, int k)
{
    uint64_t r = 0;
    for (int j = 0; j < k; j++)
        r |= ((x >> pos[j]) & 1u) << j;
    return r;
}

/* Scatters bits 0..k-1 of v to positions pos[0..k-1]. */
static inline uint64_t qs__scatter_bits(uint64_t v, const int *pos, int k)
{
    uint64_t r = 0;
    for (int j = 0; j < k; j++)
        r |= ((v >> j) & 1u) << pos[j];
    return r;
}

/* Sorts a small int array ascending (insertion sort; m <= 64). */
static inline void qs__sort_small(int *a, int m)
{
    for (int i = 1; i < m; i++) {
        int v = a[i], j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

#endif
