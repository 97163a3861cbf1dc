"""Handles are released deterministically and on garbage collection: no
leak over 10 000 create/destroy cycles (measured RSS) of every kind of
handle, callbacks and errors included; the cost of one small call is
measured and reported (not asserted)."""

import gc
import os
import time

import numpy as np
import pytest

import qsim
from conftest import report
from overhead import measure

BAD_QASM = "OPENQASM 2.0;\nqreg q[1];\nU(0,0,0) q[0]\n"


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def cycle(i):
    s = qsim.State(6)                       # 1 KiB of amplitudes
    c = qsim.Circuit(6)
    c.h(0).rx("t", 1).cx(0, 5)
    s.run(c, {"t": 0.1 * i})
    h = qsim.Hamiltonian([(1.0, "Z0 Z5"), (0.5, "X1")])
    e = s.expectation(h)
    o = qsim.Objective(c, h)
    g = o.gradient([0.2])
    if i % 2:                               # half explicitly, half by the collector
        s.close()
        c.close()
        h.close()
        o.close()
    with qsim.State(3) as t:
        t.apply("h", 0)
    if i % 10 == 0:                         # the heavier kinds, less often
        with qsim.Optimizer("adam", 1, maxiter=2) as opt:
            opt.start(lambda x: (float(x @ x), 2 * x), [1.0])
            opt.run(callback=lambda it: None)
        gr = qsim.Graph(3, [(0, 1), (1, 2)])
        gr.cut_values()
        p = qsim.Circuit(1, 1).h(0).measure(0, 0).compile()
        p.sample(4, seed=i)
        p.enumerate()
        try:
            qsim.Circuit.from_qasm(BAD_QASM)
        except qsim.QasmError:
            pass
    return e + g[0]


def view_cycle(i):
    s = qsim.State(8)                       # 4 KiB
    a = s.amplitudes
    if i % 2:
        s.close()
    return a


def test_no_leak_over_10000_cycles():
    for i in range(500):                    # warm up allocators and caches
        cycle(i)
    gc.collect()
    before = rss_kib()
    t0 = time.perf_counter()
    for i in range(10000):
        cycle(i)
        view_cycle(i)                       # states released through their views
    gc.collect()
    grown = rss_kib() - before
    report("RSS growth over 10000 create/destroy cycles: %d KiB (%.1f s)"
           % (grown, time.perf_counter() - t0))
    # a leak of one 6-qubit state per cycle alone would be > 10 MiB
    assert grown < 2048, "RSS grew by %d KiB" % grown


def test_close_is_deterministic_and_idempotent():
    s = qsim.State(2)
    assert not s.closed
    s.close()
    s.close()
    assert s.closed and repr(s) == "State(closed)"
    with pytest.raises(ValueError, match="State is closed"):
        s.apply("h", 0)
    with qsim.Circuit(2) as c:
        c.h(0)
    assert c.closed
    # a view of a state's amplitudes keeps its memory alive past close()
    with qsim.State(2) as s:
        s.apply("x", 1)
        a = s.amplitudes
    assert s.closed and a[2] == 1 and a.sum() == 1
    a[0] = 5                                 # still the (closed) state's own memory
    # a borrowed handle (an objective's program) does not free its owner's memory
    E = qsim.Objective(qsim.Circuit(1).rx("t", 0), "Z0")
    p = E.program
    p.close()
    assert abs(E([0.0]) - 1) < 1e-15


def test_call_overhead_is_reported():
    rows = measure(n=5000)
    report("per-call overhead (best of 7 x 5000 calls; "
           ".venv/bin/python python-shim/tests/overhead.py for more):")
    for what, us in rows:
        report("  %-50s %6.2f us" % (what, us))
    assert all(np.isfinite(us) for _, us in rows)


def test_copies_are_independent_and_pickling_is_refused():
    import copy
    import pickle
    s = qsim.State(2).apply("h", 0)
    t = copy.deepcopy(s)
    t.apply("x", 1)
    assert s.prob_one(1) == 0 and abs(t.prob_one(1) - 1) < 1e-15
    c = qsim.Circuit(1).rx("a", 0)
    E = qsim.Objective(c, "Z0", method="shift")
    F = copy.copy(E)
    E.close()
    assert abs(F([0.0]) - 1) < 1e-15 and F._settings["method"] == "shift"
    for obj in (s, c, F, qsim.Rng(1)):
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(obj)
    with pytest.raises(TypeError, match="cannot be copied"):
        copy.copy(qsim.Rng(1))
