/*
 * fuzz_model.c - libFuzzer target for classifier model files (written by
 * qsim train, read by qsim predict): load, then predict one row.
 */
#include "fuzz_file.h"

#include <qsim/hybrid.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qh_classifier *m = NULL;
    qs_status st = qh_classifier_load(fuzz_file(data, size), &m);
    fuzz_failed(st, qs_last_error());
    if (st != QS_OK && m)
        abort();
    if (st == QS_OK) {
        int F = qh_classifier_num_features(m), K = qh_classifier_num_classes(m);
        if (qh_classifier_num_qubits(m) <= 8 && F <= 64) {
            double x[64] = {0}, p[64];
            int label;
            if (K <= 64 && qh_classifier_predict(m, 1, x, &label, p) != QS_OK)
                abort();
        }
        qh_classifier_destroy(m);
    }
    return 0;
}
