/*
 * cli.h - shared pieces of the `qsim` command line (one cmd_*.c file per
 * subcommand).  The CLI links only the public libraries.
 *
 * Exit codes: 0 ok, 1 user error (bad input file, impossible request),
 * 2 usage (bad options), 3 internal error.
 */
#ifndef QSIM_CLI_H
#define QSIM_CLI_H

#include <stdarg.h>
#include <stdio.h>
#include <qsim/qsim.h>

enum { CLI_OK = 0, CLI_EUSER = 1, CLI_EUSAGE = 2, CLI_EINTERNAL = 3 };

/* A subcommand: argv[0] is its name. */
typedef struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_cmd;

/* The subcommands, each defined in its cmd_*.c and listed in main.c. */
int cli_cmd_run(int argc, char **argv);

/* "qsim <cmd>: error: ..." on stderr; returns code. */
int cli_fail(int code, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "file:line:col: error: msg" on stderr, as compilers print it. */
void cli_diag(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The last line cli_fail() or cli_diag() printed, without the newline
 * ("" if none): what another rank shows when this one fails. */
const char *cli_last_message(void);
/* Under mpirun (ranks.c): before the command, joins the ranks and silences
 * the output of all but rank 0; after it, agrees with the other ranks on
 * failure (every rank exits non-zero, rank 0 shows the error) and leaves
 * MPI.  Both return an exit code. */
int cli_ranks_begin(int *argc, char ***argv);
int cli_ranks_end(int rc);
/* Takes --distributed out of a command's arguments (argv[0] is the
 * command) and, with it or QSIM_DISTRIBUTED=1, asks for a distributed
 * state; returns an exit code. */
int cli_distributed(int *argc, char **argv);
/* 1 when a distributed state was asked for (QSIM_DISTRIBUTED=1). */
int cli_distributed_wanted(void);
/* QS_STATE_DISTRIBUTED when asked for, else 0: for the commands' states. */
unsigned cli_state_flags(void);
/* Maps a library status to an exit code (user error unless internal). */
int cli_status_code(qs_status st);

/* Strict number parsing: the whole string must be a number. */
int cli_parse_int(const char *s, long lo, long hi, long *out);
int cli_parse_double(const char *s, double *out);

/* The library's last message without a leading "qs_function: " (users
 * hear about their input, not about our functions). */
const char *cli_lib_error(void);

/* ---- options: the one parser of every subcommand (opts.c) --------------
 *
 * A command lists its options in a table ended by {NULL}; cli_parse walks
 * argv and calls take(ctx, opt, value) for each option in order ("--name
 * VALUE" and "--name=VALUE" alike), and take(ctx, NULL, arg) for each
 * positional argument.  To add an option: add a row to the command's
 * table (or to run.c's common table for vqe, qaoa, train, predict,
 * kernel) and handle its name in the command's take().
 */
enum {
    CLI_OPT_CONTROL = 1, /* steers the run, not its result: not in resume fingerprints */
    CLI_OPT_INPUT = 2,   /* names an input file: its content is in the fingerprint */
    CLI_OPT_REPEAT = 4,  /* may be given more than once */
};
typedef struct cli_opt {
    const char *name;   /* "shots" for --shots */
    const char *arg;    /* its value in the help ("N", "FILE"); NULL for a flag */
    unsigned flags;     /* CLI_OPT_* */
    char alias;         /* one-letter form ('o' for -o), or 0 */
} cli_opt;
/* Returns 0 to go on, or an exit code after printing what was wrong. */
typedef int (*cli_take_fn)(void *ctx, const cli_opt *opt, const char *value);
/* --help (or -h) was given: the caller prints its help and exits 0. */
#define CLI_HELP (-1)
/* Parses argv[1..] against tables (a NULL-terminated list of tables).
 * Unknown options, a missing value, a value on a flag and an option given
 * twice (without CLI_OPT_REPEAT) are usage errors (exit 2).  A separate
 * value may not start with "--" ("--log --quiet" is a mistake); use
 * "--name=VALUE" for that.  "--" ends the options.  Returns CLI_OK, an
 * exit code, or CLI_HELP. */
int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *const *tables,
              cli_take_fn take, void *ctx);

/* ---- atomic output (qs_output_open of <qsim/qsim.h>) -------------------
 * Writes go to o.f; cli_out_commit checks them, fsyncs and renames the
 * temporary file over the target (a device or FIFO is written in place,
 * never replaced).  path "-" or NULL means stdout.  On failure both print
 * "qsim CMD: error: cannot write PATH: reason" and return CLI_EUSER. */
typedef struct cli_out {
    FILE *f;
    qs_output *h;
    const char *cmd;
} cli_out;
int cli_out_open(cli_out *o, const char *cmd, const char *path);
int cli_out_commit(cli_out *o);
void cli_out_abandon(cli_out *o);

#endif
