/*
 * test_comm.c - the ranks API in one process (no mpirun): rank 0 of 1,
 * agreement passes statuses through, no communicator can be set before
 * MPI is initialised, and batches equal single calls (the path that deals
 * items to ranks).  tests/mpi/test_mpi.sh runs the same code on 2-4 ranks.
 */
#include <criterion/criterion.h>
#include <qsim/hybrid.h>
#include <stdlib.h>
#include <string.h>

Test(comm, one_process)
{
    cr_assert_eq(qh_comm_init(NULL, NULL), QS_OK);
    cr_assert_eq(qh_comm_rank(), 0);
    cr_assert_eq(qh_comm_size(), 1);
    cr_assert_eq(qh_comm_agree(QS_OK, NULL), QS_OK);
    cr_assert_eq(qh_comm_agree(QS_EIO, NULL), QS_EIO);
    cr_assert_eq(qh_comm_failed(), 0, "one process never fails together");
    int mpi_comm = 0;
    cr_assert_neq(qh_comm_set(&mpi_comm), QS_OK, "a communicator needs MPI initialised");
    char *text = strdup("x");
    cr_assert_eq(qh_comm_share_text(&text), QS_OK);
    cr_assert_str_eq(text, "x");
    free(text);
    text = NULL;
    cr_assert_neq(qh_comm_share_text(&text), QS_OK, "rank 0 without text fails");
}

Test(comm, batch_equals_single_calls)
{
    qs_circuit *c;
    qs_pauli_sum *h;
    qh_objective *o;
    cr_assert_eq(qh_ansatz_hea(3, 1, &c), QS_OK);
    cr_assert_eq(qs_pauli_sum_parse("0.5 Z0 Z1\n-0.3 X2\n0.2 Y0 Y2\n", "h", &h), QS_OK,
                 "%s", qs_last_error());
    cr_assert_eq(qh_objective_create(c, h, &o), QS_OK);
    int n = qh_objective_num_params(o);
    enum { B = 5 };
    double *x = malloc(sizeof *x * B * (size_t)n), v[B], *g = malloc(sizeof *g * B * (size_t)n);
    double *g1 = malloc(sizeof *g1 * (size_t)n);
    for (int i = 0; i < B * n; i++)
        x[i] = 0.1 * (i % 7) - 0.3;
    for (int method = 0; method < 3; method++) {
        cr_assert_eq(qh_objective_gradients(o, method, B, x, v, g), QS_OK, "%s", qs_last_error());
        for (int b = 0; b < B; b++) {
            double e;
            cr_assert_eq(qh_objective_gradient(o, method, x + b * n, &e, g1), QS_OK);
            cr_assert(e == v[b], "method %d vector %d: batch value %.17g, single %.17g", method,
                      b, v[b], e);
            cr_assert(!memcmp(g1, g + b * n, sizeof *g1 * (size_t)n),
                      "method %d vector %d: batch gradient differs", method, b);
        }
    }
    free(x);
    free(g);
    free(g1);
    qh_objective_destroy(o);
    qs_pauli_sum_destroy(h);
    qs_circuit_destroy(c);
}
