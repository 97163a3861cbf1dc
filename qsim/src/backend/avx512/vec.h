/*
 * vec.h - the vector layer of the AVX-512 backend: one V holds VL complex
 * amplitudes of type R, interleaved (re, im) as in memory.  Only files
 * compiled with $(AVX512_CFLAGS) include it; simd/k_simd.h is written
 * against these names (avx2/vec.h has the same ones).
 */
#include <immintrin.h>

#if QS_F32
typedef __m512 V;
typedef __m512i VI;
typedef uint32_t RU;   /* an R's bits */
#define VLB 3          /* log2 of the complex amplitudes in a V */
static inline V vload(const R *p) { return _mm512_load_ps(p); }
static inline void vstore(R *p, V x) { _mm512_store_ps(p, x); }
static inline V vset1(R x) { return _mm512_set1_ps(x); }
static inline V vadd(V a, V b) { return _mm512_add_ps(a, b); }
static inline V vmul(V a, V b) { return _mm512_mul_ps(a, b); }
static inline V vfma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
/* (re, im) -> (im, re) in every complex */
static inline V vswapri(V x) { return _mm512_permute_ps(x, 0xB1); }
static inline V vperm(V x, VI i) { return _mm512_permutexvar_ps(i, x); }
static inline VI vidx(const int *e)
{
    return _mm512_setr_epi32(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9],
                             e[10], e[11], e[12], e[13], e[14], e[15]);
}
#define VCAST_I(x) _mm512_castps_si512(x)
#define VCAST_V(x) _mm512_castsi512_ps(x)
/* Reductions accumulate in double: a V gives two VDs. */
typedef __m512d VD;
#define VD_PER_V 2
static inline void vtod(V x, VD *d)
{
    d[0] = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
    d[1] = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
}
#else
typedef __m512d V;
typedef __m512i VI;
typedef uint64_t RU;
#define VLB 2
static inline V vload(const R *p) { return _mm512_load_pd(p); }
static inline void vstore(R *p, V x) { _mm512_store_pd(p, x); }
static inline V vset1(R x) { return _mm512_set1_pd(x); }
static inline V vadd(V a, V b) { return _mm512_add_pd(a, b); }
static inline V vmul(V a, V b) { return _mm512_mul_pd(a, b); }
static inline V vfma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
static inline V vswapri(V x) { return _mm512_permute_pd(x, 0x55); }
static inline V vperm(V x, VI i) { return _mm512_permutexvar_pd(i, x); }
static inline VI vidx(const int *e)
{
    return _mm512_setr_epi64(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
}
#define VCAST_I(x) _mm512_castpd_si512(x)
#define VCAST_V(x) _mm512_castsi512_pd(x)
typedef __m512d VD;
#define VD_PER_V 1
static inline void vtod(V x, VD *d) { d[0] = x; }
#endif

static inline V vxor(V a, V b) { return VCAST_V(_mm512_xor_si512(VCAST_I(a), VCAST_I(b))); }
static inline V vand(V a, V b) { return VCAST_V(_mm512_and_si512(VCAST_I(a), VCAST_I(b))); }
static inline V vor(V a, V b) { return VCAST_V(_mm512_or_si512(VCAST_I(a), VCAST_I(b))); }

static inline VD vdzero(void) { return _mm512_setzero_pd(); }
static inline VD vdfma(VD a, VD b, VD c) { return _mm512_fmadd_pd(a, b, c); }
static inline VD vdswapri(VD x) { return _mm512_permute_pd(x, 0x55); }
#define VD_DOUBLES 8
