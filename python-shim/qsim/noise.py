"""Noise: quantum channels, density matrices and noise models.

    m = qsim.NoiseModel.from_qiskit(aer_noise_model)   # or from_file / from_dict
    rho = circuit.simulate(params, noise=m)            # a DensityMatrix
    rho.probabilities(), rho.expectation(h), rho.purity()

A NoiseModel reads qsim's own JSON format ({"qsim_noise_model": 1, ...}) and
the JSON Qiskit Aer writes with noise_model.to_dict(serializable=True), as
it is; errors follow gates by name, a qubit-specific error replacing the
all-qubit one, as in Aer.  A DensityMatrix of n qubits is held as a 2n-qubit
state (the vectorised rho), so gates, channels and compiled circuits run on
the state kernels.
"""

import ctypes
import json
import os

import numpy as np

from ._arrays import complexes, count, small_ints, small_reals
from ._ffi import C, ptr
from ._handle import Handle, new_handle
from .gates import checked_info
from .rng import as_rng

_MAX_KRAUS = 64
_CHANNEL_ALIASES = {"depolarizing1": "depolarizing"}


def channel_kind(name):
    """The library's number of a named channel ("amplitude_damping")."""
    k = ctypes.c_int()
    C.qs_channel_lookup(_CHANNEL_ALIASES.get(name, name).encode(), ctypes.byref(k))
    return k.value


def channel_kraus(name, *params):
    """The Kraus matrices of a named channel (Aer's definitions), as a list
    of numpy arrays."""
    kind = channel_kind(name)
    nq = C.qs_channel_num_qubits(kind)
    np_ = C.qs_channel_num_params(kind)
    if len(params) != np_:
        raise ValueError("%s takes %d parameters, got %d" % (name, np_, len(params)))
    d = 1 << nq
    out = np.zeros(_MAX_KRAUS * d * d, dtype=np.complex128)
    n = ctypes.c_int()
    p = small_reals([float(x) for x in params])
    C.qs_channel_kraus(kind, p, ctypes.byref(n), ptr(out))
    return [out[i * d * d:(i + 1) * d * d].reshape(d, d).copy() for i in range(n.value)]


def _kraus_array(ops):
    ops = [np.asarray(k, dtype=np.complex128) for k in ops]
    if not ops or any(k.ndim != 2 or k.shape[0] != k.shape[1] for k in ops):
        raise ValueError("Kraus operators must be square matrices")
    d = ops[0].shape[0]
    nq = d.bit_length() - 1
    if d != 1 << nq or any(k.shape != (d, d) for k in ops):
        raise ValueError("Kraus operators must all be 2^k x 2^k")
    return nq, len(ops), np.ascontiguousarray(np.stack(ops))


class NoiseModel(Handle):
    """Which channels follow which gates, and readout errors.

    NoiseModel.from_file(path), from_json(text), from_dict(d) read qsim's
    format or Aer's to_dict(serializable=True); from_qiskit(model) takes a
    qiskit_aer.noise.NoiseModel object.
    """

    _destroy = C.qs_noise_model_destroy

    def __init__(self, _handle):
        super().__init__(_handle)

    @classmethod
    def from_file(cls, path):
        return cls(new_handle(C.qs_noise_model_read, os.fsencode(path)))

    @classmethod
    def from_json(cls, text, name="<string>"):
        return cls(new_handle(C.qs_noise_model_parse, text.encode(), name.encode()))

    @classmethod
    def from_dict(cls, d):
        return cls.from_json(json.dumps(d, default=_jsonable))

    @classmethod
    def from_qiskit(cls, model):
        """From a qiskit_aer.noise.NoiseModel, through the JSON Aer writes."""
        return cls.from_dict(model.to_dict(serializable=True))

    @property
    def num_errors(self):
        return C.qs_noise_model_num_errors(self._handle)

    def readout(self, qubit):
        """The 2x2 confusion matrix P(read j | true i) of a qubit (identity
        when the model has none)."""
        conf = np.zeros(4)
        C.qs_noise_model_readout(self._handle, int(qubit), ptr(conf), None)
        return conf.reshape(2, 2)

    def apply(self, circuit):
        """A new Circuit: circuit with the model's channels attached."""
        from .circuit import Circuit
        c = Circuit(0, _handle=new_handle(C.qs_noise_model_apply, self._handle,
                                          circuit._handle))
        return c

    def __repr__(self):
        return "NoiseModel(%d errors)" % self.num_errors if self._h else "NoiseModel(closed)"


def as_noise_model(noise):
    """A NoiseModel from a NoiseModel, a path to a model file, a dict in
    either JSON format, or a qiskit_aer NoiseModel."""
    if noise is None or isinstance(noise, NoiseModel):
        return noise
    if isinstance(noise, (str, os.PathLike)):
        return NoiseModel.from_file(noise)
    if isinstance(noise, dict):
        return NoiseModel.from_dict(noise)
    if hasattr(noise, "to_dict"):
        return NoiseModel.from_qiskit(noise)
    raise TypeError("noise: a NoiseModel, a model file, a dict or a qiskit_aer NoiseModel, "
                    "not %s" % type(noise).__name__)


def _jsonable(x):
    if isinstance(x, complex):
        return [x.real, x.imag]
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    raise TypeError("not serializable: %r" % (x,))


class DensityMatrix(Handle):
    """A density matrix rho of num_qubits qubits, |0...0><0...0| at first."""

    _destroy = C.qs_density_destroy

    def __init__(self, num_qubits, precision="double", _handle=None):
        if precision not in ("double", "single"):
            raise ValueError("precision must be 'double' or 'single'")
        super().__init__(_handle if _handle is not None else new_handle(
            C.qs_density_create, int(num_qubits), 1 if precision == "single" else 0))
        self.precision = precision

    @classmethod
    def from_state(cls, state):
        """|psi><psi| of a State."""
        rho = cls(state.num_qubits, state.precision)
        C.qs_density_set_pure(rho._handle, state._handle)
        return rho

    @classmethod
    def from_matrix(cls, m, precision="double"):
        m = complexes(m)
        n = m.shape[0].bit_length() - 1
        rho = cls(n, precision)
        complexes(m, (1 << n, 1 << n))
        C.qs_density_set_matrix(rho._handle, ptr(m))
        return rho

    @property
    def num_qubits(self):
        return C.qs_density_num_qubits(self._handle)

    def __repr__(self):
        if self._h is None:
            return "DensityMatrix(closed)"
        return "DensityMatrix(%d qubits, %s)" % (self.num_qubits, self.precision)

    def copy(self):
        return DensityMatrix(0, self.precision, _handle=new_handle(C.qs_density_copy,
                                                                   self._handle))

    @property
    def matrix(self):
        """rho as a numpy 2^n x 2^n array (a copy)."""
        d = 1 << self.num_qubits
        out = np.empty((d, d), dtype=np.complex128)
        C.qs_density_get_matrix(self._handle, ptr(out))
        return out

    def __array__(self, dtype=None, copy=None):
        m = self.matrix
        return m if dtype is None else m.astype(dtype)

    # ---- operations ---------------------------------------------------------
    def apply(self, gate, *qubits, params=()):
        """U rho U^dag for a named gate."""
        g, nq, np_ = checked_info(gate, qubits, params)
        q = small_ints(qubits)
        p = small_reals([float(x) for x in params])
        C.qs_density_apply_gate(self._handle, g, q, p)
        return self

    def apply_channel(self, name, qubits, *params):
        """A named channel ("depolarizing", "amplitude_damping", ...)."""
        qubits = [qubits] if isinstance(qubits, int) else list(qubits)
        kind = channel_kind(name)
        C.qs_density_apply_channel(self._handle, kind, small_ints(qubits),
                                   small_reals([float(x) for x in params]))
        return self

    def apply_kraus(self, ops, qubits):
        """The channel of Kraus matrices ops (checked to be trace preserving)."""
        qubits = [qubits] if isinstance(qubits, int) else list(qubits)
        nq, n, a = _kraus_array(ops)
        C.qs_density_apply_kraus(self._handle, small_ints(qubits), nq, n, ptr(a))
        return self

    # ---- reductions -----------------------------------------------------------
    def _scalar(self, fn, *args):
        v = ctypes.c_double()
        fn(self._handle, *args, ctypes.byref(v))
        return v.value

    def trace(self):
        return self._scalar(C.qs_density_trace)

    def purity(self):
        return self._scalar(C.qs_density_purity)

    def fidelity(self, state):
        """<psi|rho|psi> for a pure State."""
        return self._scalar(C.qs_density_fidelity_pure, state._handle)

    def probabilities(self):
        out = np.empty(1 << self.num_qubits)
        C.qs_density_probabilities(self._handle, ptr(out))
        return out

    def marginal(self, qubits):
        q = small_ints(list(qubits))
        out = np.empty(1 << len(q))
        C.qs_density_marginal(self._handle, q, len(q), ptr(out))
        return out

    def expectation(self, observable):
        """Tr(rho H) for a Hamiltonian (or a Qiskit SparsePauliOp)."""
        if hasattr(observable, "_handle"):
            return self._scalar(C.qs_density_expect, observable._handle)
        from .hamiltonian import Hamiltonian
        with Hamiltonian.from_sparse_pauli_op(observable) as h:
            return self._scalar(C.qs_density_expect, h._handle)

    def reduced(self, qubits):
        """The reduced density matrix of the given qubits (a numpy array)."""
        q = small_ints(list(qubits))
        d = 1 << len(q)
        out = np.empty((d, d), dtype=np.complex128)
        C.qs_density_reduced(self._handle, q, len(q), ptr(out))
        return out

    def entropy(self, qubits=None):
        """Von Neumann entropy (bits) of the reduced state of qubits (all
        when None)."""
        q = small_ints(list(qubits or []))
        return self._scalar(C.qs_density_entropy, q if qubits else None, len(q))

    def sample(self, shots, qubits=None, seed=None, rng=None):
        """shots outcomes drawn from rho's diagonal (uint64 array)."""
        r = as_rng(rng, seed)
        out = np.empty(count(shots, 0, 2 ** 40, "shots"), dtype=np.uint64)
        q = None if qubits is None else small_ints(list(qubits))
        C.qs_density_sample(self._handle, q, 0 if q is None else len(q), int(shots), r._handle,
                            ptr(out))
        return out

    def measure(self, qubits, seed=None, rng=None):
        """Measures qubits: (outcome, probability), rho collapsed."""
        r = as_rng(rng, seed)
        q = small_ints([qubits] if isinstance(qubits, int) else list(qubits))
        o, p = ctypes.c_uint64(), ctypes.c_double()
        C.qs_density_measure(self._handle, q, len(q), r._handle, ctypes.byref(o),
                             ctypes.byref(p))
        return o.value, p.value


def simulate_density(circuit, params=None, noise=None, precision="double", fuse=True):
    """The density matrix of circuit (with noise's errors attached when
    noise is a NoiseModel) from |0...0>; terminal measurements left out."""
    from .program import bind
    v = bind(circuit.parameters, params)
    noisy = noise.apply(circuit) if noise is not None else circuit
    try:
        prog = new_handle(C.qs_density_compile, noisy._handle, 1 | (0 if fuse else 2))
        try:
            rho = DensityMatrix(circuit.num_qubits, precision)
            C.qs_density_run(prog, ptr(v) if v.size else None, v.size, rho._handle)
        finally:
            C.qs_program_destroy(prog)
    finally:
        if noisy is not circuit:
            noisy.close()
    return rho


def trajectories(circuit, num_trajectories, params=None, noise=None, observable=None,
                 seed=0, precision="double"):
    """Quantum trajectories: (mean probabilities, (mean, standard error) of
    <observable> or None), seeded and reproducible for any thread count."""
    from .program import bind
    v = bind(circuit.parameters, params)
    noisy = noise.apply(circuit) if noise is not None else circuit
    try:
        probs = np.empty(1 << circuit.num_qubits)
        ex = np.zeros(2)
        h = None
        if observable is not None and not hasattr(observable, "_handle"):
            from .hamiltonian import Hamiltonian
            observable = Hamiltonian.from_sparse_pauli_op(observable)
        if observable is not None:
            h = observable._handle
        C.qs_trajectories_run(noisy._handle, ptr(v) if v.size else None, v.size,
                              int(num_trajectories), int(seed), 1 if precision == "single" else 0,
                              ptr(probs), h, ptr(ex) if h else None, None)
        return probs, (tuple(ex) if h else None)
    finally:
        if noisy is not circuit:
            noisy.close()
