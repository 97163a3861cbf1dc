#!/bin/sh
# test_files.sh - the qsim command line against hostile files and options
# (issue 14): outputs never replace a device, FIFO or symlink and keep the
# file's mode; write errors (a full disk: /dev/full) exit 1; a resume
# checks its checkpoint's fields, its input files' contents and its log;
# one option parser for every command.
#
# Prints a Criterion-style "Synthesis:" line so tools/test.sh counts it.
set -u
top_srcdir=${srcdir:-.}
QSIM=${QSIM:-${builddir:-.}/hybrid/cli/qsim}
DATA=${QSIM_SHARED_DIR:-$top_srcdir/../shared}/data
T=$(mktemp -d "${TMPDIR:-/tmp}/qsim_files.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }
# status CODE: the last command's exit status was CODE
H2=$DATA/molecules/h2_sto3g_0.7414.txt
CL=$DATA/classification
cat > "$T/bell.qasm" <<'EOF'
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
h q[0];
cx q[0], q[1];
EOF

# ---- outputs ---------------------------------------------------------------
# A full disk: a private twin of /dev/full when we may make one (as root an
# output that replaced the real one would break the machine), else
# /dev/full itself when we could not replace it anyway.
FULL=""
if mknod "$T/full" c 1 7 2> /dev/null; then
    FULL=$T/full
elif [ "$(id -u)" -ne 0 ] && [ -w /dev/full ]; then
    FULL=/dev/full
fi
if [ -n "$FULL" ]; then
    "$QSIM" run "$T/bell.qasm" --probabilities --output "$FULL" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] && [ -c "$FULL" ] && grep -q "cannot write $FULL" "$T/err"
    check "--output /dev/full: exit 1, /dev/full still a device (exit $rc)" $?
    "$QSIM" run "$T/bell.qasm" --probabilities > "$FULL" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] && grep -q "standard output" "$T/err"
    check "run's stdout on a full disk: exit 1 (exit $rc)" $?
    "$QSIM" vqe --hamiltonian "$H2" --maxiter 3 --quiet > "$FULL" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] && grep -q "standard output" "$T/err"
    check "vqe's report on a full disk: exit 1 (exit $rc)" $?
    "$QSIM" kernel --train "$CL/iris_train.csv" --limit 3 > "$FULL" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] && ! grep -q "(null)" "$T/err" && grep -q "standard output" "$T/err"
    check "kernel's matrix on a full disk: exit 1, says what could not be written" $?
    "$QSIM" vqe --hamiltonian "$H2" --maxiter 3 --quiet --log "$FULL" > /dev/null 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] && grep -q "cannot write the log $FULL" "$T/err"
    check "--log /dev/full: exit 1 (exit $rc)" $?
else
    echo "SKIP: no device like /dev/full to write to (5 checks)"
fi

mkfifo "$T/fifo"
timeout 10 cat "$T/fifo" > "$T/from_fifo" &
reader=$!
"$QSIM" run "$T/bell.qasm" --probabilities --output "$T/fifo"
rc=$?
wait $reader
[ $rc -eq 0 ] && [ -p "$T/fifo" ] && [ "$(wc -l < "$T/from_fifo")" -eq 4 ]
check "--output FIFO: written through, still a FIFO" $?

echo old > "$T/real.txt"
ln -s real.txt "$T/link.txt"
"$QSIM" run "$T/bell.qasm" --probabilities --output "$T/link.txt"
[ $? -eq 0 ] && [ -L "$T/link.txt" ] && [ "$(wc -l < "$T/real.txt")" -eq 4 ]
check "--output SYMLINK: the link stays, its target is replaced" $?

echo old > "$T/mode.txt"
chmod 640 "$T/mode.txt"
"$QSIM" run "$T/bell.qasm" --probabilities --output "$T/mode.txt"
[ "$(stat -c %a "$T/mode.txt")" = 640 ] && [ "$(wc -l < "$T/mode.txt")" -eq 4 ]
check "--output keeps the file's mode (640)" $?
(umask 022 && "$QSIM" run "$T/bell.qasm" --probabilities --output "$T/new.txt")
[ "$(stat -c %a "$T/new.txt")" = 644 ]
check "a new output gets 0666 less the umask (644), not 600" $?
(umask 022 && "$QSIM" train --train "$CL/moons_train.csv" --epochs 1 --model "$T/m.model" \
    --quiet > /dev/null)
[ "$(stat -c %a "$T/m.model")" = 644 ] && ! ls "$T"/m.model.tmp* > /dev/null 2>&1
check "--model: written atomically, mode 644, no temporary left" $?
"$QSIM" run "$T/bell.qasm" --probabilities --output "$T" 2> "$T/err"
[ $? -eq 1 ] && grep -q "directory" "$T/err"
check "--output DIRECTORY: exit 1, says so" $?

# ---- options: one parser -----------------------------------------------------
"$QSIM" run "$T/bell.qasm" --probabilities --seed 1 --seed 2 2> "$T/err"
[ $? -eq 2 ] && grep -q -- "--seed is given twice" "$T/err"
check "an option given twice is a usage error" $?
"$QSIM" vqe --hamiltonian "$H2" --threads 1000000 2> "$T/err"
[ $? -eq 2 ] && grep -q -- "--threads" "$T/err"
check "--threads 1000000: refused with a message" $?
"$QSIM" vqe --hamiltonian "$H2" --log --quiet 2> "$T/err"
[ $? -eq 2 ] && grep -q -- "--log needs a value" "$T/err"
check "--log --quiet: a missing value, not a log named --quiet" $?
"$QSIM" run "$T/bell.qasm" --probabilities -o "$T/o.txt" && [ "$(wc -l < "$T/o.txt")" -eq 4 ]
check "-o is --output" $?
"$QSIM" qaoa --graph "$DATA/maxcut/cycle_n6.txt" --bogus=1 2> "$T/err"
[ $? -eq 2 ] && grep -q "unknown option '--bogus'" "$T/err"
check "unknown --name=value: usage error naming the option" $?

# ---- resume ------------------------------------------------------------------
cp "$H2" "$T/h.txt"
"$QSIM" vqe --hamiltonian "$T/h.txt" --optimizer gd --maxiter=6 --checkpoint "$T/a.ck" \
    --checkpoint-every 2 --log "$T/a.log" --quiet > /dev/null
"$QSIM" vqe --hamiltonian "$T/h.txt" --optimizer gd --maxiter 6 --resume "$T/a.ck" \
    --log "$T/a.log" --quiet > /dev/null 2> "$T/err"
check "--maxiter=6 and --maxiter 6 are the same run for --resume" $?
sed 's/^-0.0[0-9]* /-0.5 /' "$H2" > "$T/h.txt"
cmp -s "$H2" "$T/h.txt" && echo "(the edit did nothing)"
"$QSIM" vqe --hamiltonian "$T/h.txt" --optimizer gd --maxiter 6 --resume "$T/a.ck" --quiet \
    > /dev/null 2> "$T/err"
[ $? -eq 1 ] && grep -q "other input files" "$T/err"
check "a resume after the Hamiltonian's content changed is refused" $?
cp "$H2" "$T/h.txt"
head -c 5000 /dev/urandom | od -An > "$T/other.log"
size=$(wc -c < "$T/other.log")
"$QSIM" vqe --hamiltonian "$T/h.txt" --optimizer gd --maxiter 6 --resume "$T/a.ck" \
    --log "$T/other.log" --quiet > /dev/null 2> "$T/err"
[ $? -eq 1 ] && [ "$(wc -c < "$T/other.log")" -eq "$size" ] && grep -q "not the log" "$T/err"
check "--resume never cuts a log that is not the run's own" $?

# edited checkpoints: refused with a message, never a crash
ck() { printf 'qsim-checkpoint 1\n%s\n' "$1" > "$T/bad.ck"; }
resume_bad() {
    "$QSIM" vqe --hamiltonian "$T/h.txt" --optimizer gd --maxiter 6 --resume "$T/bad.ck" \
        --quiet > /dev/null 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] && grep -q "cannot resume" "$T/err"
    check "$1 (exit $rc: $(head -c 150 "$T/err"))" $?
}
ck "opt 2305843009213693953 0x1p+0 0x1p+0 0x1p+0"
resume_bad "a checkpoint entry of 2^61+1 values"
ck "opt 18446744073709551615 0x1p+0"
resume_bad "a checkpoint entry of 2^64-1 values"
ck "opt -1 0x1p+0"
resume_bad "a checkpoint entry of -1 values"
fp=$(sed -n '/^fingerprint/p' "$T/a.ck")
sed 's/^stage 1 .*/stage 1 0x1p+60/' "$T/a.ck" > "$T/bad.ck"
resume_bad "a checkpoint at stage 2^60"
sed 's/^log_offset 1 .*/log_offset 1 0x1p+40/' "$T/a.ck" > "$T/bad.ck"
"$QSIM" vqe --hamiltonian "$T/h.txt" --optimizer gd --maxiter 6 --resume "$T/bad.ck" \
    --log "$T/a.log" --quiet > /dev/null 2> "$T/err"
[ $? -eq 1 ] && [ "$(wc -c < "$T/a.log")" -lt 100000 ]
check "a log offset of 1 TiB: refused, the log not grown" $?
# the optimizer's iteration count (5th value of opt, 2nd of its 2nd line) set to 2^60
awk 'f { $2 = "0x1p+60"; f = 0 } /^opt / { f = 1 } { print }' "$T/a.ck" > "$T/bad.ck"
timeout 20 "$QSIM" vqe --hamiltonian "$T/h.txt" --optimizer gd --maxiter 6 --resume "$T/bad.ck" \
    --quiet > /dev/null 2> "$T/err"
rc=$?
[ $rc -eq 1 ] && grep -q "not valid" "$T/err"
check "an iteration count of 2^60: refused at once (exit $rc)" $?
printf 'qsim-checkpoint 1\n%s\nstage 1 0x0p+0\nscan_results 0\nopt 1 0x1p+0\n' "$fp" > "$T/bad.ck"
"$QSIM" vqe --hamiltonian "$T/h.txt" --optimizer gd --maxiter 6 --resume "$T/bad.ck" --quiet \
    > /dev/null 2> "$T/err"
[ $? -eq 1 ] && grep -q "optimizer checkpoint" "$T/err"
check "a checkpoint with a 1-value optimizer state: refused" $?

# ---- messages speak of the input, never of our functions -----------------------
QSIM_MEMORY_LIMIT=abc "$QSIM" run "$T/bell.qasm" --probabilities 2> "$T/err"
[ $? -eq 1 ] && grep -q "QSIM_MEMORY_LIMIT='abc' is not a size" "$T/err"
check "QSIM_MEMORY_LIMIT=abc: refused with a message, not ignored" $?
printf '# n_electrons: 0\n1.0 Z0 Z1\n' > "$T/zero.txt"
"$QSIM" vqe --hamiltonian "$T/zero.txt" --quiet 2> "$T/err"
rc=$?
[ $rc -eq 1 ] && ! grep -q "q[sh]_[a-z_]*:" "$T/err"
check "a header giving no parameters: exit 1, no function names (exit $rc: $(cat "$T/err"))" $?
printf 'a,b,label\n0.1,0.2,0\n0.3,0.4,0\n' > "$T/one.csv"
"$QSIM" train --train "$T/one.csv" --epochs 1 --model "$T/one.model" --quiet 2> "$T/err"
rc=$?
[ $rc -eq 1 ] && grep -q "at least 2 classes" "$T/err" && ! grep -q "q[sh]_[a-z_]*:" "$T/err"
check "one class in the CSV: says so about the data (exit $rc: $(cat "$T/err"))" $?
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nrx(1/0) q[0];\n' > "$T/inf.qasm"
"$QSIM" run "$T/inf.qasm" --statevector > "$T/out" 2> "$T/err"
[ $? -eq 1 ] && grep -q "inf.qasm:4:1: error: .*not a finite number" "$T/err" && ! grep -q nan "$T/out"
check "rx(1/0): a located error, no NaN amplitudes" $?

# a reader with no end: refused at the size cap, the message intact
"$QSIM" qaoa --graph /dev/zero --quiet 2> "$T/err"
[ $? -eq 1 ] && grep -q "cannot open /dev/zero: larger than the limit" "$T/err"
check "--graph /dev/zero: refused at the size cap, with its message" $?
"$QSIM" train --train "$CL/moons_train.csv" --epochs 1 --model "$T/no/such/dir/m.model" \
    --quiet > /dev/null 2> "$T/err"
[ $? -eq 1 ] && grep -q "cannot write .*m.model: No such file" "$T/err"
check "--model in a missing folder: exit 1, says why" $?

# oversized classifiers: refused before allocating, saying how much memory
printf 'qsim-classifier 1\nfeatures 8\nclasses 30\nqubits 0\nlayers 2\n' > "$T/k30.model"
"$QSIM" predict --model "$T/k30.model" --data "$CL/moons_test.csv" 2> "$T/err"
[ $? -eq 1 ] && grep -q "k30.model: 30 classes need 30 qubits, more than the limit of 20" "$T/err"
check "a model of 30 classes (2^30 x 30 signs): refused by the qubit limit" $?
printf 'qsim-classifier 1\nfeatures 2\nclasses 2\nqubits 20\nlayers 1\n' > "$T/q20.model"
QSIM_MEMORY_LIMIT=32M "$QSIM" predict --model "$T/q20.model" --data "$CL/moons_test.csv" \
    2> "$T/err"
[ $? -eq 1 ] && grep -q "q20.model: a classifier of 2 classes on 20 qubits: need 0.07.* GiB, have 0.0312 GiB" "$T/err"
check "a 20-qubit model in 32 MiB: 'need X GiB, have Y GiB', exit 1 ($(cat "$T/err"))" $?
QSIM_MEMORY_LIMIT=32M "$QSIM" train --train "$CL/moons_train.csv" --qubits 20 --epochs 1 \
    --quiet 2> "$T/err"
[ $? -eq 1 ] && grep -q "need 0.07.* GiB, have 0.0312 GiB" "$T/err" && ! grep -q "q[sh]_[a-z_]*:" "$T/err"
check "train --qubits 20 in 32 MiB: 'need X GiB, have Y GiB', exit 1" $?

# dynamic circuits: a register measured mid-circuit is 2^n branches
{ printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[20];\ncreg c[20];\nh q;\n'
  printf 'measure q -> c;\nh q;\nmeasure q -> c;\n'; } > "$T/reg20.qasm"
"$QSIM" run "$T/reg20.qasm" --probabilities > /dev/null 2> "$T/err"
[ $? -eq 1 ] && grep -q "the measurement at line 6 of 20 qubits has at least 1048576 possible outcomes, more than the limit of 4096" "$T/err"
check "a 20-qubit register measured mid-circuit: refused before its branches run ($(cat "$T/err"))" $?

echo "[====] Synthesis: Tested: $((pass + fail)) | Passing: $pass | Failing: $fail | Crashing: 0"
[ $fail -eq 0 ]
