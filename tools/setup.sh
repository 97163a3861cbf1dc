#!/bin/sh
# setup.sh - installs the Debian packages qsim needs (only those missing),
# then configures and builds.  Idempotent; run as root or with sudo.
#   QSIM_CONFIGURE_FLAGS  extra ./configure flags (first configure only)
# Also makes the Python environment: .venv, Debian's python3 seeing Debian's
# numpy, scipy, torch, scikit-learn and matplotlib (--system-site-packages),
# with qiskit, qiskit-aer (the reference for OpenQASM 3 dynamic circuits and noise)
# and pytest from PyPI, and the checkout's python-shim on its
# path (so .venv/bin/python can `import qsim` from anywhere).
# Open MPI (openmpi-bin, libopenmpi-dev; python3-mpi4py for Python scripts
# that pass a communicator) so configure builds the MPI parts and the tests
# can run mpirun.
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential autoconf automake libtool pkg-config libfftw3-dev \
liblapacke-dev libopenblas-dev libgsl-dev libcriterion-dev python3 python3-venv python3-pip \
python3-numpy python3-scipy python3-torch python3-sklearn python3-matplotlib \
clang libclang-rt-14-dev openmpi-bin libopenmpi-dev python3-mpi4py"
missing=""
for p in $PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "setup: installing$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

# The .venv must see Debian's numpy and scipy, never a copy of its own: torch,
# scikit-learn and matplotlib are built against them (numpy 1.x), and pip
# would otherwise pull numpy 2 for the newest qiskit.  So pip gets them as
# constraints and picks the newest qiskit that works with them.  An older
# .venv made without the system site packages, or holding its own numpy, is
# made again.
if [ -x .venv/bin/python ] && {
    ! grep -q '^include-system-site-packages = true' .venv/pyvenv.cfg ||
    .venv/bin/python -c 'import numpy, sys; sys.exit(numpy.__file__.startswith("/usr/lib/"))' \
        2>/dev/null; }; then
    echo "setup: making .venv again, on the system site packages"
    rm -rf .venv
fi
if ! .venv/bin/python -c 'import qiskit, qiskit_aer, pytest, numpy, scipy' 2>/dev/null; then
    echo "setup: making .venv (qiskit, qiskit-aer and pytest from PyPI; numpy, scipy, torch, sklearn,"\
        "matplotlib from Debian)"
    [ -x .venv/bin/python ] || /usr/bin/python3 -m venv --system-site-packages .venv
    /usr/bin/python3 -c 'import numpy, scipy
print("numpy==" + numpy.__version__ + "\nscipy==" + scipy.__version__)' >.venv/constraints.txt
    .venv/bin/pip install -q --disable-pip-version-check -c .venv/constraints.txt qiskit qiskit-aer pytest
fi
# PennyLane 0.45 needs numpy 2, which the Debian torch and scikit-learn that
# .venv sees cannot load, so it gets an environment of its own, .venv-pl:
# Debian's python3 without the system site packages, numpy 2, scipy,
# pennylane (and lightning), jax and the device test suite's pytest plugins
# from PyPI.  No torch there: PyPI's torch brings gigabytes of CUDA.
if ! .venv-pl/bin/python -c 'import pennylane, jax, pytest_mock, flaky, wheel' 2>/dev/null; then
    echo "setup: making .venv-pl (pennylane 0.45, numpy 2, jax, pytest from PyPI)"
    [ -x .venv-pl/bin/python ] || /usr/bin/python3 -m venv .venv-pl
    .venv-pl/bin/pip install -q --disable-pip-version-check pennylane==0.45.1 jax pytest \
        pytest-mock flaky wheel
fi
# The checkout's python-shim, installed editable so that PennyLane finds the
# qsim.qubit entry point (again if the checkout moved).
.venv-pl/bin/python -c 'import sys, importlib.metadata as m, qsim
sys.exit(not (qsim.__file__.startswith(sys.argv[1]) and
              "qsim.qubit" in m.entry_points(group="pennylane.plugins").names))' \
    "$PWD/python-shim/" 2>/dev/null ||
    .venv-pl/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation \
        -e python-shim

# `import qsim` from the checkout (rewritten if the checkout moved).
pth=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/qsim-checkout.pth
[ "$(cat "$pth" 2>/dev/null)" = "$PWD/python-shim" ] || echo "$PWD/python-shim" >"$pth"

[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure ${QSIM_CONFIGURE_FLAGS:-}
make -j"$(nproc)"
