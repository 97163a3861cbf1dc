/*
 * k_qft_fftw.c - the QFT on a contiguous range of qubits through FFTW.
 *
 * Viewing the amplitudes as [high][mid][low] with mid the `count` qubits
 * from `first`, the QFT is a length-N = 2^count DFT along mid, with stride
 * F = 2^first, repeated for every (high, low).  The QFT's e^{+2 pi i jk/N}
 * is FFTW's BACKWARD sign.
 *
 * From count >= FOUR_MIN the transform is the four-step method with N =
 * N1 N2 (N2 = N1 or 2 N1), j = j1 + N1 j2, k = k2 + N2 k1: (1) length-N2
 * DFTs over j2 for every j1, gathered B columns at a time into a small
 * buffer (the columns lie N1 F apart: a power-of-two stride that would
 * thrash the cache's sets), each element times the twiddle w^{j1 k2} and
 * 1/sqrt(N) on the way back; (2) length-N1 DFTs over j1 in place, each row
 * a contiguous block; (3) the transpose k1 + N1 k2 -> k2 + N2 k1 (a square
 * one, plus an interleave of half-blocks when count is odd).  About three
 * passes over memory, and every small transform runs on one thread with
 * one single-threaded FFTW_ESTIMATE plan: the threads are ours (qs__parfor),
 * the work each does is the same whatever their number, so the bits are
 * the same for any thread count and run to run (a FFTW_MEASURE or
 * multi-threaded plan picks its algorithm by timing or thread count).
 * Smaller transforms are one guru plan, in place, with 1/sqrt(N) one more
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
#include <string.h>

#define FOUR_MIN 10    /* count from which the four-step method is used */
#define FOUR_TILE 16   /* transpose tiles of 16 x 16 units */
/* N1 >= 2^(FOUR_MIN/2): at least two tile rows, paired in step 3 */
_Static_assert((1 << (FOUR_MIN / 2)) >= 2 * FOUR_TILE, "four-step transpose needs 2 tile rows");

typedef struct four {
    int first, c2, odd, threads;
    uint64_t F, N1, N2, S, H, B;   /* S: amplitudes of a [mid][low] block; H: blocks */
    double *tw_hi, *tw_lo;         /* w^(x N2) / sqrt(N) for x < N1, w^y for y < N2 */
    void *p1, *p2;                 /* step 1 on a buffer, step 2 on a row */
    void **buf;                    /* one per thread (step 1; step 3 of odd counts) */
} four;

typedef struct {
    const four *f;
    void *amps;
} four_run;

typedef struct qft_plan {
    int first, count, inv, threads;
    void *plan;   /* fftw_plan or fftwf_plan (count < FOUR_MIN) */
    four *four;   /* or the four-step method's plans and tables */
    struct qft_plan *next;
} qft_plan;

#define QR double
#define QC fftw_complex
#define QF(x) fftw_##x
#define QN(x) x##_f64
#include "backend/cpu/k_qft_four.h"
#undef QR
#undef QC
#undef QF
#undef QN
#define QR float
#define QC fftwf_complex
#define QF(x) fftwf_##x
#define QN(x) x##_f32
#include "backend/cpu/k_qft_four.h"
#undef QR
#undef QC
#undef QF
#undef QN

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

/* Per-thread buffer of the four-step method: at most this many amplitudes
 * (an odd count's interleave needs 2 N1 F; past this, one guru plan). */
#define FOUR_BUF_MAX (UINT64_C(1) << 20)

static void four_free(four *f, int f32)
{
    if (!f)
        return;
    if (f->p1)
        f32 ? fftwf_destroy_plan(f->p1) : fftw_destroy_plan(f->p1);
    if (f->p2)
        f32 ? fftwf_destroy_plan(f->p2) : fftw_destroy_plan(f->p2);
    for (int t = 0; f->buf && t < f->threads; t++)
        free(f->buf[t]);
    free(f->buf);
    free(f->tw_hi);
    free(f->tw_lo);
    free(f);
}

/* The four-step method's plans, tables and buffers, or NULL where it does
 * not apply (*st QS_OK) or memory ran out (*st QS_ENOMEM).  Called with
 * the planner lock held. */
static four *four_make(qs__sv *sv, int first, int count, int inv, int threads, qs_status *st)
{
    *st = QS_OK;
    if (count < FOUR_MIN)
        return NULL;
    const int c1 = count / 2, c2 = count - c1;
    const uint64_t F = UINT64_C(1) << first, N1 = UINT64_C(1) << c1, N2 = UINT64_C(1) << c2;
    uint64_t B = (UINT64_C(1) << 15) / N2;
    B = B < 8 ? 8 : B;
    B = B > N1 * F ? N1 * F : B;
    uint64_t elems = N2 * B;
    if (c2 != c1 && 2 * N1 * F > elems)
        elems = 2 * N1 * F;
    if (elems > FOUR_BUF_MAX)
        return NULL;
    four *f = calloc(1, sizeof *f);
    if (!f || !(f->buf = calloc((size_t)threads, sizeof *f->buf)))
        goto oom;
    *f = (four){.first = first, .c2 = c2, .odd = c2 != c1, .threads = threads,
                .F = F, .N1 = N1, .N2 = N2, .S = F << count, .H = sv->len >> (first + count),
                .B = B, .buf = f->buf};
    const size_t bytes = ((size_t)elems * (sv->f32 ? 8 : 16) + 63) / 64 * 64;
    for (int t = 0; t < threads; t++)
        if (!(f->buf[t] = aligned_alloc(64, bytes)))
            goto oom;
    f->tw_hi = malloc(sizeof(double) * 2 * N1);
    f->tw_lo = malloc(sizeof(double) * 2 * N2);
    if (!f->tw_hi || !f->tw_lo)
        goto oom;
    const double sgn = inv ? -1.0 : 1.0, scale = 1.0 / sqrt(ldexp(1.0, count));
    for (uint64_t x = 0; x < N1; x++) {
        double t = 2 * M_PI * (double)x / (double)N1;
        f->tw_hi[2 * x] = scale * cos(t);
        f->tw_hi[2 * x + 1] = scale * sgn * sin(t);
    }
    for (uint64_t y = 0; y < N2; y++) {
        double t = 2 * M_PI * (double)y / ldexp(1.0, count);
        f->tw_lo[2 * y] = cos(t);
        f->tw_lo[2 * y + 1] = sgn * sin(t);
    }
    const int sign = inv ? FFTW_FORWARD : FFTW_BACKWARD;
#ifdef QS_HAVE_FFTW_OMP
    fftw_plan_with_nthreads(1);
    fftwf_plan_with_nthreads(1);
#endif
    if (sv->f32) {
        f->p1 = plan1_f32(f, sign);
        f->p2 = plan2_f32(f, sv->amps, sign);
    } else {
        f->p1 = plan1_f64(f, sign);
        f->p2 = plan2_f64(f, sv->amps, sign);
    }
    if (!f->p1 || !f->p2)
        goto oom;
    return f;
oom:
    four_free(f, sv->f32);
    *st = QS_ENOMEM;
    return NULL;
}

qs_status qs__cpu_qft(qs__sv *sv, int first, int count, int inv)
{
    int threads = qs__threads_for(sv->len);
    qft_plan *p = sv->be_data;
    while (p && !(p->first == first && p->count == count && p->inv == inv && p->threads == threads))
        p = p->next;
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return QS_ENOMEM;
        qs_status st;
        pthread_once(&threads_once, init_threads);
        pthread_mutex_lock(&planner_lock);
        p->four = four_make(sv, first, count, inv, threads, &st);
        pthread_mutex_unlock(&planner_lock);
        if (st != QS_OK) {
            free(p);
            return st;
        }
        if (!p->four && !(p->plan = make_plan(sv, first, count, inv, threads))) {
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
    if (p->four) {
        if (sv->f32)
            run_f32(p->four, sv->amps);
        else
            run_f64(p->four, sv->amps);
        return QS_OK;
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
        if (p->four)
            four_free(p->four, sv->f32);
        else if (sv->f32)
            fftwf_destroy_plan(p->plan);
        else
            fftw_destroy_plan(p->plan);
        free(p);
        p = next;
    }
    pthread_mutex_unlock(&planner_lock);
    sv->be_data = NULL;
}
