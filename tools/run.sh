#!/bin/sh
# run.sh - sets up (tools/setup.sh) and runs the project's main job: a
# variational algorithm from the command line (VQE on H2 with UCCSD, then
# QAOA on a 6-node ring), on the reference data in ../shared.
set -eu
cd "$(dirname "$0")/.."
sh tools/setup.sh
DATA=${QSIM_SHARED_DIR:-../shared}/data
# the fusion cost model of this CPU, measured once (about a second a backend)
if [ -n "${HOME:-}" ] && [ ! -f "${XDG_CACHE_HOME:-$HOME/.cache}/qsim/cost-model" ]; then
    ./hybrid/cli/qsim --calibrate > /dev/null
fi
./hybrid/cli/qsim vqe --hamiltonian "$DATA/molecules/h2_sto3g_0.7414.txt" --ansatz uccsd
./hybrid/cli/qsim qaoa --graph "$DATA/maxcut/cycle_n6.txt" --layers 2
