/*
 * vqe_h2.c - the variational quantum eigensolver on H2: a UCCSD circuit
 * from the Hartree-Fock state, its energy and adjoint gradient as the
 * objective, BFGS to the minimum, and the exact energy to compare with.
 *
 *   ./examples/vqe_h2 [hamiltonian.txt]
 */
#include <qsim/hybrid.h>
#include <qsim/qsim.h>

#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                        \
    do {                                                                   \
        if ((call) != QS_OK) {                                             \
            fprintf(stderr, "vqe_h2: %s\n", qs_last_error());              \
            return 1;                                                      \
        }                                                                  \
    } while (0)

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : QS_EXAMPLE_SHARED "/data/molecules/h2_sto3g_0.7414.txt";
    qs_pauli_sum *h;
    CHECK(qs_pauli_sum_read(path, &h));
    int n_alpha, n_beta;
    uint64_t hf;
    CHECK(qh_molecule_info(h, &n_alpha, &n_beta, &hf));

    qs_circuit *ansatz;
    CHECK(qh_ansatz_uccsd(qs_pauli_sum_num_qubits(h), hf, &ansatz));
    qh_objective *energy;
    CHECK(qh_objective_create(ansatz, h, &energy));
    size_t n = (size_t)qh_objective_num_params(energy);

    qh_optimizer *opt;
    CHECK(qh_optimizer_alloc(qh_optimizer_bfgs, n, &opt));
    double *x0 = calloc(n, sizeof *x0);   /* all zero: the Hartree-Fock state */
    int reason;
    CHECK(qh_optimizer_set(opt, qh_objective_fdf, energy, x0));
    CHECK(qh_optimizer_run(opt, NULL, NULL, &reason));

    double exact;
    CHECK(qh_sector_ground_energy(h, n_alpha, n_beta, &exact));
    printf("%s: UCCSD with %zu parameters\n", path, n);
    printf("  VQE energy   %.10f Ha after %zu iterations (%s)\n", qh_optimizer_f(opt),
           qh_optimizer_iterations(opt), qh_stop_reason_name(reason));
    printf("  exact energy %.10f Ha, difference %.1e Ha\n", exact, qh_optimizer_f(opt) - exact);
    int ok = qh_optimizer_f(opt) - exact < 1e-6;
    free(x0);
    qh_optimizer_free(opt);
    qh_objective_destroy(energy);
    qs_circuit_destroy(ansatz);
    qs_pauli_sum_destroy(h);
    return ok ? 0 : 1;
}
