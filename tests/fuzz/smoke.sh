#!/bin/sh
# smoke.sh - `make check` keeps the fuzz target building and running: it
# builds it (skipped, status 77, without clang and libFuzzer) and runs
# each seed once plus a few hundred mutations.
set -u
top=$(cd "${srcdir:-.}" && pwd)
sh "$top/tests/fuzz/build.sh"
st=$?
[ $st -eq 0 ] || exit $st
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# New inputs go to the scratch folder (the first), never into the seeds.
"$top/tests/fuzz/fuzz_qasm" -runs=500 -seed=1 -dict="$top/tests/fuzz/qasm.dict" \
    -artifact_prefix="$work/" "$work" "$top/tests/fuzz/corpus"
