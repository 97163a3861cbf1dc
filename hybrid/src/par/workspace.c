/*
 * workspace.c - per-thread slots of states and buffers, made on first use
 * and kept, so that repeated evaluations allocate nothing.  The objective,
 * the classifier and the kernel each keep one (see par.h).
 */
#include "par/par.h"

#include <stdlib.h>
#include <string.h>

void qh__ws_init(qh__ws *w, int nq, int nstates, size_t nbits, size_t len0, size_t len1,
                 size_t len2)
{
    memset(w, 0, sizeof *w);
    w->nq = nq;
    w->nstates = nstates;
    w->nbits = nbits;
    w->len[0] = len0;
    w->len[1] = len1;
    w->len[2] = len2;
    w->dist = -1;
}

/* Distributed or not, on every rank alike (a collective when P > 1). */
static qs_status decide(qh__ws *w)
{
    const char *e = getenv("QSIM_DISTRIBUTED");
    int want = e && *e && strcmp(e, "0") != 0;
    if (!want && qh_comm_size() > 1 && w->nstates > 0) {
        /* by size: a state some rank cannot hold */
        if (w->nslots == 0)
            QH_TRY(qh__ws_reserve_slots(w, 1));
        qh__slot *s = &w->slots[0];
        qs_status st = s->s[0] ? QS_OK : qs_state_create(w->nq, QS_STATE_DEFAULT, &s->s[0]);
        int big = st == QS_ETOOBIG;
        QH_TRY(qh_comm_agree(big ? QS_OK : st, NULL));
        want = qh__comm_any(big);
        if (want) {
            qs_state_destroy(s->s[0]);
            s->s[0] = NULL;
        }
    }
    w->dist = want;
    return QS_OK;
}

qs_status qh__ws_reserve_slots(qh__ws *w, int T)
{
    if (T > w->nslots) {
        qh__slot *s = realloc(w->slots, sizeof *s * (size_t)T);
        if (!s)
            return QH_FAIL(QS_ENOMEM, "out of memory");
        memset(s + w->nslots, 0, sizeof *s * (size_t)(T - w->nslots));
        w->slots = s;
        w->nslots = T;
    }
    return QS_OK;
}

qs_status qh__ws_reserve(qh__ws *w, int T)
{
    if (w->dist < 0)
        QH_TRY(decide(w));
    if (w->dist)
        T = 1;
    QH_TRY(qh__ws_reserve_slots(w, T));
    /* fills what an earlier failure left missing, too */
    for (int t = 0; t < T; t++) {
        qh__slot *s = &w->slots[t];
        for (int i = 0; i < w->nstates; i++)
            if (!s->s[i])
                QH_TRY(w->dist ? qh__comm_state_create(w->nq, &s->s[i])
                               : qs_state_create(w->nq, QS_STATE_DEFAULT, &s->s[i]));
        for (int i = 0; i < QH__SLOT_BUFS; i++)
            if (w->len[i] && !s->buf[i] && !(s->buf[i] = malloc(sizeof(double) * w->len[i])))
                return QH_FAIL(QS_ENOMEM, "out of memory");
        if (!s->bits && !(s->bits = calloc(w->nbits + 1, 1)))
            return QH_FAIL(QS_ENOMEM, "out of memory");
    }
    return QS_OK;
}

void qh__ws_free(qh__ws *w)
{
    for (int t = 0; t < w->nslots; t++) {
        qh__slot *s = &w->slots[t];
        for (int i = 0; i < QH__SLOT_STATES; i++)
            qs_state_destroy(s->s[i]);
        for (int i = 0; i < QH__SLOT_BUFS; i++)
            free(s->buf[i]);
        free(s->bits);
    }
    free(w->slots);
    w->slots = NULL;
    w->nslots = 0;
}
