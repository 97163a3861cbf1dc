#!/bin/sh
# build.sh - builds the libFuzzer target tests/fuzz/fuzz_qasm from the
# library's sources with clang -fsanitize=fuzzer,address,undefined.  Only
# rebuilds when a source or header is newer than the target.
#   FUZZ_CC  the compiler (default clang); exits 77 when it or libFuzzer
#            is missing (Debian: apt-get install clang libclang-rt-14-dev).
set -eu
cd "$(dirname "$0")/../.."
CC=${FUZZ_CC:-clang}
out=tests/fuzz/fuzz_qasm
objdir=tests/fuzz/obj
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "fuzz: no $CC (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    exit 77
fi
# The portable backend only: the SIMD instantiations need their ISA's flags
# (the stub config.h defines no QS_HAVE_AVX*, so nothing refers to them).
srcs=$(find qsim/src -name '*.c' ! -path '*/backend/avx2/*' ! -path '*/backend/avx512/*' | sort)
newer=$(find qsim/src qsim/include tests/fuzz -newer "$out" \( -name '*.c' -o -name '*.h' \
    -o -name '*.def' \) 2>/dev/null | head -n 1 || true)
if [ -x "$out" ] && [ -z "$newer" ]; then
    exit 0
fi
FLAGS="-g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined \
-fno-sanitize-recover=undefined -DQS_BUILDING_LIBRARY -DQQ_FUZZING -DQQ_MAX_OPS=20000 \
-Itests/fuzz/include -Iqsim/include -Iqsim/src"
mkdir -p "$objdir"
echo "fuzz: compiling $(echo "$srcs" | wc -l) library files with $CC"
# shellcheck disable=SC2086
echo "$srcs tests/fuzz/fuzz_qasm.c" | tr ' ' '\n' | grep . |
    xargs -P "$(nproc)" -I{} sh -c 'o='"$objdir"'/$(echo {} | tr / _).o; '"$CC $FLAGS"' -c {} -o "$o"'
# shellcheck disable=SC2086
"$CC" -fsanitize=fuzzer,address,undefined "$objdir"/*.o -o "$out" \
    -lfftw3 -lfftw3f -lgsl -llapacke -lopenblas -lm
echo "fuzz: built $out"
