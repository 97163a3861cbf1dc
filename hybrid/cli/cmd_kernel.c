/*
 * cmd_kernel.c - `qsim kernel`: the quantum-kernel matrix
 * K(x, x') = |<phi(x)|phi(x')>|^2 of CSV rows as CSV.  Features are
 * min-max scaled to [0, pi] with the training rows (the convention of the
 * data files, so the angle map reproduces iris_angle_kernel_train8.csv).
 */
#include "run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: qsim kernel --train FILE.csv [--test FILE.csv] [--map angle|zz] [options]\n"
    "\n"
    "Writes K[i][j] = |<phi(x_i)|phi(y_j)>|^2 as CSV: rows x_i of --test (or of\n"
    "--train), columns y_j of --train.\n"
    "  --map M               angle (default): prod_j ry(z_j)|0>, one qubit per feature;\n"
    "                        zz: Havlicek et al.'s second-order Pauli-Z map\n"
    "  --limit N             only the first N rows of each file (the scaling still uses\n"
    "                        every training row)\n"
    "  --range LO,HI         scaled feature range (default 0,pi)\n"
    "  --csv FILE            the matrix (default: standard output)\n"
    "With --noise MODEL.json, K[i][j] = Tr(rho(x_i) rho(y_j)) of the noisy feature map's\n"
    "density matrices (at most 10 features).\n";

typedef struct kern {
    const char *train, *test, *csv;
    int map;
    long limit;
    double lo, hi;
    size_t rows, cols;
    int F;
} kern;

static int take(void *app, const char *name, const char *value)
{
    kern *k = app;
    if (!strcmp(name, "train")) {
        k->train = value;
    } else if (!strcmp(name, "test")) {
        k->test = value;
    } else if (!strcmp(name, "csv")) {
        k->csv = value;
    } else if (!strcmp(name, "map")) {
        if (qh_feature_map_lookup(value, &k->map) != QS_OK)
            return cli_fail(CLI_EUSAGE, "kernel", "%s", qs_last_error());
    } else if (!strcmp(name, "limit")) {
        if (!cli_parse_int(value, 1, 100000000, &k->limit))
            return cli_fail(CLI_EUSAGE, "kernel", "bad value '%s' for --limit", value);
    } else {
        char *c;
        k->lo = strtod(value, &c);
        if (*c != ',' || !cli_parse_double(c + 1, &k->hi) || !isfinite(k->lo) || k->hi <= k->lo)
            return cli_fail(CLI_EUSAGE, "kernel", "bad value '%s' for --range LO,HI", value);
    }
    return 0;
}

static void fill(json *j, void *ctx)
{
    kern *k = ctx;
    json_str(j, "command", "kernel");
    json_str(j, "map", k->map == QH_MAP_ZZ ? "zz" : "angle");
    json_str(j, "train", k->train);
    if (k->test)
        json_str(j, "test", k->test);
    json_int(j, "rows", (long long)k->rows);
    json_int(j, "columns", (long long)k->cols);
    json_int(j, "qubits", k->F);
    json_num(j, "range_lo", k->lo);
    json_num(j, "range_hi", k->hi);
}

int cmd_kernel(int argc, char **argv)
{
    run r;
    run_init(&r, "kernel");
    kern k = {.map = QH_MAP_ANGLE, .lo = 0, .hi = M_PI};
    static const cli_opt options[] = {
        {"train", "FILE", CLI_OPT_INPUT, 0}, {"test", "FILE", CLI_OPT_INPUT, 0},
        {"csv", "FILE", CLI_OPT_CONTROL, 0}, {"map", "M", 0, 0}, {"limit", "N", 0, 0},
        {"range", "LO,HI", 0, 0}, {NULL, NULL, 0, 0}};
    run_opts opts = {options, take, usage};
    int rc = run_parse(&r, argc, argv, &opts, &k);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!k.train)
        return cli_fail(CLI_EUSAGE, "kernel", "--train FILE is required");
    qh_dataset *tr = NULL, *te = NULL;
    double *A = NULL, *B = NULL, *K = NULL;
    qs_status st = qh_dataset_read_csv(k.train, &tr);
    if (st == QS_OK && k.test)
        st = qh_dataset_read_csv(k.test, &te);
    if (st != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    k.F = qh_dataset_num_features(tr);
    if (te && qh_dataset_num_features(te) != k.F) {
        rc = cli_fail(CLI_EUSER, "kernel", "%s and %s have different features", k.train, k.test);
        goto out;
    }
    if (r.traj) {
        rc = cli_fail(CLI_EUSAGE, "kernel", "--trajectories: the noisy kernel uses density "
                      "matrices only");
        goto out;
    }
    if (r.shots) {
        rc = cli_fail(CLI_EUSAGE, "kernel", "--shots: the kernel entries are exact (there is no "
                      "estimated kernel)");
        goto out;
    }
    if ((rc = run_start(&r, argc, argv)) != CLI_OK)
        goto out;
    size_t ntr = qh_dataset_num_rows(tr), nte = te ? qh_dataset_num_rows(te) : ntr;
    k.cols = k.limit && (size_t)k.limit < ntr ? (size_t)k.limit : ntr;
    k.rows = k.limit && (size_t)k.limit < nte ? (size_t)k.limit : nte;
    const qh_dataset *rowset = te ? te : tr;
    A = malloc(sizeof *A * k.rows * (size_t)k.F);
    B = malloc(sizeof *B * k.cols * (size_t)k.F);
    K = malloc(sizeof *K * k.rows * k.cols);
    if (!A || !B || !K) {
        rc = cli_fail(CLI_EUSER, "kernel", "out of memory for a %zu x %zu kernel", k.rows, k.cols);
        goto out;
    }
    st = qh_minmax_scale(ntr, k.F, qh_dataset_features(tr), k.lo, k.hi, k.rows,
                         qh_dataset_features(rowset), A);
    if (st == QS_OK)
        st = qh_minmax_scale(ntr, k.F, qh_dataset_features(tr), k.lo, k.hi, k.cols,
                             qh_dataset_features(tr), B);
    if (st == QS_OK)
        st = r.noise ? qh_kernel_matrix_noisy(k.map, k.F, k.rows, A, k.cols, B, r.noise, K)
                     : qh_kernel_matrix(k.map, k.F, k.rows, A, k.cols, B, K);
    if (st != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    cli_out o;
    if ((rc = cli_out_open(&o, "kernel", k.csv)) != CLI_OK)
        goto out;
    for (size_t i = 0; i < k.rows; i++)
        for (size_t j = 0; j < k.cols; j++)
            fprintf(o.f, "%.17g%c", K[i * k.cols + j], j + 1 < k.cols ? ',' : '\n');
    if ((rc = cli_out_commit(&o)) != CLI_OK)
        goto out;
    rc = run_output(&r, 0, fill, &k);
out:
    rc = run_end(&r, rc);
    free(A);
    free(B);
    free(K);
    qh_dataset_destroy(tr);
    qh_dataset_destroy(te);
    return rc;
}
