/*
 * avx512_f32.c - the SIMD kernels (simd/k_simd.h, k_simd_reduce.h) instantiated for float
 * amplitudes with the avx512 vector layer (avx512/vec.h).  Compiled with
 * $(AVX512_CFLAGS); runs only where the CPU has them.
 */
#include "config.h"
#include "backend/cpu/cpu.h"
#include "backend/cpu/parfor.h"
#include "backend/simd/simd.h"
#include "backend/simplify.h"
#include "core/bits.h"

#include <string.h>

#define R float
#define QS_F32 1
#include "backend/avx512/vec.h"
#include "backend/simd/k_simd.h"
#include "backend/simd/k_simd_reduce.h"

void qs__avx512_fill_f32(qs__kernels *k) { simd_fill(k); }
