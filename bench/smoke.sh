#!/bin/sh
# A tiny run of the benchmark so that it cannot rot; the gradient
# workloads have a fixed size (20 qubits), so they get a run of their own.
# The fused circuit must equal the unfused one after the whole run (a
# workload that moved the shared seed once made it compare two different
# circuits: 0.006 apart at n = 24).
b="${builddir:-.}/bench/qsim_bench"
out=$("$b" --qubits 10 --threads 1,2 --repeats 2) || exit 1
printf '%s\n' "$out"
printf '%s\n' "$out" | awk '/max \|fused - unfused\|/ {
        n++; lim = ($2 == "single") ? 1e-4 : 1e-12
        if ($NF + 0 > lim) { print "smoke: fused differs from unfused: " $0; bad = 1 } }
    END { if (n != 4) { print "smoke: expected 4 fused-vs-unfused lines, got " n + 0; bad = 1 }
          exit bad }' || exit 1
exec "$b" --qubits 20 --threads 1 --repeats 1 --precision double --workloads grad_forward,grad_fwd_unfused,grad_adjoint
