# bench/local.mk - `make bench` times workloads against the memory
# bandwidth; not part of `make check` beyond a tiny smoke run.
EXTRA_PROGRAMS += bench/qsim_bench
bench_qsim_bench_SOURCES = %reldir%/qsim_bench.c
bench_qsim_bench_CFLAGS = $(AM_CFLAGS) $(OPENMP_CFLAGS)
bench_qsim_bench_LDADD = libqsim.la -lm
bench_qsim_bench_LDFLAGS = $(OPENMP_CFLAGS)
check_PROGRAMS += bench/qsim_bench
TESTS += bench/smoke.sh
EXTRA_DIST += bench/smoke.sh

bench: bench/qsim_bench
	bench/qsim_bench --qubits 20,24,26,28 --threads 1,2 --json bench/results.json

bench-thp: bench/qsim_bench
	bench/qsim_bench --thp --qubits 26,28 --threads 1,2
.PHONY: bench bench-thp

# Gradients against one forward pass (libqsimhybrid); a tiny smoke run in
# `make check`, the 20-qubit, 100-parameter figure with `make bench-grad`.
EXTRA_PROGRAMS += bench/grad_bench
check_PROGRAMS += bench/grad_bench
bench_grad_bench_SOURCES = %reldir%/grad_bench.c
bench_grad_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/hybrid/include
bench_grad_bench_LDADD = libqsimhybrid.la libqsim.la
TESTS += bench/grad_smoke.sh
EXTRA_DIST += bench/grad_smoke.sh

bench-grad: bench/grad_bench
	bench/grad_bench --qubits 20 --params 100 --repeats 3
.PHONY: bench-grad

# Distributed states over MPI (issue 11): a random circuit and the QFT with
# 1, 2 and 4 ranks: time, bytes sent per gate, swaps placed against one
# exchange per gate on a global qubit.  26-28 qubits take 1-4 GiB per
# state: run it on a quiet machine (MPI_BENCH_QUBITS to change).
if QS_MPIRUN
EXTRA_PROGRAMS += bench/mpi_bench
bench_mpi_bench_SOURCES = %reldir%/mpi_bench.c
bench_mpi_bench_CFLAGS = $(AM_CFLAGS) $(MPI_CFLAGS)
bench_mpi_bench_LDADD = libqsim.la $(MPI_LIBS)
check_PROGRAMS += bench/mpi_bench
endif
MPI_BENCH_QUBITS = 26,27,28

bench-mpi: bench/mpi_bench
	for np in 1 2 4; do \
	    QSIM_MPI_TIMEOUT=1800 sh $(top_srcdir)/tools/mpirun.sh -np $$np bench/mpi_bench \
	        --qubits $(MPI_BENCH_QUBITS) --depth 10 || exit 1; \
	done
.PHONY: bench-mpi
