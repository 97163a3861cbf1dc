#!/bin/sh
# A tiny run of the benchmark so that it cannot rot; the gradient
# workloads have a fixed size (20 qubits), so they get a run of their own.
b="${builddir:-.}/bench/qsim_bench"
"$b" --qubits 10 --threads 1,2 --repeats 2 || exit 1
exec "$b" --qubits 20 --threads 1 --repeats 1 --precision double --workloads grad_forward,grad_fwd_unfused,grad_adjoint
