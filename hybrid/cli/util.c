/*
 * util.c - error printing, number parsing and atomic output for the CLI.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cli_fail(int code, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "qsim%s%s: error: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

void cli_diag(const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d:%d: error: ", file, line, col);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
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
