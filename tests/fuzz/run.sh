#!/bin/sh
# run.sh [SECONDS] [TARGET...] - builds the fuzz targets and fuzzes each in
# turn for SECONDS (default 60; targets: qasm pauli molecule graph csv model
# ckpt noise, default all).  Seeds: tests/fuzz/corpus (OpenQASM, and
# ../shared/conformance/circuits when present) and tests/fuzz/seeds/NAME;
# new inputs go to tests/fuzz/work/NAME, findings to tests/fuzz/crashes/.
# Each run ends with libFuzzer's stat::number_of_executed_units; a line
# "fuzz NAME: N executions, exit S" per target sums it up.
set -eu
# a refused allocation returns NULL (the library says "out of memory"), not an ASan abort
export ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1}
cd "$(dirname "$0")/../.."
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-qasm pauli molecule graph csv model ckpt noise}
# shellcheck disable=SC2086
sh tests/fuzz/build.sh $targets
mkdir -p tests/fuzz/crashes
rc=0
for t in $targets; do
    mkdir -p "tests/fuzz/work/$t"
    if [ "$t" = qasm ]; then
        seeds="tests/fuzz/corpus"
        [ -d ../shared/conformance/circuits ] && seeds="$seeds ../shared/conformance/circuits"
        extra="-dict=tests/fuzz/qasm.dict -max_len=8192"
    else
        seeds="tests/fuzz/seeds/$t"
        extra="-max_len=4096"
    fi
    # shellcheck disable=SC2086
    "tests/fuzz/fuzz_$t" -max_total_time="$secs" $extra -timeout=30 -rss_limit_mb=2048 \
        -artifact_prefix="tests/fuzz/crashes/$t-" -print_final_stats=1 \
        "tests/fuzz/work/$t" $seeds 2> "tests/fuzz/work/$t.log" || rc=$?
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "tests/fuzz/work/$t.log")
    echo "fuzz $t: ${n:-0} executions, exit $rc"
    [ $rc -eq 0 ] || tail -30 "tests/fuzz/work/$t.log"
    [ $rc -eq 0 ] || break
done
exit $rc
