/*
 * loc.h - the localiser: the distribution layer between the IR and the
 * kernels (internal; the name is QuEST v4's).
 *
 * Everything above it (api/, ir/, exact/, and through the public API the
 * QASM reader, the hybrid layer, the CLI and Python) works on whole
 * states: qubit numbers are those of the circuit, indices those of the
 * full 2^nq basis.  The localiser knows where the amplitudes live.  For a
 * state held by one process it forwards each operation to the kernels of
 * the state's backend (backend.h).  A distributed state (dist.h) keeps its
 * highest qubits as the rank index; the localiser then turns an operation
 * into kernel calls on this rank's slice plus the communication it needs
 * (exchanges for gates on global qubits, reductions for sums), so that
 * every rank returns the result one process would.
 *
 * Every operation returns a status: a kernel or an exchange can fail.
 * Two states given to one call must come from qs__loc_same().
 */
#ifndef QS_LOC_LOC_H
#define QS_LOC_LOC_H

#include "backend/blocked.h"
#include "core/rng.h"
#include "loc/state.h"

/* Creation: a state of nq qubits in |0>, after the memory check;
 * distributed over the ranks of comm (an MPI_Comm *, NULL for
 * MPI_COMM_WORLD) with QS_STATE_DISTRIBUTED.  _like: the same size,
 * precision and distribution as `like`. */
qs_status qs__loc_create(const char *func, int nq, unsigned flags, const void *comm,
                         qs_state **out);
qs_status qs__loc_create_like(const char *func, const qs_state *like, qs_state **out);
void qs__loc_destroy(qs_state *s);
/* Ranks holding the state (1 unless distributed) and its communication
 * counters: bytes sent by this rank, qubit swaps, rank relabellings,
 * exchanges. */
int qs__loc_ranks(const qs_state *s);
qs_status qs__loc_stats(const qs_state *s, uint64_t stats[4]);
/* QS_OK when a and b can be given to one call: the same number of qubits,
 * backend and distribution, and precision unless any_precision (copies
 * convert); else the reason, for func. */
qs_status qs__loc_same(const char *func, const qs_state *a, const qs_state *b,
                       int any_precision);

/* Gates and scalars. */
qs_status qs__loc_apply(qs_state *s, const qs__op *op);
qs_status qs__loc_scale(qs_state *s, const double alpha[2]);
qs_status qs__loc_axpy(qs_state *y, const double alpha[2], const qs_state *x);
/* psi_i <- c * v^p * e^{-i t v} psi_i, v = values[i mod 2^k] (backend.h). */
qs_status qs__loc_diag_real(qs_state *s, const double *values, int k, double t,
                            const double c[2], int times_value);
/* In-place QFT on qubits [first, first+count); inverse if inv. */
qs_status qs__loc_qft(const char *func, qs_state *s, int first, int count, int inv);

/* Setting, copying, reading.  Indices are those of the whole state. */
qs_status qs__loc_set_basis(qs_state *s, uint64_t index);
qs_status qs__loc_set_const(qs_state *s, const double v[2]);
qs_status qs__loc_copy(qs_state *dst, const qs_state *src);
qs_status qs__loc_get_amps(const qs_state *s, uint64_t first, uint64_t count, double *re_im);
qs_status qs__loc_set_amps(qs_state *s, uint64_t first, uint64_t count, const double *re_im);

/* Reductions, summed in an order fixed by the state's size (and rank
 * count): the same bits for any thread count, run after run. */
qs_status qs__loc_norm2(const qs_state *s, double *out);
qs_status qs__loc_inner(const qs_state *bra, const qs_state *ket, double out[2]);
qs_status qs__loc_prob_mask(const qs_state *s, uint64_t mask, uint64_t val, double *out);
qs_status qs__loc_probs(const qs_state *s, double *out);
qs_status qs__loc_marginal(const qs_state *s, const int *qubits, int k, double *out);
qs_status qs__loc_expect(const qs_state *s, const qs__pgroups *g, double *out);
qs_status qs__loc_expect_diag_real(const qs_state *s, const double *values, int k, double *out);
/* v[0..n) <- its sum over the ranks of s, in rank order (nothing to do
 * for a one-process state): for sums a caller formed from blocks. */
qs_status qs__loc_sum(const qs_state *s, double *v, size_t n);
/* st, made the same on every rank of a distributed state (the lowest
 * failing rank's status and message): call it after a step that can fail
 * on one rank alone (an allocation) and before the next call on s, so
 * that no rank waits in a collective that a failed one never enters.
 * Collective; st itself for a state of one process. */
qs_status qs__loc_agree(const qs_state *s, qs_status st);
/* out <- sum of the groups applied to in (backend.h). */
qs_status qs__loc_apply_pgroups(const qs_state *in, qs_state *out, const qs__pgroups *g);
/* u sorted ascending in [0, *total): see backend.h's sample_sorted; *total
 * gets the total probability seen. */
qs_status qs__loc_sample_sorted(const qs_state *s, const double *u, size_t n, uint64_t *idx,
                                double *total);

/* Measurement (measure.c): zeroes the amplitudes with (i & mask) != val
 * and scales the others; draws an outcome of the k qubits from rng and
 * collapses onto it (*prob: its probability); the same, then brings the
 * qubits to |0>.  Every rank of a distributed state draws the same
 * outcome. */
qs_status qs__loc_collapse(qs_state *s, uint64_t mask, uint64_t val, double scale);
qs_status qs__loc_measure(const char *func, qs_state *s, const int *qubits, int k, qs_rng *rng,
                          uint64_t *outcome, double *prob);
qs_status qs__loc_reset(const char *func, qs_state *s, const int *qubits, int k, qs_rng *rng);

/* Cache-blocked runs over the states states[0..nstates) (from
 * qs__loc_same): sets up b so that blocks hold the qubits of `used`
 * (circuit numbering; b->map renumbers ops to a block's inner qubits,
 * qs__op_relabel), making them local first on a distributed state (the
 * swaps between segments).  *blocked = 0 when there is nothing to block
 * (a slice no larger than a block): the caller then applies its ops with
 * qs__loc_apply. */
qs_status qs__loc_blocking(qs_state *const *states, int nstates, uint64_t used, qs__blocking *b,
                           int *blocked);
/* A hint: the qubits (circuit numbering) the operations after the next
 * ones will need.  When a distributed state must move a qubit out of its
 * local bits, it picks one not in `soon` if it can, so that fewer swaps
 * follow (the schedule's lookahead).  Nothing for a one-process state. */
void qs__loc_hint(qs_state *s, uint64_t soon);
/* The rest of a program, for choosing which qubit a distributed state
 * sends out when it must make another local: n masks of qubits (circuit
 * numbering), one per coming segment in order, the current one first, at
 * first, first + stride bytes, ...  The qubit whose next use lies furthest
 * ahead goes (Belady).  Valid until cleared by (s, NULL, 0, 0), which the
 * caller does before the masks may go away. */
void qs__loc_future(qs_state *s, const uint64_t *first, size_t stride, size_t n);
/* Bytes of scratch a blocked run needs. */
size_t qs__loc_blocked_scratch(const qs_state *s, const qs__blocking *b, int nstates,
                               int nextra);
/* Runs fn on every block (backend.h's blocked_run); the first failing
 * call's status is returned. */
qs_status qs__loc_blocked_run(qs_state *const *states, int nstates, int nextra,
                              const qs__blocking *b, void *scratch, qs__block_fn fn, void *ctx);

#endif
