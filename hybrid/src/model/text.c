/*
 * text.c - reading the data files of the hybrid layer (graphs, CSV data
 * sets, classifier models): whole files into memory, "# key: value"
 * headers, and numbers with the position of what failed to parse.
 */
#include "model/text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

qs_status qh__read_text(const char *func, const char *path, char **out)
{
    *out = NULL;
    if (!path)
        return qs_set_error(QS_EINVAL, func, "path is NULL");
    size_t len;
    qs_status st = qs_file_read(path, QS_FILE_MAX_BYTES, out, &len);
    if (st != QS_OK) {
        /* the message is copied first: qs_set_error writes the same buffer */
        char msg[512];
        snprintf(msg, sizeof msg, "%s", qh__strip_func(qs_last_error()));
        return qs_set_error(st, func, "%s", msg);
    }
    size_t nul = strlen(*out);
    if (nul != len) {
        qs_free(*out);
        *out = NULL;
        return qs_set_error(QS_EPARSE, func, "%s: not a text file (a NUL byte at offset %zu)",
                            path, nul);
    }
    return QS_OK;
}

const char *qh__strip_func(const char *msg)
{
    const char *c = strstr(msg, ": ");
    if ((!strncmp(msg, "qs_", 3) || !strncmp(msg, "qh_", 3)) && c &&
        strspn(msg, "abcdefghijklmnopqrstuvwxyz_0123456789") == (size_t)(c - msg))
        return c + 2;
    return msg;
}

char *qh__next_line(char **cursor, int *lineno)
{
    char *s = *cursor;
    if (!s || !*s)
        return NULL;
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        *cursor = nl + 1;
    } else {
        *cursor = s + strlen(s);
    }
    size_t n = strlen(s);
    if (n && s[n - 1] == '\r')
        s[n - 1] = '\0';
    (*lineno)++;
    return s;
}

int qh__header_add(qh__header *h, const char *line)
{
    /* "# key: value" */
    const char *p = line + 1;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *colon = strchr(p, ':');
    if (!colon || colon == p)
        return 0;
    for (const char *q = p; q < colon; q++)
        if (!(isalnum((unsigned char)*q) || *q == '_' || *q == '.' || *q == '='))
            return 0;
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t vl = strlen(v);
    while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
        vl--;
    char **k = realloc(h->key, sizeof *k * (h->n + 1)), **val;
    if (!k)
        return -1;
    h->key = k;
    val = realloc(h->val, sizeof *val * (h->n + 1));
    if (!val)
        return -1;
    h->val = val;
    h->key[h->n] = strndup(p, (size_t)(colon - p));
    h->val[h->n] = strndup(v, vl);
    if (!h->key[h->n] || !h->val[h->n]) {
        free(h->key[h->n]);
        free(h->val[h->n]);
        return -1;
    }
    h->n++;
    return 1;
}

const char *qh__header_get(const qh__header *h, const char *key)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->key[i], key) == 0)
            return h->val[i];
    return NULL;
}

void qh__header_free(qh__header *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->key[i]);
        free(h->val[i]);
    }
    free(h->key);
    free(h->val);
    memset(h, 0, sizeof *h);
}

int qh__parse_double(const char **p, double *v)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || errno == ERANGE)
        return 0;
    *v = x;
    *p = end;
    return 1;
}
