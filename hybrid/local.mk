# hybrid/local.mk - the hybrid layer and the `qsim` command line.  Both see
# the core only through its public header (-I qsim/include, never qsim/src).

# libqsimhybrid: gradients, optimizers, variational models.
lib_LTLIBRARIES += libqsimhybrid.la
pkgconfig_DATA += hybrid/qsimhybrid.pc
hybridincdir = $(includedir)/qsim
hybridinc_HEADERS = %reldir%/include/qsim/hybrid.h
QH_CPPFLAGS = -I$(top_builddir) -I$(top_srcdir)/qsim/include -I$(top_srcdir)/%reldir%/include
# MPI_CFLAGS (empty without MPI) is for par/comm.c, the one file that
# includes <mpi.h>.
libqsimhybrid_la_CPPFLAGS = $(QH_CPPFLAGS) -I$(top_srcdir)/%reldir%/src -DQH_BUILDING_LIBRARY \
	$(MPI_CFLAGS)
libqsimhybrid_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden $(GSL_CFLAGS)
libqsimhybrid_la_SOURCES = \
	%reldir%/src/hybrid_impl.h \
	%reldir%/src/par/par.h \
	%reldir%/src/par/comm.c \
	%reldir%/src/par/spread.c \
	%reldir%/src/par/workspace.h \
	%reldir%/src/par/workspace.c \
	%reldir%/src/grad/adjoint.c \
	%reldir%/src/grad/param_shift.c \
	%reldir%/src/grad/finite_diff.c \
	%reldir%/src/grad/metric.c \
	%reldir%/src/opt/opt_impl.h \
	%reldir%/src/opt/optimizer.c \
	%reldir%/src/opt/gd.c \
	%reldir%/src/opt/adam.c \
	%reldir%/src/opt/spsa.c \
	%reldir%/src/opt/qng.c \
	%reldir%/src/opt/gsl_bfgs.c \
	%reldir%/src/opt/gsl_simplex.c \
	%reldir%/src/model/text.h \
	%reldir%/src/model/text.c \
	%reldir%/src/model/objective.c \
	%reldir%/src/model/shots.c \
	%reldir%/src/model/ansatz.c \
	%reldir%/src/model/qaoa.c \
	%reldir%/src/model/dataset.c \
	%reldir%/src/model/classifier.c \
	%reldir%/src/model/qkernel.c
libqsimhybrid_la_LIBADD = libqsim.la $(GSL_LIBS) $(MPI_LIBS) $(LIBS) -lm
libqsimhybrid_la_LDFLAGS = -version-info 0:0:0 -no-undefined

bin_PROGRAMS += hybrid/cli/qsim
hybrid_cli_qsim_CPPFLAGS = $(QH_CPPFLAGS)
hybrid_cli_qsim_SOURCES = \
	%reldir%/cli/cli.h \
	%reldir%/cli/main.c \
	%reldir%/cli/cmd_run.c \
	%reldir%/cli/run_noise.h \
	%reldir%/cli/run_noise.c \
	%reldir%/cli/util.c \
	%reldir%/cli/ranks.c \
	%reldir%/cli/run.h \
	%reldir%/cli/run.c \
	%reldir%/cli/ckpt.c \
	%reldir%/cli/json.c \
	%reldir%/cli/cmd_vqe.c \
	%reldir%/cli/cmd_qaoa.c \
	%reldir%/cli/cmd_train.c \
	%reldir%/cli/cmd_predict.c \
	%reldir%/cli/cmd_kernel.c
hybrid_cli_qsim_LDADD = libqsimhybrid.la libqsim.la -lm
