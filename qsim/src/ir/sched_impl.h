/*
 * sched_impl.h - what scheduling (schedule.c) and fusion (fuse.c) share
 * while a program is compiled (internal to those two files).
 */
#ifndef QS_IR_SCHED_IMPL_H
#define QS_IR_SCHED_IMPL_H

#include "ir/fuse_cost.h"
#include "ir/program_impl.h"

/* What scheduling and fusion need to know of a step. */
typedef struct {
    uint64_t mask;    /* its qubits */
    int block;        /* can be in a segment */
    int fuse;         /* can be a member of a fused op */
    int kind;         /* as an op: QS__OP_* */
    int param;        /* uses parameters */
    double cost;      /* alone, per amplitude */
} sinfo;

/* The compile-time state. */
typedef struct {
    qs_program *p;
    const qs__cost_row *cost;   /* = &costrow */
    qs__cost_row costrow;       /* the rows in use when compiling began */
    sinfo *si;
    /* scheduling */
    int *head;          /* [nq]: next unscheduled step on each qubit, or -1 */
    int *nxt;           /* per (step, qubit of it): the next step on that qubit */
    int *noff;          /* [n+1]: offsets into nxt */
    int *need, *ready;
    int nready;
    /* fusion groups: member lists linked through link[] */
    int *link;
    size_t fcap;        /* doubles allocated in p->fdata */
    size_t nfdata;
    int nmembers;
} sched;

/* Cost per amplitude of an op of a kind on nt targets, by the row c. */
double qs__op_cost(const qs__cost_row *c, int kind, int nt);
/* Fuses the steps of segment sg (in schedule order) into forward ops. */
qs_status qs__fuse_segment(sched *w, qs__seg *sg);

#endif
