#!/bin/sh
# test_issue14.sh - the command-line reproducers of issue 14 (hardening)
# not already in test_files.sh: each gives exit 1 and a message about the
# input (no library function names), never a crash, a hang or NaN output.
# The others: test_files.sh (outputs, full disks, resume and checkpoints,
# messages, oversized classifiers, /dev/zero graphs), the C suites (fuse,
# molecule header overflow, include diamond, dynamic limits) and
# python-shim/tests/test_hardening.py (the Python ones).
#
# Prints a Criterion-style "Synthesis:" line so tools/test.sh counts it.
set -u
top_srcdir=${srcdir:-.}
QSIM=${QSIM:-${builddir:-.}/hybrid/cli/qsim}
DATA=${QSIM_SHARED_DIR:-$top_srcdir/../shared}/data
T=$(mktemp -d "${TMPDIR:-/tmp}/qsim_issue14.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
# refused WHAT PATTERN CMD...: exit 1, PATTERN on stderr, no function name,
# no nan on stdout
refused() {
    what=$1 pat=$2
    shift 2
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    if [ $rc -eq 1 ] && grep -q -- "$pat" "$T/err" && ! grep -q "q[sh]_[a-z_]*:" "$T/err" &&
        ! grep -qi nan "$T/out"; then
        pass=$((pass + 1))
        echo "PASS: $what"
    else
        fail=$((fail + 1))
        echo "FAIL: $what (exit $rc: $(head -c 300 "$T/err"))"
    fi
}
H='OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\n'

# silent NaN: non-finite constant arguments
printf "${H}rx(1e400) q[0];\n" > "$T/a.qasm"
refused "rx(1e400)" "a.qasm:4:1: error: .*not a finite number" "$QSIM" run "$T/a.qasm" --statevector
printf "${H}rx(ln(0)) q[0];\n" > "$T/b.qasm"
refused "rx(ln(0))" "b.qasm:4:1: error: .*not a finite number" "$QSIM" run "$T/b.qasm" --statevector
printf "${H}gate g(a) x { rx(a*a) x; }\ng(1e200) q[0];\n" > "$T/c.qasm"
refused "overflow through a gate definition" "c.qasm:5:1: error: .*not a finite number" \
    "$QSIM" run "$T/c.qasm" --probabilities

# an include diamond: 20 files, each including the next twice (2^20 reads)
i=0
while [ $i -lt 20 ]; do
    printf 'include "d%d.inc";\ninclude "d%d.inc";\n' $((i + 1)) $((i + 1)) > "$T/d$i.inc"
    i=$((i + 1))
done
: > "$T/d20.inc"
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\ninclude "d0.inc";\nqreg q[1];\n' > "$T/dia.qasm"
refused "an include diamond" "more than 1000 include files" "$QSIM" run "$T/dia.qasm" --statevector

# readers with no end: refused at the size cap
refused "--hamiltonian /dev/zero" "larger than the limit" "$QSIM" vqe --hamiltonian /dev/zero --quiet
refused "--train /dev/zero" "larger than the limit" "$QSIM" train --train /dev/zero --quiet
refused "--model /dev/zero" "larger than the limit" \
    "$QSIM" predict --model /dev/zero --data "$DATA/classification/moons_test.csv"

# a 5-line model file with 99999 layers (hung: quadratic parameter lookup)
printf 'qsim-classifier 1\nfeatures 2\nclasses 2\nqubits 2\nlayers 99999\n' > "$T/l.model"
refused "a model of 99999 layers" "more than the limit of 65536" \
    "$QSIM" predict --model "$T/l.model" --data "$DATA/classification/moons_test.csv"

# a 24-qubit register measured mid-circuit (grew to 6.8 GB): refused before
# its branches run
{ printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[24];\ncreg c[24];\nh q;\n'
  printf 'measure q -> c;\nh q;\nmeasure q -> c;\n'; } > "$T/reg24.qasm"
refused "a 24-qubit register measured mid-circuit" "more than the limit of 4096 measurement" \
    "$QSIM" run "$T/reg24.qasm" --probabilities

# mid-circuit measurement with --probabilities: the exact mixture (printed
# zeros once), summing to 1
printf "${H}creg c[1];\nh q[0];\nmeasure q[0] -> c[0];\nh q[0];\n" > "$T/mid.qasm"
"$QSIM" run "$T/mid.qasm" --probabilities > "$T/out" 2> "$T/err"
if [ $? -eq 0 ] && awk '{ d = $1 - 0.5; n++ } d > 1e-12 || d < -1e-12 { bad = 1 }
    END { exit !(n == 2 && !bad) }' "$T/out"; then
    pass=$((pass + 1))
    echo "PASS: mid-circuit measurement: --probabilities is the mixture 0.5 0.5"
else
    fail=$((fail + 1))
    echo "FAIL: mid-circuit measurement: --probabilities gave $(tr '\n' ' ' < "$T/out")"
fi

echo "[====] Synthesis: Tested: $((pass + fail)) | Passing: $pass | Failing: $fail | Crashing: 0"
[ $fail -eq 0 ]
