/*
 * vec.h - the vector layer of the AVX-512 backend: one V holds VL complex
 * amplitudes of type R, interleaved (re, im) as in memory.  Only files
 * compiled with $(AVX512_CFLAGS) include it; simd/k_simd.h is written
 * against these names (avx2/vec.h has the same ones, simd/vec_ops.h the
 * operations spelt alike on both).
 */
#include <immintrin.h>

typedef __m512i VI;    /* lane permutation */
typedef __m512d VD;    /* reductions accumulate in double */
#define VDOP(op) _mm512_##op##_pd
#define VDSWAPRI_IMM 0x55
/* Swaps the doubles of a VD whose indices differ in bit h (1, 2 or 4). */
static inline VD vdflip(VD x, int h)
{
    return h == 1 ? _mm512_permute_pd(x, 0x55)
         : h == 2 ? _mm512_permutex_pd(x, 0x4E)
                  : _mm512_shuffle_f64x2(x, x, 0x4E);
}
static inline VD vdup(const double *f)
{
    return _mm512_permutexvar_pd(_mm512_setr_epi64(0, 0, 1, 1, 2, 2, 3, 3),
                                 _mm512_castpd256_pd512(_mm256_loadu_pd(f)));
}

#if QS_F32
typedef __m512 V;
typedef uint32_t RU;   /* an R's bits */
#define VLB 3          /* log2 of the complex amplitudes in a V */
#define VOP(op) _mm512_##op##_ps
#define VSWAPRI_IMM 0xB1
static inline V vperm(V x, VI i) { return _mm512_permutexvar_ps(i, x); }
static inline VI vidx(const int *e) { return _mm512_loadu_si512((const void *)e); }
#define VD_PER_V 2
static inline void vtod(V x, VD *d)
{
    d[0] = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
    d[1] = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
}
#else
typedef __m512d V;
typedef uint64_t RU;
#define VLB 2
#define VOP(op) _mm512_##op##_pd
#define VSWAPRI_IMM 0x55
static inline V vperm(V x, VI i) { return _mm512_permutexvar_pd(i, x); }
static inline VI vidx(const int *e)
{
    return _mm512_cvtepi32_epi64(_mm256_loadu_si256((const void *)e));
}
#define VD_PER_V 1
static inline void vtod(V x, VD *d) { d[0] = x; }
#endif

#include "backend/simd/vec_ops.h"
