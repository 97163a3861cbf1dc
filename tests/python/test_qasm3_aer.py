"""OpenQASM 3 as Qiskit writes it (qasm3.dumps), read by qsim and compared
with Qiskit Aer running the same Qiskit circuit: qsim's exact distribution of
the classical bits (every measurement branch, Program.enumerate) against Aer's
counts, or qsim's shots against Aer's where a program does not enumerate."""
import math

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm3, transpile
from qiskit.providers.fake_provider import GenericBackendV2

import qsim

aer = pytest.importorskip("qiskit_aer")   # tools/setup.sh installs it

SHOTS = 20000


def aer_dist(qc, shots=SHOTS, seed=11):
    """Aer's counts as {classical-bits value: frequency} (bit j = clbit j)."""
    sim = aer.AerSimulator(seed_simulator=seed)
    counts = sim.run(qc, shots=shots).result().get_counts()
    return {int(k.replace(" ", ""), 2): v / shots for k, v in counts.items()}


def qsim_exact(text):
    """qsim's exact distribution of the classical bits over all branches."""
    c = qsim.Circuit.from_qasm(text)
    out = {}
    with c.compile() as p:
        for b in p.enumerate():
            key = sum(int(v) << j for j, v in enumerate(b.clbits))
            out[key] = out.get(key, 0.0) + b.probability
    assert abs(sum(out.values()) - 1) < 1e-9
    return out


def assert_matches(exact, freq, shots=SHOTS, text=""):
    """Every outcome's frequency within 5 standard deviations of its exact
    probability (plus a count); nothing seen that qsim gives probability 0."""
    for k in set(exact) | set(freq):
        p, f = exact.get(k, 0.0), freq.get(k, 0.0)
        tol = 5 * math.sqrt(p * (1 - p) / shots) + 2.0 / shots
        assert abs(p - f) <= tol, "outcome %d: qsim %.5f, Aer %.5f\n%s" % (k, p, f, text)


def check(qc, shots=SHOTS):
    text = qasm3.dumps(qc)
    assert_matches(qsim_exact(text), aer_dist(qc, shots), shots, text)
    return text


def bell_if():
    qc = QuantumCircuit(3, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.ry(0.9, 2)
    qc.measure([0, 2], [0, 1])
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(2)
    qc.measure(2, 1)
    return qc


def test_physical_qubits_of_a_transpiled_circuit():
    backend = GenericBackendV2(5, seed=3, control_flow=True)
    qc = bell_if()
    tqc = transpile(qc, backend, seed_transpiler=5)
    text = qasm3.dumps(tqc)
    assert "$" in text and "qubit[" not in text
    assert_matches(qsim_exact(text), aer_dist(tqc), text=text)


def test_no_version_line_is_openqasm2_with_a_warning():
    text = 'include "qelib1.inc";\nqreg q[1];\nx q[0];\n'
    with pytest.warns(UserWarning, match=r"<string>:1:1: warning: no 'OPENQASM' version line"):
        c = qsim.Circuit.from_qasm(text)
    assert np.allclose(c.probabilities(), [0, 1])
    with pytest.raises(qsim.QasmError, match="expected 'OPENQASM 2.0;'"):
        qsim.Circuit.from_qasm(text, strict=True)
