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
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <time.h>
#include <sys/stat.h>
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
    "  --trajectories N      with --noise: every value the mean of N seeded trajectories (the\n"
    "                        default, with 1000, when rho does not fit); gradients by fd\n"
    "  --shots N             estimate every value from N samples (per group of Pauli terms),\n"
    "                        as hardware does, seeded by --seed; gradients by parameter shift\n"
    "  --seed N              random seed (default 1): the same seed gives the same result,\n"
    "                        bit for bit, for any --threads\n"
    "  --threads N           threads (default OMP_NUM_THREADS or all cores)\n"
    "  --quiet               no progress line on stderr\n"
    "  --log FILE            one JSON object per iteration\n"
    "  --output FILE         the result as JSON (written atomically)\n"
    "  --checkpoint FILE     save the run every --checkpoint-every iterations (default 10)\n"
    "  --resume FILE         continue a run from its checkpoint (same options otherwise)\n"
    "  --distributed         one state vector spread over the ranks of mpirun (also\n"
    "                        QSIM_DISTRIBUTED=1); without it, mpirun shares out the items\n";

/* The common options; CLI_OPT_CONTROL ones steer the run without changing
 * its result, so they are left out of the fingerprint. */
static const cli_opt common[] = {
    {"optimizer", "NAME", 0, 0},
    {"set", "NAME=VALUE", CLI_OPT_REPEAT, 0},
    {"maxiter", "N", 0, 0},
    {"gtol", "X", 0, 0},
    {"ftol", "X", 0, 0},
    {"grad", "METHOD", 0, 0},
    {"seed", "N", 0, 0},
    {"threads", "N", CLI_OPT_CONTROL, 0},
    {"quiet", NULL, CLI_OPT_CONTROL, 0},
    {"log", "FILE", CLI_OPT_CONTROL, 0},
    {"output", "FILE", CLI_OPT_CONTROL, 0},
    {"checkpoint", "FILE", CLI_OPT_CONTROL, 0},
    {"checkpoint-every", "N", CLI_OPT_CONTROL, 0},
    {"resume", "FILE", CLI_OPT_CONTROL, 0},
    {"noise", "FILE", CLI_OPT_INPUT, 0},
    {"shots", "N", 0, 0},
    {"trajectories", "N", 0, 0},
    {NULL, NULL, 0, 0},
};

static int bad(const run *r, const char *name, const char *value)
{
    return cli_fail(CLI_EUSAGE, r->cmd, "bad value '%s' for --%s", value ? value : "", name);
}

/* A common option (all of them take a value but --quiet). */
static int common_option(run *r, const char *name, const char *value)
{
    long l;
    double d;
    if (!strcmp(name, "quiet")) {
        r->quiet = 1;
    } else if (!strcmp(name, "optimizer")) {
        if (!(r->opt_type = qh_optimizer_lookup(value)))
            return cli_fail(CLI_EUSAGE, r->cmd, "unknown optimizer '%s' (gd, adam, spsa, bfgs, "
                            "nelder-mead, qng)", value);
    } else if (!strcmp(name, "set")) {
        const char *eq = strchr(value, '=');
        if (!eq || eq == value || eq - value >= 32 || !cli_parse_double(eq + 1, &d))
            return bad(r, name, value);
        if (r->nset == 16)
            return cli_fail(CLI_EUSAGE, r->cmd, "--set %s: at most 16 --set options", value);
        memcpy(r->set[r->nset].name, value, (size_t)(eq - value));
        r->set[r->nset].name[eq - value] = '\0';
        r->set[r->nset++].value = d;
    } else if (!strcmp(name, "maxiter")) {
        if (!cli_parse_int(value, 1, RUN_MAX_ITER, &l))
            return bad(r, name, value);
        r->maxiter = l;
    } else if (!strcmp(name, "gtol") || !strcmp(name, "ftol")) {
        if (!cli_parse_double(value, &d) || d < 0)
            return bad(r, name, value);
        *(name[0] == 'g' ? &r->gtol : &r->ftol) = d;
    } else if (!strcmp(name, "noise")) {
        r->noise_path = value;
    } else if (!strcmp(name, "trajectories")) {
        if (!cli_parse_int(value, 2, 1L << 30, &l))
            return bad(r, name, value);
        r->traj = l;
    } else if (!strcmp(name, "shots")) {
        if (!cli_parse_int(value, 1, 1L << 30, &l))
            return bad(r, name, value);
        r->shots = l;
    } else if (!strcmp(name, "grad")) {
        r->grad_given = 1;
        if (qh_grad_method_lookup(value, &r->grad) != QS_OK)
            return cli_fail(CLI_EUSAGE, r->cmd, "%s", cli_lib_error());
    } else if (!strcmp(name, "seed")) {
        if (!cli_parse_int(value, 0, 0x7fffffffffffffffL, &l))
            return bad(r, name, value);
        r->seed = (uint64_t)l;
    } else if (!strcmp(name, "threads")) {
        if (!cli_parse_int(value, 1, QS_MAX_THREADS, &l))
            return cli_fail(CLI_EUSAGE, r->cmd, "bad value '%s' for --threads (1 to %d)", value,
                            QS_MAX_THREADS);
        r->threads = (int)l;
    } else if (!strcmp(name, "checkpoint-every")) {
        if (!cli_parse_int(value, 1, RUN_MAX_ITER, &l))
            return bad(r, name, value);
        r->every = l;
    } else {
        const char **dst = !strcmp(name, "log")          ? &r->log_path
                           : !strcmp(name, "output")     ? &r->output_path
                           : !strcmp(name, "checkpoint") ? &r->ckpt_path
                                                         : &r->resume_path;
        *dst = value;
    }
    return CLI_OK;
}

/* The hash of an empty log. */
#define LOG_HASH0 0xcbf29ce484222325u

/* FNV-1a, continued from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3u;
    }
    return h;
}

void run_fingerprint_file(run *r, const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f)
        return;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        char buf[1 << 14];
        size_t n, total = 0;
        r->fp_hash = fnv(r->fp_hash, "\1file", 5);
        while ((n = fread(buf, 1, sizeof buf, f)) > 0 && total <= QS_FILE_MAX_BYTES) {
            r->fp_hash = fnv(r->fp_hash, buf, n);
            total += n;
        }
    }
    fclose(f);
}

typedef struct parse_ctx {
    run *r;
    const run_opts *opts;
    void *app;
} parse_ctx;

static int take_any(void *ctx, const cli_opt *o, const char *value)
{
    parse_ctx *p = ctx;
    run *r = p->r;
    if (!o)
        return cli_fail(CLI_EUSAGE, r->cmd, "unexpected argument '%s' (see qsim %s --help)",
                        value, r->cmd);
    /* the fingerprint: every parsed option that changes the result, the
     * same however it was spelt, and the content of its input files */
    if (!(o->flags & CLI_OPT_CONTROL)) {
        r->fp_hash = fnv(r->fp_hash, o->name, strlen(o->name) + 1);
        if (value)
            r->fp_hash = fnv(r->fp_hash, value, strlen(value) + 1);
        if (value && (o->flags & CLI_OPT_INPUT))
            run_fingerprint_file(r, value);
    }
    int own = 0;
    for (const cli_opt *c = p->opts->options; c && c->name && !own; c++)
        own = c == o;
    return own ? p->opts->take(p->app, o->name, value) : common_option(r, o->name, value);
}

int run_parse(run *r, int argc, char **argv, const run_opts *opts, void *app)
{
    const cli_opt *const tables[] = {opts->options, common, NULL};
    parse_ctx p = {r, opts, app};
    r->fp_hash = fnv(0xcbf29ce484222325u, r->cmd, strlen(r->cmd) + 1);
    int rc = cli_parse(r->cmd, argc, argv, tables, take_any, &p);
    if (rc == CLI_HELP)
        printf("%s\n%s", opts->usage, run_options_help);
    return rc;
}

/* v is a whole number in [0, max]. */
static int whole(const double *v, double max) { return v && *v >= 0 && *v <= max && *v == floor(*v); }

/* The log the checkpoint was written with: the same first `offset` bytes
 * (by their hash).  Anything else at that path is not ours to cut. */
static int open_resumed_log(run *r, double offset, const double *hash)
{
    struct stat st;
    if (stat(r->log_path, &st) != 0 && errno == ENOENT) {
        r->log = fopen(r->log_path, "w");   /* a new log from here on */
        return r->log ? CLI_OK : cli_fail(CLI_EUSER, r->cmd, "cannot write the log %s: %s",
                                          r->log_path, strerror(errno));
    }
    FILE *f = fopen(r->log_path, "r+");
    if (!f)
        return cli_fail(CLI_EUSER, r->cmd, "cannot write the log %s: %s", r->log_path,
                        strerror(errno));
    uint64_t h = LOG_HASH0, left = (uint64_t)offset;
    int same = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && hash &&
               (uint64_t)st.st_size >= left;
    char buf[1 << 14];
    while (same && left > 0) {
        size_t n = fread(buf, 1, left < sizeof buf ? (size_t)left : sizeof buf, f);
        if (n == 0)
            break;
        h = fnv(h, buf, n);
        left -= n;
    }
    same = same && left == 0 && (double)(h >> 32) == hash[0] && (double)(h & 0xffffffffu) == hash[1];
    if (!same) {
        fclose(f);
        return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s is not the log of the run that "
                        "wrote %s (give that log, another --log FILE, or none)", r->log_path,
                        r->resume_path);
    }
    if (ftruncate(fileno(f), (off_t)offset) != 0 || fseeko(f, (off_t)offset, SEEK_SET) != 0) {
        int e = errno;
        fclose(f);
        return cli_fail(CLI_EUSER, r->cmd, "cannot write the log %s: %s", r->log_path,
                        strerror(e));
    }
    r->log = f;
    r->log_bytes = (uint64_t)offset;
    r->log_hash = h;
    return CLI_OK;
}

int run_start(run *r, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    r->t0 = now();
    r->fingerprint[0] = (double)(r->fp_hash >> 32);
    r->fingerprint[1] = (double)(r->fp_hash & 0xffffffffu);
    r->log_hash = LOG_HASH0;
    if (r->threads)
        qs_set_num_threads(r->threads);
    r->progress = !r->quiet && isatty(2);
    const double *lo = NULL, *lh = NULL;
    if (r->resume_path) {
        char err[512];
        if (!(r->resume = ckpt_read(r->resume_path, err, sizeof err)))
            return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s", err);
        size_t n, nh = 0;
        const double *fp = ckpt_get(r->resume, "fingerprint", &n), *st;
        if (!fp || n != 2 || fp[0] != r->fingerprint[0] || fp[1] != r->fingerprint[1])
            return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s was written by a %srun with "
                            "other options or other input files", r->resume_path,
                            fp ? "" : "different kind of ");
        if (!(st = ckpt_get(r->resume, "stage", &n)) || n != 1 || !ckpt_get(r->resume, "opt", &n))
            return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s has no optimizer state",
                            r->resume_path);
        if (!whole(st, RUN_MAX_STAGES))
            return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s: stage %g is not valid",
                            r->resume_path, st[0]);
        r->resume_stage = (long)st[0];
        lo = ckpt_get(r->resume, "log_offset", &n);
        lh = ckpt_get(r->resume, "log_hash", &nh);
        if (lo && (n != 1 || (lo[0] != -1 && !whole(lo, 9007199254740992.0)) || (lh && nh != 2)))
            return cli_fail(CLI_EUSER, r->cmd, "cannot resume: %s: the log offset is not valid",
                            r->resume_path);
        if (lo && lo[0] < 0)
            lo = NULL;
    }
    if (r->noise_path) {
        qs_status st = qs_noise_model_read(r->noise_path, &r->noise);
        if (st != QS_OK)
            return run_fail(r, st);
    }
    if (r->log_path && qh_comm_rank() == 0) {   /* under mpirun, rank 0 logs */
        if (lo)
            return open_resumed_log(r, lo[0], lh);
        r->log = fopen(r->log_path, "w");
        if (!r->log)
            return cli_fail(CLI_EUSER, r->cmd, "cannot write the log %s: %s", r->log_path,
                            strerror(errno));
    }
    return CLI_OK;
}

int run_resumed_past(const run *r, long s) { return r->resume && r->resume_stage >= s; }

int run_optimizer(run *r, const qh_optimizer_type *dflt, size_t n, long maxiter, double gtol,
                  double ftol, qh_optimizer **out)
{
    const qh_optimizer_type *t = r->opt_type ? r->opt_type : dflt;
    if (n == 0) {
        *out = NULL;
        return cli_fail(CLI_EUSER, r->cmd, "nothing to optimize: the model built from the input "
                        "has no parameters (check the input file's header and the options)");
    }
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
    if (r->traj && !qh_objective_is_noisy(o))
        return cli_fail(CLI_EUSAGE, r->cmd, "--trajectories needs --noise MODEL.json");
    if (r->traj && r->shots)
        return cli_fail(CLI_EUSAGE, r->cmd, "give --trajectories or --shots, not both");
    if (r->traj && qh_objective_set_trajectories(o, (size_t)r->traj, r->seed) != QS_OK)
        return run_fail(r, QS_EINVAL);
    if (qh_objective_num_trajectories(o) && r->grad != QH_GRAD_FINITE_DIFF) {
        if (r->grad_given)
            return cli_fail(CLI_EUSAGE, r->cmd, "--grad %s: the noisy values are trajectory "
                            "means (%zu trajectories); use --grad fd",
                            qh_grad_method_name(r->grad), qh_objective_num_trajectories(o));
        r->grad = QH_GRAD_FINITE_DIFF;
    }
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
    if (qh_comm_rank() != 0)
        return 0;   /* under mpirun, rank 0 writes (the ranks agree on the state) */
    size_t len;
    if (qh_optimizer_save(o, NULL, 0, &len) != QS_OK)
        return -1;
    double *buf = malloc(sizeof *buf * len);
    ckpt *c = ckpt_new();
    int rc = !buf || !c || qh_optimizer_save(o, buf, len, &len) != QS_OK;
    /* the log's length and hash: a resume cuts back only this log */
    double lh[2] = {(double)(r->log_hash >> 32), (double)(r->log_hash & 0xffffffffu)};
    if (r->log && fflush(r->log) != 0)
        rc = 1;
    rc = rc || ckpt_set(c, "fingerprint", r->fingerprint, 2) ||
         ckpt_set1(c, "stage", (double)r->stage) ||
         ckpt_set1(c, "log_offset", r->log ? (double)r->log_bytes : -1) ||
         ckpt_set(c, "log_hash", lh, 2) ||
         (r->save && r->save(r->app, c)) || ckpt_set(c, "opt", buf, len) ||
         ckpt_write(c, r->ckpt_path);
    free(buf);
    ckpt_free(c);
    return rc ? -1 : 0;
}

void run_note(run *r, const char *fmt, ...)
{
    if (!r->progress)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

/* The optimizer stops on its tolerance, usually long before maxiter, so
 * the line gives the measured time per iteration of this stage and the
 * time so far, not a remaining time from maxiter (which read ~48112s for
 * a 69 s run). */
static void progress(run *r, const qh_optimizer *o, int force)
{
    static double last;
    double t = now();
    if (!r->progress || (!force && t - last < 0.1))
        return;
    last = t;
    size_t it = qh_optimizer_iterations(o);
    double per = (t - r->stage_t0) / (double)(it ? it : 1);
    fprintf(stderr, "\r\033[K%s%s%s: iter %zu (at most %zu)  f %.10g  |g| %.2e  %.3gs/iter"
            "  %.0fs elapsed", r->cmd, r->stage_label ? " " : "",
            r->stage_label ? r->stage_label : "", it, r->stage_maxiter, qh_optimizer_f(o),
            qh_optimizer_grad_norm(o), per, t - r->t0);
}

/* One JSON line per iteration, counted and hashed (see write_checkpoint). */
static int log_line(run *r, const qh_optimizer *o)
{
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);
    if (!m)
        return -1;
    size_t it = qh_optimizer_iterations(o);
    fprintf(m, "{\"command\": \"%s\", \"stage\": %ld, ", r->cmd, r->stage);
    if (r->stage_label) {
        fputs("\"label\": ", m);
        json_quote(m, r->stage_label);
        fputs(", ", m);
    }
    double gn = qh_optimizer_grad_norm(o);
    fprintf(m, "\"iter\": %zu, \"f\": %.17g, \"grad_norm\": ", it, qh_optimizer_f(o));
    if (isfinite(gn))
        fprintf(m, "%.17g", gn);
    else
        fputs("null", m);
    fprintf(m, ", \"evaluations\": %zu, \"elapsed\": %.3f, \"x\": [",
            qh_optimizer_evaluations(o), run_elapsed(r));
    const double *x = qh_optimizer_x(o);
    for (size_t i = 0; i < r->opt_n; i++)
        fprintf(m, "%s%.17g", i ? ", " : "", x[i]);
    fputs("]}\n", m);
    int bad = fclose(m) != 0;
    errno = 0;
    bad = bad || fwrite(line, 1, len, r->log) != len || ferror(r->log);
    r->log_hash = fnv(r->log_hash, line, len);
    r->log_bytes += len;
    free(line);
    return bad ? -1 : 0;
}

static qs_status on_iter(void *ctx, const qh_optimizer *o)
{
    run *r = ctx;
    size_t it = qh_optimizer_iterations(o);
    if (r->log && log_line(r, o) != 0)
        return qs_set_error(QS_EIO, "log", "cannot write the log %s: %s", r->log_path,
                            strerror(errno ? errno : EIO));
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
    r->stage_t0 = now();
    run_note(r, "%s %s: starting the optimizer (%.0fs elapsed)", r->cmd, label ? label : "",
             now() - r->t0);
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

int run_end(run *r, int rc)
{
    if (r->progress)
        fputs("\r\033[K", stderr);
    r->progress = 0;
    if (r->log) {
        errno = 0;
        int bad = ferror(r->log) | fflush(r->log);
        int e = errno;
        bad |= fclose(r->log);
        if (bad && rc == CLI_OK)
            rc = cli_fail(CLI_EUSER, r->cmd, "cannot write the log %s: %s", r->log_path,
                          strerror(e ? e : errno ? errno : EIO));
    }
    r->log = NULL;
    ckpt_free(r->resume);
    r->resume = NULL;
    qs_noise_model_destroy(r->noise);
    r->noise = NULL;
    return rc;
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
    return cli_fail(cli_status_code(st), r->cmd, "%s", m[0] ? cli_lib_error() : qs_strerror(st));
}

int run_output(run *r, int to_stdout, void (*fill)(json *j, void *ctx), void *ctx)
{
    if (!r->output_path && !to_stdout)
        return CLI_OK;
    cli_out o;
    int rc = cli_out_open(&o, r->cmd, r->output_path);
    if (rc != CLI_OK)
        return rc;
    json j;
    json_begin(&j, o.f);
    fill(&j, ctx);
    json_end(&j);
    return cli_out_commit(&o);
}
