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
