#!/bin/sh
# run.sh - distributed states against one process (dist_tests.c) under
# mpirun with 2 and 4 ranks, chunks of 16 amplitudes so that every
# exchange is cut into many messages, and with 3 ranks (refused).
set -u
cd "$(dirname "$0")/../.."
rc=0
for np in 2 4 3; do
    QSIM_EXCHANGE_AMPS=16 sh tools/mpirun.sh -np "$np" tests/dist/dist_tests || rc=1
done
exit $rc
