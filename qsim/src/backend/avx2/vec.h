/*
 * vec.h - the vector layer of the AVX2 backend: one V holds VL complex
 * amplitudes of type R, interleaved (re, im) as in memory.  Only files
 * compiled with $(AVX2_CFLAGS) include it; simd/k_simd.h is written
 * against these names (avx512/vec.h has the same ones).
 */
#include <immintrin.h>

#if QS_F32
typedef __m256 V;
typedef uint32_t RU;   /* an R's bits */
#define VLB 2          /* log2 of the complex amplitudes in a V */
static inline V vload(const R *p) { return _mm256_load_ps(p); }
static inline void vstore(R *p, V x) { _mm256_store_ps(p, x); }
static inline V vset1(R x) { return _mm256_set1_ps(x); }
static inline V vadd(V a, V b) { return _mm256_add_ps(a, b); }
static inline V vmul(V a, V b) { return _mm256_mul_ps(a, b); }
static inline V vfma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
/* (re, im) -> (im, re) in every complex */
static inline V vswapri(V x) { return _mm256_permute_ps(x, 0xB1); }
static inline V vxor(V a, V b) { return _mm256_xor_ps(a, b); }
static inline V vand(V a, V b) { return _mm256_and_ps(a, b); }
static inline V vor(V a, V b) { return _mm256_or_ps(a, b); }
/* Lane moves: 32-bit source indices, one per real. */
typedef __m256i VI;
static inline V vperm(V x, VI i) { return _mm256_permutevar8x32_ps(x, i); }
static inline VI vidx(const int *e)
{
    return _mm256_setr_epi32(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
}
/* Reductions accumulate in double: a V gives two VDs. */
typedef __m256d VD;
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
static inline V vload(const R *p) { return _mm256_load_pd(p); }
static inline void vstore(R *p, V x) { _mm256_store_pd(p, x); }
static inline V vset1(R x) { return _mm256_set1_pd(x); }
static inline V vadd(V a, V b) { return _mm256_add_pd(a, b); }
static inline V vmul(V a, V b) { return _mm256_mul_pd(a, b); }
static inline V vfma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
static inline V vswapri(V x) { return _mm256_permute_pd(x, 0x5); }
static inline V vxor(V a, V b) { return _mm256_xor_pd(a, b); }
static inline V vand(V a, V b) { return _mm256_and_pd(a, b); }
static inline V vor(V a, V b) { return _mm256_or_pd(a, b); }
/* AVX2 has no variable double permute across 128-bit halves: move the
 * doubles as pairs of floats. */
typedef __m256i VI;
static inline V vperm(V x, VI i)
{
    return _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(x), i));
}
static inline VI vidx(const int *e)
{
    return _mm256_setr_epi32(2 * e[0], 2 * e[0] + 1, 2 * e[1], 2 * e[1] + 1, 2 * e[2],
                             2 * e[2] + 1, 2 * e[3], 2 * e[3] + 1);
}
typedef __m256d VD;
#define VD_PER_V 1
static inline void vtod(V x, VD *d) { d[0] = x; }
#endif

static inline VD vdzero(void) { return _mm256_setzero_pd(); }
static inline VD vdfma(VD a, VD b, VD c) { return _mm256_fmadd_pd(a, b, c); }
static inline VD vdswapri(VD x) { return _mm256_permute_pd(x, 0x5); }
#define VD_DOUBLES 4
