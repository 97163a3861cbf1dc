#!/bin/sh
# test_run.sh - `qsim run` end to end: outputs, exit codes, diagnostics,
# atomic --output, and the shared conformance checker (check.py) run
# against the CLI on every circuit of ../shared/conformance.
# Run by `make check` from the build directory ($srcdir is the source).
set -u
srcdir=${srcdir:-.}
QSIM=${QSIM:-./hybrid/cli/qsim}
SHARED=${QSIM_SHARED_DIR:-$srcdir/../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# same_numbers A B: the same numbers, one by one, within 1e-12.
same_numbers() {
    paste -d' ' "$1" "$2" | awk '{ if (NF % 2) exit 1
        for (i = 1; i <= NF / 2; i++) { d = $i - $(i + NF / 2); if (d > 1e-12 || d < -1e-12) exit 1 } }'
}

# expect NAME STATUS STDOUT-FILE STDERR-PATTERN -- command...
# The command's status must be STATUS; with STDOUT-FILE (or '-') its
# output must equal the file (numbers within 1e-12 when the file's name
# ends in .num); stderr must match the pattern ('' = empty).
expect() {
    name=$1 want=$2 out=$3 errpat=$4
    shift 5
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        bad "$name: exit $got, want $want; stderr: $(cat "$tmp/err")"
        return
    fi
    if [ "${out%.num}" != "$out" ] && [ "$(wc -l <"$out")" -eq "$(wc -l <"$tmp/out")" ] &&
        same_numbers "$out" "$tmp/out"; then
        :
    elif [ "$out" != - ] && ! cmp -s "$out" "$tmp/out"; then
        bad "$name: output differs:"; diff "$out" "$tmp/out" | head -20
        return
    fi
    if [ -z "$errpat" ] && [ -s "$tmp/err" ]; then
        bad "$name: unexpected stderr: $(cat "$tmp/err")"
        return
    fi
    if [ -n "$errpat" ] && ! grep -q -- "$errpat" "$tmp/err"; then
        bad "$name: stderr lacks '$errpat': $(cat "$tmp/err")"
        return
    fi
    ok
}

HEAD='OPENQASM 2.0;
include "qelib1.inc";'

cat >"$tmp/bell.qasm" <<EOF
$HEAD
qreg q[2];
creg c[2];
h q[0];
cx q[0], q[1];
measure q -> c;
EOF
printf '0.70710678118654752 0\n0 0\n0 0\n0.70710678118654752 0\n' >"$tmp/want.num"
expect statevector 0 "$tmp/want.num" '' -- $QSIM run "$tmp/bell.qasm" --statevector
printf '0.5\n0\n0\n0.5\n' >"$tmp/want.num"
expect probabilities 0 "$tmp/want.num" '' -- $QSIM run "$tmp/bell.qasm" --probabilities
expect probabilities-single 0 - '' -- $QSIM run "$tmp/bell.qasm" --probabilities --precision single
expect stdin 0 - '' -- sh -c "$QSIM run - --statevector < '$tmp/bell.qasm'"

# Shots: JSON keyed like Qiskit, last register first, highest bit first.
cat >"$tmp/regs.qasm" <<EOF
$HEAD
qreg q[3];
creg a[2];
creg b[1];
x q[0];
x q[2];
measure q[0] -> a[1];
measure q[1] -> a[0];
measure q[2] -> b[0];
EOF
printf '{\n  "1 10": 100\n}\n' >"$tmp/want"
expect shots-keys 0 "$tmp/want" '' -- $QSIM run "$tmp/regs.qasm" --shots 100 --seed 3
$QSIM run "$tmp/bell.qasm" --shots 1000 --seed 42 >"$tmp/s1"
$QSIM run "$tmp/bell.qasm" --shots=1000 --seed=42 >"$tmp/s2"
if cmp -s "$tmp/s1" "$tmp/s2" && grep -q '"00": ' "$tmp/s1" && grep -q '"11": ' "$tmp/s1" &&
    ! grep -q '"01"\|"10"' "$tmp/s1"; then ok; else bad "shots: seeded Bell counts"; cat "$tmp/s1"; fi

# Expectation values of a Pauli sum.
printf '# a test sum\n0.5 Z0 Z1\n-0.25 X0 X1\n2 I\n' >"$tmp/h.txt"
printf '2.25\n' >"$tmp/want.num"
expect expect 0 "$tmp/want.num" '' -- $QSIM run "$tmp/bell.qasm" --expect "$tmp/h.txt"
printf '1 Z5\n' >"$tmp/big.txt"
expect expect-too-many-qubits 1 - 'acts on 6 qubits, the program has 2' -- \
    $QSIM run "$tmp/bell.qasm" --expect "$tmp/big.txt"
printf '1 Q0\n' >"$tmp/badsum.txt"
expect expect-bad-file 1 - 'qsim run: error: --expect: ' -- \
    $QSIM run "$tmp/bell.qasm" --expect "$tmp/badsum.txt"

# Parameters (OpenQASM 3 inputs).
cat >"$tmp/param.qasm" <<'EOF'
OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input float phi;
qubit[1] q;
ry(2*theta) q[0];
rz(phi) q[0];
EOF
printf '0.75\n0.25\n' >"$tmp/want.num"
expect params 0 "$tmp/want.num" '' -- \
    $QSIM run "$tmp/param.qasm" --param theta=0.52359877559829882 --param phi=-2 --probabilities
expect param-missing 1 - "parameter 'phi' has no value: add --param phi=VALUE" -- \
    $QSIM run "$tmp/param.qasm" --param theta=1 --probabilities
expect param-unknown 1 - "has no parameter 'psi' (its parameters: theta, phi)" -- \
    $QSIM run "$tmp/param.qasm" --param theta=1 --param phi=1 --param psi=1 --probabilities
expect param-twice 2 - 'already given' -- \
    $QSIM run "$tmp/param.qasm" --param theta=1 --param theta=2 --probabilities
expect param-value 2 - 'not a finite number' -- \
    $QSIM run "$tmp/param.qasm" --param theta=pi --probabilities

# Errors in programs: compiler style, status 1, nothing on stdout.
printf '%s\nqreg q[2];\nh q[0];\n  cx q[0] q[1];\n' "$HEAD" >"$tmp/err.qasm"
expect parse-error 1 /dev/null "err.qasm:5:10: error: expected ';' before 'q'" -- \
    $QSIM run "$tmp/err.qasm" --statevector
expect missing-file 1 /dev/null "qsim run: error: cannot open file" -- \
    $QSIM run "$tmp/none.qasm" --statevector
expect strict 1 /dev/null "strict mode accepts only its 23 gates" -- \
    sh -c "printf '%s\nqreg q[1];\nsx q[0];\n' '$HEAD' | $QSIM run - --strict --statevector"
cat >"$tmp/mixed.qasm" <<EOF
$HEAD
qreg q[1];
creg c[1];
h q[0];
measure q[0] -> c[0];
h q[0];
EOF
expect statevector-mixed 1 /dev/null 'the final state is not pure' -- \
    $QSIM run "$tmp/mixed.qasm" --statevector
printf '0.5\n0.5\n' >"$tmp/want.num"
expect probabilities-mixed 0 "$tmp/want.num" '' -- $QSIM run "$tmp/mixed.qasm" --probabilities

# Usage errors: status 2.
expect no-mode 2 /dev/null 'no output chosen' -- $QSIM run "$tmp/bell.qasm"
expect two-modes 2 /dev/null 'only one of' -- $QSIM run "$tmp/bell.qasm" --statevector --shots 5
expect bad-shots 2 /dev/null '--shots 0' -- $QSIM run "$tmp/bell.qasm" --shots 0
expect unknown-option 2 /dev/null "unknown option '--frobnicate'" -- \
    $QSIM run "$tmp/bell.qasm" --statevector --frobnicate
expect no-file 2 /dev/null 'no program file given' -- $QSIM run --statevector
expect help 0 - '' -- $QSIM run --help
if grep -q 'Examples:' "$tmp/out" && grep -q -- '--param NAME=VALUE' "$tmp/out"; then ok; else bad "help text"; fi
expect main-help 0 - '' -- $QSIM --help
if grep -q '^  run ' "$tmp/out"; then ok; else bad "qsim --help lists run"; fi

# --output: written whole on success, untouched on failure, no leftovers.
echo old >"$tmp/result.txt"
expect output-error 1 /dev/null 'error' -- $QSIM run "$tmp/err.qasm" --statevector --output "$tmp/result.txt"
expect output-kept 0 - '' -- grep -qx old "$tmp/result.txt"
expect output-written 0 /dev/null '' -- $QSIM run "$tmp/bell.qasm" --probabilities -o "$tmp/result.txt"
if [ "$(wc -l <"$tmp/result.txt")" -eq 4 ] && [ "$(ls "$tmp" | grep -c tmp)" -eq 0 ]; then ok; else bad "--output"; fi

# Without a version line: OpenQASM 2.0 with a warning, as Qiskit reads it;
# --strict refuses it.
expect no-header 0 - 'no_header.qasm:1:1: warning: no .OPENQASM. version line' -- \
    $QSIM run "$srcdir/tests/cli/no_header.qasm" --probabilities
expect no-header-strict 1 /dev/null "no_header.qasm:1:1: error: expected 'OPENQASM 2.0;'" -- \
    $QSIM run "$srcdir/tests/cli/no_header.qasm" --strict --probabilities

# Malformed programs (like the corpus's rejected files) are refused cleanly.
for f in "$srcdir"/tests/cli/malformed/*.qasm; do
    expect "malformed $(basename "$f")" 1 /dev/null ': error: ' -- $QSIM run "$f" --statevector
done

# The shared checker on every conformance circuit: state vectors where the
# reference is pure, 20000 shots (binomial test) for the dynamic others.
if [ -f "$SHARED/conformance/tools/check.py" ]; then
    cat >"$tmp/counts.sh" <<EOF
#!/bin/sh
$QSIM run "\$1" --shots "\$2" --seed 12345 | python3 -c 'import json, sys
for k, v in json.load(sys.stdin).items(): print(k, v)'
EOF
    chmod +x "$tmp/counts.sh"
    python3 "$SHARED/conformance/tools/check.py" --refs "$SHARED/conformance/refs" \
        --circuits "$SHARED/conformance/circuits" --tol 1e-10 \
        --state-cmd "$QSIM run {qasm} --statevector" \
        --counts-cmd "$tmp/counts.sh {qasm} {shots}" \
        --malformed "$srcdir/tests/cli/malformed" --error-cmd "$QSIM run {qasm} --statevector" \
        >"$tmp/check.log" 2>&1
    st=$?
    tail -1 "$tmp/check.log"
    if [ $st -eq 0 ] && tail -1 "$tmp/check.log" | grep -q ' 0 failed'; then ok; else
        bad "check.py"; grep -v '^PASS' "$tmp/check.log"; fi
else
    bad "missing $SHARED/conformance/tools/check.py (set QSIM_SHARED_DIR)"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
