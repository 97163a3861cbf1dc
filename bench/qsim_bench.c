/*
 * qsim_bench.c - times workloads against this machine's memory bandwidth.
 *
 * First measures, in the same run and with the same threads, one plain
 * in-place read+write pass over an array the size of the state; then times
 * each workload and reports its time per gate and the ratio to that pass
 * ("passes per gate": 1.0 means the gate ran at the bandwidth limit).
 * Medians over repeats.  Output: a table on stdout, JSON with --json FILE.
 *
 *   bench/qsim_bench [--qubits 20,24] [--threads 1,2] [--repeats 5]
 *                    [--precision double,single] [--json FILE]
 */
#include <qsim/qsim.h>

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* One in-place read+write pass over the state's memory (scale by a
 * constant), parallel with the same static split the kernels use. */
static void plain_pass(double *a, size_t n, int threads)
{
#pragma omp parallel for schedule(static) num_threads(threads)
    for (size_t i = 0; i < n; i++)
        a[i] *= 0.9999999;
}

static void plain_pass_f(float *a, size_t n, int threads)
{
#pragma omp parallel for schedule(static) num_threads(threads)
    for (size_t i = 0; i < n; i++)
        a[i] *= 0.9999999f;
}

typedef struct {
    const char *name;
    int gates;                                    /* gates per call */
    void (*run)(qs_state *s, int n);
} workload;

static void w_h(qs_state *s, int n)
{
    for (int q = 0; q < n; q++)
        qs_state_apply_gate(s, QS_GATE_H, &q, NULL);
}
static void w_rx(qs_state *s, int n)
{
    double t = 0.3;
    for (int q = 0; q < n; q++)
        qs_state_apply_gate(s, QS_GATE_RX, &q, &t);
}
static void w_cx(qs_state *s, int n)
{
    for (int q = 0; q + 1 < n; q++) {
        int p[2] = {q, q + 1};
        qs_state_apply_gate(s, QS_GATE_CX, p, NULL);
    }
}
static void w_cz(qs_state *s, int n)
{
    for (int q = 0; q + 1 < n; q++) {
        int p[2] = {q, q + 1};
        qs_state_apply_gate(s, QS_GATE_CZ, p, NULL);
    }
}
static void w_cp(qs_state *s, int n)
{
    double l = 0.7;
    for (int q = 0; q + 1 < n; q++) {
        int p[2] = {q, q + 1};
        qs_state_apply_gate(s, QS_GATE_CP, p, &l);
    }
}

static const workload workloads[] = {
    {"h_every_qubit", 0, w_h},
    {"rx_every_qubit", 0, w_rx},
    {"cnot_neighbours", -1, w_cx},
    {"cz_neighbours", -1, w_cz},
    {"cp_neighbours", -1, w_cp},
};

static int parse_list(const char *s, int *out, int max)
{
    int n = 0;
    while (*s && n < max) {
        out[n++] = atoi(s);
        const char *c = strchr(s, ',');
        if (!c)
            break;
        s = c + 1;
    }
    return n;
}

int main(int argc, char **argv)
{
    int qubits[8] = {20, 24}, nqub = 2, threads[4] = {1, 2}, nthr = 2, repeats = 5;
    int precs[2] = {0, 1}, nprec = 2;
    const char *json = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--qubits") && i + 1 < argc)
            nqub = parse_list(argv[++i], qubits, 8);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            nthr = parse_list(argv[++i], threads, 4);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--precision") && i + 1 < argc) {
            const char *p = argv[++i];
            nprec = 0;
            if (strstr(p, "double"))
                precs[nprec++] = 0;
            if (strstr(p, "single"))
                precs[nprec++] = 1;
        } else if (!strcmp(argv[i], "--json") && i + 1 < argc)
            json = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--qubits 20,24] [--threads 1,2] [--repeats N] "
                            "[--precision double,single] [--json FILE]\n", argv[0]);
            return 2;
        }
    }
    if (repeats < 1 || repeats > 1000)
        repeats = 5;
    FILE *js = json ? fopen(json, "w") : NULL;
    if (js)
        fprintf(js, "{\"backend\": \"%s\", \"results\": [\n", qs_backend_default());
    int first = 1;
    printf("%-18s %6s %3s %4s %12s %12s %10s\n", "workload", "prec", "thr", "n", "pass (ms)",
           "per gate(ms)", "passes/gate");
    for (int pi = 0; pi < nprec; pi++)
        for (int ti = 0; ti < nthr; ti++)
            for (int ni = 0; ni < nqub; ni++) {
                int n = qubits[ni], t = threads[ti], f32 = precs[pi];
                qs_set_num_threads(t);
                qs_state *s;
                if (qs_state_create(n, f32 ? QS_STATE_F32 : 0, &s) != QS_OK) {
                    fprintf(stderr, "%s\n", qs_last_error());
                    return 1;
                }
                qs_state_set_uniform(s);
                void *data;
                qs_state_data(s, &data);
                size_t reals = (size_t)2 << n;
                double tm[1000];
                for (int r = 0; r < repeats; r++) {
                    double t0 = now();
                    if (f32)
                        plain_pass_f(data, reals, t);
                    else
                        plain_pass(data, reals, t);
                    tm[r] = now() - t0;
                }
                double pass = median(tm, repeats);
                for (size_t w = 0; w < sizeof workloads / sizeof *workloads; w++) {
                    int gates = n + workloads[w].gates;
                    workloads[w].run(s, n);   /* warm-up */
                    for (int r = 0; r < repeats; r++) {
                        double t0 = now();
                        workloads[w].run(s, n);
                        tm[r] = now() - t0;
                    }
                    double per = median(tm, repeats) / gates;
                    printf("%-18s %6s %3d %4d %12.3f %12.3f %10.2f\n", workloads[w].name,
                           f32 ? "single" : "double", t, n, pass * 1e3, per * 1e3, per / pass);
                    if (js) {
                        fprintf(js, "%s  {\"workload\": \"%s\", \"precision\": \"%s\", \"threads\": %d, "
                                    "\"qubits\": %d, \"pass_s\": %.6e, \"per_gate_s\": %.6e, "
                                    "\"passes_per_gate\": %.4f}",
                                first ? "" : ",\n", workloads[w].name, f32 ? "single" : "double",
                                t, n, pass, per, per / pass);
                        first = 0;
                    }
                }
                qs_state_destroy(s);
            }
    if (js) {
        fprintf(js, "\n]}\n");
        fclose(js);
    }
    return 0;
}
