/*
 * ref.h - the plain reference the kernels are tested against: operators as
 * full 2^n x 2^n matrices built naively, applied by matrix-vector products,
 * plus random states and comparisons.  Shares no code with the library.
 */
#ifndef QS_TESTS_REF_H
#define QS_TESTS_REF_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>
#include <qsim/qsim.h>

typedef double complex cplx;

/* The full matrix of a k-qubit operator M (row-major, bit j of its index =
 * qubit q[j]) acting when (i & cmask) == cval, identity elsewhere. */
cplx *ref_full(int n, const int *q, int k, const cplx *M, uint64_t cmask, uint64_t cval);
/* The full matrix of a Pauli string given as letters on qubits, built by
 * Kronecker products of 2x2 matrices. */
cplx *ref_pauli(int n, const int *q, const char *letters, int k);
/* psi <- A psi for a full 2^n x 2^n matrix. */
void ref_matvec(int n, const cplx *A, cplx *psi);
/* A <- A B, all 2^n x 2^n. */
void ref_matmul(int n, cplx *A, const cplx *B);

/* A random normalised vector of 2^n amplitudes from a simple seeded
 * generator (xorshift + Box-Muller), independent of the library's. */
cplx *ref_random_state(int n, uint64_t seed);
/* A random unitary 2^k x 2^k (Gram-Schmidt of a random complex matrix). */
cplx *ref_random_unitary(int k, uint64_t seed);
double ref_uniform(uint64_t *s);

/* Loads psi into s / reads s into a new vector. */
void ref_load(qs_state *s, const cplx *psi);
cplx *ref_read(const qs_state *s);
/* max_i |a_i - b_i| */
double ref_maxdiff(const cplx *a, const cplx *b, uint64_t len);
/* max_i |a_i - b_i| over the amplitudes of two states of one size. */
double ref_state_diff(const qs_state *a, const qs_state *b);
/* max_i |a_i - e^{i phi} b_i| with phi aligning the largest entry. */
double ref_maxdiff_phase(const cplx *a, const cplx *b, uint64_t len);
/* Tolerance for a state's precision. */
double ref_tol(const qs_state *s);

/* Path of a file under ../shared (relative to the source tree); a test
 * that needs a missing file fails with a message naming it. */
const char *ref_shared(const char *rel);

#endif
