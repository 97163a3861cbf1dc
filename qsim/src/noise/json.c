/* json.c - see json.h.  Recursive descent, depth-limited. */
#include "noise/json.h"
#include "core/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *func, *name, *s;
    size_t i;
    int line;
    size_t line_start;
    qs_status st;
} jp;

static int col(const jp *p) { return (int)(p->i - p->line_start) + 1; }

static void fail(jp *p, const char *msg)
{
    if (p->st == QS_OK)
        p->st = qs__fail_at(QS_EPARSE, p->func, p->name, p->line, col(p), "%s", msg);
}

static void ws(jp *p)
{
    for (;;) {
        char c = p->s[p->i];
        if (c == '\n') {
            p->i++;
            p->line++;
            p->line_start = p->i;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            p->i++;
        } else {
            return;
        }
    }
}

static void value(jp *p, qs__jnode *out, int depth);

static char *string(jp *p)
{
    size_t cap = 16, n = 0;
    char *b = malloc(cap);
    p->i++;   /* the quote */
    for (;;) {
        char c = p->s[p->i];
        if (!b) {
            fail(p, "out of memory");
            return NULL;
        }
        if (c == '\0' || c == '\n') {
            fail(p, "unterminated string");
            free(b);
            return NULL;
        }
        p->i++;
        if (c == '"')
            break;
        if (c == '\\') {
            char e = p->s[p->i++];
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                unsigned v = 0;
                for (int k = 0; k < 4; k++) {
                    char h = p->s[p->i];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
                        fail(p, "bad \\u escape");
                        free(b);
                        return NULL;
                    }
                    v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
                    p->i++;
                }
                c = v < 0x80 ? (char)v : '?';   /* names are ASCII */
                break;
            }
            case '"': case '\\': case '/': c = e; break;
            default:
                p->i--;
                fail(p, "bad escape in string");
                free(b);
                return NULL;
            }
        }
        if (n + 2 > cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb)
                free(b);
            b = nb;
            if (!b) {
                fail(p, "out of memory");
                return NULL;
            }
        }
        b[n++] = c;
    }
    b[n] = '\0';
    return b;
}

static int push(jp *p, qs__jnode *arr, int *cap, int obj)
{
    if (arr->n == *cap) {
        int nc = *cap ? *cap * 2 : 4;
        qs__jnode *it = realloc(arr->items, sizeof *it * (size_t)nc);
        if (it)
            arr->items = it;
        char **k = obj ? realloc(arr->keys, sizeof *k * (size_t)nc) : NULL;
        if (obj && k)
            arr->keys = k;
        if (!it || (obj && !k)) {
            fail(p, "out of memory");
            return 0;
        }
        *cap = nc;
    }
    memset(&arr->items[arr->n], 0, sizeof arr->items[0]);
    if (obj)
        arr->keys[arr->n] = NULL;
    arr->n++;
    return 1;
}

static void container(jp *p, qs__jnode *out, int depth, int obj)
{
    char close = obj ? '}' : ']';
    int cap = 0;
    out->type = obj ? QS__J_OBJ : QS__J_ARR;
    p->i++;
    ws(p);
    if (p->s[p->i] == close) {
        p->i++;
        return;
    }
    for (;;) {
        ws(p);
        if (!push(p, out, &cap, obj))
            return;
        if (obj) {
            if (p->s[p->i] != '"') {
                fail(p, "expected a key in quotes");
                return;
            }
            out->keys[out->n - 1] = string(p);
            if (p->st != QS_OK)
                return;
            ws(p);
            if (p->s[p->i] != ':') {
                fail(p, "expected ':' after the key");
                return;
            }
            p->i++;
            ws(p);
        }
        value(p, &out->items[out->n - 1], depth + 1);
        if (p->st != QS_OK)
            return;
        ws(p);
        if (p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->s[p->i] == close) {
            p->i++;
            return;
        }
        fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        return;
    }
}

static void value(jp *p, qs__jnode *out, int depth)
{
    ws(p);
    out->line = p->line;
    out->col = col(p);
    if (depth > 64) {
        fail(p, "nested too deeply");
        return;
    }
    const char *s = p->s + p->i;
    if (*s == '{' || *s == '[') {
        container(p, out, depth, *s == '{');
    } else if (*s == '"') {
        out->type = QS__J_STR;
        out->str = string(p);
    } else if (!strncmp(s, "true", 4) || !strncmp(s, "false", 5) || !strncmp(s, "null", 4)) {
        out->type = *s == 'n' ? QS__J_NULL : QS__J_BOOL;
        out->num = *s == 't';
        p->i += *s == 'f' ? 5 : 4;
    } else if (*s == '-' || (*s >= '0' && *s <= '9') || !strncmp(s, "NaN", 3) ||
               !strncmp(s, "Infinity", 8)) {
        char *end;
        errno = 0;
        out->type = QS__J_NUM;
        out->num = strtod(s, &end);
        if (end == s)
            fail(p, "malformed number");
        p->i += (size_t)(end - s);
    } else if (*s == '\0') {
        fail(p, "unexpected end of the file");
    } else {
        fail(p, "expected a JSON value");
    }
}

static void free_content(qs__jnode *j)
{
    for (int i = 0; i < j->n; i++) {
        free_content(&j->items[i]);
        if (j->keys)
            free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->str);
}

void qs__json_free(qs__jnode *j)
{
    if (!j)
        return;
    free_content(j);
    free(j);
}

qs_status qs__json_parse(const char *func, const char *text, const char *name, qs__jnode **out)
{
    *out = NULL;
    jp p = {func, name, text, 0, 1, 0, QS_OK};
    qs__jnode *root = calloc(1, sizeof *root);
    if (!root)
        return qs__fail(QS_ENOMEM, func, "out of memory");
    value(&p, root, 0);
    if (p.st == QS_OK) {
        ws(&p);
        if (p.s[p.i] != '\0')
            fail(&p, "unexpected text after the JSON value");
    }
    if (p.st != QS_OK) {
        qs__json_free(root);
        return p.st;
    }
    *out = root;
    return QS_OK;
}

const qs__jnode *qs__json_get(const qs__jnode *obj, const char *key)
{
    if (!obj || obj->type != QS__J_OBJ)
        return NULL;
    for (int i = 0; i < obj->n; i++)
        if (obj->keys[i] && strcmp(obj->keys[i], key) == 0)
            return &obj->items[i];
    return NULL;
}

qs_status qs__read_text(const char *func, const char *path, char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return qs__fail(QS_EIO, func, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        if (cap >= ((size_t)1 << 30)) {   /* a noise model is not a gigabyte */
            free(buf);
            fclose(f);
            return qs__fail(QS_ETOOBIG, func, "%s is larger than 1 GiB", path);
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb)
            free(buf);
        buf = nb;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!buf)
        return qs__fail(QS_ENOMEM, func, "out of memory reading %s", path);
    if (err) {
        free(buf);
        return qs__fail(QS_EIO, func, "cannot read %s", path);
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        free(buf);
        return qs__fail(QS_EPARSE, func, "%s: contains a NUL byte", path);
    }
    *out = buf;
    return QS_OK;
}
