"""Finding and loading the shared libraries libqsim and libqsimhybrid.

Search order for each: an explicit path, given in the environment variable
``QSIM_LIBRARY`` (libqsim) or ``QSIM_HYBRID_LIBRARY`` (libqsimhybrid; without
it, libqsimhybrid is looked for first beside the libqsim that was loaded),
then the build tree this package sits in
(``.libs`` of the checkout, for ``python-shim/qsim``), then the installed
location (the dynamic loader's cache, ``/usr/local/lib``, ``/usr/lib``).

libqsim is always loaded first: libqsimhybrid's own reference to
``libqsim.so.0`` then resolves to that same copy, so both layers share one
thread-local error message and one set of backends.  The libraries are
loaded when ``qsim`` is imported (which checks their versions), so the
explicit path has to be in the environment before that; a process cannot
switch to another copy afterwards (the dynamic loader would bind a second
libqsimhybrid to the first libqsim by its soname).
"""

import ctypes
import ctypes.util
import os

# The library version this package was written against: major*10000+minor*100+patch.
EXPECTED_VERSION = 100
_HERE = os.path.dirname(os.path.abspath(__file__))
_BUILD_TREE = os.path.normpath(os.path.join(_HERE, "..", ".."))
_ENV = {"qsim": "QSIM_LIBRARY", "qsimhybrid": "QSIM_HYBRID_LIBRARY"}

_libs = {}


def _candidates(name, explicit, beside=None):
    """Paths to try for lib<name>, in order, with where each came from."""
    out = []
    if explicit:
        out.append((os.fspath(explicit), "the path given"))
    env = os.environ.get(_ENV[name])
    if env:
        out.append((env, _ENV[name]))
    if beside:
        out.append((os.path.join(beside, "lib%s.so" % name), "beside libqsim"))
    for sub in (".libs", "_build/.libs", "build/.libs"):
        out.append((os.path.join(_BUILD_TREE, sub, "lib%s.so" % name), "the build tree"))
    found = ctypes.util.find_library(name)
    if found:
        out.append((found, "the installed library"))
    for d in ("/usr/local/lib", "/usr/lib", "/usr/lib/x86_64-linux-gnu"):
        out.append((os.path.join(d, "lib%s.so.0" % name), "the installed library"))
    out.append(("lib%s.so.0" % name, "the dynamic loader's search path"))
    return out


def _open(name, explicit=None, beside=None):
    tried, seen = [], set()
    for path, origin in _candidates(name, explicit, beside):
        if path in seen:
            continue
        seen.add(path)
        if os.path.sep in path and not os.path.exists(path):
            tried.append("%s (%s): not found" % (path, origin))
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s): %s" % (path, origin, e))
    raise ImportError("cannot load lib%s; tried:\n  %s\nBuild it (sh tools/setup.sh), install it "
                      "(make install), or set %s to the path of lib%s.so"
                      % (name, "\n  ".join(tried), _ENV[name], name))


def _version_text(number):
    return "%d.%d.%d" % (number // 10000, number // 100 % 100, number % 100)


def _check_version(got, what):
    if got // 100 != EXPECTED_VERSION // 100:
        raise ImportError("%s version %s does not match the Python package (%d.%d.x)"
                          % (what, _version_text(got), EXPECTED_VERSION // 10000,
                             EXPECTED_VERSION // 100 % 100))


def _dir_of(lib):
    """The directory a loaded library came from (None if unknown)."""
    path = getattr(lib, "_name", None)
    if path and os.path.sep in path:
        return os.path.dirname(os.path.realpath(path))
    return None


def load(path=None):
    """Loads libqsim (once) and checks that its version matches this package."""
    lib = _libs.get("qsim")
    if lib is not None and path is None:
        return lib
    lib = _open("qsim", path)
    lib.qs_version_number.restype = ctypes.c_int
    lib.qs_version_number.argtypes = []
    _check_version(lib.qs_version_number(), "libqsim")
    _libs["qsim"] = lib
    return lib


def load_hybrid(path=None):
    """Loads libqsimhybrid (once, after libqsim) and checks its version."""
    lib = _libs.get("qsimhybrid")
    if lib is not None and path is None:
        return lib
    core = load()
    lib = _open("qsimhybrid", path, beside=_dir_of(core))
    lib.qh_version.restype = ctypes.c_char_p
    lib.qh_version.argtypes = []
    text = lib.qh_version().decode()
    try:
        major, minor, patch = (int(p) for p in text.split("."))
    except ValueError:
        raise ImportError("libqsimhybrid reports an unreadable version %r" % text) from None
    _check_version(major * 10000 + minor * 100 + patch, "libqsimhybrid")
    _libs["qsimhybrid"] = lib
    return lib


def paths():
    """{name: path} of the libraries loaded so far."""
    return {name: getattr(lib, "_name", None) for name, lib in _libs.items()}
