/*
 * qsim_bench.c - times workloads against this machine's memory bandwidth.
 *
 * For each configuration (precision, threads, qubits) it measures, in the
 * same run and with the same threads, one plain in-place read+write pass
 * over an array the size of the state (a median of samples taken before
 * every workload, so that a change of load on a shared machine shows in
 * both), then times each workload and reports its time per gate and the
 * ratio to that pass ("passes per gate": 1.0 means the gate ran at the
 * bandwidth limit).  Medians over repeats; a workload repeats until it has
 * --repeats samples or has used --budget seconds (at least one sample).
 * Output: a table on stdout, JSON with --json FILE.
 *
 *   bench/qsim_bench [--qubits 20,24] [--threads 1,2] [--repeats 5]
 *                    [--precision double,single] [--budget 2]
 *                    [--workloads h,rx,...] [--json FILE] [--thp] [--cost-model]
 *
 * --thp instead checks that the state sits in transparent huge pages
 * (AnonHugePages of its mapping in /proc/self/smaps) and times a plain pass
 * over it against one over memory advised MADV_NOHUGEPAGE.
 */
#define _GNU_SOURCE
#include <qsim/qsim.h>

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
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
 * constant) with the widest vectors this CPU has and a static split of
 * the threads like the kernels': the memory bound every workload is
 * measured against (a scalar loop is 1.5-5x slower in single precision
 * and on states that sit in cache, which would flatter the ratios). */
#include <immintrin.h>

__attribute__((target("avx512f"))) static void pass512(void *p, size_t n, int f32)
{
    if (f32) {
        float *a = p;
        __m512 v = _mm512_set1_ps(0.9999999f);
        for (size_t i = 0; i + 16 <= n; i += 16)
            _mm512_storeu_ps(a + i, _mm512_mul_ps(_mm512_loadu_ps(a + i), v));
    } else {
        double *a = p;
        __m512d v = _mm512_set1_pd(0.9999999);
        for (size_t i = 0; i + 8 <= n; i += 8)
            _mm512_storeu_pd(a + i, _mm512_mul_pd(_mm512_loadu_pd(a + i), v));
    }
}

__attribute__((target("avx2"))) static void pass256(void *p, size_t n, int f32)
{
    if (f32) {
        float *a = p;
        __m256 v = _mm256_set1_ps(0.9999999f);
        for (size_t i = 0; i + 8 <= n; i += 8)
            _mm256_storeu_ps(a + i, _mm256_mul_ps(_mm256_loadu_ps(a + i), v));
    } else {
        double *a = p;
        __m256d v = _mm256_set1_pd(0.9999999);
        for (size_t i = 0; i + 4 <= n; i += 4)
            _mm256_storeu_pd(a + i, _mm256_mul_pd(_mm256_loadu_pd(a + i), v));
    }
}

static void pass_scalar(void *p, size_t n, int f32)
{
    for (size_t i = 0; i < n; i++) {
        if (f32)
            ((float *)p)[i] *= 0.9999999f;
        else
            ((double *)p)[i] *= 0.9999999;
    }
}

/* The vector width of the reference pass, for the output. */
static const char *pass_isa(void)
{
    return __builtin_cpu_supports("avx512f") ? "AVX-512" : __builtin_cpu_supports("avx2") ? "AVX2"
                                                                                          : "scalar";
}

/* Each thread scales its contiguous slice (whole vectors of 64 bytes). */
static void plain_pass(void *data, int n, int f32, int threads)
{
    size_t reals = (size_t)2 << n, per64 = f32 ? 16 : 8;
    void (*fn)(void *, size_t, int) = __builtin_cpu_supports("avx512f") ? pass512
                                      : __builtin_cpu_supports("avx2")  ? pass256
                                                                        : pass_scalar;
    char *base = data;
    size_t size = f32 ? 4 : 8;
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int t = 0; t < threads; t++) {
        size_t lo = reals * (size_t)t / (size_t)threads, hi = reals * (size_t)(t + 1) / (size_t)threads;
        lo -= lo % per64;
        hi = t + 1 == threads ? reals : hi - hi % per64;
        fn(base + lo * size, hi - lo, f32);
    }
}

/* ---- workloads ------------------------------------------------------------
 * A workload's unit is what one timed sample runs; it returns the number
 * of gates (or calls) in it. */

typedef struct {
    qs_state *s;
    int n;
    qs_rng *rng;
    qs_pauli_sum *obs;        /* n ZZ + n X terms */
    uint64_t *shots;          /* room for SHOTS outcomes */
    double u2[16 * 2];        /* a random 2-qubit unitary */
    int layer;                /* random circuit: next layer */
    uint64_t seed;
    /* random_d20_fused: the same circuit compiled, one parameter per
     * rotation, bound anew for each sample */
    qs_program *rprog;
    double *rparams;
    int nrparams, rgates;
    /* grad_*: the 20-qubit, 100-parameter gradient problem */
    qs_program *gprog, *gplain;   /* fused, and step by step */
    qs_pauli_sum *gham;
    qs_state *glam, *gwork;
    double gx[100], gg[100];
    /* vqe_small: value and adjoint gradient of a small ansatz */
    qs_program *vprog;
    qs_pauli_sum *vham;
    qs_state *vlam, *vwork;
    double vx[3 * 2 * 16], vg[3 * 2 * 16], venergy;
    int nvx;
    /* dm_*: a density matrix of n/2 qubits (4^(n/2) = 2^n amplitudes, the
     * size of the state) and a noisy circuit compiled for it */
    qs_density *dm;
    qs_program *dprog, *dplain;
    qs_circuit *tcirc;    /* traj_noisy: the noisy circuit on n/2 qubits */
    uint64_t tseed;       /* traj_noisy: its own stream (seed builds the circuits) */
    int dops;
} bctx;

#define SHOTS 1000000

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double uniform(uint64_t *s) { return (double)(next_rand(s) >> 11) * 0x1p-53; }

static int w_h(bctx *b)
{
    for (int q = 0; q < b->n; q++)
        qs_state_apply_gate(b->s, QS_GATE_H, &q, NULL);
    return b->n;
}

static int w_rx(bctx *b)
{
    double t = 0.3;
    for (int q = 0; q < b->n; q++)
        qs_state_apply_gate(b->s, QS_GATE_RX, &q, &t);
    return b->n;
}

static int neighbours(bctx *b, qs_gate g, const double *prm)
{
    for (int q = 0; q + 1 < b->n; q++) {
        int p[2] = {q, q + 1};
        qs_state_apply_gate(b->s, g, p, prm);
    }
    return b->n - 1;
}

static int w_cx(bctx *b) { return neighbours(b, QS_GATE_CX, NULL); }
static int w_cz(bctx *b) { return neighbours(b, QS_GATE_CZ, NULL); }
static int w_cp(bctx *b)
{
    double l = 0.7;
    return neighbours(b, QS_GATE_CP, &l);
}

/* The same random unitary on n random pairs. */
static int w_u2(bctx *b)
{
    uint64_t s = 12345;
    for (int i = 0; i < b->n; i++) {
        int q[2];
        q[0] = (int)(uniform(&s) * b->n);
        do
            q[1] = (int)(uniform(&s) * b->n);
        while (q[1] == q[0]);
        qs_state_apply_matrix(b->s, q, 2, NULL, NULL, 0, b->u2);
    }
    return b->n;
}

/* C3X with the target on every qubit in turn, controls just above it. */
static int w_c3x(bctx *b)
{
    for (int t = 0; t < b->n; t++) {
        int q[4] = {(t + 1) % b->n, (t + 2) % b->n, (t + 3) % b->n, t};
        qs_state_apply_gate(b->s, QS_GATE_C3X, q, NULL);
    }
    return b->n;
}

/* exp(-i 0.4 P) for P = XYZXYZ spread over the register, shifted each time. */
static int w_pauli6(bctx *b)
{
    int step = b->n / 6;
    for (int r = 0; r < b->n; r++) {
        int q[6];
        for (int k = 0; k < 6; k++)
            q[k] = (r + k * step) % b->n;
        qs_state_apply_pauli_rotation(b->s, q, "XYZXYZ", 6, 0.8);
    }
    return b->n;
}

/* The textbook QFT gate by gate, one stage per sample: H on qubit j and
 * its controlled phases with every lower qubit, from j = n-1 down; the
 * final swaps go with the last stage.  n samples make the whole QFT; on
 * large states the time budget stops earlier (each stage is a fair share
 * of the mix: about one H per j CPs). */
static int w_qft_stage(bctx *b)
{
    int n = b->n, j = n - 1 - b->layer % n, gates = 1;
    qs_state_apply_gate(b->s, QS_GATE_H, &j, NULL);
    for (int k = j - 1; k >= 0; k--, gates++) {
        int q[2] = {k, j};
        double l = M_PI / (double)(1u << (j - k));
        qs_state_apply_gate(b->s, QS_GATE_CP, q, &l);
    }
    if (j == 0)
        for (int i = 0; i < n / 2; i++, gates++) {
            int q[2] = {i, n - 1 - i};
            qs_state_apply_gate(b->s, QS_GATE_SWAP, q, NULL);
        }
    b->layer++;
    return gates;
}

static int w_qft_fftw(bctx *b)
{
    qs_state_apply_qft(b->s, 0, b->n, 0);
    return 1;
}

/* One layer of the random circuit: a random RX/RY/RZ on every qubit, then
 * CZ on a brick pattern (pairs from qubit 0 on even layers, 1 on odd). */
static int w_random_layer(bctx *b)
{
    static const qs_gate rot[3] = {QS_GATE_RX, QS_GATE_RY, QS_GATE_RZ};
    uint64_t s = b->seed + 7919u * (uint64_t)b->layer;
    int gates = 0;
    for (int q = 0; q < b->n; q++) {
        double t = 2 * M_PI * uniform(&s);
        qs_state_apply_gate(b->s, rot[next_rand(&s) % 3], &q, &t);
        gates++;
    }
    for (int q = b->layer % 2; q + 1 < b->n; q += 2) {
        int p[2] = {q, q + 1};
        qs_state_apply_gate(b->s, QS_GATE_CZ, p, NULL);
        gates++;
    }
    b->layer = (b->layer + 1) % 20;
    return gates;
}

/* The 20 layers of w_random_layer as a circuit with one parameter per
 * rotation (angles as the layers draw them). */
static qs_circuit *random_circuit(int n, uint64_t seed, double *angles, int *gates)
{
    static const qs_gate rot[3] = {QS_GATE_RX, QS_GATE_RY, QS_GATE_RZ};
    qs_circuit *c;
    if (qs_circuit_create(n, 0, &c) != QS_OK)
        return NULL;
    int np = 0;
    *gates = 0;
    for (int layer = 0; layer < 20; layer++) {
        uint64_t s = seed + 7919u * (uint64_t)layer;
        for (int q = 0; q < n; q++, np++) {
            char name[16];
            const char *e[1] = {name};
            snprintf(name, sizeof name, "t%d", np);
            qs_circuit_add_param(c, name, NULL);
            angles[np] = 2 * M_PI * uniform(&s);
            qs_circuit_append_gate_expr(c, rot[next_rand(&s) % 3], &q, e);
            ++*gates;
        }
        for (int q = layer % 2; q + 1 < n; q += 2, ++*gates) {
            int p[2] = {q, q + 1};
            qs_circuit_append_gate(c, QS_GATE_CZ, p, NULL);
        }
    }
    return c;
}

/* The whole random circuit, compiled once (fused), parameters bound anew
 * for each sample. */
static int w_random_fused(bctx *b)
{
    if (!b->rprog) {
        b->rparams = malloc(sizeof(double) * 20 * (size_t)b->n);
        qs_circuit *c = random_circuit(b->n, b->seed, b->rparams, &b->rgates);
        if (!c || qs_program_compile(c, 0, &b->rprog) != QS_OK) {
            fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
            exit(1);
        }
        b->nrparams = qs_circuit_num_params(c);
        qs_circuit_destroy(c);
    }
    for (int i = 0; i < b->nrparams; i++)
        b->rparams[i] += 1e-3;   /* new values: the fused matrices are rebuilt */
    qs_program_run(b->rprog, b->rparams, (size_t)b->nrparams, b->s, NULL, NULL);
    return b->rgates;
}

/* The largest difference of an amplitude between the fused program and
 * the same circuit run step by step (QS_COMPILE_NO_FUSION), from |+...+>
 * at the last bound values. */
static double fused_vs_unfused(bctx *b)
{
    double *angles = malloc(sizeof(double) * 20 * (size_t)b->n);
    int gates;
    qs_circuit *c = random_circuit(b->n, b->seed, angles, &gates);
    qs_program *plain;
    qs_state *x, *y;
    unsigned f32 = qs_state_flags(b->s) & QS_STATE_F32;
    qs_program_compile(c, QS_COMPILE_NO_FUSION, &plain);
    qs_state_create(b->n, f32, &x);
    qs_state_create(b->n, f32, &y);
    qs_state_set_uniform(x);
    qs_state_set_uniform(y);
    qs_program_run(plain, b->rparams, (size_t)b->nrparams, x, NULL, NULL);
    qs_program_run(b->rprog, b->rparams, (size_t)b->nrparams, y, NULL, NULL);
    double d = 0, u[2], v[2];
    for (uint64_t i = 0; i < UINT64_C(1) << b->n; i++) {
        qs_state_get_amps(x, i, 1, u);
        qs_state_get_amps(y, i, 1, v);
        d = fmax(d, hypot(u[0] - v[0], u[1] - v[1]));
    }
    qs_state_destroy(x);
    qs_state_destroy(y);
    qs_program_destroy(plain);
    qs_circuit_destroy(c);
    free(angles);
    return d;
}

/* grad_bench's problem through the core alone: ry on every qubit then a
 * cx chain, layer after layer, one parameter per ry (100 on 20 qubits),
 * and H = sum Z_i Z_i+1 + 0.7 sum X_i. */
#define GRAD_QUBITS 20
#define GRAD_PARAMS 100
static void grad_setup(bctx *b)
{
    if (b->gprog)
        return;
    const int n = GRAD_QUBITS;
    qs_circuit *c;
    qs_circuit_create(n, 0, &c);
    for (int k = 0; k < GRAD_PARAMS; k++) {
        char name[16];
        const char *e[1] = {name};
        snprintf(name, sizeof name, "t%d", k);
        int q = k % n;
        qs_circuit_add_param(c, name, NULL);
        qs_circuit_append_gate_expr(c, QS_GATE_RY, &q, e);
        if (q == n - 1)
            for (int j = 0; j + 1 < n; j++) {
                int cq[2] = {j, j + 1};
                qs_circuit_append_gate(c, QS_GATE_CX, cq, NULL);
            }
        b->gx[k] = 0.1 * (k % 7) - 0.3;
    }
    if (qs_program_compile(c, 0, &b->gprog) != QS_OK ||
        qs_program_compile(c, QS_COMPILE_NO_FUSION, &b->gplain) != QS_OK) {
        fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
        exit(1);
    }
    qs_circuit_destroy(c);
    qs_pauli_sum_create(n, &b->gham);
    for (int j = 0; j < n; j++) {
        int zz[2] = {j, j + 1};
        if (j + 1 < n)
            qs_pauli_sum_add(b->gham, 1.0, zz, "ZZ", 2);
        qs_pauli_sum_add(b->gham, 0.7, &j, "X", 1);
    }
    unsigned f32 = qs_state_flags(b->s) & QS_STATE_F32;
    qs_state_create(n, f32, &b->glam);
    qs_state_create(n, f32, &b->gwork);
}

/* One forward pass from |0>. */
static int w_grad_forward(bctx *b)
{
    grad_setup(b);
    qs_state_set_basis(b->s, 0);
    qs_program_run(b->gprog, b->gx, GRAD_PARAMS, b->s, NULL, NULL);
    return 1;
}

/* The same, step by step. */
static int w_grad_forward_unfused(bctx *b)
{
    grad_setup(b);
    qs_state_set_basis(b->s, 0);
    qs_program_run(b->gplain, b->gx, GRAD_PARAMS, b->s, NULL, NULL);
    return 1;
}

/* One adjoint gradient of <H>: forward pass, lambda = H phi, the sweep. */
static int w_grad_adjoint(bctx *b)
{
    grad_setup(b);
    qs_state_set_basis(b->s, 0);
    qs_program_run(b->gprog, b->gx, GRAD_PARAMS, b->s, NULL, NULL);
    qs_pauli_sum_apply(b->gham, b->s, b->glam);
    if (qs_program_backprop(b->gprog, b->gx, GRAD_PARAMS, b->s, b->glam, b->gwork, b->gg, NULL) !=
        QS_OK) {
        fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
        exit(1);
    }
    return 1;
}

/* A VQE step on a small register (peers.py's vqe_small): ry and rz on
 * every qubit then a cz chain, 3 layers (6n parameters), H = sum ZZ +
 * 0.7 sum X; each call binds new values and computes <H> and its
 * gradient by the adjoint method: where the state is tiny, the cost is
 * the per-call overhead. */
static void vqe_setup(bctx *b)
{
    if (b->vprog)
        return;
    const int n = b->n;
    qs_circuit *c;
    qs_circuit_create(n, 0, &c);
    int k = 0;
    for (int layer = 0; layer < 3; layer++) {
        for (int q = 0; q < n; q++)
            for (int r = 0; r < 2; r++, k++) {
                char name[16];
                const char *e[1] = {name};
                snprintf(name, sizeof name, "t%d", k);
                qs_circuit_add_param(c, name, NULL);
                qs_circuit_append_gate_expr(c, r ? QS_GATE_RZ : QS_GATE_RY, &q, e);
                b->vx[k] = 0.1 * (k % 5) - 0.2;
            }
        for (int q = 0; q + 1 < n; q++) {
            int p[2] = {q, q + 1};
            qs_circuit_append_gate(c, QS_GATE_CZ, p, NULL);
        }
    }
    b->nvx = k;
    if (qs_program_compile(c, 0, &b->vprog) != QS_OK) {
        fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
        exit(1);
    }
    qs_circuit_destroy(c);
    qs_pauli_sum_create(n, &b->vham);
    for (int j = 0; j < n; j++) {
        int zz[2] = {j, j + 1};
        if (j + 1 < n)
            qs_pauli_sum_add(b->vham, 1.0, zz, "ZZ", 2);
        qs_pauli_sum_add(b->vham, 0.7, &j, "X", 1);
    }
    unsigned f32 = qs_state_flags(b->s) & QS_STATE_F32;
    qs_state_create(n, f32, &b->vlam);
    qs_state_create(n, f32, &b->vwork);
}

static int w_vqe_small(bctx *b)
{
    vqe_setup(b);
    int iters = b->n <= 8 ? 200 : 20;   /* a sample long enough to time */
    for (int it = 0; it < iters; it++) {
        for (int i = 0; i < b->nvx; i++)
            b->vx[i] += 1e-3;
        qs_state_set_basis(b->s, 0);
        qs_program_run(b->vprog, b->vx, (size_t)b->nvx, b->s, NULL, NULL);
        qs_state_expect(b->s, b->vham, &b->venergy);
        qs_pauli_sum_apply(b->vham, b->s, b->vlam);
        if (qs_program_backprop(b->vprog, b->vx, (size_t)b->nvx, b->s, b->vlam, b->vwork, b->vg,
                                NULL) != QS_OK) {
            fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
            exit(1);
        }
    }
    return iters;
}

static int w_expect(bctx *b)
{
    double e;
    qs_state_expect(b->s, b->obs, &e);
    return 1;
}

static int w_sample(bctx *b)
{
    qs_state_sample(b->s, NULL, 0, SHOTS, b->rng, b->shots);
    return 1;
}

/* ---- density matrices: rho of n/2 qubits has as many amplitudes as the
 * n-qubit state, so "passes" compare with the same pass ---------------- */

static qs_density *dm_of(bctx *b)
{
    if (!b->dm && qs_density_create(b->n / 2, qs_state_flags(b->s) & QS_STATE_F32, &b->dm) != QS_OK) {
        fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
        exit(1);
    }
    return b->dm;
}

/* Amplitude damping on each qubit of rho: one 2-qubit superoperator. */
static int w_dm_channel(bctx *b)
{
    qs_density *d = dm_of(b);
    double g = 0.01;
    for (int q = 0; q < b->n / 2; q++)
        qs_density_apply_channel(d, QS_CHANNEL_AMPLITUDE_DAMPING, &q, &g);
    return b->n / 2;
}

/* 2-qubit depolarizing on neighbours: a 4-qubit superoperator. */
static int w_dm_depol2(bctx *b)
{
    qs_density *d = dm_of(b);
    double p = 0.01;
    for (int q = 0; q + 1 < b->n / 2; q++) {
        int pr[2] = {q, q + 1};
        qs_density_apply_channel(d, QS_CHANNEL_DEPOLARIZING2, pr, &p);
    }
    return b->n / 2 - 1;
}

/* 10 layers of random rotations, cz with depolarizing after each, and
 * amplitude damping on every qubit: *ops operations in all. */
static qs_circuit *noisy_circuit(int n, uint64_t seed, int *ops)
{
    static const qs_gate rot[3] = {QS_GATE_RX, QS_GATE_RY, QS_GATE_RZ};
    qs_circuit *c;
    if (qs_circuit_create(n, 0, &c) != QS_OK)
        return NULL;
    *ops = 0;
    double g = 0.01, p = 0.01;
    for (int layer = 0; layer < 10; layer++) {
        uint64_t s = seed + 7919u * (uint64_t)layer;
        for (int q = 0; q < n; q++, ++*ops) {
            double a = 2 * M_PI * uniform(&s);
            qs_circuit_append_gate(c, rot[next_rand(&s) % 3], &q, &a);
        }
        for (int q = layer % 2; q + 1 < n; q += 2, *ops += 2) {
            int pr[2] = {q, q + 1};
            qs_circuit_append_gate(c, QS_GATE_CZ, pr, NULL);
            qs_circuit_append_channel(c, QS_CHANNEL_DEPOLARIZING2, pr, &p);
        }
        for (int q = 0; q < n; q++, ++*ops)
            qs_circuit_append_channel(c, QS_CHANNEL_AMPLITUDE_DAMPING, &q, &g);
    }
    return c;
}

static int w_dm_noisy(bctx *b, int fused)
{
    qs_density *d = dm_of(b);
    qs_program **p = fused ? &b->dprog : &b->dplain;
    if (!*p) {
        qs_circuit *c = noisy_circuit(b->n / 2, b->seed, &b->dops);
        if (!c || qs_density_compile(c, fused ? 0 : QS_COMPILE_NO_FUSION, p) != QS_OK) {
            fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
            exit(1);
        }
        qs_circuit_destroy(c);
    }
    qs_density_run(*p, NULL, 0, d);
    return b->dops;
}
/* Trajectories of the same noisy circuit (n/2 qubits, as dm12_noisy_* at
 * n = 24): TRAJ_PER_CALL pure-state trajectories, counted per trajectory. */
#define TRAJ_PER_CALL 100
static int w_traj_noisy(bctx *b)
{
    if (!b->tcirc && !(b->tcirc = noisy_circuit(b->n / 2, b->seed, &b->dops))) {
        fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
        exit(1);
    }
    if (qs_trajectories_run(b->tcirc, NULL, 0, TRAJ_PER_CALL, b->seed + ++b->tseed,
                            qs_state_flags(b->s) & QS_STATE_F32, NULL, NULL, NULL, NULL) != QS_OK) {
        fprintf(stderr, "qsim_bench: %s\n", qs_last_error());
        exit(1);
    }
    return TRAJ_PER_CALL;
}
static int w_dm_noisy_fused(bctx *b) { return w_dm_noisy(b, 1); }
static int w_dm_noisy_unfused(bctx *b) { return w_dm_noisy(b, 0); }

typedef struct {
    const char *name;
    int (*run)(bctx *b);
    int max_reps;      /* 0: --repeats; -1: n */
    int only_n;        /* runs only at this n (0: any) */
    int always_warm;   /* warm up even on large states (FFTW plans) */
    const char *per;   /* what one count is */
    int max_n;         /* runs only up to this n (0: any) */
} workload;

static const workload workloads[] = {
    {"h", w_h, 0, 0, 0, "gate", 0},
    {"rx", w_rx, 0, 0, 0, "gate", 0},
    {"cnot", w_cx, 0, 0, 0, "gate", 0},
    {"cz", w_cz, 0, 0, 0, "gate", 0},
    {"cp", w_cp, 0, 0, 0, "gate", 0},
    {"u2_random", w_u2, 0, 0, 0, "gate", 0},
    {"c3x", w_c3x, 0, 0, 0, "gate", 0},
    {"pauli6_rot", w_pauli6, 0, 0, 0, "gate", 0},
    {"qft_gates", w_qft_stage, -1, 0, 0, "gate", 0},
    {"qft_fftw", w_qft_fftw, 0, 0, 1, "call", 0},
    {"random_d20", w_random_layer, 20, 0, 0, "gate", 0},
    {"random_d20_fused", w_random_fused, 0, 0, 0, "gate", 0},
    {"expect_zz_x", w_expect, 0, 0, 0, "call", 0},
    {"sample_1e6", w_sample, 0, 0, 0, "call", 0},
    {"vqe_small", w_vqe_small, 0, 0, 0, "iter", 16},
    {"grad_forward", w_grad_forward, 0, GRAD_QUBITS, 0, "call", 0},
    {"grad_fwd_unfused", w_grad_forward_unfused, 0, GRAD_QUBITS, 0, "call", 0},
    {"grad_adjoint", w_grad_adjoint, 0, GRAD_QUBITS, 0, "call", 0},
    {"dm12_channel", w_dm_channel, 0, 24, 0, "chan", 0},
    {"dm12_depol2", w_dm_depol2, 0, 24, 0, "chan", 0},
    {"dm12_noisy_fused", w_dm_noisy_fused, 0, 24, 0, "op", 0},
    {"dm12_noisy_plain", w_dm_noisy_unfused, 0, 24, 0, "op", 0},
    {"traj_noisy", w_traj_noisy, 0, 0, 0, "traj", 0},
};
#define NWORK (sizeof workloads / sizeof *workloads)

static size_t work_index(const char *name)
{
    size_t w = 0;
    while (w < NWORK && strcmp(workloads[w].name, name))
        w++;
    return w;
}

/* ---- the run ------------------------------------------------------------ */

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

static int selected(const char *list, const char *name)
{
    if (!list)
        return 1;
    size_t len = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += len)
        if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
            return 1;
    return 0;
}

static qs_pauli_sum *make_observable(int n)
{
    qs_pauli_sum *h;
    qs_pauli_sum_create(n, &h);
    for (int q = 0; q < n; q++) {
        int zz[2] = {q, (q + 1) % n};
        qs_pauli_sum_add(h, 0.5 + 0.01 * q, zz, "ZZ", 2);
        qs_pauli_sum_add(h, -0.3 - 0.01 * q, &q, "X", 1);
    }
    return h;
}

static void random_unitary2(double *u, uint64_t seed)
{
    /* Gram-Schmidt on the columns of a random complex 4x4 matrix. */
    double c[4][8];
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 8; i++)
            c[j][i] = uniform(&seed) - 0.5;
    for (int j = 0; j < 4; j++) {
        for (int k = 0; k < j; k++) {
            double pr = 0, pi = 0;   /* <c_k, c_j> */
            for (int i = 0; i < 4; i++) {
                pr += c[k][2 * i] * c[j][2 * i] + c[k][2 * i + 1] * c[j][2 * i + 1];
                pi += c[k][2 * i] * c[j][2 * i + 1] - c[k][2 * i + 1] * c[j][2 * i];
            }
            for (int i = 0; i < 4; i++) {
                c[j][2 * i] -= pr * c[k][2 * i] - pi * c[k][2 * i + 1];
                c[j][2 * i + 1] -= pr * c[k][2 * i + 1] + pi * c[k][2 * i];
            }
        }
        double nn = 0;
        for (int i = 0; i < 8; i++)
            nn += c[j][i] * c[j][i];
        nn = sqrt(nn);
        for (int i = 0; i < 8; i++)
            c[j][i] /= nn;
    }
    for (int r = 0; r < 4; r++)
        for (int j = 0; j < 4; j++) {
            u[2 * (r * 4 + j)] = c[j][2 * r];
            u[2 * (r * 4 + j) + 1] = c[j][2 * r + 1];
        }
}

/* --cost-model: the fusion cost rows as qs_cost_model_calibrate()
 * measures them on this machine (every backend that runs here), printed
 * in the form of qsim/src/ir/fuse_cost.h's shipped table. */
static int cost_model(void)
{
    char path[] = "/tmp/qsim_cost.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    close(fd);
    if (qs_cost_model_calibrate(path) != QS_OK) {
        fprintf(stderr, "%s\n", qs_last_error());
        unlink(path);
        return 1;
    }
    FILE *f = fopen(path, "r");
    char line[512], be[32], kind[8], last[32] = "";
    double v[5];
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%31s %7s %lf %lf %lf %lf %lf", be, kind, &v[0], &v[1], &v[2], &v[3],
                   &v[4]) != 7)
            continue;
        if (strcmp(be, last)) {
            printf("%s    /* %s: ns per amplitude, 2^14 amplitudes, one thread */\n    {\"%s\"",
                   *last ? "},\n" : "", be, be);
            snprintf(last, sizeof last, "%s", be);
        }
        printf(",\n     /* %-5s */ {0, %.3f, %.3f, %.3f, %.3f, %.3f}", kind, v[0], v[1], v[2], v[3],
               v[4]);
    }
    printf("%s", *last ? "},\n" : "");
    if (f)
        fclose(f);
    unlink(path);
    return 0;
}

/* AnonHugePages and Size (kB) of the mapping holding p. */
static int smaps_of(const void *p, long *huge_kb, long *size_kb)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return 0;
    char line[512];
    int in = 0, found = 0;
    unsigned long lo, hi, addr = (unsigned long)p;
    *huge_kb = *size_kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            in = addr >= lo && addr < hi;
            found |= in;
            continue;
        }
        if (in) {
            sscanf(line, "Size: %ld kB", size_kb);
            sscanf(line, "AnonHugePages: %ld kB", huge_kb);
        }
    }
    fclose(f);
    return found;
}

static int thp_check(const int *qubits, int nqub, const int *threads, int nthr, int repeats)
{
    printf("%4s %3s %14s %14s %12s %12s %8s\n", "n", "thr", "state size kB", "AnonHuge kB",
           "THP pass ms", "4K pass ms", "gain");
    for (int ni = 0; ni < nqub; ni++)
        for (int ti = 0; ti < nthr; ti++) {
            int n = qubits[ni], t = threads[ti];
            qs_set_num_threads(t);
            qs_state *s;
            if (qs_state_create(n, 0, &s) != QS_OK) {
                fprintf(stderr, "%s\n", qs_last_error());
                return 1;
            }
            qs_state_set_uniform(s);
            void *data;
            qs_state_data(s, &data);
            long huge, size;
            smaps_of(data, &huge, &size);
            size_t bytes = (size_t)16 << n;
            void *plain = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (plain == MAP_FAILED) {
                perror("mmap");
                return 1;
            }
            madvise(plain, bytes, MADV_NOHUGEPAGE);
            plain_pass(plain, n, 0, t);   /* first touch */
            double a[1000], b[1000];
            for (int r = 0; r < repeats; r++) {
                double t0 = now();
                plain_pass(data, n, 0, t);
                double t1 = now();
                plain_pass(plain, n, 0, t);
                a[r] = t1 - t0;
                b[r] = now() - t1;
            }
            double ta = median(a, repeats), tb = median(b, repeats);
            printf("%4d %3d %14ld %14ld %12.3f %12.3f %7.1f%%\n", n, t, size, huge, ta * 1e3,
                   tb * 1e3, 100 * (tb - ta) / tb);
            munmap(plain, bytes);
            qs_state_destroy(s);
        }
    return 0;
}

int main(int argc, char **argv)
{
    int qubits[8] = {20, 24}, nqub = 2, threads[4] = {1, 2}, nthr = 2, repeats = 5;
    int precs[2] = {0, 1}, nprec = 2, thp = 0, cost = 0;
    double budget = 2.0;
    const char *json = NULL, *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--qubits") && i + 1 < argc)
            nqub = parse_list(argv[++i], qubits, 8);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            nthr = parse_list(argv[++i], threads, 4);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
            repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
            budget = atof(argv[++i]);
        else if (!strcmp(argv[i], "--workloads") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "--thp"))
            thp = 1;
        else if (!strcmp(argv[i], "--cost-model"))
            cost = 1;
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
            fprintf(stderr,
                    "usage: %s [--qubits 20,24] [--threads 1,2] [--repeats N] [--budget SECONDS]\n"
                    "          [--precision double,single] [--workloads h,rx,...] [--json FILE]"
                    " [--thp] [--cost-model]\n"
                    "--cost-model prints the fusion cost rows of qsim/src/ir/fuse_cost.h.\n"
                    "workloads (grad_* at 20 qubits only):",
                    argv[0]);
            for (size_t w = 0; w < NWORK; w++)
                fprintf(stderr, " %s", workloads[w].name);
            fprintf(stderr, "\n");
            return 2;
        }
    }
    if (repeats < 1 || repeats > 1000)
        repeats = 5;
    if (thp)
        return thp_check(qubits, nqub, threads, nthr, repeats);
    if (cost)
        return cost_model();
    FILE *js = json ? fopen(json, "w") : NULL;
    if (json && !js) {
        perror(json);
        return 1;
    }
    if (js)
        fprintf(js, "{\"backend\": \"%s\", \"reference_pass\": \"in-place scale, %s\", "
                    "\"results\": [\n", qs_backend_default(), pass_isa());
    int first = 1;
    printf("backend %s; fusion cost rows: %s; reference pass: in-place a[i] *= c over the\n"
           "state's memory, %s vectors, each thread a contiguous slice (one read + one write:\n"
           "the memory bound)\n", qs_backend_default(), qs_cost_model_source(), pass_isa());
    printf("%-16s %6s %3s %3s %10s %12s %11s %5s %5s\n", "workload", "prec", "thr", "n", "pass (ms)",
           "per op (ms)", "passes/op", "op", "reps");
    for (int pi = 0; pi < nprec; pi++)
        for (int ti = 0; ti < nthr; ti++)
            for (int ni = 0; ni < nqub; ni++) {
                int n = qubits[ni], t = threads[ti], f32 = precs[pi];
                qs_set_num_threads(t);
                bctx b = {.n = n, .seed = 99};
                if (qs_state_create(n, f32 ? QS_STATE_F32 : 0, &b.s) != QS_OK) {
                    fprintf(stderr, "%s\n", qs_last_error());
                    return 1;
                }
                qs_rng_create(5, &b.rng);
                b.obs = make_observable(n);
                b.shots = malloc(sizeof *b.shots * SHOTS);
                random_unitary2(b.u2, 4242);
                qs_state_set_uniform(b.s);
                void *data;
                qs_state_data(b.s, &data);
                double passes[NWORK * 3], tm[1000];
                int npass = 0;
                double per[NWORK];
                int reps[NWORK], ran[NWORK];
                for (size_t w = 0; w < NWORK; w++) {
                    ran[w] = selected(only, workloads[w].name) &&
                             (!workloads[w].only_n || workloads[w].only_n == n) &&
                             (!workloads[w].max_n || n <= workloads[w].max_n);
                    if (!ran[w])
                        continue;
                    for (int r = 0; r < 3; r++) {
                        double t0 = now();
                        plain_pass(data, n, f32, t);
                        passes[npass++] = now() - t0;
                    }
                    qs_state_set_uniform(b.s);
                    b.layer = 0;
                    if (n < 26 || (workloads[w].always_warm && n < 28))
                        workloads[w].run(&b);
                    b.layer = 0;
                    int maxr = workloads[w].max_reps > 0 ? workloads[w].max_reps
                               : workloads[w].max_reps < 0 ? n : repeats;
                    double start = now();
                    int r = 0;
                    while (r < maxr && (r == 0 || now() - start < budget)) {
                        double t0 = now();
                        int gates = workloads[w].run(&b);
                        tm[r++] = (now() - t0) / gates;
                    }
                    per[w] = median(tm, r);
                    reps[w] = r;
                }
                double pass = npass ? median(passes, npass) : 0;
                double fdiff = -1;
                if (b.rprog && n <= 24)
                    fdiff = fused_vs_unfused(&b);
                for (size_t w = 0; w < NWORK; w++) {
                    if (!ran[w])
                        continue;
                    printf("%-16s %6s %3d %3d %10.3f %12.3f %11.2f %5s %5d\n", workloads[w].name,
                           f32 ? "single" : "double", t, n, pass * 1e3, per[w] * 1e3, per[w] / pass,
                           workloads[w].per, reps[w]);
                    if (js) {
                        fprintf(js,
                                "%s  {\"workload\": \"%s\", \"precision\": \"%s\", \"threads\": %d, "
                                "\"qubits\": %d, \"pass_s\": %.6e, \"per_op_s\": %.6e, "
                                "\"passes_per_op\": %.4f, \"op\": \"%s\", \"reps\": %d}",
                                first ? "" : ",\n", workloads[w].name, f32 ? "single" : "double", t,
                                n, pass, per[w], per[w] / pass, workloads[w].per, reps[w]);
                        first = 0;
                    }
                }
                if (fdiff >= 0)
                    printf("%-16s %6s %3d %3d   max |fused - unfused| amplitude %.3g\n",
                           "random_d20_fused", f32 ? "single" : "double", t, n, fdiff);
                size_t wf = work_index("grad_forward"), wu = work_index("grad_fwd_unfused"),
                       wa = work_index("grad_adjoint");
                if (ran[wf] && ran[wa])
                    printf("%-16s %6s %3d %3d   adjoint gradient / forward pass = %.2f\n",
                           "grad_adjoint", f32 ? "single" : "double", t, n, per[wa] / per[wf]);
                if (ran[wu] && ran[wa])
                    printf("%-16s %6s %3d %3d   adjoint gradient / unfused forward pass = %.2f\n",
                           "grad_adjoint", f32 ? "single" : "double", t, n, per[wa] / per[wu]);
                if (js && fdiff >= 0)
                    fprintf(js, ",\n  {\"check\": \"fused_vs_unfused\", \"precision\": \"%s\", "
                                "\"threads\": %d, \"qubits\": %d, \"max_abs_diff\": %.3e}",
                            f32 ? "single" : "double", t, n, fdiff);
                fflush(stdout);
                qs_program_destroy(b.rprog);
                qs_program_destroy(b.dprog);
                qs_program_destroy(b.dplain);
                qs_circuit_destroy(b.tcirc);
                qs_density_destroy(b.dm);
                free(b.rparams);
                qs_program_destroy(b.gprog);
                qs_program_destroy(b.gplain);
                qs_pauli_sum_destroy(b.gham);
                qs_state_destroy(b.glam);
                qs_state_destroy(b.gwork);
                qs_program_destroy(b.vprog);
                qs_pauli_sum_destroy(b.vham);
                qs_state_destroy(b.vlam);
                qs_state_destroy(b.vwork);
                free(b.shots);
                qs_pauli_sum_destroy(b.obs);
                qs_rng_destroy(b.rng);
                qs_state_destroy(b.s);
            }
    if (js) {
        fprintf(js, "\n]}\n");
        fclose(js);
    }
    return 0;
}
