#!/bin/sh
# test.sh - sets up (tools/setup.sh) and runs every test suite through
# `make check`, then prints each suite's own summary and a total line.
# Exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
QSIM_CONFIGURE_FLAGS=${QSIM_CONFIGURE_FLAGS:---enable-werror} sh tools/setup.sh || exit 1

make -j"$(nproc)" check
rc=$?

# Logs of failed suites, in full: the harness itself only names them.
for trs in $(find . -name '*.trs' | sort); do
    if grep -q '^:test-result: FAIL\|^:test-result: ERROR' "$trs"; then
        echo "=== ${trs%.trs}.log"
        cat "${trs%.trs}.log"
    fi
done
echo "=== summary"
find . -name '*.log' ! -name 'config.log' ! -name 'test-suite.log' | sort | while read -r log; do
    grep -h 'Synthesis:' "$log" | sed "s|^|${log#./}: |"
done
find . -name '*.log' ! -name 'config.log' ! -name 'test-suite.log' -exec cat {} + |
    awk '/Synthesis:/ { for (i = 1; i <= NF; i++) {
             if ($i == "Passing:") p += $(i + 1)
             if ($i == "Failing:" || $i == "Crashing:") f += $(i + 1) } }
         END { printf "%d passed, %d failed\n", p, f }'
exit $rc
