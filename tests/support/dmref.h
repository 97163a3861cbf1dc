/*
 * dmref.h - dense density matrices for the noise tests: rho as a full
 * 2^n x 2^n complex matrix, channels applied naively as sum_i K_i rho
 * K_i^dag with each K_i embedded in the full space, and the textbook Kraus
 * sets of the named channels written out here.  Shares no code with the
 * library.
 */
#ifndef QS_TESTS_DMREF_H
#define QS_TESTS_DMREF_H

#include "ref.h"

/* A random density matrix of rank r: A A^dag / Tr, A 2^n x r random. */
cplx *dm_random(int n, int r, uint64_t seed);
/* rho <- U rho U^dag for a k-qubit U on qubits q (full-matrix products). */
void dm_unitary(int n, cplx *rho, const int *q, int k, const cplx *U);
/* rho <- sum_i K_i rho K_i^dag for nops k-qubit Kraus matrices. */
void dm_kraus(int n, cplx *rho, const int *q, int k, int nops, const cplx *K);
/* The textbook Kraus set of a named channel (QS_CHANNEL_*): returns the
 * count and fills K (room for 16 operators of 4x4), *k the qubit count. */
int dm_channel_kraus(int kind, const double *p, int *k, cplx *K);
/* Loads rho into / reads rho from a qs_density. */
void dm_load(qs_density *d, const cplx *rho);
cplx *dm_read(const qs_density *d);
/* Tr(rho A) for a full matrix A. */
cplx dm_trace_prod(int n, const cplx *rho, const cplx *A);

#endif
