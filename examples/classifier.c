/*
 * classifier.c - a variational quantum classifier on the two-moons data:
 * feature scaling from the training rows, minibatch Adam on the softmax
 * cross-entropy (each minibatch's gradient computed in parallel), then
 * the test accuracy.
 *
 *   ./examples/classifier [train.csv test.csv]
 */
#include <qsim/hybrid.h>
#include <qsim/qsim.h>

#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                        \
    do {                                                                   \
        if ((call) != QS_OK) {                                             \
            fprintf(stderr, "classifier: %s\n", qs_last_error());          \
            return 1;                                                      \
        }                                                                  \
    } while (0)

int main(int argc, char **argv)
{
    const char *train = argc > 2 ? argv[1] : QS_EXAMPLE_SHARED "/data/classification/moons_train.csv";
    const char *test = argc > 2 ? argv[2] : QS_EXAMPLE_SHARED "/data/classification/moons_test.csv";
    qh_dataset *tr, *te;
    CHECK(qh_dataset_read_csv(train, &tr));
    CHECK(qh_dataset_read_csv(test, &te));
    size_t rows = qh_dataset_num_rows(tr);

    qh_classifier *m;   /* 3 layers of data re-uploading */
    CHECK(qh_classifier_create(qh_dataset_num_features(tr), qh_dataset_num_classes(tr), 0, 3, &m));
    CHECK(qh_classifier_fit_scaling(m, rows, qh_dataset_features(tr)));
    size_t n = (size_t)qh_classifier_num_params(m);
    double *x0 = malloc(sizeof *x0 * n);
    CHECK(qh_classifier_init_params(m, 1, x0));

    qh_minibatch *batches;
    CHECK(qh_minibatch_create(m, rows, qh_dataset_features(tr), qh_dataset_labels(tr), 16, 1,
                              &batches));
    qh_optimizer *adam;
    CHECK(qh_optimizer_alloc(qh_optimizer_adam, n, &adam));
    CHECK(qh_optimizer_set_option(adam, "learning_rate", 0.05));
    CHECK(qh_optimizer_set_stop(adam, 30 * ((rows + 15) / 16), 0, 0));   /* 30 epochs */
    CHECK(qh_optimizer_set(adam, qh_minibatch_fdf, batches, x0));
    CHECK(qh_optimizer_run(adam, NULL, NULL, NULL));

    double acc;
    CHECK(qh_classifier_set_params(m, qh_optimizer_x(adam)));
    CHECK(qh_classifier_accuracy(m, qh_dataset_num_rows(te), qh_dataset_features(te),
                                 qh_dataset_labels(te), &acc));
    printf("%s: %zu parameters, %zu Adam steps, test accuracy %.4f\n", train, n,
           qh_optimizer_iterations(adam), acc);
    qh_optimizer_free(adam);
    qh_minibatch_destroy(batches);
    free(x0);
    qh_classifier_destroy(m);
    qh_dataset_destroy(tr);
    qh_dataset_destroy(te);
    return acc >= 0.9 ? 0 : 1;
}
