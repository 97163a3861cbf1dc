/*
 * comm.c - the ranks of a data-parallel run: the one file of the hybrid
 * layer that includes <mpi.h>.  Without MPI (configure --without-mpi, or
 * a process not started by mpirun and not initialised by anyone) every
 * function here is the one-process case: rank 0 of 1, no communication.
 *
 * One communicator serves the whole layer (qh_comm_set(), else
 * MPI_COMM_WORLD once MPI is initialised), because failures are agreed on
 * it: every collective of the layer starts with qh_comm_agree(), and so
 * does the command line's last step.  A rank that fails goes straight to
 * its next agreement, which meets whatever agreement the others reach
 * next; from then on every rank knows the first failure, and the layer
 * makes no further collective call (qh_comm_failed()), so no rank is left
 * waiting in one.
 */
#include "config.h"
#include "par/par.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef QS_HAVE_MPI
#include <mpi.h>
#endif

/* Longest message carried by an agreement. */
#define MSG_LEN 1024

static struct {
#ifdef QS_HAVE_MPI
    MPI_Comm comm;
    int have_comm;   /* comm is set (by qh_comm_set or the first use) */
    int we_init;     /* MPI_Init was ours: finalise it too */
#endif
    int failed;      /* a failure was agreed: no more collectives */
} g;

#ifdef QS_HAVE_MPI
/* MPI is usable: initialised and not finalised. */
static int mpi_up(void)
{
    int init = 0, fin = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    return init && !fin;
}

/* The communicator, or 0 when this is one process. */
static int comm(MPI_Comm *c)
{
    if (!mpi_up())
        return 0;
    if (!g.have_comm) {
        g.comm = MPI_COMM_WORLD;
        g.have_comm = 1;
    }
    *c = g.comm;
    return 1;
}

/* Started by mpirun (Open MPI, or a PMI launcher such as MPICH's). */
static int launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK");
}
#endif

QH_API int qh_comm_built(void)
{
#ifdef QS_HAVE_MPI
    return 1;
#else
    return 0;
#endif
}

QH_API qs_status qh_comm_init(int *argc, char ***argv)
{
#ifdef QS_HAVE_MPI
    int init = 0;
    MPI_Initialized(&init);
    if (init || !launched())
        return QS_OK;
    int provided;
    /* Collectives only from the thread that calls the library; the
     * kernels' OpenMP threads never call MPI. */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
        return QH_FAIL(QS_EINTERNAL, "MPI_Init_thread failed");
    g.we_init = 1;
    /* Errors come back as codes, so a failed call is reported, not fatal. */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
#else
    (void)argc;
    (void)argv;
#endif
    return QS_OK;
}

QH_API qs_status qh_comm_set(const void *mpi_comm)
{
#ifdef QS_HAVE_MPI
    if (!mpi_up())
        return QH_FAIL(QS_EINVAL, "MPI is not initialised");
    g.comm = mpi_comm ? *(const MPI_Comm *)mpi_comm : MPI_COMM_WORLD;
    g.have_comm = 1;
    g.failed = 0;
    return QS_OK;
#else
    if (mpi_comm)
        return QH_FAIL(QS_EUNSUPPORTED, "this libqsimhybrid was built without MPI");
    return QS_OK;
#endif
}

QH_API int qh_comm_rank(void)
{
#ifdef QS_HAVE_MPI
    MPI_Comm c;
    int r = 0;
    if (comm(&c))
        MPI_Comm_rank(c, &r);
    return r;
#else
    return 0;
#endif
}

QH_API int qh_comm_size(void)
{
#ifdef QS_HAVE_MPI
    MPI_Comm c;
    int p = 1;
    if (comm(&c))
        MPI_Comm_size(c, &p);
    return p;
#else
    return 1;
#endif
}

QH_API int qh_comm_failed(void) { return g.failed; }

QH_API qs_status qh_comm_agree(qs_status st, const char *msg)
{
    if (g.failed)
        return st != QS_OK ? st : QH_FAIL(QS_EINTERNAL, "another rank failed before");
#ifdef QS_HAVE_MPI
    MPI_Comm c;
    int P = qh_comm_size(), me = qh_comm_rank();
    if (P == 1 || !comm(&c))
        return st;
    /* The lowest failing rank, then its status and message. */
    int mine = st != QS_OK ? me : P, first = P;
    if (MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, c) != MPI_SUCCESS) {
        g.failed = 1;
        return QH_FAIL(QS_EINTERNAL, "MPI_Allreduce failed");
    }
    if (first == P)
        return QS_OK;
    g.failed = 1;
    char buf[MSG_LEN + 8];
    int code = (int)st;
    if (me == first) {
        snprintf(buf, sizeof buf, "%s", msg ? msg : qs_last_error());
        memcpy(buf + MSG_LEN, &code, sizeof code);
    }
    if (MPI_Bcast(buf, (int)sizeof buf, MPI_CHAR, first, c) != MPI_SUCCESS)
        return QH_FAIL(QS_EINTERNAL, "MPI_Bcast failed");
    memcpy(&code, buf + MSG_LEN, sizeof code);
    buf[MSG_LEN - 1] = '\0';
    if (me == first && !msg)
        return (qs_status)code;   /* qs_last_error() is the message */
    /* "func: text" again, as "func: text (rank r)" on the others: a
     * located message ("path:line:col: ...") keeps its shape. */
    char *sep = strstr(buf, ": ");
    if (!sep)
        return qs_set_error((qs_status)code, "rank", "%d: %s", first, buf);
    *sep = '\0';
    if (me == first)
        return qs_set_error((qs_status)code, buf, "%s", sep + 2);
    return qs_set_error((qs_status)code, buf, "%s (rank %d)", sep + 2, first);
#else
    (void)msg;
    return st;
#endif
}

QH_API void qh_comm_abort(int code)
{
#ifdef QS_HAVE_MPI
    MPI_Comm c;
    if (comm(&c) && qh_comm_size() > 1)
        MPI_Abort(c, code);
#endif
    (void)code;
}

QH_API void qh_comm_finalize(void)
{
#ifdef QS_HAVE_MPI
    if (g.we_init && mpi_up())
        MPI_Finalize();
    g.we_init = 0;
#endif
}

qs_status qh__comm_gather(qs_status st, const double *mine, size_t count, size_t rec,
                          double *out)
{
    int P = qh_comm_size(), me = qh_comm_rank();
    if (P == 1) {
        if (st == QS_OK && out != mine && count)
            memcpy(out, mine, sizeof *out * count * rec);
        return st;
    }
    if (count == 0 || rec == 0)
        return qh_comm_agree(st, NULL);
#ifdef QS_HAVE_MPI
    MPI_Comm c;
    comm(&c);
    /* Items i = r, r + P, ... of rank r arrive rank after rank, then are
     * put back in item order.  One item is one element of a contiguous
     * type, so counts stay far below 2^31 elements for any record size. */
    int *cnt = malloc(sizeof *cnt * 2 * (size_t)P);
    double *tmp = malloc(sizeof *tmp * (count ? count : 1) * rec);
    if (st == QS_OK && (!cnt || !tmp || rec > 0x7fffffff || count / (size_t)P > 0x7fffffff))
        st = QH_FAIL(QS_ENOMEM, "out of memory for %zu results of %zu values", count, rec);
    st = qh_comm_agree(st, NULL);
    MPI_Datatype item;
    if (st == QS_OK) {
        int *disp = cnt + P, ok;
        for (int r = 0, d = 0; r < P; r++) {
            cnt[r] = (int)qh__par_count(count, r, P);
            disp[r] = d;
            d += cnt[r];
        }
        ok = MPI_Type_contiguous((int)rec, MPI_DOUBLE, &item) == MPI_SUCCESS &&
             MPI_Type_commit(&item) == MPI_SUCCESS &&
             MPI_Allgatherv(mine, cnt[me], item, tmp, cnt, disp, item, c) == MPI_SUCCESS;
        if (!ok) {
            /* a failure inside a collective cannot be agreed on: stop all */
            fprintf(stderr, "qsim: rank %d: MPI_Allgatherv of %zu results failed\n", me, count);
            MPI_Abort(c, 3);
        }
        MPI_Type_free(&item);
        for (size_t i = 0; i < count; i++)
            memcpy(out + i * rec, tmp + ((size_t)disp[i % (size_t)P] + i / (size_t)P) * rec,
                   sizeof *out * rec);
    }
    free(cnt);
    free(tmp);
    return st;
#else
    (void)me;
    (void)mine;
    (void)count;
    (void)rec;
    (void)out;
    return st != QS_OK ? st : QH_FAIL(QS_EINTERNAL, "%d ranks without MPI", P);
#endif
}
