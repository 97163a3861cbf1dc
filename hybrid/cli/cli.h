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
/* Maps a library status to an exit code (user error unless internal). */
int cli_status_code(qs_status st);

/* Strict number parsing: the whole string must be a number. */
int cli_parse_int(const char *s, long lo, long hi, long *out);
int cli_parse_double(const char *s, double *out);

/* Atomic output: writes go to a temporary file beside `path`, which
 * replaces `path` only on cli_out_commit(); an abandoned output leaves the
 * old file untouched.  path "-" (or NULL) means stdout. */
typedef struct cli_out {
    FILE *f;
    char *path, *tmp;
} cli_out;
int cli_out_open(cli_out *o, const char *path);
int cli_out_commit(cli_out *o);   /* 0 on success */
void cli_out_abandon(cli_out *o);

#endif
