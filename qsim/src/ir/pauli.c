/*
 * pauli.c - Pauli sums: building, reading the Pauli-sum file format, and
 * grouping terms by their X/Y positions for the kernels.
 */
#include "ir/pauli_impl.h"
#include "core/check.h"
#include "core/error.h"
#include "core/file.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

QS_API qs_status qs_pauli_sum_create(int num_qubits, qs_pauli_sum **out)
{
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    if (num_qubits < 0 || num_qubits > QS_MAX_QUBITS)
        return qs__fail(QS_EINVAL, __func__, "num_qubits %d not in [0, %d]", num_qubits,
                        QS_MAX_QUBITS);
    qs_pauli_sum *h = calloc(1, sizeof *h);
    if (!h)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    h->fixed_nq = h->nq = num_qubits;
    pthread_mutex_init(&h->lock, NULL);
    *out = h;
    return QS_OK;
}

static void drop_groups(qs_pauli_sum *h)
{
    free(h->gx);
    free(h->gz);
    free(h->gstart);
    free(h->gcoef);
    h->gx = h->gz = NULL;
    h->gstart = NULL;
    h->gcoef = NULL;
    h->grouped = 0;
}

QS_API void qs_pauli_sum_destroy(qs_pauli_sum *h)
{
    if (!h)
        return;
    drop_groups(h);
    free(h->x);
    free(h->z);
    free(h->w);
    free(h->hash);
    for (size_t i = 0; i < h->nh; i++) {
        free(h->hkey[i]);
        free(h->hval[i]);
    }
    free(h->hkey);
    free(h->hval);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

static size_t hash_of(uint64_t x, uint64_t z)
{
    uint64_t v = x * 0x9E3779B97F4A7C15ull ^ (z + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(v ^ (v >> 29));
}

/* Index of term (x, z), or n if absent; *slot gets its hash slot. */
static size_t find(const qs_pauli_sum *h, uint64_t x, uint64_t z, size_t *slot)
{
    if (h->hcap == 0)
        return h->n;
    size_t i = hash_of(x, z) & (h->hcap - 1);
    while (h->hash[i]) {
        size_t t = h->hash[i] - 1;
        if (h->x[t] == x && h->z[t] == z) {
            *slot = i;
            return t;
        }
        i = (i + 1) & (h->hcap - 1);
    }
    *slot = i;
    return h->n;
}

static int grow(qs_pauli_sum *h)
{
    if (h->n + 1 > h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 16;
        uint64_t *x = realloc(h->x, cap * sizeof *x);
        if (!x)
            return 0;
        h->x = x;
        uint64_t *z = realloc(h->z, cap * sizeof *z);
        if (!z)
            return 0;
        h->z = z;
        double *w = realloc(h->w, cap * sizeof *w);
        if (!w)
            return 0;
        h->w = w;
        h->cap = cap;
    }
    if (2 * (h->n + 1) > h->hcap) {
        size_t hcap = h->hcap ? 2 * h->hcap : 32;
        size_t *hash = calloc(hcap, sizeof *hash);
        if (!hash)
            return 0;
        free(h->hash);
        h->hash = hash;
        h->hcap = hcap;
        for (size_t t = 0; t < h->n; t++) {
            size_t slot;
            find(h, h->x[t], h->z[t], &slot);
            h->hash[slot] = t + 1;
        }
    }
    return 1;
}

/* Adds w * (x, z); the term must already be checked. */
static qs_status add_masks(const char *func, qs_pauli_sum *h, double w, uint64_t x, uint64_t z)
{
    int top = 63 - __builtin_clzll((x | z) | 1);
    if ((x | z) && top + 1 > h->nq) {
        if (h->fixed_nq)
            return qs__fail(QS_ERANGE, func, "qubit %d out of range for a %d-qubit sum", top,
                            h->fixed_nq);
        h->nq = top + 1;
    }
    if (!isfinite(w))
        return qs__fail(QS_EINVAL, func, "coefficient is %g", w);
    if (!grow(h))
        return qs__fail(QS_ENOMEM, func, "out of memory");
    size_t slot, t = find(h, x, z, &slot);
    if (t < h->n) {
        h->w[t] += w;
    } else {
        h->x[h->n] = x;
        h->z[h->n] = z;
        h->w[h->n] = w;
        h->hash[slot] = ++h->n;
    }
    pthread_mutex_lock(&h->lock);
    drop_groups(h);
    pthread_mutex_unlock(&h->lock);
    return QS_OK;
}

/* Parses a term ("X0 Z3", "I", "") from s; on error *col is the 1-based
 * column and msg what was expected. */
static int parse_term(const char *s, const char *end, uint64_t *x, uint64_t *z, size_t *col,
                      const char **msg)
{
    const char *p = s;
    *x = *z = 0;
    uint64_t used = 0;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '*'))
            p++;
        if (p >= end || *p == '\n' || *p == '\r' || *p == '#')
            break;
        char c = (char)toupper((unsigned char)*p);
        const char *at = p;
        if (c != 'I' && c != 'X' && c != 'Y' && c != 'Z') {
            *col = (size_t)(at - s) + 1;
            *msg = "expected a Pauli letter I, X, Y or Z";
            return 0;
        }
        p++;
        if (p >= end || !isdigit((unsigned char)*p)) {
            if (c == 'I')   /* bare "I": the identity */
                continue;
            *col = (size_t)(p - s) + 1;
            *msg = "expected a qubit number after the Pauli letter";
            return 0;
        }
        long q = 0;
        while (p < end && isdigit((unsigned char)*p) && q <= QS_MAX_QUBITS)
            q = q * 10 + (*p++ - '0');
        if (q >= 64 || q >= QS_MAX_QUBITS) {
            *col = (size_t)(at - s) + 2;
            *msg = "qubit number too large";
            return 0;
        }
        uint64_t bit = UINT64_C(1) << q;
        if (used & bit) {
            *col = (size_t)(at - s) + 1;
            *msg = "qubit appears twice in the term";
            return 0;
        }
        used |= bit;
        if (c == 'X' || c == 'Y')
            *x |= bit;
        if (c == 'Z' || c == 'Y')
            *z |= bit;
    }
    *col = (size_t)(p - s) + 1;
    return 1;
}

QS_API qs_status qs_pauli_sum_add_term(qs_pauli_sum *h, double coef, const char *term)
{
    QS_CHECK_NULL(__func__, h);
    QS_CHECK_NULL(__func__, term);
    uint64_t x, z;
    size_t col;
    const char *msg = NULL;
    if (!parse_term(term, term + strlen(term), &x, &z, &col, &msg))
        return qs__fail(QS_EPARSE, __func__, "term \"%s\", column %zu: %s", term, col, msg);
    if (term[col - 1])
        return qs__fail(QS_EPARSE, __func__, "term \"%s\", column %zu: unexpected character",
                        term, col);
    return add_masks(__func__, h, coef, x, z);
}

QS_API qs_status qs_pauli_sum_add(qs_pauli_sum *h, double coef, const int *qubits,
                                  const char *paulis, int n)
{
    QS_CHECK_NULL(__func__, h);
    uint64_t x = 0, z = 0, used = 0;
    if (n < 0)
        return qs__fail(QS_EINVAL, __func__, "n %d is negative", n);
    if (n > 0 && (!qubits || !paulis))
        return qs__null(__func__, qubits ? "paulis" : "qubits");
    int lim = h->fixed_nq ? h->fixed_nq : QS_MAX_QUBITS;
    for (int i = 0; i < n && paulis[i]; i++) {
        QS_TRY(qs__check_qubits(__func__, lim, "qubit", qubits + i, 1, &used));
        uint64_t bit = UINT64_C(1) << qubits[i];
        switch (toupper((unsigned char)paulis[i])) {
        case 'I': break;
        case 'X': x |= bit; break;
        case 'Y': x |= bit; z |= bit; break;
        case 'Z': z |= bit; break;
        default:
            return qs__fail(QS_EINVAL, __func__, "paulis[%d] is '%c', expected I, X, Y or Z", i,
                            paulis[i]);
        }
    }
    return add_masks(__func__, h, coef, x, z);
}

QS_API qs_status qs_pauli_sum_copy(const qs_pauli_sum *h, qs_pauli_sum **out)
{
    QS_CHECK_NULL(__func__, h);
    QS_TRY(qs_pauli_sum_create(h->fixed_nq, out));
    qs_pauli_sum *c = *out;
    c->nq = h->nq;
    for (size_t t = 0; t < h->n; t++) {
        qs_status st = add_masks(__func__, c, h->w[t], h->x[t], h->z[t]);
        if (st != QS_OK) {
            qs_pauli_sum_destroy(c);
            *out = NULL;
            return st;
        }
    }
    return QS_OK;
}

QS_API int qs_pauli_sum_num_qubits(const qs_pauli_sum *h) { return h ? h->nq : 0; }
QS_API size_t qs_pauli_sum_num_terms(const qs_pauli_sum *h) { return h ? h->n : 0; }

QS_API qs_status qs_pauli_sum_term(const qs_pauli_sum *h, size_t i, double *coef, char *buf,
                                   size_t buflen)
{
    QS_CHECK_NULL(__func__, h);
    if (i >= h->n)
        return qs__fail(QS_ERANGE, __func__, "term %zu out of range for a sum of %zu terms", i,
                        h->n);
    if (coef)
        *coef = h->w[i];
    if (!buf)
        return QS_OK;
    size_t len = 0;
    char tmp[64 * 4 + 2];
    uint64_t any = h->x[i] | h->z[i];
    if (!any)
        len = (size_t)snprintf(tmp, sizeof tmp, "I");
    for (int q = 0; q < 64; q++) {
        uint64_t bit = UINT64_C(1) << q;
        if (!(any & bit))
            continue;
        char c = (h->x[i] & bit) ? ((h->z[i] & bit) ? 'Y' : 'X') : 'Z';
        len += (size_t)snprintf(tmp + len, sizeof tmp - len, "%s%c%d", len ? " " : "", c, q);
    }
    if (len + 1 > buflen)
        return qs__fail(QS_ERANGE, __func__, "buffer of %zu bytes too small for %zu", buflen,
                        len + 1);
    memcpy(buf, tmp, len + 1);
    return QS_OK;
}

QS_API const char *qs_pauli_sum_header(const qs_pauli_sum *h, const char *key)
{
    if (!h || !key)
        return NULL;
    for (size_t i = 0; i < h->nh; i++)
        if (strcmp(h->hkey[i], key) == 0)
            return h->hval[i];
    return NULL;
}

static char *dup_trim(const char *s, const char *e)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    char *r = malloc((size_t)(e - s) + 1);
    if (r) {
        memcpy(r, s, (size_t)(e - s));
        r[e - s] = '\0';
    }
    return r;
}

/* "# key: value" comment lines become header entries. */
static int add_header(qs_pauli_sum *h, const char *s, const char *e)
{
    const char *colon = memchr(s, ':', (size_t)(e - s));
    if (!colon)
        return 1;
    for (const char *p = s; p < colon; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == ' ' || *p == '\t'))
            return 1;
    char *k = dup_trim(s, colon), *v = dup_trim(colon + 1, e);
    char **nk = realloc(h->hkey, (h->nh + 1) * sizeof *nk);
    if (nk)
        h->hkey = nk;
    char **nv = realloc(h->hval, (h->nh + 1) * sizeof *nv);
    if (nv)
        h->hval = nv;
    if (!k || !v || !nk || !nv || !*k) {
        free(k);
        free(v);
        return k && v && nk && nv;
    }
    h->hkey[h->nh] = k;
    h->hval[h->nh++] = v;
    return 1;
}

static qs_status parse_text(const char *func, const char *text, const char *name,
                            qs_pauli_sum **out)
{
    QS_TRY(qs_pauli_sum_create(0, out));
    qs_pauli_sum *h = *out;
    const char *p = text;
    int line = 0;
    qs_status st = QS_OK;
    while (*p && st == QS_OK) {
        line++;
        const char *e = strchr(p, '\n');
        if (!e)
            e = p + strlen(p);
        const char *q = p;
        while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < e && *q == '#') {
            if (!add_header(h, q + 1, e))
                st = qs__fail(QS_ENOMEM, func, "out of memory");
        } else if (q < e) {
            char *num_end;
            errno = 0;
            double c = strtod(q, &num_end);
            if (num_end == q || num_end > e || (num_end < e && !isspace((unsigned char)*num_end))) {
                st = qs__fail(QS_EPARSE, func, "%s:%d:%zu: expected a coefficient", name, line,
                              (size_t)(q - p) + 1);
                break;
            }
            uint64_t x, z;
            size_t col;
            const char *msg;
            if (!parse_term(num_end, e, &x, &z, &col, &msg)) {
                st = qs__fail(QS_EPARSE, func, "%s:%d:%zu: %s", name, line,
                              (size_t)(num_end - p) + col, msg);
                break;
            }
            if (!isfinite(c)) {
                st = qs__fail(QS_EPARSE, func, "%s:%d:%zu: coefficient is not finite", name,
                              line, (size_t)(q - p) + 1);
                break;
            }
            st = add_masks(func, h, c, x, z);
        }
        p = *e ? e + 1 : e;
    }
    if (st == QS_OK) {
        /* A header's n_qubits may name qubits no term touches. */
        const char *nq = qs_pauli_sum_header(h, "n_qubits");
        long v = nq ? strtol(nq, NULL, 10) : 0;
        if (v > h->nq && v <= QS_MAX_QUBITS)
            h->nq = (int)v;
        return QS_OK;
    }
    qs_pauli_sum_destroy(h);
    *out = NULL;
    return st;
}

QS_API qs_status qs_pauli_sum_parse(const char *text, const char *name, qs_pauli_sum **out)
{
    QS_CHECK_NULL(__func__, text);
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    return parse_text(__func__, text, name ? name : "<string>", out);
}

QS_API qs_status qs_pauli_sum_read(const char *path, qs_pauli_sum **out)
{
    QS_CHECK_NULL(__func__, path);
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    char *buf;
    size_t len;
    qs_status st = qs__file_read(__func__, path, QS_FILE_MAX_BYTES, &buf, &len);
    if (st != QS_OK)
        return st;
    if (strlen(buf) != len)
        st = qs__fail(QS_EPARSE, __func__, "%s: contains a NUL byte", path);
    else
        st = parse_text(__func__, buf, path, out);
    free(buf);
    return st;
}

/* ---- grouping ---------------------------------------------------------- */

typedef struct { uint64_t x; size_t i; } keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

static int build_groups(qs_pauli_sum *h)
{
    size_t n = h->n;
    keyed *order = malloc((n ? n : 1) * sizeof *order);
    h->gx = malloc((n ? n : 1) * sizeof *h->gx);
    h->gz = malloc((n ? n : 1) * sizeof *h->gz);
    h->gstart = malloc((n + 1) * sizeof *h->gstart);
    h->gcoef = malloc((n ? 2 * n : 1) * sizeof *h->gcoef);
    if (!order || !h->gx || !h->gz || !h->gstart || !h->gcoef) {
        free(order);
        drop_groups(h);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (keyed){h->x[i], i};
    qsort(order, n, sizeof *order, cmp_keyed);
    size_t ng = 0;
    for (size_t k = 0; k < n; k++) {
        size_t t = order[k].i;
        if (k == 0 || h->x[t] != order[k - 1].x) {
            h->gx[ng] = h->x[t];
            h->gstart[ng++] = k;
        }
        /* coef = w * i^{ny} */
        int ny = __builtin_popcountll(h->x[t] & h->z[t]) & 3;
        static const double re[4] = {1, 0, -1, 0}, im[4] = {0, 1, 0, -1};
        h->gz[k] = h->z[t];
        h->gcoef[2 * k] = h->w[t] * re[ny];
        h->gcoef[2 * k + 1] = h->w[t] * im[ny];
    }
    h->gstart[ng] = n;
    free(order);
    h->g = (qs__pgroups){ng, h->gx, h->gstart, h->gz, h->gcoef};
    h->grouped = 1;
    return 1;
}

const qs__pgroups *qs__pauli_groups(const qs_pauli_sum *hc)
{
    qs_pauli_sum *h = (qs_pauli_sum *)hc;   /* the cache is not observable state */
    pthread_mutex_lock(&h->lock);
    int ok = h->grouped || build_groups(h);
    pthread_mutex_unlock(&h->lock);
    return ok ? &h->g : NULL;
}
