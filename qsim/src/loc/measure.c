/*
 * measure.c - measurement with collapse and reset on a state (loc.h).
 * The outcome is drawn from the caller's generator after one marginal
 * pass; every process of a distributed state computes the same marginal
 * (a reduction in a fixed order) and draws the same outcome from the same
 * seeded stream, so all ranks collapse onto one outcome.
 */
#include "loc/loc.h"
#include "core/bits.h"
#include "core/error.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

/* Marginals above this many qubits are measured qubit by qubit instead. */
#define MAX_MARGINAL_QUBITS 16

/* Projects onto outcome (bit j = qubits[j]) of probability p > 0. */
static qs_status project(qs_state *s, const int *qubits, int k, uint64_t outcome, double p)
{
    uint64_t mask = 0, val = qs__scatter_bits(outcome, qubits, k);
    for (int j = 0; j < k; j++)
        mask |= UINT64_C(1) << qubits[j];
    return qs__loc_collapse(s, mask, val, 1.0 / sqrt(p));
}

qs_status qs__loc_measure(const char *func, qs_state *s, const int *qubits, int k, qs_rng *rng,
                          uint64_t *outcome, double *prob)
{
    gsl_rng *r = qs__rng_gsl(rng);
    double u = gsl_rng_uniform(r), p, total = 0;
    uint64_t o = 0;
    if (k > MAX_MARGINAL_QUBITS) {
        /* Qubit by qubit: the same distribution, without a 2^k table. */
        double pall = 1;
        for (int j = 0; j < k; j++) {
            uint64_t bit;
            double pj;
            QS_TRY(qs__loc_measure(func, s, qubits + j, 1, rng, &bit, &pj));
            o |= bit << j;
            pall *= pj;
        }
        *outcome = o;
        if (prob)
            *prob = pall;
        return QS_OK;
    }
    size_t d = (size_t)1 << k;
    double small[256];   /* no allocation for the common small k */
    double *marg = small;
    if (d > 256) {   /* the same test on every rank of a distributed state */
        marg = malloc(d * sizeof *marg);
        qs_status ok = qs__loc_agree(s, marg ? QS_OK : qs__fail(QS_ENOMEM, func, "out of memory"));
        if (ok != QS_OK) {
            free(marg);
            return ok;
        }
    }
    qs_status st = qs__loc_marginal(s, qubits, k, marg);   /* one read pass */
    if (st != QS_OK) {
        if (marg != small)
            free(marg);
        return st;
    }
    double cum = 0;
    for (size_t i = 0; i < d; i++)
        total += marg[i];
    size_t last = 0;
    o = d;
    for (size_t i = 0; i < d; i++) {
        if (marg[i] > 0)
            last = i;
        cum += marg[i];
        if (o == d && u * total < cum && marg[i] > 0)
            o = i;
    }
    if (o == d)
        o = last;
    p = marg[o];
    if (marg != small)
        free(marg);
    if (!(p > 0))
        return qs__fail(QS_EINVAL, func, "the state has norm 0");
    QS_TRY(project(s, qubits, k, o, p));
    *outcome = o;
    if (prob)
        *prob = p / total;
    return QS_OK;
}

qs_status qs__loc_reset(const char *func, qs_state *s, const int *qubits, int k, qs_rng *rng)
{
    uint64_t o;
    QS_TRY(qs__loc_measure(func, s, qubits, k, rng, &o, NULL));
    /* Flip the qubits found in |1>: after the collapse they are all in a
     * basis state, so one X each brings them to |0>. */
    for (int j = 0; j < k; j++)
        if ((o >> j) & 1) {
            qs__op op = {.kind = QS__OP_PERM, .nt = 1, .targets = {qubits[j]}, .perm = {1, 0}};
            QS_TRY(qs__loc_apply(s, &op));
        }
    return QS_OK;
}
