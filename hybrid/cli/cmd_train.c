/*
 * cmd_train.c - `qsim train`: a variational quantum classifier trained by
 * minibatch Adam (gradients of a minibatch computed in parallel), then
 * evaluated on the training and test sets and saved for `qsim predict`.
 */
#include "run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: qsim train --train FILE.csv [--test FILE.csv] [--model FILE] [options]\n"
    "\n"
    "Trains a data re-uploading classifier: standardised features as trainable\n"
    "rotation angles w*x + b in every layer, ry/rz layers and a cz ring, class\n"
    "scores from Pauli-Z expectations, softmax cross-entropy.  CSV: a header line,\n"
    "feature columns, the class label (0..k-1) last.\n"
    "  --train FILE          training rows (also fix the feature scaling)\n"
    "  --test FILE           rows to report the accuracy on\n"
    "  --model FILE          where to save the model (default model.qsim)\n"
    "  --layers L            circuit layers (default 3)\n"
    "  --qubits Q            qubits (default max(classes, min(features, 8)))\n"
    "  --epochs E            passes over the training rows (default 50)\n"
    "  --batch B             minibatch size (default 16)\n"
    "With --noise MODEL.json the loss is that of the noisy circuit's density matrices\n"
    "(gradients by parameter shift on rho); with --shots N every <Z_c> is estimated from\n"
    "N samples.  Accuracies are computed the same way.\n"
    "Defaults: --optimizer adam --set learning_rate=0.05, --maxiter = epochs x batches.\n";

typedef struct train {
    run *r;
    const char *train, *test, *model;
    long layers, qubits, epochs, batch;
    qh_minibatch *mb;
    qh_classifier *m;
    double acc_train, acc_test, loss;
    size_t iterations, n_train, n_test;
    int np, reason;
    double *x;
} train;

static int take(void *app, const char *name, const char *value)
{
    train *t = app;
    long l;
    if (!strcmp(name, "train"))
        t->train = value;
    else if (!strcmp(name, "test"))
        t->test = value;
    else if (!strcmp(name, "model"))
        t->model = value;
    else {
        long *dst = !strcmp(name, "layers") ? &t->layers : !strcmp(name, "qubits") ? &t->qubits
                    : !strcmp(name, "epochs") ? &t->epochs : &t->batch;
        if (!cli_parse_int(value, !strcmp(name, "qubits") ? 0 : 1, 1000000, &l))
            return cli_fail(CLI_EUSAGE, "train", "bad value '%s' for --%s", value, name);
        *dst = l;
    }
    return 0;
}

static int save(void *app, ckpt *c)
{
    train *t = app;
    return ckpt_set1(c, "minibatch_step", (double)qh_minibatch_step(t->mb));
}

static void fill(json *j, void *ctx)
{
    train *t = ctx;
    run *r = t->r;
    json_str(j, "command", "train");
    json_str(j, "train", t->train);
    if (t->test)
        json_str(j, "test", t->test);
    json_str(j, "model", t->model);
    json_int(j, "features", qh_classifier_num_features(t->m));
    json_int(j, "classes", qh_classifier_num_classes(t->m));
    json_int(j, "qubits", qh_classifier_num_qubits(t->m));
    json_int(j, "layers", t->layers);
    json_int(j, "num_parameters", t->np);
    json_str(j, "optimizer", qh_optimizer_type_name(r->opt_type ? r->opt_type : qh_optimizer_adam));
    json_int(j, "seed", (long long)r->seed);
    json_int(j, "iterations", (long long)t->iterations);
    json_num(j, "train_loss", t->loss);
    json_num(j, "train_accuracy", t->acc_train);
    json_num(j, "test_accuracy", t->test ? t->acc_test : NAN);
    json_num(j, "wall_time_s", run_elapsed(r));
    json_arr(j, "parameters", t->x, (size_t)t->np);
}

int cmd_train(int argc, char **argv)
{
    run r;
    run_init(&r, "train");
    train t = {.r = &r, .model = "model.qsim", .layers = 3, .epochs = 50, .batch = 16};
    static const cli_opt options[] = {
        {"train", "FILE", CLI_OPT_INPUT, 0}, {"test", "FILE", CLI_OPT_INPUT, 0},
        {"model", "FILE", CLI_OPT_CONTROL, 0}, {"layers", "L", 0, 0}, {"qubits", "Q", 0, 0},
        {"epochs", "E", 0, 0}, {"batch", "B", 0, 0}, {NULL, NULL, 0, 0}};
    run_opts opts = {options, take, usage};
    int rc = run_parse(&r, argc, argv, &opts, &t);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!t.train)
        return cli_fail(CLI_EUSAGE, "train", "--train FILE is required");
    qh_dataset *tr = NULL, *te = NULL;
    qh_optimizer *opt = NULL;
    double *x0 = NULL;
    qs_status st = qh_dataset_read_csv(t.train, &tr);
    if (st == QS_OK && t.test)
        st = qh_dataset_read_csv(t.test, &te);
    if (st != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    int F = qh_dataset_num_features(tr), K = qh_dataset_num_classes(tr);
    if (te && qh_dataset_num_features(te) != F) {
        rc = cli_fail(CLI_EUSER, "train", "%s has %d features, %s has %d", t.test,
                      qh_dataset_num_features(te), t.train, F);
        goto out;
    }
    if (te && qh_dataset_num_classes(te) > K)
        K = qh_dataset_num_classes(te);
    if (K < 2) {
        rc = cli_fail(CLI_EUSER, "train", "%s: every label is %d: a classifier needs rows of at "
                      "least 2 classes (labels 0..K-1 in the last column)", t.train, K - 1);
        goto out;
    }
    t.n_train = qh_dataset_num_rows(tr);
    st = qh_classifier_create(F, K, (int)t.qubits, (int)t.layers, &t.m);
    if (st == QS_OK)
        st = qh_classifier_set_threads(t.m, r.threads);
    if (st == QS_OK)
        st = qh_classifier_fit_scaling(t.m, t.n_train, qh_dataset_features(tr));
    t.np = qh_classifier_num_params(t.m);
    if (st == QS_OK && !(x0 = malloc(sizeof *x0 * (size_t)t.np)))
        st = qs_set_error(QS_ENOMEM, "train", "out of memory");
    if (st == QS_OK)
        st = qh_classifier_init_params(t.m, r.seed, x0);
    if (st == QS_OK)
        st = qh_minibatch_create(t.m, t.n_train, qh_dataset_features(tr), qh_dataset_labels(tr),
                                 (size_t)t.batch, r.seed, &t.mb);
    if (st != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    if ((rc = run_start(&r, argc, argv)) != CLI_OK)
        goto out;
    /* the noise model is read by run_start */
    if (r.traj) {
        rc = cli_fail(CLI_EUSAGE, "train", "--trajectories: the noisy classifier runs on "
                      "density matrices only");
        goto out;
    }
    if (r.noise)
        st = qh_classifier_set_noise(t.m, r.noise);
    if (st == QS_OK && r.shots)
        st = qh_classifier_set_shots(t.m, (size_t)r.shots, r.seed);
    if (st != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    r.save = save;
    r.app = &t;
    size_t per_epoch = (t.n_train + (size_t)t.batch - 1) / (size_t)t.batch;
    if ((rc = run_optimizer(&r, qh_optimizer_adam, (size_t)t.np, (long)((size_t)t.epochs * per_epoch),
                            0, 0, &opt)) != CLI_OK)
        goto out;
    int user_lr = 0;
    for (int i = 0; i < r.nset; i++)
        user_lr |= !strcmp(r.set[i].name, "learning_rate");
    if (!user_lr && qh_optimizer_set_option(opt, "learning_rate", 0.05) != QS_OK)
        qs_clear_error();   /* a type without a learning rate */
    if (r.resume) {
        size_t n;
        const double *s = ckpt_get(r.resume, "minibatch_step", &n);
        if (!s || n != 1) {
            rc = cli_fail(CLI_EUSER, "train", "%s has no minibatch step", r.resume_path);
            goto out;
        }
        qh_minibatch_set_step(t.mb, (uint64_t)s[0]);
    }
    st = run_minimize(&r, 0, NULL, opt, qh_minibatch_fdf, t.mb, x0, &t.reason);
    if (st == QS_OK) {
        t.x = malloc(sizeof *t.x * (size_t)t.np);
        memcpy(t.x, qh_optimizer_x(opt), sizeof *t.x * (size_t)t.np);
        t.iterations = qh_optimizer_iterations(opt);
        st = qh_classifier_set_params(t.m, t.x);
    }
    if (st == QS_OK)
        st = qh_classifier_loss(t.m, t.x, t.n_train, qh_dataset_features(tr), qh_dataset_labels(tr),
                                &t.loss, NULL);
    if (st == QS_OK)
        st = qh_classifier_accuracy(t.m, t.n_train, qh_dataset_features(tr), qh_dataset_labels(tr),
                                    &t.acc_train);
    if (st == QS_OK && te)
        st = qh_classifier_accuracy(t.m, qh_dataset_num_rows(te), qh_dataset_features(te),
                                    qh_dataset_labels(te), &t.acc_test);
    if (st != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    if ((rc = run_end(&r, CLI_OK)) != CLI_OK)
        goto out;
    /* the model (qh_classifier_save writes it atomically); under mpirun,
     * rank 0 writes */
    if (qh_comm_rank() == 0 && (st = qh_classifier_save(t.m, t.model)) != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    printf("%s: %zu rows, %d features, %d classes; %d qubits, %ld layers, %d parameters\n",
           t.train, t.n_train, F, K, qh_classifier_num_qubits(t.m), t.layers, t.np);
    printf("  %zu iterations (%ld epochs of %zu minibatches), training loss %.6f\n", t.iterations,
           t.epochs, per_epoch, t.loss);
    printf("  train accuracy %.4f\n", t.acc_train);
    if (te)
        printf("  test accuracy  %.4f  (%s, %zu rows)\n", t.acc_test, t.test, qh_dataset_num_rows(te));
    printf("  model saved to %s\n", t.model);
    rc = run_output(&r, 0, fill, &t);
out:
    rc = run_end(&r, rc);
    free(x0);
    free(t.x);
    qh_optimizer_free(opt);
    qh_minibatch_destroy(t.mb);
    qh_classifier_destroy(t.m);
    qh_dataset_destroy(tr);
    qh_dataset_destroy(te);
    return rc;
}
