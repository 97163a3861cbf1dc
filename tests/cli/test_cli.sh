#!/bin/sh
# test_cli.sh - the qsim commands of the hybrid layer on the small data
# sets, with their targets asserted: vqe on H2 (and a dissociation scan),
# qaoa on cycle_n6, train/predict on moons, kernel on iris; exit codes and
# file:line:col diagnostics; atomic output; same seed, same bits for any
# thread count; and runs killed with SIGKILL and resumed from their
# checkpoints ending exactly like uninterrupted ones.
#
# Prints a Criterion-style "Synthesis:" line so tools/test.sh counts it.
set -u
top_srcdir=${srcdir:-.}
QSIM=${builddir:-.}/hybrid/cli/qsim
DATA=${QSIM_SHARED_DIR:-$top_srcdir/../shared}/data
T=$(mktemp -d "${TMPDIR:-/tmp}/qsim_cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }

# jget FILE KEY: the value of "KEY": in a one-key-per-line JSON file
jget() { sed -n "s/^  \"$2\": \\(.*\\)\$/\\1/p" "$1" | sed 's/,$//; s/^"//; s/"$//'; }
# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
# atleast A B: A >= B
atleast() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
# same FILE FILE: equal but for timing fields
same() {
    grep -v '"wall_time_s"' "$1" | sed 's/"elapsed": [0-9.e+-]*, //' > "$T/same.a"
    grep -v '"wall_time_s"' "$2" | sed 's/"elapsed": [0-9.e+-]*, //' > "$T/same.b"
    cmp -s "$T/same.a" "$T/same.b"
}

for f in molecules/h2_sto3g_0.7414.txt maxcut/cycle_n6.txt classification/moons_train.csv; do
    if [ ! -r "$DATA/$f" ]; then
        echo "missing shared file $DATA/$f (set QSIM_SHARED_DIR to the shared/ folder)"
        exit 1
    fi
done

# ---- vqe: H2 within 1e-6 Ha of exact_ground_energy -------------------------
H2=$DATA/molecules/h2_sto3g_0.7414.txt
"$QSIM" vqe --hamiltonian "$H2" --output "$T/vqe.json" --quiet > "$T/vqe.txt"
check "vqe H2 runs" $?
want=$(sed -n 's/^# exact_ground_energy: *\([^ ]*\).*/\1/p' "$H2")
near "$(jget "$T/vqe.json" energy)" "$want" 1e-6
check "vqe H2 energy $(jget "$T/vqe.json" energy) within 1e-6 of $want" $?
near "$(jget "$T/vqe.json" exact_energy)" "$want" 1e-9
check "vqe H2 exact energy (LAPACKE, particle sector)" $?
grep -q 'difference' "$T/vqe.txt"
check "vqe prints the difference" $?

# ---- vqe under noise: depolarizing (p = 0.01) after every cx -----------------
cat > "$T/noise.json" <<'JSON'
{"qsim_noise_model": 1,
 "errors": [{"channel": "depolarizing2", "params": [0.01], "gates": ["cx"]}]}
JSON
"$QSIM" vqe --hamiltonian "$H2" --ansatz hea:1 --noise "$T/noise.json" --maxiter 60 \
    --output "$T/nvqe.json" --quiet > /dev/null
check "vqe --noise runs" $?
[ "$(jget "$T/nvqe.json" gradient)" = shift ] && atleast "$(jget "$T/nvqe.json" energy)" "$want"
check "vqe --noise: parameter shift, energy $(jget "$T/nvqe.json" energy) above the exact $want" $?
"$QSIM" vqe --hamiltonian "$H2" --ansatz hea:1 --noise "$T/noise.json" --grad adjoint \
    --quiet > /dev/null 2> "$T/nvqe.err"
[ $? -eq 2 ] && grep -q 'adjoint needs a pure state' "$T/nvqe.err"
check "vqe --noise --grad adjoint is refused with a reason" $?
printf '{"qsim_noise_model": 1, "errors": [{"channel": "bit_flip", "params": [3], "gates": ["x"]}]}' \
    > "$T/badnoise.json"
"$QSIM" vqe --hamiltonian "$H2" --noise "$T/badnoise.json" --quiet > /dev/null 2> "$T/bad.err"
[ $? -eq 1 ] && grep -q "badnoise.json:1:70: error: bit_flip p 3 outside" "$T/bad.err"
check "vqe --noise with a bad model: file:line:col" $?

# rho does not fit (forced by QSIM_MEMORY_LIMIT; the exact energy's 4 KiB still do):
# trajectories, a standard error, gradients by differences
QSIM_MEMORY_LIMIT=5K "$QSIM" vqe --hamiltonian "$H2" --ansatz hea:1 --noise "$T/noise.json" \
    --optimizer gd --maxiter 1 --output "$T/tvqe.json" --quiet > /dev/null
[ $? -eq 0 ] && [ "$(jget "$T/tvqe.json" trajectories)" = 1000 ] && \
    [ "$(jget "$T/tvqe.json" gradient)" = fd ] && atleast "$(jget "$T/tvqe.json" energy_std_error)" 1e-6
check "vqe --noise beyond the density matrix: 1000 trajectories, std error $(jget "$T/tvqe.json" energy_std_error)" $?
"$QSIM" vqe --hamiltonian "$H2" --noise "$T/noise.json" --trajectories 50 --grad shift \
    --quiet > /dev/null 2> "$T/tvqe.err"
[ $? -eq 2 ] && grep -q 'trajectory means (50 trajectories); use --grad fd' "$T/tvqe.err"
check "vqe --trajectories --grad shift is refused with a reason" $?
"$QSIM" train --train "$DATA/classification/moons_train.csv" --noise "$T/badnoise.json" \
    --model "$T/bad.model" --quiet > /dev/null 2> "$T/bad.err"
[ $? -eq 1 ] && grep -q "badnoise.json:1:70: error: bit_flip p 3 outside" "$T/bad.err"
check "train --noise with a bad model: file:line:col" $?
"$QSIM" kernel --train "$DATA/classification/iris_train.csv" --limit 3 --shots 10 \
    > /dev/null 2> "$T/kshots.err"
[ $? -eq 2 ] && grep -q 'kernel entries are exact' "$T/kshots.err"
check "kernel --shots is refused with a reason" $?

# ---- vqe with shot estimates (SPSA): near the exact energy, reproducible ----
"$QSIM" vqe --hamiltonian "$H2" --shots 4000 --optimizer spsa --maxiter 200 --seed 3 \
    --output "$T/svqe.json" --quiet > /dev/null
check "vqe --shots runs" $?
near "$(jget "$T/svqe.json" energy)" "$want" 0.05
check "vqe --shots: estimate $(jget "$T/svqe.json" energy) within 0.05 Ha of $want" $?
"$QSIM" vqe --hamiltonian "$H2" --shots 4000 --optimizer spsa --maxiter 200 --seed 3 \
    --threads 1 --output "$T/svqe1.json" --quiet > /dev/null
same "$T/svqe.json" "$T/svqe1.json"
check "vqe --shots: the same seed gives the same run (any --threads)" $?

"$QSIM" vqe --scan "$DATA/molecules/h2_series" --csv "$T/scan.csv" --quiet --output "$T/scan.json"
check "vqe --scan runs" $?
[ "$(wc -l < "$T/scan.csv")" -eq 31 ] && head -1 "$T/scan.csv" | grep -q '^bond_length,vqe_energy,exact_energy'
check "vqe --scan writes 30 points" $?
awk -F, 'NR > 1 { d = $2 - $3; if (d < 0) d = -d; if (d > 1e-6) bad = 1 } END { exit bad }' "$T/scan.csv"
check "vqe --scan: every point within 1e-6 Ha" $?

"$QSIM" vqe --hamiltonian "$H2" --ansatz hea:2 --quiet --output "$T/hea.json" > /dev/null
near "$(jget "$T/hea.json" energy)" "$want" 1e-5
check "vqe H2 with hea:2 within 1e-5" $?

QASM=$top_srcdir/tests/cli/ansatz/h2_doubles.qasm
"$QSIM" vqe --hamiltonian "$H2" --ansatz "$QASM" --quiet --output "$T/qasm.json" > /dev/null
near "$(jget "$T/qasm.json" energy)" "$want" 1e-6
check "vqe H2 with an OpenQASM 3 ansatz (input float[64] theta)" $?
printf 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] t;\nqubit[4] q;\nrx(t q[0];\n' \
    > "$T/bad.qasm"
"$QSIM" vqe --hamiltonian "$H2" --ansatz "$T/bad.qasm" 2> "$T/err.txt"
[ $? -eq 1 ] && grep -q "bad.qasm:5:[0-9]*: error:" "$T/err.txt"
check "vqe reports an ansatz syntax error as file:line:col" $?

for g in shift fd; do
    "$QSIM" vqe --hamiltonian "$H2" --grad $g --quiet --output "$T/vqe_$g.json" > /dev/null
    near "$(jget "$T/vqe_$g.json" energy)" "$want" 1e-6
    check "vqe H2 with --grad $g" $?
done

# ---- qaoa: cycle_n6, p=1 optimum = header (4.5) to 1e-8 --------------------
C6=$DATA/maxcut/cycle_n6.txt
"$QSIM" qaoa --graph "$C6" --layers 1 --output "$T/qaoa.json" --quiet > "$T/qaoa.txt"
check "qaoa cycle_n6 runs" $?
near "$(jget "$T/qaoa.json" expected_cut)" 4.5 1e-8
check "qaoa p=1 expected cut $(jget "$T/qaoa.json" expected_cut) = 4.5 (header) to 1e-8" $?
near "$(jget "$T/qaoa.json" approximation_ratio)" 0.75 1e-9 && [ "$(jget "$T/qaoa.json" max_cut)" = 6 ]
check "qaoa approximation ratio 0.75 against max cut 6" $?
grep -q '101010' "$T/qaoa.txt"
check "qaoa reports the most likely bitstrings" $?
"$QSIM" qaoa --graph "$C6" --layers 3 --output "$T/qaoa3.json" --quiet > /dev/null
atleast "$(jget "$T/qaoa3.json" expected_cut)" 5.99
check "qaoa p=3 on the 6-cycle finds the max cut" $?

# ---- train / predict: moons test accuracy >= 0.93 --------------------------
CL=$DATA/classification
"$QSIM" train --train "$CL/moons_train.csv" --test "$CL/moons_test.csv" --model "$T/moons.model" \
    --output "$T/train.json" --quiet > /dev/null
check "train moons runs" $?
atleast "$(jget "$T/train.json" test_accuracy)" 0.93
check "train moons test accuracy $(jget "$T/train.json" test_accuracy) >= 0.93" $?
"$QSIM" predict --model "$T/moons.model" --data "$CL/moons_test.csv" --output "$T/pred.json" \
    --csv "$T/pred.csv" > /dev/null
check "predict loads the model" $?
[ "$(jget "$T/pred.json" accuracy)" = "$(jget "$T/train.json" test_accuracy)" ]
check "predict reproduces the test accuracy" $?

# ---- kernel: iris_angle_kernel_train8.csv to 1e-12 --------------------------
"$QSIM" kernel --train "$CL/iris_train.csv" --limit 8 --csv "$T/k8.csv" --quiet
check "kernel runs" $?
grep -v '^#' "$CL/iris_angle_kernel_train8.csv" > "$T/k8ref.csv"
paste -d, "$T/k8.csv" "$T/k8ref.csv" | awk -F, '{ for (j = 1; j <= 8; j++) { d = $j - $(j + 8);
    if (d < 0) d = -d; if (d > m) m = d } } END { exit !(NR == 8 && m <= 1e-12) }'
check "kernel reproduces iris_angle_kernel_train8.csv to 1e-12" $?

# ---- exit codes, diagnostics, atomic output ---------------------------------
"$QSIM" vqe --hamiltonian "$H2" --no-such-option 2> "$T/err.txt"
[ $? -eq 2 ] && grep -q "unknown option '--no-such-option'" "$T/err.txt"
check "usage errors exit 2" $?
printf '# nodes: 3\n0 1\n1 two\n' > "$T/bad.txt"
"$QSIM" qaoa --graph "$T/bad.txt" 2> "$T/err.txt"
[ $? -eq 1 ] && grep -q "bad.txt:3:3: error: expected an edge" "$T/err.txt"
check "input errors exit 1 with file:line:col" $?
echo keep > "$T/out.json"
"$QSIM" vqe --hamiltonian "$T/missing.txt" --output "$T/out.json" 2> /dev/null
[ $? -eq 1 ] && [ "$(cat "$T/out.json")" = keep ]
check "a failed run leaves --output untouched" $?
"$QSIM" vqe --hamiltonian "$H2" --output "$T/no/such/dir/out.json" --quiet > /dev/null 2>&1
[ $? -eq 1 ]
check "an unwritable --output is a user error" $?

# ---- same seed, same bits for any thread count -------------------------------
for t in 1 2; do
    "$QSIM" train --train "$CL/circles_train.csv" --epochs 5 --model "$T/c.model" --seed 7 \
        --threads $t --output "$T/seed$t.json" --quiet > /dev/null
    "$QSIM" qaoa --graph "$DATA/maxcut/3reg_n8.txt" --layers 2 --threads $t \
        --output "$T/q$t.json" --quiet > /dev/null
done
same "$T/seed1.json" "$T/seed2.json" && same "$T/q1.json" "$T/q2.json"
check "same seed, same result with 1 and 2 threads" $?
"$QSIM" train --train "$CL/circles_train.csv" --epochs 5 --model "$T/c.model" --seed 8 \
    --output "$T/seed8.json" --quiet > /dev/null
! same "$T/seed1.json" "$T/seed8.json"
check "another seed, another result" $?

# ---- kill -9 and --resume end like the uninterrupted run ---------------------
# killed NAME DELAY -- ARGS: runs ARGS to the end, then again killed DELAY s
# after its first checkpoint, resumes it, and compares outputs and logs.
killed() {
    name=$1
    delay=$2
    shift 3
    "$QSIM" "$@" --output "$T/$name.full.json" --log "$T/$name.full.log" --quiet > /dev/null
    rm -f "$T/$name.ck"
    "$QSIM" "$@" --output "$T/$name.part.json" --log "$T/$name.part.log" --quiet \
        --checkpoint "$T/$name.ck" --checkpoint-every 2 > /dev/null &
    pid=$!
    i=0
    while [ ! -f "$T/$name.ck" ] && [ $i -lt 400 ] && kill -0 $pid 2> /dev/null; do
        sleep 0.02
        i=$((i + 1))
    done
    sleep "$delay"
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    [ -f "$T/$name.ck" ] || { bad "$name: no checkpoint was written"; return; }
    when="mid-run"
    [ -f "$T/$name.part.json" ] && when="after it finished"
    it=$(grep -c . "$T/$name.part.log")
    "$QSIM" "$@" --output "$T/$name.part.json" --log "$T/$name.part.log" --quiet \
        --checkpoint "$T/$name.ck" --checkpoint-every 2 --resume "$T/$name.ck" > /dev/null
    rc=$?
    [ $rc -eq 0 ] && same "$T/$name.full.json" "$T/$name.part.json" \
        && same "$T/$name.full.log" "$T/$name.part.log"
    check "$name: killed $when (log at line $it of $(grep -c . "$T/$name.full.log")), resumed = uninterrupted" $?
}
killed train_adam 0.05 -- train --train "$CL/moons_train.csv" --epochs 60 --model "$T/k.model"
killed train_adam2 0.3 -- train --train "$CL/moons_train.csv" --epochs 60 --model "$T/k.model"
killed qaoa_bfgs 0.05 -- qaoa --graph "$DATA/maxcut/3reg_n10.txt" --layers 5
killed vqe_scan 0.02 -- vqe --scan "$DATA/molecules/h2_series" --optimizer nelder-mead --maxiter 300
killed vqe_spsa 0.05 -- vqe --hamiltonian "$H2" --optimizer spsa --maxiter 3000
# a checkpoint only resumes the computation that wrote it
"$QSIM" vqe --hamiltonian "$H2" --maxiter 5 --checkpoint "$T/h2.ck" --checkpoint-every 1 --quiet \
    > /dev/null
"$QSIM" vqe --hamiltonian "$H2" --ansatz hea:1 --resume "$T/h2.ck" --quiet 2> "$T/err.txt" > /dev/null
[ $? -eq 1 ] && grep -q "other options" "$T/err.txt"
check "a checkpoint of other options is refused" $?

# ---- the fusion cost model of this CPU: --calibrate, QSIM_COST_MODEL --------
"$QSIM" --calibrate "$T/rows" > "$T/cal.txt" 2>&1 &&
    grep -q "^$("$QSIM" --version | sed 's/.*backend \([^)]*\)).*/\1/') dense " "$T/rows" &&
    grep -q "written to $T/rows" "$T/cal.txt"
check "--calibrate FILE writes the rows of the default backend" $?
QSIM_COST_MODEL="$T/rows" "$QSIM" vqe --hamiltonian "$H2" --output "$T/cal.json" --quiet > /dev/null &&
    near "$(jget "$T/cal.json" energy)" "$(jget "$T/vqe.json" energy)" 1e-9
check "vqe with the calibrated rows: the same energy to 1e-9" $?
printf 'machine x\ncpu dense 1 2 3\n' > "$T/badrows"
QSIM_COST_MODEL="$T/badrows" "$QSIM" vqe --hamiltonian "$H2" --quiet > /dev/null 2> "$T/err.txt"
[ $? -eq 1 ] && grep -q "QSIM_COST_MODEL: $T/badrows:2:" "$T/err.txt"
check "a bad QSIM_COST_MODEL file: exit 1, named with its line" $?
HOME="$T/home" XDG_CACHE_HOME= "$QSIM" --calibrate > /dev/null 2>&1 &&
    [ -s "$T/home/.cache/qsim/cost-model" ]
check "--calibrate without a file fills the cache (~/.cache/qsim/cost-model)" $?

echo "[====] Synthesis: Tested: $((pass + fail)) | Passing: $pass | Failing: $fail | Crashing: 0"
[ $fail -eq 0 ]
