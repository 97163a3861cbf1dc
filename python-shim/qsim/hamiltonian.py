"""Pauli sums: observables and Hamiltonians with real coefficients."""

import ctypes
import os

import numpy as np

from ._arrays import ints
from ._ffi import C, ptr
from ._handle import Handle, new_handle

# Methods of Hamiltonian.ground_state()
_METHODS = {"auto": 0, "dense": 1, "krylov": 2}


class Hamiltonian(Handle):
    """A weighted sum of Pauli strings.

    Hamiltonian([(0.5, "X0 Z3"), (-1.0, "I")])   terms as (coefficient, "P<qubit> ...")
    Hamiltonian.from_file(path)                  the Pauli-sum file format
    Hamiltonian.from_labels([("XZI", 0.5)])      Qiskit labels: last letter = qubit 0
    Hamiltonian.from_sparse_pauli_op(op)         a qiskit SparsePauliOp (real coefficients)
    """

    _destroy = C.qs_pauli_sum_destroy

    def __init__(self, terms=(), num_qubits=0, _handle=None):
        super().__init__(_handle if _handle is not None
                         else new_handle(C.qs_pauli_sum_create, int(num_qubits)))
        for coef, term in terms:
            self.add(coef, term)

    @classmethod
    def from_file(cls, path):
        return cls(_handle=new_handle(C.qs_pauli_sum_read, os.fsencode(path)))

    @classmethod
    def from_string(cls, text, name="<string>"):
        return cls(_handle=new_handle(C.qs_pauli_sum_parse, text.encode(), name.encode()))

    @classmethod
    def from_labels(cls, labels, num_qubits=0):
        """From (label, coefficient) pairs in Qiskit's order: the label's
        last character acts on qubit 0."""
        h = cls(num_qubits=num_qubits)
        for label, coef in labels:
            h.add_label(label, coef)
        return h

    @classmethod
    def from_sparse_pauli_op(cls, op):
        """From qiskit.quantum_info.SparsePauliOp; imaginary parts must be 0."""
        h = cls(num_qubits=op.num_qubits)
        for label, coef in op.to_list():
            c = complex(coef)
            if abs(c.imag) > 1e-12 * max(1.0, abs(c.real)):
                raise ValueError("coefficient %r of %s is not real" % (coef, label))
            h.add_label(label, c.real)
        return h

    def add(self, coef, term):
        """Adds coef * term, term as "X0 Z3" ("I" or "" for the identity)."""
        C.qs_pauli_sum_add_term(self._handle, float(coef), term.encode())
        return self

    def add_label(self, label, coef):
        """Adds coef * label with Qiskit's order (last letter = qubit 0)."""
        n = len(label)
        q = ints([n - 1 - i for i in range(n)])
        C.qs_pauli_sum_add(self._handle, float(coef), ptr(q), label.upper().encode(), n)
        return self

    @property
    def num_qubits(self):
        return C.qs_pauli_sum_num_qubits(self._handle)

    def __len__(self):
        return C.qs_pauli_sum_num_terms(self._handle)

    @property
    def terms(self):
        """[(coefficient, "X0 Z3"), ...] in insertion order."""
        out = []
        buf = ctypes.create_string_buffer(64 * 4 + 2)
        c = ctypes.c_double()
        for i in range(len(self)):
            C.qs_pauli_sum_term(self._handle, i, ctypes.byref(c), buf, len(buf))
            out.append((c.value, buf.value.decode()))
        return out

    def header(self, key):
        """A header value read from a file ("n_electrons"), or None."""
        v = C.qs_pauli_sum_header(self._handle, key.encode())
        return None if v is None else v.decode()

    def copy(self):
        return Hamiltonian(_handle=new_handle(C.qs_pauli_sum_copy, self._handle))

    def matrix(self):
        """The dense 2^n x 2^n matrix (up to 14 qubits)."""
        d = 1 << self.num_qubits
        out = np.empty((d, d), dtype=np.complex128)
        C.qs_pauli_sum_matrix(self._handle, ptr(out))
        return out

    def ground_state(self, k=1, method="auto", vectors=True):
        """The k lowest eigenvalues (ascending) and, if vectors, the
        eigenvectors as columns of a (2^n, k) array.  method: "dense"
        (LAPACKE, up to 14 qubits), "krylov" (Lanczos, up to 24) or "auto"."""
        d = 1 << self.num_qubits
        e = np.empty(k, dtype=np.float64)
        v = np.empty((k, d), dtype=np.complex128) if vectors else None
        C.qs_pauli_sum_eigensolve(self._handle, int(k), _METHODS[method], ptr(e), ptr(v))
        return (e, v.T) if vectors else e

    def eigenvalues_sector(self, masks, counts, k=1):
        """The k lowest eigenvalues restricted to the basis states with
        popcount(b & masks[j]) == counts[j] for every j (a particle-number
        sector; exact when H conserves those numbers)."""
        m = np.ascontiguousarray(masks, dtype=np.uint64)
        c = np.ascontiguousarray(counts, dtype=np.int32)
        if m.shape != c.shape or m.ndim != 1:
            raise ValueError("masks and counts must be two flat sequences of one length")
        e = np.empty(int(k))
        C.qs_pauli_sum_eigensolve_sector(self._handle, len(m), ptr(m) if m.size else None,
                                         ptr(c) if c.size else None, int(k), ptr(e))
        return e

    def molecule_info(self):
        """(n_alpha, n_beta, hf_index) from a molecular file's header
        (n_electrons, n_alpha, n_beta, hf_state_index)."""
        na, nb, hf = ctypes.c_int(), ctypes.c_int(), ctypes.c_uint64()
        C.qh_molecule_info(self._handle, ctypes.byref(na), ctypes.byref(nb), ctypes.byref(hf))
        return na.value, nb.value, hf.value

    def sector_ground_energy(self, n_alpha=None, n_beta=None):
        """The exact ground energy with n_alpha spin-up and n_beta spin-down
        electrons (interleaved spin orbitals; default: the file's header),
        which a particle-conserving ansatz such as UCCSD can reach."""
        if n_alpha is None or n_beta is None:
            na, nb, _ = self.molecule_info()
            n_alpha = na if n_alpha is None else n_alpha
            n_beta = nb if n_beta is None else n_beta
        e = ctypes.c_double()
        C.qh_sector_ground_energy(self._handle, int(n_alpha), int(n_beta), ctypes.byref(e))
        return e.value

    def apply(self, state, out=None):
        """out <- H state (a new State if out is None)."""
        from .state import State
        if out is None:
            out = State(state.num_qubits, precision=state.precision)
        C.qs_pauli_sum_apply(self._handle, state._handle, out._handle)
        return out

    def __repr__(self):
        return "Hamiltonian(%d qubits, %d terms)" % (self.num_qubits, len(self))
