#!/bin/sh
# test.sh - sets up (tools/setup.sh) and runs every test suite through
# `make check`, then prints each suite's own summary and a total line.
# Exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
QSIM_CONFIGURE_FLAGS=${QSIM_CONFIGURE_FLAGS:---enable-werror} sh tools/setup.sh || exit 1

make -j"$(nproc)" check
rc=$?

# pytest in the .venv that setup.sh made: interop with Qiskit, then the
# Python package (python-shim).
for dir in tests/python python-shim/tests; do
    OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 \
        .venv/bin/python -m pytest -q -p no:cacheprovider "$dir" >"$dir/pytest.log" 2>&1 || {
        rc=1
        echo "=== $dir/pytest.log"
        cat "$dir/pytest.log"
    }
done

# PennyLane's own device test suite on qsim.qubit, analytic and with shots
# (pl-device-test calls the first pytest on PATH: .venv-pl's), then the
# device's own tests, all in .venv-pl.
for shots in none 10000; do
    log=python-shim/tests_pennylane/pl-device-test-$shots.log
    arg=""
    [ "$shots" = none ] || arg="--shots $shots"
    # shellcheck disable=SC2086
    PATH="$PWD/.venv-pl/bin:$PATH" OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 \
        pl-device-test --device qsim.qubit $arg -q -p no:cacheprovider >"$log" 2>&1 || {
        rc=1
        echo "=== $log"
        cat "$log"
    }
done
OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 .venv-pl/bin/python -m pytest -q \
    -p no:cacheprovider python-shim/tests_pennylane >python-shim/tests_pennylane/pytest.log 2>&1 || {
    rc=1
    echo "=== python-shim/tests_pennylane/pytest.log"
    cat python-shim/tests_pennylane/pytest.log
}

# Logs of failed suites, in full: the harness itself only names them.
for trs in $(find . -name '*.trs' | sort); do
    if grep -q '^:test-result: FAIL\|^:test-result: ERROR' "$trs"; then
        echo "=== ${trs%.trs}.log"
        cat "${trs%.trs}.log"
    fi
done
echo "=== summary"
# What the Python tests measured (per-call overhead, the torch model).
grep -h '^qsim report: ' python-shim/tests/pytest.log 2>/dev/null | sed 's/^qsim report: //'
# Criterion's "Synthesis:", the CLI script's "cli: N passed, N failed",
# tests/dist's "dist (P ranks): N passed, N failed" and pytest's
# "N passed[, N failed] in Ts".
logs=$(find . -name '*.log' ! -name 'config.log' ! -name 'test-suite.log' ! -path './.venv/*' | sort)
pattern='Synthesis:\|^cli: [0-9]* passed\|^dist ([0-9]* ranks): [0-9]* passed\|^[0-9][0-9]* \(passed\|failed\|error\).* in [0-9.]*s'
for log in $logs; do
    grep -h "$pattern" "$log" | sed "s|^|${log#./}: |"
done
# shellcheck disable=SC2086
grep -h "$pattern" $logs |
    awk '/Synthesis:/ { for (i = 1; i <= NF; i++) {
             if ($i == "Passing:") p += $(i + 1)
             if ($i == "Failing:" || $i == "Crashing:") f += $(i + 1) } }
         /^cli:/ { p += $2; f += $4 }
         /^dist \(/ { p += $4; f += $6 }
         / in [0-9.]+s/ { for (i = 2; i <= NF; i++) {
             if ($i ~ /^passed/) p += $(i - 1)
             if ($i ~ /^(failed|errors?)/) f += $(i - 1) } }
         END { printf "%d passed, %d failed\n", p, f }'
exit $rc
