/*
 * parfor.h - the only door to threads (internal).  Kernels are written for
 * an index range [lo, hi); these helpers split ranges across OpenMP threads
 * and run serially below a size threshold.
 */
#ifndef QS_CPU_PARFOR_H
#define QS_CPU_PARFOR_H

#include <stdint.h>

/* Below this many amplitudes touched, one thread is faster: a fork/join
 * costs a few microseconds, about what one core needs for 2^14 amplitudes. */
#define QS__PAR_MIN_AMPS (UINT64_C(1) << 14)

/* Threads a kernel touching @amps amplitudes should use. */
int qs__threads_for(uint64_t amps);

typedef void (*qs__range_fn)(void *ctx, uint64_t lo, uint64_t hi);

/* Calls fn on a static contiguous split of [0, n) (one slice per thread),
 * where each item touches 2^log2_amps amplitudes.  The split is the same
 * for every kernel, so pages stay with the thread that first touched them. */
void qs__parfor(uint64_t n, int log2_amps, qs__range_fn fn, void *ctx);

/* Calls fn(ctx, thread, lo, hi) on a static contiguous split of [0, n)
 * across up to max_threads threads (at least one item each), with every
 * kernel that fn calls kept on the calling thread (as the tasks of
 * qs_parallel_for() are): the cache-blocked runs split their blocks this
 * way.  Returns the number of threads used. */
typedef void (*qs__task_range_fn)(void *ctx, int thread, uint64_t lo, uint64_t hi);
int qs__parfor_tasks(uint64_t n, int max_threads, qs__task_range_fn fn, void *ctx);

/* fn adds the contribution of items [lo, hi) to partial[0..width-1]. */
typedef void (*qs__reduce_fn)(void *ctx, uint64_t lo, uint64_t hi,
                              double *partial);

/* Deterministic reduction: [0, n) is cut into blocks whose number depends
 * only on n and width (never on the thread count); blocks are reduced in
 * parallel into zeroed partials and the partials are summed in block order.
 * out[0..width-1] receives the sum. */
void qs__parreduce(uint64_t n, int log2_amps, int width, qs__reduce_fn fn,
                   void *ctx, double *out);

#endif
