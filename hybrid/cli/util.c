/*
 * util.c - error printing, number parsing and atomic output for the CLI.
 */
#include "cli.h"

#include <errno.h>
#include <qsim/hybrid.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int cli_out_open(cli_out *o, const char *path)
{
    memset(o, 0, sizeof *o);
    /* under mpirun, rank 0 alone writes (the others' stdout goes nowhere) */
    if (!path || strcmp(path, "-") == 0 || qh_comm_rank() != 0) {
        o->f = stdout;
        return 0;
    }
    size_t n = strlen(path);
    o->path = strdup(path);
    o->tmp = malloc(n + 16);
    if (!o->path || !o->tmp) {
        cli_out_abandon(o);
        return -1;
    }
    snprintf(o->tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        cli_out_abandon(o);
        return -1;
    }
    return 0;
}

int cli_out_commit(cli_out *o)
{
    int rc = 0;
    if (o->f == stdout) {
        rc = fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
    } else if (o->f) {
        /* Data on disk before the rename makes it visible. */
        rc = fflush(o->f) == 0 && fsync(fileno(o->f)) == 0 && !ferror(o->f) ? 0 : -1;
        rc |= fclose(o->f);
        o->f = NULL;
        if (rc == 0)
            rc = rename(o->tmp, o->path);
        if (rc != 0)
            unlink(o->tmp);
    }
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    return rc;
}

void cli_out_abandon(cli_out *o)
{
    if (o->f && o->f != stdout) {
        fclose(o->f);
        unlink(o->tmp);
    }
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
}
