# hybrid/local.mk - the hybrid layer and the `qsim` command line.  Both see
# the core only through its public header (-I qsim/include, never qsim/src).

bin_PROGRAMS += hybrid/cli/qsim
hybrid_cli_qsim_CPPFLAGS = -I$(top_builddir) -I$(top_srcdir)/qsim/include
hybrid_cli_qsim_SOURCES = \
	%reldir%/cli/cli.h \
	%reldir%/cli/main.c \
	%reldir%/cli/cmd_run.c \
	%reldir%/cli/util.c
hybrid_cli_qsim_LDADD = libqsim.la -lm
