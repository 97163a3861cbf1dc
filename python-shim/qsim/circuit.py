"""Circuits with named symbolic parameters, and compiled programs."""

import ctypes
import re

import numpy as np

from ._arrays import complexes, ints, reals
from ._ffi import C, ptr
from ._handle import Handle, new_handle
from .gates import GATES, gate_id
from .rng import as_rng

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = {"pi", "tau", "euler", "sin", "cos", "tan", "asin", "acos", "atan", "arcsin",
             "arccos", "arctan", "exp", "ln", "log", "sqrt", "e"}


class Program(Handle):
    """A compiled circuit: run it many times with new parameter values."""

    _destroy = C.qs_program_destroy

    def __init__(self, circuit):
        super().__init__(new_handle(C.qs_program_compile, circuit._handle, 0))
        self.parameters = circuit.parameters
        self.num_clbits = C.qs_program_num_clbits(self._handle)
        self.is_dynamic = bool(C.qs_program_is_dynamic(self._handle))

    def bind(self, params):
        """params (dict or sequence) -> float64 array in declaration order."""
        names = self.parameters
        if params is None:
            params = {}
        if isinstance(params, dict):
            missing = [n for n in names if n not in params]
            extra = [n for n in params if n not in names]
            if missing or extra:
                raise ValueError("parameters: missing %s, unknown %s" % (missing, extra))
            params = [params[n] for n in names]
        v = reals(params) if len(names) else np.zeros(0)
        if v.shape != (len(names),):
            raise ValueError("expected %d parameter values, got %d" % (len(names), v.size))
        return v

    def run(self, state, params=None, seed=None, rng=None):
        """Runs on state (from its current amplitudes); returns the classical bits."""
        v = self.bind(params)
        r = as_rng(rng, seed) if self.is_dynamic else None
        bits = np.zeros(max(self.num_clbits, 1), dtype=np.uint8)
        C.qs_program_run(self._handle, ptr(v) if v.size else None, v.size, state._handle,
                         None if r is None else r._handle, ptr(bits))
        return bits[: self.num_clbits]


class Circuit(Handle):
    """A circuit on num_qubits qubits and num_clbits classical bits.

    Gates are methods named as in OpenQASM, parameters first, then qubits
    (controls first), as in Qiskit: c.h(0), c.cx(0, 1), c.rx("theta", 1),
    c.u3(0.1, "2*phi", "-theta", 2).  A parameter is a number or an
    expression string; names it uses are declared as circuit parameters in
    order of first use.
    """

    _destroy = C.qs_circuit_destroy

    def __init__(self, num_qubits, num_clbits=0, _handle=None):
        super().__init__(_handle if _handle is not None
                         else new_handle(C.qs_circuit_create, int(num_qubits), int(num_clbits)))
        self._program = None

    # ---- description ---------------------------------------------------------
    @property
    def num_qubits(self):
        return C.qs_circuit_num_qubits(self._handle)

    @property
    def num_clbits(self):
        return C.qs_circuit_num_clbits(self._handle)

    @property
    def parameters(self):
        """Parameter names in declaration order (the order of value arrays)."""
        h = self._handle
        return [C.qs_circuit_param_name(h, i).decode() for i in range(C.qs_circuit_num_params(h))]

    def __len__(self):
        return C.qs_circuit_num_ops(self._handle)

    def __repr__(self):
        return "Circuit(%d qubits, %d clbits, %d ops, parameters %s)" % (
            self.num_qubits, self.num_clbits, len(self), self.parameters)

    def copy(self):
        return Circuit(0, _handle=new_handle(C.qs_circuit_copy, self._handle))

    # ---- building ----------------------------------------------------------------
    def _changed(self):
        if self._program is not None:
            self._program.close()
            self._program = None

    def add_parameter(self, name):
        idx = ctypes.c_int()
        C.qs_circuit_add_param(self._handle, name.encode(), ctypes.byref(idx))
        self._changed()
        return idx.value

    def _declare(self, expr):
        for name in _IDENT.findall(expr):
            if name not in _RESERVED and C.qs_circuit_param_index(self._handle, name.encode()) < 0:
                self.add_parameter(name)

    def append(self, gate, qubits, params=()):
        """Appends a named gate with parameters (numbers or expressions)."""
        g = gate_id(gate)
        q = ints(qubits)
        if any(isinstance(p, str) for p in params):
            exprs = [p if isinstance(p, str) else repr(float(p)) for p in params]
            for e in exprs:
                self._declare(e)
            arr = (ctypes.c_char_p * len(exprs))(*[e.encode() for e in exprs])
            C.qs_circuit_append_gate_expr(self._handle, g, ptr(q), arr)
        else:
            p = reals(params) if len(params) else None
            C.qs_circuit_append_gate(self._handle, g, ptr(q), ptr(p))
        self._changed()
        return self

    def pauli_rotation(self, theta, pauli):
        """exp(-i theta/2 P), P as "X0 Y2 Z3", theta a number or expression."""
        from .state import _pauli_args
        q, letters = _pauli_args(pauli)
        theta = theta if isinstance(theta, str) else repr(float(theta))
        self._declare(theta)
        C.qs_circuit_append_pauli_rotation(self._handle, ptr(q), letters.encode(), len(letters),
                                           theta.encode())
        self._changed()
        return self

    def matrix(self, matrix, targets):
        t = ints(targets, "targets")
        m = complexes(matrix, (1 << len(t), 1 << len(t)))
        C.qs_circuit_append_matrix(self._handle, ptr(t), len(t), ptr(m))
        self._changed()
        return self

    def global_phase(self, phi):
        phi = phi if isinstance(phi, str) else repr(float(phi))
        self._declare(phi)
        C.qs_circuit_append_global_phase(self._handle, phi.encode())
        self._changed()
        return self

    def qft(self, first, count, inverse=False):
        C.qs_circuit_append_qft(self._handle, int(first), int(count), 1 if inverse else 0)
        self._changed()
        return self

    def measure(self, qubit, clbit):
        C.qs_circuit_append_measure(self._handle, int(qubit), int(clbit))
        self._changed()
        return self

    def reset(self, qubit):
        C.qs_circuit_append_reset(self._handle, int(qubit))
        self._changed()
        return self

    def barrier(self, *qubits):
        q = ints(qubits) if qubits else None
        C.qs_circuit_append_barrier(self._handle, ptr(q), len(qubits))
        self._changed()
        return self

    def c_if(self, first_clbit, num_bits, value):
        """Makes the last operation run only if the classical bits
        [first, first+num_bits) read as an integer equal value."""
        C.qs_circuit_set_condition(self._handle, int(first_clbit), int(num_bits), int(value))
        self._changed()
        return self

    # ---- running -------------------------------------------------------------------
    def compile(self):
        """The compiled Program (cached until the circuit changes)."""
        if self._program is None:
            self._program = Program(self)
        return self._program

    def simulate(self, params=None, precision="double", seed=None, rng=None):
        """A new State holding the circuit applied to |0...0>."""
        from .state import State
        s = State(self.num_qubits, precision=precision)
        self.compile().run(s, params, seed=seed, rng=rng)
        return s

    def unitary(self, params=None):
        """The dense unitary (up to 12 qubits) of a circuit without measurement."""
        v = self.compile().bind(params)
        d = 1 << self.num_qubits
        out = np.empty((d, d), dtype=np.complex128)
        C.qs_circuit_unitary(self._handle, ptr(v) if v.size else None, v.size, ptr(out))
        return out


def _gate_method(name):
    def method(self, *args):
        npar = C.qs_gate_num_params(gate_id(name))
        nq = C.qs_gate_num_qubits(gate_id(name))
        if len(args) != npar + nq:
            raise TypeError("%s takes %d parameters and %d qubits, got %d arguments"
                            % (name, npar, nq, len(args)))
        return self.append(name, args[npar:], args[:npar])
    method.__name__ = name
    method.__doc__ = "Appends %s (%d parameters, then %d qubits)." % (
        name, C.qs_gate_num_params(gate_id(name)), C.qs_gate_num_qubits(gate_id(name)))
    return method


for _g in GATES:
    if not hasattr(Circuit, _g):
        setattr(Circuit, _g, _gate_method(_g))
