/*
 * util.c - error printing, number parsing and atomic output for the CLI.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int cli_out_open(cli_out *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
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
