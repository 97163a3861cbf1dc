/*
 * test_steps.c - the step primitives behind gradients: slices of programs
 * forward and backward, the derivative of every parameterized gate and
 * step kind against finite differences, the spectra behind shift rules,
 * the chain rule through expressions, refusal of measurement, the
 * particle-sector eigensolver, and qs_parallel_for.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NQ 5

static void rand_pauli_sum(qs_pauli_sum **h, int n, int terms, uint64_t *seed)
{
    cr_assert_eq(qs_pauli_sum_create(n, h), QS_OK);
    const char *L = "IXYZ";
    for (int t = 0; t < terms; t++) {
        char term[8 * NQ] = "", *p = term;
        for (int q = 0; q < n; q++) {
            char c = L[(int)(4 * ref_uniform(seed))];
            if (c != 'I')
                p += sprintf(p, "%c%d ", c, q);
        }
        cr_assert_eq(qs_pauli_sum_add_term(*h, 2 * ref_uniform(seed) - 1, term), QS_OK, "%s",
                     qs_last_error());
    }
}

/* A circuit using every kind of step, with expressions of 3 parameters. */
static qs_circuit *rand_circuit(uint64_t *seed)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(NQ, 0, &c), QS_OK);
    qs_circuit_add_param(c, "a", NULL);
    qs_circuit_add_param(c, "b", NULL);
    qs_circuit_add_param(c, "c", NULL);
    const char *ex[] = {"2*a + 0.1", "b", "a*b - c", "sin(c)"};
    for (int g = 0; g < QS_NUM_GATES; g++) {
        int nq = qs_gate_num_qubits((qs_gate)g), q[NQ];
        if (nq > NQ)
            continue;
        for (int i = 0; i < nq; i++)
            q[i] = (g + 2 * i) % NQ;
        cr_assert_eq(qs_circuit_append_gate_expr(c, (qs_gate)g, q, ex), QS_OK, "%s: %s",
                     qs_gate_name((qs_gate)g), qs_last_error());
    }
    int pq[3] = {4, 0, 2};
    cr_assert_eq(qs_circuit_append_pauli_rotation(c, pq, "XYZ", 3, "c - a"), QS_OK);
    cr_assert_eq(qs_circuit_append_global_phase(c, "b"), QS_OK);
    double v[1 << NQ];
    for (int i = 0; i < 1 << NQ; i++)
        v[i] = (double)(int)(5 * ref_uniform(seed));
    cr_assert_eq(qs_circuit_append_diagonal_exp(c, v, "a - b"), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_circuit_append_qft(c, 1, 3, 0), QS_OK);
    cplx *U = ref_random_unitary(2, 3);
    int mq[2] = {3, 1};
    cr_assert_eq(qs_circuit_append_matrix(c, mq, 2, (const double *)U), QS_OK);
    free(U);
    cr_assert_eq(qs_circuit_append_barrier(c, NULL, 0), QS_OK);
    cr_assert_eq(qs_circuit_append_diagonal_exp(c, v, "c"), QS_OK);
    return c;
}

static qs_state *rand_state(int n, uint64_t seed)
{
    qs_state *s;
    cr_assert_eq(qs_state_create(n, 0, &s), QS_OK);
    cplx *v = ref_random_state(n, seed);
    ref_load(s, v);
    free(v);
    return s;
}

Test(steps, slices_forward_and_backward)
{
    uint64_t seed = 5;
    qs_circuit *c = rand_circuit(&seed);
    qs_program *p, *unfused;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK);
    cr_assert_eq(qs_program_compile(c, QS_COMPILE_NO_FUSION, &unfused), QS_OK);
    size_t n = qs_program_num_steps(p);
    cr_assert_eq(n, qs_circuit_num_ops(c));
    cr_assert_eq(qs_program_num_steps(unfused), n);
    double prm[3] = {0.3, -1.1, 0.7};
    qs_state *a = rand_state(NQ, 9), *b = rand_state(NQ, 9), *orig = rand_state(NQ, 9);
    qs_state *fused = rand_state(NQ, 9);
    cr_assert_eq(qs_program_run(unfused, prm, 3, a, NULL, NULL), QS_OK);
    cr_assert_eq(qs_program_run(p, prm, 3, fused, NULL, NULL), QS_OK);
    cr_assert(ref_state_diff(a, fused) < 1e-12, "fused run differs by %g", ref_state_diff(a, fused));
    qs_state_destroy(fused);
    qs_program_destroy(unfused);
    /* Two slices make the whole unfused run, to the last bit. */
    cr_assert_eq(qs_program_run_range(p, prm, 3, 0, n / 2, 0, b), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_program_run_range(p, prm, 3, n / 2, n, 0, b), QS_OK);
    cr_assert(ref_state_diff(a, b) == 0, "slices differ from a run: %g", ref_state_diff(a, b));
    /* The adjoint slice undoes the run. */
    cr_assert_eq(qs_program_run_range(p, prm, 3, 0, n, QS_RUN_ADJOINT, b), QS_OK);
    cr_assert(ref_state_diff(b, orig) < 1e-12, "adjoint run leaves %g", ref_state_diff(b, orig));
    /* Step by step, with their own arguments, forward then backward. */
    for (size_t k = 0; k < n; k++) {
        double args[4];
        cr_assert_eq(qs_program_step_args(p, k, prm, 3, args), QS_OK);
        cr_assert_eq(qs_program_step_apply(p, k, args, 0, b), QS_OK, "%s", qs_last_error());
    }
    cr_assert(ref_state_diff(a, b) < 1e-13);
    for (size_t k = n; k-- > 0;) {
        double args[4];
        qs_program_step_args(p, k, prm, 3, args);
        cr_assert_eq(qs_program_step_apply(p, k, args, QS_RUN_ADJOINT, b), QS_OK);
    }
    cr_assert(ref_state_diff(b, orig) < 1e-12);
    cr_assert_eq(qs_program_run_range(p, prm, 3, 2, 1, 0, b), QS_ERANGE);
    cr_assert_eq(qs_program_run_range(p, prm, 3, 0, n + 1, 0, b), QS_ERANGE);
    cr_assert_eq(qs_program_run_range(p, prm, 2, 0, n, 0, b), QS_EINVAL);
    qs_state_destroy(a);
    qs_state_destroy(b);
    qs_state_destroy(orig);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

/* d/dx_a of every step against a central difference of the step itself. */
Test(steps, derivatives_of_every_step)
{
    uint64_t seed = 7;
    qs_circuit *c = rand_circuit(&seed);
    qs_program *p;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK);
    double prm[3] = {0.4, 0.9, -0.6};
    int checked = 0;
    for (size_t k = 0; k < qs_program_num_steps(p); k++) {
        int na = qs_program_step_num_args(p, k);
        double args[4];
        cr_assert_eq(qs_program_step_args(p, k, prm, 3, args), QS_OK);
        for (int a = 0; a < na; a++) {
            const double h = 1e-5;
            qs_state *d = rand_state(NQ, 100 + k), *plus = rand_state(NQ, 100 + k),
                     *minus = rand_state(NQ, 100 + k);
            cr_assert_eq(qs_program_step_apply_derivative(p, k, a, args, d), QS_OK, "%s",
                         qs_last_error());
            double x[4];
            memcpy(x, args, sizeof x);
            x[a] = args[a] + h;
            qs_program_step_apply(p, k, x, 0, plus);
            x[a] = args[a] - h;
            qs_program_step_apply(p, k, x, 0, minus);
            double alpha[2] = {-1, 0}, inv[2] = {1 / (2 * h), 0};
            qs_state_axpy(plus, alpha, minus);
            qs_state_scale(plus, inv);
            cr_assert(ref_state_diff(d, plus) < 1e-8, "step %zu argument %d: derivative off by %g", k, a,
                      ref_state_diff(d, plus));
            checked++;
            qs_state_destroy(d);
            qs_state_destroy(plus);
            qs_state_destroy(minus);
        }
    }
    cr_assert(checked >= 36, "only %d derivatives checked", checked);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

/* With the spectrum (w, R) a step reports, the 2R-term shift rule gives
 * the exact derivative of an expectation value: checks every spectrum. */
Test(steps, shift_rules_from_spectra)
{
    uint64_t seed = 11;
    qs_circuit *c = rand_circuit(&seed);
    qs_program *p;
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK);
    qs_pauli_sum *h;
    rand_pauli_sum(&h, NQ, 12, &seed);
    double prm[3] = {-0.2, 1.3, 0.5};
    qs_state *in = rand_state(NQ, 21), *s, *hs;
    qs_state_copy(in, &s);
    qs_state_copy(in, &hs);
    int seen_two = 0;
    for (size_t k = 0; k < qs_program_num_steps(p); k++) {
        double args[4];
        qs_program_step_args(p, k, prm, 3, args);
        for (int a = 0; a < qs_program_step_num_args(p, k); a++) {
            double w;
            int R;
            cr_assert_eq(qs_program_step_arg_spectrum(p, k, a, &w, &R), QS_OK, "%s",
                         qs_last_error());
            /* exact: 2 Re <H U psi | dU psi> */
            qs_state_assign(s, in);
            qs_program_step_apply(p, k, args, 0, s);
            qs_pauli_sum_apply(h, s, hs);
            qs_state_assign(s, in);
            qs_program_step_apply_derivative(p, k, a, args, s);
            double ip[2];
            qs_state_inner(hs, s, ip);
            double exact = 2 * ip[0], rule = 0;
            for (int mu = 1; mu <= 2 * R; mu++) {
                double x[4], e, xm = (2 * mu - 1) * M_PI / (2 * R);
                memcpy(x, args, sizeof x);
                x[a] += xm / w;
                qs_state_assign(s, in);
                qs_program_step_apply(p, k, x, 0, s);
                qs_state_expect(s, h, &e);
                double sn = sin(xm / 2);
                rule += (mu % 2 ? 1 : -1) * e / (4 * R * sn * sn);
            }
            rule *= w;
            seen_two += R == 2;
            cr_assert(fabs(rule - exact) < 1e-10, "step %zu arg %d (w %g, R %d): rule %.15g, exact %.15g",
                      k, a, w, R, rule, exact);
        }
    }
    cr_assert(seen_two >= 6, "controlled rotations and r's phi have two frequencies");
    qs_state_destroy(in);
    qs_state_destroy(s);
    qs_state_destroy(hs);
    qs_pauli_sum_destroy(h);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

Test(steps, spectra_of_diagonals)
{
    qs_circuit *c;
    qs_circuit_create(2, 0, &c);
    qs_circuit_add_param(c, "t", NULL);
    double v[4] = {0, 6, 2, 4}, w[4] = {0, 0.5, 1, 2};
    qs_circuit_append_diagonal_exp(c, v, "t");
    qs_circuit_append_diagonal_exp(c, w, "t");
    qs_program *p;
    qs_program_compile(c, 0, &p);
    double om;
    int R;
    cr_assert_eq(qs_program_step_arg_spectrum(p, 0, 0, &om, &R), QS_OK);
    cr_assert(om == 2 && R == 3, "cut values 0 2 4 6: frequencies 2, 4, 6 (got %g, %d)", om, R);
    cr_assert_eq(qs_program_step_arg_spectrum(p, 1, 0, &om, &R), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "not an integer"));
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

Test(steps, chain_rule_through_expressions)
{
    qs_circuit *c;
    qs_circuit_create(2, 0, &c);
    qs_circuit_add_param(c, "a", NULL);
    qs_circuit_add_param(c, "b", NULL);
    qs_circuit_add_param(c, "c", NULL);
    int q[2] = {0, 1};
    const char *e[] = {"2*c*a + sin(c) - 0.5"};
    qs_circuit_append_gate_expr(c, QS_GATE_CRX, q, e);
    qs_circuit_append_gate(c, QS_GATE_H, q, NULL);
    qs_program *p;
    qs_program_compile(c, 0, &p);
    cr_assert_eq(qs_program_step_flags(p, 0), QS_STEP_PARAMETERIZED);
    cr_assert_eq(qs_program_step_flags(p, 1), 0);
    cr_assert_eq(qs_program_step_num_args(p, 1), 0, "constant gates are folded");
    int idx[3], n;
    cr_assert_eq(qs_program_step_arg_params(p, 0, 0, idx, 3, &n), QS_OK);
    cr_assert(n == 2 && idx[0] == 0 && idx[1] == 2);
    double prm[3] = {0.3, 5, -0.4}, g[3] = {1, 1, 1};
    cr_assert_eq(qs_program_step_arg_grad(p, 0, 0, prm, 3, 2.0, g), QS_OK);
    cr_assert(fabs(g[0] - (1 + 2 * 2 * prm[2])) < 1e-15);
    cr_assert(g[1] == 1);
    cr_assert(fabs(g[2] - (1 + 2 * (2 * prm[0] + cos(prm[2])))) < 1e-15);
    cr_assert_eq(qs_program_step_arg_grad(p, 0, 1, prm, 3, 1, g), QS_ERANGE);
    cr_assert_eq(qs_program_step_args(p, 7, prm, 3, g), QS_ERANGE);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

Test(steps, measurement_is_refused)
{
    qs_circuit *c;
    qs_circuit_create(2, 1, &c);
    qs_circuit_add_param(c, "t", NULL);
    int q = 0;
    const char *e[] = {"t"};
    qs_circuit_append_gate_expr(c, QS_GATE_RY, &q, e);
    qs_circuit_append_measure(c, 0, 0);
    qs_circuit_append_gate_expr(c, QS_GATE_RY, &q, e);
    qs_program *p;
    qs_program_compile(c, 0, &p);
    cr_assert_eq(qs_program_step_flags(p, 1), QS_STEP_NONUNITARY);
    qs_state *s;
    qs_state_create(2, 0, &s);
    double t = 0.3;
    cr_assert_eq(qs_program_run_range(p, &t, 1, 0, 1, 0, s), QS_OK);
    cr_assert_eq(qs_program_run_range(p, &t, 1, 0, 3, QS_RUN_ADJOINT, s), QS_EUNSUPPORTED);
    cr_assert(strstr(qs_last_error(), "step 1 measures"), "%s", qs_last_error());
    cr_assert_eq(qs_program_step_apply(p, 1, NULL, 0, s), QS_EUNSUPPORTED);
    qs_state_destroy(s);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

static double header_value(const qs_pauli_sum *h, const char *key)
{
    const char *v = qs_pauli_sum_header(h, key);
    cr_assert(v, "header %s missing", key);
    return strtod(v, NULL);
}

static double sector_energy(const char *file)
{
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_read(ref_shared(file), &h), QS_OK, "%s", qs_last_error());
    uint64_t masks[2] = {0x5555555555555555u, 0xAAAAAAAAAAAAAAAAu};
    int counts[2] = {(int)header_value(h, "n_alpha"), (int)header_value(h, "n_beta")};
    double e;
    cr_assert_eq(qs_pauli_sum_eigensolve_sector(h, 2, masks, counts, 1, &e), QS_OK, "%s",
                 qs_last_error());
    double want = header_value(h, "ground_energy_in_particle_sector");
    cr_assert(fabs(e - want) < 1e-8, "%s: sector energy %.12f, file %.12f", file, e, want);
    qs_pauli_sum_destroy(h);
    return e;
}

Test(sector, molecules)
{
    sector_energy("data/molecules/h2_sto3g_0.7414.txt");
    sector_energy("data/molecules/lih_sto3g_1.45.txt");
    sector_energy("data/molecules/h2o_sto3g_cas4e3o.txt");
    /* square H4: the particle sector's ground state is a triplet, below
     * the singlet FCI energy */
    double e = sector_energy("data/molecules/h4_ring_sto3g_0.7414.txt");
    cr_assert(e < -1.6307 && e > -1.6308);
}

Test(sector, bad_arguments)
{
    qs_pauli_sum *h;
    qs_pauli_sum_create(4, &h);
    qs_pauli_sum_add_term(h, 1, "Z0 Z1");
    uint64_t m = 0xF;
    int cnt = 5;
    double e[7];   /* room for what each call asks, refused or not */
    cr_assert_eq(qs_pauli_sum_eigensolve_sector(h, 1, &m, &cnt, 1, e), QS_EINVAL);
    cnt = 2;
    cr_assert_eq(qs_pauli_sum_eigensolve_sector(h, 1, &m, &cnt, 7, e), QS_EINVAL);
    cr_assert_eq(qs_pauli_sum_eigensolve_sector(h, 1, &m, &cnt, 2, e), QS_OK);
    cr_assert_eq(e[0], -1, "two particles: Z0 Z1 = -1 on |0011> is not reached, |0101> is");
    qs_pauli_sum_destroy(h);
}

/* ---- qs_parallel_for ------------------------------------------------- */

struct task {
    const qs_program *p;
    const qs_pauli_sum *h;
    qs_state *ws[8];
    double out[64];
    size_t fail_from;
};

static qs_status energy_task(void *ctx, size_t i, int t)
{
    struct task *tk = ctx;
    if (i >= tk->fail_from)
        return qs_state_set_basis(tk->ws[t], UINT64_MAX);   /* fails: QS_ERANGE */
    double prm[3] = {0.1 * (double)i, 1 - 0.3 * (double)i, 0.05 * (double)(i * i)};
    qs_state_set_basis(tk->ws[t], 0);
    qs_status st = qs_program_run(tk->p, prm, 3, tk->ws[t], NULL, NULL);
    if (st == QS_OK)
        st = qs_state_expect(tk->ws[t], tk->h, &tk->out[i]);
    return st;
}

Test(parallel, same_as_serial_and_first_error)
{
    uint64_t seed = 3;
    qs_circuit *c = rand_circuit(&seed);
    qs_program *p;
    qs_program_compile(c, 0, &p);
    qs_pauli_sum *h;
    rand_pauli_sum(&h, NQ, 10, &seed);
    struct task a = {p, h, {0}, {0}, 64}, b = a;
    for (int t = 0; t < 8; t++) {
        qs_state_create(NQ, 0, &a.ws[t]);
        qs_state_create(NQ, 0, &b.ws[t]);
    }
    cr_assert_eq(qs_parallel_for(64, 1, energy_task, &a), QS_OK);
    cr_assert_eq(qs_parallel_threads(64, 3), 3);
    cr_assert_eq(qs_parallel_for(64, 3, energy_task, &b), QS_OK, "%s", qs_last_error());
    cr_assert(memcmp(a.out, b.out, sizeof a.out) == 0, "threads change the results");
    b.fail_from = 37;
    qs_clear_error();
    cr_assert_eq(qs_parallel_for(64, 3, energy_task, &b), QS_ERANGE);
    cr_assert(strstr(qs_last_error(), "qs_state_set_basis"), "message kept: %s", qs_last_error());
    cr_assert_eq(qs_parallel_for(4, -1, energy_task, &b), QS_EINVAL);
    for (int t = 0; t < 8; t++) {
        qs_state_destroy(a.ws[t]);
        qs_state_destroy(b.ws[t]);
    }
    qs_pauli_sum_destroy(h);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
}

Test(steps, diagonal_in_a_unitary)
{
    /* A diagonal step of a 2-qubit circuit run on the 4-qubit state behind
     * qs_circuit_unitary: the high qubits are spectators. */
    qs_circuit *c;
    qs_circuit_create(2, 0, &c);
    double v[4] = {0, 1, 1, 2}, t = 0.7, u[32];
    cr_assert_eq(qs_circuit_append_diagonal_exp(c, v, "0.7"), QS_OK);
    cr_assert_eq(qs_circuit_append_diagonal_exp(c, v, "0.7"), QS_OK);
    cr_assert_eq(qs_circuit_unitary(c, NULL, 0, u), QS_OK, "%s", qs_last_error());
    for (int r = 0; r < 4; r++)
        for (int col = 0; col < 4; col++) {
            cplx want = r == col ? cexp(-2 * I * t * v[r]) : 0;
            cplx got = u[2 * (r * 4 + col)] + I * u[2 * (r * 4 + col) + 1];
            cr_assert(cabs(got - want) < 1e-14, "(%d,%d)", r, col);
        }
    double bad[4] = {0, NAN, 0, 0};
    cr_assert_eq(qs_circuit_append_diagonal_exp(c, bad, "1"), QS_EINVAL);
    cr_assert_eq(qs_circuit_num_ops(c), 2);
    qs_circuit_destroy(c);
}
