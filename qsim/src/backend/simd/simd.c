/*
 * simd.c - the backend descriptors of the SIMD kernels: availability by
 * cpuid (the compiler's __builtin_cpu_supports, which also checks that
 * the OS saves the wide registers) and ops tables built on first use.
 * Compiled without SIMD flags: it runs on every machine.
 */
#include "config.h"
#include "backend/cpu/cpu.h"
#include "backend/simd/simd.h"

#include <pthread.h>

typedef struct {
    pthread_once_t once;
    void (*fill_f64)(qs__kernels *), (*fill_f32)(qs__kernels *);
    qs__kernels f64, f32;
} simd_tables;

#define SIMD_BACKEND(isa, label, test)                                              \
    static simd_tables isa##_tables = {PTHREAD_ONCE_INIT, qs__##isa##_fill_f64,       \
                                       qs__##isa##_fill_f32, {0}, {0}};               \
    static void isa##_init(void)                                                    \
    {                                                                               \
        isa##_tables.fill_f64(&isa##_tables.f64);                                   \
        isa##_tables.fill_f32(&isa##_tables.f32);                                   \
    }                                                                               \
    static const qs__kernels *isa##_kernels(int f32)                                \
    {                                                                               \
        pthread_once(&isa##_tables.once, isa##_init);                               \
        return f32 ? &isa##_tables.f32 : &isa##_tables.f64;                         \
    }                                                                               \
    static int isa##_available(void)                                                \
    {                                                                               \
        __builtin_cpu_init();                                                       \
        return test;                                                                \
    }                                                                               \
    const qs__backend qs__backend_##isa = {                                         \
        .name = label,                                                              \
        .host_memory = 1,                                                           \
        .available = isa##_available,                                               \
        .kernels = isa##_kernels,                                                   \
        .alloc = qs__cpu_alloc,                                                     \
        .free = qs__cpu_free,                                                       \
        .qft = qs__cpu_qft,                                                         \
        .blocked_run = qs__cpu_blocked_run,                                         \
    };

#ifdef QS_HAVE_AVX512
SIMD_BACKEND(avx512, "cpu-avx512",
             __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                 __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma"))
#endif
#ifdef QS_HAVE_AVX2
SIMD_BACKEND(avx2, "cpu-avx2", __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
#endif
