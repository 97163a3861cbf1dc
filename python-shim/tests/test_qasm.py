"""OpenQASM in and out: parsing strings and files, error locations, round
trips, registers and counts keys, the conformance corpus' references, and
Qiskit's qasm2/qasm3 exports passed straight in."""

import json
import math
import os

import numpy as np
import pytest

import qsim
from conftest import SHARED, shared

BELL = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0], q[1];
measure q -> c;
"""


def read_state(path):
    rows = [line.split() for line in open(path)]
    return np.array([complex(float(a), float(b)) for a, b in rows])


def same_up_to_phase(got, want, tol=1e-10):
    overlap = np.vdot(want, got)
    return abs(abs(overlap) - 1) < tol and np.abs(got * np.conj(overlap) / abs(overlap)
                                                  - want).max() < tol


def test_from_qasm_and_counts_keys():
    c = qsim.Circuit.from_qasm(BELL)
    assert (c.num_qubits, c.num_clbits, len(c)) == (2, 2, 4)
    assert c.qregs == [qsim.Register("q", 0, 2)] and c.cregs == [("c", 0, 2)]
    assert np.allclose(c.statevector(), [2 ** -0.5, 0, 0, 2 ** -0.5])
    assert np.allclose(c.probabilities(), [0.5, 0, 0, 0.5])
    counts = c.counts(2000, seed=5)
    assert set(counts) == {"00", "11"} and sum(counts.values()) == 2000
    assert c.counts(100, seed=9) == c.counts(100, seed=9)


def test_parse_errors_carry_their_location():
    with pytest.raises(qsim.QasmError) as e:
        qsim.Circuit.from_qasm("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\n"
                               "h q[0]\ncx q[0], q[1];\n", name="bell.qasm")
    err = e.value
    assert (err.filename, err.line, err.col) == ("bell.qasm", 4, 7)   # after 'h q[0]'
    assert err.status == "QS_EPARSE" and "expected ';'" in str(err)
    assert isinstance(err, ValueError)
    with pytest.raises(qsim.QasmError) as e:
        qsim.Circuit.from_qasm("OPENQASM 2.0;\nqreg q[2];\nfoo q[0];\n")
    assert (e.value.filename, e.value.line, e.value.col) == ("<string>", 3, 1)
    assert "foo" in e.value.message


def test_parse_error_location_of_a_file_and_an_include(tmp_path):
    (tmp_path / "defs.inc").write_text("gate g a { h a; }\ngate bad a { nope a; }\n")
    path = tmp_path / "main.qasm"
    path.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\ninclude "defs.inc";\nqreg q[1];\n')
    with pytest.raises(qsim.QasmError) as e:
        qsim.Circuit.from_file(path)
    assert e.value.filename.endswith("defs.inc") and e.value.line == 2
    with pytest.raises(qsim.QsimIOError):
        qsim.Circuit.from_file(tmp_path / "missing.qasm")


def test_other_located_errors_parse_the_message(tmp_path):
    bad = tmp_path / "g.txt"
    bad.write_text("# nodes: 3\n0 1\n1 x\n")
    with pytest.raises(qsim.QasmError) as e:
        qsim.Graph.from_file(bad)
    assert e.value.filename == str(bad) and e.value.line == 3
    with pytest.raises(qsim.QasmError) as e:
        qsim.Hamiltonian.from_string("0.5 Z0\nzz X1\n", "h.txt")
    assert (e.value.filename, e.value.line, e.value.col) == ("h.txt", 2, 1)


def test_memory_check_and_strict_mode():
    with pytest.raises(MemoryError) as e:
        qsim.Circuit.from_qasm("OPENQASM 2.0;\nqreg q[40];\n", check_memory=True)
    assert e.value.line == 2
    qsim.Circuit.from_qasm("OPENQASM 2.0;\nqreg q[40];\n")     # not checked: parses
    with pytest.raises(qsim.QasmError):
        qsim.Circuit.from_qasm("OPENQASM 3.0;\nqubit[1] q;\n", strict=True)


def test_to_qasm_round_trip(tmp_path):
    c = qsim.Circuit(3, 1)
    c.h(0).cx(0, 1).rx("2*theta + 0.1", 2).cp("theta*phi", 2, 0).ryy(0.3, 0, 2)
    text = c.to_qasm()
    assert text.startswith("OPENQASM 3.0;") and "input float[64] theta;" in text
    back = qsim.Circuit.from_qasm(text)
    assert back.parameters == ["theta", "phi"]
    p = {"theta": 0.7, "phi": -0.2}
    assert np.abs(back.statevector(p) - c.statevector(p)).max() < 1e-14
    assert back.to_qasm() == text
    with pytest.raises(qsim.QsimValueError):
        c.to_qasm(version=2)
    fixed = qsim.Circuit(2).h(0).cx(0, 1)
    assert fixed.to_qasm().startswith("OPENQASM 2.0;")
    assert fixed.to_qasm(version=3).startswith("OPENQASM 3.0;")
    path = fixed.write_qasm(tmp_path / "f.qasm")
    assert open(path).read() == fixed.to_qasm()
    big = qsim.Circuit(5)
    for i in range(400):                    # longer than the first buffer
        big.u3(0.1 * i, 0.2, 0.3, i % 5)
    assert len(qsim.Circuit.from_qasm(big.to_qasm())) == 400


def test_conformance_circuit_statevector():
    name = "qasmbench_qpe_n9"
    c = qsim.Circuit.from_file(shared("conformance/circuits/%s.qasm" % name))
    ref = json.load(open(shared("conformance/refs/%s.json" % name)))
    want = read_state(shared("conformance/refs/" + ref["statevector"]["file"]))
    assert same_up_to_phase(c.statevector(), want)
    probs = np.loadtxt(shared("conformance/refs/%s.probs.txt" % name))
    assert np.abs(c.probabilities() - probs).max() < 1e-10


def test_fused_and_unfused_programs_agree():
    """A conformance circuit compiled with and without fusion (and cache
    blocking on 16 qubits), rebound with new parameter values."""
    c = qsim.Circuit.from_file(shared("conformance/circuits/qasmbench_qpe_n9.qasm"))
    a, b = c.compile(), c.compile(fuse=False)
    for seed in (1, 2):   # it measures: the same outcomes from the same seed
        d = a.simulate(seed=seed).amplitudes - b.simulate(seed=seed).amplitudes
        assert np.abs(d).max() < 1e-12
    c = qsim.Circuit(16)
    for layer in range(6):
        for q in range(16):
            c.append(("rx", "ry", "rz")[(q + layer) % 3], [q], ["2*t%d_%d" % (layer, q)])
        for q in range(layer % 2, 15, 2):
            c.append("cz", [q, q + 1])
    fused, plain = c.compile(), c.compile(fuse=False)
    rng = np.random.default_rng(3)
    for _ in range(2):
        x = rng.uniform(-3, 3, len(c.parameters))
        d = np.abs(fused.simulate(x).amplitudes - plain.simulate(x).amplitudes).max()
        assert d < 1e-12


@pytest.mark.parametrize("name", ["local_dynamic", "openqasm_teleport", "qasmbench_shor_n5"])
def test_conformance_dynamic_circuits(name):
    c = qsim.Circuit.from_file(shared("conformance/circuits/%s.qasm" % name))
    ref = json.load(open(shared("conformance/refs/%s.json" % name)))
    probs = np.loadtxt(shared("conformance/refs/" + ref["probabilities"]["file"]))
    assert np.abs(c.probabilities() - probs).max() < 1e-10
    # shots follow the exact classical distribution
    shots = 20000
    counts = c.counts(shots, seed=11)
    want = ref["classical_distribution"]
    assert set(counts) <= set(want)
    for key, p in want.items():
        assert abs(counts.get(key, 0) / shots - p) < 5 * math.sqrt(p * (1 - p) / shots) + 1e-3
    # the exact branches add up to the classical distribution too
    dist = {}
    for b in c.compile().enumerate():
        dist[b.clbits.tobytes()] = dist.get(b.clbits.tobytes(), 0) + b.probability
    assert abs(sum(dist.values()) - 1) < 1e-12
    assert len(dist) == len(want)


def test_enumerate_callback_and_branch_states():
    c = qsim.Circuit(2, 1).h(0).measure(0, 0).cx(0, 1)
    seen = []
    c.compile().enumerate(callback=lambda p, s, bits: seen.append(
        (p, s.get_amplitudes(), bits.tolist())))
    assert sorted(b for _, _, b in seen) == [[0], [1]]
    for p, amps, bits in seen:
        assert abs(p - 0.5) < 1e-12
        assert abs(abs(amps[3 * bits[0]]) - 1) < 1e-12
    with pytest.raises(ZeroDivisionError):
        c.compile().enumerate(callback=lambda p, s, bits: 1 / 0)


def test_deferred_measurements():
    c = qsim.Circuit(2, 2).h(0).cx(0, 1).measure(0, 0).measure(1, 1)
    p = c.compile(defer_measure=True)
    assert p.deferred == [(0, 0), (1, 1)] and not p.is_dynamic
    assert c.compile().is_dynamic
    bits = c.sample(1000, seed=3)
    assert set(np.unique(bits)) == {0, 3}


qiskit = pytest.importorskip("qiskit")


def test_qiskit_qasm2_and_qasm3_dumps_straight_in():
    from qiskit import QuantumCircuit, qasm2, qasm3
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import Statevector
    qc = QuantumCircuit(3)
    qc.h(0)
    qc.cx(0, 1)
    qc.ry(0.4, 2)
    qc.cswap(0, 1, 2)
    qc.rzz(0.3, 1, 2)
    want = Statevector(qc).data
    for text in (qasm2.dumps(qc), qasm3.dumps(qc)):
        assert same_up_to_phase(qsim.Circuit.from_qasm(text).statevector(), want)
    theta, phi = Parameter("theta"), Parameter("phi")
    pq = QuantumCircuit(2)
    pq.rx(2 * theta, 0)
    pq.crz(phi - theta, 0, 1)
    pq.u(theta, phi, 0.5, 1)
    c = qsim.Circuit.from_qasm(qasm3.dumps(pq))
    assert c.parameters == ["phi", "theta"]         # Qiskit's (sorted) input order
    vals = {"theta": 0.3, "phi": -1.1}
    bound = pq.assign_parameters({theta: 0.3, phi: -1.1})
    assert same_up_to_phase(c.statevector(vals), Statevector(bound).data)
    assert same_up_to_phase(qsim.Circuit.from_qiskit(pq).statevector(vals),
                            Statevector(bound).data)


def test_qiskit_counts_match_register_layout():
    from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm2
    q, a, b = QuantumRegister(3, "q"), ClassicalRegister(1, "a"), ClassicalRegister(2, "b")
    qc = QuantumCircuit(q, a, b)
    qc.x(0)
    qc.x(2)
    qc.measure(0, a[0])
    qc.measure(1, b[0])
    qc.measure(2, b[1])
    c = qsim.Circuit.from_qasm(qasm2.dumps(qc))
    assert c.counts(10, seed=1) == {"10 1": 10}


def test_sparse_pauli_op_and_expectation_agree_with_qiskit():
    from qiskit import QuantumCircuit, qasm3
    from qiskit.quantum_info import SparsePauliOp, Statevector
    op = SparsePauliOp.from_list([("XZI", 0.5), ("IYY", -0.3), ("ZZZ", 0.25), ("III", 1.0)])
    h = qsim.Hamiltonian.from_sparse_pauli_op(op)
    assert np.allclose(h.matrix(), op.to_matrix())
    qc = QuantumCircuit(3)
    for q, t in enumerate(np.linspace(-1, 1, 6).reshape(3, 2)):
        qc.ry(t[0], q)
        qc.rz(t[1], q)
    qc.cx(0, 1)
    qc.cx(1, 2)
    s = qsim.Circuit.from_qasm(qasm3.dumps(qc)).simulate()
    want = Statevector(qc).expectation_value(op).real
    assert abs(s.expectation(h) - want) < 1e-12
    assert abs(s.expectation(op) - want) < 1e-12
    with pytest.raises(ValueError):
        qsim.Hamiltonian.from_sparse_pauli_op(SparsePauliOp.from_list([("XY", 1j)]))


def test_shared_dir_is_there():
    assert os.path.isdir(SHARED)
