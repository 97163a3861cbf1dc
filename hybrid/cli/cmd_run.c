/*
 * cmd_run.c - `qsim run`: reads an OpenQASM program, binds its input
 * parameters, simulates it and prints the state vector, the
 * probabilities, shot counts or a Pauli-sum expectation value.
 *
 * Mid-circuit measurements and resets: probabilities and expectation
 * values are exact (every measurement branch is followed, weighted by its
 * probability); shots split at each random outcome, so each distinct path
 * is simulated once; a state vector exists only when a single branch is
 * possible.  Terminal measurements are deferred: the state reported is
 * the one just before them, and shots sample them from it.
 *
 * Uses only the public API (<qsim/qsim.h>) and cli.h.
 */
#include "cli.h"
#include "run_noise.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Branches followed for exact outputs of dynamic circuits. */
#define MAX_BRANCHES 4096
/* Branches below this probability are dropped (as the references do). */
#define MIN_BRANCH_PROB 1e-14

static const char usage_text[] =
    "usage: qsim run FILE.qasm MODE [options]\n"
    "\n"
    "Simulates an OpenQASM program (2.0, or the OpenQASM 3 that Qiskit's qasm3.dumps\n"
    "writes, with 'input float[64] theta;' parameters) and prints one result.\n"
    "FILE may be '-' for standard input.\n"
    "\n"
    "MODE, exactly one of:\n"
    "  --statevector      the final state: 2^n lines 're im' (17 significant digits),\n"
    "                     line i = basis state i, qubit 0 the least significant bit.\n"
    "                     Measurements that are the last operation on their qubit are\n"
    "                     left out; mid-circuit measurement or reset is accepted only\n"
    "                     when its outcome is certain (otherwise the state is mixed).\n"
    "  --probabilities    2^n lines, the probability of each basis state.  With\n"
    "                     mid-circuit measurement or reset: the exact mixture, every\n"
    "                     branch weighted by its probability (up to 4096 branches).\n"
    "  --shots N          N shots; prints the counts as JSON keyed like Qiskit: one\n"
    "                     bit string per classical register, last declared first,\n"
    "                     each highest bit first, separated by spaces: {\"01 1\": 37}.\n"
    "  --expect H.txt     the expectation value of the Pauli sum in H.txt (lines\n"
    "                     '<coefficient> X0 Z3', '#' comments) in the final state.\n"
    "\n"
    "Options:\n"
    "  --param NAME=VALUE bind input parameter NAME (repeat for each parameter)\n"
    "  --seed S           random seed for --shots and random outcomes (default:\n"
    "                     different each run)\n"
    "  --threads T        threads for large states (default: OMP_NUM_THREADS or all)\n"
    "  --precision P      'double' (default) or 'single' amplitudes\n"
    "  --strict           OpenQASM 2.0 with the paper's qelib1.inc only\n"
    "  --output FILE      write the result to FILE (replaced only when complete)\n"
    "  --timing           print the time spent parsing, compiling, simulating and\n"
    "                     writing on standard error\n"
    "  --noise MODEL.json attach the noise model's errors (qsim's format or the JSON\n"
    "                     Qiskit Aer writes with noise_model.to_dict(serializable=True))\n"
    "                     and simulate the density matrix: --probabilities is its\n"
    "                     diagonal, --shots applies the readout errors\n"
    "  --density-matrix   with --noise: exact, on the 4^n density matrix (default)\n"
    "  --trajectories N   with --noise: the mean of N quantum trajectories instead\n"
    "                     (--shots: one trajectory per shot)\n"
    "  --help             this text\n"
    "\n"
    "Examples:\n"
    "  qsim run bell.qasm --statevector\n"
    "  qsim run bell.qasm --shots 1000 --seed 7\n"
    "  qsim run ansatz.qasm --param theta=0.3 --param phi=1.2 --expect h2.txt\n"
    "  qsim run big.qasm --probabilities --threads 8 --output probs.txt\n"
    "  qsim run bell.qasm --noise aer_model.json --shots 1000 --seed 7\n"
    "\n"
    "Errors in the program are reported as 'file:line:col: error: message'; the exit\n"
    "status is 0 on success, 1 for a bad program or input, 2 for bad options.\n";

enum { MODE_NONE, MODE_STATE, MODE_PROBS, MODE_SHOTS, MODE_EXPECT };

typedef struct opts {
    const char *file, *expect, *output, *noise;
    int mode, strict, f32, timing, density;
    long shots, threads, trajectories;
    uint64_t seed;
    int have_seed;
    char **pnames;
    double *pvals;
    int np;
} opts;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "qsim run: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(qsim run --help lists the options)\n");
    return CLI_EUSAGE;
}

/* The library's message without its leading "qs_function: ". */
static const char *lib_msg(void)
{
    const char *m = qs_last_error(), *c = strstr(m, ": ");
    return strncmp(m, "qs_", 3) == 0 && c ? c + 2 : m;
}

static int set_mode(opts *o, int mode, const char *name)
{
    if (o->mode != MODE_NONE)
        return usage_error("%s: only one of --statevector, --probabilities, --shots and "
                           "--expect may be given", name);
    o->mode = mode;
    return CLI_OK;
}

static int add_param(opts *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    double v;
    if (!eq || eq == arg)
        return usage_error("--param %s: expected NAME=VALUE", arg);
    if (!cli_parse_double(eq + 1, &v))
        return usage_error("--param %s: the value is not a finite number", arg);
    for (int i = 0; i < o->np; i++)
        if (strlen(o->pnames[i]) == (size_t)(eq - arg) && !strncmp(o->pnames[i], arg, eq - arg))
            return usage_error("--param %s: this parameter is already given", arg);
    char **n = realloc(o->pnames, sizeof *n * (size_t)(o->np + 1));
    if (n)
        o->pnames = n;
    double *p = n ? realloc(o->pvals, sizeof *p * (size_t)(o->np + 1)) : NULL;
    if (p)
        o->pvals = p;
    if (!p || !(o->pnames[o->np] = strndup(arg, (size_t)(eq - arg))))
        return cli_fail(CLI_EINTERNAL, "run", "out of memory");
    o->pvals[o->np++] = v;
    return CLI_OK;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        char *a = argv[i], *val = NULL, name[64];
        if (a[0] != '-' || a[1] == '\0') {
            if (o->file)
                return usage_error("unexpected argument '%s' (one program file only)", a);
            o->file = a;
            continue;
        }
        /* --opt=value or --opt value */
        char *eq = strchr(a, '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - a : (long)strlen(a)), a);
        static const char *const with_value[] = {"--param", "--seed", "--threads",
                                                 "--precision", "--shots", "--expect",
                                                 "--output", "-o", "--noise",
                                                 "--trajectories", NULL};
        int wants = 0;
        for (int k = 0; with_value[k]; k++)
            wants |= strcmp(name, with_value[k]) == 0;
        if (wants) {
            val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!val)
                return usage_error("%s needs a value", name);
        } else if (eq) {
            return usage_error("%s takes no value", name);
        }
        int rc = CLI_OK;
        long n;
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            fputs(usage_text, stdout);
            return -1;
        } else if (!strcmp(name, "--statevector")) {
            rc = set_mode(o, MODE_STATE, name);
        } else if (!strcmp(name, "--probabilities")) {
            rc = set_mode(o, MODE_PROBS, name);
        } else if (!strcmp(name, "--shots")) {
            if (!cli_parse_int(val, 1, 1L << 30, &o->shots))
                return usage_error("--shots %s: expected a number of shots from 1 to 2^30", val);
            rc = set_mode(o, MODE_SHOTS, name);
        } else if (!strcmp(name, "--expect")) {
            o->expect = val;
            rc = set_mode(o, MODE_EXPECT, name);
        } else if (!strcmp(name, "--param")) {
            rc = add_param(o, val);
        } else if (!strcmp(name, "--seed")) {
            if (!cli_parse_int(val, 0, LONG_MAX, &n))
                return usage_error("--seed %s: expected a non-negative integer", val);
            o->seed = (uint64_t)n;
            o->have_seed = 1;
        } else if (!strcmp(name, "--threads")) {
            if (!cli_parse_int(val, 1, 4096, &o->threads))
                return usage_error("--threads %s: expected a number of threads from 1", val);
        } else if (!strcmp(name, "--precision")) {
            if (strcmp(val, "single") && strcmp(val, "double"))
                return usage_error("--precision %s: expected 'single' or 'double'", val);
            o->f32 = !strcmp(val, "single");
        } else if (!strcmp(name, "--strict")) {
            o->strict = 1;
        } else if (!strcmp(name, "--timing")) {
            o->timing = 1;
        } else if (!strcmp(name, "--noise")) {
            o->noise = val;
        } else if (!strcmp(name, "--density-matrix")) {
            o->density = 1;
        } else if (!strcmp(name, "--trajectories")) {
            if (!cli_parse_int(val, 1, 1L << 24, &o->trajectories))
                return usage_error("--trajectories %s: expected a number from 1 to 2^24", val);
        } else if (!strcmp(name, "--output") || !strcmp(name, "-o")) {
            o->output = val;
        } else {
            return usage_error("unknown option '%s'", name);
        }
        if (rc != CLI_OK)
            return rc;
    }
    if (!o->file)
        return usage_error("%s", "no program file given");
    if (o->mode == MODE_NONE)
        return usage_error("%s", "no output chosen: give one of --statevector, --probabilities, "
                                 "--shots N or --expect FILE");
    if ((o->density || o->trajectories) && !o->noise)
        return usage_error("%s", "--density-matrix and --trajectories need --noise MODEL.json");
    if (o->density && o->trajectories)
        return usage_error("%s", "give --density-matrix or --trajectories N, not both");
    if (o->noise && o->mode == MODE_STATE)
        return usage_error("%s", "--statevector with --noise: a noisy state is mixed (use "
                                 "--probabilities, --expect or --shots)");
    return CLI_OK;
}

static char *read_stdin(void)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, stdin);
        if (n < cap - 1)
            break;
        char *b = realloc(buf, cap *= 2);
        if (!b)
            free(buf);
        buf = b;
    }
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* Reports a failed parse: compiler style when the error has a place. */
static int parse_failed(qs_status st)
{
    const char *file, *msg;
    int line, col;
    if (qs_last_error_location(&file, &line, &col, &msg)) {
        cli_diag(file, line, col, "%s", msg);
        return CLI_EUSER;
    }
    return cli_fail(cli_status_code(st), "run", "%s", lib_msg());
}

/* The parameter vector in the circuit's order, from the --param values. */
static int bind(const opts *o, const qs_circuit *c, double *vals)
{
    int np = qs_circuit_num_params(c);
    for (int i = 0; i < o->np; i++)
        if (qs_circuit_param_index(c, o->pnames[i]) < 0) {
            char list[512] = "";
            for (int j = 0; j < np; j++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         j ? ", " : "", qs_circuit_param_name(c, j));
            return cli_fail(CLI_EUSER, "run", "--param %s: %s has no parameter '%s' (%s%s)",
                            o->pnames[i], o->file, o->pnames[i],
                            np ? "its parameters: " : "it has no parameters", list);
        }
    for (int j = 0; j < np; j++) {
        int found = 0;
        for (int i = 0; i < o->np && !found; i++)
            if (!strcmp(o->pnames[i], qs_circuit_param_name(c, j))) {
                vals[j] = o->pvals[i];
                found = 1;
            }
        if (!found)
            return cli_fail(CLI_EUSER, "run", "parameter '%s' has no value: add --param %s=VALUE",
                            qs_circuit_param_name(c, j), qs_circuit_param_name(c, j));
    }
    return CLI_OK;
}

/* ---------------------------------------------------------------- outputs */

typedef struct job {
    const opts *o;
    qs_circuit *c;
    qs_program *p;
    double *params;
    size_t np;
    qs_state *s;
    qs_rng *rng;
    int nq;
    uint64_t dim;
    double t_done;    /* when the simulation ended (for --timing) */
} job;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int lib_failed(qs_status st) { return cli_fail(cli_status_code(st), "run", "%s", lib_msg()); }

/* Branch accumulators. */
typedef struct acc {
    qs_state *pure;        /* state vector: the single branch */
    double *probs, *tmp;   /* probabilities */
    const qs_pauli_sum *h; /* expectation */
    double value;
} acc;

static qs_status on_branch(void *ctx, double prob, const qs_state *s, const unsigned char *bits)
{
    (void)bits;
    acc *a = ctx;
    if (a->pure)
        return a->pure == s ? QS_OK : qs_state_assign(a->pure, s);
    if (a->h) {
        double e;
        qs_status st = qs_state_expect(s, a->h, &e);
        a->value += prob * e;
        return st;
    }
    qs_status st = qs_state_probabilities(s, a->tmp);
    uint64_t d = UINT64_C(1) << qs_state_num_qubits(s);
    for (uint64_t i = 0; st == QS_OK && i < d; i++)
        a->probs[i] += prob * a->tmp[i];
    return st;
}

/* Runs the program into j->s, or for a dynamic program follows its
 * branches into a (max 1 branch: the pure final state into j->s). */
static qs_status simulate(job *j, acc *a, size_t max_branches)
{
    if (!qs_program_is_dynamic(j->p)) {
        unsigned char *bits = calloc((size_t)qs_program_num_clbits(j->p) + 1, 1);
        qs_status st = bits ? qs_program_run(j->p, j->params, j->np, j->s, NULL, bits) : QS_ENOMEM;
        free(bits);
        st = st == QS_OK ? on_branch(a, 1.0, j->s, NULL) : st;
        j->t_done = now();
        return st;
    }
    /* j->s is the work state; a single branch ends in it. */
    qs_status st = qs_program_enumerate(j->p, j->params, j->np, MIN_BRANCH_PROB, max_branches,
                                        j->s, on_branch, a);
    j->t_done = now();
    return st;
}

static int write_amps(job *j, FILE *f)
{
    double buf[2 * 4096];
    for (uint64_t i = 0; i < j->dim; i += 4096) {
        uint64_t n = j->dim - i < 4096 ? j->dim - i : 4096;
        qs_state_get_amps(j->s, i, n, buf);
        for (uint64_t k = 0; k < n; k++)
            fprintf(f, "%.17g %.17g\n", buf[2 * k], buf[2 * k + 1]);
    }
    return CLI_OK;
}

static int do_statevector(job *j, FILE *f)
{
    acc a = {.pure = j->s};
    qs_status st = simulate(j, &a, 1);
    if (st == QS_ETOOBIG && qs_program_is_dynamic(j->p))
        return cli_fail(CLI_EUSER, "run", "--statevector: the final state is not pure: a "
                        "mid-circuit measurement or reset has more than one possible outcome "
                        "(use --probabilities or --shots)");
    if (st != QS_OK)
        return lib_failed(st);
    return write_amps(j, f);
}

static int do_probabilities(job *j, FILE *f)
{
    acc a = {0};
    a.probs = calloc(j->dim, sizeof *a.probs);
    a.tmp = malloc(j->dim * sizeof *a.tmp);
    int rc = CLI_OK;
    if (!a.probs || !a.tmp) {
        rc = cli_fail(CLI_EUSER, "run", "no memory for %llu probabilities",
                      (unsigned long long)j->dim);
    } else {
        qs_status st = simulate(j, &a, MAX_BRANCHES);
        if (st == QS_ETOOBIG && qs_program_is_dynamic(j->p))
            rc = cli_fail(CLI_EUSER, "run", "--probabilities: %s (use --shots)", lib_msg());
        else if (st != QS_OK)
            rc = lib_failed(st);
        for (uint64_t i = 0; rc == CLI_OK && i < j->dim; i++)
            fprintf(f, "%.17g\n", a.probs[i]);
    }
    free(a.probs);
    free(a.tmp);
    return rc;
}

static int do_expect(job *j, FILE *f)
{
    qs_pauli_sum *h;
    qs_status st = qs_pauli_sum_read(j->o->expect, &h);
    if (st != QS_OK)
        return cli_fail(cli_status_code(st), "run", "--expect: %s", lib_msg());
    int rc = CLI_OK;
    if (qs_pauli_sum_num_qubits(h) > j->nq) {
        rc = cli_fail(CLI_EUSER, "run", "--expect %s: the Pauli sum acts on %d qubits, the "
                      "program has %d", j->o->expect, qs_pauli_sum_num_qubits(h), j->nq);
    } else {
        acc a = {.h = h};
        st = simulate(j, &a, MAX_BRANCHES);
        if (st == QS_ETOOBIG && qs_program_is_dynamic(j->p))
            rc = cli_fail(CLI_EUSER, "run", "--expect: %s", lib_msg());
        else if (st != QS_OK)
            rc = lib_failed(st);
        else
            fprintf(f, "%.17g\n", a.value);
    }
    qs_pauli_sum_destroy(h);
    return rc;
}

static size_t g_words;   /* row width for qsort's comparison */

static int cmp_rows(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    for (size_t w = g_words; w-- > 0;)
        if (x[w] != y[w])
            return x[w] < y[w] ? -1 : 1;
    return 0;
}

typedef struct kc {
    char *key;
    size_t count;
} kc;

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(((const kc *)a)->key, ((const kc *)b)->key);
}

/* The Qiskit key of a row: registers last declared first, each highest
 * bit first, separated by spaces.  A circuit without named registers
 * reads as one register of all its bits. */
static char *row_key(const qs_circuit *c, const uint64_t *row)
{
    int nr = qs_circuit_num_cregs(c), nc = qs_circuit_num_clbits(c);
    char *k = malloc((size_t)nc + (size_t)nr + 2), *p = k;
    if (!k)
        return NULL;
    for (int r = (nr ? nr : 1) - 1; r >= 0; r--) {
        int first = 0, size = nc;
        if (nr)
            qs_circuit_creg(c, r, NULL, &first, &size);
        for (int b = first + size - 1; b >= first; b--)
            *p++ = (char)('0' + (row[b / 64] >> (b % 64) & 1));
        if (r > 0)
            *p++ = ' ';
    }
    *p = '\0';
    return k;
}

static int do_shots(job *j, FILE *f)
{
    size_t shots = (size_t)j->o->shots, words = ((size_t)qs_circuit_num_clbits(j->c) + 63) / 64;
    size_t w = words ? words : 1;
    uint64_t *rows = calloc(shots * w, sizeof *rows);
    kc *keys = NULL;
    size_t nk = 0, cap = 0;
    int rc = CLI_OK;
    if (!rows) {
        rc = cli_fail(CLI_EUSER, "run", "no memory for %zu shots", shots);
        goto done;
    }
    qs_status st = qs_program_sample(j->p, j->params, j->np, shots, j->s, j->rng, rows);
    j->t_done = now();
    if (st != QS_OK) {
        rc = lib_failed(st);
        goto done;
    }
    g_words = w;
    qsort(rows, shots, w * sizeof *rows, cmp_rows);
    for (size_t i = 0; i < shots; i++) {
        if (nk > 0 && cmp_rows(rows + i * w, rows + (i - 1) * w) == 0) {
            keys[nk - 1].count++;
            continue;
        }
        if (nk == cap) {
            kc *k = realloc(keys, (cap = cap ? 2 * cap : 64) * sizeof *keys);
            if (!k) {
                rc = cli_fail(CLI_EINTERNAL, "run", "out of memory");
                goto done;
            }
            keys = k;
        }
        if (!(keys[nk].key = row_key(j->c, rows + i * w))) {
            rc = cli_fail(CLI_EINTERNAL, "run", "out of memory");
            goto done;
        }
        keys[nk++].count = 1;
    }
    qsort(keys, nk, sizeof *keys, cmp_keys);
    fputs("{", f);
    for (size_t i = 0; i < nk; i++)
        fprintf(f, "%s\n  \"%s\": %zu", i ? "," : "", keys[i].key, keys[i].count);
    fputs("\n}\n", f);
done:
    for (size_t i = 0; keys && i < nk; i++)
        free(keys[i].key);
    free(keys);
    free(rows);
    return rc;
}

/* ------------------------------------------------------------------ main */

static int run(const opts *o)
{
    double t0 = now(), t1 = t0, t2 = t0;
    unsigned flags = QS_PARSE_CHECK_MEMORY | (o->strict ? QS_PARSE_STRICT : 0) |
                     (o->f32 ? QS_PARSE_F32 : 0);
    job j = {.o = o};
    qs_status st;
    if (!strcmp(o->file, "-")) {
        char *text = read_stdin();
        if (!text)
            return cli_fail(CLI_EUSER, "run", "cannot read the program from standard input");
        st = qs_circuit_parse_string(text, "<stdin>", flags, &j.c);
        free(text);
    } else {
        st = qs_circuit_parse_file(o->file, flags, &j.c);
    }
    if (st != QS_OK)
        return parse_failed(st);
    fputs(qs_last_warning(), stderr);   /* a program read as 2.0 without its version line */
    t1 = now();
    int rc = CLI_OK;
    cli_out out = {0};
    j.np = (size_t)qs_circuit_num_params(j.c);
    j.params = calloc(j.np + 1, sizeof *j.params);
    j.nq = qs_circuit_num_qubits(j.c);
    if (!j.params) {
        rc = cli_fail(CLI_EINTERNAL, "run", "out of memory");
        goto done;
    }
    if ((rc = bind(o, j.c, j.params)) != CLI_OK)
        goto done;
    if (j.nq < 1) {
        rc = cli_fail(CLI_EUSER, "run", "%s declares no qubits: nothing to simulate", o->file);
        goto done;
    }
    j.dim = UINT64_C(1) << j.nq;
    if (o->noise) {
        cli_noise nz = {o->noise, j.c, j.params, j.np,
                        o->mode == MODE_PROBS    ? CLI_NOISE_PROBS
                        : o->mode == MODE_EXPECT ? CLI_NOISE_EXPECT
                                                 : CLI_NOISE_SHOTS,
                        o->expect, o->shots, o->trajectories, o->seed, o->f32};
        if (cli_out_open(&out, o->output) != 0) {
            rc = cli_fail(CLI_EUSER, "run", "cannot write %s", o->output);
            goto done;
        }
        rc = cli_run_noise(&nz, out.f);
        if (rc == CLI_OK && cli_out_commit(&out) != 0)
            rc = cli_fail(CLI_EUSER, "run", "writing %s failed", o->output ? o->output : "the output");
        else if (rc != CLI_OK)
            cli_out_abandon(&out);
        goto done;
    }
    if ((st = qs_program_compile(j.c, QS_COMPILE_DEFER_MEASURE, &j.p)) != QS_OK ||
        (st = qs_state_create(j.nq, o->f32 ? QS_STATE_F32 : QS_STATE_DEFAULT, &j.s)) != QS_OK ||
        (st = qs_rng_create(o->seed, &j.rng)) != QS_OK) {
        rc = lib_failed(st);
        goto done;
    }
    t2 = now();
    if (cli_out_open(&out, o->output) != 0) {
        rc = cli_fail(CLI_EUSER, "run", "cannot write %s", o->output);
        goto done;
    }
    switch (o->mode) {
    case MODE_STATE: rc = do_statevector(&j, out.f); break;
    case MODE_PROBS: rc = do_probabilities(&j, out.f); break;
    case MODE_SHOTS: rc = do_shots(&j, out.f); break;
    default: rc = do_expect(&j, out.f); break;
    }
    if (rc == CLI_OK && cli_out_commit(&out) != 0)
        rc = cli_fail(CLI_EUSER, "run", "writing %s failed", o->output ? o->output : "the output");
    else if (rc != CLI_OK)
        cli_out_abandon(&out);
    if (rc == CLI_OK && o->timing)
        fprintf(stderr, "qsim run: %d qubits, %zu operations: parse %.4f s, compile+allocate %.4f s, "
                "simulate %.4f s, write %.4f s\n", j.nq, qs_circuit_num_ops(j.c), t1 - t0,
                t2 - t1, j.t_done - t2, now() - j.t_done);
done:
    qs_rng_destroy(j.rng);
    qs_state_destroy(j.s);
    qs_program_destroy(j.p);
    qs_circuit_destroy(j.c);
    free(j.params);
    return rc;
}

int cli_cmd_run(int argc, char **argv)
{
    opts o = {0};
    int rc = parse_opts(argc, argv, &o);
    if (rc == CLI_OK) {
        if (!o.have_seed)
            o.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
        if (o.threads > 0)
            qs_set_num_threads((int)o.threads);
        rc = run(&o);
    }
    for (int i = 0; i < o.np; i++)
        free(o.pnames[i]);
    free(o.pnames);
    free(o.pvals);
    return rc < 0 ? CLI_OK : rc;
}
