/*
 * test_conformance.c - every circuit of ../shared/conformance against its
 * reference, within 1e-10: the state vector up to global phase (when the
 * final state is pure), the probabilities (for dynamic circuits the
 * diagonal of the mixed state, from exact branch enumeration), and the
 * exact distribution of the classical outcomes.
 */
#include "../support/qasmt.h"
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-10

/* One classical outcome (bit j = clbit j) and its probability. */
typedef struct outcome {
    uint64_t bits;
    double p;
} outcome;

typedef struct run {
    const qs_circuit *c;
    const qs_program *p;
    int n;
    double *probs, *marg;
    size_t leaves;
    qs_state *pure;
    outcome *out;
    size_t nout, cap;
} run;

static qs_status branch(void *ctx, double prob, const qs_state *s, const unsigned char *bits)
{
    run *r = ctx;
    uint64_t d = UINT64_C(1) << r->n;
    double *pr = malloc(sizeof(double) * d);
    qs_state_probabilities(s, pr);
    for (uint64_t i = 0; i < d; i++)
        r->probs[i] += prob * pr[i];
    free(pr);
    if (r->leaves++ == 0)
        qs_state_assign(r->pure, s);
    /* Classical outcomes: this branch's bits plus the deferred
     * measurements, drawn from its state's marginal. */
    int k = qs_program_num_deferred(r->p), q[64], cb[64];
    uint64_t base = 0;
    for (int b = 0; b < qs_circuit_num_clbits(r->c); b++)
        base |= (uint64_t)(bits[b] & 1) << b;
    for (int j = 0; j < k; j++)
        qs_program_deferred(r->p, j, &q[j], &cb[j]);
    double one = 1;
    double *m = k ? malloc(sizeof(double) << k) : &one;
    if (k)
        cr_assert_eq(qs_state_marginal(s, q, k, m), QS_OK, "%s", qs_last_error());
    for (uint64_t o = 0; o < (UINT64_C(1) << k); o++) {
        if (prob * m[o] < 1e-16)
            continue;
        uint64_t v = base;
        for (int j = 0; j < k; j++)
            v = (v & ~(UINT64_C(1) << cb[j])) | ((o >> j) & 1) << cb[j];
        if (r->nout == r->cap)
            r->out = realloc(r->out, (r->cap = r->cap ? 2 * r->cap : 1024) * sizeof *r->out);
        r->out[r->nout++] = (outcome){v, prob * m[o]};
    }
    if (k)
        free(m);
    return QS_OK;
}

static int cmp_outcome(const void *a, const void *b)
{
    uint64_t x = ((const outcome *)a)->bits, y = ((const outcome *)b)->bits;
    return (x > y) - (x < y);
}

/* Sums equal outcomes; returns the new count. */
static size_t merge(outcome *o, size_t n)
{
    qsort(o, n, sizeof *o, cmp_outcome);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && o[m - 1].bits == o[i].bits)
            o[m - 1].p += o[i].p;
        else
            o[m++] = o[i];
    }
    return m;
}

static double outcome_p(const outcome *o, size_t n, uint64_t bits)
{
    outcome key = {bits, 0}, *f = bsearch(&key, o, n, sizeof *o, cmp_outcome);
    return f ? f->p : 0;
}

/* A Qiskit-style key ("b2b1b0 a1a0") as classical bits. */
static uint64_t key_bits(const qs_circuit *c, const char *key, size_t len)
{
    uint64_t v = 0;
    int nr = qs_circuit_num_cregs(c);
    size_t at = 0;
    for (int r = nr - 1; r >= 0; r--) {
        int first, size;
        qs_circuit_creg(c, r, NULL, &first, &size);
        for (int b = first + size - 1; b >= first; b--, at++) {
            cr_assert(at < len, "key too short");
            v |= (uint64_t)(key[at] == '1') << b;
        }
        at += r > 0;   /* the space */
    }
    return v;
}

static char *ref_text(const char *name, const char *suffix)
{
    char rel[256];
    snprintf(rel, sizeof rel, "conformance/refs/%s%s", name, suffix);
    return qt_read_file(ref_shared(rel));
}

/* Numbers of a one-column or two-column text file, as doubles. */
static double *read_numbers(const char *text, size_t *n)
{
    size_t cap = 1024;
    double *v = malloc(cap * sizeof *v);
    *n = 0;
    for (const char *p = text;;) {
        char *end;
        double x = strtod(p, &end);
        if (end == p)
            return v;
        if (*n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[(*n)++] = x;
        p = end;
    }
}

static void check_state(const char *name, const char *json, const qs_state *s, int n)
{
    uint64_t d = UINT64_C(1) << n;
    cplx *got = ref_read(s);
    const char *sv = qt_json_find(json, "statevector");
    if (sv && strncmp(sv, "null", 4) != 0) {
        char *t = ref_text(name, ".state.txt");
        size_t m;
        double *v = read_numbers(t, &m);
        cr_assert_eq(m, 2 * d, "%s: reference has %zu numbers", name, m);
        double diff = ref_maxdiff_phase((cplx *)v, got, d);
        cr_assert(diff < TOL, "%s: state differs by %g", name, diff);
        free(v);
        free(t);
    } else {
        const char *smp = qt_json_find(json, "statevector_samples");
        size_t ni, nre, nim;
        double *idx = qt_json_numbers(qt_json_find(smp, "indices"), &ni);
        double *re = qt_json_numbers(qt_json_find(smp, "re"), &nre);
        double *im = qt_json_numbers(qt_json_find(smp, "im"), &nim);
        cr_assert(ni == nre && ni == nim && ni > 0);
        /* The phase from the first (largest) sample. */
        cplx r0 = re[0] + I * im[0], g0 = got[(uint64_t)idx[0]];
        cplx ph = g0 / r0 / cabs(g0 / r0);
        for (size_t i = 0; i < ni; i++) {
            cplx want = (re[i] + I * im[i]) * ph;
            cr_assert(cabs(got[(uint64_t)idx[i]] - want) < TOL, "%s: amplitude %.0f differs by %g",
                      name, idx[i], cabs(got[(uint64_t)idx[i]] - want));
        }
        free(idx);
        free(re);
        free(im);
    }
    free(got);
}

static void check_probs(const char *name, const char *json, const double *probs, int n)
{
    uint64_t d = UINT64_C(1) << n;
    const char *pr = qt_json_find(json, "probabilities");
    if (pr && strncmp(pr, "null", 4) != 0) {
        char *t = ref_text(name, ".probs.txt");
        size_t m;
        double *v = read_numbers(t, &m);
        cr_assert_eq(m, d, "%s: reference has %zu probabilities", name, m);
        for (uint64_t i = 0; i < d; i++)
            cr_assert(fabs(v[i] - probs[i]) < TOL, "%s: p[%llu] = %.17g, reference %.17g", name,
                      (unsigned long long)i, probs[i], v[i]);
        free(v);
        free(t);
        return;
    }
    const char *smp = qt_json_find(json, "probability_samples");
    size_t ni, np, nm;
    double *idx = qt_json_numbers(qt_json_find(smp, "indices"), &ni);
    double *p = qt_json_numbers(qt_json_find(smp, "p"), &np);
    double *marg = qt_json_numbers(qt_json_find(json, "qubit_marginals_p1"), &nm);
    cr_assert(ni == np && ni > 0 && nm == (size_t)n);
    for (size_t i = 0; i < ni; i++)
        cr_assert(fabs(probs[(uint64_t)idx[i]] - p[i]) < TOL, "%s: p[%.0f] differs", name, idx[i]);
    for (int q = 0; q < n; q++) {
        double m = 0;
        for (uint64_t i = 0; i < d; i++)
            m += (i >> q & 1) ? probs[i] : 0;
        cr_assert(fabs(m - marg[q]) < TOL, "%s: P(qubit %d = 1) = %.17g, reference %.17g", name,
                  q, m, marg[q]);
    }
    free(idx);
    free(p);
    free(marg);
}

static void check_distribution(const char *name, const char *json, const qs_circuit *c,
                               const outcome *o, size_t n)
{
    const char *p = qt_json_find(json, "classical_distribution");
    const char *comp = qt_json_find(json, "classical_distribution_complete");
    int complete = comp && strncmp(comp, "true", 4) == 0;
    cr_assert(p && *p == '{', "%s: no classical_distribution", name);
    size_t listed = 0;
    double total = 0;
    for (p++;;) {
        const char *k = strchr(p, '"');
        const char *close = strchr(p, '}');
        if (!k || (close && close < k))
            break;
        const char *ke = strchr(k + 1, '"');
        char *end;
        double want = strtod(strchr(ke, ':') + 1, &end);
        double got = outcome_p(o, n, key_bits(c, k + 1, (size_t)(ke - k - 1)));
        cr_assert(fabs(got - want) < TOL, "%s: outcome \"%.*s\" has p = %.17g, reference %.17g",
                  name, (int)(ke - k - 1), k + 1, got, want);
        listed++;
        total += want;
        p = end;
    }
    cr_assert(listed > 0, "%s: empty distribution", name);
    if (complete) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += o[i].p;
        cr_assert(fabs(sum - total) < 1e-9, "%s: outcomes outside the reference: %g", name,
                  sum - total);
    }
}

#define MAX_CIRCUITS 256

/* Parameters are copied into each test's process: names inline. */
typedef struct cname {
    char s[96];
} cname;

ParameterizedTestParameters(conformance, circuit)
{
    static cname names[MAX_CIRCUITS];
    size_t n = 0;
    DIR *d = opendir(ref_shared("conformance/circuits"));
    for (struct dirent *e; d && (e = readdir(d)) && n < MAX_CIRCUITS;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".qasm") && len - 5 < sizeof names[0].s)
            snprintf(names[n++].s, sizeof names[0].s, "%.*s", (int)(len - 5), e->d_name);
    }
    if (d)
        closedir(d);
    cr_assert(n >= 51, "found %zu conformance circuits", n);
    return cr_make_param_array(cname, names, n);
}

ParameterizedTest(cname *cn, conformance, circuit, .timeout = 120)
{
    const char *const *name = (const char *const[]){cn->s};
    char rel[256];
    snprintf(rel, sizeof rel, "conformance/circuits/%s.qasm", *name);
    qs_circuit *c;
    cr_assert_eq(qs_circuit_parse_file(ref_shared(rel), 0, &c), QS_OK, "%s", qs_last_error());
    char *json = ref_text(*name, ".json");
    cr_assert(json, "%s: no reference", *name);
    run r = {.c = c, .n = qs_circuit_num_qubits(c)};
    qs_program *p;
    qs_state *s;
    cr_assert_eq(qs_program_compile(c, QS_COMPILE_DEFER_MEASURE, &p), QS_OK);
    r.p = p;
    qs_state_create(r.n, 0, &s);
    qs_state_create(r.n, 0, &r.pure);
    r.probs = calloc(UINT64_C(1) << r.n, sizeof *r.probs);
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 1e-14, 4096, s, branch, &r), QS_OK, "%s: %s",
                 *name, qs_last_error());
    const char *sv = qt_json_find(json, "statevector");
    const char *svs = qt_json_find(json, "statevector_samples");
    if ((sv && strncmp(sv, "null", 4)) || svs) {
        cr_assert_eq(r.leaves, 1, "%s: the reference has a pure state, we have %zu branches",
                     *name, r.leaves);
        check_state(*name, json, r.pure, r.n);
    }
    check_probs(*name, json, r.probs, r.n);
    r.nout = merge(r.out, r.nout);
    check_distribution(*name, json, c, r.out, r.nout);
    free(r.out);
    free(r.probs);
    qs_state_destroy(r.pure);
    qs_state_destroy(s);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
    free(json);
}
