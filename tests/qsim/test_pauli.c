/*
 * test_pauli.c - Pauli sums: building, the file format, expectation values
 * and H|psi> against dense Kronecker-product matrices.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

Test(pauli, terms_merge_and_print)
{
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_create(0, &h), QS_OK);
    cr_assert_eq(qs_pauli_sum_add_term(h, 0.5, "X0 Z3"), QS_OK);
    cr_assert_eq(qs_pauli_sum_add_term(h, 0.25, "Z3 X0"), QS_OK);   /* same term */
    cr_assert_eq(qs_pauli_sum_add_term(h, -1, "I"), QS_OK);
    cr_assert_eq(qs_pauli_sum_add_term(h, 2, ""), QS_OK);
    int q[2] = {5, 1};
    cr_assert_eq(qs_pauli_sum_add(h, 3, q, "YI", 2), QS_OK);
    cr_assert_eq(qs_pauli_sum_num_terms(h), 3);
    cr_assert_eq(qs_pauli_sum_num_qubits(h), 6);
    char buf[64];
    double c;
    cr_assert_eq(qs_pauli_sum_term(h, 0, &c, buf, sizeof buf), QS_OK);
    cr_assert_str_eq(buf, "X0 Z3");
    cr_assert_float_eq(c, 0.75, 1e-15);
    cr_assert_eq(qs_pauli_sum_term(h, 1, &c, buf, sizeof buf), QS_OK);
    cr_assert_str_eq(buf, "I");
    cr_assert_float_eq(c, 1, 1e-15);
    cr_assert_eq(qs_pauli_sum_term(h, 2, &c, buf, sizeof buf), QS_OK);
    cr_assert_str_eq(buf, "Y5");
    cr_assert_eq(qs_pauli_sum_term(h, 0, &c, buf, 3), QS_ERANGE);
    qs_pauli_sum *d;
    cr_assert_eq(qs_pauli_sum_copy(h, &d), QS_OK);
    cr_assert_eq(qs_pauli_sum_num_terms(d), 3);
    qs_pauli_sum_destroy(d);
    qs_pauli_sum_destroy(h);
}

Test(pauli, reads_h2_file_with_header)
{
    qs_pauli_sum *h;
    cr_assert_eq(qs_pauli_sum_read(ref_shared("data/molecules/h2_sto3g_0.7414.txt"), &h), QS_OK,
                 "%s", qs_last_error());
    cr_assert_eq(qs_pauli_sum_num_terms(h), 15);
    cr_assert_eq(qs_pauli_sum_num_qubits(h), 4);
    cr_assert_str_eq(qs_pauli_sum_header(h, "n_electrons"), "2");
    cr_assert_str_eq(qs_pauli_sum_header(h, "hf_state_index"), "3");
    cr_assert_null(qs_pauli_sum_header(h, "no_such_key"));
    /* <HF|H|HF> is the header's hf_energy_of_this_file. */
    qs_state *s;
    qs_state_create(4, 0, &s);
    qs_state_set_basis(s, 3);
    double e, want = strtod(qs_pauli_sum_header(h, "hf_energy_of_this_file"), NULL);
    cr_assert_eq(qs_state_expect(s, h, &e), QS_OK);
    cr_assert(fabs(e - want) < 1e-12, "<HF|H|HF> = %.15g, header %.15g", e, want);
    qs_state_destroy(s);
    qs_pauli_sum_destroy(h);
}

/* A random sum on n qubits with every letter, identity included. */
static qs_pauli_sum *random_sum(int n, int terms, uint64_t seed, cplx **dense)
{
    qs_pauli_sum *h;
    qs_pauli_sum_create(n, &h);
    uint64_t D = UINT64_C(1) << n;
    *dense = calloc(D * D, sizeof **dense);
    const char L[] = "IXYZ";
    for (int t = 0; t < terms; t++) {
        int q[16];
        char p[17];
        for (int i = 0; i < n; i++) {
            q[i] = i;
            p[i] = L[(int)(ref_uniform(&seed) * 4)];
            if (t < terms / 3 && p[i] != 'I')
                p[i] = 'Z';   /* plenty of Z-only terms */
        }
        p[n] = 0;
        double w = 2 * ref_uniform(&seed) - 1;
        cr_assert_eq(qs_pauli_sum_add(h, w, q, p, n), QS_OK);
        cplx *P = ref_pauli(n, q, p, n);
        for (uint64_t i = 0; i < D * D; i++)
            (*dense)[i] += w * P[i];
        free(P);
    }
    return h;
}

Test(pauli, expectation_and_apply_match_dense)
{
    int n = 6;
    uint64_t D = 64;
    cplx *Hd;
    qs_pauli_sum *h = random_sum(n, 40, 17, &Hd);
    for (int f = 0; f < 2; f++) {
        qs_state *s, *o;
        qs_state_create(n, f ? QS_STATE_F32 : 0, &s);
        qs_state_create(n, f ? QS_STATE_F32 : 0, &o);
        cplx *v = ref_random_state(n, 5);
        ref_load(s, v);
        free(v);
        v = ref_read(s);
        cplx *hv = malloc(sizeof *hv * D);
        memcpy(hv, v, sizeof *hv * D);
        ref_matvec(n, Hd, hv);
        cplx want = 0;
        for (uint64_t i = 0; i < D; i++)
            want += conj(v[i]) * hv[i];
        double e, tol = 40 * ref_tol(s);
        cr_assert_eq(qs_state_expect(s, h, &e), QS_OK);
        cr_assert(fabs(e - creal(want)) < tol, "expect %.15g, want %.15g", e, creal(want));
        cr_assert_eq(qs_pauli_sum_apply(h, s, o), QS_OK);
        cplx *got = ref_read(o);
        cr_assert(ref_maxdiff(got, hv, D) < tol);
        free(got);
        free(v);
        free(hv);
        qs_state_destroy(s);
        qs_state_destroy(o);
    }
    free(Hd);
    qs_pauli_sum_destroy(h);
}

Test(pauli, single_strings)
{
    int n = 5;
    qs_state *s;
    qs_state_create(n, 0, &s);
    cplx *v = ref_random_state(n, 9);
    ref_load(s, v);
    const char *strings[] = {"XYZZY", "ZIZII", "YYYYY", "IIIIX", "IIIII"};
    int q[5] = {0, 1, 2, 3, 4};
    for (int k = 0; k < 5; k++) {
        cplx *P = ref_pauli(n, q, strings[k], n), *pv = malloc(sizeof *pv * 32);
        memcpy(pv, v, sizeof *pv * 32);
        ref_matvec(n, P, pv);
        cplx want = 0;
        for (int i = 0; i < 32; i++)
            want += conj(v[i]) * pv[i];
        double e;
        cr_assert_eq(qs_state_expect_pauli(s, q, strings[k], n, &e), QS_OK);
        cr_assert(fabs(e - creal(want)) < 1e-12, "%s: %g vs %g", strings[k], e, creal(want));
        free(P);
        free(pv);
    }
    free(v);
    qs_state_destroy(s);
}

Test(pauli, empty_sum_and_out_state)
{
    qs_pauli_sum *h;
    qs_pauli_sum_create(2, &h);
    qs_state *s, *o;
    qs_state_create(2, 0, &s);
    qs_state_create(2, 0, &o);
    qs_state_set_uniform(o);
    double e;
    cr_assert_eq(qs_state_expect(s, h, &e), QS_OK);
    cr_assert(e == 0);
    cr_assert_eq(qs_pauli_sum_apply(h, s, o), QS_OK);
    double n2;
    qs_state_norm2(o, &n2);
    cr_assert(n2 == 0);
    cr_assert_eq(qs_pauli_sum_apply(h, s, s), QS_EINVAL);
    qs_state_destroy(s);
    qs_state_destroy(o);
    qs_pauli_sum_destroy(h);
}
