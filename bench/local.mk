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
