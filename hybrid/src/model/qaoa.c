/*
 * qaoa.c - weighted graphs, the MaxCut cost of every assignment, and QAOA
 * circuits whose cost layers are single diagonal steps.
 *
 * The cost table is built once: values[b] = sum over edges of w_uv when
 * bits u and v of b differ, in one pass over the 2^n assignments per edge
 * (n <= 30).  A layer exp(-i g C) is then one read+write pass, where a
 * circuit of rzz gates would make one pass per edge.
 */
#include "model/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qh_graph {
    int n;
    int *u, *v;
    double *w;
    size_t m, cap;
    qh__header hdr;
};

/* Largest graph whose cost table is built (2^30 doubles = 8 GiB). */
#define MAX_NODES 30

QH_API qs_status qh_graph_create(int num_nodes, qh_graph **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    if (num_nodes < 1 || num_nodes > QS_MAX_QUBITS)
        return QH_FAIL(QS_EINVAL, "num_nodes %d not in [1, %d]", num_nodes, QS_MAX_QUBITS);
    qh_graph *g = calloc(1, sizeof *g);
    if (!g)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    g->n = num_nodes;
    *out = g;
    return QS_OK;
}

QH_API void qh_graph_destroy(qh_graph *g)
{
    if (!g)
        return;
    free(g->u);
    free(g->v);
    free(g->w);
    qh__header_free(&g->hdr);
    free(g);
}

QH_API qs_status qh_graph_add_edge(qh_graph *g, int u, int v, double w)
{
    QH_CHECK_NULL(g);
    if (u < 0 || v < 0 || u >= g->n || v >= g->n || u == v)
        return QH_FAIL(QS_EINVAL, "edge (%d, %d) in a graph of %d nodes", u, v, g->n);
    if (!isfinite(w))
        return QH_FAIL(QS_EINVAL, "weight %g of edge (%d, %d)", w, u, v);
    if (g->m == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        int *nu = realloc(g->u, sizeof *nu * cap), *nv = nu ? realloc(g->v, sizeof *nv * cap) : NULL;
        if (nu)
            g->u = nu;
        if (nv)
            g->v = nv;
        double *nw = nv ? realloc(g->w, sizeof *nw * cap) : NULL;
        if (!nw)
            return QH_FAIL(QS_ENOMEM, "out of memory");
        g->w = nw;
        g->cap = cap;
    }
    g->u[g->m] = u;
    g->v[g->m] = v;
    g->w[g->m++] = w;
    return QS_OK;
}

QH_API qs_status qh_graph_read(const char *path, qh_graph **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    char *text, *cur;
    QH_TRY(qh__read_text(__func__, path, &text));
    cur = text;
    qh__header hdr = {0};
    int line = 0, maxnode = -1;
    size_t cap = 0, m = 0;
    double *e = NULL;   /* u, v, w triples */
    qs_status st = QS_OK;
    for (char *s; st == QS_OK && (s = qh__next_line(&cur, &line));) {
        const char *p = s;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#') {
            if (qh__header_add(&hdr, p) < 0)
                st = QH_FAIL(QS_ENOMEM, "out of memory");
            continue;
        }
        if (!*p)
            continue;
        double uv[3] = {0, 0, 1};
        int k = 0;
        const char *q = p;
        while (k < 3 && qh__parse_double(&q, &uv[k]))
            k++;
        while (*q == ' ' || *q == '\t')
            q++;
        if (k < 2 || *q || uv[0] != floor(uv[0]) || uv[1] != floor(uv[1]) || uv[0] < 0 ||
            uv[1] < 0 || uv[0] == uv[1] || uv[0] >= QS_MAX_QUBITS || uv[1] >= QS_MAX_QUBITS) {
            st = QH_FAIL(QS_EPARSE, "%s:%d:%d: expected an edge 'u v' or 'u v w' (distinct "
                         "nodes 0..%d, a number weight)", path, line,
                         (int)((k < 2 || *q ? q : p) - s) + 1, QS_MAX_QUBITS - 1);
            break;
        }
        if (m + 3 > cap) {
            cap = cap ? 2 * cap : 96;
            double *ne = realloc(e, sizeof *ne * cap);
            if (!ne) {
                st = QH_FAIL(QS_ENOMEM, "out of memory");
                break;
            }
            e = ne;
        }
        memcpy(e + m, uv, sizeof uv);
        m += 3;
        maxnode = (int)fmax(maxnode, fmax(uv[0], uv[1]));
    }
    int n = maxnode + 1;
    const char *nodes = qh__header_get(&hdr, "nodes");
    if (st == QS_OK && nodes) {
        int hn = atoi(nodes);
        if (hn < n)
            st = QH_FAIL(QS_EPARSE, "%s: header says %d nodes, an edge names node %d", path, hn,
                         maxnode);
        n = hn;
    }
    if (st == QS_OK && n < 1)
        st = QH_FAIL(QS_EPARSE, "%s: no edges and no 'nodes' header", path);
    qh_graph *g = NULL;
    if (st == QS_OK)
        st = qh_graph_create(n, &g);
    for (size_t i = 0; st == QS_OK && i < m; i += 3)
        st = qh_graph_add_edge(g, (int)e[i], (int)e[i + 1], e[i + 2]);
    free(e);
    free(text);
    if (st != QS_OK) {
        qh__header_free(&hdr);
        qh_graph_destroy(g);
        return st;
    }
    g->hdr = hdr;
    *out = g;
    return QS_OK;
}

QH_API int qh_graph_num_nodes(const qh_graph *g) { return g ? g->n : 0; }
QH_API size_t qh_graph_num_edges(const qh_graph *g) { return g ? g->m : 0; }

QH_API const char *qh_graph_header(const qh_graph *g, const char *key)
{
    return g && key ? qh__header_get(&g->hdr, key) : NULL;
}

QH_API qs_status qh_maxcut_values(const qh_graph *g, double *values)
{
    QH_CHECK_NULL(g);
    QH_CHECK_NULL(values);
    if (g->n > MAX_NODES)
        return QH_FAIL(QS_ETOOBIG, "a cost table of %d nodes (at most %d)", g->n, MAX_NODES);
    uint64_t len = UINT64_C(1) << g->n;
    memset(values, 0, sizeof *values * len);
    for (size_t e = 0; e < g->m; e++) {
        int u = g->u[e], v = g->v[e];
        double w = g->w[e];
        for (uint64_t b = 0; b < len; b++)
            if (((b >> u) ^ (b >> v)) & 1)
                values[b] += w;
    }
    return QS_OK;
}

QH_API qs_status qh_qaoa_circuit(int num_qubits, const double *cost, int layers, qs_circuit **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    QH_CHECK_NULL(cost);
    if (num_qubits < 1 || num_qubits > MAX_NODES || layers < 1)
        return QH_FAIL(QS_EINVAL, "num_qubits %d, layers %d", num_qubits, layers);
    qs_circuit *c;
    QH_TRY(qs_circuit_create(num_qubits, 0, &c));
    qs_status st = QS_OK;
    for (int q = 0; q < num_qubits && st == QS_OK; q++)
        st = qs_circuit_append_gate(c, QS_GATE_H, &q, NULL);
    for (int l = 1; l <= layers && st == QS_OK; l++) {
        char g[32], b[32], twob[40];
        snprintf(g, sizeof g, "gamma%d", l);
        snprintf(b, sizeof b, "beta%d", l);
        snprintf(twob, sizeof twob, "2*beta%d", l);
        const char *e[] = {twob};
        st = qs_circuit_add_param(c, g, NULL);
        if (st == QS_OK)
            st = qs_circuit_add_param(c, b, NULL);
        if (st == QS_OK)
            st = qs_circuit_append_diagonal_exp(c, cost, g);
        for (int q = 0; q < num_qubits && st == QS_OK; q++)
            st = qs_circuit_append_gate_expr(c, QS_GATE_RX, &q, e);
    }
    if (st != QS_OK) {
        qs_circuit_destroy(c);
        return st;
    }
    *out = c;
    return QS_OK;
}

QH_API qs_status qh_qaoa_grid_search(qh_objective *o, int n_gamma, int n_beta, double gamma_max,
                                     double *best, double *value)
{
    QH_CHECK_NULL(o);
    QH_CHECK_NULL(best);
    if (qh_objective_num_params(o) != 2)
        return QH_FAIL(QS_EINVAL, "a grid over (gamma, beta) needs one layer, not %d parameters",
                       qh_objective_num_params(o));
    if (n_gamma < 1 || n_beta < 1 || !(gamma_max > 0) || !isfinite(gamma_max))
        return QH_FAIL(QS_EINVAL, "grid %d x %d over gamma in [0, %g)", n_gamma, n_beta,
                       gamma_max);
    size_t N = (size_t)n_gamma * (size_t)n_beta;
    double *x = malloc(sizeof *x * 2 * N), *v = malloc(sizeof *v * N);
    if (!x || !v) {
        free(x);
        free(v);
        return QH_FAIL(QS_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n_gamma; i++)
        for (int j = 0; j < n_beta; j++) {
            size_t k = (size_t)i * (size_t)n_beta + (size_t)j;
            x[2 * k] = gamma_max * i / n_gamma;
            x[2 * k + 1] = (M_PI / 2) * j / n_beta;
        }
    qs_status st = qh_objective_values(o, N, x, v);
    if (st == QS_OK) {
        size_t b = 0;
        for (size_t k = 1; k < N; k++)
            if (v[k] < v[b])
                b = k;
        best[0] = x[2 * b];
        best[1] = x[2 * b + 1];
        if (value)
            *value = v[b];
    }
    free(x);
    free(v);
    return st;
}

QH_API qs_status qh_qaoa_interp(int p, const double *params, double *params_next)
{
    QH_CHECK_NULL(params);
    QH_CHECK_NULL(params_next);
    if (p < 1)
        return QH_FAIL(QS_EINVAL, "p %d < 1", p);
    /* x'_i = (i-1)/p x_{i-1} + (p-i+1)/p x_i, i = 1..p+1, x_0 = x_{p+1} = 0 */
    for (int k = 0; k < 2; k++)
        for (int i = 1; i <= p + 1; i++) {
            double prev = i >= 2 ? params[2 * (i - 2) + k] : 0;
            double cur = i <= p ? params[2 * (i - 1) + k] : 0;
            params_next[2 * (i - 1) + k] = (double)(i - 1) / p * prev + (double)(p - i + 1) / p * cur;
        }
    return QS_OK;
}
