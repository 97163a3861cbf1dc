/*
 * h2_exact.c - read a molecular Hamiltonian (Pauli-sum file), evaluate the
 * Hartree-Fock energy and compare with the exact ground energy from LAPACKE.
 *
 *   ./examples/h2_exact [hamiltonian.txt]
 */
#include <qsim/qsim.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : QS_EXAMPLE_SHARED "/data/molecules/h2_sto3g_0.7414.txt";
    qs_pauli_sum *h;
    if (qs_pauli_sum_read(path, &h) != QS_OK) {
        fprintf(stderr, "h2_exact: %s\n", qs_last_error());
        return 1;
    }
    int n = qs_pauli_sum_num_qubits(h);
    const char *hf = qs_pauli_sum_header(h, "hf_state_index");
    qs_state *s;
    double e_hf, e0;
    if (qs_state_create(n, 0, &s) != QS_OK || qs_state_set_basis(s, hf ? strtoull(hf, NULL, 10) : 0) != QS_OK ||
        qs_state_expect(s, h, &e_hf) != QS_OK ||
        qs_pauli_sum_eigensolve(h, 1, QS_EIG_AUTO, &e0, NULL) != QS_OK) {
        fprintf(stderr, "h2_exact: %s\n", qs_last_error());
        return 1;
    }
    printf("%s: %d qubits, %zu terms\n", path, n, qs_pauli_sum_num_terms(h));
    printf("  Hartree-Fock energy  %.10f Ha\n", e_hf);
    printf("  exact ground energy  %.10f Ha\n", e0);
    printf("  correlation energy   %.10f Ha\n", e0 - e_hf);
    qs_state_destroy(s);
    qs_pauli_sum_destroy(h);
    return 0;
}
