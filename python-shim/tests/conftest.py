"""pytest setup for the Python package: the package from this checkout, the
shared data, and a report section at the end of the run (per-call overhead,
the torch training result) that tools/test.sh shows in its summary."""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SHIM = os.path.dirname(HERE)
ROOT = os.path.dirname(SHIM)
sys.path.insert(0, SHIM)   # the package, from the checkout
SHARED = os.environ.get("QSIM_SHARED_DIR", os.path.normpath(os.path.join(ROOT, "..", "shared")))
QSIM_BIN = os.path.join(os.environ.get("QSIM_BUILDDIR", ROOT), "hybrid", "cli", "qsim")

_REPORT = []


def shared(rel):
    path = os.path.join(SHARED, rel)
    if not os.path.exists(path):
        raise FileNotFoundError("missing shared file %s (set QSIM_SHARED_DIR)" % path)
    return path


def report(line):
    """A line for the "qsim report" section printed at the end of the run."""
    _REPORT.append(line)


@pytest.fixture(scope="session")
def qsim_bin():
    if not os.path.exists(QSIM_BIN):
        pytest.fail("%s not found: build first (sh tools/setup.sh)" % QSIM_BIN)
    return QSIM_BIN


def pytest_terminal_summary(terminalreporter):
    if _REPORT:
        terminalreporter.section("qsim report")
        for line in _REPORT:
            terminalreporter.write_line("qsim report: " + line)
