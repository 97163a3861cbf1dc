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

/* States in a workspace slot of an objective: one per batch thread. */
#define QH__WS_STATES 3

struct qh_objective {
    qs_program *prog;
    qs_pauli_sum *h;     /* the observable, or NULL ... */
    double *diag;        /* ... the diagonal's 2^nq values */
    int nq, np;
    int threads, method;
    double fd_step;
    qs_state **ws;       /* nslots * QH__WS_STATES states, made on demand */
    unsigned char **bits;/* per slot: the classical bits runs need (nc bytes) */
    int nslots, nc;
    int dm;              /* 1: noisy; the states hold vectorised density matrices (2 nq qubits) */
};

/* objective.c */
/* The states of slot t (allocated on first use). */
qs_status qh__objective_slot(qh_objective *o, int t, qs_state ***states);
/* s <- U(params)|0>, with the classical bits of slot t. */
qs_status qh__objective_run(qh_objective *o, const double *params, int t, qs_state *s);
/* <s|O|s>. */
qs_status qh__objective_expect(const qh_objective *o, const qs_state *s, double *value);
/* out <- O in. */
qs_status qh__objective_apply(const qh_objective *o, const qs_state *in, qs_state *out);

/* grad/: one gradient with the states of slot t. */
qs_status qh__grad_shift(qh_objective *o, const double *params, int t, double *value,
                         double *grad);
qs_status qh__grad_fd(qh_objective *o, const double *params, int t, double *value,
                      double *grad);

/* Euclidean norm of n values, summed in order. */
double qh__norm(const double *v, size_t n);

#endif
