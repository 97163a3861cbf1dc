"""pytest setup: where the qsim binary and library are (QSIM_BUILDDIR, else
the source tree, which is also the build tree of an in-tree build)."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("QSIM_BUILDDIR", ROOT))


@pytest.fixture(scope="session")
def qsim_bin():
    path = BUILD / "hybrid" / "cli" / "qsim"
    if not path.exists():
        pytest.fail("%s not found: build first (sh tools/setup.sh)" % path)
    return str(path)


@pytest.fixture(scope="session")
def libqsim():
    path = BUILD / ".libs" / "libqsim.so"
    if not path.exists():
        pytest.fail("%s not found: build first (sh tools/setup.sh)" % path)
    return str(path)
