"""qsim.qiskit: the V2 Estimator and Sampler and the BackendV2 against
Qiskit's StatevectorEstimator (exactly), exact probabilities and Aer (in
distribution)."""

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, transpile
from qiskit.circuit import Parameter
from qiskit.circuit.library import efficient_su2, real_amplitudes
from qiskit.primitives import StatevectorEstimator, StatevectorSampler
from qiskit.quantum_info import SparsePauliOp, Statevector

from qsim.qiskit import Backend, Estimator, Sampler

RNG = np.random.default_rng(5)


def _within(counts, probs, shots, keys):
    """Every outcome's frequency within 5 standard deviations of its probability."""
    for k in keys:
        p = probs.get(k, 0.0)
        f = counts.get(k, 0) / shots
        assert abs(f - p) <= 5 * np.sqrt(max(p * (1 - p), 1e-4) / shots), (k, f, p)


def test_estimator_equals_statevector_estimator_with_broadcasting():
    qc = efficient_su2(3, reps=2)
    obs = [SparsePauliOp(["ZZI", "XIY"], [0.7, -1.3]), SparsePauliOp("IXZ"),
           SparsePauliOp(["III", "YYX"], [2.0, 0.25])]
    vals = RNG.uniform(-np.pi, np.pi, size=(4, 1, qc.num_parameters))
    pubs = [(qc, obs, vals), (qc, [[obs[0]], [obs[1]]], vals[:2, 0])]
    ours = Estimator().run(pubs).result()
    ref = StatevectorEstimator().run(pubs).result()
    for a, b in zip(ours, ref):
        assert a.data.evs.shape == b.data.evs.shape
        assert np.allclose(a.data.evs, b.data.evs, atol=1e-12)
    assert ours[0].data.evs.shape == (4, 3)


def test_estimator_precision_is_seeded_noise():
    qc = real_amplitudes(2, reps=1)
    pub = (qc, SparsePauliOp("ZZ"), np.full((2000, qc.num_parameters), 0.3))
    a = Estimator(seed=3).run([pub], precision=0.05).result()[0].data.evs
    b = Estimator(seed=3).run([pub], precision=0.05).result()[0].data.evs
    exact = Estimator().run([pub]).result()[0].data.evs
    assert np.array_equal(a, b)
    assert abs(np.std(a - exact) - 0.05) < 0.005 and abs(np.mean(a - exact)) < 0.005


def _two_register_circuit():
    x = Parameter("x")
    q, a, b = QuantumRegister(3, "q"), ClassicalRegister(2, "alpha"), ClassicalRegister(1, "beta")
    qc = QuantumCircuit(q, a, b)
    qc.ry(x, 0)
    qc.h(1)
    qc.cx(1, 2)
    qc.crx(0.8, 0, 2)
    qc.measure(0, a[0])
    qc.measure(2, a[1])
    qc.measure(1, b[0])
    return qc, x


def test_sampler_registers_shapes_seed_and_distribution():
    qc, x = _two_register_circuit()
    vals = np.array([[0.4], [2.1]])
    shots = 20000
    res = Sampler(seed=9).run([(qc, vals)], shots=shots).result()[0]
    again = Sampler(seed=9).run([(qc, vals)], shots=shots).result()[0]
    ref = StatevectorSampler(seed=1).run([(qc, vals)], shots=10).result()[0]
    assert set(res.data.keys()) == set(ref.data.keys()) == {"alpha", "beta"}
    assert res.data.alpha.shape == ref.data.alpha.shape == (2,)
    assert res.data.alpha.num_shots == shots and res.data.alpha.num_bits == 2
    assert np.array_equal(res.data.alpha.array, again.data.alpha.array)
    for i, v in enumerate(vals[:, 0]):
        probs = Statevector(qc.remove_final_measurements(inplace=False).assign_parameters(
            {x: v})).probabilities_dict()
        joint = res.data.alpha[i].get_counts()
        # alpha = (q2, q0), highest bit first
        p_alpha = {}
        for k, p in probs.items():           # k = q2 q1 q0
            key = k[0] + k[2]
            p_alpha[key] = p_alpha.get(key, 0) + p
        _within(joint, p_alpha, shots, ["00", "01", "10", "11"])


def test_backend_transpile_run_counts_memory_and_aer():
    from qiskit_aer import AerSimulator
    qc, x = _two_register_circuit()
    qc = qc.assign_parameters({x: 1.1})
    backend = Backend()
    tqc = transpile(qc, backend)
    shots = 20000
    res = backend.run(tqc, shots=shots, memory=True, seed_simulator=4).result()
    counts = res.get_counts()
    assert sum(counts.values()) == shots
    assert all(len(k) == 4 and k[1] == " " for k in counts)       # "beta alpha"
    mem = res.get_memory()
    assert len(mem) == shots and mem[0] in counts
    assert backend.run(tqc, shots=shots, memory=True, seed_simulator=4).result().get_memory() \
        == mem
    aer = AerSimulator(seed_simulator=1).run(transpile(qc, AerSimulator()), shots=200000) \
        .result().get_counts()
    probs = {k: v / 200000 for k, v in aer.items()}
    _within(counts, probs, shots, set(probs) | set(counts))


def test_backend_runs_a_list_and_refuses_unbound_parameters():
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    res = Backend().run([qc, qc], shots=100).result()
    assert set(res.get_counts(0)) <= {"00", "11"} and sum(res.get_counts(1).values()) == 100
    with pytest.raises(ValueError, match="unbound"):
        Backend().run(_two_register_circuit()[0])


def test_readme_qiskit_command_prints_what_the_readme_says():
    import os
    import re
    import subprocess
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    text = open(os.path.join(root, "README.md")).read()
    m = re.search(r"```sh\n(\.venv/bin/python -c '\nfrom qiskit.*?)```\n\nprints.*?```text\n(.*?)```",
                  text, re.S)
    assert m, "the README's qsim.qiskit command and its output"
    out = subprocess.run(["bash", "-c", m.group(1)], cwd=root, capture_output=True, text=True,
                         check=True).stdout
    assert out == m.group(2)
