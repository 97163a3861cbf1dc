/*
 * ckpt.c - checkpoint files: named arrays of doubles in a text format that
 * keeps every bit (C99 hexadecimal floats, "%a"), written atomically
 * through cli_out (temporary file, fsync, rename).
 *
 *     qsim-checkpoint 1
 *     stage 1 0x1p+1
 *     opt 40 0x1.4p+3 ...
 */
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CKPT_MAGIC "qsim-checkpoint 1"
/* Checkpoints hold an optimizer's state and some results: far below this. */
#define CKPT_MAX_BYTES ((size_t)1 << 28)

struct ckpt {
    char **key;
    double **val;
    size_t *len;
    size_t n;
};

ckpt *ckpt_new(void) { return calloc(1, sizeof(ckpt)); }

void ckpt_free(ckpt *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->key[i]);
        free(c->val[i]);
    }
    free(c->key);
    free(c->val);
    free(c->len);
    free(c);
}

int ckpt_set(ckpt *c, const char *key, const double *v, size_t n)
{
    size_t i = 0;
    while (i < c->n && strcmp(c->key[i], key) != 0)
        i++;
    double *copy = malloc(sizeof *copy * (n ? n : 1));
    if (!copy)
        return -1;
    if (n)
        memcpy(copy, v, sizeof *v * n);
    if (i == c->n) {
        char **k = realloc(c->key, sizeof *k * (c->n + 1));
        if (k)
            c->key = k;
        double **vv = k ? realloc(c->val, sizeof *vv * (c->n + 1)) : NULL;
        if (vv)
            c->val = vv;
        size_t *l = vv ? realloc(c->len, sizeof *l * (c->n + 1)) : NULL;
        if (l)
            c->len = l;
        char *name = l ? strdup(key) : NULL;
        if (!name) {
            free(copy);
            return -1;
        }
        c->key[i] = name;
        c->val[i] = NULL;
        c->n++;
    }
    free(c->val[i]);
    c->val[i] = copy;
    c->len[i] = n;
    return 0;
}

int ckpt_set1(ckpt *c, const char *key, double v) { return ckpt_set(c, key, &v, 1); }

const double *ckpt_get(const ckpt *c, const char *key, size_t *n)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (strcmp(c->key[i], key) == 0) {
            if (n)
                *n = c->len[i];
            return c->val[i];
        }
    return NULL;
}

int ckpt_write(const ckpt *c, const char *path)
{
    qs_output *h;
    if (qs_output_open(path, &h) != QS_OK)
        return -1;
    FILE *f = qs_output_stream(h);
    fprintf(f, "%s\n", CKPT_MAGIC);
    for (size_t i = 0; i < c->n; i++) {
        fprintf(f, "%s %zu", c->key[i], c->len[i]);
        for (size_t k = 0; k < c->len[i]; k++)
            fprintf(f, "%s%a", k % 4 == 3 ? "\n " : " ", c->val[i][k]);
        fputc('\n', f);
    }
    return qs_output_commit(h) == QS_OK ? 0 : -1;
}

/* A checkpoint is read whole (with the one size cap) and every count is
 * checked against what is left of the text before anything is allocated:
 * it is a file anyone may have edited. */
ckpt *ckpt_read(const char *path, char *err, size_t errlen)
{
    char *text;
    size_t len;
    if (qs_file_read(path, CKPT_MAX_BYTES, &text, &len) != QS_OK) {
        snprintf(err, errlen, "%s", cli_lib_error());
        return NULL;
    }
    ckpt *c = ckpt_new();
    double *v = NULL;
    const char *p = text, *end = text + len;
    int ok = c && strlen(text) == len && !strncmp(p, CKPT_MAGIC "\n", strlen(CKPT_MAGIC) + 1);
    if (!ok)
        snprintf(err, errlen, "%s: not a qsim checkpoint", path);
    if (ok)
        p += strlen(CKPT_MAGIC) + 1;
    while (ok) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (p == end)
            break;
        char key[64];
        size_t kl = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
        if (kl == 0 || kl >= sizeof key || p[kl] != ' ') {
            snprintf(err, errlen, "%s: expected an entry name at byte %zu", path,
                     (size_t)(p - text));
            ok = 0;
            break;
        }
        memcpy(key, p, kl);
        key[kl] = '\0';
        p += kl;
        char *q;
        errno = 0;
        unsigned long long n = strtoull(p, &q, 10);
        /* each value takes at least two bytes ("0 "): n can be no more */
        if (q == p || *p == '-' || errno || n > (unsigned long long)(end - q) / 2 ||
            ckpt_get(c, key, NULL)) {
            snprintf(err, errlen, "%s: entry '%s' has a bad length or is repeated", path, key);
            ok = 0;
            break;
        }
        p = q;
        v = malloc(sizeof *v * (n ? (size_t)n : 1));
        ok = v != NULL;
        for (size_t k = 0; ok && k < n; k++) {
            v[k] = strtod(p, &q);
            ok = q != p && (*q == ' ' || *q == '\n' || q == end);
            p = q;
        }
        if (!ok)
            snprintf(err, errlen, "%s: entry '%s' is truncated or has a bad number", path, key);
        if (ok && ckpt_set(c, key, v, (size_t)n) != 0) {
            snprintf(err, errlen, "%s: out of memory", path);
            ok = 0;
        }
        free(v);
        v = NULL;
    }
    free(v);
    qs_free(text);
    if (!ok) {
        ckpt_free(c);
        return NULL;
    }
    return c;
}
