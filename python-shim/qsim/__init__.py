"""qsim: a state-vector quantum circuit simulator (Python interface).

A pure-Python package that calls the C library through ctypes; it needs
numpy only.  Qubit 0 is the least significant bit of a basis index.

    import qsim
    c = qsim.Circuit(2)
    c.h(0).cx(0, 1).rz("theta", 1)
    s = c.simulate({"theta": 0.3})
    s.amplitudes            # numpy view of the library's memory
"""

from . import _lib
from ._ffi import C as _C
from .circuit import Circuit, Program
from .errors import (QasmError, QsimError, QsimInternalError, QsimIOError, QsimMemoryError,
                     QsimNotConverged, QsimUnsupported, QsimValueError)
from .gates import GATES
from .hamiltonian import Hamiltonian
from .rng import Rng
from .state import State

__version__ = "0.1.0"
library_version = _C.qs_version().decode()


def load(path):
    """Loads the library from an explicit path (before first use)."""
    return _lib.load(path)


def set_num_threads(n):
    """Threads for large states (0 = OMP_NUM_THREADS or all processors)."""
    _C.qs_set_num_threads(int(n))


def get_num_threads():
    return _C.qs_get_num_threads()


def backends():
    """[(name, available)] of the compiled-in backends, best first."""
    out, i = [], 0
    while _C.qs_backend_name(i) is not None:
        out.append((_C.qs_backend_name(i).decode(), bool(_C.qs_backend_available(i))))
        i += 1
    return out


__all__ = ["Circuit", "Program", "State", "Hamiltonian", "Rng", "GATES", "QsimError",
           "QsimValueError", "QsimMemoryError", "QsimIOError", "QsimNotConverged",
           "QsimUnsupported", "QsimInternalError", "QasmError", "set_num_threads",
           "get_num_threads", "backends", "load", "library_version"]
