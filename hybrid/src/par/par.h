/*
 * par.h - how the hybrid layer spreads independent items (parameter
 * vectors, shift evaluations, minibatch rows, kernel rows) over ranks and
 * threads, and the per-thread workspace they run in.
 *
 * Items are dealt to ranks in turn (item i to rank i mod P, which evens out
 * items of unequal cost such as shift evaluations of early and late
 * steps); each rank runs its own on its threads, each thread in its own
 * workspace slot.  Every item writes a record of doubles that depends on
 * nothing but the item, and the records are gathered in item order to
 * every rank, so whatever sums them afterwards does so in the order one
 * process would: the results are those of one process, bit for bit, for
 * any number of ranks and threads.
 */
#ifndef QH_PAR_H
#define QH_PAR_H

#include "hybrid_impl.h"

/* ---- spreading items over ranks and threads ------------------------------ */

/* Item i's record (rec doubles) from workspace slot `slot`. */
typedef qs_status (*qh__item_fn)(void *ctx, size_t i, qh__slot *slot, double *rec);

/* The items of rank r of P among count: i = r, r + P, ... */
static inline size_t qh__par_count(size_t count, int r, int P)
{
    return count > (size_t)r ? (count - (size_t)r + (size_t)P - 1) / (size_t)P : 0;
}

/*
 * Runs fn for this rank's items on up to `threads` threads (1: in turn on
 * the calling thread, whose kernels may use threads themselves; 0: the
 * default count), then gathers every record in item order into out
 * (count x rec) on every rank.  Fails on every rank when any item failed
 * anywhere.  ws may be NULL when fn needs no slot.
 */
qs_status qh__spread(qh__ws *ws, size_t count, int threads, size_t rec, qh__item_fn fn,
                     void *ctx, double *out);
/*
 * Gathers: `mine` holds this rank's records in turn, st its status; out
 * gets all count records in item order.  Agrees on the status first.
 */
qs_status qh__comm_gather(qs_status st, const double *mine, size_t count, size_t rec,
                          double *out);

#endif
