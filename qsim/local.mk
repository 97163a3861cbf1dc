# qsim/local.mk - libqsim, the core.  Only src/backend/cpu/parfor.c and the
# kernel files include OpenMP; SIMD code gets its flags per convenience
# library, never for the whole build.

lib_LTLIBRARIES += libqsim.la
pkgconfig_DATA += qsim/qsim.pc
qsimincdir = $(includedir)/qsim
qsiminc_HEADERS = %reldir%/include/qsim/qsim.h %reldir%/include/qsim/gates.def

QS_LIB_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/%reldir%/src -DQS_BUILDING_LIBRARY
QS_LIB_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden

# Generic CPU backend: OpenMP kernels, compiled for double and float.
noinst_LTLIBRARIES += libqs_cpu.la
libqs_cpu_la_CPPFLAGS = $(QS_LIB_CPPFLAGS)
libqs_cpu_la_CFLAGS = $(QS_LIB_CFLAGS) $(OPENMP_CFLAGS) $(FFTW_CFLAGS)
libqs_cpu_la_SOURCES = \
	%reldir%/src/backend/cpu/cpu.c \
	%reldir%/src/backend/cpu/cpu_blocked.c \
	%reldir%/src/backend/cpu/cpu.h \
	%reldir%/src/backend/cpu/cpu_f64.c \
	%reldir%/src/backend/cpu/cpu_f32.c \
	%reldir%/src/backend/cpu/k_gates.h \
	%reldir%/src/backend/cpu/k_state.h \
	%reldir%/src/backend/cpu/k_reduce.h \
	%reldir%/src/backend/cpu/k_values.h \
	%reldir%/src/backend/cpu/k_psum.h \
	%reldir%/src/backend/cpu/k_qft_fftw.c \
	%reldir%/src/backend/cpu/parfor.c \
	%reldir%/src/backend/cpu/parfor.h \
	%reldir%/src/backend/simplify.c \
	%reldir%/src/backend/simplify.h \
	%reldir%/src/backend/blocked.c \
	%reldir%/src/backend/blocked.h

# SIMD kernels: one template (simd/k_simd.h) compiled per ISA and precision
# with that ISA's flags only; simd.c (plain flags) picks them by cpuid.
libqs_cpu_la_SOURCES += \
	%reldir%/src/backend/simd/simd.c \
	%reldir%/src/backend/simd/simd.h \
	%reldir%/src/backend/simd/k_simd.h \
	%reldir%/src/backend/simd/k_simd_reduce.h \
	%reldir%/src/backend/simd/vec_ops.h
QS_SIMD_LIBS =
if QS_HAVE_AVX2
noinst_LTLIBRARIES += libqs_avx2.la
libqs_avx2_la_CPPFLAGS = $(QS_LIB_CPPFLAGS)
libqs_avx2_la_CFLAGS = $(QS_LIB_CFLAGS) $(AVX2_CFLAGS)
libqs_avx2_la_SOURCES = \
	%reldir%/src/backend/avx2/vec.h \
	%reldir%/src/backend/avx2/avx2_f64.c \
	%reldir%/src/backend/avx2/avx2_f32.c
QS_SIMD_LIBS += libqs_avx2.la
endif
if QS_HAVE_AVX512
noinst_LTLIBRARIES += libqs_avx512.la
libqs_avx512_la_CPPFLAGS = $(QS_LIB_CPPFLAGS)
libqs_avx512_la_CFLAGS = $(QS_LIB_CFLAGS) $(AVX512_CFLAGS)
libqs_avx512_la_SOURCES = \
	%reldir%/src/backend/avx512/vec.h \
	%reldir%/src/backend/avx512/avx512_f64.c \
	%reldir%/src/backend/avx512/avx512_f32.c
QS_SIMD_LIBS += libqs_avx512.la
endif

libqsim_la_CPPFLAGS = $(QS_LIB_CPPFLAGS)
libqsim_la_CFLAGS = $(QS_LIB_CFLAGS) $(GSL_CFLAGS) $(LAPACKE_CFLAGS) $(MPI_CFLAGS)
libqsim_la_SOURCES = \
	%reldir%/src/loc/state.h \
	%reldir%/src/loc/loc.h \
	%reldir%/src/loc/loc.c \
	%reldir%/src/loc/measure.c \
	%reldir%/src/loc/dist.h \
	%reldir%/src/loc/dist.c \
	%reldir%/src/loc/dist_impl.h \
	%reldir%/src/loc/dist_pauli.c \
	%reldir%/src/api/state.c \
	%reldir%/src/api/gates.c \
	%reldir%/src/api/measure.c \
	%reldir%/src/api/observable.c \
	%reldir%/src/api/calibrate.c \
	%reldir%/src/backend/backend.h \
	%reldir%/src/backend/registry.c \
	%reldir%/src/core/bits.h \
	%reldir%/src/core/check.c \
	%reldir%/src/core/check.h \
	%reldir%/src/core/error.c \
	%reldir%/src/core/error.h \
	%reldir%/src/core/file.c \
	%reldir%/src/core/file.h \
	%reldir%/src/core/mem.c \
	%reldir%/src/core/mem.h \
	%reldir%/src/core/rng.c \
	%reldir%/src/core/rng.h \
	%reldir%/src/ir/gates.c \
	%reldir%/src/ir/gates.h \
	%reldir%/src/ir/lower.c \
	%reldir%/src/ir/lower.h \
	%reldir%/src/ir/pauli.c \
	%reldir%/src/ir/pauli_impl.h \
	%reldir%/src/ir/expr.c \
	%reldir%/src/ir/expr.h \
	%reldir%/src/ir/expr_parse.c \
	%reldir%/src/ir/expr_format.c \
	%reldir%/src/ir/classical.c \
	%reldir%/src/ir/classical.h \
	%reldir%/src/ir/circuit.c \
	%reldir%/src/ir/circuit_impl.h \
	%reldir%/src/ir/compile.c \
	%reldir%/src/ir/program.c \
	%reldir%/src/ir/program_impl.h \
	%reldir%/src/ir/program_steps.c \
	%reldir%/src/ir/step.c \
	%reldir%/src/ir/step.h \
	%reldir%/src/ir/schedule.c \
	%reldir%/src/ir/schedule.h \
	%reldir%/src/ir/sched_impl.h \
	%reldir%/src/ir/fuse.c \
	%reldir%/src/ir/fuse_cost.h \
	%reldir%/src/ir/cost_model.c \
	%reldir%/src/ir/cost_model.h \
	%reldir%/src/ir/fop.c \
	%reldir%/src/ir/segment.c \
	%reldir%/src/ir/backprop.c \
	%reldir%/src/ir/branches.c \
	%reldir%/src/qasm/qasm.h \
	%reldir%/src/qasm/lexer.c \
	%reldir%/src/qasm/parser.c \
	%reldir%/src/qasm/control.c \
	%reldir%/src/qasm/modifiers.c \
	%reldir%/src/qasm/sema.c \
	%reldir%/src/qasm/qelib1.c \
	%reldir%/src/qasm/source.c \
	%reldir%/src/qasm/writer.c \
	%reldir%/src/exact/exact.h \
	%reldir%/src/exact/eigen.c \
	%reldir%/src/exact/krylov.c \
	%reldir%/src/exact/sector.c \
	%reldir%/src/exact/unitary.c \
	%reldir%/src/noise/noise_impl.h \
	%reldir%/src/noise/channel.c \
	%reldir%/src/noise/density.c \
	%reldir%/src/noise/dm_compile.c \
	%reldir%/src/noise/trajectories.c \
	%reldir%/src/noise/json.h \
	%reldir%/src/noise/json.c \
	%reldir%/src/noise/noise_model.c
libqsim_la_LIBADD = libqs_cpu.la $(QS_SIMD_LIBS) $(FFTW_LIBS) $(GSL_LIBS) $(LAPACKE_LIBS) $(MPI_LIBS) $(LIBS) -lm
libqsim_la_LDFLAGS = $(OPENMP_CFLAGS) -version-info 0:0:0 -no-undefined
