/*
 * sema.c - the meaning of statements: symbols (registers, parameters,
 * gates), their checks, register broadcast, and the expansion of gate
 * definitions into the circuit's operations.
 *
 * A gate definition keeps its body as operations on formal qubits whose
 * arguments are expressions of the formal parameters.  A call substitutes
 * the actual argument expressions for the formals (qs__x_subst) all the
 * way down to table gates, so parameters are evaluated lazily and stay
 * symbolic when the actual arguments use input parameters.  A definition
 * named after a table gate, with its arity, whose unitary equals the
 * table's matrix up to global phase, runs as the table gate (exported
 * programs define ryy, ecr, cu3 ... this way).
 *
 * Calls source.c (diagnostics) and the core's circuit pools, expressions,
 * gate table, unitary and memory check.
 */
#include "qasm/qasm.h"
#include "core/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Operations a definition may expand to for the table-gate check. */
#define PROBE_MAX_OPS 4096

/* ---------------------------------------------------------------- maps */

static size_t hash(const char *k, size_t len)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211u;
    return h;
}

int qq_map_get(const qq_map *m, const char *key, size_t len)
{
    if (!m->cap)
        return -1;
    for (size_t i = hash(key, len) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        const struct qq_slot *s = &m->slots[i];
        if (!s->key)
            return -1;
        if (s->len == len && memcmp(s->key, key, len) == 0)
            return s->val;
    }
}

int qq_map_put(qq_map *m, const char *key, size_t len, int val)
{
    if (2 * (m->n + 1) > m->cap) {
        qq_map bigger = {calloc(m->cap ? 2 * m->cap : 64, sizeof *m->slots),
                         m->cap ? 2 * m->cap : 64, 0};
        if (!bigger.slots)
            return 0;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                qq_map_put(&bigger, m->slots[i].key, m->slots[i].len, m->slots[i].val);
        free(m->slots);
        *m = bigger;
    }
    size_t i = hash(key, len) & (m->cap - 1);
    while (m->slots[i].key) {
        struct qq_slot *s = &m->slots[i];
        if (s->val < 0 && s->len == len && memcmp(s->key, key, len) == 0) {
            *s = (struct qq_slot){key, len, val};   /* a name whose scope ended */
            return 1;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->slots[i] = (struct qq_slot){key, len, val};
    m->n++;
    return 1;
}

void qq_map_free(qq_map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* Grows *p (n used, *cap allocated) for one more element. */
static int grow(void *p, int *cap, int n, size_t elem)
{
    void **pp = p;
    if (n < *cap)
        return 1;
    int c = *cap ? 2 * *cap : 8;
    void *q = realloc(*pp, (size_t)c * elem);
    if (!q)
        return 0;
    *pp = q;
    *cap = c;
    return 1;
}

static void gate_free(qq_gate *g)
{
    free(g->name);
    free(g->ops);
    free(g->qpool);
    free(g->args);
    free(g->nodes);
    free(g->mods);
}

void qq_symbols_free(qq_parser *ps)
{
    for (int i = 0; i < ps->nregs; i++)
        free(ps->regs[i].name);
    for (int i = 0; i < ps->ngates; i++)
        gate_free(&ps->gates[i]);
    free(ps->regs);
    free(ps->gates);
    qq_map_free(&ps->regmap);
    qq_map_free(&ps->gatemap);
}

/* ----------------------------------------------------------- registers */

int qq_find_reg(const qq_parser *ps, const char *name, size_t len)
{
    return qq_map_get(&ps->regmap, name, len);
}

static const char *reg_kind(const qq_parser *ps, const qq_reg *r)
{
    if (r->quantum == 2)
        return "variable";
    if (r->quantum == 3)
        return "constant";
    if (r->quantum < 0)
        return "input parameter";
    if (ps->version >= 3)
        return r->quantum ? "qubit register" : "bit register";
    return r->quantum ? "qreg" : "creg";
}

int qq_declare_reg(qq_parser *ps, const char *name, size_t len, int quantum, int size,
                   qq_loc loc)
{
    char where[256];
    int old = qq_find_reg(ps, name, len);
    if (old >= 0)
        return qq_error(ps, QS_EPARSE, loc, "'%.*s' is already declared, as a %s at %s", (int)len,
                        name, reg_kind(ps, &ps->regs[old]), qq_where(ps, ps->regs[old].loc, where,
                                                                     sizeof where));
    qs_circuit *c = ps->c;
    if (quantum > 0 && ps->phys)
        return qq_error(ps, QS_EPARSE, loc, "qubit register '%.*s' is declared in a program that "
                        "uses physical qubits ($0, $1, ...): use one or the other", (int)len, name);
    if (quantum > 0 && size > QS_MAX_QUBITS - c->nq)
        return qq_error(ps, QS_ETOOBIG, loc,
                        "register too large to simulate: '%.*s' brings the program to %lld "
                        "qubits, more than the %d a state vector can have",
                        (int)len, name, (long long)c->nq + size, QS_MAX_QUBITS);
    if (quantum > 0 && (ps->flags & QS_PARSE_CHECK_MEMORY)) {
        uint64_t need = (uint64_t)((ps->flags & QS_PARSE_F32) ? 8 : 16) << (c->nq + size);
        uint64_t have = qs__mem_available();
        if (need > have)
            return qq_error(ps, QS_ETOOBIG, loc,
                            "register too large to simulate: with '%.*s' the state of %d qubits "
                            "needs %.3g GiB, and %.3g GiB are available",
                            (int)len, name, c->nq + size, (double)need / (1u << 30),
                            (double)have / (1u << 30));
    }
    if (quantum == 0 && size > QQ_MAX_CLBITS - c->nc)
        return qq_error(ps, QS_ETOOBIG, loc, "more than %d classical bits", QQ_MAX_CLBITS);
    char *nm = strndup(name, len);
    if (!nm || !grow(&ps->regs, &ps->capregs, ps->nregs, sizeof *ps->regs)) {
        free(nm);
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    }
    int first = quantum > 0 ? c->nq : quantum == 0 ? c->nc : c->np;
    if (quantum < 0) {
        qs_status st = qs_circuit_add_param(c, nm, NULL);
        if (st != QS_OK) {
            free(nm);
            return qq_error(ps, st == QS_ENOMEM ? st : QS_EPARSE, loc, "'%.*s' cannot be a parameter name: it is a constant "
                            "or function of expressions", (int)len, name);
        }
    } else if (qs__circ_add_reg(c, quantum, nm, first, size) != 0) {
        free(nm);
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    }
    ps->regs[ps->nregs] = (qq_reg){.name = nm, .quantum = quantum, .first = first, .size = size,
                                   .loc = loc};
    if (!qq_map_put(&ps->regmap, nm, len, ps->nregs)) {
        free(nm);
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    }
    ps->nregs++;
    if (quantum > 0)
        c->nq += size;
    else if (quantum == 0)
        c->nc += size;
    return 1;
}

/* The state of n qubits fits in memory (with QS_PARSE_CHECK_MEMORY). */
static int check_memory(qq_parser *ps, int n, const char *what, qq_loc loc)
{
    if (!(ps->flags & QS_PARSE_CHECK_MEMORY))
        return 1;
    uint64_t need = (uint64_t)((ps->flags & QS_PARSE_F32) ? 8 : 16) << n;
    uint64_t have = qs__mem_available();
    if (need <= have)
        return 1;
    return qq_error(ps, QS_ETOOBIG, loc, "register too large to simulate: with %s the state of "
                    "%d qubits needs %.3g GiB, and %.3g GiB are available", what, n,
                    (double)need / (1u << 30), (double)have / (1u << 30));
}

int qq_physical_qubit(qq_parser *ps, long n, qq_loc loc, qq_arg *a)
{
    qs_circuit *c = ps->c;
    char what[32];
    snprintf(what, sizeof what, "'$%ld'", n);
    if (!ps->phys) {
        if (c->nq > 0)
            return qq_error(ps, QS_EPARSE, loc, "physical qubit $%ld in a program that declares "
                            "qubit registers: use one or the other", n);
        /* A register of its own, without a name to find it by. */
        char *nm = strdup("$");
        if (!nm || !grow(&ps->regs, &ps->capregs, ps->nregs, sizeof *ps->regs)) {
            free(nm);
            return qq_error(ps, QS_ENOMEM, loc, "out of memory");
        }
        ps->regs[ps->nregs] = (qq_reg){.name = nm, .quantum = 1, .loc = loc};
        ps->phys = ++ps->nregs;
    }
    qq_reg *r = &ps->regs[ps->phys - 1];
    if (n >= QS_MAX_QUBITS)
        return qq_error(ps, QS_ETOOBIG, loc, "physical qubit $%ld is out of range: a state vector "
                        "has at most %d qubits ($0 to $%d)", n, QS_MAX_QUBITS, QS_MAX_QUBITS - 1);
    if (n >= r->size) {
        if (!check_memory(ps, (int)n + 1, what, loc))
            return 0;
        r->size = (int)n + 1;
        c->nq = r->size;
    }
    *a = (qq_arg){ps->phys - 1, (int)n, loc};
    return 1;
}

int qq_declare_var(qq_parser *ps, const char *name, size_t len, int kind, int first, int width,
                   int sgn, int64_t value, qq_loc loc)
{
    char where[256];
    int old = qq_find_reg(ps, name, len);
    if (old >= 0)
        return qq_error(ps, QS_EPARSE, loc, "'%.*s' is already declared, as a %s at %s", (int)len,
                        name, reg_kind(ps, &ps->regs[old]), qq_where(ps, ps->regs[old].loc, where,
                                                                     sizeof where));
    char *nm = strndup(name, len);
    if (!nm || !grow(&ps->regs, &ps->capregs, ps->nregs, sizeof *ps->regs) ||
        !qq_map_put(&ps->regmap, nm, len, ps->nregs)) {
        free(nm);
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    }
    ps->regs[ps->nregs++] = (qq_reg){nm, kind, first, width, loc, sgn, value};
    return 1;
}

void qq_forget_reg(qq_parser *ps, int i)
{
    qq_reg *r = &ps->regs[i];
    if (r->quantum == -2)
        return;
    /* The map keeps the name as its key, with no register. */
    qq_map *m = &ps->regmap;
    size_t len = strlen(r->name);
    for (size_t k = hash(r->name, len) & (m->cap - 1); m->slots[k].key; k = (k + 1) & (m->cap - 1))
        if (m->slots[k].val == i) {
            m->slots[k].val = -1;
            break;
        }
    r->quantum = -2;
}

const char *qq_arg_name(const qq_parser *ps, const qq_arg *a, char *buf, size_t n)
{
    const char *name = a->reg >= 0 && a->reg < ps->nregs ? ps->regs[a->reg].name : "?";
    if (a->reg >= 0 && a->reg == ps->phys - 1)
        snprintf(buf, n, "$%d", a->index);
    else if (a->index >= 0)
        snprintf(buf, n, "%s[%d]", name, a->index);
    else
        snprintf(buf, n, "%s", name);
    return buf;
}

/* --------------------------------------------------------------- gates */

int qq_find_gate(const qq_parser *ps, const char *name, size_t len)
{
    return qq_map_get(&ps->gatemap, name, len);
}

int qq_declare_gate(qq_parser *ps, const char *name, size_t len, qq_loc loc)
{
    int old = qq_find_gate(ps, name, len);
    if (old >= 0) {
        const qq_gate *g = &ps->gates[old];
        char where[256];
        if (g->builtin && g->header)
            qq_error(ps, QS_EPARSE, loc, "gate '%s' is already defined by %s", g->name,
                     g->header);
        else if (g->builtin)
            qq_error(ps, QS_EPARSE, loc, "'%s' is a built-in gate and cannot be redefined",
                     g->name);
        else
            qq_error(ps, QS_EPARSE, loc, "gate '%s' is already defined at %s", g->name,
                     qq_where(ps, g->loc, where, sizeof where));
        return -1;
    }
    char *nm = strndup(name, len);
    if (!nm || !grow(&ps->gates, &ps->capgates, ps->ngates, sizeof *ps->gates) ||
        !qq_map_put(&ps->gatemap, nm, len, ps->ngates)) {
        free(nm);
        qq_error(ps, QS_ENOMEM, loc, "out of memory");
        return -1;
    }
    qq_gate *g = &ps->gates[ps->ngates];
    memset(g, 0, sizeof *g);
    g->name = nm;
    g->table = -1;
    g->loc = loc;
    return ps->ngates++;
}

int qq_gate_add_op(qq_parser *ps, qq_gate *g, int kind, int sym, const int *formals, int nq,
                   const qq_expr *args, int na, const qq_mod *mods, int nmods, qq_loc loc)
{
    if (!grow(&g->ops, &g->capops, g->nops, sizeof *g->ops))
        return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    qq_gop *op = &g->ops[g->nops];
    *op = (qq_gop){kind, sym, nq, g->nqpool, na, g->nargs, nmods, g->nmods};
    for (int m = 0; m < nmods; m++) {
        if (!grow(&g->mods, &g->capmods, g->nmods, sizeof *g->mods))
            return qq_error(ps, QS_ENOMEM, loc, "out of memory");
        g->mods[g->nmods++] = mods[m];
    }
    for (int j = 0; j < nq; j++) {
        if (!grow(&g->qpool, &g->capq, g->nqpool, sizeof *g->qpool))
            return qq_error(ps, QS_ENOMEM, loc, "out of memory");
        g->qpool[g->nqpool++] = formals[j];
    }
    for (int a = 0; a < na; a++) {
        if (!grow(&g->args, &g->capargs, g->nargs, sizeof *g->args))
            return qq_error(ps, QS_ENOMEM, loc, "out of memory");
        g->args[g->nargs++] = (qs__arg){g->nnodes, args[a].len};
        for (int k = 0; k < args[a].len; k++) {
            if (!grow(&g->nodes, &g->capnodes, g->nnodes, sizeof *g->nodes))
                return qq_error(ps, QS_ENOMEM, loc, "out of memory");
            g->nodes[g->nnodes++] = args[a].n[k];
        }
    }
    g->nops++;
    return 1;
}

/* ------------------------------------------------------------ emission */

/* Appends an operation to circuit c (the program's, or a probe's). */
static qs__instr *emit_instr(qq_parser *ps, qs_circuit *c, int kind, const int *q, int nq,
                             const qs__xnode *const *an, const int *al, int na,
                             const qq_cond *cond, qq_loc loc)
{
    int probe = c != ps->c;
    size_t nodes = 0;
    if (!probe && ps->dead) {   /* a loop body that runs zero times */
        memset(&ps->scratch, 0, sizeof ps->scratch);
        return &ps->scratch;
    }
    for (int a = 0; a < na; a++)
        nodes += (size_t)al[a];
    if (probe ? c->n >= PROBE_MAX_OPS : ps->nops >= QQ_MAX_OPS) {
        qq_error(ps, QS_ETOOBIG, loc, "the program has more than %d operations after "
                 "expanding gate definitions", QQ_MAX_OPS);
        return NULL;
    }
    if (c->nnodes + nodes > QQ_MAX_NODES) {
        qq_error(ps, QS_ETOOBIG, loc, "the program's expressions are too large (more than %d "
                 "terms after expanding gate definitions)", QQ_MAX_NODES);
        return NULL;
    }
    /* a constant argument is known now: infinite or NaN is an error here,
     * not NaN amplitudes later (rx(1/0), ln(0), overflow through gates);
     * a classical store's "arguments" are integer code, not numbers */
    for (int a = 0; a < na && kind != QS__I_STORE; a++)
        if (qs__x_max_param(an[a], al[a]) < 0 && !isfinite(qs__x_eval(an[a], al[a], NULL))) {
            qq_error(ps, QS_EINVAL, loc, "argument %d of this operation is %g, not a finite "
                     "number", a + 1, qs__x_eval(an[a], al[a], NULL));
            return NULL;
        }
    int qoff = qs__circ_qubits(c, q, nq), aoff = 0;
    for (int a = 0; a < na && qoff >= 0 && aoff >= 0; a++) {
        int i = qs__circ_arg(c, an[a], al[a]);
        aoff = a == 0 || i < 0 ? i : aoff;
    }
    qs__instr *in = qoff >= 0 && aoff >= 0 ? qs__circ_push(c) : NULL;
    if (!in) {
        qq_error(ps, QS_ENOMEM, loc, "out of memory");
        return NULL;
    }
    in->kind = kind;
    in->nq = nq;
    in->qoff = qoff;
    in->na = na;
    in->aoff = aoff;
    if (cond) {
        in->has_cond = 1;
        in->cfirst = cond->first;
        in->cbits = cond->bits;
        in->cval = cond->value;
    }
    if (loc.file == ps->stack[0]->name) {   /* positions in the program itself */
        in->line = loc.line;
        in->col = loc.col;
    }
    if (!probe)
        ps->nops++;
    return in;
}

static int emit_table(qq_parser *ps, qs_circuit *c, int gate, const int *q,
                      const qs__xnode *const *an, const int *al, const qq_cond *cond,
                      qq_loc loc)
{
    const int nq = qs_gate_num_qubits((qs_gate)gate), na = qs_gate_num_params((qs_gate)gate);
    qs__instr *in = emit_instr(ps, c, QS__I_GATE, q, nq, an, al, na, cond, loc);
    if (in)
        in->gate = gate;
    return in != NULL;
}

/* Buffers of n elements: on the stack when small. */
#define SMALL 8

/* Expands a call of user gate g on qubits with actual argument
 * expressions (an[i], al[i] nodes) into circuit c. */
static int expand(qq_parser *ps, qs_circuit *c, const qq_gate *g, const int *qubits,
                  const qs__xnode *const *an, const int *al, const qq_cond *cond, qq_loc loc)
{
    int ok = 1;
    for (int k = 0; ok && k < g->nops; k++) {
        const qq_gop *op = &g->ops[k];
        int qs_small[SMALL], al_small[SMALL];
        const qs__xnode *an_small[SMALL];
        qs__xbuf b_small[SMALL];
        int big_q = op->nq > SMALL, big_a = op->na > SMALL;
        int *q = big_q ? malloc(sizeof *q * (size_t)op->nq) : qs_small;
        qs__xbuf *b = big_a ? calloc((size_t)op->na, sizeof *b) : b_small;
        const qs__xnode **xn = big_a ? malloc(sizeof *xn * (size_t)op->na) : an_small;
        int *xl = big_a ? malloc(sizeof *xl * (size_t)op->na) : al_small;
        if (!q || !b || !xn || !xl)
            ok = qq_error(ps, QS_ENOMEM, loc, "out of memory");
        if (!big_a)
            memset(b_small, 0, sizeof b_small);
        for (int j = 0; ok && j < op->nq; j++)
            q[j] = qubits[g->qpool[op->qoff + j]];
        for (int a = 0; ok && a < op->na; a++) {
            const qs__arg *ar = &g->args[op->aoff + a];
            qs__x_subst(&b[a], g->nodes + ar->off, ar->len, an, al);
            if (b[a].oom)
                ok = qq_error(ps, QS_ENOMEM, loc, "out of memory");
            else if (b[a].len > QS__X_MAX)
                ok = qq_error(ps, QS_ETOOBIG, loc, "an argument of '%s' becomes longer than "
                              "%d terms when the gate definitions are expanded", g->name,
                              QS__X_MAX);
            xn[a] = b[a].n;
            xl[a] = b[a].len;
        }
        if (ok && op->kind == GOP_CALL && op->nmods > 0) {
            ok = qq_emit_modified(ps, c, op->sym, q, xn, xl, g->mods + op->moff, op->nmods,
                                  cond, loc);
        } else if (ok && op->kind == GOP_CALL) {
            const qq_gate *callee = &ps->gates[op->sym];
            ok = callee->table >= 0 ? emit_table(ps, c, callee->table, q, xn, xl, cond, loc)
                                    : expand(ps, c, callee, q, xn, xl, cond, loc);
        } else if (ok && op->kind == GOP_GPHASE) {
            ok = emit_instr(ps, c, QS__I_GPHASE, NULL, 0, xn, xl, 1, cond, loc) != NULL;
        } else if (ok) {
            ok = emit_instr(ps, c, QS__I_BARRIER, q, op->nq, NULL, NULL, 0, NULL, loc) != NULL;
        }
        for (int a = 0; b && a < op->na; a++)
            qs__xbuf_free(&b[a]);
        if (big_q)
            free(q);
        if (big_a) {
            free(b);
            free(xn);
            free(xl);
        }
    }
    return ok;
}

/* Whether user gate g equals table gate t up to global phase, compared
 * at two parameter points. */
static int same_as_table(qq_parser *ps, const qq_gate *g, qs_gate t)
{
    qs_circuit *tmp;
    if (qs_circuit_create(g->nq, 0, &tmp) != QS_OK)
        return 0;
    int ok = 1, qubits[QS_MAX_QUBITS], lens[4];
    qs__xnode formal[4];
    const qs__xnode *an[4];
    for (int i = 0; i < g->np && ok; i++) {
        char name[16];
        snprintf(name, sizeof name, "_p%d", i);
        ok = qs_circuit_add_param(tmp, name, NULL) == QS_OK;
        formal[i] = (qs__xnode){QS__X_PARAM, i, 0};
        an[i] = &formal[i];
        lens[i] = 1;
    }
    for (int j = 0; j < g->nq; j++)
        qubits[j] = j;
    ps->probing = 1;
    ps->probe_failed = 0;
    ok = ok && expand(ps, tmp, g, qubits, an, lens, NULL, g->loc) && !ps->probe_failed;
    ps->probing = 0;
    size_t d = (size_t)1 << g->nq, len = 2 * d * d;
    double *ud = malloc(sizeof(double) * len), *ut = malloc(sizeof(double) * len);
    ok = ok && ud && ut;
    for (int point = 0; ok && point < 2; point++) {
        double prm[4];
        for (int i = 0; i < g->np; i++)
            prm[i] = point ? 1.13 - 0.29 * i : 0.37 + 0.61 * i;
        ok = qs_circuit_unitary(tmp, prm, (size_t)g->np, ud) == QS_OK &&
             qs_gate_matrix(t, prm, ut) == QS_OK;
        size_t m = 0;
        for (size_t i = 0; ok && i < d * d; i++)
            if (hypot(ut[2 * i], ut[2 * i + 1]) > hypot(ut[2 * m], ut[2 * m + 1]))
                m = i;
        /* phase = ud[m] / ut[m] */
        double den = ut[2 * m] * ut[2 * m] + ut[2 * m + 1] * ut[2 * m + 1];
        double pr = (ud[2 * m] * ut[2 * m] + ud[2 * m + 1] * ut[2 * m + 1]) / den;
        double pi = (ud[2 * m + 1] * ut[2 * m] - ud[2 * m] * ut[2 * m + 1]) / den;
        for (size_t i = 0; ok && i < d * d; i++) {
            double er = ud[2 * i] - (pr * ut[2 * i] - pi * ut[2 * i + 1]);
            double ei = ud[2 * i + 1] - (pr * ut[2 * i + 1] + pi * ut[2 * i]);
            ok = hypot(er, ei) < 1e-9;
        }
    }
    free(ud);
    free(ut);
    qs_circuit_destroy(tmp);
    return ok;
}

int qq_gate_finish(qq_parser *ps, int gi, qq_loc loc)
{
    qq_gate *g = &ps->gates[gi];
    int depth = 0;
    for (int k = 0; k < g->nops; k++)
        if (g->ops[k].kind == GOP_CALL && ps->gates[g->ops[k].sym].depth > depth)
            depth = ps->gates[g->ops[k].sym].depth;
    g->depth = depth + 1;
    if (g->depth > QQ_MAX_GATE_DEPTH)
        return qq_error(ps, QS_EPARSE, loc, "gate '%s' nests gate definitions more than %d deep",
                        g->name, QQ_MAX_GATE_DEPTH);
    qs_gate t;
    if (g->nq >= 1 && qs_gate_lookup(g->name, &t) == QS_OK && qs_gate_num_qubits(t) == g->nq &&
        qs_gate_num_params(t) == g->np && same_as_table(ps, g, t)) {
        g->table = (int)t;
        g->depth = 0;
    }
    return 1;
}

/* ----------------------------------------------------------- statements */

/* The number of iterations of a broadcast over args (1 without
 * registers); 0 with the error reported when register sizes differ. */
static int broadcast_size(qq_parser *ps, const char *what, const qq_arg *args, int n)
{
    int size = 0, first = -1;
    for (int j = 0; j < n; j++) {
        if (args[j].index >= 0)
            continue;
        const qq_reg *r = &ps->regs[args[j].reg];
        if (first < 0) {
            first = j;
            size = r->size;
        } else if (r->size != size) {
            const qq_reg *f = &ps->regs[args[first].reg];
            return qq_error(ps, QS_EPARSE, args[j].loc,
                            "register size mismatch in '%s': '%s' has %d %s, '%s' has %d", what,
                            f->name, f->size, f->quantum ? "qubits" : "bits", r->name, r->size);
        }
    }
    return first < 0 ? 1 : size;
}

/* Element `it` of a broadcast: the global qubit or bit index. */
static int element(const qq_parser *ps, const qq_arg *a, int it)
{
    return ps->regs[a->reg].first + (a->index >= 0 ? a->index : it);
}

int qq_expand_into(qq_parser *ps, qs_circuit *c, int sym, const int *q,
                   const qs__xnode *const *an, const int *al, qq_loc loc)
{
    const qq_gate *g = &ps->gates[sym];
    return g->table >= 0 ? emit_table(ps, c, g->table, q, an, al, NULL, loc)
                         : expand(ps, c, g, q, an, al, NULL, loc);
}

int qq_emit_op(qq_parser *ps, qs_circuit *c, int kind, int gate, const int *q, int nq,
               const qs__xnode *const *an, const int *al, int na, const double *m,
               const qq_cond *cond, qq_loc loc)
{
    int doff = 0;
    if (kind == QS__I_MATRIX) {
        size_t len = (size_t)2 << (2 * nq);
        if ((doff = qs__circ_data(c, m, len)) < 0)
            return qq_error(ps, QS_ENOMEM, loc, "out of memory");
    }
    qs__instr *in = emit_instr(ps, c, kind, q, nq, an, al, na, cond, loc);
    if (in) {
        in->gate = gate;
        in->doff = doff;
    }
    return in != NULL;
}

int qq_emit_call(qq_parser *ps, int sym, const qq_expr *args, int na, const qq_arg *qargs,
                 int nq, const qq_mod *mods, int nmods, const qq_cond *cond, qq_loc loc)
{
    const qq_gate *g = &ps->gates[sym];
    int n = broadcast_size(ps, g->name, qargs, nq);
    if (!n)
        return 0;
    int *q = malloc(sizeof *q * (size_t)(nq + 1));
    const qs__xnode **an = malloc(sizeof *an * (size_t)(na + 1));
    int *al = malloc(sizeof *al * (size_t)(na + 1));
    int ok = q && an && al ? 1 : qq_error(ps, QS_ENOMEM, loc, "out of memory");
    for (int a = 0; ok && a < na; a++) {
        an[a] = args[a].n;
        al[a] = args[a].len;
    }
    for (int it = 0; ok && it < n; it++) {
        for (int j = 0; ok && j < nq; j++) {
            q[j] = element(ps, &qargs[j], it);
            for (int k = 0; ok && k < j; k++)
                if (q[k] == q[j]) {
                    char b1[300];
                    qq_arg e = {qargs[j].reg, q[j] - ps->regs[qargs[j].reg].first, qargs[j].loc};
                    ok = qq_error(ps, QS_EPARSE, qargs[j].loc,
                                  "the same qubit %s is qubit argument %d and %d of '%s'",
                                  qq_arg_name(ps, &e, b1, sizeof b1), k + 1, j + 1, g->name);
                }
        }
        size_t first = ps->c->n;
        if (ok && nmods > 0)
            ok = qq_emit_modified(ps, ps->c, sym, q, an, al, mods, nmods, cond, loc);
        else if (ok)
            ok = g->table >= 0 ? emit_table(ps, ps->c, g->table, q, an, al, cond, loc)
                               : expand(ps, ps->c, g, q, an, al, cond, loc);
        /* a call of a user-defined gate, for noise models that name it */
        if (ok && nmods == 0 && g->table < 0 &&
            qs__circ_add_call(ps->c, g->name, first, ps->c->n, q, nq) != 0)
            ok = qq_error(ps, QS_ENOMEM, loc, "out of memory");
    }
    free(q);
    free(an);
    free(al);
    return ok;
}

int qq_emit_gphase(qq_parser *ps, const qq_expr *arg, const qq_cond *cond, qq_loc loc)
{
    const qs__xnode *an[1] = {arg->n};
    int al[1] = {arg->len};
    return emit_instr(ps, ps->c, QS__I_GPHASE, NULL, 0, an, al, 1, cond, loc) != NULL;
}

int qq_emit_measure(qq_parser *ps, const qq_arg *qarg, const qq_arg *carg, const qq_cond *cond,
                    qq_loc loc)
{
    const qq_reg *qr = &ps->regs[qarg->reg];
    int nq = qarg->index >= 0 ? 1 : qr->size, n = nq;
    if (carg) {
        const qq_reg *cr = &ps->regs[carg->reg];
        int nc = carg->index >= 0 ? 1 : cr->size;
        char b1[300], b2[300];
        if (nq != nc)
            return qq_error(ps, QS_EPARSE, carg->loc,
                            "cannot measure %s (%d qubit%s) into %s (%d bit%s): sizes differ",
                            qq_arg_name(ps, qarg, b1, sizeof b1), nq, nq == 1 ? "" : "s",
                            qq_arg_name(ps, carg, b2, sizeof b2), nc, nc == 1 ? "" : "s");
    }
    for (int it = 0; it < n; it++) {
        int q = element(ps, qarg, it);
        qs__instr *in = emit_instr(ps, ps->c, QS__I_MEASURE, &q, 1, NULL, NULL, 0, cond, loc);
        if (!in)
            return 0;
        in->clbit = carg ? element(ps, carg, it) : -1;
    }
    return 1;
}

int qq_emit_reset(qq_parser *ps, const qq_arg *qarg, const qq_cond *cond, qq_loc loc)
{
    int n = qarg->index >= 0 ? 1 : ps->regs[qarg->reg].size;
    for (int it = 0; it < n; it++) {
        int q = element(ps, qarg, it);
        if (!emit_instr(ps, ps->c, QS__I_RESET, &q, 1, NULL, NULL, 0, cond, loc))
            return 0;
    }
    return 1;
}

int qq_emit_store(qq_parser *ps, int first, int width, const qq_expr *x, const qq_cond *cond,
                  qq_loc loc)
{
    const qs__xnode *an[1] = {x->n};
    int al[1] = {x->len};
    qs__instr *in = emit_instr(ps, ps->c, QS__I_STORE, NULL, 0, an, al, 1, cond, loc);
    if (in) {
        in->clbit = first;
        in->flags = (unsigned)width;
    }
    return in != NULL;
}

int qq_writes_bits(const qq_parser *ps, size_t start, const qq_cond *cond)
{
    const qs_circuit *c = ps->c;
    for (size_t i = start; i + 1 < c->n; i++) {
        const qs__instr *in = &c->ins[i];
        int lo = in->kind == QS__I_MEASURE ? in->clbit : in->kind == QS__I_STORE ? in->clbit : -1;
        int hi = lo < 0 ? lo : lo + (in->kind == QS__I_STORE ? (int)in->flags : 1);
        if (lo >= 0 && lo < cond->first + cond->bits && hi > cond->first)
            return 1;
    }
    return 0;
}

int qq_guard_ops(qq_parser *ps, size_t start, const qq_cond *cond, int g)
{
    qs_circuit *c = ps->c;
    qs__instr store = c->ins[c->n - 1];
    memmove(&c->ins[start + 1], &c->ins[start], sizeof *c->ins * (c->n - 1 - start));
    c->ins[start] = store;
    for (size_t i = start + 1; i < c->n; i++) {
        qs__instr *in = &c->ins[i];
        if (in->has_cond && in->cfirst == cond->first && in->cbits == cond->bits &&
            in->cval == cond->value) {
            in->cfirst = g;
            in->cbits = 1;
            in->cval = 1;
        }
    }
    return 1;
}

int qq_emit_fail(qq_parser *ps, int limit, const qq_cond *cond, qq_loc loc)
{
    qs__instr *in = emit_instr(ps, ps->c, QS__I_FAIL, NULL, 0, NULL, NULL, 0, cond, loc);
    if (in) {
        in->flags = (unsigned)limit;
        in->line = loc.line;   /* the message names the loop, wherever it is */
        in->col = loc.col;
    }
    return in != NULL;
}

int qq_emit_barrier(qq_parser *ps, const qq_arg *qargs, int n, qq_loc loc)
{
    /* One fence on every qubit named, each once. */
    int q[QS_MAX_QUBITS], nq = 0;
    uint64_t seen = 0;
    for (int j = 0; j < n; j++) {
        int size = qargs[j].index >= 0 ? 1 : ps->regs[qargs[j].reg].size;
        for (int it = 0; it < size; it++) {
            int e = element(ps, &qargs[j], it);
            if (!(seen >> e & 1))
                q[nq++] = e;
            seen |= UINT64_C(1) << e;
        }
    }
    return emit_instr(ps, ps->c, QS__I_BARRIER, q, nq, NULL, NULL, 0, NULL, loc) != NULL;
}
