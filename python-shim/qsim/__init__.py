"""qsim: a state-vector quantum circuit simulator (Python interface).

A pure-Python package that calls libqsim and libqsimhybrid through ctypes;
it needs numpy only (torch, scikit-learn and matplotlib for the optional
adapters).  Qubit 0 is the least significant bit of a basis index.

    import qsim
    c = qsim.Circuit(2)
    c.h(0).cx(0, 1).rz("theta", 1)
    s = c.simulate({"theta": 0.3})
    s.amplitudes                    # numpy view of the library's memory
    qsim.vqe("h2.txt").energy       # the whole optimization runs in C

Library errors raise exceptions carrying the library's message (QsimError
subclasses of ValueError, MemoryError, OSError...; QasmError with
filename, line, col).  Every object that owns library memory has close()
and works as a context manager; it is also released when collected.
"""

from . import _lib
from ._callback import Callbacks as _Callbacks
from ._ffi import C as _C, TASK_FN as _TASK_FN
from .circuit import Circuit, Register
from .classifier import Classifier, Dataset, Minibatch, predict, read_csv, train_classifier
from .errors import (QasmError, QsimCallbackError, QsimError, QsimInternalError, QsimIOError,
                     QsimMemoryError, QsimNotConverged, QsimUnsupported, QsimValueError)
from .gates import GATES
from .hamiltonian import Hamiltonian
from .kernels import kernel_matrix, minmax_scale, quantum_kernel
from .objective import (Objective, adjoint, adjoint_sweep, batch_values, finite_diff,
                        parameter_shift)
from .optimize import Iteration, Optimizer, Result, minimize, optimizers
from .program import Branch, Program
from .maxcut import Graph, grid_search, interp, maxcut_values, qaoa, qaoa_circuit
from .noise import DensityMatrix, NoiseModel, channel_kraus, trajectories
from .rng import Rng
from .state import State
from .chemistry import hea, uccsd, vqe, vqe_scan
from . import ranks

ranks._start()

__version__ = "0.1.0"
library_version = _C.qs_version().decode()
hybrid_version = _C.qh_version().decode()


def library_paths():
    """{"qsim": path, "qsimhybrid": path} of the libraries in use."""
    return _lib.paths()


def set_num_threads(n):
    """Threads for large states (0 = OMP_NUM_THREADS or all processors);
    process-wide."""
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


def default_backend():
    """The backend new states use."""
    return _C.qs_backend_default().decode()


def select_backend(name=None):
    """The backend for states created from now on (None: automatic)."""
    _C.qs_backend_select(None if not name else name.encode())


def last_error():
    """The library's message of the last failure on this thread."""
    return _C.qs_last_error().decode(errors="replace")


def parallel_threads(n, num_threads=0):
    """The number of threads parallel_for(n, ..., num_threads) uses."""
    return _C.qs_parallel_threads(int(n), int(num_threads))


def parallel_for(n, fn, num_threads=0):
    """Calls fn(index, thread) for every index in [0, n) on the library's
    worker threads (qs_parallel_for), each taking a contiguous slice of the
    indices.  Library calls made inside keep their kernels on that thread.
    The Python parts run one at a time (the GIL); the library calls inside
    run side by side.  An exception raised by fn stops the loop and is
    raised here."""
    cbs = _Callbacks()

    def task(ctx, index, thread):
        fn(index, thread)

    cbs.call(_C.qs_parallel_for, int(n), int(num_threads), cbs.wrap(_TASK_FN, task), None)


_LAZY = {
    "QuantumFunction": "torch", "QuantumLayer": "torch",
    "QuantumKernel": "sklearn",
    "plot_training_curve": "plot", "plot_histogram": "plot", "plot_kernel": "plot",
    "read_log": "plot",
}


def __getattr__(name):
    """The adapters, imported on first use (torch, scikit-learn, matplotlib
    are optional)."""
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError("module 'qsim' has no attribute %r" % name)
    import importlib
    value = getattr(importlib.import_module("." + mod, __name__), name)
    globals()[name] = value
    return value


__all__ = ["Circuit", "Program", "Branch", "Register", "State", "Hamiltonian", "Rng", "GATES",
           "Objective", "adjoint", "parameter_shift", "finite_diff", "batch_values",
           "adjoint_sweep", "Optimizer", "Iteration", "Result", "minimize", "optimizers",
           "hea", "uccsd", "vqe", "vqe_scan", "Graph", "qaoa", "qaoa_circuit", "grid_search",
           "interp", "maxcut_values", "Dataset", "Classifier", "Minibatch", "read_csv",
           "train_classifier", "predict", "quantum_kernel", "kernel_matrix", "minmax_scale",
           "QsimError", "QsimValueError", "QsimMemoryError", "QsimIOError", "QsimNotConverged",
           "QsimUnsupported", "QsimInternalError", "QsimCallbackError", "QasmError",
           "set_num_threads", "get_num_threads", "backends", "default_backend",
           "select_backend", "last_error", "parallel_for", "parallel_threads",
           "library_paths", "library_version", "hybrid_version", "QuantumFunction",
           "QuantumLayer", "QuantumKernel", "plot_training_curve", "plot_histogram",
           "plot_kernel", "read_log"]
