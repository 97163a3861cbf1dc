/*
 * calibrate.c - qs_cost_model_calibrate: the fusion cost rows measured on
 * this machine (the format cost_model.c reads).
 *
 * Each figure is the time per amplitude of one op applied to a 2^14-
 * amplitude state (one cache block, in L2), one thread, the median over 8
 * random target placements, each timed over at least 2 ms.  The matrices
 * are unitary (phased DFTs, phases, permutations) so repeated application
 * keeps the state normal: denormals would time something else.
 */
#define _GNU_SOURCE
#include "ir/cost_model.h"
#include "core/error.h"
#include "core/file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CAL_QUBITS 14
#define PLACEMENTS 8

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ns per amplitude of one op of a kind (0 dense, 1 diag, 2 perm) on k
 * targets, on state s. */
static int pick(qs_rng *r, int n)
{
    double u = 0;
    qs_rng_uniform(r, &u);
    return (int)(u * n) % n;
}

static qs_status time_kind(qs_state *s, int kind, int k, qs_rng *rng, double *out)
{
    int d = 1 << k;
    double m[2 * 32 * 32], per[PLACEMENTS];
    uint32_t perm[32];
    for (int pl = 0; pl < PLACEMENTS; pl++) {
        int t[5];
        for (int i = 0; i < k; i++) {   /* distinct random targets */
            int dup;
            do {
                t[i] = pick(rng, CAL_QUBITS);
                dup = 0;
                for (int j = 0; j < i; j++)
                    dup |= t[j] == t[i];
            } while (dup);
        }
        for (int j = 0; j < d; j++) {
            double a = 2 * M_PI * pick(rng, 1 << 20) / (double)(1 << 20);
            perm[j] = (uint32_t)j;
            if (kind != 0) {
                m[2 * j] = cos(a);
                m[2 * j + 1] = sin(a);
                continue;
            }
            for (int c = 0; c < d; c++) {   /* row j of diag(phases) . DFT */
                double w = a + 2 * M_PI * (double)(j * c) / d;
                m[2 * (j * d + c)] = cos(w) / sqrt(d);
                m[2 * (j * d + c) + 1] = sin(w) / sqrt(d);
            }
        }
        for (int j = d - 1; j > 0; j--) {   /* a random permutation */
            int r = pick(rng, j + 1);
            uint32_t x = perm[j];
            perm[j] = perm[r];
            perm[r] = x;
        }
        int reps = 0;
        double t0 = now(), t1;
        do {
            qs_status st = kind == 0 ? qs_state_apply_matrix(s, t, k, NULL, NULL, 0, m)
                         : kind == 1 ? qs_state_apply_diagonal(s, t, k, NULL, NULL, 0, m)
                                     : qs_state_apply_permutation(s, t, k, NULL, NULL, 0, perm, NULL);
            if (st != QS_OK)
                return st;
            reps++;
            t1 = now();
        } while (t1 - t0 < 2e-3 || reps < 3);
        per[pl] = (t1 - t0) / reps;
    }
    qsort(per, PLACEMENTS, sizeof *per, cmp);
    *out = 0.5 * (per[PLACEMENTS / 2 - 1] + per[PLACEMENTS / 2]) * 1e9 / (double)(1u << CAL_QUBITS);
    return QS_OK;
}

static qs_status measure_backend(const char *name, FILE *f)
{
    static const char *kinds[3] = {"dense", "diag", "perm"};
    qs_state *s;
    QS_TRY(qs_backend_select(name));
    QS_TRY(qs_state_create(CAL_QUBITS, 0, &s));
    qs_rng *rng;
    qs_status st = qs_rng_create(77, &rng);
    if (st != QS_OK) {
        qs_state_destroy(s);
        return st;
    }
    st = qs_state_set_uniform(s);
    for (int kind = 0; kind < 3 && st == QS_OK; kind++) {
        fprintf(f, "%s %s", name, kinds[kind]);
        for (int k = 1; k <= 5 && st == QS_OK; k++) {
            double ns = 0;
            st = time_kind(s, kind, k, rng, &ns);
            fprintf(f, " %.3f", ns);
        }
        fprintf(f, "\n");
    }
    qs_rng_destroy(rng);
    qs_state_destroy(s);
    return st;
}

/* mkdir -p of the directory part of path. */
static qs_status make_dirs(const char *func, const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return QS_OK;
    *slash = 0;
    for (char *p = dir + 1; ; p++) {
        char c = *p;
        if (c != '/' && c != 0)
            continue;
        *p = 0;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return qs__fail(QS_EIO, func, "cannot make the directory %s: %s", dir, strerror(errno));
        *p = c;
        if (!c)
            return QS_OK;
    }
}

QS_API qs_status qs_cost_model_calibrate(const char *path)
{
    char cache[1024], cpu[256], prev[64];
    if (!path) {
        if (qs__cost_cache_path(cache, sizeof cache) != 0)
            return qs__fail(QS_EINVAL, __func__,
                            "no cache directory: neither XDG_CACHE_HOME nor HOME is set; "
                            "give a path");
        path = cache;
        QS_TRY(make_dirs(__func__, path));
    }
    qs_output *o;
    QS_TRY(qs__output_open(__func__, path, &o));
    FILE *f = qs_output_stream(o);
    qs__cpu_model(cpu, sizeof cpu);
    fprintf(f, "# qsim fusion cost model, written by qs_cost_model_calibrate (qsim --calibrate),\n"
               "# libqsim %s: ns per amplitude of one op on k = 1..5 targets, 2^%d double\n"
               "# amplitudes, one thread, median of %d placements\n"
               "machine %s\n", qs_version(), CAL_QUBITS, PLACEMENTS, cpu);
    snprintf(prev, sizeof prev, "%s", qs_backend_default());
    int threads = qs_get_num_threads();
    qs_set_num_threads(1);
    qs_status st = QS_OK;
    for (int i = 0; qs_backend_name(i) && st == QS_OK; i++)
        if (qs_backend_available(i))
            st = measure_backend(qs_backend_name(i), f);
    qs_set_num_threads(threads);
    qs_backend_select(prev);
    if (st != QS_OK) {
        qs_output_discard(o);
        return st;
    }
    QS_TRY(qs__output_commit(__func__, o));
    qs__cost_model_forget();
    return QS_OK;
}
