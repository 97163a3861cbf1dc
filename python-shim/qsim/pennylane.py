"""qsim as a PennyLane device: ``qml.device("qsim.qubit", wires=n)``.

Written on PennyLane's Device API (pennylane.devices.Device) and registered
through the ``pennylane.plugins`` entry point of python-shim's
pyproject.toml.  Importing this module needs pennylane.

A tape becomes one qsim Circuit: gates of the library's table by name,
Pauli-generated gates (PauliRot, MultiRZ, Ising*, excitations, controlled
rotations...) as Pauli rotations of their generator's terms, everything
else with a matrix on up to 5 wires as a constant matrix, the rest through
PennyLane's decompositions.  Wire i of the device is qsim qubit n-1-i, so
qsim's amplitudes are PennyLane's state vector as they are (wire 0 the most
significant bit).  Expectation values of Pauli sums (Hamiltonians, sums of
products) are one library call; shots are drawn by the library's sampler
from the device's seed.  diff_method="adjoint" runs the library's adjoint
sweep (qs_program_backprop) on the compiled circuit, whose trainable
parameters stay symbolic.
"""

from functools import lru_cache

import numpy as np
import pennylane as qml
from pennylane.devices import Device, ExecutionConfig
from pennylane.devices.modifiers import simulator_tracking, single_tape_support
from pennylane.devices.preprocess import (decompose, no_sampling, validate_adjoint_trainable_params,
                                          validate_device_wires, validate_measurements,
                                          validate_observables)
from pennylane.exceptions import DeviceError
from pennylane.measurements import (ExpectationMP, SampleMeasurement, StateMeasurement, StateMP)
from pennylane.operation import StatePrepBase
from pennylane.transforms import broadcast_expand, defer_measurements
from pennylane.transforms.core import CompilePipeline, transform

from ._ffi import C, ptr
from .circuit import Circuit
from .hamiltonian import Hamiltonian
from .objective import Objective
from .program import Program
from .rng import Rng
from .state import State

# PennyLane name -> qsim gate (same parameter order, same wire order).
NAMED = {
    "PauliX": "x", "PauliY": "y", "PauliZ": "z", "Hadamard": "h", "S": "s", "T": "t",
    "SX": "sx", "Adjoint(S)": "sdg", "Adjoint(T)": "tdg", "Adjoint(SX)": "sxdg",
    "CNOT": "cx", "CY": "cy", "CZ": "cz", "CH": "ch", "SWAP": "swap", "ISWAP": "iswap",
    "CSWAP": "cswap", "Toffoli": "ccx", "CCZ": "ccz", "ECR": "ecr",
    "RX": "rx", "RY": "ry", "RZ": "rz", "PhaseShift": "p", "U1": "p", "U2": "u2", "U3": "u3",
    "ControlledPhaseShift": "cp", "CRX": "crx", "CRY": "cry", "CRZ": "crz",
    "IsingXX": "rxx", "IsingYY": "ryy", "IsingZZ": "rzz",
}
# Gates qsim applies as Pauli rotations of their generator whatever their width.
PAULI_WORDS = {"PauliRot", "MultiRZ"}
NOOPS = {"Identity", "Barrier", "Snapshot", "GlobalPhase"}
MAX_MATRIX_WIRES = 5     # QS_MAX_TARGETS

OBSERVABLES = {"PauliX", "PauliY", "PauliZ", "Hadamard", "Identity", "Hermitian", "Projector",
               "Prod", "Sum", "SProd", "LinearCombination", "SparseHamiltonian"}


def _trainable(op):
    return any(qml.math.requires_grad(d) for d in op.data)


@lru_cache(maxsize=512)
def _generator_terms(key, op):
    """[(coefficient, {wire: letter})] of op's generator G (U = exp(i x G)),
    or None when its terms do not all commute (so the product of their
    rotations is not U)."""
    del key
    gen = op.generator()
    ps = gen.pauli_rep
    if ps is None:
        if len(op.wires) > MAX_MATRIX_WIRES:
            return None
        ps = qml.pauli_decompose(qml.matrix(gen, wire_order=op.wires), wire_order=op.wires,
                                 pauli=True)
    terms = []
    for word, c in ps.items():
        if abs(c) < 1e-15:
            continue
        if abs(np.imag(c)) > 1e-12:
            return None
        terms.append((float(np.real(c)), dict(word)))
    for i, (_, a) in enumerate(terms):
        for _, b in terms[i + 1:]:
            if sum(1 for w in a if w in b and a[w] != b[w]) % 2:
                return None
    return terms


def _gen_key(op):
    return (op.name, op.hash if op.num_params == 0 else
            qml.ops.functions.bind_new_parameters(op, [0.0] * op.num_params).hash)


def generator_terms(op):
    if op.num_params != 1 or not op.has_generator:
        return None
    try:
        key = _gen_key(op)
    except Exception:       # an operator that cannot be rebound: no caching
        key = None
    try:
        if key is None:
            return _generator_terms.__wrapped__(None, op)
        return _generator_terms(key, op)
    except (qml.exceptions.GeneratorUndefinedError, ValueError, TypeError):
        return None


def _controlled_parts(op):
    """(base, control wires, control values) of a controlled operation the
    library runs under extra controls (qs_circuit_append_controlled_*):
    a named gate, or a constant matrix on up to 5 wires; else None."""
    if not isinstance(op, qml.ops.Controlled) or op.name in NAMED:
        return None
    base = op.base
    if base.name not in NAMED and not (base.has_matrix and len(base.wires) <= MAX_MATRIX_WIRES
                                       and base.name not in PAULI_WORDS):
        return None
    if len(op.control_wires) > 63:
        return None
    return base, op.control_wires, [int(v) for v in op.control_values]


def _native(op, adjoint=False):
    """Whether the device runs op as it is (else PennyLane decomposes it)."""
    name = op.name
    if name in NAMED or name in PAULI_WORDS or name in NOOPS:
        return True
    parts = _controlled_parts(op)
    if parts is not None:
        base = parts[0]
        if not (adjoint and op.num_params and _trainable(op)):
            return True
        # a trainable controlled gate: named, spanning at most 5 qubits
        if base.name in NAMED and len(op.wires) <= MAX_MATRIX_WIRES:
            return True
    if isinstance(op, StatePrepBase):
        return True
    if adjoint and op.num_params and _trainable(op):
        return generator_terms(op) is not None
    if name in ("Rot", "CRot"):
        return True
    if op.has_matrix and len(op.wires) <= MAX_MATRIX_WIRES:
        return True
    return generator_terms(op) is not None if op.num_params == 1 else False


def stopping_condition(op):
    return _native(op)


def adjoint_stopping_condition(op):
    if isinstance(op, qml.measurements.MidMeasureMP) or isinstance(op, qml.ops.Conditional):
        return False
    if op.name in ("Rot", "CRot", "U2", "U3") and _trainable(op):
        return False
    return _native(op, adjoint=True)


def _accepts_sampling(obs):
    if isinstance(obs, qml.ops.CompositeOp):
        return all(_accepts_sampling(o) for o in obs.operands)
    if isinstance(obs, qml.ops.SymbolicOp):
        return _accepts_sampling(obs.base)
    return obs.has_diagonalizing_gates


def accepted_sample_measurement(m):
    if not isinstance(m, SampleMeasurement):
        return False
    return m.obs is None or _accepts_sampling(m.obs)


def accepted_analytic_measurement(m):
    if not isinstance(m, StateMeasurement):
        return False
    if m.obs is None:
        return True
    if isinstance(m, ExpectationMP) and (m.obs.pauli_rep is not None or m.obs.has_matrix):
        return True
    return _accepts_sampling(m.obs)


@transform
def _adjoint_measurements(tape):
    """Adjoint differentiation here handles expectation values only."""
    if not all(isinstance(m, ExpectationMP) for m in tape.measurements):
        raise DeviceError("qsim.qubit: diff_method='adjoint' supports expectation values only")
    return (tape,), lambda r: r[0]


def _batched_params(op):
    """Indices (within op.data) of op's broadcast parameters."""
    if op.batch_size is None:
        return []
    nd = op.ndim_params
    return [i for i, d in enumerate(op.data) if qml.math.ndim(d) > nd[i]]


def _bindable(op):
    """Whether the builder can append op with symbolic (named) parameters,
    so one compiled program takes each row of a broadcast parameter."""
    if any(op.ndim_params[i] != 0 for i in _batched_params(op)):
        return False
    name = op.name
    if name in NAMED or name in PAULI_WORDS or name in NOOPS or name in ("Rot", "CRot"):
        return True
    parts = _controlled_parts(op)
    if parts is not None and parts[0].name in NAMED and len(op.wires) <= MAX_MATRIX_WIRES:
        return True
    return op.num_params == 1 and generator_terms(op) is not None


def _runs_broadcast(tape):
    """Whether the device runs a broadcast tape as it is: every broadcast
    gate takes its rows as bound parameters, a broadcast state preparation
    comes first."""
    for k, op in enumerate(tape.operations):
        if op.batch_size is None:
            continue
        if isinstance(op, StatePrepBase):
            if k != 0 or op.name != "StatePrep":
                return False
        elif not _bindable(op):
            return False
    return True


@transform
def _broadcast_where_needed(tape, trainable_rows=False):
    """Broadcast tapes run natively (one compiled program, each row bound
    in C); those with a broadcast matrix are split row by row, and with
    trainable_rows (adjoint differentiation) so are those with trainable
    parameters: the adjoint sweep differentiates one row at a time, as
    default.qubit's adjoint does."""
    if tape.batch_size is None or (_runs_broadcast(tape) and
                                   not (trainable_rows and tape.trainable_params)):
        return (tape,), lambda r: r[0]
    return broadcast_expand(tape)


def _stack_rows(tape, rows):
    """Per-row results (each as for an unbroadcast tape) -> the broadcast
    tape's result: measurements (and shot bins) outside, rows inside
    (counts: a list of dicts, as default.qubit gives them)."""
    def stack(items):
        return list(items) if isinstance(items[0], dict) else np.stack(items)
    nm = len(tape.measurements)
    if tape.shots.has_partitioned_shots:
        if nm > 1:
            return tuple(tuple(stack([r[s][m] for r in rows]) for m in range(nm))
                         for s in range(tape.shots.num_copies))
        return tuple(stack([r[s] for r in rows]) for s in range(tape.shots.num_copies))
    if nm > 1:
        return tuple(stack([r[m] for r in rows]) for m in range(nm))
    return stack(rows)


class _Layout:
    """Wire labels -> qsim qubits (wire i of the order is qubit n-1-i)."""

    def __init__(self, wire_order):
        self.wires = qml.wires.Wires(wire_order)
        self.n = max(len(self.wires), 1)
        self.index = {w: i for i, w in enumerate(self.wires)}

    def q(self, w):
        return self.n - 1 - self.index[w]

    def qs(self, wires):
        return [self.q(w) for w in wires]

    def letters(self, word):
        """"X3 Z0" for {wire: letter}."""
        return " ".join("%s%d" % (p, self.q(w)) for w, p in word.items() if p != "I")


def _value(x):
    return float(np.real(qml.math.toarray(qml.math.unwrap(x)) if hasattr(x, "shape") else x))


def _values(x):
    """A parameter as a float, or a float array when it is broadcast."""
    v = np.real(np.asarray(qml.math.toarray(qml.math.unwrap(x)) if hasattr(x, "shape") else x))
    return float(v) if v.ndim == 0 else v.astype(np.float64)


class _Builder:
    """Appends a tape's operations to a qsim Circuit; the parameters in
    `symbolic` (indices into the tape's parameters) become named circuit
    parameters "t<index>", the rest constants."""

    def __init__(self, layout, symbolic=()):
        self.lay = layout
        self.c = Circuit(layout.n)
        self.symbolic = set(symbolic)
        self.values = {}
        self.pidx = 0

    def _params(self, op):
        out = []
        for d in op.data:
            if self.pidx in self.symbolic:
                name = "t%d" % self.pidx
                self.values[name] = _values(d)
                out.append(name)
            else:
                out.append(_value(d) if np.ndim(qml.math.unwrap(d)) == 0 else None)
            self.pidx += 1
        return out

    def add(self, op):
        name = op.name
        lay, c = self.lay, self.c
        p = self._params(op)
        if name in NOOPS:
            if name == "GlobalPhase":
                c.global_phase(_scaled(p[0], -1.0))
            return
        if name in NAMED:
            c.append(NAMED[name], lay.qs(op.wires), p)
            return
        parts = _controlled_parts(op)
        symbolic = any(isinstance(x, str) for x in p)
        if parts is not None and not (symbolic and (parts[0].name not in NAMED
                                                    or len(op.wires) > MAX_MATRIX_WIRES)):
            base, cw, cv = parts
            if base.name in NAMED:
                c.append(NAMED[base.name], lay.qs(base.wires), p, controls=lay.qs(cw),
                         control_values=cv)
            else:
                m = qml.math.toarray(qml.math.unwrap(base.matrix()))
                c.matrix(m, lay.qs(list(base.wires)[::-1]), controls=lay.qs(cw),
                         control_values=cv)
            return
        if name == "Rot":           # RZ(omega) RY(theta) RZ(phi)
            q = lay.q(op.wires[0])
            c.rz(p[0], q).ry(p[1], q).rz(p[2], q)
            return
        if name == "CRot":
            qc, qt = lay.qs(op.wires)
            c.crz(p[0], qc, qt).cry(p[1], qc, qt).crz(p[2], qc, qt)
            return
        if name == "PauliRot":
            word = op.hyperparameters["pauli_word"]
            s = " ".join("%s%d" % (l, lay.q(w)) for l, w in zip(word, op.wires) if l != "I")
            if s:
                c.pauli_rotation(p[0], s)
            return
        if name == "MultiRZ":
            c.pauli_rotation(p[0], " ".join("Z%d" % lay.q(w) for w in op.wires))
            return
        terms = generator_terms(op) if op.num_params == 1 else None
        if terms is not None and (isinstance(p[0], str) or not op.has_matrix
                                  or len(op.wires) > MAX_MATRIX_WIRES):
            # U = exp(i x G) = prod_k exp(i x c_k P_k) = prod_k Rot_P_k(-2 c_k x)
            for coef, word in terms:
                s = lay.letters(word)
                if s:
                    c.pauli_rotation(_scaled(p[0], -2 * coef), s)
                else:
                    c.global_phase(_scaled(p[0], coef))
            return
        m = qml.math.toarray(qml.math.unwrap(op.matrix()))
        c.matrix(m, lay.qs(list(op.wires)[::-1]))


def _scaled(x, k):
    return "%r*%s" % (k, x) if isinstance(x, str) else k * x


class _Cached:
    """A Hamiltonian kept for the next call (the caller's `with` leaves it open)."""

    def __init__(self, h):
        self.h = h

    def __enter__(self):
        return self.h

    def __exit__(self, *exc):
        return False


_HAMILTONIANS = {}


def _pauli_hamiltonian(ps, lay, key=None):
    """The library's Pauli sum of a PennyLane PauliSentence; with a key
    (the observable's hash) kept for later calls, so a VQE's Hamiltonian
    is converted once."""
    if key is not None:
        # hashes of wire labels collide (hash(-1) == hash(-2)): the sentence
        # itself is compared too
        k = (key, tuple(lay.wires), lay.n)
        hit = _HAMILTONIANS.get(k)
        if hit is not None and hit[0] == ps:
            return _Cached(hit[1])
    h = Hamiltonian(num_qubits=lay.n)
    for word, coef in ps.items():
        s = lay.letters(dict(word))
        h.add(float(np.real(coef)), s if s else "I")
    if key is None:
        return h
    if len(_HAMILTONIANS) >= 64:
        _HAMILTONIANS.pop(next(iter(_HAMILTONIANS)))[1].close()
    old = _HAMILTONIANS.pop(k, None)
    if old is not None:
        old[1].close()
    _HAMILTONIANS[k] = (ps, h)
    return _Cached(h)


@simulator_tracking
@single_tape_support
class QsimQubit(Device):
    """qsim's state-vector simulator as a PennyLane device.

    Args:
        wires: number of wires or their labels (None: the circuit's wires).
        shots: default shots (None: exact results).
        seed: seeds the library's sampler (an int, None for a fresh seed,
            or "global" to draw it from numpy's global generator).
    """

    name = "qsim.qubit"

    def __init__(self, wires=None, shots=None, seed="global"):
        super().__init__(wires=wires, shots=shots)
        if seed == "global":
            seed = int(np.random.randint(0, 2**31 - 1))
        self._seeds = np.random.default_rng(seed)

    # ---- preprocessing -------------------------------------------------------
    def setup_execution_config(self, config=None, circuit=None):
        config = config or ExecutionConfig()
        updated = {}
        method = config.gradient_method
        if method == "best":
            method = "adjoint"
            updated["gradient_method"] = method
        if config.use_device_gradient is None:
            updated["use_device_gradient"] = method == "adjoint"
        if config.use_device_jacobian_product is None:
            updated["use_device_jacobian_product"] = method == "adjoint"
        if config.grad_on_execution is None:
            updated["grad_on_execution"] = method == "adjoint"
        mcm = config.mcm_config
        if mcm.mcm_method not in (None, "deferred"):
            raise DeviceError("qsim.qubit runs mid-circuit measurements deferred only, "
                              "not with mcm_method=%r" % mcm.mcm_method)
        from dataclasses import replace
        updated["mcm_config"] = replace(mcm, mcm_method="deferred")
        return replace(config, **updated)

    def preprocess_transforms(self, execution_config=None):
        config = execution_config or ExecutionConfig()
        prog = CompilePipeline()
        prog.add_transform(defer_measurements, allow_postselect=False)
        prog.add_transform(decompose, stopping_condition=stopping_condition,
                           device_wires=self.wires, name=self.name)
        prog.add_transform(validate_device_wires, self.wires, name=self.name)
        prog.add_transform(validate_measurements,
                           analytic_measurements=accepted_analytic_measurement,
                           sample_measurements=accepted_sample_measurement, name=self.name)
        prog.add_transform(_broadcast_where_needed,
                           trainable_rows=config.gradient_method == "adjoint")
        if config.gradient_method == "adjoint":
            name = "adjoint + qsim.qubit"
            prog.add_transform(no_sampling, name=name)
            prog.add_transform(decompose, stopping_condition=adjoint_stopping_condition,
                               device_wires=self.wires, skip_initial_state_prep=True, name=name)
            prog.add_transform(validate_observables, lambda o: o.has_matrix
                               or o.pauli_rep is not None, name=name)
            prog.add_transform(_adjoint_measurements)
            prog.add_transform(validate_adjoint_trainable_params)
        return prog

    # ---- derivatives ----------------------------------------------------------
    def supports_derivatives(self, execution_config=None, circuit=None):
        if execution_config is None:
            return True
        if execution_config.gradient_method not in ("adjoint", "best"):
            return False
        if circuit is None:
            return True
        try:
            prog = CompilePipeline()
            prog.add_transform(validate_device_wires, self.wires, name=self.name)
            prog.add_transform(no_sampling, name="adjoint + qsim.qubit")
            prog.add_transform(decompose, stopping_condition=adjoint_stopping_condition,
                               device_wires=self.wires, name="adjoint + qsim.qubit")
            prog.add_transform(_adjoint_measurements)
            prog((circuit,))
        except (DeviceError, qml.exceptions.DecompositionUndefinedError, AttributeError):
            return False
        return True

    supports_vjp = supports_derivatives

    # ---- execution ---------------------------------------------------------------
    def _layout(self, tape):
        return _Layout(self.wires if self.wires is not None else tape.wires)

    def _simulate(self, tape, lay, symbolic=()):
        """(State after the tape's operations, builder)."""
        ops = list(tape.operations)
        b = _Builder(lay, symbolic)
        init = None
        if ops and isinstance(ops[0], StatePrepBase):
            prep = ops.pop(0)
            b.pidx += prep.num_params
            init = qml.math.toarray(qml.math.unwrap(prep.state_vector(wire_order=lay.wires)))
            init = np.asarray(init, dtype=np.complex128).reshape(-1)
        for op in ops:
            b.add(op)
        s = State(lay.n)
        if init is not None:
            if len(lay.wires) == 0:
                init = np.array([init[0], 0])
            s.set_amplitudes(init)
        prog = Program(b.c)
        try:
            prog.run(s, b.values)
        finally:
            prog.close()
        return s, b

    def execute(self, circuits, execution_config=None):
        return tuple(self._execute(t) for t in circuits)

    def _execute(self, tape):
        if tape.batch_size is not None:
            return self._execute_broadcast(tape)
        lay = self._layout(tape)
        with self._simulate(tape, lay)[0] as s:
            return self._measure(tape, s, lay)

    def _measure(self, tape, s, lay):
        if not tape.shots:
            res = tuple(self._analytic(m, s, lay) for m in tape.measurements)
            return res[0] if len(res) == 1 else res
        return self._sampled(tape, s, lay)

    def _execute_broadcast(self, tape):
        """A broadcast tape compiled once, its broadcast parameters symbolic;
        expectation values of Pauli sums are one batched library call per
        observable (qh_objective_values), other measurements read the state
        of each row after one run of the program with that row bound."""
        lay = self._layout(tape)
        nb = tape.batch_size
        ops = list(tape.operations)
        symbolic, k = [], 0
        for op in ops:
            symbolic += [k + i for i in _batched_params(op)]
            k += op.num_params
        b = _Builder(lay, symbolic)
        init = None
        if ops and isinstance(ops[0], StatePrepBase):
            prep = ops.pop(0)
            b.pidx += prep.num_params
            init = qml.math.toarray(qml.math.unwrap(prep.state_vector(wire_order=lay.wires)))
            init = np.asarray(init, dtype=np.complex128).reshape(-1, 1 << len(lay.wires))
        for op in ops:
            b.add(op)
        names = b.c.parameters
        rows = np.empty((nb, len(names)))
        for j, name in enumerate(names):
            rows[:, j] = b.values[name]
        ms = tape.measurements
        if not tape.shots and init is None and names and \
                all(isinstance(m, ExpectationMP) and m.obs.pauli_rep is not None for m in ms):
            res = []
            for m in ms:
                with _pauli_hamiltonian(m.obs.pauli_rep, lay, m.obs.hash) as h, \
                        Objective(b.c, h) as o:
                    res.append(o.values(rows))
            return res[0] if len(res) == 1 else tuple(res)
        out = []
        with Program(b.c) as prog:
            for r in range(nb):
                with State(lay.n) as s:
                    if init is not None:
                        s.set_amplitudes(init[r if len(init) > 1 else 0])
                    prog.run(s, rows[r])
                    out.append(self._measure(tape, s, lay))
        return _stack_rows(tape, out)

    def _amplitudes(self, s, lay):
        a = s.get_amplitudes()
        return a if len(lay.wires) else a[:1]

    def _analytic(self, mp, s, lay):
        if isinstance(mp, ExpectationMP) and mp.obs.pauli_rep is not None:
            with _pauli_hamiltonian(mp.obs.pauli_rep, lay, mp.obs.hash) as h:
                return np.array(s.expectation(h))
        if mp.obs is None:
            return mp.process_state(self._amplitudes(s, lay), lay.wires)
        if isinstance(mp, ExpectationMP) and not mp.obs.has_diagonalizing_gates:
            with State(lay.n) as o:
                self._apply_obs(mp.obs, s, o, lay)
                return np.array(s.inner(o).real)
        # process_state reads the state in the observable's eigenbasis
        with self._rotated(s, mp.diagonalizing_gates(), lay) as r:
            return mp.process_state(self._amplitudes(r, lay), lay.wires)

    def _samples(self, s, lay, shots):
        """shots samples of every wire (shots x wires, 0/1)."""
        b = s.sample(shots, rng=Rng(int(self._seeds.integers(2**62))))
        n = len(lay.wires)
        shifts = np.arange(n - 1, -1, -1, dtype=np.uint64)
        return ((b[:, None] >> shifts) & np.uint64(1)).astype(np.int64)

    def _rotated(self, s, gates, lay):
        r = s.copy()
        for g in gates:
            m = qml.math.toarray(qml.math.unwrap(g.matrix()))
            r.apply_matrix(m, lay.qs(list(g.wires)[::-1]))
        return r

    def _sampled(self, tape, s, lay):
        total = tape.shots.total_shots
        base = None
        per_mp = []
        for mp in tape.measurements:
            if isinstance(mp, ExpectationMP) and mp.obs is not None and \
                    mp.obs.pauli_rep is not None and not mp.obs.has_diagonalizing_gates:
                per_mp.append(("terms", self._term_samples(mp.obs.pauli_rep, s, lay, total)))
                continue
            gates = mp.diagonalizing_gates() if mp.obs is not None else []
            if gates:
                with self._rotated(s, gates, lay) as r:
                    per_mp.append(("samples", self._samples(r, lay, total)))
            else:
                if base is None:
                    base = self._samples(s, lay, total)
                per_mp.append(("samples", base))
        results = []
        for lo, hi in tape.shots.bins():
            row = []
            for mp, (kind, data) in zip(tape.measurements, per_mp):
                if kind == "terms":
                    row.append(np.array(sum(c * np.mean(v[lo:hi]) for c, v in data)))
                else:
                    row.append(mp.process_samples(data[lo:hi], lay.wires,
                                                  shot_range=None, bin_size=None))
            results.append(row[0] if len(row) == 1 else tuple(row))
        return tuple(results) if tape.shots.has_partitioned_shots else results[0]

    def _term_samples(self, ps, s, lay, shots):
        """[(coefficient, +-1 samples)] of each Pauli term, each drawn in its own basis."""
        out = []
        for word, coef in ps.items():
            word = dict(word)
            if not word:
                out.append((float(np.real(coef)), np.ones(shots)))
                continue
            gates = []
            for w, p in word.items():
                gates += {"X": [qml.Hadamard(w)], "Y": [qml.adjoint(qml.S(w)), qml.Hadamard(w)],
                          "Z": []}[p]
            with self._rotated(s, gates, lay) as r:
                smp = self._samples(r, lay, shots)
            cols = [lay.index[w] for w in word]
            out.append((float(np.real(coef)), 1 - 2 * (smp[:, cols].sum(axis=1) % 2)))
        return out

    # ---- adjoint differentiation -----------------------------------------------------
    def _jacobian(self, tape, cotangents=None):
        """Rows d<O_k>/d(trainable params) by the library's adjoint sweep; with
        cotangents, their vector-Jacobian product in one sweep."""
        lay = self._layout(tape)
        trainable = list(tape.trainable_params)
        s, b = self._simulate(tape, lay, symbolic=trainable)
        names = ["t%d" % i for i in trainable]
        obs = [m.obs for m in tape.measurements]
        with s, Program(b.c) as prog:
            v = prog.bind(b.values) if prog.parameters else np.empty(0)
            order = {n: i for i, n in enumerate(prog.parameters)}

            def sweep(weights):
                lam = State(lay.n)
                lam.set_amplitudes(np.zeros(1 << lay.n, dtype=np.complex128))
                with State(lay.n) as tmp:
                    for w, o in zip(weights, obs):
                        if w == 0:
                            continue
                        self._apply_obs(o, s, tmp, lay)
                        lam.axpy(complex(w), tmp)
                g = np.zeros(len(v))
                with s.copy() as phi, lam, State(lay.n) as work:
                    C.qs_program_backprop(prog._handle, ptr(v) if v.size else None, v.size,
                                          phi._handle, lam._handle, work._handle,
                                          ptr(g) if g.size else None, None)
                return np.array([2 * g[order[n]] if n in order else 0.0 for n in names])

            if cotangents is not None:
                return sweep(cotangents)
            return [sweep(np.eye(len(obs))[k]) for k in range(len(obs))]

    def _apply_obs(self, o, s, out, lay):
        """out <- O s."""
        if o.pauli_rep is not None:
            with _pauli_hamiltonian(o.pauli_rep, lay, o.hash) as h:
                h.apply(s, out)
            return
        out.assign(s)
        m = qml.math.toarray(qml.math.unwrap(qml.matrix(o)))
        out.apply_matrix(m, lay.qs(list(o.wires)[::-1]))

    @staticmethod
    def _format_jac(rows, tape):
        jac = np.array(rows).reshape(len(rows), len(tape.trainable_params))
        jac = np.squeeze(jac)
        if jac.ndim == 0:
            return np.array(jac)
        if jac.ndim == 1:
            return tuple(np.array(j) for j in jac)
        return tuple(tuple(np.array(j_) for j_ in j) for j in jac)

    def compute_derivatives(self, circuits, execution_config=None):
        return tuple(self._format_jac(self._jacobian(t), t) for t in circuits)

    def execute_and_compute_derivatives(self, circuits, execution_config=None):
        return self.execute(circuits, execution_config), \
            self.compute_derivatives(circuits, execution_config)

    def compute_vjp(self, circuits, cotangents, execution_config=None):
        out = []
        for t, cot in zip(circuits, cotangents):
            cot = np.asarray(qml.math.unwrap(cot), dtype=np.float64)
            if len(t.measurements) == 1:
                cot = cot[None, ...]
            if cot.ndim == 1:
                out.append(tuple(self._jacobian(t, cot)))
            else:       # batched cotangents: (n_obs, batch)
                out.append(tuple(np.stack([self._jacobian(t, cot[:, j])
                                           for j in range(cot.shape[1])], axis=1)))
        return tuple(out)

    def execute_and_compute_vjp(self, circuits, cotangents, execution_config=None):
        return self.execute(circuits, execution_config), \
            self.compute_vjp(circuits, cotangents, execution_config)
