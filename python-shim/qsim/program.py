"""Compiled programs: run a circuit many times with new parameter values,
sample its shots, follow its measurement branches exactly, and run any
slice of it forward or backward (the primitives behind gradients)."""

import ctypes
from collections import namedtuple

import numpy as np

from ._arrays import count, reals
from ._callback import Callbacks
from ._ffi import BRANCH_FN, C, ptr
from ._handle import Handle, new_handle
from .rng import as_rng

# Flags of qs_program_compile(), qs_program_step_flags() and run_range().
COMPILE_DEFER_MEASURE = 1
COMPILE_NO_FUSION = 2
STEP_PARAMETERIZED = 1
STEP_NONUNITARY = 2
RUN_ADJOINT = 1

Branch = namedtuple("Branch", "probability amplitudes clbits")
Branch.__doc__ = """One measurement branch of Program.enumerate(): its
probability, its final (normalised) amplitudes and its classical bits."""


def bind(names, params):
    """params (dict {name: value}, sequence in declaration order, or None
    when there are no parameters) -> float64 array."""
    if params is None:
        params = {}
    if isinstance(params, dict):
        missing = [n for n in names if n not in params]
        extra = [n for n in params if n not in names]
        if missing or extra:
            raise ValueError("parameters: missing %s, unknown %s (the circuit's are %s)"
                             % (missing, extra, names))
        params = [params[n] for n in names]
    v = np.ascontiguousarray(params, dtype=np.float64).ravel()
    if v.shape != (len(names),):
        raise ValueError("expected %d parameter values %s, got %d"
                         % (len(names), names, v.size))
    return v


class Program(Handle):
    """A compiled circuit (Circuit.compile()): bind parameters, run, repeat.

    The program keeps its own copy of what it needs from the circuit.
    ``defer_measure=True`` leaves the terminal measurements out of its steps
    (listed by ``deferred``), so runs end in the state just before them.
    ``fuse=False`` runs the steps one by one as written, without cache
    blocking or gate fusion (for comparisons; the results agree to 1e-12).
    """

    _destroy = C.qs_program_destroy

    def __init__(self, circuit, defer_measure=False, fuse=True, _handle=None, _owner=None,
                 _parameters=None):
        if _handle is None:
            flags = (COMPILE_DEFER_MEASURE if defer_measure else 0) | \
                (0 if fuse else COMPILE_NO_FUSION)
            _handle = new_handle(C.qs_program_compile, circuit._handle, flags)
            _parameters = circuit.parameters
        super().__init__(_handle, _owner)
        h = self._handle
        self.parameters = list(_parameters)
        self.num_qubits = C.qs_program_num_qubits(h)
        self.num_clbits = C.qs_program_num_clbits(h)
        self.is_dynamic = bool(C.qs_program_is_dynamic(h))

    def __repr__(self):
        if self._h is None:
            return "Program(closed)"
        return "Program(%d qubits, %d clbits, %d steps, parameters %s)" % (
            self.num_qubits, self.num_clbits, self.num_steps, self.parameters)

    @property
    def num_params(self):
        return C.qs_program_num_params(self._handle)

    @property
    def num_steps(self):
        return C.qs_program_num_steps(self._handle)

    def __len__(self):
        return self.num_steps

    @property
    def deferred(self):
        """[(qubit, clbit)] of the measurements left out by defer_measure
        (clbit -1: outcome discarded)."""
        h, out = self._handle, []
        q, c = ctypes.c_int(), ctypes.c_int()
        for i in range(C.qs_program_num_deferred(h)):
            C.qs_program_deferred(h, i, ctypes.byref(q), ctypes.byref(c))
            out.append((q.value, c.value))
        return out

    def bind(self, params):
        """params (dict or sequence) -> float64 array in declaration order."""
        return bind(self.parameters, params)

    # ---- running -------------------------------------------------------------
    def run(self, state, params=None, seed=None, rng=None):
        """Runs on state (from its current amplitudes); returns the classical
        bits (uint8 array, bit j = classical bit j)."""
        v = self.bind(params)
        r = as_rng(rng, seed) if self.is_dynamic else None
        bits = np.zeros(max(self.num_clbits, 1), dtype=np.uint8)
        C.qs_program_run(self._handle, ptr(v) if v.size else None, v.size, state._handle,
                         None if r is None else r._handle, ptr(bits))
        return bits[: self.num_clbits]

    def simulate(self, params=None, precision="double", seed=None, rng=None):
        """A new State holding the program applied to |0...0>."""
        from .state import State
        s = State(self.num_qubits, precision=precision)
        self.run(s, params, seed=seed, rng=rng)
        return s

    def sample(self, shots, params=None, seed=None, rng=None):
        """The classical bits of shots runs from |0...0> (random order):
        uint64 values with classical bit j in bit j, shape (shots,), or
        (shots, W) words when there are more than 64 classical bits.
        Each distinct measurement path is simulated once."""
        from .state import State
        v = self.bind(params)
        r = as_rng(rng, seed)
        w = (self.num_clbits + 63) // 64
        shots = count(shots, 0, 2 ** 40, "shots")
        out = np.zeros((shots, max(w, 1)), dtype=np.uint64)
        with State(self.num_qubits) as s:
            C.qs_program_sample(self._handle, ptr(v) if v.size else None, v.size, int(shots),
                                s._handle, r._handle, ptr(out))
        return out[:, 0] if w <= 1 else out

    def enumerate(self, params=None, callback=None, min_prob=1e-14, max_branches=4096):
        """Follows every measurement branch exactly.  Without a callback,
        returns a list of Branch(probability, amplitudes, clbits); with one,
        calls callback(probability, state, clbits) per branch (state is valid
        during the call only) and returns None.  An exception raised by the
        callback stops the enumeration and is raised here."""
        from .state import State
        v = self.bind(params)
        found = []
        nclb = self.num_clbits

        def on_branch(ctx, prob, s, clbits):
            view = State.__new__(State)
            Handle.__init__(view, s, owner=self)      # borrowed for the call
            bits = np.ctypeslib.as_array(clbits, (nclb,)).copy() if nclb else \
                np.zeros(0, np.uint8)
            try:
                if callback is None:
                    found.append(Branch(prob, view.get_amplitudes(), bits))
                else:
                    callback(prob, view, bits)
            finally:
                view._h = None
            return 0

        cbs = Callbacks()
        fn = cbs.wrap(BRANCH_FN, on_branch)
        with State(self.num_qubits) as s:
            cbs.call(C.qs_program_enumerate, self._handle, ptr(v) if v.size else None, v.size,
                     float(min_prob), int(max_branches), s._handle, fn, None)
        return found if callback is None else None

    def probabilities(self, params=None):
        """The exact distribution over basis states at the end, summed over
        the measurement branches of a dynamic program (a mixed state's
        diagonal); the state's probabilities otherwise."""
        if not self.is_dynamic:
            with self.simulate(params) as s:
                return s.probabilities()
        total = np.zeros(1 << self.num_qubits)
        for b in self.enumerate(params):
            total += b.probability * np.abs(b.amplitudes) ** 2
        return total

    # ---- steps: the primitives behind gradients -----------------------------
    def step_flags(self, k):
        """STEP_PARAMETERIZED | STEP_NONUNITARY bits of step k."""
        return C.qs_program_step_flags(self._handle, k)

    def step_num_args(self, k):
        n = C.qs_program_step_num_args(self._handle, k)
        if n < 0:
            raise IndexError("step %d out of range (%d steps)" % (k, self.num_steps))
        return n

    def step_args(self, k, params):
        """The real arguments of step k at the parameter values."""
        v = self.bind(params)
        out = np.empty(max(self.step_num_args(k), 1))
        C.qs_program_step_args(self._handle, k, ptr(v) if v.size else None, v.size, ptr(out))
        return out[: self.step_num_args(k)]

    def step_arg_params(self, k, a):
        """Indices of the parameters argument a of step k uses, ascending."""
        count = ctypes.c_int()
        C.qs_program_step_arg_params(self._handle, k, a, None, 0, ctypes.byref(count))
        idx = (ctypes.c_int * max(count.value, 1))()
        C.qs_program_step_arg_params(self._handle, k, a, idx, count.value, ctypes.byref(count))
        return list(idx[: count.value])

    def step_arg_grad(self, k, a, params, seed=1.0, grad=None):
        """grad + seed * d(argument a of step k)/d(parameters) (the chain
        rule through the argument's expression); returns the new array."""
        v = self.bind(params)
        g = np.zeros(v.size) if grad is None else np.array(grad, dtype=np.float64)
        C.qs_program_step_arg_grad(self._handle, k, a, ptr(v) if v.size else None, v.size,
                                   float(seed), ptr(g) if g.size else None)
        return g

    def step_arg_spectrum(self, k, a):
        """(omega, degree): expectations after step k are trigonometric
        polynomials of degree R in omega * argument (shift rules)."""
        w, r = ctypes.c_double(), ctypes.c_int()
        C.qs_program_step_arg_spectrum(self._handle, k, a, ctypes.byref(w), ctypes.byref(r))
        return w.value, r.value

    def step_apply(self, k, args, state, adjoint=False):
        """Applies step k with the given argument values (or its adjoint)."""
        x = reals(args) if len(args) else None
        C.qs_program_step_apply(self._handle, k, ptr(x), RUN_ADJOINT if adjoint else 0,
                                state._handle)
        return state

    def step_apply_derivative(self, k, a, args, state):
        """state <- (dU_k/d arg a) state at the argument values."""
        x = reals(args) if len(args) else None
        C.qs_program_step_apply_derivative(self._handle, k, a, ptr(x), state._handle)
        return state

    def run_range(self, params, first, end, state, adjoint=False):
        """Runs steps [first, end) on state, or undoes them (adjoint=True)."""
        v = self.bind(params)
        C.qs_program_run_range(self._handle, ptr(v) if v.size else None, v.size, first, end,
                               RUN_ADJOINT if adjoint else 0, state._handle)
        return state
