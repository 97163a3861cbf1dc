/*
 * source.c - the public parse entry points, the sources being read (the
 * program, its includes, built-in headers) and diagnostics.  Calls the
 * parser, sema (symbols) and the core's circuit and error functions.
 */
#include "qasm/qasm.h"
#include "core/check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int qq_error(qq_parser *ps, qs_status st, qq_loc loc, const char *fmt, ...)
{
    if (ps->probing) {
        ps->probe_failed = 1;
        return 0;
    }
    if (ps->failed)
        return 0;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps->failed = 1;
    ps->status = st;
    qs__fail_at(st, ps->func, loc.file ? loc.file : ps->main_name, loc.line, loc.col, "%s", msg);
    return 0;
}

const char *qq_where(qq_parser *ps, qq_loc loc, char *buf, size_t n)
{
    if (loc.file && strcmp(loc.file, ps->src->name) != 0)
        snprintf(buf, n, "%s:%d", loc.file, loc.line);
    else
        snprintf(buf, n, "line %d", loc.line);
    return buf;
}

/* A new source owning copies of name and dir, and taking text. */
static qq_src *new_src(qq_parser *ps, const char *name, const char *dir, char *text, size_t len)
{
    qq_src *s = calloc(1, sizeof *s);
    if (s) {
        s->name = strdup(name);
        s->dir = strdup(dir);
    }
    if (!s || !s->name || !s->dir) {
        if (s) {
            free(s->name);
            free(s->dir);
        }
        free(s);
        free(text);
        return NULL;
    }
    s->text = text;
    s->len = len;
    s->next_owned = ps->owned;
    ps->owned = s;
    return s;
}

/* Makes s the current source and reads its first token. */
static int push(qq_parser *ps, qq_src *s, qq_loc loc)
{
    if (ps->depth > QQ_MAX_INCLUDE_DEPTH)
        return qq_error(ps, QS_EPARSE, loc, "includes nested more than %d deep",
                        QQ_MAX_INCLUDE_DEPTH);
    ps->stack[ps->depth++] = s;
    ps->src = s;
    qq_lex_start(s);
    return qq_next(ps);
}

void qq_pop(qq_parser *ps)
{
    ps->depth--;
    ps->src = ps->depth > 0 ? ps->stack[ps->depth - 1] : NULL;
}

int qq_push_text(qq_parser *ps, const char *name, const char *text)
{
    char *t = strdup(text);
    qq_src *s = t ? new_src(ps, name, "", t, strlen(t)) : NULL;
    if (!s)
        return qq_error(ps, QS_ENOMEM, (qq_loc){0}, "out of memory");
    s->builtin = 1;
    return push(ps, s, (qq_loc){0});
}

/* Reads a whole file.  On failure returns NULL with *why set (a static
 * string, or NULL for errno). */
static char *read_file(const char *path, size_t *len, struct stat *stt, const char **why)
{
    *why = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fstat(fileno(f), stt) != 0)
        goto fail;
    if (S_ISDIR(stt->st_mode)) {
        *why = "it is a directory";
        goto fail;
    }
    size_t cap = 1 << 16, n = 0;
    buf = malloc(cap);
    for (;;) {
        if (!buf) {
            *why = "out of memory";
            goto fail;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap >= QQ_MAX_FILE_BYTES) {
            *why = "the file is larger than 1 GiB";
            goto fail;
        }
        char *b = realloc(buf, cap * 2);
        if (!b)
            free(buf);
        buf = b;
        cap *= 2;
    }
    if (ferror(f))
        goto fail;
    fclose(f);
    buf[n] = '\0';   /* n < cap */
    *len = n;
    return buf;
fail:
    free(buf);
    fclose(f);
    return NULL;
}

/* The reading of file text as a source; 0 with the error reported. */
static qq_src *open_source(qq_parser *ps, const char *path, const char *display, qq_loc loc,
                           const char *what)
{
    size_t len;
    struct stat stt;
    const char *why;
    char *text = read_file(path, &len, &stt, &why);
    if (!text) {
        qq_error(ps, QS_EIO, loc, "cannot open %s '%s': %s", what, display,
                 why ? why : strerror(errno));
        return NULL;
    }
    const char *nul = memchr(text, '\0', len);
    /* The directory part of the path, for the file's own includes. */
    const char *slash = strrchr(path, '/');
    char *dir = strndup(path, slash ? (size_t)(slash - path + 1) : 0);
    qq_src *s = dir ? new_src(ps, display, dir, text, len) : (free(text), NULL);
    free(dir);
    if (!s) {
        qq_error(ps, QS_ENOMEM, loc, "out of memory reading '%s'", display);
        return NULL;
    }
    s->dev = stt.st_dev;
    s->ino = stt.st_ino;
    if (nul) {
        /* Report it where it is: lex up to it. */
        s->len = (size_t)(nul - text);
        qq_src *saved = ps->src;
        ps->src = s;
        qq_lex_start(s);
        for (size_t p = s->pos; p < s->len; p++)
            if (text[p] == '\n') {
                s->line++;
                s->line_start = p + 1;
            }
        qq_error(ps, QS_EPARSE, (qq_loc){s->name, s->line, (int)(s->len - s->line_start) + 1},
                 "the file contains a NUL byte");
        ps->src = saved;
        return NULL;
    }
    return s;
}

int qq_push_file(qq_parser *ps, const char *path, qq_loc loc)
{
#ifdef QQ_FUZZING
    /* Fuzz inputs must not read the machine's files (or block on one). */
    return qq_error(ps, QS_EIO, loc, "cannot open include file '%s': includes are off in the "
                    "fuzzing build", path);
#endif
    const char *dir = ps->src->dir;
    size_t n = strlen(dir) + strlen(path) + 1;
    char *full = malloc(n);
    if (!full)
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    snprintf(full, n, "%s%s", path[0] == '/' ? "" : dir, path);
    qq_src *s = open_source(ps, full, full, loc, "include file");
    free(full);
    if (!s)
        return 0;
    for (int i = 0; i < ps->depth; i++)
        if (!ps->stack[i]->builtin && ps->stack[i]->ino == s->ino && ps->stack[i]->dev == s->dev &&
            (ps->stack[i]->ino || ps->stack[i]->dev))
            return qq_error(ps, QS_EPARSE, loc, "recursive include: '%s' includes itself%s",
                            s->name, i + 1 < ps->depth ? " through other files" : "");
    return push(ps, s, loc);
}

static void parser_free(qq_parser *ps)
{
    qq_symbols_free(ps);
    while (ps->owned) {
        qq_src *s = ps->owned;
        ps->owned = s->next_owned;
        free(s->name);
        free(s->dir);
        free(s->text);
        free(s);
    }
}

static qs_status parse(qq_parser *ps, qq_src *main, qs_circuit **out)
{
    qs_status st = qs_circuit_create(0, 0, &ps->c);
    qs__warn_clear();
    if (st == QS_OK && main && push(ps, main, (qq_loc){0}) && qq_declare_builtins(ps))
        qq_parse_program(ps);
    if (st == QS_OK && ps->failed)
        st = ps->status;
    parser_free(ps);
    if (st != QS_OK) {
        qs_circuit_destroy(ps->c);
        return st;
    }
    *out = ps->c;
    return QS_OK;
}

static qs_status check_args(const char *func, unsigned flags, qs_circuit **out)
{
    QS_CHECK_NULL(func, out);
    *out = NULL;
    if (flags & ~(unsigned)(QS_PARSE_STRICT | QS_PARSE_CHECK_MEMORY | QS_PARSE_F32))
        return qs__fail(QS_EINVAL, func, "unknown flags 0x%x", flags);
    return QS_OK;
}

QS_API qs_status qs_circuit_parse_file(const char *path, unsigned flags, qs_circuit **out)
{
    QS_TRY(check_args(__func__, flags, out));
    QS_CHECK_NULL(__func__, path);
    qq_parser ps = {.func = __func__, .flags = flags, .main_name = path};
    qq_src *s = open_source(&ps, path, path, (qq_loc){path, 0, 0}, "file");
    if (!s) {
        /* Not a place in a program: an ordinary error. */
        qs_status st = ps.status;
        char msg[1024];
        const char *m;
        qs_last_error_location(NULL, NULL, NULL, &m);
        snprintf(msg, sizeof msg, "%s", m);
        parser_free(&ps);
        return st == QS_EPARSE ? st : qs__fail(st, __func__, "%s", msg);
    }
    return parse(&ps, s, out);
}

QS_API qs_status qs_circuit_parse_string(const char *text, const char *name, unsigned flags,
                                         qs_circuit **out)
{
    QS_TRY(check_args(__func__, flags, out));
    QS_CHECK_NULL(__func__, text);
    qq_parser ps = {.func = __func__, .flags = flags, .main_name = name ? name : "<string>"};
    char *t = strdup(text);
    qq_src *s = t ? new_src(&ps, ps.main_name, "", t, strlen(t)) : NULL;
    if (!s) {
        parser_free(&ps);
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    return parse(&ps, s, out);
}
