/* run_noise.h - `qsim run --noise` (run_noise.c). */
#ifndef QSIM_CLI_RUN_NOISE_H
#define QSIM_CLI_RUN_NOISE_H

#include <stdio.h>
#include <qsim/qsim.h>

enum { CLI_NOISE_PROBS, CLI_NOISE_EXPECT, CLI_NOISE_SHOTS };

typedef struct cli_noise {
    const char *model;      /* the noise model file (qsim's or Aer's JSON) */
    const qs_circuit *c;    /* the program, without noise */
    const double *params;
    size_t np;
    int mode;               /* CLI_NOISE_* */
    const char *expect;     /* CLI_NOISE_EXPECT: the Pauli-sum file */
    long shots;             /* CLI_NOISE_SHOTS */
    long trajectories;      /* 0: density matrix */
    uint64_t seed;
    int f32;
} cli_noise;

/* Simulates and writes the result to f; returns a CLI exit code. */
int cli_run_noise(const cli_noise *n, FILE *f);

#endif
