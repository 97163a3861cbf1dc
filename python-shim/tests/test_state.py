"""State, Circuit and Hamiltonian methods one by one against numpy
references, the module-level functions, and a check that every public
name of the package is exercised by some test."""

import ast
import glob
import os

import numpy as np
import pytest

import qsim
from conftest import HERE, shared
from test_core import embed, kron_op, random_state

X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]])
Z = np.diag([1.0, -1.0]).astype(complex)


def state_of(v):
    return qsim.State.from_amplitudes(v)


def test_amplitude_setters_and_linear_algebra():
    v, w = random_state(3, 1), random_state(3, 2)
    s, t = state_of(v), state_of(w)
    assert s.num_qubits == 3 and np.allclose(np.asarray(s), v)
    assert abs(s.inner(t) - np.vdot(v, w)) < 1e-14
    assert abs(s.fidelity(t) - abs(np.vdot(v, w)) ** 2) < 1e-14
    u = s.copy().scale(2j)
    assert abs(u.norm2() - 4) < 1e-13
    u.axpy(-2j, s)
    assert u.norm2() < 1e-28
    u.set_amplitudes([3, 4], first=6).normalize()
    assert np.allclose(u.get_amplitudes(6, 2), [0.6, 0.8])
    assert np.allclose(s.copy().set_basis(5).get_amplitudes(), np.eye(8)[5])
    assert np.allclose(s.copy().set_uniform().probabilities(), 1 / 8)
    r1, r2 = qsim.State(3).set_random(seed=4), qsim.State(3).set_random(rng=qsim.Rng(4))
    assert np.array_equal(r1.get_amplitudes(), r2.get_amplitudes())
    f = qsim.State(3, precision="single").assign(s)
    assert f.precision == "single" and f.dtype == np.complex64
    assert np.abs(f.get_amplitudes() - v).max() < 1e-6
    with pytest.raises(ValueError):
        qsim.State.from_amplitudes([1, 0, 0])


def test_matrices_diagonals_permutations_and_controls():
    n, v = 3, random_state(3, 5)
    m = qsim.gates.matrix("u3", 0.3, 0.2, -0.4)
    got = state_of(v).apply_matrix(m, [2]).get_amplitudes()
    assert np.allclose(got, embed(n, [2], m) @ v)
    d = np.exp(1j * np.array([0.1, 0.2, 0.3, 0.4]))
    got = state_of(v).apply_diagonal(d, [0, 2]).get_amplitudes()
    assert np.allclose(got, embed(n, [0, 2], np.diag(d)) @ v)
    perm = [2, 0, 3, 1]
    P = np.zeros((4, 4))
    for j, pj in enumerate(perm):
        P[pj, j] = 1
    got = state_of(v).apply_permutation(perm, [1, 2]).get_amplitudes()
    assert np.allclose(got, embed(n, [1, 2], P) @ v)
    got = state_of(v).apply_permutation(perm, [1, 2], phases=d).get_amplitudes()
    assert np.allclose(got, embed(n, [1, 2], P @ np.diag(d)) @ v)
    # an extra control on |0>: x on qubit 2 where qubit 0 is 0
    got = state_of(v).apply("x", 2, controls=[0], control_values=[0]).get_amplitudes()
    ctrl0 = embed(n, [0, 2], np.block([[np.diag([1, 0]), np.diag([0, 1])],
                                        [np.diag([0, 1]), np.diag([1, 0])]]).reshape(4, 4))
    want = v.copy()
    for i in range(8):
        if not i & 1 and not i & 4:
            want[i], want[i | 4] = v[i | 4], v[i]
    assert np.allclose(got, want)
    assert ctrl0.shape == (8, 8)
    got = state_of(v).apply_matrix(X, [1], controls=[2]).get_amplitudes()
    assert np.allclose(got, state_of(v).apply("cx", 2, 1).get_amplitudes())
    with pytest.raises(ValueError):
        state_of(v).apply("cx", 0)


def test_paulis_phases_qft_and_real_diagonals():
    n, v = 3, random_state(3, 6)
    P = kron_op(n, {0: X, 2: Y})
    got = state_of(v).apply_pauli_rotation("X0 Y2", 0.7).get_amplitudes()
    want = (np.cos(0.35) * np.eye(8) - 1j * np.sin(0.35) * P) @ v
    assert np.allclose(got, want)
    assert np.allclose(state_of(v).apply_pauli_rotation("XY", 0.7, qubits=[0, 2])
                       .get_amplitudes(), want)
    assert np.allclose(state_of(v).apply_pauli("X0 Y2").get_amplitudes(), P @ v)
    assert np.allclose(state_of(v).apply_global_phase(0.4).get_amplitudes(),
                       np.exp(0.4j) * v)
    F = np.exp(2j * np.pi * np.outer(range(8), range(8)) / 8) / np.sqrt(8)
    assert np.allclose(state_of(v).apply_qft().get_amplitudes(), F @ v)
    assert np.allclose(state_of(v).apply_qft().apply_qft(inverse=True).get_amplitudes(), v)
    vals = np.arange(8.0)
    assert np.allclose(state_of(v).apply_diagonal_exp(vals, 0.3).get_amplitudes(),
                       np.exp(-0.3j * vals) * v)
    assert np.allclose(state_of(v).apply_real_diagonal(vals).get_amplitudes(), vals * v)
    assert abs(state_of(v).expectation(vals) - np.sum(vals * abs(v) ** 2)) < 1e-13
    with pytest.raises(ValueError):
        state_of(v).apply_pauli("Q0")
    with pytest.raises(ValueError):
        state_of(v).apply_diagonal_exp([1.0, 2.0], 0.1)


def test_measurement_family():
    v = random_state(3, 7)
    s = state_of(v)
    probs = abs(v) ** 2
    assert np.allclose(s.probabilities(), probs)
    m = s.marginal([2, 0])
    assert np.allclose(m, [sum(probs[i] for i in range(8) if (i >> 2 & 1) == j & 1
                               and (i & 1) == j >> 1) for j in range(4)])
    assert abs(s.prob_one(1) - sum(probs[i] for i in range(8) if i & 2)) < 1e-14
    t = s.copy()
    p = t.collapse([0], 1)
    assert abs(p - sum(probs[1::2])) < 1e-14 and abs(t.prob_one(0) - 1) < 1e-12
    o, p = s.copy().measure(1, seed=3)
    assert o in (0, 1) and 0 < p < 1
    r = s.copy().reset([0, 1], seed=2)
    assert r.prob_one(0) < 1e-14 and r.prob_one(1) < 1e-14
    shots = s.sample(20000, seed=5)
    assert np.abs(np.bincount(shots.astype(int), minlength=8) / 20000 - probs).max() < 0.02
    assert set(s.counts(100, qubits=[2], seed=1)) <= {"0", "1"}
    assert np.array_equal(s.sample(10, [0, 1], seed=8), s.sample(10, [0, 1], seed=8))


def test_circuit_methods():
    c = qsim.Circuit(3, 3)
    c.h(0).pauli_rotation("2*a", "X0 Z1").matrix(qsim.gates.matrix("sx"), [2])
    c.global_phase("a/2").qft(0, 2).barrier().barrier(0, 1).reset(2).measure_all()
    # measure_all adds a barrier and a register "meas" (the 3 bits it had become "c")
    assert c.parameters == ["a"] and len(c) == 12 and c.num_clbits == 6
    assert [tuple(r) for r in c.cregs] == [("c", 0, 3), ("meas", 3, 3)]
    d = c.copy()
    assert len(d) == len(c) and d.parameters == ["a"]
    u = qsim.Circuit(2).h(0).pauli_rotation(0.3, "Z0 Z1").global_phase(0.2).qft(0, 2)
    U = u.unitary()
    assert np.allclose(U.conj().T @ U, np.eye(4))
    assert np.allclose(u.statevector(), U[:, 0])
    assert c.bind({"a": 0.5}).tolist() == [0.5]
    assert "Circuit(3 qubits" in repr(c) and "Program(" in repr(c.compile())
    with pytest.raises(qsim.QsimValueError):
        qsim.Circuit(1, 1).h(0).measure(0, 0).h(0).statevector()
    with pytest.raises(ValueError):
        qsim.Circuit(1).counts(10)
    prog = c.compile()
    assert prog.num_qubits == 3 and prog.num_params == 1
    s = prog.simulate({"a": 0.1}, seed=1)
    assert s.num_qubits == 3
    assert c.add_parameter("b") == 1 and c.parameters == ["a", "b"]


def test_hamiltonian_methods():
    h = qsim.Hamiltonian.from_file(shared("data/molecules/h2_sto3g_0.7414.txt"))
    assert len(h.terms) == len(h) == 15 and h.terms[0][1] == "I"
    assert h.header("n_electrons") == "2" and h.header("nothing") is None
    assert h.molecule_info() == (1, 1, 3)
    e = h.sector_ground_energy()
    assert abs(e - float(h.header("exact_ground_energy").split()[0])) < 1e-10
    assert abs(h.eigenvalues_sector([0x5, 0xA], [1, 1])[0] - e) < 1e-12
    assert abs(h.ground_state(1, "krylov", vectors=False)[0] - e) < 1e-9
    g = h.copy().add(0.5, "Z0")
    assert len(g) == len(h) and "Hamiltonian(4 qubits" in repr(g)
    lab = qsim.Hamiltonian.from_labels([("XY", 1.0)])
    assert lab.terms == [(1.0, "Y0 X1")]


def test_module_functions():
    assert qsim.parallel_threads(100, 2) >= 1
    seen = np.zeros(64)

    def task(i, thread):
        with qsim.State(4) as s:
            s.apply("ry", 0, params=[0.01 * i])
            seen[i] = s.prob_one(0)

    qsim.parallel_for(64, task, num_threads=2)
    assert np.allclose(seen, np.sin(0.005 * np.arange(64)) ** 2)

    def bad(i, thread):
        if i == 5:
            raise RuntimeError("task 5")

    with pytest.raises(RuntimeError, match="task 5"):
        qsim.parallel_for(10, bad)
    qsim.select_backend("cpu")
    assert qsim.State(1).backend == "cpu"
    qsim.select_backend(None)
    with pytest.raises(qsim.QsimValueError):
        qsim.select_backend("no-such-backend")
    assert "no-such-backend" in qsim.last_error()
    with pytest.raises(AttributeError):
        qsim.nonexistent_name


def public_names():
    """(owner, name) of every public function, class, method and property."""
    out = []
    for name in qsim.__all__:
        obj = getattr(qsim, name)
        out.append(("qsim", name))
        if isinstance(obj, type) and obj.__module__.startswith("qsim"):
            for attr, val in vars(obj).items():
                if not attr.startswith("_") and (callable(val) or isinstance(val, property)):
                    out.append((name, attr))
    return out


def test_every_public_name_is_exercised_by_a_test():
    used = set()
    for path in glob.glob(os.path.join(HERE, "*.py")):
        for node in ast.walk(ast.parse(open(path).read())):
            if isinstance(node, ast.Attribute):
                used.add(node.attr)
            elif isinstance(node, ast.Name):
                used.add(node.id)
    implicit = {"forward", "backward", "extra_repr",   # called by torch
                "count", "index"}                       # namedtuple methods
    missing = sorted("%s.%s" % (o, n) for o, n in public_names()
                     if n not in used and n not in implicit and n not in qsim.GATES)
    assert not missing, "not used by any test: %s" % missing


@pytest.mark.parametrize("precision", ["double", "single"])
def test_every_gate_method_of_circuit(precision):
    """c.<gate>(params..., qubits...) for every row of the gate table, against
    the State's apply and the gate's matrix."""
    n, rng = 5, np.random.default_rng(9)
    v = random_state(n, 3)
    for name in qsim.GATES:
        g, nq, npar = qsim.gates.info(name)
        qubits = [int(q) for q in rng.permutation(n)[:nq]]
        params = [float(p) for p in rng.uniform(-3, 3, npar)]
        c = qsim.Circuit(n)
        getattr(c, name)(*params, *qubits)
        s = qsim.State(n, precision=precision).set_amplitudes(v)
        s.run(c)
        want = embed(n, qubits, qsim.gates.matrix(name, *params)) @ v
        tol = 1e-12 if precision == "double" else 3e-6
        assert np.abs(s.get_amplitudes() - want).max() < tol, name
        assert qsim.gates.num_controls(name) >= 0 and qsim.gates.num_qubits(name) == nq
        with pytest.raises(TypeError):
            getattr(qsim.Circuit(n), name)(*params)


def test_error_classes_for_every_status():
    from qsim.errors import error_for
    table = {"QS_EINVAL": qsim.QsimValueError, "QS_ERANGE": qsim.QsimValueError,
             "QS_ETOOBIG": qsim.QsimMemoryError, "QS_ENOMEM": qsim.QsimMemoryError,
             "QS_EPARSE": qsim.QasmError, "QS_EIO": qsim.QsimIOError,
             "QS_EUNSUPPORTED": qsim.QsimUnsupported, "QS_ENOTCONV": qsim.QsimNotConverged,
             "QS_ECALLBACK": qsim.QsimCallbackError, "QS_EINTERNAL": qsim.QsimInternalError}
    for status, cls in table.items():
        e = error_for(status, "f: message", "x.qasm", 3, 4)
        assert type(e) is cls and isinstance(e, qsim.QsimError) and e.status == status
        assert (str(e), e.filename, e.line, e.col) == ("f: message", "x.qasm", 3, 4)
    assert isinstance(error_for("QS_EIO", "m"), OSError) and str(error_for("QS_EIO", "m")) == "m"
    assert isinstance(error_for("QS_ENOMEM", "m"), MemoryError)
    assert isinstance(error_for("QS_EUNSUPPORTED", "m"), NotImplementedError)
    # raised by the library: an objective of a circuit that measures midway
    c = qsim.Circuit(1, 1).rx("t", 0).measure(0, 0).rx("t", 0)
    with pytest.raises(qsim.QsimUnsupported, match="unitary circuit"):
        qsim.adjoint(c, "Z0", [0.1])


def test_setters_and_small_classes():
    c = qsim.uccsd(4, 3)
    assert len(c.parameters) == 3
    E = qsim.Objective(c, qsim.Hamiltonian.from_file(shared("data/molecules/h2_sto3g_0.7414.txt")))
    E.set_method("shift").set_threads(1).set_fd_step(1e-5)
    X = np.zeros((2, 3))
    assert E.gradients(X, "fd").shape == (2, 3)
    opt = qsim.Optimizer("adam", 3).set_option("learning_rate", 0.1).set_stop(5, 0, 0)
    opt.set_metric(lambda x: np.eye(3))       # ignored by adam
    opt.start(E, np.zeros(3))
    assert opt.run() == "maxiter" and opt.iterations == 5 and "Optimizer(adam" in repr(opt)
    r = qsim.minimize(E, np.zeros(3), maxiter=50)
    assert isinstance(r, qsim.Result) and r.as_dict()["optimizer"] == "bfgs"
    g = qsim.Graph(2).add_edge(0, 1, 2.5)
    assert g.num_nodes == 2 and list(g.cut_values()) == [0, 2.5, 2.5, 0]
    h = qsim.Hamiltonian(num_qubits=2).add_label("ZX", 0.5)
    assert h.terms == [(0.5, "X0 Z1")]
    m = qsim.Classifier(2, 2).set_threads(1)
    assert m.num_qubits == 2
    p = qsim.Circuit(1, 1).h(0).measure(0, 0).compile()
    assert isinstance(p, qsim.Program)
    assert all(isinstance(b, qsim.Branch) for b in p.enumerate())
