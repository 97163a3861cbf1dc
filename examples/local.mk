# examples/local.mk - one idea per file, built with the library and run as
# smoke tests by `make check`, so they cannot rot.
noinst_PROGRAMS += examples/ghz examples/h2_exact
examples_ghz_SOURCES = %reldir%/ghz.c
examples_ghz_LDADD = libqsim.la
examples_h2_exact_SOURCES = %reldir%/h2_exact.c
examples_h2_exact_CPPFLAGS = $(AM_CPPFLAGS) -DQS_EXAMPLE_SHARED='"$(abs_top_srcdir)/../shared"'
examples_h2_exact_LDADD = libqsim.la
TESTS += examples/ghz examples/h2_exact
