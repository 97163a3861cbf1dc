/*
 * run.h - what the variational subcommands (vqe, qaoa, train, predict,
 * kernel) share: the common options, the optimization loop with its
 * progress line, JSON log and checkpoints, resuming, and JSON output.
 *
 * A command runs one or more stages (a VQE point of a scan, a QAOA depth);
 * each stage is one optimizer run.  A checkpoint holds the stage in
 * progress, the optimizer's state (qh_optimizer_save) and whatever the
 * command stored about earlier stages, under named arrays of doubles.
 * Written every k iterations through a temporary file and rename(), it is
 * always a complete older or newer state, so a run killed at any moment
 * resumes from the last one and ends as the uninterrupted run would.
 */
#ifndef QSIM_CLI_RUN_H
#define QSIM_CLI_RUN_H

#include "cli.h"

#include <qsim/hybrid.h>
#include <stdint.h>

/* Iterations of one optimization, --checkpoint-every: at most. */
#define RUN_MAX_ITER 100000000L
/* Stages of one run (scan points, QAOA depths): at most. */
#define RUN_MAX_STAGES 1000000

/* The subcommands of this layer (cmd_*.c). */
int cmd_vqe(int argc, char **argv);
int cmd_qaoa(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_kernel(int argc, char **argv);

/* ---- checkpoints: named arrays of doubles, written exactly ------------- */

typedef struct ckpt ckpt;
ckpt *ckpt_new(void);
void ckpt_free(ckpt *c);
/* Replaces or adds an array; 0 on success. */
int ckpt_set(ckpt *c, const char *key, const double *v, size_t n);
int ckpt_set1(ckpt *c, const char *key, double v);
/* The array under key (NULL if absent); *n gets its length. */
const double *ckpt_get(const ckpt *c, const char *key, size_t *n);
/* Atomic write (temporary file + rename); 0 on success. */
int ckpt_write(const ckpt *c, const char *path);
/* NULL on failure, with the reason in err. */
ckpt *ckpt_read(const char *path, char *err, size_t errlen);

/* ---- a run ------------------------------------------------------------- */

typedef struct run {
    const char *cmd;
    /* common options */
    const qh_optimizer_type *opt_type;
    long maxiter;          /* 0: the command's default */
    uint64_t seed;
    int threads, quiet, grad;
    double gtol, ftol;     /* < 0: the command's default */
    const char *log_path, *output_path, *ckpt_path, *resume_path;
    const char *noise_path;    /* --noise: the model file */
    qs_noise_model *noise;     /* read by run_start */
    int grad_given;            /* --grad was given */
    long shots;                /* --shots: values estimated from samples (0: exact) */
    long traj;                 /* --trajectories: noisy values as means of N trajectories */
    long every;
    struct { char name[32]; double value; } set[16];
    int nset;
    /* state */
    FILE *log;
    int progress;
    double t0;
    double stage_t0;       /* when the current stage's optimizer started */
    ckpt *resume;          /* the checkpoint resumed from, or NULL */
    long resume_stage;
    double fingerprint[2];
    uint64_t fp_hash;
    uint64_t log_bytes, log_hash;   /* what was written to the log */
    long stage;
    const char *stage_label;
    size_t stage_maxiter;
    size_t opt_n;          /* variables of the current optimizer */
    qh_optimizer *opt;
    /* the command's own checkpoint data, added to every checkpoint */
    int (*save)(void *app, ckpt *c);
    void *app;
} run;

/* Defaults of the common options. */
void run_init(run *r, const char *cmd);
/* The help text of the common options. */
extern const char run_options_help[];
/* A command's own options (see cli_parse in cli.h for adding one). */
typedef struct run_opts {
    const cli_opt *options;          /* ended by {NULL} */
    /* Takes one of them (value NULL for flags); returns 0, or an exit code
     * after printing what was wrong. */
    int (*take)(void *app, const char *name, const char *value);
    const char *usage;               /* the command's own help text */
} run_opts;
/* Parses the command's own and the common options (cli_parse), and
 * fingerprints those that change results: every option but the
 * CLI_OPT_CONTROL ones, by name and value however spelt, and the content
 * of each CLI_OPT_INPUT file.  Returns CLI_OK to go on, an exit code, or
 * CLI_HELP after printing the help (exit 0). */
int run_parse(run *r, int argc, char **argv, const run_opts *opts, void *app);
/* Adds the content of an input file to the fingerprint (before
 * run_start): the files of a --scan folder, say. */
void run_fingerprint_file(run *r, const char *path);
/* After parsing: sets threads, loads --resume (its fingerprint must match)
 * and opens the log (on resume: only the log the checkpoint was written
 * with, cut back to the checkpoint).  argc, argv are unused.  Returns an
 * exit code (CLI_OK to go on). */
int run_start(run *r, int argc, char **argv);
/* 1 if resuming from a checkpoint taken at stage s or later: the work
 * before stage s's optimization need not be redone. */
int run_resumed_past(const run *r, long s);
/* An optimizer of the chosen type (or dflt) for n variables with the
 * --set options and the stopping rules (defaults maxiter, gtol, ftol). */
int run_optimizer(run *r, const qh_optimizer_type *dflt, size_t n, long maxiter, double gtol,
                  double ftol, qh_optimizer **out);
/* The same for minimizing objective o: also gives o the --grad method and
 * --threads, and qng its metric (qh_objective_metric). */
int run_objective_optimizer(run *r, qh_objective *o, const qh_optimizer_type *dflt,
                            long maxiter, double gtol, qh_optimizer **out);
/* Stage s: resumes the optimizer from the checkpoint if it was taken in
 * this stage, else sets it at x0; then runs it with progress, log and
 * checkpoints.  Returns a library status. */
qs_status run_minimize(run *r, long s, const char *label, qh_optimizer *o, qh_fdf fdf,
                       void *ctx, const double *x0, int *reason);
/* Seconds since run_start. */
double run_elapsed(const run *r);
/* A status line on stderr (when the progress line is on), replaced by the
 * next one: what the command does before its optimizer reports. */
void run_note(run *r, const char *fmt, ...);
/* Closes the log, clears the progress line, frees the checkpoint; returns
 * rc, or when rc is CLI_OK an exit code if the log could not be written
 * (after printing why).  Safe to call twice. */
int run_end(run *r, int rc);
/* Prints "qsim <cmd>: error: <qs_last_error()>" and returns the exit code. */
int run_fail(const run *r, qs_status st);

/* ---- JSON output: one key per line ---------------------------------------- */

typedef struct json {
    FILE *f;
    int n;
} json;
void json_begin(json *j, FILE *f);
void json_num(json *j, const char *key, double v);
void json_int(json *j, const char *key, long long v);
void json_str(json *j, const char *key, const char *v);
void json_arr(json *j, const char *key, const double *v, size_t n);
/* Starts a key whose value the caller writes to j->f itself. */
void json_key(json *j, const char *key);
void json_end(json *j);
/* Writes a JSON string literal. */
void json_quote(FILE *f, const char *s);
/* Writes the output file (--output, atomic) through fill; stdout when no
 * --output was given only if to_stdout.  Returns an exit code. */
int run_output(run *r, int to_stdout, void (*fill)(json *j, void *ctx), void *ctx);

#endif
