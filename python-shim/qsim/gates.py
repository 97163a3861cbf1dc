"""The gate table as the library defines it (names, qubit and parameter
counts, matrices)."""

import ctypes

import numpy as np

from ._ffi import C, ptr

# The library's count of gates: qs_gate_name returns NULL past the end.
_names = []
while True:
    _n = C.qs_gate_name(len(_names))
    if _n is None:
        break
    _names.append(_n.decode())

GATES = tuple(_names)


def gate_id(name):
    """The library's enum value of a gate name (ValueError if unknown)."""
    g = ctypes.c_int()
    C.qs_gate_lookup(name.encode(), ctypes.byref(g))
    return g.value


def num_qubits(name):
    return C.qs_gate_num_qubits(gate_id(name))


def num_params(name):
    return C.qs_gate_num_params(gate_id(name))


def num_controls(name):
    return C.qs_gate_num_controls(gate_id(name))


def matrix(name, *params):
    """The gate's unitary (Qiskit's matrix, qubit 0 = least significant bit
    of the row/column index, controls first)."""
    g = gate_id(name)
    nq, npar = C.qs_gate_num_qubits(g), C.qs_gate_num_params(g)
    if len(params) != npar:
        raise ValueError("%s takes %d parameters, got %d" % (name, npar, len(params)))
    p = np.ascontiguousarray(params, dtype=np.float64) if npar else None
    out = np.empty((1 << nq, 1 << nq), dtype=np.complex128)
    C.qs_gate_matrix(g, ptr(p), ptr(out))
    return out
