"""The core of the Python interface: loading, signatures, states, gates,
errors, Hamiltonians and circuits, checked against numpy references."""

import os
import re

import numpy as np
import pytest

import qsim
from qsim import _ffi
from conftest import shared

ROOT = os.path.join(os.path.dirname(qsim.__file__), "..", "..")
HEADERS = {"QS_API": (os.path.join(ROOT, "qsim", "include", "qsim", "qsim.h"), _ffi.SIGNATURES),
           "QH_API": (os.path.join(ROOT, "hybrid", "include", "qsim", "hybrid.h"),
                      _ffi.HYBRID_SIGNATURES)}


def kron_op(n, ops):
    """Full matrix of {qubit: 2x2 matrix} with qubit 0 least significant."""
    m = np.eye(1)
    for q in range(n - 1, -1, -1):
        m = np.kron(m, ops.get(q, np.eye(2)))
    return m


def embed(n, qubits, mat):
    """Full matrix of a k-qubit matrix on qubits (bit j of its index = qubits[j])."""
    d = 1 << n
    full = np.zeros((d, d), dtype=complex)
    mask = sum(1 << q for q in qubits)
    for r in range(d):
        for c in range(d):
            if r & ~mask != c & ~mask:
                continue
            mr = sum(((r >> q) & 1) << j for j, q in enumerate(qubits))
            mc = sum(((c >> q) & 1) << j for j, q in enumerate(qubits))
            full[r, c] = mat[mr, mc]
    return full


def random_state(n, seed):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=1 << n) + 1j * rng.normal(size=1 << n)
    return v / np.linalg.norm(v)


@pytest.mark.parametrize("api", sorted(HEADERS))
def test_every_public_function_is_declared(api):
    header, table = HEADERS[api]
    names = set(re.findall(api + r"\s+[\w\s\*]+?\b(q[sh]_\w+)\s*\(", open(header).read()))
    assert len(names) > 80, "too few %s functions found in %s" % (api, header)
    missing = sorted(names - set(table))
    stale = sorted(set(table) - names)
    assert not missing, "no ctypes signature for %s" % missing
    assert not stale, "signatures for functions not in %s: %s" % (header, stale)
    for name in names:      # each one is declared on the loaded library
        fn = getattr(_ffi.C, name)
        assert fn.argtypes is not None, name


def test_data_symbols_match_lookup():
    # the const qh_optimizer_type pointers are the objects lookup returns
    import ctypes
    lib = qsim._lib.load_hybrid()
    for name in qsim.optimizers():
        sym = {"nelder-mead": "nelder_mead"}.get(name, name)
        p = ctypes.c_void_p.in_dll(lib, "qh_optimizer_" + sym).value
        assert p == _ffi.C.qh_optimizer_lookup(name.encode()), name


def test_version_and_backends():
    assert qsim.library_version == "0.1.0" and qsim.hybrid_version == "0.1.0"
    paths = qsim.library_paths()
    assert paths["qsim"].endswith("libqsim.so") and paths["qsimhybrid"].endswith(
        "libqsimhybrid.so")
    assert qsim.default_backend() in dict(qsim.backends())
    assert ("cpu", True) in qsim.backends()
    qsim.set_num_threads(1)
    assert qsim.get_num_threads() == 1
    qsim.set_num_threads(0)


def test_amplitudes_are_a_zero_copy_view():
    s = qsim.State(3)
    a = s.amplitudes
    assert a.dtype == np.complex128 and a.shape == (8,)
    a[:] = 0
    a[5] = 0.6 - 0.8j
    assert s.get_amplitudes()[5] == 0.6 - 0.8j
    s.apply("x", 0)                       # moves amplitude 5 to 4
    assert a[4] == 0.6 - 0.8j
    f = qsim.State(2, precision="single")
    assert f.amplitudes.dtype == np.complex64
    with pytest.raises(ValueError):
        qsim.State(2, precision="half")


def test_view_keeps_the_state_alive():
    a = qsim.State(4).amplitudes          # the State object is only referenced by the view
    import gc
    gc.collect()
    assert a[0] == 1 and np.all(a[1:] == 0)


@pytest.mark.parametrize("precision,tol", [("double", 1e-12), ("single", 2e-6)])
def test_gates_match_numpy(precision, tol):
    n = 4
    rng = np.random.default_rng(1)
    for name in qsim.GATES:
        nq, npar = qsim.gates.num_qubits(name), qsim.gates.num_params(name)
        if nq > n:
            continue
        qubits = list(rng.permutation(n)[:nq])
        params = list(rng.uniform(-3, 3, npar))
        v = random_state(n, 7)
        s = qsim.State(n, precision=precision).set_amplitudes(v)
        v = s.get_amplitudes()
        s.apply(name, *qubits, params=params)
        want = embed(n, qubits, qsim.gates.matrix(name, *params)) @ v
        assert np.abs(s.get_amplitudes() - want).max() < tol, name


def test_cx_matrix_convention():
    # control = first argument = bit 0 of the index
    m = qsim.gates.matrix("cx")
    assert m[3, 1] == 1 and m[1, 3] == 1 and m[0, 0] == 1 and m[2, 2] == 1


def test_errors_map_to_exceptions():
    s = qsim.State(3)
    with pytest.raises(qsim.QsimValueError) as e:
        s.apply("h", 7)
    assert "target 7 out of range for a 3-qubit state" in str(e.value)
    assert e.value.status == "QS_ERANGE"
    assert isinstance(e.value, ValueError)
    with pytest.raises(MemoryError) as e:
        qsim.State(59)
    assert "need" in str(e.value) and "GiB, have" in str(e.value)
    with pytest.raises(OSError):
        qsim.Hamiltonian.from_file("/nonexistent/file.txt")
    with pytest.raises(qsim.QasmError) as e:
        qsim.Hamiltonian.from_string("0.5 Z0\nzz X1\n", "h.txt")
    assert "h.txt:2:1: expected a coefficient" in str(e.value)
    with pytest.raises(ValueError):
        qsim.gates.gate_id("cnot")
    s.close()
    with pytest.raises(ValueError):
        s.num_qubits


def test_hamiltonian_forms_and_expectation():
    X, Y, Z = np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1, -1])
    h = qsim.Hamiltonian([(0.5, "X0 Z2"), (-0.25, "Y1"), (2.0, "I")])
    assert len(h) == 3 and h.num_qubits == 3
    want = 0.5 * kron_op(3, {0: X, 2: Z}) - 0.25 * kron_op(3, {1: Y}) + 2 * np.eye(8)
    assert np.allclose(h.matrix(), want, atol=1e-15)
    lab = qsim.Hamiltonian.from_labels([("ZIX", 0.5), ("IYI", -0.25), ("III", 2.0)])
    assert np.allclose(lab.matrix(), want)
    v = random_state(3, 3)
    s = qsim.State(3).set_amplitudes(v)
    assert abs(s.expectation(h) - np.vdot(v, want @ v).real) < 1e-12
    assert abs(s.expectation("X0 Z2") - np.vdot(v, kron_op(3, {0: X, 2: Z}) @ v).real) < 1e-12
    assert np.allclose(h.apply(s).get_amplitudes(), want @ v)


def test_h2_ground_state_from_file():
    h = qsim.Hamiltonian.from_file(shared("data/molecules/h2_sto3g_0.7414.txt"))
    e, vecs = h.ground_state(k=2)
    want = float(h.header("ground_energy_all_qubit_states").split()[0])
    assert abs(e[0] - want) < 1e-8
    assert vecs.shape == (16, 2)
    s = qsim.State(4).set_amplitudes(vecs[:, 0])
    assert abs(s.expectation(h) - e[0]) < 1e-10


def test_sparse_pauli_op():
    qi = pytest.importorskip("qiskit.quantum_info")
    op = qi.SparsePauliOp.from_list([("XZI", 0.5), ("IIY", -0.3)])
    h = qsim.Hamiltonian.from_sparse_pauli_op(op)
    assert np.allclose(h.matrix(), op.to_matrix())


def test_circuit_parameters_and_simulation():
    c = qsim.Circuit(3)
    c.h(0).cx(0, 1).rx("2*theta + 0.1", 2).u3("phi", 0.2, "-theta", 1).cp("theta*phi", 2, 0)
    assert c.parameters == ["theta", "phi"] and len(c) == 5
    t, p = 0.4, -1.3
    s = c.simulate({"theta": t, "phi": p})
    s2 = c.simulate([t, p])
    assert np.array_equal(s.get_amplitudes(), s2.get_amplitudes())
    U = (embed(3, [2, 0], qsim.gates.matrix("cp", t * p))
         @ embed(3, [1], qsim.gates.matrix("u3", p, 0.2, -t))
         @ embed(3, [2], qsim.gates.matrix("rx", 2 * t + 0.1))
         @ embed(3, [0, 1], qsim.gates.matrix("cx"))
         @ embed(3, [0], qsim.gates.matrix("h")))
    assert np.abs(s.get_amplitudes() - U[:, 0]).max() < 1e-13
    assert np.abs(c.unitary({"theta": t, "phi": p}) - U).max() < 1e-13
    with pytest.raises(ValueError):
        c.simulate({"theta": 1.0})
    with pytest.raises(TypeError):
        c.rx(0.1)


def test_teleportation_with_conditions():
    c = qsim.Circuit(3, 2)
    c.u3(1.1, 0.4, -0.7, 0).h(1).cx(1, 2).cx(0, 1).h(0)
    c.measure(0, 0).measure(1, 1)
    c.x(2).c_if(1, 1, 1).z(2).c_if(0, 1, 1)
    rng = qsim.Rng(5)
    for _ in range(20):
        s = qsim.State(3)
        bits = s.run(c, rng=rng)
        assert bits.shape == (2,)
        assert abs(s.prob_one(2) - np.sin(0.55) ** 2) < 1e-12


def test_sampling_and_measurement():
    s = qsim.Circuit(2).h(0).cx(0, 1).simulate()
    counts = s.counts(4000, seed=3)
    assert set(counts) == {"00", "11"} and abs(counts["00"] - 2000) < 200
    assert np.array_equal(s.sample(50, seed=9), s.sample(50, seed=9))
    o, p = s.measure([0], seed=1)
    assert abs(p - 0.5) < 1e-12 and s.prob_one(1) == float(o)
