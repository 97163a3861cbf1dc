"""Circuit.inverse, compose, depth and draw (the Qiskit habits)."""

import numpy as np
import pytest

import qsim
from qsim.gates import GATES, info


def every_gate_circuit():
    c = qsim.Circuit(5, 2)
    rng = np.random.default_rng(2)
    for g in GATES:
        _, nq, npar = info(g)
        if nq > 5 or g in ("rc3x", "iswap", "csx", "c3sqrtx"):
            continue
        q = [int(x) for x in rng.permutation(5)[:nq]]
        c.append(g, q, [float(v) for v in rng.uniform(-2, 2, npar)])
    c.append("ry", [2], ["2*a + 0.1"], controls=[0, 4], control_values=[1, 0])
    c.pauli_rotation("a - 0.3", "X0 Y3 Z4")
    c.matrix(qsim.gates.matrix("u3", 0.3, 0.2, 0.1) @ qsim.gates.matrix("s"), [1],
             controls=[2], control_values=[0])
    c.global_phase("a/3").qft(1, 3)
    return c


def test_inverse_undoes_the_circuit():
    c = every_gate_circuit()
    inv = c.inverse()
    assert inv.parameters == c.parameters == ["a"]
    U, V = c.unitary({"a": 0.7}), inv.unitary({"a": 0.7})
    assert np.allclose(V @ U, np.eye(32), atol=1e-10)
    assert np.allclose(c.compose(inv).statevector({"a": 0.4}), np.eye(32)[0], atol=1e-10)


def test_compose_maps_qubits_and_bits():
    a = qsim.Circuit(3, 2).h(0).cx(0, 2)
    b = qsim.Circuit(2, 1).ry("t", 0).cz(0, 1).measure(1, 0)
    c = a.compose(b, qubits=[2, 1], clbits=[1])
    ref = qsim.Circuit(3, 2).h(0).cx(0, 2).ry("t", 2).cz(2, 1).measure(1, 1)
    assert c.parameters == ["t"] and len(c) == 5
    assert np.allclose(c.probabilities({"t": 0.3}), ref.probabilities({"t": 0.3}))
    front = a.compose(b, qubits=[2, 1], clbits=[1], front=True)
    assert np.allclose(front.probabilities({"t": 0.3}),
                       qsim.Circuit(3, 2).ry("t", 2).cz(2, 1).measure(1, 1).h(0).cx(0, 2)
                       .probabilities({"t": 0.3}))
    assert len(a) == 2                      # compose returns a new circuit
    with pytest.raises(ValueError):
        a.compose(b, qubits=[0])


def test_depth_as_qiskit_counts_it():
    from qiskit import QuantumCircuit
    c = qsim.Circuit(4, 2).h(0).cx(0, 1).x(3).barrier().rz(0.3, 2).cx(2, 3).measure(3, 1)
    c.x(1).c_if(1, 1, 1)
    qc = QuantumCircuit(4, 2)
    qc.h(0); qc.cx(0, 1); qc.x(3); qc.barrier(); qc.rz(0.3, 2); qc.cx(2, 3); qc.measure(3, 1)
    with qc.if_test((qc.clbits[1], 1)):
        qc.x(1)
    assert c.depth() == qc.depth() == 6
    assert qsim.Circuit(2).depth() == 0


def test_draw_and_refusals():
    c = qsim.Circuit(3, 1).h(0).cx(0, 2).rz("t", 1).measure(2, 0)
    text = c.draw()
    rows = text.splitlines()
    assert len(rows) == 3 and rows[0].startswith("q0") and "h" in rows[0] and "*" in rows[0]
    assert "cx" in rows[2] and "M0" in rows[2] and "rz(t)" in rows[1]
    parsed = qsim.Circuit.from_qasm('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nh q[0];\n')
    with pytest.raises(qsim.QsimUnsupported, match="OpenQASM"):
        parsed.inverse()
    with pytest.raises(qsim.QsimUnsupported, match="no inverse"):
        qsim.Circuit(1, 1).measure(0, 0).inverse()
