/*
 * fuzz_csv.c - libFuzzer target for the CSV data-set reader (a header
 * line, feature columns, the class label last).
 */
#include "fuzz_file.h"

#include <qsim/hybrid.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qh_dataset *d = NULL;
    qs_status st = qh_dataset_read_csv(fuzz_file(data, size), &d);
    fuzz_failed(st, qs_last_error());
    if (st != QS_OK && d)
        abort();
    if (st == QS_OK) {
        size_t n = qh_dataset_num_rows(d);
        int F = qh_dataset_num_features(d), K = qh_dataset_num_classes(d);
        const double *x = qh_dataset_features(d);
        const int *y = qh_dataset_labels(d);
        double sum = 0;
        for (size_t i = 0; i < n * (size_t)F; i++)
            sum += x[i];
        for (size_t i = 0; i < n; i++)
            if (y[i] < 0 || y[i] >= K)
                abort();
        (void)sum;
        qh_dataset_destroy(d);
    }
    return 0;
}
