# tests/local.mk - Criterion suites, one binary per layer.  Tests go
# through the public API only; the reference in support/ shares no code
# with the library.

if QS_TESTS
QS_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DQS_TEST_SHARED_DIR='"$(abs_top_srcdir)/../shared"' \
	-DQS_TEST_SRCDIR='"$(abs_top_srcdir)"' -DQS_TEST_BUILDDIR='"$(abs_top_builddir)"'

check_PROGRAMS += tests/qsim/qsim_tests
tests_qsim_qsim_tests_CPPFLAGS = $(QS_TEST_CPPFLAGS)
tests_qsim_qsim_tests_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(LAPACKE_CFLAGS)
tests_qsim_qsim_tests_SOURCES = \
	%reldir%/support/ref.c \
	%reldir%/support/ref.h \
	%reldir%/support/qasmt.c \
	%reldir%/support/qasmt.h \
	%reldir%/support/dmref.c \
	%reldir%/support/dmref.h \
	%reldir%/qsim/test_kernels.c \
	%reldir%/qsim/test_state.c \
	%reldir%/qsim/test_errors.c \
	%reldir%/qsim/test_measure.c \
	%reldir%/qsim/test_pauli.c \
	%reldir%/qsim/test_qft.c \
	%reldir%/qsim/test_exact.c \
	%reldir%/qsim/test_circuit.c \
	%reldir%/qsim/test_steps.c \
	%reldir%/qsim/test_controlled.c \
	%reldir%/qsim/test_fuse.c \
	%reldir%/qsim/test_cost.c \
	%reldir%/qsim/test_qasm_parse.c \
	%reldir%/qsim/test_qasm_errors.c \
	%reldir%/qsim/test_qasm_write.c \
	%reldir%/qsim/test_qasm3_control.c \
	%reldir%/qsim/test_conformance.c \
	%reldir%/qsim/test_dynamic.c \
	%reldir%/qsim/test_noise.c
tests_qsim_qsim_tests_LDADD = libqsim.la $(CRITERION_LIBS) $(LAPACKE_LIBS) -lm
TESTS += tests/qsim/qsim_tests

# Re-running a compiled program allocates nothing (it replaces malloc, so
# it is a program of its own).
check_PROGRAMS += tests/qsim/alloc_free
tests_qsim_alloc_free_SOURCES = %reldir%/qsim/alloc_free.c
tests_qsim_alloc_free_LDADD = libqsim.la
TESTS += tests/qsim/alloc_free

# `qsim run` end to end, and ../shared's check.py against it.
TESTS += tests/cli/test_run.sh
EXTRA_DIST += tests/cli/test_run.sh tests/cli/malformed tests/cli/no_header.qasm
# Qiskit interop (pytest), run by tools/test.sh in the .venv setup.sh makes.
EXTRA_DIST += tests/python/conftest.py tests/python/test_qiskit_interop.py tests/python/test_noise_aer.py

# The parser's libFuzzer target builds and runs its seeds (skipped without
# clang); tests/fuzz/run.sh fuzzes for longer.
TESTS += tests/fuzz/smoke.sh
EXTRA_DIST += tests/fuzz/fuzz_qasm.c tests/fuzz/build.sh tests/fuzz/run.sh tests/fuzz/smoke.sh \
	tests/fuzz/qasm.dict tests/fuzz/include/config.h tests/fuzz/corpus tests/fuzz/fuzz_file.h \
	tests/fuzz/fuzz_pauli.c tests/fuzz/fuzz_molecule.c tests/fuzz/fuzz_graph.c \
	tests/fuzz/fuzz_csv.c tests/fuzz/fuzz_model.c tests/fuzz/fuzz_ckpt.c tests/fuzz/fuzz_noise.c \
	tests/fuzz/seeds

# The hybrid layer: gradients, optimizers, models (public headers only).
check_PROGRAMS += tests/hybrid/hybrid_tests
tests_hybrid_hybrid_tests_CPPFLAGS = $(QS_TEST_CPPFLAGS) -I$(top_srcdir)/hybrid/include
tests_hybrid_hybrid_tests_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_hybrid_hybrid_tests_SOURCES = \
	%reldir%/support/ref.c \
	%reldir%/support/ref.h \
	%reldir%/hybrid/test_grad.c \
	%reldir%/hybrid/test_opt.c \
	%reldir%/hybrid/test_models.c \
	%reldir%/hybrid/test_comm.c \
	%reldir%/hybrid/test_noisy.c
tests_hybrid_hybrid_tests_LDADD = libqsimhybrid.la libqsim.la $(CRITERION_LIBS) -lm
TESTS += tests/hybrid/hybrid_tests

# The qsim commands on the small data, targets asserted (a shell script).
TESTS += tests/cli/test_cli.sh
EXTRA_DIST += tests/cli/test_cli.sh tests/cli/ansatz
# Hostile files and options: devices, FIFOs, symlinks, full disks, edited
# checkpoints, logs that are not the run's (issue 14).
TESTS += tests/cli/test_files.sh tests/cli/test_issue14.sh
EXTRA_DIST += tests/cli/test_files.sh tests/cli/test_issue14.sh

# Distributed states (issue 11) against one process, under mpirun with 2,
# 4 and 3 ranks (tests/dist/run.sh, about 15 s).
if QS_MPIRUN
check_PROGRAMS += tests/dist/dist_tests
tests_dist_dist_tests_CFLAGS = $(AM_CFLAGS) $(MPI_CFLAGS)
tests_dist_dist_tests_SOURCES = %reldir%/dist/dist_tests.c
tests_dist_dist_tests_LDADD = libqsim.la $(MPI_LIBS) -lm
TESTS += tests/dist/run.sh
endif
EXTRA_DIST += tests/dist/run.sh

# The hybrid commands, the Python package and the conformance corpus
# (test_corpus.sh, ~30 s) under mpirun (when configure
# found MPI and mpirun; tools/setup.sh installs Open MPI).
if QS_MPIRUN
TESTS += tests/mpi/test_mpi.sh tests/mpi/test_corpus.sh
endif
EXTRA_DIST += tests/mpi/test_mpi.sh tests/mpi/test_corpus.sh

# Criterion runs tests in parallel processes; spinning OpenMP threads in
# each would fight for the cores.
AM_TESTS_ENVIRONMENT = OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1; \
	export OMP_WAIT_POLICY OPENBLAS_NUM_THREADS;
endif
