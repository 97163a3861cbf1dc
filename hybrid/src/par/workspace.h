/*
 * workspace.h - per-thread slots of states and buffers, shared by the
 * objective, the classifier and the kernel: one slot per thread that runs
 * items (par.h), made before the threads start and kept, so repeated
 * evaluations allocate nothing.
 */
#ifndef QH_WORKSPACE_H
#define QH_WORKSPACE_H

#include <stddef.h>
#include <qsim/qsim.h>

#define QH__SLOT_STATES 3
#define QH__SLOT_BUFS 3

typedef struct qh__slot {
    qs_state *s[QH__SLOT_STATES];
    double *buf[QH__SLOT_BUFS];
    unsigned char *bits;      /* classical bits of program runs */
} qh__slot;

typedef struct qh__ws {
    int nq, nstates;          /* each slot: nstates states of nq qubits */
    size_t len[QH__SLOT_BUFS];/* doubles per buffer (0: none) */
    size_t nbits;
    qh__slot *slots;
    int nslots;
} qh__ws;

/* Describes the slots; allocates nothing. */
void qh__ws_init(qh__ws *w, int nq, int nstates, size_t nbits, size_t len0, size_t len1,
                 size_t len2);
/* Makes slots 0..T-1 ready.  Not thread-safe: call before threads start. */
qs_status qh__ws_reserve(qh__ws *w, int T);
/* Slot t, reserved before. */
static inline qh__slot *qh__ws_slot(qh__ws *w, int t) { return &w->slots[t]; }
void qh__ws_free(qh__ws *w);

#endif
