#!/bin/sh
# smoke.sh - `make check` keeps every fuzz target building and running: it
# builds them (skipped, status 77, without clang and libFuzzer) and runs
# each one's seeds once plus a few hundred mutations.
set -u
if [ -n "${QSIM_SKIP_FUZZ:-}" ]; then
    echo "fuzz: skipped (QSIM_SKIP_FUZZ is set: the sanitizer build runs the rest)"
    exit 77
fi
top=$(cd "${srcdir:-.}" && pwd)
sh "$top/tests/fuzz/build.sh"
st=$?
[ $st -eq 0 ] || exit $st
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rc=0
for t in qasm pauli molecule graph csv model ckpt noise; do
    if [ "$t" = qasm ]; then
        seeds="$top/tests/fuzz/corpus"
        extra="-dict=$top/tests/fuzz/qasm.dict"
    else
        seeds="$top/tests/fuzz/seeds/$t"
        extra=""
    fi
    mkdir -p "$work/$t"
    # New inputs go to the scratch folder (the first), never into the seeds.
    # shellcheck disable=SC2086
    TMPDIR=$work "$top/tests/fuzz/fuzz_$t" -runs=300 -seed=1 $extra \
        -artifact_prefix="$work/$t-" "$work/$t" "$seeds" > "$work/$t.log" 2>&1 || {
        rc=1
        echo "fuzz_$t failed:"
        tail -40 "$work/$t.log"
    }
    echo "fuzz_$t: $(sed -n 's/^#\([0-9]*\).*DONE.*/\1 runs/p' "$work/$t.log" | tail -1)"
done
exit $rc
