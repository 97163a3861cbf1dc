/*
 * noise_impl.h - density matrices, channels and noise models (internal to
 * qsim/src/noise/).  A density matrix of n qubits is a 2n-qubit state: the
 * vectorised rho, amplitude k + 2^n b = rho[k][b]; U rho U^dag is U on
 * qubits 0..n-1 and conj(U) on qubits n..2n-1.
 */
#ifndef QS_NOISE_IMPL_H
#define QS_NOISE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <qsim/qsim.h>

struct qs_density {
    qs_state *s;   /* 2n qubits */
    int n;
    int f32;
};

/* The superoperator of a Kraus set on k qubits (no checks), see
 * qs_kraus_superop(). */
void qs__superop(int k, int nops, const double *ops, double *out);

/* How conj(U) of gate g is written: as gate *cg with the parameters whose
 * bit is set in *negmask negated (returns 1), or only as a matrix
 * (returns 0). */
int qs__gate_conj(int g, int *cg, unsigned *negmask);

/* Applies the superoperator of a Kraus set (checked by the caller) to the
 * 2n-qubit state of rho. */
qs_status qs__density_kraus(qs_density *rho, const int *qubits, int k, int nops,
                            const double *ops);

/* Samples one Kraus operator of a set with probability ||K_i psi||^2 and
 * applies it, renormalised, to psi; u is a uniform draw in [0, 1); work
 * is a scratch state of psi's size. */
qs_status qs__kraus_sample(qs_state *psi, qs_state *work, const int *qubits, int k,
                           int nops, const double *ops, double u);

/* Appends a channel operation (Kraus set checked by the caller) to c. */
qs_status qs__circ_push_channel(const char *f, qs_circuit *c, int kind, const int *qubits, int k,
                               int nops, const double *ops);

#endif
