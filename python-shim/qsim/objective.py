"""Objectives E(params) = <0|U(params)^dagger O U(params)|0> of a
parameterized circuit and an observable, their gradients (adjoint,
parameter shift, finite differences) and batched evaluation."""

import ctypes

import numpy as np

from ._arrays import reals, small_reals
from ._ffi import C, ptr
from ._handle import Handle, new_handle
from .program import Program

# Gradient methods (QH_GRAD_*).
ADJOINT, PARAM_SHIFT, FINITE_DIFF = 0, 1, 2


def grad_method(method):
    """A method name ("adjoint", "shift" or "parameter-shift", "fd" or
    "finite-difference", also "parameter_shift", "finite_diff") or number ->
    QH_GRAD_* value."""
    if isinstance(method, (int, np.integer)):
        if C.qh_grad_method_name(int(method)) is None:
            raise ValueError("unknown gradient method %r" % (method,))
        return int(method)
    name = {"parameter_shift": "shift", "finite_diff": "fd"}.get(method, method)
    m = ctypes.c_int()
    C.qh_grad_method_lookup(name.encode(), ctypes.byref(m))
    return m.value


def _observable(observable, num_qubits):
    """(Hamiltonian or None, diagonal values or None) of an observable given
    as a Hamiltonian, a Qiskit SparsePauliOp, a Pauli string "Z0 Z1", a list
    of (coefficient, term) pairs, or one real value per basis state."""
    from .hamiltonian import Hamiltonian
    if isinstance(observable, Hamiltonian):
        return observable, None
    if isinstance(observable, str):
        return Hamiltonian([(1.0, observable)]), None
    if hasattr(observable, "to_list"):
        return Hamiltonian.from_sparse_pauli_op(observable), None
    if isinstance(observable, (list, tuple)) and observable and \
            isinstance(observable[0], (list, tuple)):
        return Hamiltonian(observable), None
    return None, reals(observable, (1 << num_qubits,), "diagonal observable")


class Objective(Handle):
    """E(params) of a circuit started from |0...0> and a Hermitian
    observable: a Hamiltonian (or SparsePauliOp, Pauli string, list of
    (coefficient, term)), or a real diagonal given as one value per basis
    state (such as minus a MaxCut cost).  Parameters may appear in any gate
    argument expression; measurements at the end of the circuit are left out.

        E = qsim.Objective(circuit, h)
        E(x), E.gradient(x), E.values(X), E.gradients(X, "shift")

    ``method`` is the gradient method optimizers use (adjoint by default);
    ``threads`` those of batches (0: the library's default).  With ``noise``
    (a NoiseModel) E is Tr(rho H) on the density matrix of the noisy
    circuit, its gradient by parameter shift on rho (the default then; the
    adjoint method needs a pure state and raises).
    """

    _destroy = C.qh_objective_destroy

    def __init__(self, circuit, observable, method=None, threads=0, fd_step=None, noise=None):
        n = circuit.num_qubits
        h, diag = _observable(observable, n)
        if method is None:
            method = "adjoint" if noise is None else "shift"
        if noise is not None:
            handle = new_handle(C.qh_objective_create_noisy, circuit._handle,
                                None if diag is not None else h._handle,
                                None if diag is None else ptr(diag), noise._handle)
        elif diag is None:
            handle = new_handle(C.qh_objective_create, circuit._handle, h._handle)
        else:
            handle = new_handle(C.qh_objective_create_diagonal, circuit._handle, ptr(diag))
        super().__init__(handle)
        self.parameters = circuit.parameters
        self._n = len(self.parameters)
        # what copy() needs (the library object keeps its own copies)
        self._spec = (circuit.copy(), h.copy() if diag is None else diag)
        self._settings = {"method": method, "threads": threads, "fd_step": fd_step,
                          "noise": noise}
        self.set_method(method)
        if threads:
            self.set_threads(threads)
        if fd_step is not None:
            self.set_fd_step(fd_step)

    def copy(self):
        """An independent objective with the same circuit, observable and settings."""
        return Objective(*self._spec, **self._settings)

    def __repr__(self):
        if self._h is None:
            return "Objective(closed)"
        return "Objective(%d qubits, parameters %s)" % (self.num_qubits, self.parameters)

    @property
    def num_params(self):
        return C.qh_objective_num_params(self._handle)

    @property
    def num_qubits(self):
        return C.qh_objective_num_qubits(self._handle)

    @property
    def program(self):
        """The compiled program inside (borrowed: valid while the objective lives)."""
        return Program(None, _handle=C.qh_objective_program(self._handle), _owner=self,
                       _parameters=self.parameters)

    def set_method(self, method):
        """The gradient method of optimizers (fdf): adjoint, shift or fd."""
        C.qh_objective_set_method(self._handle, grad_method(method))
        self._settings["method"] = method
        return self

    def set_trajectories(self, n, seed=1):
        """Noisy objectives: every value the mean of n seeded trajectories
        (what they do by themselves, with 1000, when the density matrix does
        not fit); gradients then by finite differences."""
        C.qh_objective_set_trajectories(self._handle, int(n), int(seed))
        if self._settings["method"] in (None, "shift"):
            self._settings["method"] = "fd"
        return self

    @property
    def num_trajectories(self):
        """Trajectories per value (0: exact, the density matrix or the state)."""
        return C.qh_objective_num_trajectories(self._handle)

    def value_error(self, params=None):
        """(value, standard error): 0 when exact."""
        p = self._params(params)
        v, e = ctypes.c_double(), ctypes.c_double()
        C.qh_objective_value_error(self._handle, ptr(p), ctypes.byref(v), ctypes.byref(e))
        return v.value, e.value

    def set_threads(self, threads):
        """Threads for batches (0: the library's default); results do not depend on it."""
        C.qh_objective_set_threads(self._handle, int(threads))
        self._settings["threads"] = threads
        return self

    def set_fd_step(self, h):
        """The step of central differences (default 1e-6)."""
        C.qh_objective_set_fd_step(self._handle, float(h))
        self._settings["fd_step"] = h
        return self

    def _params(self, params):
        n = self.num_params
        if isinstance(params, dict) or params is None:
            from .program import bind
            return bind(self.parameters, params)
        v = reals(params).ravel()
        if v.size != n:
            raise ValueError("expected %d parameter values, got %d" % (n, v.size))
        return v

    def _batch(self, params):
        n = self.num_params
        P = np.ascontiguousarray(params, dtype=np.float64)
        if P.ndim == 1 and n:
            P = P.reshape(-1, n) if P.size % n == 0 else P
        if P.ndim != 2 or P.shape[1] != n:
            raise ValueError("a batch is a 2-D array of parameter vectors (B, %d), got shape %s"
                             % (n, P.shape))
        return P

    # ---- single evaluations ------------------------------------------------
    def value(self, params=None):
        """E(params); params a sequence or a dict {name: value}."""
        out = ctypes.c_double()
        if type(params) in (list, tuple) and len(params) == self._n and self._n <= 4:
            v = small_reals(params)         # a short list: no numpy array
            C.qh_objective_value(self._handle, v, ctypes.byref(out))
        else:
            v = self._params(params)
            C.qh_objective_value(self._handle, ptr(v) if v.size else None, ctypes.byref(out))
        return out.value

    __call__ = value

    def value_and_gradient(self, params=None, method=None):
        """(E(params), dE/dparams) by the method: "adjoint" (one forward run
        and one backward sweep), "shift" (parameter-shift rules from each
        step's spectrum) or "fd" (central differences); None: the
        objective's method (adjoint, or shift under noise)."""
        if method is None:
            method = self._settings["method"]
        v = self._params(params)
        val = ctypes.c_double()
        g = np.empty(v.size)
        C.qh_objective_gradient(self._handle, grad_method(method), ptr(v) if v.size else None,
                                ctypes.byref(val), ptr(g) if g.size else None)
        return val.value, g

    def gradient(self, params=None, method=None):
        """dE/dparams (see value_and_gradient)."""
        return self.value_and_gradient(params, method)[1]

    def state(self, params=None, out=None):
        """The final state U(params)|0> (a new State unless out is given)."""
        from .state import State
        v = self._params(params)
        if out is None:
            out = State(self.num_qubits)
        C.qh_objective_state(self._handle, ptr(v) if v.size else None, out._handle)
        return out

    def metric(self, params=None):
        """The block-diagonal Fubini-Study metric tensor (n x n)."""
        v = self._params(params)
        g = np.empty((v.size, v.size))
        C.qh_objective_metric(self._handle, ptr(v) if v.size else None, ptr(g))
        return g

    # ---- batches -----------------------------------------------------------
    def values(self, params):
        """E of each row of a 2-D array of parameter vectors, in one call
        (small states: one vector per thread)."""
        P = self._batch(params)
        out = np.empty(len(P))
        C.qh_objective_values(self._handle, len(P), ptr(P), ptr(out))
        return out

    def values_and_gradients(self, params, method=None):
        """(values (B,), gradients (B, n)) of each row, in one call."""
        if method is None:
            method = self._settings["method"]
        P = self._batch(params)
        vals = np.empty(len(P))
        grads = np.empty(P.shape)
        C.qh_objective_gradients(self._handle, grad_method(method), len(P), ptr(P), ptr(vals),
                                 ptr(grads))
        return vals, grads

    def gradients(self, params, method=None):
        """Gradients (B, n) of each row of a 2-D parameter array."""
        return self.values_and_gradients(params, method)[1]


def _with_objective(circuit, observable, fn):
    if isinstance(circuit, Objective):
        return fn(circuit)
    with Objective(circuit, observable) as o:
        return fn(o)


def adjoint(circuit, observable, params=None):
    """dE/dparams by adjoint differentiation (E = <psi(params)|O|psi(params)>)."""
    return _with_objective(circuit, observable, lambda o: o.gradient(params, "adjoint"))


def parameter_shift(circuit, observable, params=None):
    """dE/dparams by parameter-shift rules (2R runs per argument of degree R)."""
    return _with_objective(circuit, observable, lambda o: o.gradient(params, "shift"))


def finite_diff(circuit, observable, params=None, step=1e-6):
    """dE/dparams by central differences (for checks)."""
    def run(o):
        o.set_fd_step(step)
        return o.gradient(params, "fd")
    return _with_objective(circuit, observable, run)


def batch_values(circuit, observable, params):
    """E of each row of a 2-D array of parameter vectors, in one library call."""
    return _with_objective(circuit, observable, lambda o: o.values(params))


def adjoint_sweep(program, params, state, observable):
    """The adjoint method's building block on a compiled program: the
    gradient of <psi|O|psi> where state holds psi = P(params) psi0 on
    entry (and psi0 on return, the sweep undoing the program).  O is a
    Hamiltonian.  Returns the gradient."""
    from .state import State
    v = program.bind(params)
    g = np.empty(v.size)
    with State(state.num_qubits, state.precision) as lam, \
            State(state.num_qubits, state.precision) as work:
        observable.apply(state, lam)
        C.qh_grad_adjoint(program._handle, ptr(v) if v.size else None, v.size, state._handle,
                          lam._handle, work._handle, ptr(g) if g.size else None)
    return g
