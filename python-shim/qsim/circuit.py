"""Circuits with named symbolic parameters, built with methods or read
from OpenQASM, and written back as OpenQASM."""

import ctypes
import os
import functools
import inspect
import re
import threading
import warnings
from collections import namedtuple

import numpy as np

from ._arrays import INT_MAX, complexes, count as _n, ints, reals, small_ints, small_reals
from ._ffi import C, ptr
from ._handle import Handle, new_handle
from . import _oplog
from .errors import QsimError, QsimUnsupported, QsimValueError
from .gates import GATES, checked_info, info as gate_info
from .program import Program, bind

_IDENT = re.compile(r"[^\W\d]\w*")
_RESERVED = {"pi", "tau", "euler", "sin", "cos", "tan", "asin", "acos", "atan", "arcsin",
             "arccos", "arctan", "exp", "ln", "log", "sqrt", "abs", "e", "π", "τ", "ℇ"}

# Flags of qs_circuit_parse_*() and qs_circuit_write_qasm().
PARSE_STRICT = 1
PARSE_CHECK_MEMORY = 2
PARSE_F32 = 4
QASM_AUTO = 0
QASM_3 = 1
_QFT_INVERSE = 1

Register = namedtuple("Register", "name first size")


def _expr(value):
    """A gate argument as the library's expression text."""
    return value if isinstance(value, str) else repr(float(value))


def _warn_parse():
    """The parser's warnings (a program without a version line read as
    OpenQASM 2.0) as Python warnings."""
    for line in C.qs_last_warning().decode(errors="replace").splitlines():
        warnings.warn(line, stacklevel=3)


def _controls(controls, control_values):
    """(controls, values) as ctypes arrays, or (None, None) without controls."""
    if not len(controls):
        return None, None
    if control_values is not None and len(control_values) != len(controls):
        raise ValueError("%d control values for %d controls" % (len(control_values),
                                                                len(controls)))
    return small_ints(controls), (None if control_values is None
                                  else small_ints([int(v) for v in control_values]))


def _parse_flags(strict, check_memory, precision):
    return ((PARSE_STRICT if strict else 0) | (PARSE_CHECK_MEMORY if check_memory else 0)
            | (PARSE_F32 if precision == "single" else 0))


class Circuit(Handle):
    """A circuit on num_qubits qubits and num_clbits classical bits.

    Gates are methods named as in OpenQASM, parameters first, then qubits
    (controls first), as in Qiskit: c.h(0), c.cx(0, 1), c.rx("theta", 1),
    c.u3(0.1, "2*phi", "-theta", 2).  A parameter is a number or an
    expression string; names it uses are declared as circuit parameters in
    order of first use.  Circuit.from_qasm(text) and Circuit.from_file(path)
    read OpenQASM 2.0 and the OpenQASM 3 Qiskit's qasm3.dumps() writes
    (its `input float[64]` names become the parameters, in order).
    """

    _destroy = C.qs_circuit_destroy

    def __init__(self, num_qubits, num_clbits=0, _handle=None):
        super().__init__(_handle if _handle is not None
                         else new_handle(C.qs_circuit_create, int(num_qubits), int(num_clbits)))
        self._program = None
        self._lock = threading.RLock()
        self._sampler = None
        # what the Python methods appended (None: read from OpenQASM or a copy
        # of such a circuit), for inverse/compose/depth/draw
        self._ops = [] if _handle is None else None

    # ---- OpenQASM ------------------------------------------------------------
    @classmethod
    def from_qasm(cls, text, name="<string>", strict=False, check_memory=False,
                  precision="double"):
        """Parses an OpenQASM program held in a string (or bytes).  Errors
        raise QasmError with filename (= name), line and col.  Includes
        other than the built-in headers are read relative to the current
        directory.  strict: OpenQASM 2.0 exactly as the paper has it;
        check_memory: refuse a register whose state would not fit (for the
        precision given)."""
        if isinstance(text, str):
            text = text.encode()
        c = cls(0, _handle=new_handle(C.qs_circuit_parse_string, text, name.encode(),
                                      _parse_flags(strict, check_memory, precision)))
        _warn_parse()
        return c

    @classmethod
    def from_file(cls, path, strict=False, check_memory=False, precision="double"):
        """Parses an OpenQASM file (includes relative to it)."""
        c = cls(0, _handle=new_handle(C.qs_circuit_parse_file, os.fsencode(path),
                                      _parse_flags(strict, check_memory, precision)))
        _warn_parse()
        return c

    @classmethod
    def from_qiskit(cls, qc):
        """A Qiskit QuantumCircuit through qasm3.dumps (the parameters keep
        the names Qiskit's exporter gives them)."""
        from qiskit import qasm3
        return cls.from_qasm(qasm3.dumps(qc), name="<qiskit>")

    def to_qasm(self, version=None):
        """The circuit as OpenQASM text: 2.0 with qelib1.inc when possible,
        else 3.0 (parameters, global phases, discarded measurements); with
        version=3 always 3.0, with version=2 an error if 2.0 cannot say it."""
        if version not in (None, 2, 3, "2", "3", "2.0", "3.0"):
            raise ValueError("version must be None, 2 or 3, got %r" % (version,))
        flags = QASM_3 if str(version).startswith("3") else QASM_AUTO
        n = ctypes.c_size_t()
        buf = ctypes.create_string_buffer(4096)
        try:
            C.qs_circuit_write_qasm(self._handle, flags, buf, len(buf), ctypes.byref(n))
        except QsimValueError as e:
            if e.status != "QS_ERANGE" or n.value < len(buf):
                raise
            buf = ctypes.create_string_buffer(n.value + 1)
            C.qs_circuit_write_qasm(self._handle, flags, buf, len(buf), ctypes.byref(n))
        text = buf.raw[: n.value].decode()
        if str(version).startswith("2") and not text.startswith("OPENQASM 2"):
            raise QsimValueError("to_qasm: the circuit needs OpenQASM 3 (it has parameters, "
                                 "global phases or discarded measurements)", "QS_EUNSUPPORTED")
        return text

    def write_qasm(self, path, version=None):
        """Writes to_qasm(version) to a file, atomically (aside, then renamed)."""
        if str(version).startswith("2"):
            self.to_qasm(2)       # the check of version 2
        C.qs_circuit_write_qasm_file(self._handle, os.fsencode(path),
                                     QASM_3 if str(version).startswith("3") else QASM_AUTO)
        return path

    def _registers(self, count, get):
        h, out = self._handle, []
        name, first, size = ctypes.c_char_p(), ctypes.c_int(), ctypes.c_int()
        for i in range(count(h)):
            get(h, i, ctypes.byref(name), ctypes.byref(first), ctypes.byref(size))
            out.append(Register(name.value.decode(), first.value, size.value))
        return out

    @property
    def qregs(self):
        """[Register(name, first, size)] of a parsed program's quantum registers."""
        return self._registers(C.qs_circuit_num_qregs, C.qs_circuit_qreg)

    @property
    def cregs(self):
        """[Register(name, first, size)] of a parsed program's classical registers."""
        return self._registers(C.qs_circuit_num_cregs, C.qs_circuit_creg)

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
        if self._h is None:
            return "Circuit(closed)"
        return "Circuit(%d qubits, %d clbits, %d ops, parameters %s)" % (
            self.num_qubits, self.num_clbits, len(self), self.parameters)

    def copy(self):
        out = Circuit(0, _handle=new_handle(C.qs_circuit_copy, self._handle))
        out._ops = None if self._ops is None else list(self._ops)
        return out

    def _log(self, op):
        if self._ops is not None:
            self._ops.append(op)

    # ---- building ----------------------------------------------------------------
    def _changed(self):
        self._program = None      # a Program already handed out stays valid
        self._sampler = None

    def add_parameter(self, name):
        """Declares a parameter; returns its index."""
        idx = ctypes.c_int()
        C.qs_circuit_add_param(self._handle, name.encode(), ctypes.byref(idx))
        self._changed()
        return idx.value

    def _declare(self, expr):
        for name in _IDENT.findall(expr):
            if name not in _RESERVED and C.qs_circuit_param_index(self._handle, name.encode()) < 0:
                self.add_parameter(name)

    def append(self, gate, qubits, params=(), controls=(), control_values=None):
        """Appends a named gate with parameters (numbers or expressions),
        under extra controls (control j on |control_values[j]>, all |1>
        when None)."""
        g = checked_info(gate, qubits, params)[0]
        q = small_ints(qubits)
        ctl, vals = _controls(controls, control_values)
        if any(isinstance(p, str) for p in params):
            exprs = [_expr(p) for p in params]
            for e in exprs:
                self._declare(e)
            arr = (ctypes.c_char_p * len(exprs))(*[e.encode() for e in exprs])
            if ctl is None:
                C.qs_circuit_append_gate_expr(self._handle, g, q, arr)
            else:
                C.qs_circuit_append_controlled_gate_expr(self._handle, ctl, vals, len(controls),
                                                         g, q, arr)
        else:
            p = small_reals(params)
            if ctl is None:
                C.qs_circuit_append_gate(self._handle, g, q, p)
            else:
                C.qs_circuit_append_controlled_gate(self._handle, ctl, vals, len(controls), g,
                                                    q, p)
        self._changed()
        self._log(("gate", gate, list(qubits), list(params), list(controls),
                   None if control_values is None else [int(v) for v in control_values]))
        return self

    def pauli_rotation(self, theta, pauli):
        """exp(-i theta/2 P), P as "X0 Y2 Z3", theta a number or expression."""
        from .state import _pauli_args
        q, letters = _pauli_args(pauli)
        theta = _expr(theta)
        self._declare(theta)
        C.qs_circuit_append_pauli_rotation(self._handle, ptr(q), letters.encode(), len(letters),
                                           theta.encode())
        self._changed()
        self._log(("pauli", theta, " ".join("%s%d" % (l, int(i)) for l, i in zip(letters, q))))
        return self

    def matrix(self, matrix, targets, controls=(), control_values=None):
        """A constant dense 2^k x 2^k matrix on k targets (bit j of a row
        index is targets[j]), under optional extra controls."""
        t = ints(targets, "targets")
        m = complexes(matrix, (1 << len(t), 1 << len(t)))
        ctl, vals = _controls(controls, control_values)
        if ctl is None:
            C.qs_circuit_append_matrix(self._handle, ptr(t), len(t), ptr(m))
        else:
            C.qs_circuit_append_controlled_matrix(self._handle, ctl, vals, len(controls),
                                                  ptr(t), len(t), ptr(m))
        self._log(("matrix", m.copy(), [int(i) for i in t], list(controls),
                   None if control_values is None else [int(v) for v in control_values]))
        self._changed()
        return self

    def global_phase(self, phi):
        """A global phase e^{i phi}, phi a number or expression."""
        phi = _expr(phi)
        self._declare(phi)
        C.qs_circuit_append_global_phase(self._handle, phi.encode())
        self._changed()
        self._log(("gphase", phi))
        return self

    def diagonal_exp(self, values, t):
        """exp(-i t D) for D = diag(values) over all 2^n basis states (one
        diagonal pass; a QAOA cost layer), t a number or expression."""
        v = reals(values, (1 << self.num_qubits,), "values (one per basis state)")
        t = _expr(t)
        self._declare(t)
        C.qs_circuit_append_diagonal_exp(self._handle, ptr(v), t.encode())
        self._changed()
        self._log(("diag", v.copy(), t))
        return self

    def qft(self, first, count, inverse=False):
        C.qs_circuit_append_qft(self._handle, _n(first, 0, INT_MAX, "first"), _n(count, 0, INT_MAX, "count"),
                                _QFT_INVERSE if inverse else 0)
        self._changed()
        self._log(("qft", int(first), int(count), bool(inverse)))
        return self

    def measure(self, qubit, clbit):
        C.qs_circuit_append_measure(self._handle, _n(qubit, 0, INT_MAX, "qubit"),
                                    _n(clbit, -1, INT_MAX, "clbit"))
        self._changed()
        self._log(("measure", int(qubit), int(clbit)))
        return self

    def measure_all(self, add_bits=True):
        """As Qiskit's measure_all: a barrier, then qubit j measured into bit
        j of a new classical register "meas" (add_bits=False: into the
        circuit's own bit j, as before)."""
        first = 0
        if add_bits:
            f = ctypes.c_int()
            C.qs_circuit_add_creg(self._handle, b"meas", self.num_qubits, ctypes.byref(f))
            first = f.value
            self.barrier()
        for q in range(self.num_qubits):
            self.measure(q, first + q)
        return self

    def add_register(self, name, size):
        """Adds a classical register of size new bits; returns its first bit."""
        f = ctypes.c_int()
        C.qs_circuit_add_creg(self._handle, name.encode(), _n(size, 0, INT_MAX, "size"),
                             ctypes.byref(f))
        self._changed()
        return f.value

    def reset(self, qubit):
        C.qs_circuit_append_reset(self._handle, _n(qubit, 0, INT_MAX, "qubit"))
        self._changed()
        self._log(("reset", int(qubit)))
        return self

    def barrier(self, *qubits):
        q = small_ints(qubits) if qubits else None
        C.qs_circuit_append_barrier(self._handle, q, len(qubits))
        self._changed()
        self._log(("barrier", [int(i) for i in qubits]))
        return self

    def c_if(self, first_clbit, num_bits, value):
        """Makes the last operation run only if the classical bits
        [first, first+num_bits) read as an integer equal value."""
        C.qs_circuit_set_condition(self._handle, _n(first_clbit, 0, INT_MAX, "first_clbit"),
                                   _n(num_bits, 0, 64, "num_bits"), _n(value, 0, 2 ** 64 - 1, "value"))
        self._changed()
        if self._ops:
            self._ops[-1] = ("cond", int(first_clbit), int(num_bits), int(value), self._ops[-1])
        return self

    # ---- Qiskit habits: inverse, compose, depth, draw ---------------------------
    def _oplist(self, what):
        if self._ops is None:
            raise QsimUnsupported("%s: only circuits built with the Python methods keep their "
                                  "operations (this one was read from OpenQASM)" % what,
                                  "QS_EUNSUPPORTED")
        return self._ops

    def _like(self):
        out = Circuit(self.num_qubits, self.num_clbits)
        for name in self.parameters:
            out.add_parameter(name)
        return out

    def inverse(self):
        """The inverse circuit (a new one): the operations in reverse order,
        each inverted; measurements, resets and conditions refuse."""
        out = self._like()
        for op in [_oplog.inverse_op(op) for op in reversed(self._oplist("inverse"))]:
            _oplog.replay(out, op)
        return out

    def compose(self, other, qubits=None, clbits=None, front=False):
        """A new circuit: this one, then other on qubits (other's qubit j on
        qubits[j]; default 0, 1, ...) and classical bits clbits; with
        front=True other comes first.  Parameters join by name."""
        ops = other._oplist("compose")
        qubits = list(range(other.num_qubits)) if qubits is None else [int(q) for q in qubits]
        clbits = list(range(other.num_clbits)) if clbits is None else [int(c) for c in clbits]
        if len(qubits) != other.num_qubits or len(clbits) != other.num_clbits:
            raise ValueError("compose: %d qubits and %d classical bits given for a circuit of "
                             "%d and %d" % (len(qubits), len(clbits), other.num_qubits,
                                            other.num_clbits))
        if max(qubits + [-1]) >= self.num_qubits or max(clbits + [-1]) >= self.num_clbits:
            raise ValueError("compose: qubits or classical bits beyond this circuit's")
        if front:
            out = self._like()
            mine = self._oplist("compose")
        else:
            out, mine = self.copy(), []
        for op in ops:
            _oplog.replay(out, op, qubits.__getitem__, clbits.__getitem__)
        for op in mine:
            _oplog.replay(out, op)
        return out

    def depth(self):
        """The number of layers, as Qiskit counts them (barriers and global
        phases take none)."""
        lay = [l for l in _oplog.layers(self._oplist("depth"), self.num_qubits,
                                        self.num_clbits) if l is not None]
        return max(lay) + 1 if lay else 0

    def draw(self):
        """A text diagram, a row per qubit and a column per layer ("*" marks
        a control, "M<k>" a measurement into bit k, "?" a condition)."""
        from .gates import num_controls
        return _oplog.draw(self._oplist("draw"), self.num_qubits, self.num_clbits,
                           num_controls)

    # ---- running -------------------------------------------------------------------
    def compile(self, defer_measure=False, fuse=True):
        """The compiled Program (cached until the circuit changes);
        fuse=False: no gate fusion or cache blocking (see Program)."""
        if defer_measure or not fuse:
            return Program(self, defer_measure=defer_measure, fuse=fuse)
        if self._program is None or self._program.closed:
            self._program = Program(self)
        return self._program

    def bind(self, params):
        """params (dict or sequence) -> float64 array in declaration order."""
        return bind(self.parameters, params)

    def simulate(self, params=None, precision="double", seed=None, rng=None, noise=None):
        """A new State holding the circuit applied to |0...0>; with noise (a
        NoiseModel), or when the circuit has channels, a DensityMatrix of
        the noisy circuit (terminal measurements left out)."""
        if noise is not None or C.qs_circuit_num_channels(self._handle):
            from .noise import simulate_density
            return simulate_density(self, params, noise, precision)
        return self.compile().simulate(params, precision, seed=seed, rng=rng)

    def channel(self, name, qubits, *params):
        """Appends a named channel ("depolarizing", "amplitude_damping",
        "thermal_relaxation", ...; see qsim.channel_kraus)."""
        from .noise import channel_kind
        qubits = [qubits] if isinstance(qubits, int) else list(qubits)
        C.qs_circuit_append_channel(self._handle, channel_kind(name), small_ints(qubits),
                                    small_reals([float(x) for x in params]))
        self._changed()
        return self

    def kraus(self, ops, qubits):
        """Appends the channel of Kraus matrices ops (trace preserving)."""
        from .noise import _kraus_array
        qubits = [qubits] if isinstance(qubits, int) else list(qubits)
        nq, n, a = _kraus_array(ops)
        C.qs_circuit_append_kraus(self._handle, small_ints(qubits), nq, n, ptr(a))
        self._changed()
        return self

    def statevector(self, params=None):
        """The amplitudes before the terminal measurements (a numpy copy)."""
        with Program(self, defer_measure=True) as p:
            if p.is_dynamic:
                # resets or measurements whose outcomes are certain leave one branch
                try:
                    branches = p.enumerate(params, max_branches=64)
                except QsimError:
                    branches = []
                if len(branches) == 1 and abs(branches[0].probability - 1) < 1e-12:
                    return branches[0].amplitudes
                raise QsimValueError("statevector: the circuit measures, resets or branches "
                                     "before its end with a random outcome (use "
                                     "probabilities() or sample())", "QS_EUNSUPPORTED")
            with p.simulate(params) as s:
                return s.get_amplitudes()

    def probabilities(self, params=None):
        """The exact distribution over basis states before the terminal
        measurements (for mid-circuit measurement: summed over every branch)."""
        with Program(self, defer_measure=True) as p:
            return p.probabilities(params)

    def sample(self, shots, params=None, seed=None, rng=None):
        """Classical bits of shots runs (see Program.sample), drawn as
        `qsim run --shots` draws them (terminal measurements deferred, so
        the same seed gives the same shots)."""
        if self._sampler is None or self._sampler.closed:
            self._sampler = Program(self, defer_measure=True)
        return self._sampler.sample(shots, params, seed=seed, rng=rng)

    def counts(self, shots, params=None, seed=None, rng=None):
        """{key: count} of shots runs, keyed as Qiskit keys counts: one bit
        string per classical register, the last declared first, each highest
        bit first, separated by spaces (all bits as one string when the
        circuit has no named registers)."""
        nclb = self.num_clbits
        if nclb == 0:
            raise QsimValueError("counts: the circuit has no classical bits", "QS_EINVAL")
        regs = self.cregs or [Register("c", 0, nclb)]
        bits = self.sample(shots, params, seed=seed, rng=rng)
        words = bits.reshape(len(bits), -1)
        vals, cnt = np.unique(words, axis=0, return_counts=True)
        out = {}
        for row, c in zip(vals, cnt):
            def bit(j):
                return int(row[j // 64]) >> (j % 64) & 1
            key = " ".join("".join(str(bit(r.first + i)) for i in range(r.size - 1, -1, -1))
                           for r in reversed(regs))
            out[key] = out.get(key, 0) + int(c)
        return out

    def unitary(self, params=None):
        """The dense unitary (up to 12 qubits) of a circuit without measurement."""
        v = self.bind(params)
        d = 1 << self.num_qubits
        out = np.empty((d, d), dtype=np.complex128)
        C.qs_circuit_unitary(self._handle, ptr(v) if v.size else None, v.size, ptr(out))
        return out


def _gate_method(name):
    g, nq, npar = gate_info(name)

    def method(self, *args):
        if len(args) != npar + nq:
            raise TypeError("%s takes %d parameters and %d qubits, got %d arguments"
                            % (name, npar, nq, len(args)))
        return self.append(name, args[npar:], args[:npar])
    method.__name__ = name
    method.__doc__ = "Appends %s (%d parameters, then %d qubits)." % (name, npar, nq)
    return method


for _g in GATES:
    if not hasattr(Circuit, _g):
        setattr(Circuit, _g, _gate_method(_g))


# One circuit used from several threads: its methods take turns (the
# library's handles are not thread-safe; appends from two threads at once
# would grow its arrays under each other).
def _locked(f):
    @functools.wraps(f)
    def call(self, *args, **kwargs):
        with self._lock:
            return f(self, *args, **kwargs)
    return call


for _name, _attr in list(vars(Circuit).items()):
    if _name.startswith("_") and _name not in ("__len__", "__repr__"):
        continue
    if isinstance(_attr, property):
        setattr(Circuit, _name, property(_locked(_attr.fget),
                                         _locked(_attr.fset) if _attr.fset else None))
    elif inspect.isfunction(_attr):
        setattr(Circuit, _name, _locked(_attr))
Circuit._lock = threading.RLock()   # for circuits made without __init__ (none yet)
