"""Finding and loading the shared libraries.

Search order: an explicit path given to :func:`load`, then the environment
variable ``QSIM_LIBRARY``, then the build tree this package sits in
(``../.libs`` from ``python-shim/``), then the system's installed location.
"""

import ctypes
import ctypes.util
import os

# The library version this package was written against: major*10000+minor*100+patch.
EXPECTED_VERSION = 100
_HERE = os.path.dirname(os.path.abspath(__file__))
_BUILD_TREE = os.path.normpath(os.path.join(_HERE, "..", ".."))

_lib = None


def _candidates(name, explicit):
    """Paths to try for lib<name>, in order, with where each came from."""
    out = []
    if explicit:
        out.append((explicit, "the path given to qsim.load()"))
    env = os.environ.get("QSIM_LIBRARY")
    if env and name == "qsim":
        out.append((env, "QSIM_LIBRARY"))
    for sub in (".libs", "_build/.libs", "build/.libs"):
        out.append((os.path.join(_BUILD_TREE, sub, "lib%s.so" % name), "the build tree"))
    found = ctypes.util.find_library(name)
    if found:
        out.append((found, "the installed library"))
    out.append(("lib%s.so" % name, "the dynamic loader's search path"))
    return out


def _open(name, explicit=None):
    tried = []
    for path, origin in _candidates(name, explicit):
        if os.path.sep in path and not os.path.exists(path):
            tried.append("%s (%s): not found" % (path, origin))
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s): %s" % (path, origin, e))
    raise ImportError("cannot load lib%s; tried:\n  %s\nBuild it (sh tools/setup.sh) or set "
                      "QSIM_LIBRARY to the path of libqsim.so" % (name, "\n  ".join(tried)))


def load(path=None):
    """Loads libqsim (once) and checks that its version matches this package."""
    global _lib
    if _lib is not None and path is None:
        return _lib
    lib = _open("qsim", path)
    lib.qs_version_number.restype = ctypes.c_int
    lib.qs_version_number.argtypes = []
    got = lib.qs_version_number()
    if got // 100 != EXPECTED_VERSION // 100:
        raise ImportError("libqsim version %d.%d.%d does not match the Python package (%d.%d.x)"
                          % (got // 10000, got // 100 % 100, got % 100,
                             EXPECTED_VERSION // 10000, EXPECTED_VERSION // 100 % 100))
    _lib = lib
    return lib
