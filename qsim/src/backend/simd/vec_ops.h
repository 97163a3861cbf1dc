/*
 * vec_ops.h - the vector operations every ISA spells alike, written once
 * (internal).  An ISA's vec.h defines V, VD, R, VOP(op) (the intrinsic for
 * op on V: _mm512_op_pd ...), VDOP(op) (on VD, doubles), VSWAPRI_IMM and
 * VDSWAPRI_IMM (the in-lane permute that swaps re and im), then includes
 * this file; it adds what differs: lane permutes (vperm, vidx), the
 * conversion of V to doubles (vtod), vdup (a VD holding each of
 * VD_DOUBLES / 2 doubles twice) and vdflip (swaps doubles across bit h).
 */

static inline V vload(const R *p) { return VOP(load)(p); }
static inline void vstore(R *p, V x) { VOP(store)(p, x); }
static inline V vset1(R x) { return VOP(set1)(x); }
static inline V vadd(V a, V b) { return VOP(add)(a, b); }
static inline V vmul(V a, V b) { return VOP(mul)(a, b); }
static inline V vfma(V a, V b, V c) { return VOP(fmadd)(a, b, c); }
static inline V vxor(V a, V b) { return VOP(xor)(a, b); }
static inline V vand(V a, V b) { return VOP(and)(a, b); }
static inline V vor(V a, V b) { return VOP(or)(a, b); }
/* (re, im) -> (im, re) in every complex */
static inline V vswapri(V x) { return VOP(permute)(x, VSWAPRI_IMM); }

static inline VD vdzero(void) { return VDOP(setzero)(); }
static inline VD vdadd(VD a, VD b) { return VDOP(add)(a, b); }
static inline VD vdsub(VD a, VD b) { return VDOP(sub)(a, b); }
static inline VD vdload(const double *p) { return VDOP(load)(p); }
static inline void vdstore(double *p, VD x) { VDOP(store)(p, x); }
static inline VD vdmul(VD a, VD b) { return VDOP(mul)(a, b); }
static inline VD vdfma(VD a, VD b, VD c) { return VDOP(fmadd)(a, b, c); }
static inline VD vdswapri(VD x) { return VDOP(permute)(x, VDSWAPRI_IMM); }
#define VD_DOUBLES ((int)(sizeof(VD) / sizeof(double)))
