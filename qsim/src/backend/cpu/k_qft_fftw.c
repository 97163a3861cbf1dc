/*
 * k_qft_fftw.c - the QFT on a contiguous range of qubits through FFTW.
 *
 * Viewing the amplitudes as [high][mid][low] with mid the `count` qubits
 * from `first`, the QFT is a length-2^count DFT along mid, with stride
 * 2^first, repeated for every (high, low): one guru plan, in place.  The
 * QFT's e^{+2 pi i jk/N} is FFTW's BACKWARD sign; 1/sqrt(N) is one more
 * scaling pass.  Plans are made once per (range, direction, threads) and
 * kept with the state; the planner is not thread-safe, so planning is
 * serialised.
 */
#include "config.h"
#include "backend/cpu/cpu.h"
#include "backend/cpu/parfor.h"

#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct qft_plan {
    int first, count, inv, threads;
    void *plan;   /* fftw_plan or fftwf_plan */
    struct qft_plan *next;
} qft_plan;

static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t threads_once = PTHREAD_ONCE_INIT;

static void init_threads(void)
{
#ifdef QS_HAVE_FFTW_OMP
    fftw_init_threads();
    fftwf_init_threads();
#endif
}

static void *make_plan(qs__sv *sv, int first, int count, int inv, int threads)
{
    fftw_iodim dim = {.n = 1 << count, .is = 1 << first, .os = 1 << first};
    fftw_iodim hm[2];
    int rank = 0;
    if (first > 0)
        hm[rank++] = (fftw_iodim){.n = 1 << first, .is = 1, .os = 1};
    int high = sv->nq - first - count;
    if (high > 0)
        hm[rank++] = (fftw_iodim){.n = 1 << high, .is = 1 << (first + count), .os = 1 << (first + count)};
    int sign = inv ? FFTW_FORWARD : FFTW_BACKWARD;
    void *plan;
    pthread_once(&threads_once, init_threads);
    pthread_mutex_lock(&planner_lock);
#ifdef QS_HAVE_FFTW_OMP
    fftw_plan_with_nthreads(threads);
    fftwf_plan_with_nthreads(threads);
#endif
    if (sv->f32)
        plan = fftwf_plan_guru_dft(1, (const fftwf_iodim *)&dim, rank, (const fftwf_iodim *)hm,
                                   sv->amps, sv->amps, sign, FFTW_ESTIMATE);
    else
        plan = fftw_plan_guru_dft(1, &dim, rank, hm, sv->amps, sv->amps, sign, FFTW_ESTIMATE);
    pthread_mutex_unlock(&planner_lock);
    return plan;
}

qs_status qs__cpu_qft(qs__sv *sv, int first, int count, int inv)
{
    int threads = qs__threads_for(sv->len);
    qft_plan *p = sv->be_data;
    while (p && !(p->first == first && p->count == count && p->inv == inv && p->threads == threads))
        p = p->next;
    if (!p) {
        p = malloc(sizeof *p);
        if (!p)
            return QS_ENOMEM;
        p->plan = make_plan(sv, first, count, inv, threads);
        if (!p->plan) {
            free(p);
            return QS_ENOMEM;
        }
        p->first = first;
        p->count = count;
        p->inv = inv;
        p->threads = threads;
        p->next = sv->be_data;
        sv->be_data = p;
    }
    if (sv->f32)
        fftwf_execute(p->plan);
    else
        fftw_execute(p->plan);
    double s[2] = {1.0 / sqrt(ldexp(1.0, count)), 0};
    sv->k->scale(sv, s);
    return QS_OK;
}

void qs__cpu_qft_free(qs__sv *sv)
{
    qft_plan *p = sv->be_data;
    pthread_mutex_lock(&planner_lock);   /* destroy_plan touches planner state */
    while (p) {
        qft_plan *next = p->next;
        if (sv->f32)
            fftwf_destroy_plan(p->plan);
        else
            fftw_destroy_plan(p->plan);
        free(p);
        p = next;
    }
    pthread_mutex_unlock(&planner_lock);
    sv->be_data = NULL;
}
