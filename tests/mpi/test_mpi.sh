#!/bin/sh
# test_mpi.sh - the hybrid commands under mpirun (tools/mpirun.sh: as root,
# --oversubscribe, one OpenMP thread per rank) with 2, 3 and 4 ranks:
# VQE on H2 and LiH, gradients by shifts and differences, the QAOA grid,
# a classifier, predictions and a kernel give one process's results bit for
# bit (their JSON, model and CSV files compared byte by byte); repeated runs
# are identical; rank 0 alone prints, logs and writes; a run interrupted
# under mpirun resumes from its checkpoint; a bad file or an allocation
# failure on one rank, a usage error and a killed rank end every rank
# non-zero within a bounded time, the error shown once; the Python package
# under mpirun; --distributed states (QAOA, LiH's VQE with Pauli strings
# wider than a rank's slice, qsim run).  About 40 s on 2 cores.
#
# Prints a Criterion-style "Synthesis:" line so tools/test.sh counts it.
set -u
top_srcdir=${srcdir:-.}
builddir=${builddir:-.}
QSIM=$builddir/hybrid/cli/qsim
MPIRUN="sh $top_srcdir/tools/mpirun.sh"
DATA=${QSIM_SHARED_DIR:-$top_srcdir/../shared}/data
PY=$builddir/.venv/bin/python
T=$(mktemp -d "${TMPDIR:-/tmp}/qsim_mpi.XXXXXX")
trap 'rm -rf "$T"' EXIT
export OMP_NUM_THREADS=1
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
check() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }
# same FILE FILE: equal but for timing fields
same() {
    grep -v '"wall_time_s"' "$1" | sed 's/"elapsed": [0-9.e+-]*, //' > "$T/same.a"
    grep -v '"wall_time_s"' "$2" | sed 's/"elapsed": [0-9.e+-]*, //' > "$T/same.b"
    cmp -s "$T/same.a" "$T/same.b"
}
# errors FILE: the number of "error:" lines
errors() { grep -c 'error:' "$1"; }
now() { date +%s; }

H2=$DATA/molecules/h2_sto3g_0.7414.txt
LIH=$DATA/molecules/lih_sto3g_1.45.txt
G10=$DATA/maxcut/3reg_n10.txt
IRIS=$DATA/classification/iris_train.csv
IRIST=$DATA/classification/iris_test.csv
for f in "$H2" "$LIH" "$G10" "$IRIS" "$IRIST"; do
    [ -r "$f" ] || { echo "missing shared file $f (set QSIM_SHARED_DIR)"; exit 1; }
done

# same_as_one NAME NP ARGS...: the command with NP ranks writes what one
# process writes: stdout, --output (JSON), and FILE.$NP beside any file
# named in $EXTRA (compared with FILE.1).
same_as_one() {
    name=$1 np=$2
    shift 2
    if [ ! -f "$T/$name.1.json" ]; then
        "$QSIM" "$@" --quiet --output "$T/$name.1.json" > "$T/$name.1.out" 2>&1 ||
            { bad "$name: one process fails"; cat "$T/$name.1.out"; return; }
        for f in $EXTRA; do cp "$f" "$f.1"; done
    fi
    $MPIRUN -np "$np" "$QSIM" "$@" --quiet --output "$T/$name.$np.json" > "$T/$name.$np.out" 2>&1
    rc=$?
    check "$name: -np $np runs" $rc
    [ $rc -eq 0 ] || { cat "$T/$name.$np.out"; return; }
    same "$T/$name.1.json" "$T/$name.$np.json" && cmp -s "$T/$name.1.out" "$T/$name.$np.out"
    check "$name: -np $np prints and writes what one process does, bit for bit" $?
    for f in $EXTRA; do
        cmp -s "$f.1" "$f"
        check "$name: -np $np writes $(basename "$f") as one process does" $?
    done
}

# ---- results of one process ------------------------------------------------
EXTRA=
same_as_one vqe_h2 2 vqe --hamiltonian "$H2"
same_as_one vqe_h2 4 vqe --hamiltonian "$H2"
same_as_one vqe_h2_shift 2 vqe --hamiltonian "$H2" --grad shift
same_as_one vqe_h2_shift 3 vqe --hamiltonian "$H2" --grad shift
same_as_one vqe_h2_fd 4 vqe --hamiltonian "$H2" --grad fd --ansatz hea:1 --maxiter 20
same_as_one vqe_lih 4 vqe --hamiltonian "$LIH"
same_as_one qaoa 2 qaoa --graph "$G10" --layers 2
same_as_one qaoa 4 qaoa --graph "$G10" --layers 2
same_as_one qaoa_shift 3 qaoa --graph "$G10" --grad shift
EXTRA="$T/model.qsim"
same_as_one train 2 train --train "$IRIS" --test "$IRIST" --epochs 3 --model "$T/model.qsim"
same_as_one train 4 train --train "$IRIS" --test "$IRIST" --epochs 3 --model "$T/model.qsim"
EXTRA=
same_as_one predict 3 predict --model "$T/model.qsim.1" --data "$IRIST"
EXTRA="$T/k.csv"
same_as_one kernel 2 kernel --train "$IRIS" --test "$IRIST" --map zz --csv "$T/k.csv"
same_as_one kernel 4 kernel --train "$IRIS" --test "$IRIST" --map zz --csv "$T/k.csv"
EXTRA=

# qsim run: every rank simulates, rank 0 prints; standard input (which
# mpirun gives to rank 0 alone) reaches every rank
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg c[3];\nh q[0];\ncx q[0], q[1];\nry(0.3) q[2];\nmeasure q -> c;\n' > "$T/p.qasm"
"$QSIM" run "$T/p.qasm" --shots 2000 --seed 3 > "$T/run1.out" 2>&1
$MPIRUN -np 3 "$QSIM" run - --shots 2000 --seed 3 < "$T/p.qasm" > "$T/run3.out" 2>&1 &&
    cmp -s "$T/run1.out" "$T/run3.out"
check "qsim run - (standard input) under -np 3 prints one process's counts" $?
"$QSIM" run "$T/p.qasm" --probabilities --output "$T/pr1.txt" > /dev/null 2>&1
$MPIRUN -np 2 "$QSIM" run "$T/p.qasm" --probabilities --output "$T/pr2.txt" > /dev/null 2>&1 &&
    cmp -s "$T/pr1.txt" "$T/pr2.txt"
check "qsim run --output under -np 2: one file, as one process writes it" $?

# repeated runs: the same bits (one model path: it is in the JSON)
M=$T/m.qsim
$MPIRUN -np 4 "$QSIM" train --train "$IRIS" --epochs 2 --quiet --model "$M" \
    --output "$T/r1.json" > /dev/null 2>&1 && mv "$M" "$T/r1.qsim" &&
    $MPIRUN -np 4 "$QSIM" train --train "$IRIS" --epochs 2 --quiet --model "$M" \
        --output "$T/r2.json" > /dev/null 2>&1 &&
    same "$T/r1.json" "$T/r2.json" && cmp -s "$T/r1.qsim" "$M"
check "train -np 4 twice: the same bits" $?

# ---- rank 0 writes; checkpoints and resume -----------------------------------
"$QSIM" train --train "$IRIS" --epochs 40 --log "$T/log1.jsonl" --output "$T/full1.json" \
    --model "$M" --quiet > /dev/null 2>&1 && mv "$M" "$T/full1.qsim"
$MPIRUN -np 3 "$QSIM" train --train "$IRIS" --epochs 40 --log "$T/log3.jsonl" \
    --output "$T/full3.json" --model "$M" --quiet > /dev/null 2>&1
same "$T/log1.jsonl" "$T/log3.jsonl" && same "$T/full1.json" "$T/full3.json"
check "train -np 3: one log and one output, as one process writes them" $?
ls "$T" | grep -q 'tmp'
check "no temporary files left beside the outputs" $((1 - $?))
# interrupted: SIGTERM to mpirun once a checkpoint exists, then resumed.  The
# run is long (400 epochs, a few seconds) so that the signal lands before its
# end even on a fast machine: 40 epochs take 0.25 s, too close to the poll.
"$QSIM" train --train "$IRIS" --epochs 400 --log "$T/logl.jsonl" --output "$T/long1.json" \
    --model "$M" --quiet > /dev/null 2>&1 && mv "$M" "$T/long1.qsim"
rm -f "$M"
$MPIRUN -np 2 "$QSIM" train --train "$IRIS" --epochs 400 --log "$T/logr.jsonl" \
    --checkpoint "$T/run.ckpt" --checkpoint-every 3 --output "$T/res.json" \
    --model "$M" --quiet > /dev/null 2>&1 &
job=$!
i=0
while [ ! -f "$T/run.ckpt" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $job 2>/dev/null
wait $job
[ "$(wc -l < "$T/logr.jsonl")" -lt "$(wc -l < "$T/logl.jsonl")" ]
check "train -np 2 stopped by SIGTERM to mpirun before its end" $?
$MPIRUN -np 2 "$QSIM" train --train "$IRIS" --epochs 400 --log "$T/logr.jsonl" \
    --checkpoint "$T/run.ckpt" --checkpoint-every 3 --resume "$T/run.ckpt" \
    --output "$T/res.json" --model "$M" --quiet > "$T/res.out" 2>&1
check "train -np 2 resumes from its checkpoint" $?
same "$T/long1.json" "$T/res.json" && cmp -s "$T/long1.qsim" "$M" &&
    same "$T/logl.jsonl" "$T/logr.jsonl"
check "train -np 2 interrupted and resumed ends like one uninterrupted process" $?

# ---- failures: every rank exits non-zero, the error shown once, in bounded time
printf 'x1,x2,label\n1,2,0\n3,oops,1\n' > "$T/bad.csv"
export QSIM QSIM_T="$T" QSIM_IRIS="$IRIS"
for r in 1 0; do
    export QSIM_BAD_RANK=$r
    t0=$(now)
    $MPIRUN -np 3 sh -c 'f=$QSIM_IRIS; [ "$OMPI_COMM_WORLD_RANK" = "$QSIM_BAD_RANK" ] && f=$QSIM_T/bad.csv
        exec "$QSIM" train --train "$f" --epochs 2 --model "$QSIM_T/x.qsim"' > "$T/fail.out" 2>&1
    rc=$?
    [ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $(($(now) - t0)) -lt 30 ]
    check "a bad file on rank $r ends the run non-zero, in bounded time (rc $rc)" $?
    [ "$(errors "$T/fail.out")" -eq 1 ] && grep -q 'bad.csv:3:3: error: expected a number' "$T/fail.out" &&
        { [ $r -eq 0 ] || grep -q '(rank 1)' "$T/fail.out"; }
    check "a bad file on rank $r: its error shown once, located" $?
done
[ ! -e "$T/x.qsim" ]
check "a failed run writes no model" $?
# an allocation failure on rank 1 (its address space limited), mid-run
export QSIM_G20="$DATA/maxcut/3reg_n20.txt"
t0=$(now)
$MPIRUN -np 2 sh -c '[ "$OMPI_COMM_WORLD_RANK" = 1 ] && ulimit -v 200000
    exec "$QSIM" qaoa --graph "$QSIM_G20" --grid 2x2 --maxiter 2' > "$T/oom.out" 2>&1
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $(($(now) - t0)) -lt 30 ]
check "out of memory on rank 1 ends the run non-zero, in bounded time (rc $rc)" $?
[ "$(errors "$T/oom.out")" -eq 1 ] && grep -q '(rank 1)' "$T/oom.out"
check "out of memory on rank 1: shown once, by rank 0, naming rank 1" $?
# a usage error (every rank): shown once
$MPIRUN -np 4 "$QSIM" train --bogus > "$T/usage.out" 2>&1
[ $? -eq 2 ] && [ "$(errors "$T/usage.out")" -eq 1 ]
check "a usage error under mpirun: exit 2, shown once" $?
# a rank killed mid-run: mpirun ends the job
t0=$(now)
$MPIRUN -np 3 sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then (sleep 1; kill -9 $$) & fi
    exec "$QSIM" train --train "$QSIM_IRIS" --epochs 1000 --quiet --model "$QSIM_T/k.qsim"' \
    > "$T/kill.out" 2>&1
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $(($(now) - t0)) -lt 30 ]
check "a killed rank ends the run non-zero within 30 s (rc $rc, $(($(now) - t0)) s)" $?

# ---- --distributed: one state over the ranks (the core's), items not dealt out
"$QSIM" qaoa --graph "$G10" --layers 2 --quiet --output "$T/dq1.json" > /dev/null 2>&1
$MPIRUN -np 2 "$QSIM" qaoa --graph "$G10" --layers 2 --distributed --quiet \
    --output "$T/dq2.json" > /dev/null 2>&1
check "qaoa --distributed -np 2 runs" $?
jnum() { sed -n "s/^  \"$2\": \([^,]*\),*\$/\1/p" "$1"; }
awk -v a="$(jnum "$T/dq1.json" expected_cut)" -v b="$(jnum "$T/dq2.json" expected_cut)" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d < 1e-9) }'
check "qaoa --distributed -np 2: one process's expected cut to 1e-9" $?
# LiH: Pauli groups with X/Y on all 12 qubits, more than a rank holds (11, 10)
"$QSIM" vqe --hamiltonian "$LIH" --maxiter 3 --quiet --output "$T/dl1.json" > /dev/null 2>&1
for np in 2 4; do
    $MPIRUN -np $np "$QSIM" vqe --hamiltonian "$LIH" --maxiter 3 --distributed --quiet \
        --output "$T/dl$np.json" > "$T/dl$np.out" 2>&1 &&
        awk -v a="$(jnum "$T/dl1.json" energy)" -v b="$(jnum "$T/dl$np.json" energy)" \
            'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d < 1e-9) }'
    check "vqe LiH --distributed -np $np: one process's energy to 1e-9" $?
done
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[8];\nh q[0];\ncx q[0], q[7];\nry(0.3) q[6];\nrx(0.7) q[7];\ncx q[7], q[2];\n' > "$T/p8.qasm"
"$QSIM" run "$T/p8.qasm" --probabilities > "$T/p8.1" 2>&1
QSIM_DISTRIBUTED=1 $MPIRUN -np 2 "$QSIM" run "$T/p8.qasm" --probabilities > "$T/p8.2" 2>&1 &&
    [ "$(wc -l < "$T/p8.2")" -eq 256 ] &&
    paste "$T/p8.1" "$T/p8.2" | awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 1e-12) bad = 1 }
                                     END { exit bad }'
check "QSIM_DISTRIBUTED=1 qsim run -np 2: one process's probabilities to 1e-12" $?
$MPIRUN -np 2 "$QSIM" vqe --hamiltonian "$H2" --distributed > "$T/dist.out" 2>&1
[ $? -eq 1 ] && [ "$(errors "$T/dist.out")" -eq 1 ] && grep -q 'too many for 4 qubits' "$T/dist.out"
check "--distributed on a state too small for the ranks: refused once, with the reason" $?

# ---- Python -------------------------------------------------------------------
if [ -x "$PY" ]; then
    cat > "$T/ranks.py" <<'EOF'
import sys
import numpy as np
import qsim
h = qsim.Hamiltonian.from_file(sys.argv[1])
o = qsim.Objective(qsim.hea(4, 2), h)
X = np.random.default_rng(5).uniform(-1, 1, (7, o.num_params))
v, g = o.values_and_gradients(X, method="shift")
K = qsim.kernel_matrix(np.random.default_rng(1).uniform(0, 3, (9, 3)))
e = qsim.vqe(sys.argv[1]).energy
out = np.concatenate([v, g.ravel(), o.gradient(X[0], method="shift"), K.ravel(), [e]])
np.save("%s.%d.npy" % (sys.argv[2], qsim.ranks.rank()), out)
if sys.argv[3:] == ["raise"] and qsim.ranks.rank() == 1:
    raise RuntimeError("rank 1 stops")
o.values(X)   # rank 1 raised: the others wait here, until the abort
EOF
    "$PY" "$T/ranks.py" "$H2" "$T/py1" &&
        $MPIRUN -np 3 "$PY" "$T/ranks.py" "$H2" "$T/py3" > "$T/py.out" 2>&1 &&
        "$PY" -c 'import numpy as np, sys
a = np.load(sys.argv[1] + "/py1.0.npy")
sys.exit(not all(np.array_equal(a, np.load("%s/py3.%d.npy" % (sys.argv[1], r))) for r in range(3)))' "$T"
    check "python under mpirun -np 3: every rank gets one process's values, gradients, kernel, VQE" $?
    t0=$(now)
    $MPIRUN -np 2 "$PY" "$T/ranks.py" "$H2" "$T/pyx" raise > "$T/pyx.out" 2>&1
    rc=$?
    [ $rc -ne 0 ] && [ $rc -ne 124 ] && [ $(($(now) - t0)) -lt 30 ] &&
        [ "$(grep -c 'RuntimeError: rank 1 stops' "$T/pyx.out")" -eq 1 ]
    check "python: an exception on one rank ends the run, shown once (rc $rc)" $?
    # QSIM_DISTRIBUTED=1: the hybrid calls' states over the ranks (8 qubits, 2 ranks)
    cat > "$T/dist.py" <<'EOF'
import sys
import numpy as np
import qsim
h = qsim.Hamiltonian.from_string("0.5 Z0 Z7\n-0.3 X6\n0.2 Y0 Y5\n0.1 X1 X2\n")
o = qsim.Objective(qsim.hea(8, 1), h)
X = np.random.default_rng(5).uniform(-1, 1, (3, o.num_params))
v, g = o.values_and_gradients(X)
np.save("%s.%d.npy" % (sys.argv[1], qsim.ranks.rank()), np.concatenate([v, g.ravel()]))
EOF
    "$PY" "$T/dist.py" "$T/pd1" &&
        QSIM_DISTRIBUTED=1 $MPIRUN -np 2 "$PY" "$T/dist.py" "$T/pd2" > "$T/pd.out" 2>&1 &&
        "$PY" -c 'import numpy as np, sys
a = np.load(sys.argv[1] + "/pd1.0.npy")
sys.exit(not all(np.abs(a - np.load("%s/pd2.%d.npy" % (sys.argv[1], r))).max() < 1e-12
                 for r in range(2)))' "$T"
    check "python, QSIM_DISTRIBUTED=1 -np 2: one process's values and gradients to 1e-12" $?
else
    bad "python: no .venv (run tools/setup.sh)"
fi

echo "[====] Synthesis: Tested: $((pass + fail)) | Passing: $pass | Failing: $fail | Crashing: 0"
[ $fail -eq 0 ]
