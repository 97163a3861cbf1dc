"""The cost of one small call from Python: each operation on a 1-qubit
state (where the library's own work is a few nanoseconds), next to the bare
ctypes call of the same function, so the difference is the shim's own
overhead.  Run it:

    .venv/bin/python python-shim/tests/overhead.py

test_resources.py runs it too and reports the figures (not asserted).
"""

import ctypes
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import qsim                       # noqa: E402
from qsim._ffi import C           # noqa: E402


def per_call(fn, n=20000, repeats=7):
    """The best of repeats of the mean time of n calls, in microseconds."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best * 1e6


def measure(n=20000):
    """[(what, microseconds)]."""
    s = qsim.State(1)
    h = s._handle
    q = (ctypes.c_int * 1)(0)
    prm = (ctypes.c_double * 1)(0.1)
    E = qsim.Objective(qsim.Circuit(1).rx("t", 0), "Z0")
    x = [0.3]
    v = ctypes.c_double()
    gx, grx = qsim.gates.gate_id("x"), qsim.gates.gate_id("rx")
    return [
        ("ctypes qs_state_apply_gate (bare, with errcheck)",
         per_call(lambda: C.qs_state_apply_gate(h, gx, q, None), n)),
        ("State.apply('x', 0)", per_call(lambda: s.apply("x", 0), n)),
        ("State.apply('rx', 0, params=[0.1])",
         per_call(lambda: s.apply("rx", 0, params=[0.1]), n)),
        ("ctypes qs_state_apply_gate rx (bare)",
         per_call(lambda: C.qs_state_apply_gate(h, grx, q, prm), n)),
        ("State.num_qubits", per_call(lambda: s.num_qubits, n)),
        ("State.prob_one(0)", per_call(lambda: s.prob_one(0), n)),
        ("ctypes qs_state_prob_one (bare)",
         per_call(lambda: C.qs_state_prob_one(h, 0, ctypes.byref(v)), n)),
        ("Objective.value([0.3]) (1 qubit)", per_call(lambda: E.value(x), n)),
    ]


def main():
    print("per-call overhead (%s, best of 7 x 20000 calls):" % qsim.library_paths()["qsim"])
    for what, us in measure():
        print("  %-50s %6.2f us" % (what, us))


if __name__ == "__main__":
    main()
