/*
 * spread.c - independent items over ranks, then threads (see par.h).
 */
#include "par/par.h"

#include <stdlib.h>

typedef struct {
    qh__ws *ws;
    qh__item_fn fn;
    void *ctx;
    size_t rec;
    int rank, P;
    double *mine;
} spread_ctx;

/* Local item j is item rank + j P. */
static qs_status task(void *vc, size_t j, int t)
{
    spread_ctx *c = vc;
    return c->fn(c->ctx, (size_t)c->rank + j * (size_t)c->P, c->ws ? qh__ws_slot(c->ws, t) : NULL,
                 c->mine + j * c->rec);
}

qs_status qh__spread(qh__ws *ws, size_t count, int threads, size_t rec, qh__item_fn fn,
                     void *ctx, double *out)
{
    int P = qh_comm_size(), me = qh_comm_rank();
    size_t n = qh__par_count(count, me, P);
    spread_ctx c = {ws, fn, ctx, rec, me, P, out};
    qs_status st = QS_OK;
    if (P > 1 && !(c.mine = malloc(sizeof *c.mine * (n ? n : 1) * (rec ? rec : 1))))
        st = QH_FAIL(QS_ENOMEM, "out of memory for %zu results", n);
    int T = threads == 1 || n < 2 ? 1 : qs_parallel_threads(n, threads);
    if (st == QS_OK && ws)
        st = qh__ws_reserve(ws, T > 0 ? T : 1);
    if (st == QS_OK && T == 1) {
        /* in turn, so the kernels of large states keep their threads */
        for (size_t j = 0; j < n && st == QS_OK; j++)
            st = task(&c, j, 0);
    } else if (st == QS_OK) {
        st = qs_parallel_for(n, threads, task, &c);
    }
    st = qh__comm_gather(st, c.mine, count, rec, out);
    if (c.mine != out)
        free(c.mine);
    return st;
}
