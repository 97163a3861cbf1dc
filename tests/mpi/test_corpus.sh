#!/bin/sh
# test_corpus.sh - the conformance corpus (../shared/conformance) through
# `mpirun qsim run --distributed`: every circuit large enough for 2 ranks
# with 2, one in three of those large enough for 4 with 4 (each mpirun
# costs 0.5-3 s here; tests/dist checks every gate at 2 and 4 ranks).
# Each result (the state vector when
# the reference is a pure state, else the exact probabilities, mid-circuit
# measurements enumerated) must equal one process's to 1e-10 (the
# corpus's own tolerance is 1e-8).  Circuits with too few qubits for the
# ranks (each rank needs 6 local qubits) are counted, and the refusal,
# once with the reason, checked on a few of them.
#
# Prints a Criterion-style "Synthesis:" line so tools/test.sh counts it.
set -u
top_srcdir=${srcdir:-.}
builddir=${builddir:-.}
QSIM=$builddir/hybrid/cli/qsim
MPIRUN="sh $top_srcdir/tools/mpirun.sh"
CORPUS=${QSIM_SHARED_DIR:-$top_srcdir/../shared}/conformance
T=$(mktemp -d "${TMPDIR:-/tmp}/qsim_corpus.XXXXXX")
trap 'rm -rf "$T"' EXIT
export OMP_NUM_THREADS=1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
[ -d "$CORPUS/refs" ] || { echo "missing $CORPUS (set QSIM_SHARED_DIR)"; exit 1; }

# field NAME KEY: a number or string field of refs/NAME.json
field() { sed -n "s/^ *\"$2\": \"*\([^\",]*\)\"*,*\$/\1/p" "$CORPUS/refs/$1.json" | head -1; }
# close A B: the same count of numbers, each within 1e-10; prints the largest difference
close() {
    paste -d' ' "$1" "$2" | awk 'BEGIN { m = 0 }
        { if (NF % 2) { bad = 1; exit }
          for (i = 1; i <= NF / 2; i++) { d = $i - $(i + NF / 2); if (d < 0) d = -d; if (d > m) m = d } }
        END { printf "%.3g\n", m; exit bad || m > 1e-10 || NR == 0 }'
}

# run NAME NP: the circuit distributed over NP ranks gives one process's
# result ($T/one); the largest difference goes to $worst
run() {
    $MPIRUN -np "$2" "$QSIM" run "$qasm" $mode --seed 7 --distributed > "$T/d" 2> "$T/d.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        bad "$1 ($n qubits, -np $2): rc $rc: $(head -3 "$T/d.err")"
        return
    fi
    if d=$(close "$T/one" "$T/d"); then ok; else
        bad "$1 ($n qubits, -np $2, $mode): differs from one process by $d"; fi
    worst=$(awk -v a="$worst" -v b="$d" 'BEGIN { print (b + 0 > a + 0) ? b : a }')
}
# refused NAME NP: refused once, with the reason
refused() {
    $MPIRUN -np "$2" "$QSIM" run "$qasm" $mode --distributed > "$T/d" 2> "$T/d.err"
    rc=$?
    if [ $rc -ne 0 ] && [ "$(grep -c 'error:' "$T/d.err")" -eq 1 ] &&
        grep -q 'ranks are too many' "$T/d.err"; then ok; else
        bad "$1 ($n qubits, -np $2): not refused once with the reason (rc $rc): $(head -3 "$T/d.err")"
    fi
}

small=0 small4=0 ran2=0 ran4=0 worst=0 i=0 checked=
for ref in "$CORPUS"/refs/*.json; do
    name=$(basename "$ref" .json)
    qasm=$CORPUS/circuits/$name.qasm
    n=$(field "$name" n_qubits)
    if grep -q '"statevector": "' "$ref"; then mode=--statevector; else mode=--probabilities; fi
    if [ "$n" -lt 7 ]; then
        # too small for 2 ranks; the refusal (one code path) is checked on
        # the first circuit of 1 and of 6 qubits, each mpirun costing ~2 s
        small=$((small + 1))
        case " $checked " in *" $n "*) continue ;; esac
        [ "$n" -eq 1 ] || [ "$n" -eq 6 ] || continue
        checked="$checked $n"
        refused "$name" 2
        continue
    fi
    "$QSIM" run "$qasm" $mode --seed 7 > "$T/one" 2> "$T/one.err" ||
        { bad "$name: one process fails: $(cat "$T/one.err")"; continue; }
    run "$name" 2
    ran2=$((ran2 + 1))
    if [ "$n" -lt 8 ]; then
        small4=$((small4 + 1))
        [ $small4 -eq 1 ] && refused "$name" 4
    elif [ $((i % 3)) -eq 0 ]; then   # 4 ranks: one circuit in three
        run "$name" 4
        ran4=$((ran4 + 1))
    fi
    [ "$n" -lt 8 ] || i=$((i + 1))
done
echo "corpus through mpirun qsim run --distributed: -np 2 ran all $ran2 circuits of 7 qubits" \
    "or more; $small have fewer (refusal checked on those of 1 and 6 qubits);" \
    "-np 4 ran $ran4 of the $i of 8 qubits or more (one in three), refusal checked at 7;" \
    "largest difference from one process $worst"
echo "[====] Synthesis: Tested: $((pass + fail)) | Passing: $pass | Failing: $fail | Crashing: 0"
[ $fail -eq 0 ]
