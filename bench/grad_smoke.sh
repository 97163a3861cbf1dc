#!/bin/sh
# A tiny run of the gradient benchmark so that it cannot rot.
exec "${builddir:-.}/bench/grad_bench" --qubits 8 --params 16 --repeats 1 --shift
