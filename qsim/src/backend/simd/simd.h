/*
 * simd.h - the SIMD backends "cpu-avx512" and "cpu-avx2" (internal).
 * Their kernels are compiled from simd/k_simd.h with each ISA's flags into
 * convenience libraries; simd.c, compiled without those flags, tests the
 * CPU and builds the ops tables.  Storage and the FFTW QFT are the generic
 * CPU backend's.
 */
#ifndef QS_SIMD_SIMD_H
#define QS_SIMD_SIMD_H

#include "backend/backend.h"

/* Copy the portable ops of one precision and put the SIMD ones in place
 * (avx2/avx2_f64.c ...). */
void qs__avx2_fill_f64(qs__kernels *k);
void qs__avx2_fill_f32(qs__kernels *k);
void qs__avx512_fill_f64(qs__kernels *k);
void qs__avx512_fill_f32(qs__kernels *k);

extern const qs__backend qs__backend_avx2;
extern const qs__backend qs__backend_avx512;

#endif
