/*
 * circuit.c - building circuits: parameters, operations, conditions and the
 * pools behind them.  Checks every argument when appended, so programs
 * compiled from a circuit need no checks of their own.
 */
#include "ir/circuit_impl.h"
#include "core/check.h"
#include "core/error.h"
#include "ir/gates.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Grows array p (count n, capacity cap) to hold n + add elements; a pool
 * exists after its first append, even of nothing, so offsets into it are
 * always into an array. */
static int grow(void **p, size_t *cap, size_t n, size_t add, size_t elem)
{
    if (n + add <= *cap && *p)
        return 1;
    size_t c = *cap ? *cap : 16;
    while (c < n + add)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return 0;
    *p = q;
    *cap = c;
    return 1;
}

int qs__circ_qubits(qs_circuit *c, const int *q, int n)
{
    if (!grow((void **)&c->qubits, &c->qcap, c->nqub, (size_t)n, sizeof *c->qubits))
        return -1;
    if (n > 0)
        memcpy(c->qubits + c->nqub, q, sizeof(int) * (size_t)n);
    c->nqub += (size_t)n;
    return (int)(c->nqub - (size_t)n);
}

int qs__circ_arg(qs_circuit *c, const qs__xnode *n, int len)
{
    if (!grow((void **)&c->nodes, &c->ncap, c->nnodes, (size_t)len, sizeof *c->nodes) ||
        !grow((void **)&c->args, &c->acap, c->nargs, 1, sizeof *c->args))
        return -1;
    memcpy(c->nodes + c->nnodes, n, sizeof *n * (size_t)len);
    c->args[c->nargs] = (qs__arg){(int)c->nnodes, len};
    c->nnodes += (size_t)len;
    return (int)c->nargs++;
}

int qs__circ_data(qs_circuit *c, const double *d, size_t n)
{
    if (!grow((void **)&c->data, &c->dcap, c->ndata, n, sizeof *c->data))
        return -1;
    memcpy(c->data + c->ndata, d, sizeof *d * n);
    c->ndata += n;
    return (int)(c->ndata - n);
}

int qs__circ_letters(qs_circuit *c, const char *s, int n)
{
    if (!grow((void **)&c->pletters, &c->lcap, c->nlet, (size_t)n, 1))
        return -1;
    memcpy(c->pletters + c->nlet, s, (size_t)n);
    c->nlet += (size_t)n;
    return (int)(c->nlet - (size_t)n);
}

qs__instr *qs__circ_push(qs_circuit *c)
{
    if (!grow((void **)&c->ins, &c->cap, c->n, 1, sizeof *c->ins))
        return NULL;
    qs__instr *in = &c->ins[c->n++];
    memset(in, 0, sizeof *in);
    in->doff = in->poff = -1;
    return in;
}

int qs__circ_add_call(qs_circuit *c, const char *name, size_t first, size_t end, const int *q,
                      int nq)
{
    qs__call *r = realloc(c->calls, sizeof *r * (c->ncalls + 1));
    if (!r)
        return -1;
    c->calls = r;
    int qoff = qs__circ_qubits(c, q, nq);
    char *nm = qoff < 0 ? NULL : strdup(name);
    if (!nm)
        return -1;
    r[c->ncalls++] = (qs__call){nm, first, end, nq, qoff};
    return 0;
}

void qs__circ_clear_calls(qs_circuit *c)
{
    for (size_t i = 0; i < c->ncalls; i++)
        free(c->calls[i].name);
    free(c->calls);
    c->calls = NULL;
    c->ncalls = 0;
}

int qs__circ_add_reg(qs_circuit *c, int quantum, const char *name, int first, int size)
{
    qs__reg **regs = quantum ? &c->qregs : &c->cregs;
    int *n = quantum ? &c->nqregs : &c->ncregs;
    qs__reg *r = realloc(*regs, sizeof *r * (size_t)(*n + 1));
    if (!r)
        return -1;
    *regs = r;
    char *nm = strdup(name);
    if (!nm)
        return -1;
    r[(*n)++] = (qs__reg){nm, first, size};
    return 0;
}

/* Parameter names are found through a hash table, so a circuit of n
 * parameters is built in O(n), not O(n^2) (a 5-line model file asked for
 * 400,000 of them). */
static unsigned name_hash(const char *s, size_t len)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int same_name(const char *a, const char *b, size_t len)
{
    return strlen(a) == len && memcmp(a, b, len) == 0;
}

int qs__circ_resolve(void *ctx, const char *name, size_t len)
{
    const qs_circuit *c = ctx;
    if (!c->phash) {
        for (int i = 0; i < c->np; i++)
            if (same_name(c->pnames[i], name, len))
                return i;
        return -1;
    }
    unsigned mask = (unsigned)c->phcap - 1;
    for (unsigned k = name_hash(name, len) & mask;; k = (k + 1) & mask) {
        int i = c->phash[k] - 1;
        if (i < 0)
            return -1;
        if (same_name(c->pnames[i], name, len))
            return i;
    }
}

/* Indexes parameter i (the table is kept under half full); 0 or -1. */
static int hash_param(qs_circuit *c, int i)
{
    if (2 * (i + 1) > c->phcap) {
        int cap = c->phcap ? 2 * c->phcap : 64;
        int *t = calloc((size_t)cap, sizeof *t);
        if (!t)
            return -1;
        free(c->phash);
        c->phash = t;
        c->phcap = cap;
        for (int j = 0; j < i; j++)
            hash_param(c, j);
    }
    unsigned mask = (unsigned)c->phcap - 1;
    unsigned k = name_hash(c->pnames[i], strlen(c->pnames[i])) & mask;
    while (c->phash[k])
        k = (k + 1) & mask;
    c->phash[k] = i + 1;
    return 0;
}

QS_API qs_status qs_circuit_create(int num_qubits, int num_clbits, qs_circuit **out)
{
    QS_CHECK_NULL(__func__, out);
    *out = NULL;
    if (num_qubits < 0 || num_qubits > QS_MAX_QUBITS)
        return qs__fail(QS_EINVAL, __func__, "num_qubits %d not in [0, %d]", num_qubits,
                        QS_MAX_QUBITS);
    if (num_clbits < 0)
        return qs__fail(QS_EINVAL, __func__, "num_clbits %d is negative", num_clbits);
    qs_circuit *c = calloc(1, sizeof *c);
    if (!c)
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    c->nq = num_qubits;
    c->nc = num_clbits;
    *out = c;
    return QS_OK;
}

QS_API void qs_circuit_destroy(qs_circuit *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->np; i++)
        free(c->pnames[i]);
    for (int i = 0; i < c->nqregs; i++)
        free(c->qregs[i].name);
    for (int i = 0; i < c->ncregs; i++)
        free(c->cregs[i].name);
    free(c->qregs);
    free(c->cregs);
    qs__circ_clear_calls(c);
    free(c->pnames);
    free(c->phash);
    free(c->ins);
    free(c->qubits);
    free(c->args);
    free(c->nodes);
    free(c->data);
    free(c->pletters);
    free(c);
}

/* A copy of n bytes; an empty pool is still an array (see grow). */
static void *dup_mem(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    if (q && n)
        memcpy(q, p, n);
    return q;
}

QS_API qs_status qs_circuit_copy(const qs_circuit *c, qs_circuit **out)
{
    QS_CHECK_NULL(__func__, c);
    QS_TRY(qs_circuit_create(c->nq, c->nc, out));
    qs_circuit *d = *out;
    int ok = 1;
    for (int i = 0; i < c->np && ok; i++) {
        int idx;
        ok = qs_circuit_add_param(d, c->pnames[i], &idx) == QS_OK;
    }
    for (int i = 0; i < c->nqregs && ok; i++)
        ok = qs__circ_add_reg(d, 1, c->qregs[i].name, c->qregs[i].first, c->qregs[i].size) == 0;
    for (int i = 0; i < c->ncregs && ok; i++)
        ok = qs__circ_add_reg(d, 0, c->cregs[i].name, c->cregs[i].first, c->cregs[i].size) == 0;
#define COPY(field, count)                                                  \
    do {                                                                    \
        d->field = dup_mem(c->field, sizeof *c->field * c->count);          \
        d->count = c->count;                                                \
        ok &= c->count == 0 || d->field != NULL;                            \
    } while (0)
    if (ok) {
        COPY(ins, n);
        d->cap = d->n;
        COPY(qubits, nqub);
        d->qcap = d->nqub;
        COPY(args, nargs);
        d->acap = d->nargs;
        COPY(nodes, nnodes);
        d->ncap = d->nnodes;
        COPY(data, ndata);
        d->dcap = d->ndata;
        COPY(pletters, nlet);
        d->lcap = d->nlet;
        d->nvb = c->nvb;
    }
    for (size_t i = 0; i < c->ncalls && ok; i++) {
        const qs__call *k = &c->calls[i];
        ok = qs__circ_add_call(d, k->name, k->first, k->end, c->qubits + k->qoff, k->nq) == 0;
    }
#undef COPY
    if (!ok) {
        qs_circuit_destroy(d);
        *out = NULL;
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    return QS_OK;
}

QS_API int qs_circuit_num_qubits(const qs_circuit *c) { return c ? c->nq : 0; }
QS_API int qs_circuit_num_clbits(const qs_circuit *c) { return c ? c->nc : 0; }
QS_API size_t qs_circuit_num_ops(const qs_circuit *c) { return c ? c->n : 0; }
QS_API int qs_circuit_num_params(const qs_circuit *c) { return c ? c->np : 0; }

QS_API qs_status qs_circuit_add_creg(qs_circuit *c, const char *name, int size, int *first)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, name);
    int ok = (isalpha((unsigned char)name[0]) || name[0] == '_') && strlen(name) < 64;
    for (const char *p = name; *p && ok; p++)
        ok = isalnum((unsigned char)*p) || *p == '_';
    if (!ok)
        return qs__fail(QS_EINVAL, __func__, "register name \"%s\" is not an identifier", name);
    if (size < 1 || size > (1 << 20) - c->nc)
        return qs__fail(QS_EINVAL, __func__, "size %d not in [1, %d]", size, (1 << 20) - c->nc);
    /* Bits the circuit had without a register become register "c". */
    if (c->ncregs == 0 && c->nc > 0) {
        if (strcmp(name, "c") == 0)
            return qs__fail(QS_EINVAL, __func__, "register \"c\" already holds the circuit's "
                            "%d classical bits", c->nc);
        if (qs__circ_add_reg(c, 0, "c", 0, c->nc))
            return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    for (int i = 0; i < c->ncregs; i++)
        if (strcmp(c->cregs[i].name, name) == 0)
            return qs__fail(QS_EINVAL, __func__, "register \"%s\" already exists", name);
    if (qs__circ_add_reg(c, 0, name, c->nc, size))
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    if (first)
        *first = c->nc;
    c->nc += size;
    return QS_OK;
}

QS_API int qs_circuit_num_qregs(const qs_circuit *c) { return c ? c->nqregs : 0; }
QS_API int qs_circuit_num_cregs(const qs_circuit *c) { return c ? c->ncregs : 0; }

static qs_status get_reg(const char *func, const qs__reg *regs, int n, int i, const char **name,
                         int *first, int *size)
{
    if (i < 0 || i >= n)
        return qs__fail(QS_ERANGE, func, "register %d out of range for %d registers", i, n);
    if (name)
        *name = regs[i].name;
    if (first)
        *first = regs[i].first;
    if (size)
        *size = regs[i].size;
    return QS_OK;
}

QS_API qs_status qs_circuit_qreg(const qs_circuit *c, int i, const char **name, int *first,
                                 int *size)
{
    QS_CHECK_NULL(__func__, c);
    return get_reg(__func__, c->qregs, c->nqregs, i, name, first, size);
}

QS_API qs_status qs_circuit_creg(const qs_circuit *c, int i, const char **name, int *first,
                                 int *size)
{
    QS_CHECK_NULL(__func__, c);
    return get_reg(__func__, c->cregs, c->ncregs, i, name, first, size);
}

QS_API const char *qs_circuit_param_name(const qs_circuit *c, int i)
{
    return c && i >= 0 && i < c->np ? c->pnames[i] : NULL;
}

QS_API int qs_circuit_param_index(const qs_circuit *c, const char *name)
{
    return c && name ? qs__circ_resolve((void *)c, name, strlen(name)) : -1;
}

QS_API qs_status qs_circuit_add_param(qs_circuit *c, const char *name, int *index)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, name);
    /* As expressions read them: ASCII letters, digits, '_' and UTF-8 (θ),
     * not starting with a digit or with the constants π and τ. */
    const unsigned char *u = (const unsigned char *)name;
    int ok = (isalpha(u[0]) || u[0] == '_' || u[0] >= 0x80) &&
             !(u[0] == 0xCF && (u[1] == 0x80 || u[1] == 0x84));
    for (const unsigned char *p = u; ok && *p; p++)
        ok = isalnum(*p) || *p == '_' || *p >= 0x80;
    if (!ok || strlen(name) > 255)
        return qs__fail(QS_EINVAL, __func__, "'%s' is not an identifier", name);
    if (qs__x_reserved(name, strlen(name)))
        return qs__fail(QS_EINVAL, __func__, "'%s' is a reserved name", name);
    if (qs__circ_resolve(c, name, strlen(name)) >= 0)
        return qs__fail(QS_EINVAL, __func__, "parameter '%s' is already declared", name);
    if (c->np >= QS_MAX_PARAMS)
        return qs__fail(QS_ETOOBIG, __func__, "more than %d parameters (the limit)",
                        QS_MAX_PARAMS);
    if (c->np == c->pcap) {
        int cap = c->pcap ? 2 * c->pcap : 8;
        char **p = realloc(c->pnames, sizeof *p * (size_t)cap);
        if (!p)
            return qs__fail(QS_ENOMEM, __func__, "out of memory");
        c->pnames = p;
        c->pcap = cap;
    }
    c->pnames[c->np] = strdup(name);
    if (!c->pnames[c->np] || hash_param(c, c->np) != 0) {
        free(c->pnames[c->np]);
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    if (index)
        *index = c->np;
    c->np++;
    return QS_OK;
}

/* Checks qubits and pushes an operation with them; NULL on failure (the
 * error is set). */
static qs__instr *push_op(const char *func, qs_circuit *c, int kind, const int *q, int n,
                          const char *role, qs_status *st)
{
    uint64_t used = 0;
    *st = qs__check_qubits(func, c->nq, role, q, n, &used);
    if (*st != QS_OK)
        return NULL;
    int off = qs__circ_qubits(c, q, n);
    qs__instr *in = off < 0 ? NULL : qs__circ_push(c);
    if (!in) {
        *st = qs__fail(QS_ENOMEM, func, "out of memory");
        return NULL;
    }
    in->kind = kind;
    in->nq = n;
    in->qoff = off;
    return in;
}

/* Parses an expression string into an argument; returns its index. */
static qs_status parse_arg(const char *func, qs_circuit *c, const char *text, int *arg)
{
    if (!text)
        return qs__null(func, "expression");
    qs__xbuf b = {0};
    size_t end, err;
    const char *msg;
    qs_status st = qs__x_parse(text, qs__circ_resolve, c, &b, &end, &err, &msg);
    if (st == QS_OK && text[end])
        st = QS_EPARSE, err = end, msg = "unexpected character after the expression";
    if (st != QS_OK) {
        qs__xbuf_free(&b);
        return qs__fail(QS_EPARSE, func, "expression \"%s\", column %zu: %s", text, err + 1, msg);
    }
    double v = qs__x_max_param(b.n, b.len) < 0 ? qs__x_eval(b.n, b.len, NULL) : 0;
    if (!isfinite(v)) {
        qs__xbuf_free(&b);
        return qs__fail(QS_EINVAL, func, "expression \"%s\" is %g, not a finite number", text, v);
    }
    *arg = qs__circ_arg(c, b.n, b.len);
    qs__xbuf_free(&b);
    return *arg < 0 ? qs__fail(QS_ENOMEM, func, "out of memory") : QS_OK;
}

static qs_status const_arg(const char *func, qs_circuit *c, double v, int *arg)
{
    if (!isfinite(v))
        return qs__fail(QS_EINVAL, func, "parameter value %g is not finite", v);
    qs__xnode n = {QS__X_CONST, -1, v};
    *arg = qs__circ_arg(c, &n, 1);
    return *arg < 0 ? qs__fail(QS_ENOMEM, func, "out of memory") : QS_OK;
}

/* Checks extra controls against the qubits already in `used` and puts them
 * in the qubit pool: *off, *val (bit j = control_values[j], all 1 when
 * NULL). */
static qs_status extra_controls(const char *func, qs_circuit *c, const int *controls,
                                const int *values, int n, uint64_t *used, int *off,
                                uint64_t *val)
{
    *off = 0;
    *val = 0;
    if (n == 0)
        return QS_OK;
    if (n < 0 || n > 63)
        return qs__fail(QS_EINVAL, func, "num_controls %d not in [0, 63]", n);
    QS_TRY(qs__check_qubits(func, c->nq, "control", controls, n, used));
    for (int j = 0; j < n; j++) {
        if (values && values[j] != 0 && values[j] != 1)
            return qs__fail(QS_EINVAL, func, "control_values[%d] is %d, expected 0 or 1", j,
                            values[j]);
        if (!values || values[j])
            *val |= UINT64_C(1) << j;
    }
    *off = qs__circ_qubits(c, controls, n);
    return *off < 0 ? qs__fail(QS_ENOMEM, func, "out of memory") : QS_OK;
}

static qs_status append_gate(const char *func, qs_circuit *c, qs_gate g, const int *qubits,
                             const double *params, const char *const *exprs,
                             const int *controls, const int *control_values, int num_controls)
{
    QS_CHECK_NULL(func, c);
    if ((int)g < 0 || g >= QS_NUM_GATES)
        return qs__fail(QS_EINVAL, func, "gate %d is not a gate", (int)g);
    const qs__gate_info *gi = &qs__gates[g];
    if (gi->np > 0 && !(params || exprs))
        return qs__null(func, params ? "exprs" : "params");
    size_t mark = c->nargs, nmark = c->nnodes;
    int first = -1;
    for (int i = 0; i < gi->np; i++) {
        int a;
        qs_status st = exprs ? parse_arg(func, c, exprs[i], &a) : const_arg(func, c, params[i], &a);
        if (st != QS_OK) {
            c->nargs = mark;
            c->nnodes = nmark;
            return st;
        }
        if (i == 0)
            first = a;
    }
    qs_status st;
    /* Controls then targets, as the gate's qubit list says. */
    uint64_t used = 0;
    st = qs__check_qubits(func, c->nq, "control", qubits, gi->nc, &used);
    if (st == QS_OK)
        st = qs__check_qubits(func, c->nq, "target", qubits + gi->nc, gi->nt, &used);
    int xoff = 0;
    uint64_t xval = 0;
    size_t qmark = c->nqub;
    if (st == QS_OK && num_controls && !controls)
        st = qs__null(func, "controls");
    if (st == QS_OK)
        st = extra_controls(func, c, controls, control_values, num_controls, &used, &xoff, &xval);
    /* A parameterized gate's derivative takes all its controls as targets. */
    if (st == QS_OK && num_controls && gi->np && exprs &&
        gi->nc + gi->nt + num_controls > QS_MAX_TARGETS)
        st = qs__fail(QS_EINVAL, func, "a gate with parameter expressions spans at most %d "
                      "qubits with its controls, got %d", QS_MAX_TARGETS,
                      gi->nc + gi->nt + num_controls);
    qs__instr *in = st == QS_OK ? push_op(func, c, QS__I_GATE, qubits, gi->nc + gi->nt, "qubit", &st) : NULL;
    if (!in) {
        c->nargs = mark;
        c->nnodes = nmark;
        c->nqub = st == QS_OK ? c->nqub : qmark;
        return st;
    }
    in->nx = num_controls;
    in->xoff = xoff;
    in->xval = xval;
    in->gate = g;
    in->na = gi->np;
    in->aoff = gi->np ? first : 0;
    return QS_OK;
}

QS_API qs_status qs_circuit_append_gate(qs_circuit *c, qs_gate g, const int *qubits,
                                        const double *params)
{
    return append_gate(__func__, c, g, qubits, params, NULL, NULL, NULL, 0);
}

QS_API qs_status qs_circuit_append_controlled_gate(qs_circuit *c, const int *controls,
                                                   const int *control_values, int num_controls,
                                                   qs_gate g, const int *qubits,
                                                   const double *params)
{
    return append_gate(__func__, c, g, qubits, params, NULL, controls, control_values,
                       num_controls);
}

QS_API qs_status qs_circuit_append_controlled_gate_expr(qs_circuit *c, const int *controls,
                                                        const int *control_values,
                                                        int num_controls, qs_gate g,
                                                        const int *qubits,
                                                        const char *const *exprs)
{
    return append_gate(__func__, c, g, qubits, NULL, exprs, controls, control_values,
                       num_controls);
}

QS_API qs_status qs_circuit_append_gate_expr(qs_circuit *c, qs_gate g, const int *qubits,
                                             const char *const *exprs)
{
    return append_gate(__func__, c, g, qubits, NULL, exprs, NULL, NULL, 0);
}

QS_API qs_status qs_circuit_append_pauli_rotation(qs_circuit *c, const int *qubits,
                                                  const char *paulis, int n, const char *theta)
{
    QS_CHECK_NULL(__func__, c);
    if (n < 1 || !paulis)
        return qs__fail(QS_EINVAL, __func__, "a Pauli rotation needs at least one letter");
    for (int i = 0; i < n; i++)
        if (!strchr("IXYZ", paulis[i]) || !paulis[i])
            return qs__fail(QS_EINVAL, __func__, "paulis[%d] is '%c', expected I, X, Y or Z", i,
                            paulis[i]);
    size_t mark = c->nargs, nmark = c->nnodes;
    int a;
    QS_TRY(parse_arg(__func__, c, theta, &a));
    qs_status st;
    int poff = qs__circ_letters(c, paulis, n);
    qs__instr *in = poff < 0 ? NULL : push_op(__func__, c, QS__I_PAULI, qubits, n, "qubit", &st);
    if (poff < 0)
        st = qs__fail(QS_ENOMEM, __func__, "out of memory");
    if (!in) {
        c->nargs = mark;
        c->nnodes = nmark;
        return st;
    }
    in->poff = poff;
    in->na = 1;
    in->aoff = a;
    return QS_OK;
}

QS_API qs_status qs_circuit_append_matrix(qs_circuit *c, const int *targets, int num_targets,
                                          const double *matrix)
{
    return qs_circuit_append_controlled_matrix(c, NULL, NULL, 0, targets, num_targets, matrix);
}

QS_API qs_status qs_circuit_append_controlled_matrix(qs_circuit *c, const int *controls,
                                                     const int *control_values,
                                                     int num_controls, const int *targets,
                                                     int num_targets, const double *matrix)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, matrix);
    if (num_targets < 1 || num_targets > QS_MAX_TARGETS)
        return qs__fail(QS_EINVAL, __func__, "num_targets %d not in [1, %d]", num_targets,
                        QS_MAX_TARGETS);
    size_t len = (size_t)2 << (2 * num_targets);
    for (size_t i = 0; i < len; i++)
        if (!isfinite(matrix[i]))
            return qs__fail(QS_EINVAL, __func__, "matrix entry %zu is %g", i / 2, matrix[i]);
    if (num_controls && !controls)
        return qs__null(__func__, "controls");
    uint64_t used = 0, xval;
    int xoff;
    QS_TRY(qs__check_qubits(__func__, c->nq, "target", targets, num_targets, &used));
    size_t qmark = c->nqub;
    QS_TRY(extra_controls(__func__, c, controls, control_values, num_controls, &used, &xoff,
                          &xval));
    qs_status st;
    int d = qs__circ_data(c, matrix, len);
    qs__instr *in = d < 0 ? NULL
                          : push_op(__func__, c, QS__I_MATRIX, targets, num_targets, "target", &st);
    if (d < 0)
        st = qs__fail(QS_ENOMEM, __func__, "out of memory");
    if (!in) {
        if (d >= 0)
            c->ndata -= len;
        c->nqub = qmark;
        return st;
    }
    in->doff = d;
    in->nx = num_controls;
    in->xoff = xoff;
    in->xval = xval;
    return QS_OK;
}

QS_API qs_status qs_circuit_append_global_phase(qs_circuit *c, const char *phi)
{
    QS_CHECK_NULL(__func__, c);
    int a;
    QS_TRY(parse_arg(__func__, c, phi, &a));
    qs_status st;
    qs__instr *in = push_op(__func__, c, QS__I_GPHASE, NULL, 0, "qubit", &st);
    if (!in)
        return st;
    in->na = 1;
    in->aoff = a;
    return QS_OK;
}

/* Largest circuit whose diagonal table fits the int offsets of the data
 * pool (2^28 doubles = 2 GiB). */
#define MAX_DIAG_QUBITS 28

QS_API qs_status qs_circuit_append_diagonal_exp(qs_circuit *c, const double *values,
                                                const char *t)
{
    QS_CHECK_NULL(__func__, c);
    QS_CHECK_NULL(__func__, values);
    if (c->nq < 1)
        return qs__fail(QS_EINVAL, __func__, "the circuit has no qubit");
    if (c->nq > MAX_DIAG_QUBITS)
        return qs__fail(QS_ETOOBIG, __func__, "a diagonal of %d qubits (at most %d)", c->nq,
                        MAX_DIAG_QUBITS);
    size_t len = (size_t)1 << c->nq;
    for (size_t i = 0; i < len; i++)
        if (!isfinite(values[i]))
            return qs__fail(QS_EINVAL, __func__, "values[%zu] is %g", i, values[i]);
    /* The same table as the last diagonal's: share it (QAOA layers). */
    int d = -1;
    for (size_t i = c->n; i-- > 0;)
        if (c->ins[i].kind == QS__I_DIAGEXP) {
            if (memcmp(c->data + c->ins[i].doff, values, sizeof(double) * len) == 0)
                d = c->ins[i].doff;
            break;
        }
    size_t mark = c->nargs, nmark = c->nnodes, dmark = c->ndata;
    int a;
    QS_TRY(parse_arg(__func__, c, t, &a));
    if (d < 0 && (d = qs__circ_data(c, values, len)) < 0) {
        c->nargs = mark;
        c->nnodes = nmark;
        return qs__fail(QS_ENOMEM, __func__, "out of memory");
    }
    qs_status st;
    qs__instr *in = push_op(__func__, c, QS__I_DIAGEXP, NULL, 0, "qubit", &st);
    if (!in) {
        c->nargs = mark;
        c->nnodes = nmark;
        c->ndata = dmark;
        return st;
    }
    in->doff = d;
    in->na = 1;
    in->aoff = a;
    return QS_OK;
}

QS_API qs_status qs_circuit_append_qft(qs_circuit *c, int first, int count, unsigned flags)
{
    QS_CHECK_NULL(__func__, c);
    if (count < 1 || first < 0 || first + count > c->nq)
        return qs__fail(QS_ERANGE, __func__, "qubits [%d, %d) out of range for a %d-qubit circuit",
                        first, first + count, c->nq);
    if (flags & ~(unsigned)QS_QFT_INVERSE)
        return qs__fail(QS_EINVAL, __func__, "unknown flags 0x%x", flags);
    int q[QS_MAX_QUBITS];
    for (int i = 0; i < count; i++)
        q[i] = first + i;
    qs_status st;
    qs__instr *in = push_op(__func__, c, QS__I_QFT, q, count, "qubit", &st);
    if (!in)
        return st;
    in->flags = flags;
    return QS_OK;
}

QS_API qs_status qs_circuit_append_measure(qs_circuit *c, int qubit, int clbit)
{
    QS_CHECK_NULL(__func__, c);
    if (clbit < 0 || clbit >= c->nc)
        return qs__fail(QS_ERANGE, __func__, "clbit %d out of range for %d classical bits", clbit,
                        c->nc);
    qs_status st;
    qs__instr *in = push_op(__func__, c, QS__I_MEASURE, &qubit, 1, "qubit", &st);
    if (!in)
        return st;
    in->clbit = clbit;
    return QS_OK;
}

QS_API qs_status qs_circuit_append_reset(qs_circuit *c, int qubit)
{
    QS_CHECK_NULL(__func__, c);
    qs_status st;
    return push_op(__func__, c, QS__I_RESET, &qubit, 1, "qubit", &st) ? QS_OK : st;
}

QS_API qs_status qs_circuit_append_barrier(qs_circuit *c, const int *qubits, int n)
{
    QS_CHECK_NULL(__func__, c);
    if (n < 0)
        return qs__fail(QS_EINVAL, __func__, "n %d is negative", n);
    qs_status st;
    return push_op(__func__, c, QS__I_BARRIER, qubits, n, "qubit", &st) ? QS_OK : st;
}

QS_API qs_status qs_circuit_set_condition(qs_circuit *c, int first_clbit, int num_bits,
                                          uint64_t value)
{
    QS_CHECK_NULL(__func__, c);
    if (c->n == 0)
        return qs__fail(QS_EINVAL, __func__, "the circuit has no operation to condition");
    if (num_bits < 1 || num_bits > 64 || first_clbit < 0 || first_clbit + num_bits > c->nc)
        return qs__fail(QS_ERANGE, __func__, "classical bits [%d, %d) out of range for %d bits",
                        first_clbit, first_clbit + num_bits, c->nc);
    if (num_bits < 64 && value >> num_bits)
        return qs__fail(QS_EINVAL, __func__, "value %llu does not fit in %d bits",
                        (unsigned long long)value, num_bits);
    qs__instr *in = &c->ins[c->n - 1];
    in->has_cond = 1;
    in->cfirst = first_clbit;
    in->cbits = num_bits;
    in->cval = value;
    return QS_OK;
}
