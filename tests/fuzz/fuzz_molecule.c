/*
 * fuzz_molecule.c - libFuzzer target for molecule headers ("# n_electrons:
 * 2", n_alpha, n_beta, hf_state_index) read by qh_molecule_info, and the
 * UCCSD ansatz built from them when the header is valid.
 */
#include "fuzz_file.h"

#include <qsim/hybrid.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    qs_pauli_sum *h = NULL;
    if (qs_pauli_sum_parse(text, "fuzz", &h) == QS_OK) {
        int na, nb;
        uint64_t hf;
        qs_status st = qh_molecule_info(h, &na, &nb, &hf);
        fuzz_failed(st, qs_last_error());
        int nq = qs_pauli_sum_num_qubits(h);
        if (st == QS_OK && (na < 0 || nb < 0 || na + nb > nq + 1))
            abort();
        qs_circuit *c;
        if (st == QS_OK && nq <= 8 && qh_ansatz_uccsd(nq, hf, &c) == QS_OK)
            qs_circuit_destroy(c);
        qs_pauli_sum_destroy(h);
    }
    free(text);
    return 0;
}
