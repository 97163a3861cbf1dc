/*
 * test_measure.c - probabilities, marginals, measurement with collapse,
 * reset and sampling; statistics checked with chi-square bounds at fixed
 * seeds.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Pearson chi-square of observed counts against probabilities. */
static double chi2(const size_t *counts, const double *p, int d, size_t shots, int *dof)
{
    double x = 0;
    *dof = -1;
    for (int i = 0; i < d; i++) {
        double e = p[i] * (double)shots;
        if (e < 1e-12) {
            cr_assert_eq(counts[i], 0, "outcome %d of probability 0 was drawn", i);
            continue;
        }
        x += (counts[i] - e) * (counts[i] - e) / e;
        (*dof)++;
    }
    return x;
}

/* chi2 bound with a false-alarm rate of about 1e-6 (Wilson-Hilferty). */
static double chi2_bound(int dof)
{
    double z = 4.75, h = 2.0 / (9.0 * dof);
    return dof * pow(1 - h + z * sqrt(h), 3);
}

Test(measure, probabilities_and_marginals)
{
    for (int f = 0; f < 2; f++) {
        qs_state *s;
        qs_state_create(6, f ? QS_STATE_F32 : 0, &s);
        cplx *v = ref_random_state(6, 77);
        ref_load(s, v);
        free(v);
        v = ref_read(s);
        double p[64], tol = ref_tol(s);
        cr_assert_eq(qs_state_probabilities(s, p), QS_OK);
        for (int i = 0; i < 64; i++)
            cr_assert(fabs(p[i] - creal(v[i] * conj(v[i]))) < tol);
        int q[3] = {4, 1, 5};
        double m[8], want[8] = {0};
        cr_assert_eq(qs_state_marginal(s, q, 3, m), QS_OK);
        for (int i = 0; i < 64; i++)
            want[((i >> 4) & 1) | (((i >> 1) & 1) << 1) | (((i >> 5) & 1) << 2)] += creal(v[i] * conj(v[i]));
        for (int o = 0; o < 8; o++)
            cr_assert(fabs(m[o] - want[o]) < tol, "marginal %d: %g vs %g", o, m[o], want[o]);
        for (int qb = 0; qb < 6; qb++) {
            double p1, w = 0;
            qs_state_prob_one(s, qb, &p1);
            for (int i = 0; i < 64; i++)
                if (i >> qb & 1)
                    w += creal(v[i] * conj(v[i]));
            cr_assert(fabs(p1 - w) < tol);
        }
        free(v);
        qs_state_destroy(s);
    }
}

Test(measure, collapse_renormalises)
{
    qs_state *s;
    qs_rng *r;
    qs_state_create(5, 0, &s);
    qs_rng_create(5, &r);
    cplx *v = ref_random_state(5, 8);
    ref_load(s, v);
    int q[2] = {3, 0};
    uint64_t o;
    double prob;
    cr_assert_eq(qs_state_measure(s, q, 2, r, &o, &prob), QS_OK);
    /* Reference: keep the amplitudes matching the outcome, renormalise. */
    double w = 0;
    for (int i = 0; i < 32; i++) {
        uint64_t oi = ((i >> 3) & 1) | ((i & 1) << 1);
        if (oi != o)
            v[i] = 0;
        else
            w += creal(v[i] * conj(v[i]));
    }
    cr_assert(fabs(w - prob) < 1e-12, "reported probability %g, want %g", prob, w);
    for (int i = 0; i < 32; i++)
        v[i] /= sqrt(w);
    cplx *got = ref_read(s);
    cr_assert(ref_maxdiff(got, v, 32) < 1e-12);
    /* Measuring again gives the same outcome with certainty. */
    uint64_t o2;
    qs_state_measure(s, q, 2, r, &o2, &prob);
    cr_assert_eq(o2, o);
    cr_assert_float_eq(prob, 1, 1e-12);
    free(got);
    free(v);
    qs_rng_destroy(r);
    qs_state_destroy(s);
}

Test(measure, single_qubit_statistics)
{
    /* ry(t)|0>: P(1) = sin^2(t/2) = 0.3; 20000 fresh measurements. */
    qs_state *s;
    qs_rng *r;
    qs_state_create(3, 0, &s);
    qs_rng_create(12345, &r);
    double t = 2 * asin(sqrt(0.3));
    size_t ones = 0, n = 20000;
    int q = 1;
    for (size_t i = 0; i < n; i++) {
        qs_state_set_basis(s, 0);
        qs_state_apply_gate(s, QS_GATE_RY, &q, &t);
        uint64_t o;
        qs_state_measure(s, &q, 1, r, &o, NULL);
        ones += o;
    }
    double z = ((double)ones - 0.3 * n) / sqrt(n * 0.3 * 0.7);
    cr_assert(fabs(z) < 4.5, "P(1) = %g after %zu shots (z = %g)", (double)ones / n, n, z);
    qs_rng_destroy(r);
    qs_state_destroy(s);
}

Test(measure, sampling_chi_square)
{
    for (int f = 0; f < 2; f++) {
        qs_state *s;
        qs_rng *r;
        qs_state_create(5, f ? QS_STATE_F32 : 0, &s);
        qs_rng_create(99, &r);
        cplx *v = ref_random_state(5, 31);
        ref_load(s, v);
        free(v);
        size_t shots = 200000;
        uint64_t *out = malloc(sizeof *out * shots);
        cr_assert_eq(qs_state_sample(s, NULL, 0, shots, r, out), QS_OK);
        size_t counts[32] = {0};
        for (size_t i = 0; i < shots; i++) {
            cr_assert_lt(out[i], 32);
            counts[out[i]]++;
        }
        double p[32];
        qs_state_probabilities(s, p);
        int dof;
        double x = chi2(counts, p, 32, shots, &dof);
        cr_assert_lt(x, chi2_bound(dof), "chi2 %g with %d degrees of freedom", x, dof);
        /* Shots come in random order: no long sorted run. */
        size_t run = 0, longest = 0;
        for (size_t i = 1; i < shots; i++) {
            run = out[i] >= out[i - 1] ? run + 1 : 0;
            longest = run > longest ? run : longest;
        }
        cr_assert_lt(longest, 64, "shots look sorted");
        /* A subset of qubits against its marginal. */
        int q[2] = {4, 2};
        cr_assert_eq(qs_state_sample(s, q, 2, shots, r, out), QS_OK);
        size_t c2[4] = {0};
        for (size_t i = 0; i < shots; i++)
            c2[out[i]]++;
        double m[4];
        qs_state_marginal(s, q, 2, m);
        x = chi2(c2, m, 4, shots, &dof);
        cr_assert_lt(x, chi2_bound(dof), "marginal chi2 %g", x);
        /* Sampling leaves the state alone. */
        double p2[32];
        qs_state_probabilities(s, p2);
        cr_assert(memcmp(p, p2, sizeof p) == 0);
        free(out);
        qs_rng_destroy(r);
        qs_state_destroy(s);
    }
}

Test(measure, sampling_is_seeded)
{
    qs_state *s;
    qs_rng *a, *b;
    qs_state_create(4, 0, &s);
    qs_state_set_uniform(s);
    qs_rng_create(7, &a);
    qs_rng_create(7, &b);
    uint64_t x[100], y[100];
    qs_state_sample(s, NULL, 0, 100, a, x);
    qs_state_sample(s, NULL, 0, 100, b, y);
    cr_assert(memcmp(x, y, sizeof x) == 0);
    /* An unnormalised state samples from its normalised distribution. */
    double two[2] = {2, 0};
    qs_state_scale(s, two);
    qs_state_sample(s, NULL, 0, 100, a, x);
    for (int i = 0; i < 100; i++)
        cr_assert_lt(x[i], 16);
    qs_rng_destroy(a);
    qs_rng_destroy(b);
    qs_state_destroy(s);
}

Test(measure, reset)
{
    qs_state *s;
    qs_rng *r;
    qs_state_create(3, 0, &s);
    qs_rng_create(3, &r);
    int bell[2] = {0, 1};
    size_t ones = 0;
    for (int rep = 0; rep < 400; rep++) {
        qs_state_set_basis(s, 0);
        qs_state_apply_gate(s, QS_GATE_H, bell, NULL);
        qs_state_apply_gate(s, QS_GATE_CX, bell, NULL);
        cr_assert_eq(qs_state_reset(s, bell, 1, r), QS_OK);
        double p0, p1;
        qs_state_prob_one(s, 0, &p0);
        qs_state_prob_one(s, 1, &p1);
        cr_assert_float_eq(p0, 0, 1e-14);   /* qubit 0 is |0> */
        cr_assert(fabs(p1) < 1e-14 || fabs(p1 - 1) < 1e-14);   /* qubit 1 collapsed */
        ones += p1 > 0.5;
    }
    cr_assert(ones > 140 && ones < 260, "qubit 1 found in |1> %zu times of 400", ones);
    /* Resetting several qubits of |111> gives |000>. */
    qs_state_set_basis(s, 7);
    int all[3] = {0, 1, 2};
    qs_state_reset(s, all, 3, r);
    double a[2];
    qs_state_get_amps(s, 0, 1, a);
    cr_assert_float_eq(a[0], 1, 1e-15);
    qs_rng_destroy(r);
    qs_state_destroy(s);
}

Test(measure, many_qubits_at_once)
{
    /* More qubits than a marginal table holds: measured one by one. */
    qs_state *s;
    qs_rng *r;
    qs_state_create(18, 0, &s);
    qs_rng_create(1, &r);
    qs_state_set_basis(s, 0x2A5F3);
    int q[18];
    for (int i = 0; i < 18; i++)
        q[i] = 17 - i;
    uint64_t o;
    double p;
    cr_assert_eq(qs_state_measure(s, q, 18, r, &o, &p), QS_OK);
    uint64_t want = 0;
    for (int i = 0; i < 18; i++)
        want |= (uint64_t)((0x2A5F3 >> q[i]) & 1) << i;
    cr_assert_eq(o, want);
    cr_assert_float_eq(p, 1, 1e-12);
    qs_rng_destroy(r);
    qs_state_destroy(s);
}
