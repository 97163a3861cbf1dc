/*
 * hybrid_impl.h - shared internals of libqsimhybrid (never installed).
 *
 * The hybrid layer reaches the simulator only through <qsim/qsim.h>; its
 * errors go through qs_set_error(), so qs_last_error() reports them like
 * the core's.  Functions shared across files start with qh__.
 */
#ifndef QH_HYBRID_IMPL_H
#define QH_HYBRID_IMPL_H

#include <qsim/hybrid.h>

#include "par/workspace.h"

#include <stddef.h>
#include <stdint.h>

#define QH_FAIL(st, ...) qs_set_error((st), __func__, __VA_ARGS__)

/* Propagates a non-OK status (its message is already set). */
#define QH_TRY(expr)                                                         \
    do {                                                                     \
        qs_status qh__st = (expr);                                           \
        if (qh__st != QS_OK)                                                 \
            return qh__st;                                                   \
    } while (0)

#define QH_CHECK_NULL(p)                                                     \
    do {                                                                     \
        if (!(p))                                                            \
            return QH_FAIL(QS_EINVAL, "%s is NULL", #p);                     \
    } while (0)

struct qh_objective {
    qs_program *prog;
    qs_pauli_sum *h;     /* the observable, or NULL ... */
    double *diag;        /* ... the diagonal's 2^nq values */
    int nq, np;
    int threads, method;
    double fd_step;
    qh__ws ws;           /* per thread: 3 states and the classical bits */
    int nc;
    int dm;              /* 1: noisy; the states hold vectorised density matrices (2 nq qubits) */
    size_t shots;        /* > 0: values estimated from this many shots (shots.c) */
    uint64_t shot_seed;
    qs_circuit *noisy;   /* noisy objectives: the circuit with the model's errors */
    size_t traj;         /* > 0: values are means over this many trajectories */
    uint64_t traj_seed;
};

/* objective.c */
/* Slot 0 of the objective's workspace (made on first use). */
qs_status qh__objective_slot0(qh_objective *o, qh__slot **w);
/* s <- U(params)|0>, with the classical bits of slot w. */
qs_status qh__objective_run(qh_objective *o, const double *params, qh__slot *w, qs_state *s);
/* E(params) into *value, and its standard error into *se (may be NULL; 0
 * when exact), in slot w: a run and an expectation, or for trajectory
 * objectives the mean over o->traj trajectories. */
qs_status qh__objective_value(qh_objective *o, const double *params, qh__slot *w, double *value,
                              double *se);
/* <s|O|s>. */
qs_status qh__objective_expect(const qh_objective *o, const qs_state *s, double *value);
/* <O> estimated from o->shots samples of s (shots.c). */
qs_status qh__objective_estimate(const qh_objective *o, const qs_state *s, double *value);
/* shots basis states of nq qubits drawn from s (a pure state, or with dm
 * a vectorised rho of 2 nq qubits) by a generator seeded from seed and a
 * hash of s's amplitudes: the same draws for the same state (shots.c). */
qs_status qh__sample(const qs_state *s, int nq, int dm, size_t shots, uint64_t seed,
                     uint64_t *out);
/* out <- O in. */
qs_status qh__objective_apply(const qh_objective *o, const qs_state *in, qs_state *out);

/* grad/: one gradient in slot w (reserved), its evaluations spread over
 * the ranks when `spread` (a call of its own, not an item of a batch). */
qs_status qh__grad_shift(qh_objective *o, const double *params, qh__slot *w, int spread,
                         double *value, double *grad);
/* Parameter shift on any program: the gradient of expect(final state)
 * with respect to the program's np parameters, in one process (a row of a
 * batch); prefix and s are states of the program's size.  Leaves prefix
 * holding the final state. */
typedef struct {
    const qs_program *prog;
    size_t np;
    qs_status (*expect)(void *ctx, const qs_state *s, double *value);
    void *ctx;
} qh__shift;
qs_status qh__shift_gradient(const qh__shift *sh, const double *params, qs_state *prefix,
                             qs_state *s, double *grad);
qs_status qh__grad_fd(qh_objective *o, const double *params, qh__slot *w, int spread,
                      double *value, double *grad);

/* Euclidean norm of n values, summed in order. */
double qh__norm(const double *v, size_t n);

#endif
