/*
 * fuzz_noise.c - libFuzzer target for the noise-model reader (JSON: qsim's
 * own format and the one Qiskit Aer writes): parse, then use what parsed
 * (attach it to a small circuit, run that on a density matrix, read the
 * readout errors and apply them to a few outcomes).
 */
#include "fuzz_file.h"

#include <qsim/qsim.h>

/* A 3-qubit circuit with the gates the seeds name (1- and 2-qubit). */
static qs_circuit *circuit(void)
{
    static const qs_gate one[] = {QS_GATE_H, QS_GATE_X, QS_GATE_SX, QS_GATE_RX, QS_GATE_RY,
                                  QS_GATE_RZ, QS_GATE_U, QS_GATE_S, QS_GATE_T, QS_GATE_Y};
    static const qs_gate two[] = {QS_GATE_CX, QS_GATE_CZ, QS_GATE_SWAP, QS_GATE_RZZ};
    static const double prm[3] = {0.3, 0.2, 0.1};
    qs_circuit *c;
    if (qs_circuit_create(3, 0, &c) != QS_OK)
        abort();
    for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
        int q = (int)i % 3;
        if (qs_circuit_append_gate(c, one[i], &q, prm) != QS_OK)
            abort();
    }
    for (size_t i = 0; i < sizeof two / sizeof *two; i++) {
        int q[2] = {(int)i % 3, (int)(i + 1) % 3};
        if (qs_circuit_append_gate(c, two[i], q, prm) != QS_OK)
            abort();
    }
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static qs_circuit *c;
    if (!c)
        c = circuit();
    char *text = fuzz_text(data, size);
    qs_noise_model *m = NULL;
    qs_status st = qs_noise_model_parse(text, "fuzz", &m);
    free(text);
    fuzz_failed(st, qs_last_error());
    if (st != QS_OK && m)
        abort();
    if (st != QS_OK)
        return 0;
    (void)qs_noise_model_num_errors(m);
    qs_circuit *nc = NULL;
    st = qs_noise_model_apply(m, c, &nc);
    fuzz_failed(st, qs_last_error());
    if (st == QS_OK) {
        /* a model the reader accepted gives trace-preserving channels (each
         * checked to 1e-6: 14 of them) */
        qs_density *rho;
        if (qs_density_create(3, 0, &rho) != QS_OK)
            abort();
        qs_program *p;
        if (qs_density_compile(nc, 0, &p) == QS_OK) {
            double tr;
            if (qs_density_run(p, NULL, 0, rho) != QS_OK ||
                qs_density_trace(rho, &tr) != QS_OK || !(tr > 1 - 1e-4 && tr < 1 + 1e-4))
                abort();
            qs_program_destroy(p);
        }
        qs_density_destroy(rho);
        qs_circuit_destroy(nc);
    }
    double conf[4];
    int has, q[3] = {0, 1, 2};
    for (int i = 0; i < 3; i++)
        if (qs_noise_model_readout(m, i, conf, &has) != QS_OK)
            abort();
    qs_rng *rng;
    uint64_t out[4] = {0, 7, 5, 2};
    if (qs_rng_create(1, &rng) != QS_OK || qs_noise_model_apply_readout(m, q, 3, 4, rng, out) != QS_OK)
        abort();
    qs_rng_destroy(rng);
    qs_noise_model_destroy(m);
    return 0;
}
