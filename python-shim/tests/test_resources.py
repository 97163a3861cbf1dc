"""Handles are released deterministically and on garbage collection: no
leak over 10 000 create/destroy cycles; the cost of one small call."""

import gc
import os
import time

import numpy as np

import qsim


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
    if i % 2:                               # half explicitly, half by the collector
        s.close()
        c.close()
        h.close()
    with qsim.State(3) as t:
        t.apply("h", 0)
    return e


def test_no_leak_over_10000_cycles():
    for i in range(500):                    # warm up allocators and caches
        cycle(i)
    gc.collect()
    before = rss_kib()
    for i in range(10000):
        cycle(i)
    gc.collect()
    grown = rss_kib() - before
    print("RSS growth over 10000 create/destroy cycles: %d KiB" % grown)
    # a leak of one state per cycle alone would be > 10 MiB
    assert grown < 2048, "RSS grew by %d KiB" % grown


def test_call_overhead_is_reported():
    s = qsim.State(1)
    n = 20000
    t0 = time.perf_counter()
    for _ in range(n):
        s.apply("x", 0)
    per_apply = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    for _ in range(n):
        s.num_qubits
    per_query = (time.perf_counter() - t0) / n
    print("per-call overhead: apply('x', 0) on 1 qubit %.2f us, num_qubits %.2f us"
          % (per_apply * 1e6, per_query * 1e6))
    assert np.isfinite(per_apply)
