"""The qsim.qubit PennyLane device against default.qubit (run in .venv-pl by
tools/test.sh; PennyLane's own device suite runs there too)."""

import numpy as np
import pennylane as qml
import pytest

from qsim.pennylane import NAMED, QsimQubit, generator_terms

RNG = np.random.default_rng(7)


def random_state(n):
    v = RNG.normal(size=2**n) + 1j * RNG.normal(size=2**n)
    return v / np.linalg.norm(v)


def both(fn, wires, **kw):
    """fn as a QNode on qsim.qubit and on default.qubit."""
    return (qml.QNode(fn, qml.device("qsim.qubit", wires=wires), **kw),
            qml.QNode(fn, qml.device("default.qubit", wires=wires), **kw))


def test_entry_point_and_wire_order():
    dev = qml.device("qsim.qubit", wires=3)
    assert isinstance(dev, QsimQubit)

    @qml.qnode(dev)
    def f():
        qml.PauliX(0)
        qml.PauliX(2)
        return qml.state()
    # wire 0 is the most significant bit: |101> is index 5
    assert np.allclose(f(), np.eye(8)[5])


def test_wire_labels():
    dev = qml.device("qsim.qubit", wires=["a", "b", 7])

    @qml.qnode(dev)
    def f():
        qml.PauliX("b")
        return qml.state(), qml.probs(wires=[7, "b"])
    s, p = f()
    assert np.allclose(s, np.eye(8)[2])
    assert np.allclose(p, [0, 1, 0, 0])


OPS = [
    lambda: qml.PauliX(1), lambda: qml.PauliY(0), lambda: qml.PauliZ(2), lambda: qml.Hadamard(1),
    lambda: qml.S(0), lambda: qml.T(2), lambda: qml.SX(1), lambda: qml.adjoint(qml.S(1)),
    lambda: qml.adjoint(qml.T(0)), lambda: qml.adjoint(qml.SX(2)),
    lambda: qml.CNOT([2, 0]), lambda: qml.CY([0, 1]), lambda: qml.CZ([1, 2]), lambda: qml.CH([2, 1]),
    lambda: qml.SWAP([0, 2]), lambda: qml.ISWAP([1, 0]), lambda: qml.CSWAP([1, 2, 0]),
    lambda: qml.Toffoli([2, 0, 1]), lambda: qml.CCZ([0, 1, 2]), lambda: qml.ECR([2, 0]),
    lambda: qml.RX(0.3, 1), lambda: qml.RY(-1.2, 2), lambda: qml.RZ(0.7, 0),
    lambda: qml.PhaseShift(0.4, 2), lambda: qml.U1(0.2, 0), lambda: qml.U2(0.1, 0.5, 1),
    lambda: qml.U3(0.3, 0.2, -0.4, 2), lambda: qml.ControlledPhaseShift(0.6, [2, 0]),
    lambda: qml.CRX(0.5, [0, 2]), lambda: qml.CRY(0.6, [2, 1]), lambda: qml.CRZ(0.9, [1, 0]),
    lambda: qml.IsingXX(0.3, [0, 1]), lambda: qml.IsingYY(0.4, [2, 0]),
    lambda: qml.IsingZZ(0.5, [1, 2]), lambda: qml.IsingXY(0.6, [0, 2]),
    lambda: qml.Rot(0.1, 0.2, 0.3, 1), lambda: qml.CRot(0.4, 0.5, 0.6, [2, 0]),
    lambda: qml.PauliRot(0.7, "XYZ", [2, 0, 1]), lambda: qml.MultiRZ(0.8, [0, 1, 2]),
    lambda: qml.SingleExcitation(0.9, [1, 2]), lambda: qml.SingleExcitationPlus(0.3, [0, 1]),
    lambda: qml.SingleExcitationMinus(0.4, [2, 0]), lambda: qml.GlobalPhase(0.3),
    lambda: qml.QubitUnitary(qml.matrix(qml.U3(0.1, 0.2, 0.3, 0) @ qml.CNOT([0, 1])), [2, 0]),
    lambda: qml.ctrl(qml.RX(0.4, 1), control=[0, 2], control_values=[0, 1]),
    lambda: qml.ctrl(qml.Hadamard(0), control=2, control_values=0),
    lambda: qml.MultiControlledX(wires=[0, 2, 1], control_values=[1, 0]),
    lambda: qml.DiagonalQubitUnitary(np.exp(1j * np.arange(4)), [1, 2]),
]


@pytest.mark.parametrize("make", OPS, ids=lambda m: m().name)
def test_operation_matches_default_qubit(make):
    init = random_state(3)

    def f():
        qml.StatePrep(init, wires=[0, 1, 2])
        qml.apply(make())
        return qml.state()
    a, b = both(f, 3)
    assert np.allclose(a(), b(), atol=1e-12)


def test_adjoint_runs_the_library_sweep(monkeypatch):
    """diff_method="adjoint" differentiates through qs_program_backprop,
    once per observable for a Jacobian and once in all for a VJP."""
    import qsim.pennylane as dev_mod
    calls = []
    real = dev_mod.C.qs_program_backprop

    def spy(*a):
        calls.append(1)
        return real(*a)
    monkeypatch.setattr(dev_mod, "C", type("C", (), {"qs_program_backprop": staticmethod(spy)}))

    def f(x):
        qml.RX(x[0], 0)
        qml.CRY(x[1], [0, 1])
        return qml.expval(qml.Z(0)), qml.expval(qml.X(1))
    q = qml.QNode(f, qml.device("qsim.qubit", wires=2), diff_method="adjoint")
    x = qml.numpy.array([0.2, 0.5], requires_grad=True)
    qml.jacobian(lambda x: qml.numpy.stack(q(x)))(x)
    assert len(calls) == 2
    calls.clear()
    q = qml.QNode(f, qml.device("qsim.qubit", wires=2), diff_method="adjoint", device_vjp=True)
    g = qml.grad(lambda x: q(x)[0] - 3 * q(x)[1])(x)
    assert len(calls) == 2      # one VJP sweep for each of the two executions
    ref = qml.QNode(f, qml.device("default.qubit", wires=2), diff_method="backprop")
    assert np.allclose(g, qml.grad(lambda x: ref(x)[0] - 3 * ref(x)[1])(x), atol=1e-12)


def test_excitations_and_generators_four_wires():
    init = random_state(4)

    def f(x):
        qml.StatePrep(init, wires=range(4))
        qml.DoubleExcitation(x, wires=[0, 1, 2, 3])
        qml.OrbitalRotation(0.3 * x, wires=[3, 1, 0, 2])
        qml.FermionicSWAP(0.2, wires=[1, 2])
        return qml.state()
    a, b = both(f, 4)
    assert np.allclose(a(0.37), b(0.37), atol=1e-12)
    assert generator_terms(qml.DoubleExcitation(0.1, [0, 1, 2, 3])) is not None


def test_wide_pauli_rotation_is_native():
    """PauliRot on 7 wires runs as one Pauli rotation (no matrix, no
    decomposition), still equal to default.qubit."""
    def f():
        for w in range(7):
            qml.Hadamard(w)
        qml.PauliRot(0.4, "XYZZXIY", wires=range(7))
        qml.MultiRZ(0.3, wires=range(7))
        return qml.state()
    a, b = both(f, 7)
    assert np.allclose(a(), b(), atol=1e-12)
    tape = qml.workflow.construct_tape(a)()
    (out,), _ = qml.device("qsim.qubit", wires=7).preprocess_transforms()((tape,))
    assert [op.name for op in out.operations][-2:] == ["PauliRot", "MultiRZ"]


def circuit_mix(x, y, z):
    qml.BasisState(np.array([1, 0, 1]), wires=[0, 1, 2])
    qml.Hadamard(1)
    qml.RX(x, 0)
    qml.CRY(y, [0, 2])
    qml.IsingXY(z, [1, 2])
    qml.Rot(x, y, z, 1)
    qml.ctrl(qml.RZ(x * y, 0), control=[1, 2], control_values=[1, 0])
    qml.SingleExcitation(z, [0, 1])
    qml.CNOT([2, 0])


def test_measurements_analytic():
    H = qml.Hamiltonian([0.5, -1.2, 0.3], [qml.X(0) @ qml.Z(2), qml.Y(1), qml.Identity(0)])
    A = np.array([[1, 2j], [-2j, -3]])

    def f(x, y, z):
        circuit_mix(x, y, z)
        return (qml.expval(H), qml.expval(qml.X(0) + 2 * qml.Y(1) @ qml.Z(2)),
                qml.var(qml.Z(1) @ qml.X(0)), qml.expval(qml.Hermitian(A, wires=2)),
                qml.var(qml.Hermitian(A, wires=0)), qml.probs(wires=[2, 0]),
                qml.probs(op=qml.X(1)), qml.density_matrix(wires=[1]), qml.state())
    a, b = both(f, 3)
    for u, v in zip(a(0.3, -0.8, 1.1), b(0.3, -0.8, 1.1)):
        assert np.allclose(u, v, atol=1e-12)


def test_sampling_seeded_and_statistics():
    def f(x, y, z):
        circuit_mix(x, y, z)
        return qml.sample(wires=[0, 1, 2]), qml.counts(wires=[1, 2]), \
            qml.expval(qml.X(0) @ qml.Y(1) + 0.5 * qml.Z(2)), qml.probs(wires=[0, 2])
    dev1 = qml.device("qsim.qubit", wires=3, seed=11)
    dev2 = qml.device("qsim.qubit", wires=3, seed=11)
    q1 = qml.set_shots(qml.QNode(f, dev1), 20000)
    q2 = qml.set_shots(qml.QNode(f, dev2), 20000)
    r1, r2 = q1(0.3, -0.8, 1.1), q2(0.3, -0.8, 1.1)
    assert np.array_equal(r1[0], r2[0]) and r1[1] == r2[1]
    assert r1[0].shape == (20000, 3)
    exact = qml.QNode(lambda *a: (circuit_mix(*a), qml.expval(qml.X(0) @ qml.Y(1) + 0.5 * qml.Z(2)),
                                  qml.probs(wires=[0, 2]))[1:],
                      qml.device("default.qubit", wires=3))(0.3, -0.8, 1.1)
    assert abs(r1[2] - exact[0]) < 0.05
    assert np.allclose(r1[3], exact[1], atol=0.02)
    assert sum(r1[1].values()) == 20000
    # a different seed draws differently
    r3 = qml.set_shots(qml.QNode(f, qml.device("qsim.qubit", wires=3, seed=12)), 20000)(
        0.3, -0.8, 1.1)
    assert not np.array_equal(r1[0], r3[0])


def test_shot_vector():
    dev = qml.device("qsim.qubit", wires=2, seed=3)

    @qml.set_shots(shots=[(100, 2), 1000])
    @qml.qnode(dev)
    def f():
        qml.Hadamard(0)
        return qml.expval(qml.Z(0)), qml.sample(wires=[0])
    res = f()
    assert len(res) == 3 and res[2][1].shape == (1000, 1)


def test_adjoint_jacobian_matches_parameter_shift():
    def f(x, y, z):
        circuit_mix(x, y, z)
        return qml.expval(qml.X(0) @ qml.Z(1) - 0.4 * qml.Y(2)), qml.expval(qml.Z(1))
    args = [qml.numpy.array(v, requires_grad=True) for v in (0.3, -0.8, 1.1)]
    a = qml.QNode(f, qml.device("qsim.qubit", wires=3), diff_method="adjoint")
    b = qml.QNode(f, qml.device("default.qubit", wires=3), diff_method="parameter-shift")
    ja = qml.jacobian(lambda *p: qml.numpy.stack(a(*p)))(*args)
    jb = qml.jacobian(lambda *p: qml.numpy.stack(b(*p)))(*args)
    assert np.allclose(np.array(ja), np.array(jb), atol=1e-10)


def test_adjoint_grad_of_hamiltonian_autograd():
    H = qml.Hamiltonian([0.5, -1.2], [qml.X(0) @ qml.Z(2), qml.Y(1)])

    def f(p):
        qml.RY(p[0], 0)
        qml.IsingXX(p[1], [0, 1])
        qml.DoubleExcitation(p[2], [0, 1, 2, 3])
        qml.CRX(p[3], [3, 2])
        return qml.expval(H)
    p = qml.numpy.array([0.4, 0.9, -0.3, 1.3], requires_grad=True)
    ga = qml.grad(qml.QNode(f, qml.device("qsim.qubit", wires=4), diff_method="adjoint"))(p)
    gb = qml.grad(qml.QNode(f, qml.device("default.qubit", wires=4), diff_method="backprop"))(p)
    assert np.allclose(ga, gb, atol=1e-10)


def test_adjoint_jax():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)

    def f(p):
        qml.RX(p[0], 0)
        qml.CNOT([0, 1])
        qml.PauliRot(p[1], "XY", [1, 0])
        return qml.expval(qml.Z(0) @ qml.X(1)), qml.expval(qml.Y(1))
    p = jax.numpy.array([0.3, 0.7])
    a = qml.QNode(f, qml.device("qsim.qubit", wires=2), diff_method="adjoint", interface="jax")
    b = qml.QNode(f, qml.device("default.qubit", wires=2), diff_method="backprop",
                  interface="jax")
    ja = jax.jacobian(lambda p: jax.numpy.stack(a(p)))(p)
    jb = jax.jacobian(lambda p: jax.numpy.stack(b(p)))(p)
    assert np.allclose(ja, jb, atol=1e-10)
    ga = jax.grad(lambda p: a(p)[0] + 2 * a(p)[1])(p)
    gb = jax.grad(lambda p: b(p)[0] + 2 * b(p)[1])(p)
    assert np.allclose(ga, gb, atol=1e-10)


def test_parameter_broadcasting():
    def f(x):
        qml.RX(x, 0)
        qml.CNOT([0, 1])
        qml.RY(0.3, 1)
        return qml.expval(qml.Z(1)), qml.probs(wires=[0])
    a, b = both(f, 2)
    x = np.array([0.1, 0.5, 1.7])
    for u, v in zip(a(x), b(x)):
        assert np.allclose(u, v, atol=1e-12)


def test_mid_circuit_measurement_deferred():
    def f(x):
        qml.RX(x, 0)
        m = qml.measure(0)
        qml.cond(m, qml.PauliX)(1)
        return qml.probs(wires=[1])
    a, b = both(f, 3)
    assert np.allclose(a(0.9), b(0.9), atol=1e-12)


def test_unsupported_mcm_method_is_refused():
    dev = qml.device("qsim.qubit", wires=2)

    @qml.qnode(dev, mcm_method="tree-traversal")
    def f():
        qml.measure(0)
        return qml.probs(wires=[0])
    with pytest.raises(qml.exceptions.DeviceError, match="deferred"):
        f()


def test_readme_pennylane_block(capsys):
    """The README's `py` block prints what the README says it prints."""
    import os
    import re
    readme = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
    (block,) = re.findall(r"^```py\n(.*?)^```", open(readme).read(), re.M | re.S)
    expected = [l[2:] for l in block.splitlines() if l.startswith("# ")]
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.split("\n")[:-1] == expected


def test_controlled_operations_run_under_library_controls():
    """qml.ctrl of a named gate or a small matrix, with control values and
    more controls than a 5-qubit matrix allows, stays one operation."""
    init = random_state(7)

    def f(x):
        qml.StatePrep(init, wires=range(7))
        qml.ctrl(qml.RY(x, 0), control=[1, 2, 3, 4, 5, 6], control_values=[1, 0, 1, 1, 0, 1])
        qml.ctrl(qml.QubitUnitary(qml.matrix(qml.U3(0.1, 0.2, 0.3, 0) @ qml.CNOT([0, 1])),
                                  wires=[5, 2]), control=[0, 1, 3, 4, 6],
                 control_values=[0, 1, 1, 0, 1])
        qml.MultiControlledX(wires=[0, 1, 2, 3, 4, 5, 6], control_values=[0, 1, 0, 1, 1, 0])
        return qml.state()
    a, b = both(f, 7)
    assert np.allclose(a(0.8), b(0.8), atol=1e-12)
    tape = qml.workflow.construct_tape(a)(0.8)
    (out,), _ = qml.device("qsim.qubit", wires=7).preprocess_transforms()((tape,))
    assert len(out.operations) == 4


def test_adjoint_through_controlled_gate_with_control_values():
    def f(x):
        qml.Hadamard(0)
        qml.Hadamard(3)
        qml.ctrl(qml.RX(x[0], 1), control=[0, 3], control_values=[1, 0])
        qml.ctrl(qml.PhaseShift(x[1], 2), control=[1], control_values=[0])
        qml.Hadamard(2)
        return qml.expval(qml.Z(1) @ qml.X(2) + 0.3 * qml.Y(1))
    x = qml.numpy.array([0.7, -0.4], requires_grad=True)
    a = qml.QNode(f, qml.device("qsim.qubit", wires=4), diff_method="adjoint")
    b = qml.QNode(f, qml.device("default.qubit", wires=4), diff_method="backprop")
    assert np.allclose(qml.grad(a)(x), qml.grad(b)(x), atol=1e-10)


def _run_example(name, *args):
    import os
    import subprocess
    import sys
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    return subprocess.run([sys.executable, os.path.join(root, "examples", name), *args],
                          cwd=root, capture_output=True, text=True, check=True).stdout


def test_example_vqe_reaches_the_ground_energy():
    out = _run_example("pennylane_vqe.py")
    diff = float(out.split("difference")[1].split()[0])
    assert 0 <= diff < 1.6e-3, out          # chemical accuracy, from above


def test_example_torch_classifier():
    pytest.importorskip("torch", reason="no torch beside pennylane in this environment "
                        "(see the example's docstring)")
    out = _run_example("pennylane_torch_classifier.py")
    assert float(out.split()[-1]) > 0.8, out


def test_observables_on_labels_whose_hashes_collide():
    """hash(-1) == hash(-2) in Python: <Z(-1)> and <Z(-2)> must still differ
    (the device keeps converted Hamiltonians between calls)."""
    dev = qml.device("qsim.qubit", wires=[-1, -2])

    @qml.qnode(dev)
    def f():
        qml.PauliX(-2)
        return qml.expval(qml.Z(-1)), qml.expval(qml.Z(-2))
    assert np.allclose(f(), [1, -1]) and np.allclose(f(), [1, -1])


class _Counting:
    """Counts constructions of a class the device module uses."""

    def __init__(self, monkeypatch, name):
        import qsim.pennylane as dev_mod
        real = getattr(dev_mod, name)
        self.n = 0
        counter = self

        class Counted(real):
            def __init__(self, *a, **kw):
                counter.n += 1
                super().__init__(*a, **kw)
        monkeypatch.setattr(dev_mod, name, Counted)


def _no_broadcast_expand(monkeypatch):
    """Makes the device's broadcast_expand fail the test when called."""
    import qsim.pennylane as dev_mod

    def refuse(*a, **kw):
        raise AssertionError("broadcast_expand was called")
    monkeypatch.setattr(dev_mod, "broadcast_expand", refuse)


BX = np.array([0.1, 0.5, 1.7, -2.2])
BY = np.array([0.3, -0.2, 2.0, 0.9])


def _broadcast_circuit(x, y):
    qml.RX(x, 0)
    qml.Rot(y, 0.2, x, 1)
    qml.CNOT([0, 1])
    qml.IsingXY(y, [1, 2])
    qml.ctrl(qml.RY(x, 2), control=[0], control_values=[0])
    qml.U3(x, y, 0.3, 2)
    qml.MultiRZ(y, [0, 1, 2])
    qml.QubitUnitary(qml.matrix(qml.RY(0.4, 0)), 1)     # constant, not broadcast


def test_broadcasting_one_compiled_program(monkeypatch):
    """A broadcast tape is not split into one tape per row: it compiles once
    and binds each row (probs/var/state/Hermitian), or is one batched
    library call per Pauli-sum observable (expval); results equal
    default.qubit's to 1e-12."""
    _no_broadcast_expand(monkeypatch)
    progs = _Counting(monkeypatch, "Program")
    objs = _Counting(monkeypatch, "Objective")
    herm = qml.Hermitian(qml.matrix(qml.X(0) @ qml.Y(2) + 0.5 * qml.Z(2), wire_order=[0, 2]), [0, 2])

    def f(x, y):
        _broadcast_circuit(x, y)
        return (qml.expval(qml.Z(1) @ qml.X(2) + 0.5 * qml.Y(0)), qml.probs(wires=[0, 2]),
                qml.var(qml.X(1)), qml.state(), qml.expval(herm))
    a, b = both(f, 3)
    ra, rb = a(BX, BY), b(BX, BY)
    assert progs.n == 1 and objs.n == 0
    for u, v in zip(ra, rb):
        assert np.shape(u) == np.shape(v) and np.shape(u)[0] == len(BX)
        assert np.allclose(u, v, atol=1e-12)

    def g(x, y):
        _broadcast_circuit(x, y)
        return qml.expval(qml.Z(1) @ qml.X(2) + 0.5 * qml.Y(0)), qml.expval(qml.X(0))
    a, b = both(g, 3)
    progs.n = 0
    for u, v in zip(a(BX, BY), b(BX, BY)):
        assert np.shape(u) == (len(BX),)
        assert np.allclose(u, v, atol=1e-12)
    assert progs.n == 0 and objs.n == 2         # qh_objective_values, once per observable


def test_broadcast_state_preparation_and_shots(monkeypatch):
    _no_broadcast_expand(monkeypatch)
    init = np.array([random_state(2) for _ in BX])

    def f(x):
        qml.StatePrep(init, wires=[0, 1])
        qml.RY(x, 1)
        return qml.expval(qml.Z(0)), qml.probs()
    a, b = both(f, 2)
    for u, v in zip(a(BX), b(BX)):
        assert np.allclose(u, v, atol=1e-12)

    def s(x):
        qml.RX(x, 0)
        qml.CNOT([0, 1])
        return qml.sample(wires=[0, 1]), qml.counts(), qml.expval(qml.Z(0) @ qml.Z(1))
    x = np.array([0.0, np.pi, np.pi / 2])
    smp, cnt, ev = qml.QNode(s, qml.device("qsim.qubit", wires=2, shots=4000, seed=5))(x)
    assert smp.shape == (3, 4000, 2)
    assert np.all(smp[0] == 0) and np.all(smp[1] == 1)      # rows 0 and 1 are certain
    assert np.all(smp[2][:, 0] == smp[2][:, 1])             # Bell row: correlated
    assert abs(smp[2][:, 0].mean() - 0.5) < 5 * 0.5 / np.sqrt(4000)
    assert isinstance(cnt, list) and cnt[0] == {"00": 4000} and cnt[1] == {"11": 4000}
    assert np.allclose(ev, 1.0)


def test_broadcast_matrix_runs_row_by_row():
    """A broadcast matrix (QubitUnitary of a stack) cannot be bound: those
    tapes alone are split into rows."""
    def f(x):
        qml.QubitUnitary(np.stack([qml.matrix(qml.RX(t, 0)) for t in x]), 0)
        qml.RY(x, 1)
        return qml.expval(qml.Z(0) @ qml.Z(1)), qml.probs(wires=[1])
    a, b = both(f, 2)
    for u, v in zip(a(BX), b(BX)):
        assert np.allclose(u, v, atol=1e-12)


@pytest.mark.parametrize("diff_method", ["parameter-shift", "adjoint"])
def test_broadcast_gradients(diff_method):
    """Derivatives of broadcast tapes: parameter shift of the unbroadcast
    parameters (PennyLane's shift rule refuses broadcast ones), adjoint of
    all of them (row by row, as default.qubit's adjoint), vs backprop."""
    pnp = qml.numpy

    def f(x, w):
        qml.RX(x, 0)
        qml.RY(w[0], 1)
        qml.CNOT([0, 1])
        qml.IsingZZ(w[1], [0, 1])
        return qml.expval(qml.Z(1) @ qml.X(0) + 0.3 * qml.Z(0)), qml.expval(qml.Y(1))
    x = pnp.array(BX, requires_grad=diff_method == "adjoint")
    w = pnp.array([0.4, -0.7], requires_grad=True)
    a = qml.QNode(f, qml.device("qsim.qubit", wires=2), diff_method=diff_method)
    b = qml.QNode(f, qml.device("default.qubit", wires=2), diff_method="backprop")

    def cost(q):
        return lambda x, w: pnp.sum(q(x, w)[0] * q(x, w)[1])
    for u, v in zip(qml.grad(cost(a))(x, w), qml.grad(cost(b))(x, w)):
        assert np.allclose(u, v, atol=1e-12)


def test_supports_broadcasting_new_api(monkeypatch):
    """PennyLane's test_properties.py::test_supports_broadcasting, which
    skips every device on the new Device API, written for it: a broadcast
    probs runs without broadcast_expand and has one row per value."""
    _no_broadcast_expand(monkeypatch)

    @qml.qnode(qml.device("qsim.qubit", wires=1))
    def circuit(x):
        qml.RX(x, wires=0)
        return qml.probs(wires=0)
    res = circuit(qml.numpy.array([0.5, 2.1, -0.6], requires_grad=True))
    assert np.ndim(res) == 2 and res.shape[0] == 3
    assert np.allclose(res[:, 1], np.sin(np.array([0.5, 2.1, -0.6]) / 2) ** 2, atol=1e-12)
