/*
 * cmd_vqe.c - `qsim vqe`: the variational quantum eigensolver on a Pauli-
 * sum Hamiltonian, with a UCCSD, hardware-efficient or OpenQASM ansatz,
 * the exact reference and the difference; --scan runs a dissociation
 * curve, each point warm-started from the previous optimum.
 *
 * The reference is the one the ansatz can reach: UCCSD conserves the
 * particle numbers, so its reference is the lowest energy of the
 * (n_alpha, n_beta) sector; other ansatze compare with the lowest
 * eigenvalue over all qubit states.  An OpenQASM ansatz (issue 3's
 * parser) takes its parameters from `input float[64] name;` declarations
 * and may use them in any gate argument expression; measurements at its
 * end are left out (the energy is that of the state before them).
 */
#include "run.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: qsim vqe --hamiltonian FILE [--ansatz uccsd|hea:L|FILE.qasm] [options]\n"
    "       qsim vqe --scan DIR [--csv FILE] [options]\n"
    "\n"
    "Minimizes <psi(theta)|H|psi(theta)> over the ansatz parameters and reports the\n"
    "final energy, the exact ground energy and their difference (hartree).\n"
    "  --hamiltonian FILE    Pauli-sum file (header keys n_electrons, n_alpha, n_beta,\n"
    "                        hf_state_index are used when present)\n"
    "  --ansatz A            uccsd (default): singles and doubles from Hartree-Fock,\n"
    "                        particle-conserving; hea:L hardware-efficient, L layers;\n"
    "                        FILE.qasm: OpenQASM with `input float` parameters\n"
    "  --scan DIR            every *.txt of DIR in order of the bond length in its name\n"
    "                        (h2_sto3g_0.7.txt), warm-starting each point from the last;\n"
    "                        writes CSV (bond_length,vqe_energy,exact_energy,error)\n"
    "  --csv FILE            the scan's CSV (default: standard output)\n"
    "Defaults: --optimizer bfgs --maxiter 1000 --gtol 1e-8.\n";

typedef struct point {
    double R, energy, exact, reference, hf;
    double energy_se;          /* standard error of energy (trajectories; else 0) */
    size_t traj;
    int nq, np, na, nb;
    size_t terms, iterations, evaluations;
    double grad_norm;
    int reason;
    const char *exact_method;
} point;

typedef struct vqe {
    run *r;
    const char *ham, *ansatz, *scan, *csv;
    int hea_layers;   /* -1: not hea */
    /* scan */
    char **files;
    double *Rs;
    size_t nfiles;
    point *pts;
    size_t done;
    double *x;        /* the last optimum (warm start) */
    int np;
} vqe;

static int take(void *app, const char *name, const char *value)
{
    vqe *v = app;
    if (!strcmp(name, "hamiltonian"))
        v->ham = value;
    else if (!strcmp(name, "ansatz"))
        v->ansatz = value;
    else if (!strcmp(name, "scan"))
        v->scan = value;
    else
        v->csv = value;
    return 0;
}

/* The bond length in a file name: the number after the last '_'. */
static double bond_length(const char *name)
{
    const char *u = strrchr(name, '_');
    return u ? strtod(u + 1, NULL) : NAN;
}

static int list_scan(vqe *v)
{
    DIR *d = opendir(v->scan);
    if (!d)
        return cli_fail(CLI_EUSER, "vqe", "%s: cannot open the directory", v->scan);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt") || !isfinite(bond_length(e->d_name)))
            continue;
        char **f = realloc(v->files, sizeof *f * (v->nfiles + 1));
        double *R = realloc(v->Rs, sizeof *R * (v->nfiles + 1));
        if (f)
            v->files = f;
        if (R)
            v->Rs = R;
        if (!f || !R)
            break;
        size_t len = strlen(v->scan) + n + 2;
        v->files[v->nfiles] = malloc(len);
        snprintf(v->files[v->nfiles], len, "%s/%s", v->scan, e->d_name);
        v->Rs[v->nfiles++] = bond_length(e->d_name);
    }
    closedir(d);
    /* insertion sort by bond length */
    for (size_t i = 1; i < v->nfiles; i++)
        for (size_t j = i; j > 0 && v->Rs[j] < v->Rs[j - 1]; j--) {
            double t = v->Rs[j];
            v->Rs[j] = v->Rs[j - 1];
            v->Rs[j - 1] = t;
            char *s = v->files[j];
            v->files[j] = v->files[j - 1];
            v->files[j - 1] = s;
        }
    if (v->nfiles == 0)
        return cli_fail(CLI_EUSER, "vqe", "%s: no Hamiltonian files NAME_R.txt", v->scan);
    /* a resume must see the same points with the same contents */
    for (size_t i = 0; i < v->nfiles; i++)
        run_fingerprint_file(v->r, v->files[i]);
    return CLI_OK;
}

/* The ansatz circuit for h. */
static qs_status build_ansatz(vqe *v, const qs_pauli_sum *h, point *pt, qs_circuit **c)
{
    int nq = qs_pauli_sum_num_qubits(h);
    if (v->hea_layers >= 0)
        return qh_ansatz_hea(nq, v->hea_layers, c);
    if (strcmp(v->ansatz, "uccsd") == 0) {
        uint64_t hf;
        qs_status st = qh_molecule_info(h, &pt->na, &pt->nb, &hf);
        return st == QS_OK ? qh_ansatz_uccsd(nq, hf, c) : st;
    }
    qs_status st = qs_circuit_parse_file(v->ansatz, QS_PARSE_DEFAULT, c);
    if (st == QS_OK && qs_circuit_num_qubits(*c) < nq) {
        st = qs_set_error(QS_EINVAL, "vqe", "%s has %d qubits, the Hamiltonian acts on %d",
                          v->ansatz, qs_circuit_num_qubits(*c), nq);
        qs_circuit_destroy(*c);
        *c = NULL;
    }
    return st;
}

/* The exact energy the ansatz can reach (see the top of the file). */
static qs_status reference(const vqe *v, const qs_pauli_sum *h, point *pt)
{
    int nq = qs_pauli_sum_num_qubits(h);
    if (v->hea_layers < 0 && !strcmp(v->ansatz, "uccsd")) {
        pt->exact_method = "particle sector, LAPACKE";
        qs_status st = qh_molecule_info(h, &pt->na, &pt->nb, NULL);
        return st == QS_OK ? qh_sector_ground_energy(h, pt->na, pt->nb, &pt->exact) : st;
    }
    pt->exact_method = nq > 10 ? "all qubit states, Lanczos" : "all qubit states, LAPACKE";
    return qs_pauli_sum_eigensolve(h, 1, nq > 10 ? QS_EIG_KRYLOV : QS_EIG_DENSE, &pt->exact, NULL);
}

static int save(void *app, ckpt *c)
{
    vqe *v = app;
    double *a = malloc(sizeof *a * 3 * (v->done ? v->done : 1));
    if (!a)
        return -1;
    for (size_t i = 0; i < v->done; i++) {
        a[3 * i] = v->pts[i].energy;
        a[3 * i + 1] = (double)v->pts[i].iterations;
        a[3 * i + 2] = (double)v->pts[i].evaluations;
    }
    int rc = ckpt_set(c, "scan_results", a, 3 * v->done) ||
             (v->x && ckpt_set(c, "warm_start", v->x, (size_t)v->np));
    free(a);
    return rc;
}

/* One point: stage s, Hamiltonian file path. */
static int solve(vqe *v, long s, const char *path, point *pt)
{
    run *r = v->r;
    qs_pauli_sum *h = NULL;
    qs_circuit *c = NULL;
    qh_objective *o = NULL;
    qh_optimizer *opt = NULL;
    double *x0 = NULL;
    int rc = CLI_OK;
    qs_status st = qs_pauli_sum_read(path, &h);
    if (st == QS_OK)
        st = build_ansatz(v, h, pt, &c);
    if (st == QS_OK)
        st = r->noise ? qh_objective_create_noisy(c, h, NULL, r->noise, &o)
                      : qh_objective_create(c, h, &o);
    if (st != QS_OK)
        goto fail;
    pt->nq = qs_pauli_sum_num_qubits(h);
    pt->np = qh_objective_num_params(o);
    pt->terms = qs_pauli_sum_num_terms(h);
    const char *ref = qs_pauli_sum_header(h, "exact_ground_energy");
    pt->reference = ref ? strtod(ref, NULL) : NAN;
    if ((st = reference(v, h, pt)) != QS_OK)
        goto fail;
    /* start: the last optimum, else zeros (UCCSD: Hartree-Fock) or small
     * seeded angles */
    x0 = calloc((size_t)pt->np + 1, sizeof *x0);
    if (!x0) {
        st = qs_set_error(QS_ENOMEM, "vqe", "out of memory");
        goto fail;
    }
    if (v->x && v->np == pt->np) {
        memcpy(x0, v->x, sizeof *x0 * (size_t)pt->np);
    } else if (v->hea_layers >= 0 || strcmp(v->ansatz, "uccsd") != 0) {
        qs_rng *rng;
        st = qs_rng_create(r->seed, &rng);
        for (int i = 0; i < pt->np && st == QS_OK; i++) {
            double u;
            st = qs_rng_uniform(rng, &u);
            x0[i] = 0.2 * (2 * u - 1);
        }
        qs_rng_destroy(rng);
    }
    st = qh_objective_value(o, x0, &pt->hf);
    if (st != QS_OK)
        goto fail;
    if ((rc = run_objective_optimizer(r, o, qh_optimizer_bfgs, 1000, 1e-8, &opt)) != CLI_OK)
        goto done;
    char label[64];
    snprintf(label, sizeof label, "R=%g", pt->R);
    st = run_minimize(r, s, v->scan ? label : NULL, opt, qh_objective_fdf, o, x0, &pt->reason);
    if (st != QS_OK)
        goto fail;
    pt->energy = qh_optimizer_f(opt);
    pt->traj = qh_objective_num_trajectories(o);
    if (pt->traj && (st = qh_objective_value_error(o, qh_optimizer_x(opt), &pt->energy,
                                                   &pt->energy_se)) != QS_OK)
        goto fail;
    pt->iterations = qh_optimizer_iterations(opt);
    pt->evaluations = qh_optimizer_evaluations(opt);
    pt->grad_norm = qh_optimizer_grad_norm(opt);
    free(v->x);
    v->x = malloc(sizeof *v->x * (size_t)pt->np);
    if (v->x)
        memcpy(v->x, qh_optimizer_x(opt), sizeof *v->x * (size_t)pt->np);
    v->np = pt->np;
    goto done;
fail:
    rc = run_fail(r, st);
done:
    free(x0);
    qh_optimizer_free(opt);
    qh_objective_destroy(o);
    qs_circuit_destroy(c);
    qs_pauli_sum_destroy(h);
    return rc;
}

static void fill(json *j, void *ctx)
{
    vqe *v = ctx;
    run *r = v->r;
    const qh_optimizer_type *t = r->opt_type ? r->opt_type : qh_optimizer_bfgs;
    json_str(j, "command", "vqe");
    json_str(j, "ansatz", v->ansatz);
    json_str(j, "optimizer", qh_optimizer_type_name(t));
    json_str(j, "gradient", qh_grad_method_name(r->grad));
    json_int(j, "seed", (long long)r->seed);
    if (v->scan) {
        double *a = malloc(sizeof *a * v->done * 3);
        for (size_t i = 0; a && i < v->done; i++) {
            a[i] = v->pts[i].R;
            a[v->done + i] = v->pts[i].energy;
            a[2 * v->done + i] = v->pts[i].exact;
        }
        json_str(j, "scan", v->scan);
        json_arr(j, "bond_lengths", a, v->done);
        json_arr(j, "energies", a + v->done, v->done);
        json_arr(j, "exact_energies", a + 2 * v->done, v->done);
        free(a);
    }
    const point *p = &v->pts[v->done - 1];
    if (!v->scan)
        json_str(j, "hamiltonian", v->ham);
    json_int(j, "qubits", p->nq);
    json_int(j, "terms", (long long)p->terms);
    json_int(j, "num_parameters", p->np);
    json_num(j, "energy", p->energy);
    if (p->traj) {
        json_int(j, "trajectories", (long long)p->traj);
        json_num(j, "energy_std_error", p->energy_se);
    }
    json_num(j, "exact_energy", p->exact);
    json_str(j, "exact_method", p->exact_method);
    json_num(j, "error", p->energy - p->exact);
    json_num(j, "reference_energy", p->reference);
    json_num(j, "initial_energy", p->hf);
    json_int(j, "iterations", (long long)p->iterations);
    json_int(j, "evaluations", (long long)p->evaluations);
    json_num(j, "grad_norm", p->grad_norm);
    json_str(j, "stop_reason", qh_stop_reason_name(p->reason));
    json_num(j, "wall_time_s", run_elapsed(r));
    json_arr(j, "parameters", v->x, (size_t)v->np);
}

int cmd_vqe(int argc, char **argv)
{
    run r;
    run_init(&r, "vqe");
    vqe v = {.r = &r, .ansatz = "uccsd", .hea_layers = -1};
    static const cli_opt options[] = {
        {"hamiltonian", "FILE", CLI_OPT_INPUT, 0}, {"ansatz", "A", CLI_OPT_INPUT, 0},
        {"scan", "DIR", 0, 0}, {"csv", "FILE", CLI_OPT_CONTROL, 0}, {NULL, NULL, 0, 0}};
    run_opts opts = {options, take, usage};
    int rc = run_parse(&r, argc, argv, &opts, &v);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!v.ham == !v.scan)
        return cli_fail(CLI_EUSAGE, "vqe", "give one of --hamiltonian FILE or --scan DIR");
    if (!strncmp(v.ansatz, "hea:", 4)) {
        long l;
        if (!cli_parse_int(v.ansatz + 4, 0, 1000, &l))
            return cli_fail(CLI_EUSAGE, "vqe", "--ansatz %s: expected hea:L with L layers", v.ansatz);
        v.hea_layers = (int)l;
    } else if (strcmp(v.ansatz, "uccsd") != 0 && !strstr(v.ansatz, ".qasm")) {
        return cli_fail(CLI_EUSAGE, "vqe", "--ansatz %s: expected uccsd, hea:L or FILE.qasm",
                        v.ansatz);
    }
    if (v.scan && (rc = list_scan(&v)) != CLI_OK)
        return rc;
    if (!v.scan) {
        v.nfiles = 1;
        v.files = malloc(sizeof *v.files);
        v.Rs = malloc(sizeof *v.Rs);
        v.files[0] = strdup(v.ham);
        v.Rs[0] = NAN;
    }
    v.pts = calloc(v.nfiles, sizeof *v.pts);
    if ((rc = run_start(&r, argc, argv)) != CLI_OK)
        goto out;
    r.save = save;
    r.app = &v;
    /* stages finished before the checkpoint: their results are in it */
    if (r.resume) {
        size_t n = 0, nx = 0;
        const double *a = ckpt_get(r.resume, "scan_results", &n), *x = ckpt_get(r.resume, "warm_start", &nx);
        if (!a || n != 3 * (size_t)r.resume_stage || (size_t)r.resume_stage >= v.nfiles) {
            rc = cli_fail(CLI_EUSER, "vqe", "%s does not match this scan", r.resume_path);
            goto out;
        }
        for (long s = 0; s < r.resume_stage; s++) {
            v.pts[s].energy = a[3 * s];
            v.pts[s].iterations = (size_t)a[3 * s + 1];
            v.pts[s].evaluations = (size_t)a[3 * s + 2];
        }
        if (x) {
            v.x = malloc(sizeof *v.x * nx);
            memcpy(v.x, x, sizeof *x * nx);
            v.np = (int)nx;
        }
    }
    for (size_t s = 0; s < v.nfiles; s++) {
        v.pts[s].R = v.Rs[s];
        if (r.resume && (long)s < r.resume_stage) {
            /* cheap: the reference energies again (deterministic) */
            qs_pauli_sum *h;
            qs_status st = qs_pauli_sum_read(v.files[s], &h);
            if (st == QS_OK)
                st = reference(&v, h, &v.pts[s]);
            qs_pauli_sum_destroy(h);
            if (st != QS_OK) {
                rc = run_fail(&r, st);
                goto out;
            }
            v.done = s + 1;
            continue;
        }
        if ((rc = solve(&v, (long)s, v.files[s], &v.pts[s])) != CLI_OK)
            goto out;
        v.done = s + 1;
    }
    if ((rc = run_end(&r, CLI_OK)) != CLI_OK)
        goto out;
    if (v.scan) {
        cli_out o;
        if ((rc = cli_out_open(&o, "vqe", v.csv)) != CLI_OK)
            goto out;
        fprintf(o.f, "bond_length,vqe_energy,exact_energy,error\n");
        for (size_t i = 0; i < v.done; i++)
            fprintf(o.f, "%g,%.12f,%.12f,%.3e\n", v.pts[i].R, v.pts[i].energy, v.pts[i].exact,
                    v.pts[i].energy - v.pts[i].exact);
        if ((rc = cli_out_commit(&o)) != CLI_OK)
            goto out;
    } else {
        const point *p = &v.pts[0];
        printf("%s: %d qubits, %zu terms; ansatz %s, %d parameters\n", v.ham, p->nq, p->terms,
               v.ansatz, p->np);
        printf("  VQE energy    %16.10f Ha  (%s, %zu iterations, %zu evaluations, stopped: %s)\n",
               p->energy, qh_optimizer_type_name(r.opt_type ? r.opt_type : qh_optimizer_bfgs),
               p->iterations, p->evaluations, qh_stop_reason_name(p->reason));
        printf("  exact energy  %16.10f Ha  (%s)\n", p->exact, p->exact_method);
        printf("  difference    %16.3e Ha\n", p->energy - p->exact);
    }
    rc = run_output(&r, 0, fill, &v);
out:
    rc = run_end(&r, rc);
    for (size_t i = 0; i < v.nfiles; i++)
        free(v.files[i]);
    free(v.files);
    free(v.Rs);
    free(v.pts);
    free(v.x);
    return rc;
}
