#!/bin/sh
# run.sh [SECONDS] [JOBS] - builds tests/fuzz/fuzz_qasm and fuzzes the
# OpenQASM parser for SECONDS (default 60) with JOBS processes (default 1).
# New inputs go to tests/fuzz/work/, findings to tests/fuzz/crashes/; the
# seeds are tests/fuzz/corpus/ and ../shared/conformance/circuits when
# present.  Ends with libFuzzer's stat::number_of_executed_units.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
jobs=${2:-1}
sh tests/fuzz/build.sh
mkdir -p tests/fuzz/work tests/fuzz/crashes
seeds="tests/fuzz/corpus"
[ -d ../shared/conformance/circuits ] && seeds="$seeds ../shared/conformance/circuits"
opts="-max_total_time=$secs -dict=tests/fuzz/qasm.dict -max_len=8192 -timeout=30 \
-rss_limit_mb=2048 -artifact_prefix=tests/fuzz/crashes/ -print_final_stats=1"
if [ "$jobs" -gt 1 ]; then
    # shellcheck disable=SC2086
    exec tests/fuzz/fuzz_qasm $opts -jobs="$jobs" -workers="$jobs" tests/fuzz/work $seeds
fi
# shellcheck disable=SC2086
exec tests/fuzz/fuzz_qasm $opts tests/fuzz/work $seeds
