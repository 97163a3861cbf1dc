"""Threads: two Python threads running different circuits at once get the
right answers, error messages stay with the thread whose call failed, and
ctypes lets other Python threads run while a call is inside the library."""

import threading
import time

import numpy as np

import qsim


def run_threads(work, n):
    errors = []

    def wrapped(k):
        try:
            work(k)
        except BaseException as e:      # reported below
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_threads_run_different_circuits_at_once():
    n, results = 12, {}
    start = threading.Barrier(2)

    def work(k):
        c = qsim.Circuit(n)
        for q in range(n):
            c.ry(0.1 * (k + 1) * (q + 1), q)
        if k:
            c.cx(0, 1).cx(0, 1)          # a different circuit, the same state
        start.wait()
        want = np.prod([np.cos(0.05 * (k + 1) * (q + 1)) ** 2 for q in range(n)])
        for _ in range(40):
            with c.simulate() as s:
                assert abs(s.probabilities()[0] - want) < 1e-12
        results[k] = True

    run_threads(work, 2)
    assert len(results) == 2


def test_hybrid_calls_in_two_threads():
    h2 = qsim.Hamiltonian([(0.5, "Z0 Z1"), (0.25, "X0")])
    c = qsim.Circuit(2).ry("a", 0).cx(0, 1).ry("b", 1)
    X = np.random.default_rng(1).uniform(-2, 2, (50, 2))
    with qsim.Objective(c, h2) as E:
        want = E.values(X)
    out = {}

    def work(k):
        with qsim.Objective(c, h2) as E:      # one handle per thread
            for _ in range(20):
                out[k] = E.values(X)
                assert np.array_equal(out[k], want)

    run_threads(work, 2)


def test_error_messages_stay_with_their_thread():
    start = threading.Barrier(2)

    def work(k):
        start.wait()
        for _ in range(300):
            if k == 0:
                try:
                    qsim.State(3).apply("h", 7)
                except qsim.QsimValueError as e:
                    assert "target 7 out of range for a 3-qubit state" in str(e), str(e)
                    assert e.line is None
                else:
                    raise AssertionError("no error")
            else:
                try:
                    qsim.Circuit.from_qasm("OPENQASM 2.0;\nqreg q[1];\nU(0,0,0) q[0]\n", name="t1")
                except qsim.QasmError as e:
                    assert (e.filename, e.line) == ("t1", 3) and "expected ';'" in str(e), str(e)
                else:
                    raise AssertionError("no error")

    run_threads(work, 2)


def test_calls_release_the_gil():
    """While one thread is inside a long library call, another thread runs
    Python code: its timestamps fall inside the call."""
    c = qsim.Circuit(10)
    for q in range(10):
        c.ry("t%d" % q, q)
    for q in range(9):
        c.cx(q, q + 1)
    E = qsim.Objective(c, "Z0 Z9", threads=1)
    rng = np.random.default_rng(2)
    rows = 64
    while True:                          # a batch that takes at least 0.2 s here
        X = rng.uniform(-1, 1, (rows, 10))
        t0 = time.perf_counter()
        E.values(X)
        if time.perf_counter() - t0 > 0.2 or rows > 1 << 20:
            break
        rows *= 2
    stamps, done = [], threading.Event()

    def ticker():
        while not done.is_set():
            stamps.append(time.perf_counter())
            x = 0
            for i in range(2000):        # pure Python: needs the GIL
                x += i

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.02)
    t0 = time.perf_counter()
    E.values(X)
    t1 = time.perf_counter()
    done.set()
    t.join()
    inside = [s for s in stamps if t0 + 0.01 < s < t1 - 0.01]
    assert len(inside) >= 3, "the other thread did not run during a %.2f s call" % (t1 - t0)
