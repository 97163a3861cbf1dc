#!/bin/sh
# A tiny run of the benchmark so that it cannot rot.
exec "${builddir:-.}/bench/qsim_bench" --qubits 10 --threads 1,2 --repeats 2
