/*
 * cmd_qaoa.c - `qsim qaoa`: QAOA for weighted MaxCut.  The cut value of
 * every assignment is computed once; each cost layer is then one diagonal
 * pass.  Depth 1 starts from the best point of a (gamma, beta) grid
 * evaluated as one batch; each further depth starts from the INTERP
 * extension of the previous optimum (one stage per depth).  Reports the
 * expected cut, the approximation ratio against the graph's maximum cut,
 * the probability of an optimal cut and the most likely bitstrings.
 */
#include "run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: qsim qaoa --graph FILE [--layers P] [options]\n"
    "\n"
    "Maximizes the expected cut <g,b|C|g,b> of |g,b> = prod_l exp(-i b_l sum X)\n"
    "exp(-i g_l C) |+...+> (the convention of the graph files).\n"
    "  --graph FILE          edge list 'u v [w]' with '# key: value' header lines\n"
    "  --layers P            QAOA depth (default 1)\n"
    "  --grid GxB            depth-1 start grid over gamma in [0, gamma-max) and beta in\n"
    "                        [0, pi/2) (default: 2 points per unit of the cost's range, 8)\n"
    "  --gamma-max X         grid range of gamma (default pi: integer weights make the\n"
    "                        landscape 2pi-periodic and symmetric)\n"
    "  --top K               most likely bitstrings to report (default 5)\n"
    "Defaults: --optimizer bfgs --maxiter 1000 --gtol 1e-10.\n";

typedef struct qaoa {
    run *r;
    const char *graph;
    long layers, grid_g, grid_b, top;
    double gamma_max;
    int n;
    double *cost, *neg;
    double *x;       /* the optimum of the last finished depth */
    long done;       /* depths finished */
    double expected, max_cut, p_opt, ref_p1, grad_norm;
    size_t iterations, evaluations;
    int reason;
    double *probs;
    uint64_t *best;
} qaoa;

static int take(void *app, const char *name, const char *value)
{
    qaoa *q = app;
    long l;
    double d;
    if (!strcmp(name, "graph")) {
        q->graph = value;
    } else if (!strcmp(name, "layers")) {
        if (!cli_parse_int(value, 1, 1000, &l))
            return cli_fail(CLI_EUSAGE, "qaoa", "bad value '%s' for --layers", value);
        q->layers = l;
    } else if (!strcmp(name, "top")) {
        if (!cli_parse_int(value, 0, 1000000, &l))
            return cli_fail(CLI_EUSAGE, "qaoa", "bad value '%s' for --top", value);
        q->top = l;
    } else if (!strcmp(name, "gamma-max")) {
        if (!cli_parse_double(value, &d) || !(d > 0))
            return cli_fail(CLI_EUSAGE, "qaoa", "bad value '%s' for --gamma-max", value);
        q->gamma_max = d;
    } else {
        char *x;
        long g = strtol(value, &x, 10);
        if (*x != 'x' || !cli_parse_int(x + 1, 1, 100000, &l) || g < 1 || g > 100000)
            return cli_fail(CLI_EUSAGE, "qaoa", "bad value '%s' for --grid (GxB)", value);
        q->grid_g = g;
        q->grid_b = l;
    }
    return 0;
}

static int save(void *app, ckpt *c)
{
    qaoa *q = app;
    return q->done > 0 ? ckpt_set(c, "warm_start", q->x, 2 * (size_t)q->done) : 0;
}

/* Grid points of gamma: 2 per unit of the cost's range R over [0, pi),
 * i.e. twice the Nyquist rate of the landscape's highest frequency in
 * gamma (R); beta's is 4 (two-body costs), so 8 points of [0, pi/2) are
 * twice its Nyquist rate too.  The best grid point then lies in the
 * global optimum's basin (on every graph of the data set). */
static long auto_grid(const qaoa *q)
{
    double lo = q->cost[0], hi = q->cost[0];
    for (uint64_t b = 0; b < UINT64_C(1) << q->n; b++) {
        lo = fmin(lo, q->cost[b]);
        hi = fmax(hi, q->cost[b]);
    }
    long g = (long)ceil(2 * (hi - lo) * q->gamma_max / M_PI);
    return g < 24 ? 24 : g > 2000 ? 2000 : g;
}

/* Depth d (stage d - 1). */
static int depth(qaoa *q, long d)
{
    run *r = q->r;
    qs_circuit *c = NULL;
    qh_objective *o = NULL;
    qh_optimizer *opt = NULL;
    double x0[2 * 1000 + 2];
    int rc = CLI_OK;
    qs_status st = qh_qaoa_circuit(q->n, q->cost, (int)d, &c);
    if (st == QS_OK)
        st = r->noise ? qh_objective_create_noisy(c, NULL, q->neg, r->noise, &o)
                      : qh_objective_create_diagonal(c, q->neg, &o);
    if (st != QS_OK)
        goto fail;
    if ((rc = run_objective_optimizer(r, o, qh_optimizer_bfgs, 1000, 1e-10, &opt)) != CLI_OK)
        goto done;
    if (d == 1) {
        if (!run_resumed_past(r, 0)) {
            long g = q->grid_g ? q->grid_g : auto_grid(q), b = q->grid_b ? q->grid_b : 8;
            /* The grid reports nothing until it is done: say so from the
             * start, with its time from one evaluation timed first. */
            double probe[2] = {0.1, 0.1}, f, t0 = run_elapsed(r);
            st = qh_objective_value(o, probe, &f);
            run_note(r, "qaoa p=1: grid search over %ld x %ld points, ~%.0fs", g, b,
                     (run_elapsed(r) - t0) * (double)(g * b));
            if (st == QS_OK)
                st = qh_qaoa_grid_search(o, (int)g, (int)b, q->gamma_max, x0, NULL);
        }
    } else {
        st = qh_qaoa_interp((int)d - 1, q->x, x0);
    }
    if (st != QS_OK)
        goto fail;
    char label[32];
    snprintf(label, sizeof label, "p=%ld", d);
    st = run_minimize(r, d - 1, label, opt, qh_objective_fdf, o, x0, &q->reason);
    if (st != QS_OK)
        goto fail;
    memcpy(q->x, qh_optimizer_x(opt), sizeof *q->x * 2 * (size_t)d);
    q->done = d;
    q->expected = -qh_optimizer_f(opt);
    q->iterations = qh_optimizer_iterations(opt);
    q->evaluations = qh_optimizer_evaluations(opt);
    q->grad_norm = qh_optimizer_grad_norm(opt);
    if (d == q->layers) {   /* the final state's distribution */
        qs_state *s;
        st = qs_state_create(q->n, QS_STATE_DEFAULT | cli_state_flags(), &s);
        if (st == QS_OK)
            st = qh_objective_state(o, q->x, s);
        if (st == QS_OK)
            st = qs_state_probabilities(s, q->probs);
        qs_state_destroy(s);
        if (st != QS_OK)
            goto fail;
    }
    goto done;
fail:
    rc = run_fail(r, st);
done:
    qh_optimizer_free(opt);
    qh_objective_destroy(o);
    qs_circuit_destroy(c);
    return rc;
}

static void bitstring(const qaoa *q, uint64_t b, char *s)
{
    for (int i = 0; i < q->n; i++)
        s[i] = (char)('0' + ((b >> i) & 1));
    s[q->n] = '\0';
}

static void fill(json *j, void *ctx)
{
    qaoa *q = ctx;
    run *r = q->r;
    json_str(j, "command", "qaoa");
    json_str(j, "graph", q->graph);
    json_int(j, "nodes", q->n);
    json_int(j, "layers", q->layers);
    json_str(j, "optimizer", qh_optimizer_type_name(r->opt_type ? r->opt_type : qh_optimizer_bfgs));
    json_str(j, "gradient", qh_grad_method_name(r->grad));
    json_num(j, "expected_cut", q->expected);
    json_num(j, "max_cut", q->max_cut);
    json_num(j, "approximation_ratio", q->expected / q->max_cut);
    json_num(j, "optimal_cut_probability", q->p_opt);
    if (q->layers == 1)
        json_num(j, "reference_p1_expected_cut", q->ref_p1);
    json_int(j, "iterations", (long long)q->iterations);
    json_int(j, "evaluations", (long long)q->evaluations);
    json_num(j, "grad_norm", q->grad_norm);
    json_str(j, "stop_reason", qh_stop_reason_name(q->reason));
    json_num(j, "wall_time_s", run_elapsed(r));
    json_arr(j, "parameters", q->x, 2 * (size_t)q->layers);
    json_key(j, "most_likely");
    fputc('[', j->f);
    char s[64];
    for (long i = 0; i < q->top; i++) {
        bitstring(q, q->best[i], s);
        fprintf(j->f, "%s\n    {\"bitstring\": \"%s\", \"index\": %llu, \"probability\": %.17g, "
                "\"cut\": %.17g}", i ? "," : "", s, (unsigned long long)q->best[i],
                q->probs[q->best[i]], q->cost[q->best[i]]);
    }
    fputs(q->top ? "\n  ]" : "]", j->f);
}

int cmd_qaoa(int argc, char **argv)
{
    run r;
    run_init(&r, "qaoa");
    qaoa q = {.r = &r, .layers = 1, .top = 5, .gamma_max = M_PI, .ref_p1 = NAN};
    static const cli_opt options[] = {
        {"graph", "FILE", CLI_OPT_INPUT, 0}, {"layers", "P", 0, 0}, {"grid", "GxB", 0, 0},
        {"top", "K", 0, 0}, {"gamma-max", "X", 0, 0}, {NULL, NULL, 0, 0}};
    run_opts opts = {options, take, usage};
    int rc = run_parse(&r, argc, argv, &opts, &q);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!q.graph)
        return cli_fail(CLI_EUSAGE, "qaoa", "--graph FILE is required");
    qh_graph *g = NULL;
    qs_status st = qh_graph_read(q.graph, &g);
    if (st != QS_OK)
        return run_fail(&r, st);
    q.n = qh_graph_num_nodes(g);
    if (q.n > 26) {
        qh_graph_destroy(g);
        return cli_fail(CLI_EUSER, "qaoa", "%s: %d nodes (at most 26 simulated)", q.graph, q.n);
    }
    uint64_t D = UINT64_C(1) << q.n;
    if (q.top > (long)D)
        q.top = (long)D;
    q.cost = malloc(sizeof *q.cost * D);
    q.neg = malloc(sizeof *q.neg * D);
    q.probs = malloc(sizeof *q.probs * D);
    q.x = calloc(2 * (size_t)q.layers, sizeof *q.x);
    q.best = calloc((size_t)q.top + 1, sizeof *q.best);
    if (!q.cost || !q.neg || !q.probs || !q.x || !q.best) {
        rc = cli_fail(CLI_EUSER, "qaoa", "out of memory for %d nodes", q.n);
        goto out;
    }
    if ((st = qh_maxcut_values(g, q.cost)) != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    q.max_cut = 0;
    for (uint64_t b = 0; b < D; b++) {
        q.neg[b] = -q.cost[b];
        q.max_cut = fmax(q.max_cut, q.cost[b]);
    }
    const char *h = qh_graph_header(g, "maxcut_value");
    if (h && strtod(h, NULL) != q.max_cut) {
        rc = cli_fail(CLI_EUSER, "qaoa", "%s: header maxcut_value %s, but the edges give %g",
                      q.graph, h, q.max_cut);
        goto out;
    }
    if ((h = qh_graph_header(g, "qaoa_p1_optimum")) && strstr(h, "F="))
        q.ref_p1 = strtod(strstr(h, "F=") + 2, NULL);
    if ((rc = run_start(&r, argc, argv)) != CLI_OK)
        goto out;
    r.save = save;
    r.app = &q;
    if (r.resume && r.resume_stage > 0) {
        size_t n;
        const double *x = ckpt_get(r.resume, "warm_start", &n);
        if (!x || n != 2 * (size_t)r.resume_stage || r.resume_stage >= q.layers) {
            rc = cli_fail(CLI_EUSER, "qaoa", "%s does not match this run", r.resume_path);
            goto out;
        }
        memcpy(q.x, x, sizeof *x * n);
        q.done = r.resume_stage;
    }
    for (long d = q.done + 1; d <= q.layers; d++)
        if ((rc = depth(&q, d)) != CLI_OK)
            goto out;
    if ((rc = run_end(&r, CLI_OK)) != CLI_OK)
        goto out;
    /* the most likely bitstrings (ties: lower index first) and P(optimal) */
    long m = 0;
    for (uint64_t b = 0; b < D; b++) {
        if (q.cost[b] == q.max_cut)
            q.p_opt += q.probs[b];
        long k = m;
        while (k > 0 && q.probs[b] > q.probs[q.best[k - 1]])
            k--;
        if (k < q.top) {
            long end = m < q.top ? m : q.top - 1;
            memmove(q.best + k + 1, q.best + k, sizeof *q.best * (size_t)(end - k));
            q.best[k] = b;
            if (m < q.top)
                m++;
        }
    }
    printf("%s: %d nodes, %zu edges, max cut %g\n", q.graph, q.n, qh_graph_num_edges(g), q.max_cut);
    printf("  QAOA p=%ld: expected cut %.10f, approximation ratio %.6f (%zu iterations, stopped: %s)\n",
           q.layers, q.expected, q.expected / q.max_cut, q.iterations, qh_stop_reason_name(q.reason));
    if (q.layers == 1 && isfinite(q.ref_p1))
        printf("  p=1 optimum in the graph file %.10f (difference %.1e)\n", q.ref_p1,
               q.expected - q.ref_p1);
    printf("  probability of an optimal cut %.6f\n  parameters (gamma, beta):", q.p_opt);
    for (long i = 0; i < q.layers; i++)
        printf(" (%.6f, %.6f)", q.x[2 * i], q.x[2 * i + 1]);
    printf("\n  most likely bitstrings (node 0 first):\n");
    char s[64];
    for (long i = 0; i < q.top; i++) {
        bitstring(&q, q.best[i], s);
        printf("    %s  p %.6f  cut %g\n", s, q.probs[q.best[i]], q.cost[q.best[i]]);
    }
    rc = run_output(&r, 0, fill, &q);
out:
    rc = run_end(&r, rc);
    qh_graph_destroy(g);
    free(q.cost);
    free(q.neg);
    free(q.probs);
    free(q.x);
    free(q.best);
    return rc;
}
