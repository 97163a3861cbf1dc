"""Noise against Qiskit Aer: random noisy circuits of 2 to 8 qubits whose
noise model is handed to `qsim run --noise` as the JSON Aer itself writes
(noise_model.to_dict(serializable=True)); probabilities and <H> compared
with Aer's density-matrix method to 1e-10, readout errors with Aer's counts,
and qsim's own model format and its errors."""
import json
import math
import subprocess

import numpy as np
import pytest
from qiskit import QuantumCircuit, qasm2
from qiskit.quantum_info import SparsePauliOp
from qiskit_aer import AerSimulator
from qiskit_aer.noise import (NoiseModel, ReadoutError, amplitude_damping_error,
                              coherent_unitary_error, depolarizing_error, kraus_error,
                              mixed_unitary_error, pauli_error, phase_damping_error,
                              reset_error, thermal_relaxation_error)
from scipy.stats import unitary_group

TOL = 1e-10
ONE_Q = ["h", "x", "sx", "rz", "rx", "ry", "u", "s", "t", "y"]
TWO_Q = ["cx", "cz", "swap", "rzz"]


def random_kraus(rng, k, r):
    """r Kraus matrices on k qubits: rows of a random isometry."""
    d = 2 ** k
    v = unitary_group.rvs(d * r, random_state=rng.integers(1 << 31))[:, :d]
    return [v[i * d:(i + 1) * d, :] for i in range(r)]


def error_kinds(rng):
    """Every kind of error qsim must read, each a (name, ops, error) maker."""
    p = lambda lo, hi: float(rng.uniform(lo, hi))
    t1 = p(40, 60)
    u2 = [unitary_group.rvs(4, random_state=rng.integers(1 << 31)) for _ in range(2)]
    return [
        ("depolarizing1", ["h", "sx"], depolarizing_error(p(0.01, 0.2), 1)),
        ("depolarizing2", ["cx"], depolarizing_error(p(0.01, 0.2), 2)),
        ("amplitude_damping", ["x"], amplitude_damping_error(p(0.05, 0.3))),
        ("generalized_amplitude_damping", ["rz"],
         amplitude_damping_error(p(0.05, 0.3), p(0.1, 0.4))),
        ("phase_damping", ["ry"], phase_damping_error(p(0.05, 0.4))),
        ("pauli", ["rx"], pauli_error([("X", 0.05), ("Y", 0.03), ("Z", 0.02), ("I", 0.9)])),
        ("bit_flip", ["y"], pauli_error([("X", 0.12), ("I", 0.88)])),
        ("thermal_relaxation", ["u"], thermal_relaxation_error(t1, p(0.5, 1.9) * t1, p(1, 8))),
        ("thermal_excited", ["s"], thermal_relaxation_error(t1, p(0.3, 1.0) * t1, 3.0, 0.15)),
        ("reset", ["t"], reset_error(p(0.02, 0.1), p(0.02, 0.1))),
        ("kraus", ["h"], kraus_error(random_kraus(rng, 1, 3))),
        ("kraus2", ["rzz"], kraus_error(random_kraus(rng, 2, 2))),
        ("mixed_unitary", ["swap"], mixed_unitary_error([(u2[0], 0.3), (u2[1], 0.7)])),
        ("coherent", ["cz"], coherent_unitary_error(u2[0])),
        ("tensor", ["cz"], amplitude_damping_error(0.1).tensor(phase_damping_error(0.2))),
    ]


def noise_model(rng, n, case):
    """A model with several kinds (all of them over the 30 cases), some on
    given qubits only, where they replace the all-qubit error."""
    kinds = error_kinds(rng)
    chosen = [kinds[case % len(kinds)], kinds[(case + 5) % len(kinds)],
              kinds[(case + 9) % len(kinds)], kinds[1]]
    m = NoiseModel()
    seen = set()
    for name, ops, err in chosen:
        if (name, tuple(ops)) in seen:
            continue
        seen.add((name, tuple(ops)))
        if err.num_qubits == 1 and rng.random() < 0.4:
            m.add_quantum_error(err, ops, [int(rng.integers(n))])
        else:
            m.add_all_qubit_quantum_error(err, ops)
    # a qubit-specific error on cx (0, 1) replacing the all-qubit one
    m.add_quantum_error(depolarizing_error(0.3, 2).compose(
        pauli_error([("XZ", 0.2), ("II", 0.8)])), ["cx"], [0, 1])
    return m


def random_circuit(rng, n, depth):
    qc = QuantumCircuit(n)
    for _ in range(depth):
        if n > 1 and rng.random() < 0.35:
            a, b = (int(x) for x in rng.choice(n, 2, replace=False))
            g = TWO_Q[int(rng.integers(len(TWO_Q)))]
            if g == "rzz":
                qc.rzz(float(rng.uniform(-3, 3)), a, b)
            else:
                getattr(qc, g)(a, b)
        else:
            q = int(rng.integers(n))
            g = ONE_Q[int(rng.integers(len(ONE_Q)))]
            if g in ("rz", "rx", "ry"):
                getattr(qc, g)(float(rng.uniform(-3, 3)), q)
            elif g == "u":
                qc.u(*(float(x) for x in rng.uniform(-3, 3, 3)), q)
            else:
                getattr(qc, g)(q)
    return qc


def random_pauli_sum(rng, n, terms=6):
    labels = ["".join(rng.choice(list("IXYZ"), n)) for _ in range(terms)]
    coefs = rng.uniform(-1, 1, terms)
    op = SparsePauliOp(labels, coefs)
    lines = []
    for lab, c in zip(labels, coefs):
        # the label's last letter is qubit 0
        t = " ".join("%s%d" % (l, q) for q, l in enumerate(reversed(lab)) if l != "I")
        lines.append("%r %s" % (float(c), t or "I"))
    return op, "\n".join(lines) + "\n"


def aer_rho(qc, model):
    sim = AerSimulator(method="density_matrix", noise_model=model)
    qc2 = qc.copy()
    qc2.save_density_matrix()
    return np.asarray(sim.run(qc2).result().data()["density_matrix"])


def qsim(qsim_bin, tmp_path, qc, model_json, *args):
    (tmp_path / "c.qasm").write_text(qasm2.dumps(qc))
    (tmp_path / "m.json").write_text(model_json)
    p = subprocess.run([qsim_bin, "run", str(tmp_path / "c.qasm"), "--noise",
                        str(tmp_path / "m.json"), *args], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.mark.parametrize("case", range(30))
def test_density_matrix_against_aer(qsim_bin, tmp_path, case):
    rng = np.random.default_rng(1000 + case)
    n = 2 + case % 7
    qc = random_circuit(rng, n, 6 * n)
    model = noise_model(rng, n, case)
    model_json = json.dumps(model.to_dict(serializable=True))
    rho = aer_rho(qc, model)
    probs = np.array([float(x) for x in
                      qsim(qsim_bin, tmp_path, qc, model_json, "--probabilities").split()])
    want = np.real(np.diag(rho))
    assert np.max(np.abs(probs - want)) < TOL, (case, np.max(np.abs(probs - want)))
    op, text = random_pauli_sum(rng, n)
    (tmp_path / "h.txt").write_text(text)
    e = float(qsim(qsim_bin, tmp_path, qc, model_json, "--expect", str(tmp_path / "h.txt")))
    e_aer = float(np.real(np.trace(rho @ op.to_matrix())))
    assert abs(e - e_aer) < TOL, (case, e, e_aer)
    # the noise did something: the state is mixed
    assert np.real(np.trace(rho @ rho)) < 1 - 1e-6


@pytest.mark.parametrize("case", range(3))
def test_readout_errors_against_aer_counts(qsim_bin, tmp_path, case):
    rng = np.random.default_rng(50 + case)
    n = 3
    qc = random_circuit(rng, n, 12)
    model = noise_model(rng, n, case)
    model.add_readout_error(ReadoutError([[0.9, 0.1], [0.25, 0.75]]), [0])
    model.add_all_qubit_readout_error(ReadoutError([[0.97, 0.03], [0.05, 0.95]]))
    rho = aer_rho(qc, model)
    # the exact distribution of the recorded bits
    conf = [np.array([[0.9, 0.1], [0.25, 0.75]])] + [np.array([[0.97, 0.03], [0.05, 0.95]])] * 2
    p = np.real(np.diag(rho))
    exact = np.zeros(8)
    for t in range(8):
        for r in range(8):
            w = 1.0
            for q in range(3):
                w *= conf[q][(t >> q) & 1, (r >> q) & 1]
            exact[r] += p[t] * w
    qc.measure_all()
    shots = 20000
    counts_aer = AerSimulator(noise_model=model).run(qc, shots=shots, seed_simulator=3).result() \
        .get_counts()
    out = json.loads(qsim(qsim_bin, tmp_path, qc, json.dumps(model.to_dict(serializable=True)),
                          "--shots", str(shots), "--seed", "11"))
    for r in range(8):
        key = format(r, "03b")
        e = exact[r] * shots
        bound = 5 * math.sqrt(e + 1) + 1
        assert abs(out.get(key, 0) - e) < bound, (key, out.get(key, 0), e)
        assert abs(counts_aer.get(key, 0) - e) < bound, (key, counts_aer.get(key, 0), e)


def test_trajectories_agree_with_the_density_matrix(qsim_bin, tmp_path):
    rng = np.random.default_rng(7)
    n = 4
    qc = random_circuit(rng, n, 20)
    model_json = json.dumps(noise_model(rng, n, 3).to_dict(serializable=True))
    op, text = random_pauli_sum(rng, n)
    (tmp_path / "h.txt").write_text(text)
    exact = float(qsim(qsim_bin, tmp_path, qc, model_json, "--expect", str(tmp_path / "h.txt")))
    (tmp_path / "c.qasm").write_text(qasm2.dumps(qc))
    p = subprocess.run([qsim_bin, "run", str(tmp_path / "c.qasm"), "--noise",
                        str(tmp_path / "m.json"), "--trajectories", "2000", "--seed", "5",
                        "--expect", str(tmp_path / "h.txt")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    mean = float(p.stdout)
    se = float(p.stderr.split("standard error")[1])
    assert se > 0
    assert abs(mean - exact) < 4 * se, (mean, exact, se)


OWN = """{
  "qsim_noise_model": 1,
  "errors": [
    {"channel": "depolarizing2", "params": [0.05], "gates": ["cx"]},
    {"channel": "amplitude_damping", "params": [0.1], "gates": ["h"], "qubits": [[1]]},
    {"channel": "thermal_relaxation", "params": [50, 60, 2, 0], "gates": ["x"]}
  ]
}
"""


def test_own_format_equals_the_same_aer_model(qsim_bin, tmp_path):
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.h(1)
    qc.cx(0, 1)
    qc.x(0)
    qc.h(1)
    m = NoiseModel()
    m.add_all_qubit_quantum_error(depolarizing_error(0.05, 2), ["cx"])
    m.add_quantum_error(amplitude_damping_error(0.1), ["h"], [1])
    m.add_all_qubit_quantum_error(thermal_relaxation_error(50, 60, 2), ["x"])
    want = np.real(np.diag(aer_rho(qc, m)))
    got = np.array([float(x) for x in qsim(qsim_bin, tmp_path, qc, OWN, "--probabilities")
                    .split()])
    assert np.max(np.abs(got - want)) < TOL


@pytest.mark.parametrize("text,where", [
    ('{"errors": [{"type": "qerror", "operations": ["x"], "instructions": [[{"name": "x", '
     '"qubits": [0]}]], "probabilities": [1.5]}]}', "1:121: error: probability 1.5 outside"),
    ('{"errors": [\n  {"type": "qerror", "operations": ["x"],\n   "instructions": [[{"name": '
     '"kraus", "qubits": [0], "params": [[[[1, 0], [0, 0]], [[0, 0], [0.5, 0]]]]}]],\n'
     '   "probabilities": [1]}]}', "2:3: error: the Kraus operators are not trace preserving"),
    ('{"errors": [{"type": "qerror", "operations": ["x"],\n "instructions": [[{"name": "x", '
     '"qubits": [0]}]] "probabilities": [1]}]}', "2:51: error: expected ',' or '}'"),
    ('{"qsim_noise_model": 1, "errors": [{"channel": "bit_flip", "params": [2], '
     '"gates": ["x"]}]}', "1:70: error: bit_flip p 2 outside [0, 1]"),
    ('{"qsim_noise_model": 1, "errors": [{"channel": "depolarizing2", "params": [0.1], '
     '"gates": ["x"]}]}', "error: the noise model's error on 'x' acts on 2 qubits, the gate on 1"),
])
def test_bad_models_are_located(qsim_bin, tmp_path, text, where):
    qc = QuantumCircuit(2)
    qc.x(0)
    (tmp_path / "c.qasm").write_text(qasm2.dumps(qc))
    (tmp_path / "m.json").write_text(text)
    p = subprocess.run([qsim_bin, "run", str(tmp_path / "c.qasm"), "--noise",
                        str(tmp_path / "m.json"), "--probabilities"], capture_output=True,
                       text=True)
    assert p.returncode == 1
    assert where in p.stderr, p.stderr
