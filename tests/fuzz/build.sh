#!/bin/sh
# build.sh [TARGET...] - builds the libFuzzer targets tests/fuzz/fuzz_NAME
# (default: all of them, one per reader: qasm pauli molecule graph csv
# model ckpt noise) from the libraries' sources with clang
# -fsanitize=fuzzer,address,undefined.  The library objects are compiled
# once for all targets; only what is out of date is rebuilt.
#   FUZZ_CC  the compiler (default clang); exits 77 when it or libFuzzer
#            is missing (Debian: apt-get install clang libclang-rt-14-dev).
set -eu
cd "$(dirname "$0")/../.."
CC=${FUZZ_CC:-clang}
objdir=tests/fuzz/obj
targets=${*:-qasm pauli molecule graph csv model ckpt noise}
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "fuzz: no $CC (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    exit 77
fi
# The portable backend only: the SIMD instantiations need their ISA's flags
# (the stub config.h defines no QS_HAVE_AVX* and no QS_HAVE_MPI).  The
# checkpoint reader is the CLI's (ckpt.c with util.c).
srcs=$(find qsim/src hybrid/src -name '*.c' ! -path '*/backend/avx2/*' \
    ! -path '*/backend/avx512/*' | sort)
srcs="$srcs hybrid/cli/ckpt.c hybrid/cli/util.c"
FLAGS="-g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined \
-fno-sanitize-recover=undefined -DQS_BUILDING_LIBRARY -DQH_BUILDING_LIBRARY -DQQ_FUZZING \
-DQQ_MAX_OPS=20000 -Itests/fuzz/include -Iqsim/include -Iqsim/src -Ihybrid/include \
-Ihybrid/src -Ihybrid/cli"
mkdir -p "$objdir"
# a source is recompiled when it, or any header, is newer than its object
newest_h=$(find qsim/src qsim/include hybrid/src hybrid/include hybrid/cli tests/fuzz \
    \( -name '*.h' -o -name '*.def' \) -newer "$objdir/.stamp" 2>/dev/null | head -n 1 || true)
[ -f "$objdir/.stamp" ] || newest_h=all
stale=""
for s in $srcs; do
    o=$objdir/$(echo "$s" | tr / _).o
    if [ -n "$newest_h" ] || [ ! -f "$o" ] || [ "$s" -nt "$o" ]; then
        stale="$stale $s"
    fi
done
if [ -n "$stale" ]; then
    echo "fuzz: compiling $(echo $stale | wc -w) library files with $CC"
    # shellcheck disable=SC2086
    echo $stale | tr ' ' '\n' | grep . |
        xargs -P "$(nproc)" -I{} sh -c 'o='"$objdir"'/$(echo {} | tr / _).o; '"$CC $FLAGS"' -c {} -o "$o"'
fi
touch "$objdir/.stamp"
for t in $targets; do
    out=tests/fuzz/fuzz_$t
    src=tests/fuzz/fuzz_$t.c
    if [ -x "$out" ] && [ -z "$stale" ] && [ ! "$src" -nt "$out" ] &&
        [ ! tests/fuzz/fuzz_file.h -nt "$out" ]; then
        continue
    fi
    # shellcheck disable=SC2086
    $CC $FLAGS -c "$src" -o "$objdir/target_$t.o"
    # shellcheck disable=SC2046
    $CC -fsanitize=fuzzer,address,undefined "$objdir/target_$t.o" \
        $(for s in $srcs; do echo "$objdir/$(echo "$s" | tr / _).o"; done) -o "$out" \
        -lfftw3 -lfftw3f -lgsl -llapacke -lopenblas -lm
    echo "fuzz: built $out"
done
