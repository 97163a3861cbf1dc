/* qasmt.c - helpers for the OpenQASM tests (see qasmt.h). */
#include "qasmt.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

qs_circuit *qt_parse(const char *text, unsigned flags)
{
    qs_circuit *c = NULL;
    qs_status st = qs_circuit_parse_string(text, "<test>", flags, &c);
    cr_assert_eq(st, QS_OK, "parse failed: %s\n--- program:\n%s", qs_last_error(), text);
    return c;
}

void qt_error(const char *text, unsigned flags, qs_status st, int line, int col, const char *msg)
{
    qs_circuit *c = (qs_circuit *)1;
    qs_status got = qs_circuit_parse_string(text, "<test>", flags, &c);
    cr_assert_eq(got, st, "status %s, want %s (%s)\n--- program:\n%s", qs_status_name(got),
                 qs_status_name(st), qs_last_error(), text);
    cr_assert_null(c, "no circuit on failure");
    const char *file, *m;
    int l, k;
    cr_assert(qs_last_error_location(&file, &l, &k, &m), "no location: %s", qs_last_error());
    cr_assert(l == line && k == col, "at %d:%d, want %d:%d: %s", l, k, line, col, m);
    cr_assert(strstr(m, msg), "message \"%s\" lacks \"%s\"", m, msg);
    cr_assert(strstr(qs_last_error(), m) && strstr(qs_last_error(), "<test>:"),
              "qs_last_error() \"%s\" carries the location and message", qs_last_error());
}

char *qt_write(const qs_circuit *c, unsigned flags)
{
    size_t n = 0;
    qs_status st = qs_circuit_write_qasm(c, flags, NULL, 0, &n);
    cr_assert(st == QS_ERANGE || st == QS_OK, "write failed: %s", qs_last_error());
    char *buf = malloc(n + 1);
    cr_assert_eq(qs_circuit_write_qasm(c, flags, buf, n + 1, &n), QS_OK, "%s", qs_last_error());
    cr_assert_eq(strlen(buf), n);
    return buf;
}

const char *qt_ops(const char *text)
{
    /* Declarations come first; operations start after the last one. */
    const char *p = text, *last = text;
    static const char *const decls[] = {"qreg ", "creg ", "qubit[", "bit[", "input ", "gate ",
                                        "include ", "OPENQASM ", "uint[64] _qsim_h"};
    for (const char *line = p; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "")
        for (size_t i = 0; i < sizeof decls / sizeof *decls; i++)
            if (!strncmp(line, decls[i], strlen(decls[i])))
                last = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line);
    return last;
}

char *qt_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

void qt_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

const char *qt_json_find(const char *from, const char *key)
{
    char pat[256];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = from ? strstr(from, pat) : NULL;
    if (!p)
        return NULL;
    p += strlen(pat);
    while (*p == ' ' || *p == '\n' || *p == ':')
        p++;
    return p;
}

double *qt_json_numbers(const char *p, size_t *n)
{
    size_t cap = 64;
    double *v = malloc(cap * sizeof *v);
    *n = 0;
    cr_assert(p && *p == '[', "expected a JSON array");
    p++;
    for (;;) {
        while (*p == ' ' || *p == '\n' || *p == ',')
            p++;
        if (*p == ']')
            return v;
        char *end;
        double x = strtod(p, &end);
        cr_assert(end != p, "bad number in JSON array near \"%.20s\"", p);
        if (*n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[(*n)++] = x;
        p = end;
    }
}
