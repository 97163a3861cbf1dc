/*
 * fuse_cost.h - the fusion cost model (internal; cost_model.c picks the row that fuse.c uses).
 *
 * Inside a cache block the amplitudes sit in L2, so what an op costs is
 * its arithmetic and set-up, and that grows with the op's size: a dense
 * op on k qubits does 2^k complex multiply-adds per amplitude, a diagonal
 * one a single multiply, a permutation only moves.  Fusing gates into one
 * op pays when the fused op costs less than its members together.
 *
 * The figures are measured, not guessed: ns per amplitude for one op on
 * k = 1..5 targets applied to a block of 2^14 double amplitudes, one
 * thread, set-up included, median over target placements.  The rows
 * below are the shipped ones, measured on one CPU; `qsim --calibrate`
 * (qs_cost_model_calibrate) measures them on the machine at hand into a
 * cache file that cost_model.c prefers when it names this CPU, so an AVX2
 * machine is not priced with AVX-512 figures.  The row used is the one of
 * the backend selected when the program is compiled (a backend missing
 * here uses the "cpu" row): a program fuses the same way on every run
 * with the same backend and table, but two machines may group the same
 * circuit differently (the results then agree to rounding, not bit for
 * bit).
 */
#ifndef QS_IR_FUSE_COST_H
#define QS_IR_FUSE_COST_H

typedef struct qs__cost_row {
    const char *backend;
    double dense[6], diag[6], perm[6];   /* by number of targets; [0] unused */
} qs__cost_row;

static const qs__cost_row qs__fuse_costs[] = {
    /* AMD EPYC (Zen 4), 2 cores, measured with `bench/qsim_bench --cost-model`; the last
     * row is the fallback. */
    /* cpu-avx512: ns per amplitude, 2^14 amplitudes, one thread */
    {"cpu-avx512",
     /* dense */ {0, 0.492, 0.679, 1.087, 2.424, 46.592},
     /* diag  */ {0, 0.557, 0.557, 0.549, 0.561, 0.564},
     /* perm  */ {0, 0.250, 0.749, 0.752, 1.238, 1.247}},
    /* cpu-avx2: ns per amplitude, 2^14 amplitudes, one thread */
    {"cpu-avx2",
     /* dense */ {0, 0.758, 1.064, 2.069, 5.300, 51.332},
     /* diag  */ {0, 0.915, 0.923, 0.867, 0.919, 0.948},
     /* perm  */ {0, 0.417, 1.440, 1.599, 1.720, 1.880}},
    /* cpu: ns per amplitude, 2^14 amplitudes, one thread */
    {"cpu",
     /* dense */ {0, 2.200, 7.575, 14.050, 26.821, 53.714},
     /* diag  */ {0, 1.762, 1.687, 1.679, 1.632, 1.601},
     /* perm  */ {0, 0.634, 1.786, 1.766, 1.803, 1.728}},
};

#endif
