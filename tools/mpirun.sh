#!/bin/sh
# mpirun.sh - mpirun as tests and CI need it, on one machine:
#   sh tools/mpirun.sh -np 4 hybrid/cli/qsim vqe --hamiltonian h2.txt
# - as root (CI runs as root; Open MPI refuses it unless told twice);
# - --oversubscribe (more ranks than cores: -np 4 on a 2-core machine);
# - one OpenMP thread per rank unless OMP_NUM_THREADS is set;
# - shared memory only, without CMA single-copy (containers often forbid the
#   ptrace it needs); both overridable through the usual OMPI_MCA_* variables;
# - killed after QSIM_MPI_TIMEOUT seconds (default 120), exit status 124, so a
#   rank left waiting in a collective fails a test instead of hanging CI.
set -u
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export OMPI_MCA_btl="${OMPI_MCA_btl:-self,vader}"
export OMPI_MCA_btl_vader_single_copy_mechanism="${OMPI_MCA_btl_vader_single_copy_mechanism:-none}"
exec timeout --kill-after=10 "${QSIM_MPI_TIMEOUT:-120}" \
    "${MPIRUN:-mpirun}" --oversubscribe "$@"
