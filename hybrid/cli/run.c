/*
 * run.c - the common options and the optimization loop of the variational
 * subcommands: progress line, JSON log, atomic checkpoints, resume, and
 * the output file (see run.h).
 *
 * Resuming: the checkpoint carries a fingerprint of every option that
 * changes the result (all of argv but the run-control options below), so
 * a checkpoint is only resumed by the same computation.  The log file is
 * cut back to its length at the checkpoint, so it ends like the
 * uninterrupted run's log.
 */
#include "run.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void run_init(run *r, const char *cmd)
{
    memset(r, 0, sizeof *r);
    r->cmd = cmd;
    r->seed = 1;
    r->every = 10;
    r->gtol = r->ftol = -1;
    r->resume_stage = -1;
}

const char run_options_help[] =
    "common options:\n"
    "  --optimizer NAME      gd, adam, spsa, bfgs, nelder-mead, qng\n"
    "  --set NAME=VALUE      an optimizer option (learning_rate=0.1, momentum=0.9, ...)\n"
    "  --maxiter N           iterations per optimization (default: per command)\n"
    "  --gtol X, --ftol X    stop when |gradient| < X, or when |f change| < X\n"
    "  --grad METHOD         adjoint (default), shift (parameter shift), fd (finite differences)\n"
    "  --noise FILE          a noise model (qsim's JSON or Qiskit Aer's to_dict JSON): optimize\n"
    "                        Tr(rho H) on the density matrix, gradients by parameter shift\n"
    "  --shots N             estimate every value from N samples (per group of Pauli terms),\n"
    "                        as hardware does, seeded by --seed; gradients by parameter shift\n"
    "  --seed N              random seed (default 1): the same seed gives the same result,\n"
    "                        bit for bit, for any --threads\n"
    "  --threads N           threads (default OMP_NUM_THREADS or all cores)\n"
    "  --quiet               no progress line on stderr\n"
    "  --log FILE            one JSON object per iteration\n"
    "  --output FILE         the result as JSON (written atomically)\n"
    "  --checkpoint FILE     save the run every --checkpoint-every iterations (default 10)\n"
    "  --resume FILE         continue a run from its checkpoint (same options otherwise)\n";

/* Options that steer the run without changing its result: left out of the
 * fingerprint.  1 = takes a value. */
static const struct { const char *name; int value; } control[] = {
    {"log", 1}, {"output", 1}, {"checkpoint", 1}, {"checkpoint-every", 1}, {"resume", 1},
    {"threads", 1}, {"quiet", 0}, {"model", 1}, {"csv", 1},
};

static int bad(const run *r, const char *name, const char *value)
{
    cli_fail(CLI_EUSAGE, r->cmd, "bad value '%s' for --%s", value ? value : "", name);
    return -1;
}

int run_option(run *r, const char *name, const char *value, int *used)
{
    long l;
    double d;
    *used = 1;
    if (!strcmp(name, "quiet")) {
        *used = 0;
        r->quiet = 1;
        return 1;
    }
    static const char *const with_value[] = {"optimizer", "set", "maxiter", "gtol", "ftol", "grad",
                                             "seed", "threads", "log", "output", "checkpoint",
                                             "checkpoint-every", "resume", "noise", "shots"};
    int known = 0;
    for (size_t i = 0; i < sizeof with_value / sizeof *with_value; i++)
        known |= !strcmp(name, with_value[i]);
    if (!known) {
        *used = 0;
        return 0;
    }
    if (!value)
        return bad(r, name, value);
    if (!strcmp(name, "optimizer")) {
        if (!(r->opt_type = qh_optimizer_lookup(value))) {
            cli_fail(CLI_EUSAGE, r->cmd, "unknown optimizer '%s' (gd, adam, spsa, bfgs, "
                     "nelder-mead, qng)", value);
            return -1;
        }
    } else if (!strcmp(name, "set")) {
        const char *eq = strchr(value, '=');
        if (!eq || eq == value || eq - value >= 32 || r->nset == 16 ||
            !cli_parse_double(eq + 1, &d))
            return bad(r, name, value);
        memcpy(r->set[r->nset].name, value, (size_t)(eq - value));
        r->set[r->nset].name[eq - value] = '\0';
        r->set[r->nset++].value = d;
    } else if (!strcmp(name, "maxiter")) {
        if (!cli_parse_int(value, 1, 100000000, &l))
            return bad(r, name, value);
        r->maxiter = l;
    } else if (!strcmp(name, "gtol") || !strcmp(name, "ftol")) {
        if (!cli_parse_double(value, &d) || d < 0)
            return bad(r, name, value);
        *(name[0] == 'g' ? &r->gtol : &r->ftol) = d;
    } else if (!strcmp(name, "noise")) {
        r->noise_path = value;
    } else if (!strcmp(name, "shots")) {
        if (!cli_parse_int(value, 1, 1L << 30, &l))
            return bad(r, name, value);
        r->shots = l;
    } else if (!strcmp(name, "grad")) {
        r->grad_given = 1;
        if (qh_grad_method_lookup(value, &r->grad) != QS_OK) {
            cli_fail(CLI_EUSAGE, r->cmd, "%s", qs_last_error());
            return -1;
        }
    } else if (!strcmp(name, "seed")) {
        if (!cli_parse_int(value, 0, 0x7fffffffffffffffL, &l))
            return bad(r, name, value);
        r->seed = (uint64_t)l;
    } else if (!strcmp(name, "threads")) {
        if (!cli_parse_int(value, 1, 4096, &l))
            return bad(r, name, value);
        r->threads = (int)l;
    } else if (!strcmp(name, "checkpoint-every")) {
        if (!cli_parse_int(value, 1, 100000000, &l))
            return bad(r, name, value);
        r->every = l;
    } else {
        const char **dst = !strcmp(name, "log")        ? &r->log_path
                           : !strcmp(name, "output")   ? &r->output_path
                           : !strcmp(name, "checkpoint") ? &r->ckpt_path
                                                         : &r->resume_path;
        *dst = value;
    }
    return 1;
}

static int listed(const char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (!strcmp(*list, name))
            return 1;
    return 0;
}

int run_parse(run *r, int argc, char **argv, const run_opts *opts, void *app)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *eq = strchr(a, '=');
        if (strncmp(a, "--", 2) != 0 || !a[2])
            return cli_fail(CLI_EUSAGE, r->cmd, "unexpected argument '%s' (see qsim %s --help)", a,
                            r->cmd);
        char name[64];
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (len >= sizeof name)
            return cli_fail(CLI_EUSAGE, r->cmd, "unknown option '%s'", a);
        memcpy(name, a + 2, len);
        name[len] = '\0';
        const char *value = eq ? eq + 1 : i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(name, "help")) {
            printf("%s\n%s", opts->usage, run_options_help);
            return -1;
        }
        if (listed(opts->with_value, name)) {
            if (!value)
                return cli_fail(CLI_EUSAGE, r->cmd, "--%s needs a value", name);
            int rc = opts->take(app, name, value);
            if (rc)
                return rc;
            i += !eq;
        } else if (listed(opts->flags, name)) {
            int rc = opts->take(app, name, NULL);
            if (rc)
                return rc;
        } else {
            int used, rc = run_option(r, name, value, &used);
            if (rc == 0)
                return cli_fail(CLI_EUSAGE, r->cmd, "unknown option '--%s' (see qsim %s --help)",
                                name, r->cmd);
            if (rc < 0)
                return CLI_EUSAGE;
            i += used && !eq;
        }
    }
    return CLI_OK;
}

/* FNV-1a over the options that change the result. */
static void fingerprint(run *r, int argc, char **argv)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int skip = 0;
        for (size_t k = 0; k < sizeof control / sizeof *control && a[0] == '-' && a[1] == '-'; k++) {
            size_t n = strlen(control[k].name);
            if (strncmp(a + 2, control[k].name, n) == 0 && (a[2 + n] == '\0' || a[2 + n] == '=')) {
                skip = 1;
                if (control[k].value && a[2 + n] == '\0')
                    i++;
            }
        }
        if (skip)
            continue;
        for (const char *p = a; ; p++) {
            h ^= (unsigned char)*p;
            h *= 0x100000001b3u;
            if (!*p)
                break;
        }
    }
    r->fingerprint[0] = (double)(h >> 32);
    r->fingerprint[1] = (double)(h & 0xffffffffu);
}

int run_start(run *r, int argc, char **argv)
{
    r->t0 = now();
    fingerprint(r, argc, argv);
    if (r->threads)
        qs_set_num_threads(r->threads);
    r->progress = !r->quiet && isatty(2);
    long offset = -1;
    if (r->resume_path) {
        char err[512];
        if (!(r->resume = ckpt_read(r->resume_path, err, sizeof err)))
            return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s", err);
        size_t n;
        const double *fp = ckpt_get(r->resume, "fingerprint", &n), *st, *lo;
        if (!fp || n != 2 || fp[0] != r->fingerprint[0] || fp[1] != r->fingerprint[1])
            return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s was written by a %s run with "
                            "other options", r->resume_path, fp ? "" : "different kind of");
        if (!(st = ckpt_get(r->resume, "stage", &n)) || n != 1 || !ckpt_get(r->resume, "opt", &n))
            return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s has no optimizer state",
                            r->resume_path);
        r->resume_stage = (long)st[0];
        if ((lo = ckpt_get(r->resume, "log_offset", &n)) && n == 1)
            offset = (long)lo[0];
    }
    if (r->noise_path) {
        qs_status st = qs_noise_model_read(r->noise_path, &r->noise);
        if (st != QS_OK)
            return run_fail(r, st);
    }
    if (r->log_path && qh_comm_rank() == 0) {   /* under mpirun, rank 0 logs */
        if (offset >= 0 && truncate(r->log_path, offset) != 0 && errno != ENOENT)
            return cli_fail(CLI_EUSER, r->cmd, "%s: %s", r->log_path, strerror(errno));
        r->log = fopen(r->log_path, offset >= 0 ? "a" : "w");
        if (!r->log)
            return cli_fail(CLI_EUSER, r->cmd, "%s: %s", r->log_path, strerror(errno));
    }
    return CLI_OK;
}

int run_resumed_past(const run *r, long s) { return r->resume && r->resume_stage >= s; }

int run_optimizer(run *r, const qh_optimizer_type *dflt, size_t n, long maxiter, double gtol,
                  double ftol, qh_optimizer **out)
{
    const qh_optimizer_type *t = r->opt_type ? r->opt_type : dflt;
    qs_status st = qh_optimizer_alloc(t, n, out);
    for (int i = 0; i < r->nset && st == QS_OK; i++)
        st = qh_optimizer_set_option(*out, r->set[i].name, r->set[i].value);
    if (st == QS_OK && !strcmp(qh_optimizer_type_name(t), "spsa")) {
        int user_seed = 0;
        for (int i = 0; i < r->nset; i++)
            user_seed |= !strcmp(r->set[i].name, "seed");
        if (!user_seed)
            st = qh_optimizer_set_option(*out, "seed", (double)(r->seed & ((UINT64_C(1) << 52) - 1)));
    }
    r->stage_maxiter = (size_t)(r->maxiter ? r->maxiter : maxiter);
    r->opt_n = n;
    if (st == QS_OK)
        st = qh_optimizer_set_stop(*out, r->stage_maxiter, r->gtol >= 0 ? r->gtol : gtol,
                                   r->ftol >= 0 ? r->ftol : ftol);
    if (st != QS_OK) {
        qh_optimizer_free(*out);
        *out = NULL;
        return cli_fail(CLI_EUSAGE, r->cmd, "%s", qs_last_error());
    }
    return CLI_OK;
}

int run_objective_optimizer(run *r, qh_objective *o, const qh_optimizer_type *dflt,
                            long maxiter, double gtol, qh_optimizer **out)
{
    if ((qh_objective_is_noisy(o) || r->shots) && r->grad == QH_GRAD_ADJOINT) {
        if (r->grad_given)
            return cli_fail(CLI_EUSAGE, r->cmd, "--grad adjoint needs %s; use --grad shift "
                            "or fd", r->shots ? "exact values (no --shots)"
                                              : "a pure state (no --noise)");
        r->grad = QH_GRAD_PARAM_SHIFT;
    }
    if (r->shots && qh_objective_set_shots(o, (size_t)r->shots, r->seed) != QS_OK)
        return run_fail(r, QS_EINVAL);
    qs_status st = qh_objective_set_method(o, r->grad);
    if (st == QS_OK)
        st = qh_objective_set_threads(o, r->threads);
    if (st != QS_OK)
        return run_fail(r, st);
    int rc = run_optimizer(r, dflt, (size_t)qh_objective_num_params(o), maxiter, gtol, 0, out);
    if (rc == CLI_OK && (r->opt_type ? r->opt_type : dflt) == qh_optimizer_qng)
        qh_optimizer_set_metric(*out, qh_objective_metric_fn, o);
    return rc;
}

static int write_checkpoint(run *r, const qh_optimizer *o)
{
    size_t len;
    if (qh_optimizer_save(o, NULL, 0, &len) != QS_OK)
        return -1;
    double *buf = malloc(sizeof *buf * len);
    ckpt *c = ckpt_new();
    int rc = !buf || !c || qh_optimizer_save(o, buf, len, &len) != QS_OK;
    if (r->log)
        fflush(r->log);
    rc = rc || ckpt_set(c, "fingerprint", r->fingerprint, 2) ||
         ckpt_set1(c, "stage", (double)r->stage) ||
         ckpt_set1(c, "log_offset", r->log ? (double)ftell(r->log) : -1) ||
         (r->save && r->save(r->app, c)) || ckpt_set(c, "opt", buf, len) ||
         ckpt_write(c, r->ckpt_path);
    free(buf);
    ckpt_free(c);
    return rc ? -1 : 0;
}

static void progress(run *r, const qh_optimizer *o, int force)
{
    static double last;
    double t = now();
    if (!r->progress || (!force && t - last < 0.1))
        return;
    last = t;
    size_t it = qh_optimizer_iterations(o), mx = r->stage_maxiter;
    double per = (t - r->t0) / (double)(it ? it : 1);
    fprintf(stderr, "\r\033[K%s%s%s: iter %zu/%zu  f %.10g  |g| %.2e  ~%.0fs left", r->cmd,
            r->stage_label ? " " : "", r->stage_label ? r->stage_label : "", it, mx,
            qh_optimizer_f(o), qh_optimizer_grad_norm(o), per * (double)(mx > it ? mx - it : 0));
}

static qs_status on_iter(void *ctx, const qh_optimizer *o)
{
    run *r = ctx;
    size_t it = qh_optimizer_iterations(o);
    if (r->log) {
        fprintf(r->log, "{\"command\": \"%s\", \"stage\": %ld, ", r->cmd, r->stage);
        if (r->stage_label) {
            fputs("\"label\": ", r->log);
            json_quote(r->log, r->stage_label);
            fputs(", ", r->log);
        }
        double gn = qh_optimizer_grad_norm(o);
        fprintf(r->log, "\"iter\": %zu, \"f\": %.17g, \"grad_norm\": ", it, qh_optimizer_f(o));
        if (isfinite(gn))
            fprintf(r->log, "%.17g", gn);
        else
            fputs("null", r->log);
        fprintf(r->log, ", \"evaluations\": %zu, \"elapsed\": %.3f, \"x\": [",
                qh_optimizer_evaluations(o), run_elapsed(r));
        const double *x = qh_optimizer_x(o);
        for (size_t i = 0; i < r->opt_n; i++)
            fprintf(r->log, "%s%.17g", i ? ", " : "", x[i]);
        fputs("]}\n", r->log);
    }
    progress(r, o, 0);
    if (r->ckpt_path && it % (size_t)r->every == 0 && write_checkpoint(r, o) != 0)
        return qs_set_error(QS_EIO, "checkpoint", "%s: cannot write the checkpoint",
                            r->ckpt_path);
    return QS_OK;
}

qs_status run_minimize(run *r, long s, const char *label, qh_optimizer *o, qh_fdf fdf, void *ctx,
                       const double *x0, int *reason)
{
    r->stage = s;
    r->stage_label = label;
    r->opt = o;
    qs_status st;
    if (r->resume && r->resume_stage == s) {
        size_t n;
        const double *b = ckpt_get(r->resume, "opt", &n);
        st = qh_optimizer_resume(o, fdf, ctx, b, n);
    } else {
        st = qh_optimizer_set(o, fdf, ctx, x0);
    }
    if (st == QS_OK)
        st = qh_optimizer_run(o, on_iter, r, reason);
    if (st == QS_OK)
        progress(r, o, 1);
    return st;
}

double run_elapsed(const run *r) { return now() - r->t0; }

void run_end(run *r)
{
    if (r->progress)
        fputs("\r\033[K", stderr);
    if (r->log)
        fclose(r->log);
    r->log = NULL;
    ckpt_free(r->resume);
    r->resume = NULL;
    qs_noise_model_destroy(r->noise);
    r->noise = NULL;
}

int run_fail(const run *r, qs_status st)
{
    /* a parser's error reads as a compiler's: "path:line:col: error: msg" */
    const char *file, *msg;
    int line, col, n = 0;
    if (qs_last_error_location(&file, &line, &col, &msg)) {
        cli_diag(file, line, col, "%s", msg);
        return cli_status_code(st);
    }
    const char *m = qs_last_error(), *p = strstr(m, ": ");
    if (strstr(m, ": error: ")) {   /* another rank's line, as it printed it (ranks.c) */
        fprintf(stderr, "%s\n", m);
        return cli_status_code(st);
    }
    if (p && sscanf(p + 2, "%*[^:]:%d:%d: %n", &line, &col, &n) == 2 && n > 0) {
        const char *path = p + 2, *c = strchr(path, ':');
        char name[1024];
        snprintf(name, sizeof name, "%.*s", (int)(c - path), path);
        cli_diag(name, line, col, "%s", p + 2 + n);
        return cli_status_code(st);
    }
    return cli_fail(cli_status_code(st), r->cmd, "%s", m[0] ? m : qs_strerror(st));
}

int run_output(run *r, int to_stdout, void (*fill)(json *j, void *ctx), void *ctx)
{
    if (!r->output_path && !to_stdout)
        return CLI_OK;
    cli_out o;
    if (cli_out_open(&o, r->output_path) != 0)
        return cli_fail(CLI_EUSER, r->cmd, "%s: %s", r->output_path, strerror(errno));
    json j;
    json_begin(&j, o.f);
    fill(&j, ctx);
    json_end(&j);
    if (cli_out_commit(&o) != 0)
        return cli_fail(CLI_EUSER, r->cmd, "%s: cannot write", r->output_path);
    return CLI_OK;
}
