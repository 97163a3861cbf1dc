/*
 * vec.h - the vector layer of the AVX2 backend: one V holds VL complex
 * amplitudes of type R, interleaved (re, im) as in memory.  Only files
 * compiled with $(AVX2_CFLAGS) include it; simd/k_simd.h is written
 * against these names (avx512/vec.h has the same ones, simd/vec_ops.h the
 * operations spelt alike on both).
 */
#include <immintrin.h>

typedef __m256i VI;    /* lane moves: 32-bit source indices, one per float */
typedef __m256d VD;    /* reductions accumulate in double */
#define VDOP(op) _mm256_##op##_pd
#define VDSWAPRI_IMM 0x5
/* Swaps the doubles of a VD whose indices differ in bit h (1 or 2). */
static inline VD vdflip(VD x, int h)
{
    return h == 1 ? _mm256_permute_pd(x, 0x5) : _mm256_permute2f128_pd(x, x, 1);
}
static inline VD vdup(const double *f)
{
    return _mm256_permute4x64_pd(_mm256_castpd128_pd256(_mm_loadu_pd(f)), 0x50);
}

#if QS_F32
typedef __m256 V;
typedef uint32_t RU;   /* an R's bits */
#define VLB 2          /* log2 of the complex amplitudes in a V */
#define VOP(op) _mm256_##op##_ps
#define VSWAPRI_IMM 0xB1
static inline V vperm(V x, VI i) { return _mm256_permutevar8x32_ps(x, i); }
static inline VI vidx(const int *e) { return _mm256_loadu_si256((const void *)e); }
#define VD_PER_V 2
static inline void vtod(V x, VD *d)
{
    d[0] = _mm256_cvtps_pd(_mm256_castps256_ps128(x));
    d[1] = _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1));
}
#else
typedef __m256d V;
typedef uint64_t RU;
#define VLB 1
#define VOP(op) _mm256_##op##_pd
#define VSWAPRI_IMM 0x5
/* No variable double permute across 128-bit halves: move each double as
 * two floats. */
static inline V vperm(V x, VI i)
{
    return _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(x), i));
}
static inline VI vidx(const int *e)
{
    int f[8];
    for (int k = 0; k < 8; k++)
        f[k] = 2 * e[k / 2] + (k & 1);
    return _mm256_loadu_si256((const void *)f);
}
#define VD_PER_V 1
static inline void vtod(V x, VD *d) { d[0] = x; }
#endif

#include "backend/simd/vec_ops.h"
