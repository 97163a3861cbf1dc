/*
 * fuzz_pauli.c - libFuzzer target for the Pauli-sum reader (the format of
 * ../shared/data): parse, then use what parsed (expectation value on a
 * small state, grouping by the terms' X/Y positions, the header).
 */
#include "fuzz_file.h"

#include <qsim/qsim.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    qs_pauli_sum *h = NULL;
    qs_status st = qs_pauli_sum_parse(text, "fuzz", &h);
    fuzz_failed(st, qs_last_error());
    if (st != QS_OK && h)
        abort();
    if (st == QS_OK) {
        int nq = qs_pauli_sum_num_qubits(h);
        (void)qs_pauli_sum_header(h, "n_electrons");
        qs_state *s;
        if (nq >= 1 && nq <= 8 && qs_state_create(nq, 0, &s) == QS_OK) {
            double e;
            qs_state_set_uniform(s);
            if (qs_state_expect(s, h, &e) != QS_OK)
                abort();
            qs_state_destroy(s);
        }
        qs_pauli_sum_destroy(h);
    }
    free(text);
    return 0;
}
