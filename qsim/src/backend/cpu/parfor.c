/*
 * parfor.c - OpenMP lives here and nowhere else.  Implements the thread
 * count setting, the static parallel-for and the deterministic blocked
 * reduction of parfor.h, and qs_parallel_for(): independent tasks (whole
 * simulations) side by side, with the kernels inside them on one thread.
 */
#include "config.h"
#include "backend/cpu/parfor.h"
#include "core/error.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Kernels run with subnormal numbers flushed to zero (FTZ, and DAZ on
 * inputs), on whichever thread runs them, and the caller's floating-point
 * state is restored after.  A gate applied by FMA leaves residues of about
 * one rounding error where an amplitude should be exactly zero; layers of
 * gates scale them down into the subnormal range, where each arithmetic
 * operation takes a microcode assist of ~100 cycles: H on every qubit of a
 * 20-qubit single-precision state from |+...+> ran at 7-10 passes per gate
 * instead of 1.  What is flushed lies below 1.2e-38 (single) or 2.2e-308
 * (double) in magnitude, far below the precision of any amplitude. */
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define QS_FTZ_DAZ 0x8040u
static inline unsigned fp_enter(void)
{
    unsigned c = _mm_getcsr();
    if ((c & QS_FTZ_DAZ) != QS_FTZ_DAZ)
        _mm_setcsr(c | QS_FTZ_DAZ);
    return c;
}
static inline void fp_leave(unsigned c)
{
    if ((c & QS_FTZ_DAZ) != QS_FTZ_DAZ)
        _mm_setcsr(c);
}
#else
static inline unsigned fp_enter(void) { return 0; }
static inline void fp_leave(unsigned c) { (void)c; }
#endif

static atomic_int num_threads;   /* 0: not chosen yet */
/* Set while this thread runs a task of qs_parallel_for(): its kernels then
 * stay on this thread instead of opening a nested parallel region. */
static _Thread_local int in_task;

static int default_threads(void)
{
#ifdef _OPENMP
    int n = omp_get_max_threads();   /* honours OMP_NUM_THREADS */
    return n > QS_MAX_THREADS ? QS_MAX_THREADS : n;
#else
    return 1;
#endif
}

QS_API qs_status qs_set_num_threads(int n)
{
    if (n < 0 || n > QS_MAX_THREADS)
        return qs__fail(QS_EINVAL, __func__, "num_threads %d is out of range (0 to %d)", n,
                        QS_MAX_THREADS);
    atomic_store(&num_threads, n == 0 ? default_threads() : n);
    return QS_OK;
}

QS_API int qs_get_num_threads(void)
{
    int n = atomic_load(&num_threads);
    if (n == 0) {
        n = default_threads();
        atomic_store(&num_threads, n);
    }
    return n;
}

int qs__threads_for(uint64_t amps)
{
    if (amps < 2 * QS__PAR_MIN_AMPS || in_task)
        return 1;
    int t = qs_get_num_threads();
    uint64_t most = amps / QS__PAR_MIN_AMPS;
    return (uint64_t)t > most ? (int)most : t;
}

void qs__parfor(uint64_t n, int log2_amps, qs__range_fn fn, void *ctx)
{
    int nt = qs__threads_for(n << log2_amps);
    if (nt <= 1) {
        unsigned fp = fp_enter();
        fn(ctx, 0, n);
        fp_leave(fp);
        return;
    }
#ifdef _OPENMP
#pragma omp parallel num_threads(nt)
    {
        uint64_t t = (uint64_t)omp_get_thread_num(), T = (uint64_t)omp_get_num_threads();
        /* Slices end on multiples of 8 items, so two threads never write
         * the same cache line of a contiguous run. */
        uint64_t lo = (n * t / T) & ~UINT64_C(7), hi = t + 1 == T ? n : (n * (t + 1) / T) & ~UINT64_C(7);
        unsigned fp = fp_enter();
        if (lo < hi)
            fn(ctx, lo, hi);
        fp_leave(fp);
    }
#else
    unsigned fp = fp_enter();
    fn(ctx, 0, n);
    fp_leave(fp);
#endif
}

int qs__parfor_tasks(uint64_t n, int max_threads, qs__task_range_fn fn, void *ctx)
{
    int nt = in_task ? 1 : max_threads;
#ifndef _OPENMP
    nt = 1;
#endif
    if ((uint64_t)nt > n)
        nt = n > 0 ? (int)n : 1;
    if (nt <= 1) {
        int outer = in_task;
        in_task = 1;
        unsigned fp = fp_enter();
        fn(ctx, 0, 0, n);
        fp_leave(fp);
        in_task = outer;
        return 1;
    }
#ifdef _OPENMP
#pragma omp parallel num_threads(nt)
    {
        uint64_t t = (uint64_t)omp_get_thread_num(), T = (uint64_t)omp_get_num_threads();
        in_task = 1;
        unsigned fp = fp_enter();
        fn(ctx, (int)t, n * t / T, n * (t + 1) / T);
        fp_leave(fp);
        in_task = 0;
    }
#endif
    return nt;
}

/* Partials live on the stack: at most this many doubles in all. */
#define MAX_PARTIALS 4096
/* A block holds at least this many amplitudes. */
#define MIN_BLOCK_AMPS (UINT64_C(1) << 12)

void qs__parreduce(uint64_t n, int log2_amps, int width, qs__reduce_fn fn,
                   void *ctx, double *out)
{
    uint64_t amps = n << log2_amps;
    uint64_t nblocks = amps / MIN_BLOCK_AMPS;
    uint64_t cap = (uint64_t)(MAX_PARTIALS / (width > 0 ? width : 1));
    if (nblocks > cap)
        nblocks = cap;
    if (nblocks > n)
        nblocks = n;
    memset(out, 0, sizeof(double) * (size_t)width);
    if (nblocks <= 1) {
        unsigned fp = fp_enter();
        fn(ctx, 0, n, out);
        fp_leave(fp);
        return;
    }
    double partial[MAX_PARTIALS];
    memset(partial, 0, sizeof(double) * (size_t)(nblocks * (uint64_t)width));
    int nt = qs__threads_for(amps);
    if (nt <= 1) {
        /* No parallel region at all: even an if(0) one sets up a team,
         * and allocates, which re-runs of compiled programs must not. */
        unsigned fp = fp_enter();
        for (uint64_t b = 0; b < nblocks; b++)
            fn(ctx, n * b / nblocks, n * (b + 1) / nblocks, partial + b * (uint64_t)width);
        fp_leave(fp);
    } else {
#ifdef _OPENMP
#pragma omp parallel num_threads(nt)
#endif
        {
            unsigned fp = fp_enter();
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
            for (uint64_t b = 0; b < nblocks; b++)
                fn(ctx, n * b / nblocks, n * (b + 1) / nblocks, partial + b * (uint64_t)width);
            fp_leave(fp);
        }
    }
    for (uint64_t b = 0; b < nblocks; b++)
        for (int w = 0; w < width; w++)
            out[w] += partial[b * (uint64_t)width + (uint64_t)w];
}

QS_API int qs_parallel_threads(size_t n, int nthreads)
{
    if (nthreads < 0 || nthreads > QS_MAX_THREADS)
        return 0;
    int t = nthreads ? nthreads : qs_get_num_threads();
    if (in_task || n < 2)
        return 1;
    return (size_t)t > n ? (int)n : t;
}

#define TASK_MSG_LEN 1024

QS_API qs_status qs_parallel_for(size_t n, int nthreads, qs_task_fn fn, void *ctx)
{
    if (!fn)
        return qs__fail(QS_EINVAL, __func__, "fn is NULL");
    if (nthreads < 0 || nthreads > QS_MAX_THREADS)
        return qs__fail(QS_EINVAL, __func__, "num_threads %d is out of range (0 to %d)",
                        nthreads, QS_MAX_THREADS);
    int T = qs_parallel_threads(n, nthreads);
    if (T <= 1) {
        /* Serial (also when nested in a task): the same order, the same
         * results. */
        int outer = in_task;
        in_task = 1;
        qs_status st = QS_OK;
        for (size_t i = 0; i < n && st == QS_OK; i++)
            st = fn(ctx, i, 0);
        in_task = outer;
        return st;
    }
    /* Each thread takes a contiguous slice in order and stops at its first
     * failure; the failure reported is the one of the lowest index, which
     * is the one a serial loop would have stopped at. */
    qs_status *fail_st = malloc(sizeof *fail_st * (size_t)T);
    char *msgs = malloc((size_t)T * TASK_MSG_LEN);
    if (!fail_st || !msgs) {
        free(fail_st);
        free(msgs);
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    for (int t = 0; t < T; t++)
        fail_st[t] = QS_OK;
#ifdef _OPENMP
#pragma omp parallel num_threads(T)
#endif
    {
#ifdef _OPENMP
        int t = omp_get_thread_num(), nt = omp_get_num_threads();
#else
        int t = 0, nt = 1;
#endif
        size_t lo = n * (size_t)t / (size_t)nt, hi = n * (size_t)(t + 1) / (size_t)nt;
        in_task = 1;
        for (size_t i = lo; i < hi; i++) {
            qs_status st = fn(ctx, i, t);
            if (st != QS_OK) {
                fail_st[t] = st;
                snprintf(msgs + (size_t)t * TASK_MSG_LEN, TASK_MSG_LEN, "%s", qs_last_error());
                break;
            }
        }
        in_task = 0;
    }
    qs_status st = QS_OK;
    for (int t = 0; t < T; t++)
        if (fail_st[t] != QS_OK) {
            st = qs__fail_text(fail_st[t], msgs + (size_t)t * TASK_MSG_LEN);
            break;
        }
    free(fail_st);
    free(msgs);
    return st;
}
