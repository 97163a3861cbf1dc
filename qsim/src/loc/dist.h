/*
 * dist.h - states distributed over the ranks of an MPI communicator
 * (internal; the localiser, loc.c, is the only caller).
 *
 * 2^k ranks hold a state of nq qubits: each rank a slice of 2^nl
 * amplitudes, nl = nq - k.  Logical qubit q sits at physical bit pos[q];
 * physical bits [0, nl) index the slice, bits [nl, nq) are global: a rank
 * holds the amplitudes whose global physical bits equal its label G (the
 * labels are a permutation of the ranks: X and CNOT on global qubits
 * relabel ranks instead of moving data).  Both maps change lazily, and are
 * changed identically on every rank, since every call on a distributed
 * state is collective.
 *
 * Without MPI no distributed state can exist; the calls below are then
 * never reached, and compile to QS_EINTERNAL.
 */
#ifndef QS_LOC_DIST_H
#define QS_LOC_DIST_H

#include "loc/loc.h"

/* Fewest local qubits a rank may hold: a dense op on QS_MAX_TARGETS
 * qubits plus a control must fit in a slice. */
#define QS__DIST_MIN_LOCAL (QS_MAX_TARGETS + 1)

#ifdef QS_HAVE_MPI
qs_status qs__dist_create(const char *func, int nq, unsigned flags, const void *comm,
                          qs_state **out);
qs_status qs__dist_create_like(const char *func, const qs_state *like, qs_state **out);
void qs__dist_free(qs_state *s);
int qs__dist_ranks(const qs_state *s);
qs_status qs__dist_same(const char *func, const qs_state *a, const qs_state *b);
qs_status qs__dist_stats(const qs_state *s, uint64_t *stats);

qs_status qs__dist_apply(qs_state *s, const qs__op *op);
qs_status qs__dist_axpy(qs_state *y, const double alpha[2], const qs_state *x);
qs_status qs__dist_diag_real(qs_state *s, const double *values, int k, double t,
                             const double c[2], int times_value);
qs_status qs__dist_qft(qs_state *s, int first, int count, int inv);
qs_status qs__dist_set_basis(qs_state *s, uint64_t index);
qs_status qs__dist_set_const(qs_state *s, const double v[2]);
qs_status qs__dist_copy(qs_state *dst, const qs_state *src);
qs_status qs__dist_get_amps(const qs_state *s, uint64_t first, uint64_t count, double *re_im);
qs_status qs__dist_set_amps(qs_state *s, uint64_t first, uint64_t count, const double *re_im);
qs_status qs__dist_norm2(const qs_state *s, double *out);
qs_status qs__dist_inner(const qs_state *bra, const qs_state *ket, double out[2]);
qs_status qs__dist_prob_mask(const qs_state *s, uint64_t mask, uint64_t val, double *out);
qs_status qs__dist_probs(const qs_state *s, double *out);
qs_status qs__dist_marginal(const qs_state *s, const int *qubits, int k, double *out);
qs_status qs__dist_expect(const qs_state *s, const qs__pgroups *g, double *out);
qs_status qs__dist_expect_diag_real(const qs_state *s, const double *values, int k,
                                    double *out);
qs_status qs__dist_apply_pgroups(const qs_state *in, qs_state *out, const qs__pgroups *g);
qs_status qs__dist_sample_sorted(const qs_state *s, const double *u, size_t n, uint64_t *idx,
                                 double *total);
qs_status qs__dist_collapse(qs_state *s, uint64_t mask, uint64_t val, double scale);
qs_status qs__dist_sum(const qs_state *s, double *v, size_t n);
qs_status qs__dist_agree_state(const qs_state *s, qs_status st);
void qs__dist_hint(qs_state *s, uint64_t soon);
void qs__dist_future(qs_state *s, const uint64_t *first, size_t stride, size_t n);
int qs__dist_blocking(qs_state *const *states, int nstates, uint64_t used, qs__blocking *b,
                      qs_status *st);
#else
#define qs__dist_create(...) (QS_EINTERNAL)
#define qs__dist_create_like(...) (QS_EINTERNAL)
#define qs__dist_free(...) ((void)0)
#define qs__dist_ranks(...) 1
#define qs__dist_same(...) (QS_OK)
#define qs__dist_stats(...) (QS_EINTERNAL)
#define qs__dist_apply(...) (QS_EINTERNAL)
#define qs__dist_axpy(...) (QS_EINTERNAL)
#define qs__dist_diag_real(...) (QS_EINTERNAL)
#define qs__dist_qft(...) (QS_EINTERNAL)
#define qs__dist_set_basis(...) (QS_EINTERNAL)
#define qs__dist_set_const(...) (QS_EINTERNAL)
#define qs__dist_copy(...) (QS_EINTERNAL)
#define qs__dist_get_amps(...) (QS_EINTERNAL)
#define qs__dist_set_amps(...) (QS_EINTERNAL)
#define qs__dist_norm2(...) (QS_EINTERNAL)
#define qs__dist_inner(...) (QS_EINTERNAL)
#define qs__dist_prob_mask(...) (QS_EINTERNAL)
#define qs__dist_probs(...) (QS_EINTERNAL)
#define qs__dist_marginal(...) (QS_EINTERNAL)
#define qs__dist_expect(...) (QS_EINTERNAL)
#define qs__dist_expect_diag_real(...) (QS_EINTERNAL)
#define qs__dist_apply_pgroups(...) (QS_EINTERNAL)
#define qs__dist_sample_sorted(...) (QS_EINTERNAL)
#define qs__dist_collapse(...) (QS_EINTERNAL)
#define qs__dist_sum(...) (QS_EINTERNAL)
#define qs__dist_agree_state(...) (QS_EINTERNAL)
#define qs__dist_blocking(...) 0
#define qs__dist_hint(...) ((void)0)
#define qs__dist_future(...) ((void)0)
#endif

#endif
