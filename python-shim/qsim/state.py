"""State vectors."""

import ctypes

import numpy as np

from ._arrays import INT_MAX, U64_MAX, complexes, count as _n, ints, reals, small_ints, small_reals
from ._ffi import C, ptr
from ._handle import Handle, new_handle
from .gates import checked_info
from .rng import as_rng

_F32 = 1   # QS_STATE_F32
_QFT_INVERSE = 1


class _Memory:
    """A state's library object, destroyed when the last of its State and
    the numpy views of its amplitudes lets go of it."""

    __slots__ = ("h",)

    def __init__(self, h):
        self.h = h

    def __del__(self):
        h, self.h = self.h, None
        if h is not None:
            C.qs_state_destroy(h)


class _View:
    """Exposes library memory to numpy and keeps its owner alive."""

    def __init__(self, owner, address, n, dtype):
        self._owner = owner
        self.__array_interface__ = {"shape": (n,), "typestr": np.dtype(dtype).str,
                                    "data": (address, False), "version": 3}


def _pauli_args(pauli, qubits=None):
    """("X0 Z3") or ("XZ", [0, 3]) -> (qubit array, letters)."""
    if qubits is None:
        letters, qs = [], []
        for tok in pauli.replace("*", " ").split():
            if tok.upper() == "I":
                continue
            if len(tok) < 2 or tok[0].upper() not in "XYZ" or not tok[1:].isdigit():
                raise ValueError("bad Pauli term %r in %r: expected letter then qubit, "
                                 "as in \"X0 Z3\"" % (tok, pauli))
            letters.append(tok[0].upper())
            qs.append(int(tok[1:]))
        return ints(qs), "".join(letters)
    return ints(qubits), pauli.upper()


def _qubit_list(qubits):
    """An int or a sequence of ints -> ctypes int array."""
    if isinstance(qubits, (int, np.integer)):
        return small_ints((int(qubits),))
    return small_ints(list(qubits))


class State(Handle):
    """A state vector of 2^n amplitudes (qubit 0 = least significant bit of
    the basis index), in |0...0> when created.

    precision: "double" (complex128) or "single" (complex64).

        s = qsim.State(3)
        s.apply("h", 0).apply("cx", 0, 1)
        s.amplitudes          # numpy view of the library's memory, no copy
        s.sample(1000, seed=1)

    Random draws (measure, reset, sample, set_random, dynamic circuits) take
    ``seed=`` for reproducible results or ``rng=`` (a :class:`qsim.Rng`);
    with neither, a fresh random seed is used.
    """

    _mem = None       # None for a borrowed state (Program.enumerate's callback)

    def __init__(self, num_qubits, precision="double", _handle=None):
        if _handle is None:
            if precision not in ("double", "single"):
                raise ValueError("precision must be 'double' or 'single', got %r" % (precision,))
            _handle = new_handle(C.qs_state_create, int(num_qubits),
                                 _F32 if precision == "single" else 0)
        super().__init__(_handle)
        self._mem = _Memory(_handle)

    def close(self):
        """Releases the state now, or, while a numpy view of its amplitudes
        is alive, when the last such view goes; later use raises ValueError."""
        self._h = None
        self._owner = None
        self._mem = None

    @classmethod
    def from_amplitudes(cls, values, precision="double"):
        """A state holding the given 2^n amplitudes (not renormalised)."""
        v = complexes(values, what="amplitudes").ravel()
        n = v.size.bit_length() - 1
        if v.size < 2 or v.size != 1 << n:
            raise ValueError("need 2^n amplitudes (n >= 1), got %d" % v.size)
        return cls(n, precision).set_amplitudes(v)

    # ---- description ----------------------------------------------------
    @property
    def num_qubits(self):
        return C.qs_state_num_qubits(self._handle)

    @property
    def precision(self):
        return "single" if C.qs_state_flags(self._handle) & _F32 else "double"

    @property
    def dtype(self):
        return np.dtype(np.complex64 if self.precision == "single" else np.complex128)

    @property
    def backend(self):
        return C.qs_state_backend(self._handle).decode()

    def __repr__(self):
        if self._h is None:
            return "State(closed)"
        return "State(%d qubits, %s, %s)" % (self.num_qubits, self.precision, self.backend)

    # ---- amplitudes -------------------------------------------------------
    @property
    def amplitudes(self):
        """The amplitudes as a numpy array viewing the library's memory (no
        copy): writing to it changes the state.  complex128, or complex64 in
        single precision.  The view keeps the memory alive, also past
        close() (it is freed when the last view goes)."""
        p = ctypes.c_void_p()
        C.qs_state_data(self._handle, ctypes.byref(p))
        return np.asarray(_View(self._mem, p.value, 1 << self.num_qubits, self.dtype))

    def __array__(self, dtype=None):
        a = self.amplitudes
        return a if dtype is None else a.astype(dtype)

    def get_amplitudes(self, first=0, count=None):
        """A copy of amplitudes [first, first+count) as complex128."""
        n = 1 << self.num_qubits
        count = n - first if count is None else _n(count, 0, n, "count")
        out = np.empty(count, dtype=np.complex128)
        C.qs_state_get_amps(self._handle, _n(first, 0, U64_MAX, "first"), int(count), ptr(out))
        return out

    def set_amplitudes(self, values, first=0):
        """Writes amplitudes from first on (no renormalising)."""
        v = complexes(values).ravel()
        C.qs_state_set_amps(self._handle, _n(first, 0, U64_MAX, "first"), len(v), ptr(v))
        return self

    def set_basis(self, index):
        C.qs_state_set_basis(self._handle, _n(index, 0, U64_MAX, "index"))
        return self

    def set_uniform(self):
        C.qs_state_set_uniform(self._handle)
        return self

    def set_random(self, seed=None, rng=None):
        """A Haar-random state."""
        r = as_rng(rng, seed)
        C.qs_state_set_random(self._handle, r._handle)
        return self

    def copy(self):
        return State(0, _handle=new_handle(C.qs_state_copy, self._handle))

    def assign(self, other):
        """Copies other's amplitudes in (converting the precision)."""
        C.qs_state_assign(self._handle, other._handle)
        return self

    # ---- linear algebra ---------------------------------------------------
    def norm2(self):
        v = ctypes.c_double()
        C.qs_state_norm2(self._handle, ctypes.byref(v))
        return v.value

    def normalize(self):
        C.qs_state_normalize(self._handle)
        return self

    def inner(self, other):
        """<self|other> as a Python complex."""
        out = (ctypes.c_double * 2)()
        C.qs_state_inner(self._handle, other._handle, out)
        return complex(out[0], out[1])

    def fidelity(self, other):
        v = ctypes.c_double()
        C.qs_state_fidelity(self._handle, other._handle, ctypes.byref(v))
        return v.value

    def scale(self, alpha):
        """self <- alpha * self (alpha complex)."""
        a = complex(alpha)
        C.qs_state_scale(self._handle, (ctypes.c_double * 2)(a.real, a.imag))
        return self

    def axpy(self, alpha, x):
        """self <- self + alpha * x."""
        a = complex(alpha)
        C.qs_state_axpy(self._handle, (ctypes.c_double * 2)(a.real, a.imag), x._handle)
        return self

    # ---- gates --------------------------------------------------------------
    def apply(self, gate, *qubits, params=(), controls=(), control_values=None):
        """Applies a named gate: s.apply("cx", 0, 3), s.apply("rx", 1, params=[0.3]).
        Extra controls (on |1>, or on control_values) may be added."""
        g = checked_info(gate, qubits, params)[0]
        q = small_ints(qubits)
        p = small_reals(params)
        if len(controls):
            c = small_ints(controls)
            cv = None if control_values is None else small_ints(control_values)
            if cv is not None and len(cv) != len(c):
                raise ValueError("control_values must have one entry per control")
            C.qs_state_apply_controlled_gate(self._handle, c, cv, len(c), g, q, p)
        else:
            C.qs_state_apply_gate(self._handle, g, q, p)
        return self

    def _targets(self, targets, controls, control_values):
        t, c = ints(targets, "targets"), ints(controls, "controls")
        cv = ints(control_values, "control_values")
        if cv is not None and len(cv) != len(c):
            raise ValueError("control_values must have one entry per control")
        return t, c, cv

    def apply_matrix(self, matrix, targets, controls=(), control_values=None):
        """A dense 2^k x 2^k matrix on k targets (bit j of its index = targets[j])."""
        t, c, cv = self._targets(targets, controls, control_values)
        d = 1 << len(t)
        m = complexes(matrix, (d, d))
        C.qs_state_apply_matrix(self._handle, ptr(t), len(t), ptr(c), ptr(cv), len(c), ptr(m))
        return self

    def apply_diagonal(self, diagonal, targets, controls=(), control_values=None):
        """A diagonal matrix (2^k complex entries) on k targets."""
        t, c, cv = self._targets(targets, controls, control_values)
        d = complexes(diagonal, (1 << len(t),), "diagonal")
        C.qs_state_apply_diagonal(self._handle, ptr(t), len(t), ptr(c), ptr(cv), len(c), ptr(d))
        return self

    def apply_permutation(self, perm, targets, phases=None, controls=(), control_values=None):
        """|j> -> phases[j] |perm[j]> on the targets' basis states."""
        t, c, cv = self._targets(targets, controls, control_values)
        p = np.ascontiguousarray(perm, dtype=np.uint32)
        if p.shape != (1 << len(t),):
            raise ValueError("perm must have %d entries" % (1 << len(t)))
        ph = None if phases is None else complexes(phases, (1 << len(t),), "phases")
        C.qs_state_apply_permutation(self._handle, ptr(t), len(t), ptr(c), ptr(cv), len(c),
                                     ptr(p), ptr(ph))
        return self

    def apply_pauli_rotation(self, pauli, theta, qubits=None):
        """exp(-i theta/2 P): pauli as "X0 Z3", or letters with qubits=."""
        q, letters = _pauli_args(pauli, qubits)
        C.qs_state_apply_pauli_rotation(self._handle, ptr(q), letters.encode(), len(letters),
                                        float(theta))
        return self

    def apply_pauli(self, pauli, qubits=None):
        """The Pauli string P itself ("X0 Z3")."""
        q, letters = _pauli_args(pauli, qubits)
        C.qs_state_apply_pauli(self._handle, ptr(q), letters.encode(), len(letters))
        return self

    def apply_global_phase(self, phi):
        C.qs_state_apply_global_phase(self._handle, float(phi))
        return self

    def _diagonal_values(self, values):
        return reals(values, (1 << self.num_qubits,), "values (one per basis state)")

    def apply_diagonal_exp(self, values, t):
        """exp(-i t D) for D = diag(values), one real value per basis state
        (a QAOA cost layer in one pass)."""
        v = self._diagonal_values(values)
        C.qs_state_apply_diagonal_exp(self._handle, ptr(v), float(t))
        return self

    def apply_real_diagonal(self, values):
        """D|s> for D = diag(values) (not unitary)."""
        v = self._diagonal_values(values)
        C.qs_state_apply_real_diagonal(self._handle, ptr(v))
        return self

    def apply_qft(self, first=0, count=None, inverse=False):
        """The QFT (through FFTW) on qubits [first, first+count)."""
        count = self.num_qubits - first if count is None else count
        C.qs_state_apply_qft(self._handle, _n(first, 0, INT_MAX, "first"), _n(count, 0, INT_MAX, "count"),
                             _QFT_INVERSE if inverse else 0)
        return self

    def run(self, circuit, params=None, seed=None, rng=None):
        """Runs a circuit (or compiled Program) on this state from its
        current amplitudes; params is a dict {name: value} or a sequence in
        declaration order.  Returns the classical bits (uint8 array)."""
        program = circuit.compile() if hasattr(circuit, "compile") else circuit
        return program.run(self, params, seed=seed, rng=rng)

    # ---- probabilities and measurement -----------------------------------------
    def probabilities(self):
        """|a_i|^2 for every basis index i."""
        out = np.empty(1 << self.num_qubits, dtype=np.float64)
        C.qs_state_probabilities(self._handle, ptr(out))
        return out

    def marginal(self, qubits):
        """Distribution of the given qubits (bit j of an outcome = qubits[j])."""
        q = ints(qubits)
        out = np.empty(1 << len(q), dtype=np.float64)
        C.qs_state_marginal(self._handle, ptr(q), len(q), ptr(out))
        return out

    def prob_one(self, qubit):
        """P(qubit = 1)."""
        v = ctypes.c_double()
        C.qs_state_prob_one(self._handle, qubit, ctypes.byref(v))
        return v.value

    def measure(self, qubits, seed=None, rng=None):
        """Measures (one qubit or a list) and collapses; returns (outcome,
        probability), bit j of outcome = qubits[j]."""
        q = _qubit_list(qubits)
        r = as_rng(rng, seed)
        o, p = ctypes.c_uint64(), ctypes.c_double()
        C.qs_state_measure(self._handle, q, len(q), r._handle, ctypes.byref(o), ctypes.byref(p))
        return o.value, p.value

    def collapse(self, qubits, outcome):
        """Projects onto an outcome and renormalises; returns its probability."""
        q = _qubit_list(qubits)
        p = ctypes.c_double()
        C.qs_state_collapse(self._handle, q, len(q), _n(outcome, 0, U64_MAX, "outcome"),
                          ctypes.byref(p))
        return p.value

    def reset(self, qubits, seed=None, rng=None):
        """Resets qubits to |0> (measuring them)."""
        q = _qubit_list(qubits)
        r = as_rng(rng, seed)
        C.qs_state_reset(self._handle, q, len(q), r._handle)
        return self

    def sample(self, shots, qubits=None, seed=None, rng=None):
        """shots outcomes (uint64, bit j = qubits[j] or qubit j), in random
        order, without changing the state."""
        q = None if qubits is None else _qubit_list(qubits)
        r = as_rng(rng, seed)
        out = np.empty(_n(shots, 0, 2 ** 40, "shots"), dtype=np.uint64)
        C.qs_state_sample(self._handle, q, 0 if q is None else len(q), int(shots),
                          r._handle, ptr(out))
        return out

    def counts(self, shots, qubits=None, seed=None, rng=None):
        """{bitstring: count} of sample(), bitstrings with the highest bit
        (the last qubit) first, as Qiskit writes them."""
        k = self.num_qubits if qubits is None else len(_qubit_list(qubits))
        vals, cnt = np.unique(self.sample(shots, qubits, seed, rng), return_counts=True)
        return {format(int(v), "0%db" % k): int(c) for v, c in zip(vals, cnt)}

    # ---- observables ------------------------------------------------------------
    def expectation(self, observable):
        """<s|O|s> for O a Hamiltonian (or a Qiskit SparsePauliOp), one Pauli
        string such as "X0 Z3", or a real diagonal given as one value per
        basis state."""
        v = ctypes.c_double()
        if isinstance(observable, str):
            q, letters = _pauli_args(observable)
            C.qs_state_expect_pauli(self._handle, ptr(q), letters.encode(), len(letters),
                                    ctypes.byref(v))
        elif hasattr(observable, "_handle"):
            C.qs_state_expect(self._handle, observable._handle, ctypes.byref(v))
        elif hasattr(observable, "to_list"):
            from .hamiltonian import Hamiltonian
            with Hamiltonian.from_sparse_pauli_op(observable) as h:
                C.qs_state_expect(self._handle, h._handle, ctypes.byref(v))
        else:
            d = self._diagonal_values(observable)
            C.qs_state_expect_diagonal(self._handle, ptr(d), ctypes.byref(v))
        return v.value
