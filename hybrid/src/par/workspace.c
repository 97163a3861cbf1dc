/*
 * workspace.c - per-thread slots of states and buffers, made on first use
 * and kept, so that repeated evaluations allocate nothing.  The objective,
 * the classifier and the kernel each keep one (see par.h).
 */
#include "par/workspace.h"
#include "hybrid_impl.h"

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
}

qs_status qh__ws_reserve(qh__ws *w, int T)
{
    if (T > w->nslots) {
        qh__slot *s = realloc(w->slots, sizeof *s * (size_t)T);
        if (!s)
            return QH_FAIL(QS_ENOMEM, "out of memory");
        memset(s + w->nslots, 0, sizeof *s * (size_t)(T - w->nslots));
        w->slots = s;
        w->nslots = T;
    }
    /* fills what an earlier failure left missing, too */
    for (int t = 0; t < T; t++) {
        qh__slot *s = &w->slots[t];
        for (int i = 0; i < w->nstates; i++)
            if (!s->s[i])
                QH_TRY(qs_state_create(w->nq, QS_STATE_DEFAULT, &s->s[i]));
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
