/*
 * grad_bench.c - the cost of gradients against one forward pass, through
 * the public headers: a hardware-efficient circuit (ry on every qubit,
 * then a cx chain, layer after layer) with one parameter per ry, and a
 * transverse-field Ising Hamiltonian sum Z_i Z_i+1 + sum X_i.
 *
 *   bench/grad_bench [--qubits 20] [--params 100] [--repeats 3] [--shift]
 *
 * Prints the median time of one forward pass (the program run from |0>),
 * of one energy (run + <H>), of one adjoint gradient (energy included)
 * and, with --shift, of parameter-shift and finite-difference gradients,
 * each also as a multiple of the forward pass.
 */
#include <qsim/hybrid.h>
#include <qsim/qsim.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define CHECK(call)                                                        \
    do {                                                                   \
        if ((call) != QS_OK) {                                             \
            fprintf(stderr, "grad_bench: %s\n", qs_last_error());          \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

int main(int argc, char **argv)
{
    int n = 20, np = 100, reps = 3, shift = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--qubits") && i + 1 < argc)
            n = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--params") && i + 1 < argc)
            np = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--shift"))
            shift = 1;
        else {
            fprintf(stderr, "usage: grad_bench [--qubits N] [--params P] [--repeats R] [--shift]\n");
            return 2;
        }
    }
    if (n < 2 || np < 1 || reps < 1 || reps > 99)
        return 2;
    qs_circuit *c;
    CHECK(qs_circuit_create(n, 0, &c));
    for (int k = 0; k < np; k++) {
        char name[32];
        snprintf(name, sizeof name, "t%d", k);
        const char *e[] = {name};
        int q = k % n, cq[2];
        CHECK(qs_circuit_add_param(c, name, NULL));
        CHECK(qs_circuit_append_gate_expr(c, QS_GATE_RY, &q, e));
        if (q == n - 1 || k == np - 1)   /* end of a layer: the entangling chain */
            for (int j = 0; j + 1 < n; j++) {
                cq[0] = j;
                cq[1] = j + 1;
                CHECK(qs_circuit_append_gate(c, QS_GATE_CX, cq, NULL));
            }
    }
    qs_pauli_sum *h;
    CHECK(qs_pauli_sum_create(n, &h));
    for (int j = 0; j < n; j++) {
        char term[32];
        if (j + 1 < n) {
            snprintf(term, sizeof term, "Z%d Z%d", j, j + 1);
            CHECK(qs_pauli_sum_add_term(h, 1.0, term));
        }
        snprintf(term, sizeof term, "X%d", j);
        CHECK(qs_pauli_sum_add_term(h, 0.7, term));
    }
    qh_objective *o;
    CHECK(qh_objective_create(c, h, &o));
    qs_program *p;
    CHECK(qs_program_compile(c, 0, &p));
    qs_state *s;
    CHECK(qs_state_create(n, 0, &s));
    double *x = malloc(sizeof *x * (size_t)np), *g = malloc(sizeof *g * (size_t)np), e;
    for (int k = 0; k < np; k++)
        x[k] = 0.1 * (k % 7) - 0.3;

    /* warm up: the objective makes its work states on first use */
    CHECK(qh_objective_gradient(o, QH_GRAD_ADJOINT, x, &e, g));

    enum { FWD, ENERGY, ADJ, SHIFT, FD, NK };
    const char *names[NK] = {"forward pass", "energy", "adjoint gradient", "shift gradient",
                             "fd gradient"};
    double t[NK][99], med[NK];
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        CHECK(qs_state_set_basis(s, 0));
        CHECK(qs_program_run(p, x, (size_t)np, s, NULL, NULL));
        double t1 = now();
        CHECK(qh_objective_value(o, x, &e));
        double t2 = now();
        CHECK(qh_objective_gradient(o, QH_GRAD_ADJOINT, x, &e, g));
        double t3 = now();
        t[FWD][r] = t1 - t0;
        t[ENERGY][r] = t2 - t1;
        t[ADJ][r] = t3 - t2;
        if (shift) {
            CHECK(qh_objective_gradient(o, QH_GRAD_PARAM_SHIFT, x, &e, g));
            double t4 = now();
            CHECK(qh_objective_gradient(o, QH_GRAD_FINITE_DIFF, x, &e, g));
            t[SHIFT][r] = t4 - t3;
            t[FD][r] = now() - t4;
        }
    }
    printf("%d qubits, %d parameters, %zu steps, %zu Hamiltonian terms, %d threads, median of %d\n",
           n, np, qs_program_num_steps(p), qs_pauli_sum_num_terms(h), qs_get_num_threads(), reps);
    for (int k = 0; k < (shift ? NK : SHIFT); k++) {
        qsort(t[k], (size_t)reps, sizeof(double), cmp);
        med[k] = t[k][reps / 2];
        printf("  %-18s %10.3f ms  %7.2f x forward\n", names[k], 1e3 * med[k], med[k] / med[FWD]);
    }
    free(x);
    free(g);
    qs_state_destroy(s);
    qs_program_destroy(p);
    qh_objective_destroy(o);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
    return 0;
}
