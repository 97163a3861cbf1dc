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
    cli_out o;
    if (cli_out_open(&o, path) != 0)
        return -1;
    fprintf(o.f, "%s\n", CKPT_MAGIC);
    for (size_t i = 0; i < c->n; i++) {
        fprintf(o.f, "%s %zu", c->key[i], c->len[i]);
        for (size_t k = 0; k < c->len[i]; k++)
            fprintf(o.f, "%s%a", k % 4 == 3 ? "\n " : " ", c->val[i][k]);
        fputc('\n', o.f);
    }
    return cli_out_commit(&o);
}

ckpt *ckpt_read(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    ckpt *c = ckpt_new();
    char magic[64] = "", key[64];
    int ok = c && fgets(magic, sizeof magic, f) && strncmp(magic, CKPT_MAGIC, strlen(CKPT_MAGIC)) == 0;
    if (!ok)
        snprintf(err, errlen, "%s: not a qsim checkpoint", path);
    size_t n;
    while (ok && fscanf(f, "%63s %zu", key, &n) == 2) {
        double *v = malloc(sizeof *v * (n ? n : 1));
        ok = v != NULL;
        for (size_t k = 0; ok && k < n; k++)
            ok = fscanf(f, "%la", &v[k]) == 1;
        if (ok)
            ok = ckpt_set(c, key, v, n) == 0;
        else
            snprintf(err, errlen, "%s: entry '%s' is truncated", path, key);
        free(v);
    }
    if (ok && !feof(f)) {
        ok = 0;
        snprintf(err, errlen, "%s: unreadable entry after '%s'", path, c->n ? c->key[c->n - 1] : "");
    }
    fclose(f);
    if (!ok) {
        ckpt_free(c);
        return NULL;
    }
    return c;
}
