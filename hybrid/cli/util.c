/*
 * util.c - error printing, number parsing and atomic output for the CLI.
 */
#include "cli.h"

#include <errno.h>
#include <qsim/hybrid.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char last[1024];

/* Prints "<head>: error: <fmt...>" and keeps it as the last message. */
static void vreport(const char *head, const char *fmt, va_list ap)
{
    int n = snprintf(last, sizeof last, "%s: error: ", head);
    if (n >= 0 && (size_t)n < sizeof last)
        vsnprintf(last + n, sizeof last - (size_t)n, fmt, ap);
    fprintf(stderr, "%s\n", last);
}

const char *cli_last_message(void) { return last; }

int cli_fail(int code, const char *cmd, const char *fmt, ...)
{
    char head[64];
    snprintf(head, sizeof head, "qsim%s%s", cmd ? " " : "", cmd ? cmd : "");
    va_list ap;
    va_start(ap, fmt);
    vreport(head, fmt, ap);
    va_end(ap);
    return code;
}

void cli_diag(const char *file, int line, int col, const char *fmt, ...)
{
    char head[600];
    snprintf(head, sizeof head, "%s:%d:%d", file, line, col);
    va_list ap;
    va_start(ap, fmt);
    vreport(head, fmt, ap);
    va_end(ap);
}

int cli_status_code(qs_status st)
{
    if (st == QS_OK)
        return CLI_OK;
    return st == QS_EINTERNAL ? CLI_EINTERNAL : CLI_EUSER;
}

int cli_parse_int(const char *s, long lo, long hi, long *out)
{
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

int cli_parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

const char *cli_lib_error(void)
{
    const char *m = qs_last_error(), *c = strstr(m, ": ");
    if ((!strncmp(m, "qs_", 3) || !strncmp(m, "qh_", 3)) && c &&
        strspn(m, "abcdefghijklmnopqrstuvwxyz_0123456789") == (size_t)(c - m))
        return c + 2;
    return m;
}

int cli_out_open(cli_out *o, const char *cmd, const char *path)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    /* under mpirun, rank 0 alone writes (the others' stdout goes nowhere) */
    if (qh_comm_rank() != 0)
        path = NULL;
    if (qs_output_open(path, &o->h) != QS_OK)
        return cli_fail(CLI_EUSER, cmd, "%s", cli_lib_error());
    o->f = qs_output_stream(o->h);
    return CLI_OK;
}

int cli_out_commit(cli_out *o)
{
    qs_status st = qs_output_commit(o->h);
    o->h = NULL;
    o->f = NULL;
    return st == QS_OK ? CLI_OK : cli_fail(CLI_EUSER, o->cmd, "%s", cli_lib_error());
}

void cli_out_abandon(cli_out *o)
{
    qs_output_discard(o->h);
    o->h = NULL;
    o->f = NULL;
}
