/*
 * mpi_bench.c - distributed states: a random circuit and the QFT on n
 * qubits over the ranks of MPI_COMM_WORLD (make bench-mpi runs it with 1,
 * 2 and 4 ranks).  Prints, on rank 0, one line per workload: ranks,
 * qubits, gates, seconds, bytes sent per gate (all ranks together), the
 * qubit swaps the localiser placed, and the exchanges a gate-by-gate
 * scheme would need (one per gate acting non-diagonally on a global qubit).
 *   mpirun -np P bench/mpi_bench --qubits 26,28 [--depth 10]
 */
#include <qsim/qsim.h>

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rank, nranks, k;

/* Gates of a gate-by-gate scheme's exchanges: non-diagonal on a qubit of
 * the top k (one exchange each). */
static long naive;

static qs_circuit *random_circuit(int n, int depth, long *ngates)
{
    qs_circuit *c;
    qs_circuit_create(n, 0, &c);
    unsigned x = 12345;
    *ngates = 0;
    naive = 0;
    for (int d = 0; d < depth; d++)
        for (int q = 0; q < n; q++) {
            x = x * 1103515245u + 12345u;
            int r = (int)((x >> 16) % 4), q2[2] = {q, (int)((x >> 8) % (unsigned)n)};
            if (q2[1] == q)
                q2[1] = (q + 1) % n;
            double a = (double)(x % 1000) / 300.0;
            int global = q >= n - k;
            if (r == 0) {
                qs_circuit_append_gate(c, QS_GATE_H, q2, NULL);
                naive += global;
            } else if (r == 1) {
                qs_circuit_append_gate(c, QS_GATE_RX, q2, &a);
                naive += global;
            } else if (r == 2) {
                qs_circuit_append_gate(c, QS_GATE_RZ, q2, &a);
            } else {
                qs_circuit_append_gate(c, QS_GATE_CX, q2, NULL);
                naive += q2[1] >= n - k;
            }
            (*ngates)++;
        }
    return c;
}

static void report(const char *name, int n, long gates, double sec, const qs_state *s,
                   long naive_x)
{
    uint64_t st[4] = {0, 0, 0, 0}, sum[4];
    qs_state_comm_stats(s, st);
    MPI_Reduce(st, sum, 4, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0)
        printf("%-8s ranks %d qubits %d gates %6ld  %8.3f s  %12.0f bytes/gate  swaps %4llu  "
               "relabels %4llu  gate-by-gate exchanges %4ld\n",
               name, nranks, n, gates, sec, (double)sum[0] / (double)gates,
               (unsigned long long)st[1], (unsigned long long)st[2], naive_x);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    while ((1 << k) < nranks)
        k++;
    char qubits[256] = "20";
    int depth = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--qubits") == 0)
            snprintf(qubits, sizeof qubits, "%s", argv[i + 1]);
        else if (strcmp(argv[i], "--depth") == 0)
            depth = atoi(argv[i + 1]);
    }
    unsigned flags = nranks > 1 ? QS_STATE_DISTRIBUTED : 0;
    for (char *tok = strtok(qubits, ","); tok; tok = strtok(NULL, ",")) {
        int n = atoi(tok);
        qs_state *s;
        if (qs_state_create(n, flags, &s) != QS_OK) {
            if (rank == 0)
                fprintf(stderr, "mpi_bench: %s\n", qs_last_error());
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        long gates;
        qs_circuit *c = random_circuit(n, depth, &gates);
        long naive_x = naive;
        qs_program *p;
        qs_program_compile(c, 0, &p);
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        qs_program_run(p, NULL, 0, s, NULL, NULL);
        double norm;
        qs_state_norm2(s, &norm);   /* waits for every rank */
        report("random", n, gates, MPI_Wtime() - t0, s, naive_x);
        qs_program_destroy(p);
        qs_circuit_destroy(c);
        qs_state_destroy(s);
        /* QFT as gates: n H, n(n-1)/2 controlled phases, n/2 swaps; the H
         * on the k global qubits are the gate-by-gate exchanges. */
        qs_state_create(n, flags, &s);
        qs_circuit_create(n, 0, &c);
        qs_circuit_append_qft(c, 0, n, 0);
        qs_program_compile(c, 0, &p);
        MPI_Barrier(MPI_COMM_WORLD);
        t0 = MPI_Wtime();
        qs_program_run(p, NULL, 0, s, NULL, NULL);
        qs_state_norm2(s, &norm);
        report("qft", n, (long)n * (n + 1) / 2 + n / 2, MPI_Wtime() - t0, s, k);
        qs_program_destroy(p);
        qs_circuit_destroy(c);
        qs_state_destroy(s);
    }
    MPI_Finalize();
    return 0;
}
