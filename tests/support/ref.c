/* ref.c - the naive dense reference used by the tests (see ref.h). */
#include "ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t bit_at(uint64_t x, int p) { return (x >> p) & 1u; }

cplx *ref_full(int n, const int *q, int k, const cplx *M, uint64_t cmask, uint64_t cval)
{
    uint64_t D = UINT64_C(1) << n, qmask = 0;
    for (int j = 0; j < k; j++)
        qmask |= UINT64_C(1) << q[j];
    cplx *A = calloc(D * D, sizeof *A);
    for (uint64_t r = 0; r < D; r++)
        for (uint64_t c = 0; c < D; c++) {
            int active = (r & cmask) == cval && (c & cmask) == cval;
            if (!active) {
                A[r * D + c] = r == c;
                continue;
            }
            if ((r & ~qmask) != (c & ~qmask))
                continue;
            uint64_t mr = 0, mc = 0;
            for (int j = 0; j < k; j++) {
                mr |= bit_at(r, q[j]) << j;
                mc |= bit_at(c, q[j]) << j;
            }
            A[r * D + c] = M[mr * (UINT64_C(1) << k) + mc];
        }
    return A;
}

cplx *ref_pauli(int n, const int *q, const char *letters, int k)
{
    /* Kronecker product from qubit n-1 (most significant) down to 0. */
    static const cplx I2[4] = {1, 0, 0, 1}, X[4] = {0, 1, 1, 0}, Y[4] = {0, -I, I, 0},
                      Z[4] = {1, 0, 0, -1};
    uint64_t D = UINT64_C(1) << n;
    cplx *A = calloc(D * D, sizeof *A), *B = calloc(D * D, sizeof *B);
    A[0] = 1;
    uint64_t d = 1;
    for (int qb = n - 1; qb >= 0; qb--) {
        const cplx *P = I2;
        for (int j = 0; j < k; j++)
            if (q[j] == qb)
                P = letters[j] == 'X' ? X : letters[j] == 'Y' ? Y : letters[j] == 'Z' ? Z : I2;
        /* B = A (x) P, dimension 2d */
        for (uint64_t r = 0; r < 2 * d; r++)
            for (uint64_t c = 0; c < 2 * d; c++)
                B[r * 2 * d + c] = A[(r / 2) * d + c / 2] * P[(r % 2) * 2 + c % 2];
        d *= 2;
        memcpy(A, B, sizeof *A * d * d);
    }
    free(B);
    return A;
}

void ref_matvec(int n, const cplx *A, cplx *psi)
{
    uint64_t D = UINT64_C(1) << n;
    cplx *out = calloc(D, sizeof *out);
    for (uint64_t r = 0; r < D; r++)
        for (uint64_t c = 0; c < D; c++)
            out[r] += A[r * D + c] * psi[c];
    memcpy(psi, out, sizeof *out * D);
    free(out);
}

void ref_matmul(int n, cplx *A, const cplx *B)
{
    uint64_t D = UINT64_C(1) << n;
    cplx *C = calloc(D * D, sizeof *C);
    for (uint64_t r = 0; r < D; r++)
        for (uint64_t k = 0; k < D; k++)
            for (uint64_t c = 0; c < D; c++)
                C[r * D + c] += A[r * D + k] * B[k * D + c];
    memcpy(A, C, sizeof *C * D * D);
    free(C);
}

double ref_uniform(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return ((*s >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double gauss(uint64_t *s)
{
    double u = ref_uniform(s), v = ref_uniform(s);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

cplx *ref_random_state(int n, uint64_t seed)
{
    uint64_t D = UINT64_C(1) << n, s = seed * 0x9E3779B97F4A7C15ull + 1;
    cplx *psi = malloc(sizeof *psi * D);
    double norm = 0;
    for (uint64_t i = 0; i < D; i++) {
        psi[i] = gauss(&s) + I * gauss(&s);
        norm += creal(psi[i] * conj(psi[i]));
    }
    for (uint64_t i = 0; i < D; i++)
        psi[i] /= sqrt(norm);
    return psi;
}

cplx *ref_random_unitary(int k, uint64_t seed)
{
    int d = 1 << k;
    uint64_t s = seed * 0xD1B54A32D192ED03ull + 7;
    cplx *U = malloc(sizeof *U * (size_t)(d * d));
    for (int i = 0; i < d * d; i++)
        U[i] = gauss(&s) + I * gauss(&s);
    /* Gram-Schmidt on the columns. */
    for (int c = 0; c < d; c++) {
        for (int p = 0; p < c; p++) {
            cplx dot = 0;
            for (int r = 0; r < d; r++)
                dot += conj(U[r * d + p]) * U[r * d + c];
            for (int r = 0; r < d; r++)
                U[r * d + c] -= dot * U[r * d + p];
        }
        double nrm = 0;
        for (int r = 0; r < d; r++)
            nrm += creal(U[r * d + c] * conj(U[r * d + c]));
        for (int r = 0; r < d; r++)
            U[r * d + c] /= sqrt(nrm);
    }
    return U;
}

void ref_load(qs_state *s, const cplx *psi)
{
    int n = qs_state_num_qubits(s);
    cr_assert_eq(qs_state_set_amps(s, 0, UINT64_C(1) << n, (const double *)psi), QS_OK);
}

cplx *ref_read(const qs_state *s)
{
    uint64_t D = UINT64_C(1) << qs_state_num_qubits(s);
    cplx *psi = malloc(sizeof *psi * D);
    cr_assert_eq(qs_state_get_amps(s, 0, D, (double *)psi), QS_OK);
    return psi;
}

double ref_state_diff(const qs_state *a, const qs_state *b)
{
    cplx *x = ref_read(a), *y = ref_read(b);
    double d = ref_maxdiff(x, y, UINT64_C(1) << qs_state_num_qubits(a));
    free(x);
    free(y);
    return d;
}

double ref_maxdiff(const cplx *a, const cplx *b, uint64_t len)
{
    double m = 0;
    for (uint64_t i = 0; i < len; i++)
        m = fmax(m, cabs(a[i] - b[i]));
    return m;
}

double ref_maxdiff_phase(const cplx *a, const cplx *b, uint64_t len)
{
    uint64_t big = 0;
    for (uint64_t i = 0; i < len; i++)
        if (cabs(b[i]) > cabs(b[big]))
            big = i;
    cplx ph = cabs(b[big]) > 0 && cabs(a[big]) > 0 ? (a[big] / b[big]) / cabs(a[big] / b[big]) : 1;
    double m = 0;
    for (uint64_t i = 0; i < len; i++)
        m = fmax(m, cabs(a[i] - ph * b[i]));
    return m;
}

double ref_tol(const qs_state *s)
{
    return (qs_state_flags(s) & QS_STATE_F32) ? 2e-5 : 1e-12;
}

const char *ref_shared(const char *rel)
{
    static char path[4096];
    const char *top = getenv("QSIM_SHARED_DIR");
    snprintf(path, sizeof path, "%s/%s", top ? top : QS_TEST_SHARED_DIR, rel);
    cr_assert(access(path, R_OK) == 0,
              "missing shared file %s (set QSIM_SHARED_DIR to the shared/ folder)", path);
    return path;
}
