#!/bin/sh
# setup.sh - installs the Debian packages qsim needs (only those missing),
# then configures and builds.  Idempotent; run as root or with sudo.
#   QSIM_CONFIGURE_FLAGS  extra ./configure flags (first configure only)
# Also makes the Python environment of the interop tests: .venv (Debian's
# python3) with qiskit, numpy and pytest from PyPI.
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential autoconf automake libtool pkg-config libfftw3-dev \
liblapacke-dev libopenblas-dev libgsl-dev libcriterion-dev python3 python3-venv python3-pip clang libclang-rt-14-dev"
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

if ! .venv/bin/python -c 'import qiskit, numpy, pytest' 2>/dev/null; then
    echo "setup: making .venv (qiskit, numpy, pytest)"
    [ -x .venv/bin/python ] || /usr/bin/python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check qiskit numpy pytest
fi

[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure ${QSIM_CONFIGURE_FLAGS:-}
make -j"$(nproc)"
