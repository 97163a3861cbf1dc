/* cpu.h - the generic CPU backend's pieces, for registry.c and for faster
 * backends that reuse them (internal). */
#ifndef QS_CPU_CPU_H
#define QS_CPU_CPU_H

#include "backend/backend.h"

extern const qs__kernels qs__cpu_kernels_f64;
extern const qs__kernels qs__cpu_kernels_f32;

qs_status qs__cpu_alloc(qs__sv *sv);
void qs__cpu_free(qs__sv *sv);
/* k_qft_fftw.c */
qs_status qs__cpu_qft(qs__sv *sv, int first, int count, int inv);
void qs__cpu_qft_free(qs__sv *sv);
/* cpu_blocked.c */
struct qs__blocking;
qs_status qs__cpu_blocked_run(qs__sv *const *svs, int nstates, int nextra,
                              const struct qs__blocking *b, void *scratch,
                              qs_status (*fn)(void *ctx, uint64_t chunk, qs__sv *views),
                              void *ctx);

#endif
