/*
 * ghz.c - build a parameterized circuit, compile it once, run it, sample
 * shots and measure an observable, using only <qsim/qsim.h>.
 *
 *   ./examples/ghz [num_qubits]
 */
#include <qsim/qsim.h>

#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                    \
    do {                                                               \
        if ((call) != QS_OK) {                                         \
            fprintf(stderr, "ghz: %s\n", qs_last_error());             \
            return 1;                                                  \
        }                                                              \
    } while (0)

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 5;
    qs_circuit *c;
    CHECK(qs_circuit_create(n, 0, &c));
    int theta, q0 = 0;
    CHECK(qs_circuit_add_param(c, "theta", &theta));
    /* ry(theta) instead of h: theta = pi/2 gives the GHZ state. */
    const char *arg[] = {"theta"};
    CHECK(qs_circuit_append_gate_expr(c, QS_GATE_RY, &q0, arg));
    for (int i = 0; i + 1 < n; i++) {
        int q[2] = {i, i + 1};
        CHECK(qs_circuit_append_gate(c, QS_GATE_CX, q, NULL));
    }
    qs_program *prog;
    CHECK(qs_program_compile(c, 0, &prog));

    qs_state *s;
    qs_rng *rng;
    CHECK(qs_state_create(n, QS_STATE_DEFAULT, &s));
    CHECK(qs_rng_create(2024, &rng));
    qs_pauli_sum *zz;   /* Z0 + Z0 Z(n-1): cos(theta) + 1 */
    CHECK(qs_pauli_sum_create(n, &zz));
    char term[32];
    snprintf(term, sizeof term, "Z0 Z%d", n - 1);
    CHECK(qs_pauli_sum_add_term(zz, 1.0, "Z0"));
    CHECK(qs_pauli_sum_add_term(zz, 1.0, term));

    printf("%d-qubit GHZ-like state ry(theta) + CNOT chain (backend %s, %d threads)\n", n,
           qs_state_backend(s), qs_get_num_threads());
    for (int k = 0; k <= 4; k++) {
        double t = k * 3.141592653589793 / 4, e;
        CHECK(qs_state_set_basis(s, 0));
        CHECK(qs_program_run(prog, &t, 1, s, NULL, NULL));
        CHECK(qs_state_expect(s, zz, &e));
        uint64_t shots[1000];
        CHECK(qs_state_sample(s, NULL, 0, 1000, rng, shots));
        int ones = 0;
        for (int i = 0; i < 1000; i++)
            ones += shots[i] == (UINT64_C(1) << n) - 1;
        printf("  theta = %.4f  <Z0 + %s> = %+.6f   all-ones in %4d of 1000 shots\n", t, term, e,
               ones);
    }
    qs_pauli_sum_destroy(zz);
    qs_rng_destroy(rng);
    qs_state_destroy(s);
    qs_program_destroy(prog);
    qs_circuit_destroy(c);
    return 0;
}
