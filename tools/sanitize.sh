#!/bin/sh
# sanitize.sh - the whole C suite (make check: core, hybrid, CLI, examples)
# under AddressSanitizer and UndefinedBehaviorSanitizer, in its own build
# directory (build-sanitize/, a copy of the tracked sources) so the normal
# build is left alone.  `sh tools/test.sh --sanitize` runs it; .ci/run too.
# Every UBSan finding is fatal (-fno-sanitize-recover).  Leak checking is
# off: the suites free what they test, not everything at exit.  The Python
# suites and the MPI suites are not run here (the interpreter is not built
# with ASan; MPI is configured out).
#   QSIM_SANITIZE_DIR  the build directory (default build-sanitize)
set -u
cd "$(dirname "$0")/.."
top=$PWD
dir=${QSIM_SANITIZE_DIR:-build-sanitize}
mkdir -p "$dir/src"
# the tracked files as they are in the working tree (a VPATH build is not
# possible next to an in-tree one: automake refuses a configured srcdir)
git ls-files -z | xargs -0 cp -p --parents -t "$dir/src" 2>/dev/null || true
# ../shared is found from the copy as from the checkout
[ -e "$dir/shared" ] || ln -s "$top/../shared" "$dir/shared"
cd "$dir/src" || exit 1
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
if [ ! -f Makefile ]; then
    autoreconf -fi >/dev/null 2>&1 || { echo "sanitize: autoreconf failed" >&2; exit 1; }
    # no --enable-werror: -O1 with the sanitizers warns differently, and the
    # warnings are the normal build's job
    # --without-mpi: Open MPI's own allocations trip ASan, and the MPI
    # suites (tests/mpi, tests/dist) drive Python and mpirun; they run in
    # the normal build
    ./configure -q --without-mpi CFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined" \
        QSIM_SHARED_DIR="$top/../shared" || exit 1
fi
# allocator_may_return_null: a refused huge allocation must reach the
# library's "out of memory" path, as with glibc, instead of aborting
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QSIM_SHARED_DIR="$top/../shared"
# the fuzz smoke runs are the normal build's (libFuzzer brings its own ASan)
make -j"$(nproc)" >/dev/null || exit 1
# results of an earlier run (a suite configured out since) are not this run's
find . -name '*.trs' -delete
QSIM_SKIP_FUZZ=1 make -j"$(nproc)" check
rc=$?
for trs in $(find . -name '*.trs' | sort); do
    if grep -q '^:test-result: FAIL\|^:test-result: ERROR' "$trs"; then
        echo "=== sanitize: ${trs%.trs}.log"
        tail -60 "${trs%.trs}.log"
    fi
done
grep -h "Synthesis:\|^cli: [0-9]* passed" $(find . -name '*.log' ! -name config.log ! -name test-suite.log) \
    | sed 's/^/sanitize: /'
exit $rc
