# examples/local.mk - one idea per file, built with the library and run as
# smoke tests by `make check`, so they cannot rot.
noinst_PROGRAMS += examples/ghz examples/h2_exact
examples_ghz_SOURCES = %reldir%/ghz.c
examples_ghz_LDADD = libqsim.la
examples_h2_exact_SOURCES = %reldir%/h2_exact.c
examples_h2_exact_CPPFLAGS = $(AM_CPPFLAGS) -DQS_EXAMPLE_SHARED='"$(abs_top_srcdir)/../shared"'
examples_h2_exact_LDADD = libqsim.la
TESTS += examples/ghz examples/h2_exact

# The hybrid layer: one program per application, through the two public
# headers only.
QS_EXAMPLE_HYBRID_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/hybrid/include \
	-DQS_EXAMPLE_SHARED='"$(abs_top_srcdir)/../shared"'
QS_EXAMPLE_HYBRID_LIBS = libqsimhybrid.la libqsim.la -lm
noinst_PROGRAMS += examples/vqe_h2 examples/qaoa_maxcut examples/classifier examples/qkernel
examples_vqe_h2_SOURCES = %reldir%/vqe_h2.c
examples_vqe_h2_CPPFLAGS = $(QS_EXAMPLE_HYBRID_CPPFLAGS)
examples_vqe_h2_LDADD = $(QS_EXAMPLE_HYBRID_LIBS)
examples_qaoa_maxcut_SOURCES = %reldir%/qaoa_maxcut.c
examples_qaoa_maxcut_CPPFLAGS = $(QS_EXAMPLE_HYBRID_CPPFLAGS)
examples_qaoa_maxcut_LDADD = $(QS_EXAMPLE_HYBRID_LIBS)
examples_classifier_SOURCES = %reldir%/classifier.c
examples_classifier_CPPFLAGS = $(QS_EXAMPLE_HYBRID_CPPFLAGS)
examples_classifier_LDADD = $(QS_EXAMPLE_HYBRID_LIBS)
examples_qkernel_SOURCES = %reldir%/qkernel.c
examples_qkernel_CPPFLAGS = $(QS_EXAMPLE_HYBRID_CPPFLAGS)
examples_qkernel_LDADD = $(QS_EXAMPLE_HYBRID_LIBS)
TESTS += examples/vqe_h2 examples/qaoa_maxcut examples/classifier examples/qkernel
