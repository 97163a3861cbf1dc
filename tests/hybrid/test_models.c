/*
 * test_models.c - the variational models at small sizes: UCCSD VQE on H2
 * and the H2O active space against the sector-exact energies, particle
 * conservation, QNG on H2; QAOA conventions against the graph files'
 * reference values and the p = 1 optimum of cycle_n6 and 3reg_n8; data
 * sets and graphs with their parse errors; the classifier's gradient,
 * a short training on moons, model files; the iris angle kernel.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <qsim/hybrid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static double header(const qs_pauli_sum *h, const char *key)
{
    const char *v = qs_pauli_sum_header(h, key);
    cr_assert_not_null(v, "%s", key);
    return strtod(v, NULL);
}

/* UCCSD from HF with BFGS: returns the final energy minus the file's
 * exact_ground_energy. */
static double vqe(const char *file, const char *opt_name, double *x_out)
{
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_read(ref_shared(file), &h), QS_OK, "%s", qs_last_error());
    int na, nb;
    uint64_t hf;
    cr_assert_eq(qh_molecule_info(h, &na, &nb, &hf), QS_OK, "%s", qs_last_error());
    cr_assert_eq(hf, (uint64_t)header(h, "hf_state_index"));
    qs_circuit *c;
    cr_assert_eq(qh_ansatz_uccsd(qs_pauli_sum_num_qubits(h), hf, &c), QS_OK, "%s", qs_last_error());
    qh_objective *o;
    cr_assert_eq(qh_objective_create(c, h, &o), QS_OK);
    int np = qh_objective_num_params(o);
    double *x0 = calloc((size_t)np, sizeof *x0), e_hf, e0;
    cr_assert_eq(qh_objective_value(o, x0, &e_hf), QS_OK);
    cr_assert(fabs(e_hf - header(h, "hf_energy_of_this_file")) < 1e-9, "zero angles = HF");
    cr_assert_eq(qh_sector_ground_energy(h, na, nb, &e0), QS_OK);
    qh_optimizer *opt;
    cr_assert_eq(qh_optimizer_alloc(qh_optimizer_lookup(opt_name), (size_t)np, &opt), QS_OK);
    if (!strcmp(opt_name, "qng"))
        qh_optimizer_set_metric(opt, qh_objective_metric_fn, o);
    qh_optimizer_set_stop(opt, 500, 1e-9, 0);
    cr_assert_eq(qh_optimizer_set(opt, qh_objective_fdf, o, x0), QS_OK);
    cr_assert_eq(qh_optimizer_run(opt, NULL, NULL, NULL), QS_OK, "%s", qs_last_error());
    double err = qh_optimizer_f(opt) - header(h, "exact_ground_energy");
    cr_assert(fabs(e0 - header(h, "exact_ground_energy")) < 1e-8, "sector energy %.10f", e0);
    if (x_out)
        memcpy(x_out, qh_optimizer_x(opt), sizeof *x_out * (size_t)np);
    /* the final state stays in the (n_alpha, n_beta) sector */
    qs_state *s;
    qs_state_create(qs_pauli_sum_num_qubits(h), 0, &s);
    qh_objective_state(o, qh_optimizer_x(opt), s);
    double *p = malloc(sizeof *p << qs_pauli_sum_num_qubits(h)), out = 0;
    qs_state_probabilities(s, p);
    for (uint64_t b = 0; b < UINT64_C(1) << qs_pauli_sum_num_qubits(h); b++)
        if (__builtin_popcountll(b & 0x5555) != na || __builtin_popcountll(b & 0xAAAA) != nb)
            out += p[b];
    cr_assert(out < 1e-20, "probability %g outside the particle sector", out);
    free(p);
    qs_state_destroy(s);
    qh_optimizer_free(opt);
    free(x0);
    qh_objective_destroy(o);
    qs_circuit_destroy(c);
    qs_pauli_sum_destroy(h);
    return err;
}

Test(vqe, h2_uccsd_reaches_fci)
{
    double x[3];
    double err = vqe("data/molecules/h2_sto3g_0.7414.txt", "bfgs", x);
    cr_assert(fabs(err) < 1e-8, "H2 error %.3e Ha", err);
}

Test(vqe, h2o_active_space_uccsd)
{
    double x[8];
    double err = vqe("data/molecules/h2o_sto3g_cas4e3o.txt", "bfgs", x);
    cr_assert(fabs(err) < 1e-6, "H2O(4e,3o) error %.3e Ha", err);
}

Test(vqe, h2_with_quantum_natural_gradient)
{
    double x[3];
    double err = vqe("data/molecules/h2_sto3g_0.7414.txt", "qng", x);
    cr_assert(fabs(err) < 1e-8, "H2 error %.3e Ha with QNG", err);
}

Test(vqe, ansatz_shapes)
{
    qs_circuit *c;
    cr_assert_eq(qh_ansatz_uccsd(4, 3, &c), QS_OK);
    cr_assert_eq(qs_circuit_num_params(c), 3, "H2: one double, two singles");
    cr_assert_str_eq(qs_circuit_param_name(c, 0), "d0_1_2_3");
    cr_assert_eq(qs_circuit_num_ops(c), 2 + 8 + 2 * 2);
    qs_circuit_destroy(c);
    cr_assert_eq(qh_ansatz_uccsd(12, 15, &c), QS_OK);
    cr_assert_eq(qs_circuit_num_params(c), 92, "LiH: 76 doubles + 16 singles");
    qs_circuit_destroy(c);
    cr_assert_eq(qh_ansatz_uccsd(4, 0, &c), QS_EINVAL);
    cr_assert_eq(qh_ansatz_uccsd(4, 15, &c), QS_EINVAL);
    cr_assert_eq(qh_ansatz_hea(4, 2, &c), QS_OK);
    cr_assert_eq(qs_circuit_num_params(c), 24);
    qs_circuit_destroy(c);
}

/* ---- QAOA ---------------------------------------------------------------- */

static qh_objective *qaoa(const char *file, int p, qh_graph **g_out, double **cost)
{
    qh_graph *g;
    cr_assert_eq(qh_graph_read(ref_shared(file), &g), QS_OK, "%s", qs_last_error());
    int n = qh_graph_num_nodes(g);
    double *v = malloc(sizeof *v << n), *neg = malloc(sizeof *neg << n);
    cr_assert_eq(qh_maxcut_values(g, v), QS_OK);
    for (uint64_t b = 0; b < UINT64_C(1) << n; b++)
        neg[b] = -v[b];
    qs_circuit *c;
    cr_assert_eq(qh_qaoa_circuit(n, v, p, &c), QS_OK);
    qh_objective *o;
    cr_assert_eq(qh_objective_create_diagonal(c, neg, &o), QS_OK);
    qs_circuit_destroy(c);
    free(neg);
    *g_out = g;
    *cost = v;
    return o;
}

static double header_after(const qh_graph *g, const char *key, const char *mark)
{
    const char *v = qh_graph_header(g, key);
    cr_assert_not_null(v, "%s", key);
    if (mark)
        v = strstr(v, mark) + strlen(mark);
    return strtod(v, NULL);
}

Test(qaoa, conventions_match_the_graph_files)
{
    const char *files[] = {"data/maxcut/cycle_n6.txt", "data/maxcut/weighted_n10.txt"};
    for (int f = 0; f < 2; f++) {
        qh_graph *g;
        double *v;
        qh_objective *o = qaoa(files[f], 1, &g, &v);
        double mx = 0;
        int n = qh_graph_num_nodes(g);
        for (uint64_t b = 0; b < UINT64_C(1) << n; b++)
            mx = fmax(mx, v[b]);
        cr_assert_eq(mx, header_after(g, "maxcut_value", NULL));
        cr_assert_eq(v[(uint64_t)header_after(g, "maxcut_state_index", NULL)], mx);
        double x[2][2] = {{0.5, 0.3}, {1.1, 0.9}}, e;
        const char *keys[2] = {"qaoa_p1_expectation_at_g=0.5_b=0.3",
                               "qaoa_p1_expectation_at_g=1.1_b=0.9"};
        for (int k = 0; k < 2; k++) {
            cr_assert_eq(qh_objective_value(o, x[k], &e), QS_OK);
            cr_assert(fabs(-e - header_after(g, keys[k], NULL)) < 1e-10, "%s: F = %.12f", files[f],
                      -e);
        }
        free(v);
        qh_objective_destroy(o);
        qh_graph_destroy(g);
    }
}

Test(qaoa, p1_optimum_equals_the_header)
{
    const char *files[] = {"data/maxcut/cycle_n6.txt", "data/maxcut/3reg_n8.txt"};
    for (int f = 0; f < 2; f++) {
        qh_graph *g;
        double *v;
        qh_objective *o = qaoa(files[f], 1, &g, &v);
        double best[2], val;
        cr_assert_eq(qh_qaoa_grid_search(o, 40, 12, M_PI, best, &val), QS_OK);
        qh_optimizer *opt;
        qh_optimizer_alloc(qh_optimizer_bfgs, 2, &opt);
        qh_optimizer_set_stop(opt, 100, 1e-10, 0);
        qh_optimizer_set(opt, qh_objective_fdf, o, best);
        cr_assert_eq(qh_optimizer_run(opt, NULL, NULL, NULL), QS_OK);
        double want = header_after(g, "qaoa_p1_optimum", "F=");
        cr_assert(fabs(-qh_optimizer_f(opt) - want) < 1e-8, "%s: %.12f, want %.12f", files[f],
                  -qh_optimizer_f(opt), want);
        qh_optimizer_free(opt);
        free(v);
        qh_objective_destroy(o);
        qh_graph_destroy(g);
    }
}

Test(qaoa, interp_and_more_layers)
{
    double p1[2] = {0.6, 0.4}, p2[4], p3[6];
    cr_assert_eq(qh_qaoa_interp(1, p1, p2), QS_OK);
    cr_assert(p2[0] == 0.6 && p2[2] == 0.6 && p2[1] == 0.4 && p2[3] == 0.4);
    double q2[4] = {0.2, 0.5, 0.8, 0.1};
    cr_assert_eq(qh_qaoa_interp(2, q2, p3), QS_OK);
    cr_assert(fabs(p3[0] - 0.2) < 1e-15 && fabs(p3[2] - 0.5) < 1e-15 && fabs(p3[4] - 0.8) < 1e-15);
    cr_assert(fabs(p3[1] - 0.5) < 1e-15 && fabs(p3[3] - 0.3) < 1e-15 && fabs(p3[5] - 0.1) < 1e-15);
    /* p = 2 on the 6-cycle does better than p = 1 */
    qh_graph *g;
    double *v;
    qh_objective *o = qaoa("data/maxcut/cycle_n6.txt", 2, &g, &v);
    double x0[4], x1[2] = {M_PI / 4, M_PI / 8};
    qh_qaoa_interp(1, x1, x0);
    qh_optimizer *opt;
    qh_optimizer_alloc(qh_optimizer_bfgs, 4, &opt);
    qh_optimizer_set(opt, qh_objective_fdf, o, x0);
    qh_optimizer_run(opt, NULL, NULL, NULL);
    cr_assert(-qh_optimizer_f(opt) > 4.5 + 0.3, "p = 2: %.6f", -qh_optimizer_f(opt));
    qh_optimizer_free(opt);
    free(v);
    qh_objective_destroy(o);
    qh_graph_destroy(g);
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/qsim_test_%d_%s", (int)getpid(), name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

Test(files, parse_errors_name_line_and_column)
{
    qh_graph *g;
    const char *p = write_tmp("g.txt", "# nodes: 3\n0 1\n1 x\n");
    cr_assert_eq(qh_graph_read(p, &g), QS_EPARSE);
    cr_assert(strstr(qs_last_error(), "g.txt:3:"), "%s", qs_last_error());
    p = write_tmp("g2.txt", "0 1 2.5\n1 2\n");
    cr_assert_eq(qh_graph_read(p, &g), QS_OK);
    cr_assert_eq(qh_graph_num_nodes(g), 3);
    cr_assert_eq(qh_graph_num_edges(g), 2);
    unlink(p);
    qh_graph_destroy(g);
    qh_dataset *d;
    p = write_tmp("d.csv", "a,b,label\n1,2,0\n3,4\n");
    cr_assert_eq(qh_dataset_read_csv(p, &d), QS_EPARSE);
    cr_assert(strstr(qs_last_error(), "d.csv:3:1: 2 fields"), "%s", qs_last_error());
    p = write_tmp("d2.csv", "a,b,label\n1,2,0\n3,zz,1\n");
    cr_assert_eq(qh_dataset_read_csv(p, &d), QS_EPARSE);
    cr_assert(strstr(qs_last_error(), "d2.csv:3:3: expected a number"), "%s", qs_last_error());
    unlink(p);
    cr_assert_eq(qh_dataset_read_csv("/nonexistent/x.csv", &d), QS_EIO);
    cr_assert_eq(qh_dataset_read_csv(ref_shared("data/classification/iris_train.csv"), &d), QS_OK);
    cr_assert_eq(qh_dataset_num_rows(d), 105);
    cr_assert_eq(qh_dataset_num_features(d), 4);
    cr_assert_eq(qh_dataset_num_classes(d), 3);
    cr_assert_eq(qh_dataset_features(d)[0], 4.9);
    qh_dataset_destroy(d);
}

/* ---- classifier and kernels ---------------------------------------------- */

Test(classifier, gradient_matches_finite_differences)
{
    qh_dataset *d;
    cr_assert_eq(qh_dataset_read_csv(ref_shared("data/classification/iris_train.csv"), &d), QS_OK);
    qh_classifier *m;
    cr_assert_eq(qh_classifier_create(4, 3, 0, 2, &m), QS_OK);
    cr_assert_eq(qh_classifier_num_qubits(m), 4);
    qh_classifier_fit_scaling(m, 105, qh_dataset_features(d));
    int np = qh_classifier_num_params(m);
    double *x = malloc(sizeof *x * (size_t)np), *g = malloc(sizeof *g * (size_t)np), l;
    qh_classifier_init_params(m, 3, x);
    for (int i = 0; i < np; i++)
        x[i] += 0.1 * sin(i);
    cr_assert_eq(qh_classifier_loss(m, x, 12, qh_dataset_features(d), qh_dataset_labels(d), &l, g),
                 QS_OK, "%s", qs_last_error());
    for (int i = 0; i < np; i += 5) {
        double lp, lm, xi = x[i];
        x[i] = xi + 1e-6;
        qh_classifier_loss(m, x, 12, qh_dataset_features(d), qh_dataset_labels(d), &lp, NULL);
        x[i] = xi - 1e-6;
        qh_classifier_loss(m, x, 12, qh_dataset_features(d), qh_dataset_labels(d), &lm, NULL);
        x[i] = xi;
        cr_assert(fabs((lp - lm) / 2e-6 - g[i]) < 1e-7, "param %d: %.10g vs %.10g", i,
                  (lp - lm) / 2e-6, g[i]);
    }
    free(x);
    free(g);
    qh_classifier_destroy(m);
    qh_dataset_destroy(d);
}

Test(classifier, trains_on_moons_and_round_trips_its_file)
{
    qh_dataset *tr, *te;
    cr_assert_eq(qh_dataset_read_csv(ref_shared("data/classification/moons_train.csv"), &tr), QS_OK);
    cr_assert_eq(qh_dataset_read_csv(ref_shared("data/classification/moons_test.csv"), &te), QS_OK);
    qh_classifier *m;
    cr_assert_eq(qh_classifier_create(2, 2, 0, 3, &m), QS_OK);
    size_t n = qh_dataset_num_rows(tr);
    qh_classifier_fit_scaling(m, n, qh_dataset_features(tr));
    int np = qh_classifier_num_params(m);
    double *x0 = malloc(sizeof *x0 * (size_t)np);
    qh_classifier_init_params(m, 1, x0);
    qh_minibatch *mb;
    cr_assert_eq(qh_minibatch_create(m, n, qh_dataset_features(tr), qh_dataset_labels(tr), 16, 7,
                                     &mb), QS_OK);
    qh_optimizer *o;
    qh_optimizer_alloc(qh_optimizer_adam, (size_t)np, &o);
    qh_optimizer_set_option(o, "learning_rate", 0.05);
    qh_optimizer_set_stop(o, 30 * 9, 0, 0);
    qh_optimizer_set(o, qh_minibatch_fdf, mb, x0);
    cr_assert_eq(qh_optimizer_run(o, NULL, NULL, NULL), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qh_minibatch_step(mb), 30 * 9 + 1);
    qh_classifier_set_params(m, qh_optimizer_x(o));
    double acc;
    cr_assert_eq(qh_classifier_accuracy(m, qh_dataset_num_rows(te), qh_dataset_features(te),
                                        qh_dataset_labels(te), &acc), QS_OK);
    cr_assert(acc >= 0.93, "moons test accuracy %.3f", acc);
    char path[128];
    snprintf(path, sizeof path, "/tmp/qsim_test_%d.model", (int)getpid());
    cr_assert_eq(qh_classifier_save(m, path), QS_OK);
    qh_classifier *m2;
    cr_assert_eq(qh_classifier_load(path, &m2), QS_OK, "%s", qs_last_error());
    unlink(path);
    double *pa = malloc(sizeof *pa * 120), *pb = malloc(sizeof *pb * 120);
    int la[60], lb[60];
    qh_classifier_predict(m, 60, qh_dataset_features(te), la, pa);
    qh_classifier_predict(m2, 60, qh_dataset_features(te), lb, pb);
    cr_assert(memcmp(pa, pb, sizeof *pa * 120) == 0 && memcmp(la, lb, sizeof la) == 0);
    free(pa);
    free(pb);
    qh_classifier_destroy(m2);
    qh_optimizer_free(o);
    qh_minibatch_destroy(mb);
    free(x0);
    qh_classifier_destroy(m);
    qh_dataset_destroy(tr);
    qh_dataset_destroy(te);
}

Test(kernel, iris_angle_kernel_reproduces_the_reference)
{
    qh_dataset *d;
    cr_assert_eq(qh_dataset_read_csv(ref_shared("data/classification/iris_train.csv"), &d), QS_OK);
    size_t n = qh_dataset_num_rows(d);
    double *z = malloc(sizeof *z * n * 4), K[64];
    cr_assert_eq(qh_minmax_scale(n, 4, qh_dataset_features(d), 0, M_PI, n, qh_dataset_features(d), z),
                 QS_OK);
    cr_assert_eq(qh_kernel_matrix(QH_MAP_ANGLE, 4, 8, z, 8, z, K), QS_OK, "%s", qs_last_error());
    FILE *f = fopen(ref_shared("data/classification/iris_angle_kernel_train8.csv"), "r");
    char line[1024];
    int row = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *p = line;
        for (int j = 0; j < 8; j++) {
            double want = strtod(p, &p);
            p++;
            cr_assert(fabs(K[row * 8 + j] - want) < 1e-12, "K[%d][%d] = %.15f, want %.15f", row, j,
                      K[row * 8 + j], want);
        }
        row++;
    }
    fclose(f);
    cr_assert_eq(row, 8);
    /* the zz map: a valid kernel (unit diagonal, symmetric) */
    cr_assert_eq(qh_kernel_matrix(QH_MAP_ZZ, 4, 8, z, 8, z, K), QS_OK);
    for (int i = 0; i < 8; i++) {
        cr_assert(fabs(K[i * 9] - 1) < 1e-12);
        for (int j = 0; j < 8; j++)
            cr_assert(fabs(K[i * 8 + j] - K[j * 8 + i]) < 1e-12);
    }
    free(z);
    qh_dataset_destroy(d);
}

/* Issue 14: header values that overflow or are not numbers are refused
 * with a message about the header (UBSan saw signed overflow here). */
Test(vqe, molecule_header_values_are_checked)
{
    static const char *const bad[] = {
        "# n_electrons: 9223372036854775807\n1.0 Z0\n",
        "# n_electrons: 2\n# n_alpha: 9223372036854775807\n# n_beta: 1\n1.0 Z0 Z1 Z2 Z3\n",
        "# n_electrons: -3\n1.0 Z0\n",
        "# n_electrons: two\n1.0 Z0\n",
        "# n_electrons: 2\n# hf_state_index: 99999\n1.0 Z0 Z1 Z2 Z3\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        qs_pauli_sum *h;
        cr_assert_eq(qs_pauli_sum_parse(bad[i], "h.txt", &h), QS_OK, "%s", qs_last_error());
        int na, nb;
        uint64_t hf;
        cr_assert_eq(qh_molecule_info(h, &na, &nb, &hf), QS_EINVAL, "case %zu", i);
        cr_assert(strstr(qs_last_error(), "header"), "%s", qs_last_error());
        qs_pauli_sum_destroy(h);
    }
}

/* Issue 14 (found by fuzz_model): a model file asking for 99999 layers is
 * refused at once, before the circuit is built. */
Test(classifier, model_file_with_huge_layers_is_refused_at_once)
{
    const char *path = "/tmp/qsim_huge_layers.model";
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "qsim-classifier 1\nfeatures 2\nclasses 2\nqubits 2\nlayers 99999\n");
    fclose(f);
    qh_classifier *m = NULL;
    cr_assert_eq(qh_classifier_load(path, &m), QS_ETOOBIG);
    cr_assert(strstr(qs_last_error(), "more than the limit"), "%s", qs_last_error());
    cr_assert_null(m);
    unlink(path);
}
