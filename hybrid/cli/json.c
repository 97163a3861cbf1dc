/*
 * json.c - the small JSON writer of the CLI: one object, one key per line
 * (so that outputs diff well), numbers with 17 significant digits (they
 * read back to the same double), null for non-finite numbers.
 */
#include "run.h"

#include <math.h>

void json_quote(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.17g", v);
    else
        fputs("null", f);
}

void json_key(json *j, const char *k)
{
    fputs(j->n++ ? ",\n  " : "{\n  ", j->f);
    json_quote(j->f, k);
    fputs(": ", j->f);
}

void json_begin(json *j, FILE *f)
{
    j->f = f;
    j->n = 0;
}

void json_num(json *j, const char *k, double v)
{
    json_key(j, k);
    num(j->f, v);
}

void json_int(json *j, const char *k, long long v)
{
    json_key(j, k);
    fprintf(j->f, "%lld", v);
}

void json_str(json *j, const char *k, const char *v)
{
    json_key(j, k);
    json_quote(j->f, v);
}

void json_arr(json *j, const char *k, const double *v, size_t n)
{
    json_key(j, k);
    fputc('[', j->f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", j->f);
        num(j->f, v[i]);
    }
    fputc(']', j->f);
}

void json_end(json *j)
{
    fputs(j->n ? "\n}\n" : "{}\n", j->f);
}
