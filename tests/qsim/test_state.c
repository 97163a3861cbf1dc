/*
 * test_state.c - creating, setting, reading, copying and combining states,
 * for both precisions; zero-copy access; the memory check.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

Test(state, create_is_zero_state)
{
    for (int f = 0; f < 2; f++) {
        qs_state *s;
        cr_assert_eq(qs_state_create(5, f ? QS_STATE_F32 : 0, &s), QS_OK);
        cr_assert_eq(qs_state_num_qubits(s), 5);
        cr_assert_eq(qs_state_flags(s), f ? QS_STATE_F32 : 0u);
        cplx *a = ref_read(s);
        cr_assert(a[0] == 1);
        for (int i = 1; i < 32; i++)
            cr_assert(a[i] == 0);
        free(a);
        void *p;
        cr_assert_eq(qs_state_data(s, &p), QS_OK);
        cr_assert_eq((uintptr_t)p % 64, 0, "amplitudes not 64-byte aligned");
        qs_state_destroy(s);
    }
    qs_state_destroy(NULL);
}

Test(state, basis_uniform_random)
{
    qs_state *s;
    qs_rng *r1, *r2;
    cr_assert_eq(qs_state_create(6, 0, &s), QS_OK);
    cr_assert_eq(qs_state_set_basis(s, 37), QS_OK);
    cplx *a = ref_read(s);
    for (int i = 0; i < 64; i++)
        cr_assert(a[i] == (i == 37));
    free(a);
    cr_assert_eq(qs_state_set_uniform(s), QS_OK);
    a = ref_read(s);
    for (int i = 0; i < 64; i++)
        cr_assert_float_eq(creal(a[i]), 0.125, 1e-15);
    free(a);
    qs_rng_create(9, &r1);
    qs_rng_create(9, &r2);
    qs_state_set_random(s, r1);
    double n2;
    qs_state_norm2(s, &n2);
    cr_assert_float_eq(n2, 1, 1e-13);
    cplx *x = ref_read(s);
    qs_state_set_random(s, r2);
    cplx *y = ref_read(s);
    cr_assert(ref_maxdiff(x, y, 64) == 0, "same seed, different random states");
    qs_state_set_random(s, r2);
    cplx *z = ref_read(s);
    cr_assert(ref_maxdiff(x, z, 64) > 0.01, "a generator repeated its state");
    free(x);
    free(y);
    free(z);
    qs_rng_destroy(r1);
    qs_rng_destroy(r2);
    qs_state_destroy(s);
}

Test(state, amps_roundtrip_and_ranges)
{
    qs_state *s;
    cr_assert_eq(qs_state_create(4, 0, &s), QS_OK);
    double in[6] = {0.1, 0.2, -0.3, 0.4, 0.5, -0.6}, out[6];
    cr_assert_eq(qs_state_set_amps(s, 13, 3, in), QS_OK);
    cr_assert_eq(qs_state_get_amps(s, 13, 3, out), QS_OK);
    cr_assert(memcmp(in, out, sizeof in) == 0);
    cr_assert_eq(qs_state_get_amps(s, 14, 3, out), QS_ERANGE);
    cr_assert(strstr(qs_last_error(), "out of range for a 4-qubit state"), "%s", qs_last_error());
    cr_assert_eq(qs_state_set_amps(s, 16, 1, in), QS_ERANGE);
    cr_assert_eq(qs_state_get_amps(s, 16, 0, out), QS_OK);
    qs_state_destroy(s);
}

Test(state, zero_copy_view)
{
    qs_state *s;
    double *p;
    cr_assert_eq(qs_state_create(3, 0, &s), QS_OK);
    cr_assert_eq(qs_state_data(s, (void **)&p), QS_OK);
    p[2 * 5] = 0.6;       /* amplitude 5, real part */
    p[2 * 5 + 1] = -0.8;
    p[0] = 0;
    double a[2];
    qs_state_get_amps(s, 5, 1, a);
    cr_assert(a[0] == 0.6 && a[1] == -0.8);
    int q = 0;
    qs_state_apply_gate(s, QS_GATE_X, &q, NULL);   /* moves amplitude 5 to 4 */
    cr_assert(p[2 * 4] == 0.6 && p[2 * 4 + 1] == -0.8);
    qs_state_destroy(s);
}

Test(state, copy_assign_precisions)
{
    qs_state *d, *f, *c;
    cplx *v = ref_random_state(6, 4);
    cr_assert_eq(qs_state_create(6, 0, &d), QS_OK);
    cr_assert_eq(qs_state_create(6, QS_STATE_F32, &f), QS_OK);
    ref_load(d, v);
    cr_assert_eq(qs_state_assign(f, d), QS_OK);   /* double -> float */
    cplx *vf = ref_read(f);
    cr_assert(ref_maxdiff(vf, v, 64) < 1e-7);
    cr_assert(ref_maxdiff(vf, v, 64) > 0, "float storage kept full precision?");
    cr_assert_eq(qs_state_copy(f, &c), QS_OK);
    cr_assert_eq(qs_state_flags(c), QS_STATE_F32);
    cplx *vc = ref_read(c);
    cr_assert(ref_maxdiff(vc, vf, 64) == 0);
    cr_assert_eq(qs_state_assign(d, f), QS_OK);   /* float -> double */
    cplx *vd = ref_read(d);
    cr_assert(ref_maxdiff(vd, vf, 64) == 0);
    qs_state *small;
    qs_state_create(5, 0, &small);
    cr_assert_eq(qs_state_assign(small, d), QS_EINVAL);
    free(v);
    free(vf);
    free(vc);
    free(vd);
    qs_state_destroy(d);
    qs_state_destroy(f);
    qs_state_destroy(c);
    qs_state_destroy(small);
}

Test(state, inner_fidelity_scale_axpy)
{
    for (int f = 0; f < 2; f++) {
        unsigned fl = f ? QS_STATE_F32 : 0;
        qs_state *a, *b;
        qs_state_create(6, fl, &a);
        qs_state_create(6, fl, &b);
        cplx *x = ref_random_state(6, 1), *y = ref_random_state(6, 2);
        ref_load(a, x);
        ref_load(b, y);
        free(x);
        free(y);
        x = ref_read(a);
        y = ref_read(b);
        cplx ip = 0;
        for (int i = 0; i < 64; i++)
            ip += conj(x[i]) * y[i];
        double got[2], fid, tol = ref_tol(a);
        cr_assert_eq(qs_state_inner(a, b, got), QS_OK);
        cr_assert(cabs(got[0] + I * got[1] - ip) < tol);
        cr_assert_eq(qs_state_fidelity(a, b, &fid), QS_OK);
        cr_assert(fabs(fid - creal(ip * conj(ip))) < tol);
        double alpha[2] = {0.3, -0.7};
        cr_assert_eq(qs_state_axpy(a, alpha, b), QS_OK);
        cr_assert_eq(qs_state_scale(a, alpha), QS_OK);
        cplx al = 0.3 - 0.7 * I, *z = ref_read(a);
        for (int i = 0; i < 64; i++)
            cr_assert(cabs(z[i] - al * (x[i] + al * y[i])) < tol);
        double n2;
        qs_state_normalize(a);
        qs_state_norm2(a, &n2);
        cr_assert_float_eq(n2, 1, tol);
        cr_assert_eq(qs_state_apply_global_phase(b, 0.4), QS_OK);
        free(z);
        z = ref_read(b);
        for (int i = 0; i < 64; i++)
            cr_assert(cabs(z[i] - cexp(0.4 * I) * y[i]) < tol);
        free(x);
        free(y);
        free(z);
        qs_state_destroy(a);
        qs_state_destroy(b);
    }
}

Test(state, refused_before_allocating)
{
    qs_state *s = (qs_state *)1;
    cr_assert_eq(qs_state_create(QS_MAX_QUBITS, 0, &s), QS_ETOOBIG);
    cr_assert_null(s);
    cr_assert(strstr(qs_last_error(), "need ") && strstr(qs_last_error(), " GiB, have "), "%s",
              qs_last_error());
    /* With a limit the check uses it: 20 qubits need 16 MiB. */
    setenv("QSIM_MEMORY_LIMIT", "8M", 1);
    cr_assert_eq(qs_state_create(20, 0, &s), QS_ETOOBIG);
    cr_assert(strstr(qs_last_error(), "need 0.0156 GiB, have 0.00781 GiB"), "%s", qs_last_error());
    cr_assert_eq(qs_state_create(19, QS_STATE_F32, &s), QS_OK);   /* 4 MiB fits */
    qs_state_destroy(s);
    unsetenv("QSIM_MEMORY_LIMIT");
}

/* States given to one call must live on the same backend and precision
 * (the localiser's check): a mix is refused with a message, not run. */
Test(state, pairs_on_one_backend)
{
    qs_state *a, *b, *c;
    cr_assert_eq(qs_backend_select("cpu"), QS_OK);
    cr_assert_eq(qs_state_create(3, 0, &a), QS_OK);
    cr_assert_eq(qs_state_create(3, QS_STATE_F32, &c), QS_OK);
    double ip[2] = {0, 0};
    cr_assert_eq(qs_state_inner(a, c, ip), QS_EINVAL);
    cr_assert(strstr(qs_last_error(), "different precisions"), "%s", qs_last_error());
    cr_assert_eq(qs_state_assign(c, a), QS_OK);   /* copies convert precisions */
    int other = -1;
    for (int i = 0; qs_backend_name(i); i++)
        if (strcmp(qs_backend_name(i), "cpu") != 0 && qs_backend_available(i))
            other = i;
    if (other >= 0) {
        cr_assert_eq(qs_backend_select(qs_backend_name(other)), QS_OK);
        cr_assert_eq(qs_state_create(3, 0, &b), QS_OK);
        cr_assert_eq(qs_state_inner(a, b, ip), QS_EINVAL);
        cr_assert(strstr(qs_last_error(), "different backends"), "%s", qs_last_error());
        cr_assert_eq(qs_state_assign(b, a), QS_EINVAL);
        cr_assert_eq(qs_state_axpy(b, ip, a), QS_EINVAL);
        qs_state_destroy(b);
    } else {
        cr_log_warn("only the cpu backend runs here: the mixed-backend case is not exercised");
    }
    cr_assert_eq(qs_backend_select(NULL), QS_OK);
    qs_state_destroy(a);
    qs_state_destroy(c);
}

Test(state, versions_and_backends)
{
    cr_assert_eq(qs_version_number(), QS_VERSION_NUMBER);
    cr_assert_str_eq(qs_version(), "0.1.0");
    cr_assert_not_null(qs_backend_name(0));
    /* the default is QS_BACKEND when set, else the best one this CPU runs
     * (not the first compiled in: a CPU may lack AVX-512) */
    const char *forced = getenv("QS_BACKEND");
    int best = 0;
    while (qs_backend_name(best) && !qs_backend_available(best))
        best++;
    cr_assert_not_null(qs_backend_name(best));
    cr_assert_str_eq(qs_backend_default(), forced && *forced ? forced : qs_backend_name(best));
    cr_assert_eq(qs_backend_select("no-such"), QS_EINVAL);
    cr_assert_eq(qs_backend_select("cpu"), QS_OK);
    qs_state *s;
    qs_state_create(2, 0, &s);
    cr_assert_str_eq(qs_state_backend(s), "cpu");
    qs_state_destroy(s);
    cr_assert_eq(qs_set_num_threads(3), QS_OK);
    cr_assert_eq(qs_get_num_threads(), 3);
    cr_assert_eq(qs_set_num_threads(-1), QS_EINVAL);
    cr_assert_eq(qs_set_num_threads(0), QS_OK);
    cr_assert_gt(qs_get_num_threads(), 0);
}

/* Kernels flush subnormal numbers to zero (parfor.c: they cost a microcode
 * assist per operation, and an H layer from |+...+> in single precision
 * ran 7-10x slower on the residues) and leave the caller's floating-point
 * state as it was. */
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
Test(state, subnormals_flushed_and_caller_fp_state_kept)
{
    const unsigned mask = 0x8040u;   /* FTZ | DAZ */
    unsigned before = _mm_getcsr();
    cr_assert_eq(before & mask, 0u, "the test process starts without FTZ/DAZ");
    for (int f = 0; f < 2; f++) {
        for (int n = 1; n <= 16; n += 15) {
            qs_state *s;
            cr_assert_eq(qs_state_create(n, f ? QS_STATE_F32 : 0, &s), QS_OK);
            double tiny = f ? 1e-40 : 1e-310;   /* subnormal in each precision */
            double amp[4] = {0, 0, tiny, 0};
            cr_assert_eq(qs_state_set_amps(s, 0, 2, amp), QS_OK);
            int q = 0;
            cr_assert_eq(qs_state_apply_gate(s, QS_GATE_H, &q, NULL), QS_OK);
            /* control bits only: the low 6 are sticky exception flags */
            cr_assert_eq(_mm_getcsr() & ~0x3Fu, before & ~0x3Fu, "the caller's MXCSR is restored");
            cr_assert_eq(qs_state_get_amps(s, 0, 2, amp), QS_OK);
            for (int i = 0; i < 4; i++)
                cr_assert(amp[i] == 0, "n %d %s: amplitude part %d is %g, not flushed", n,
                          f ? "single" : "double", i, amp[i]);
            qs_state_destroy(s);
        }
    }
}
#endif
