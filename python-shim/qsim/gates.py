"""The gate table as the library defines it (names, qubit and parameter
counts, matrices).  Read once at import: gate ids, arities and parameter
counts are looked up in a dict afterwards, not through the library."""

import ctypes

import numpy as np

from ._ffi import C, ptr

# name -> (id, qubit arguments, parameters); qs_gate_name returns NULL past the end.
_TABLE = {}
while True:
    _n = C.qs_gate_name(len(_TABLE))
    if _n is None:
        break
    _g = len(_TABLE)
    _TABLE[_n.decode()] = (_g, C.qs_gate_num_qubits(_g), C.qs_gate_num_params(_g))

GATES = tuple(_TABLE)


def info(name):
    """(id, number of qubits, number of parameters) of a gate name; names the
    table does not hold are asked of the library (ValueError if unknown)."""
    try:
        return _TABLE[name]
    except (KeyError, TypeError):
        g = ctypes.c_int()
        C.qs_gate_lookup(str(name).encode(), ctypes.byref(g))
        return (g.value, C.qs_gate_num_qubits(g.value), C.qs_gate_num_params(g.value))


def checked_info(name, qubits, params):
    """info(name), after checking the numbers of qubits and parameters given."""
    g, nq, npar = info(name)
    if len(qubits) != nq or len(params) != npar:
        raise ValueError("%s takes %d qubits and %d parameters, got %d and %d"
                         % (name, nq, npar, len(qubits), len(params)))
    return g, nq, npar


def gate_id(name):
    """The library's enum value of a gate name (ValueError if unknown)."""
    return info(name)[0]


def num_qubits(name):
    return info(name)[1]


def num_params(name):
    return info(name)[2]


def num_controls(name):
    return C.qs_gate_num_controls(gate_id(name))


def matrix(name, *params):
    """The gate's unitary (Qiskit's matrix, qubit 0 = least significant bit
    of the row/column index, controls first)."""
    g, nq, npar = info(name)
    if len(params) != npar:
        raise ValueError("%s takes %d parameters, got %d" % (name, npar, len(params)))
    p = np.ascontiguousarray(params, dtype=np.float64) if npar else None
    out = np.empty((1 << nq, 1 << nq), dtype=np.complex128)
    C.qs_gate_matrix(g, ptr(p), ptr(out))
    return out
