/*
 * cmd_predict.c - `qsim predict`: classifies CSV rows with a model saved
 * by `qsim train`, prints the accuracy against the rows' labels, and
 * writes the predictions with their class probabilities as CSV.
 */
#include "run.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: qsim predict --model FILE --data FILE.csv [--csv FILE] [options]\n"
    "\n"
    "  --model FILE          a model written by qsim train\n"
    "  --data FILE           rows in the training CSV format (the label column is\n"
    "                        compared with the predictions)\n"
    "  --csv FILE            predictions: row,predicted,label,p0,p1,... (default: none)\n";

typedef struct predict {
    const char *model, *data, *csv;
    size_t n, right;
    int K;
    int *labels;
    const int *y;
    double *probs;
} predict;

static int take(void *app, const char *name, const char *value)
{
    predict *p = app;
    if (!strcmp(name, "model"))
        p->model = value;
    else if (!strcmp(name, "data"))
        p->data = value;
    else
        p->csv = value;
    return 0;
}

static void fill(json *j, void *ctx)
{
    predict *p = ctx;
    json_str(j, "command", "predict");
    json_str(j, "model", p->model);
    json_str(j, "data", p->data);
    json_int(j, "rows", (long long)p->n);
    json_num(j, "accuracy", (double)p->right / (double)p->n);
    json_key(j, "predictions");
    fputc('[', j->f);
    for (size_t i = 0; i < p->n; i++)
        fprintf(j->f, "%s%d", i ? ", " : "", p->labels[i]);
    fputc(']', j->f);
}

int cmd_predict(int argc, char **argv)
{
    run r;
    run_init(&r, "predict");
    predict p = {0};
    static const cli_opt options[] = {
        {"model", "FILE", CLI_OPT_INPUT, 0}, {"data", "FILE", CLI_OPT_INPUT, 0},
        {"csv", "FILE", CLI_OPT_CONTROL, 0}, {NULL, NULL, 0, 0}};
    run_opts opts = {options, take, usage};
    int rc = run_parse(&r, argc, argv, &opts, &p);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!p.model || !p.data)
        return cli_fail(CLI_EUSAGE, "predict", "--model FILE and --data FILE are required");
    qh_classifier *m = NULL;
    qh_dataset *d = NULL;
    qs_status st = qh_classifier_load(p.model, &m);
    if (st == QS_OK)
        st = qh_dataset_read_csv(p.data, &d);
    if (st == QS_OK)
        st = qh_classifier_set_threads(m, r.threads);
    if (st != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    if (qh_dataset_num_features(d) != qh_classifier_num_features(m)) {
        rc = cli_fail(CLI_EUSER, "predict", "%s has %d features, the model %d", p.data,
                      qh_dataset_num_features(d), qh_classifier_num_features(m));
        goto out;
    }
    if ((rc = run_start(&r, argc, argv)) != CLI_OK)
        goto out;
    p.n = qh_dataset_num_rows(d);
    p.K = qh_classifier_num_classes(m);
    p.y = qh_dataset_labels(d);
    p.labels = malloc(sizeof *p.labels * p.n);
    p.probs = malloc(sizeof *p.probs * p.n * (size_t)p.K);
    if (!p.labels || !p.probs) {
        rc = cli_fail(CLI_EUSER, "predict", "out of memory");
        goto out;
    }
    if ((st = qh_classifier_predict(m, p.n, qh_dataset_features(d), p.labels, p.probs)) != QS_OK) {
        rc = run_fail(&r, st);
        goto out;
    }
    for (size_t i = 0; i < p.n; i++)
        p.right += p.labels[i] == p.y[i];
    if (p.csv) {
        cli_out o;
        if ((rc = cli_out_open(&o, "predict", p.csv)) != CLI_OK)
            goto out;
        fprintf(o.f, "row,predicted,label");
        for (int c = 0; c < p.K; c++)
            fprintf(o.f, ",p%d", c);
        fputc('\n', o.f);
        for (size_t i = 0; i < p.n; i++) {
            fprintf(o.f, "%zu,%d,%d", i, p.labels[i], p.y[i]);
            for (int c = 0; c < p.K; c++)
                fprintf(o.f, ",%.6f", p.probs[i * (size_t)p.K + (size_t)c]);
            fputc('\n', o.f);
        }
        if ((rc = cli_out_commit(&o)) != CLI_OK)
            goto out;
    }
    printf("%s: %zu rows, accuracy %.4f (%zu right)\n", p.data, p.n,
           (double)p.right / (double)p.n, p.right);
    rc = run_output(&r, 0, fill, &p);
out:
    rc = run_end(&r, rc);
    free(p.labels);
    free(p.probs);
    qh_dataset_destroy(d);
    qh_classifier_destroy(m);
    return rc;
}
