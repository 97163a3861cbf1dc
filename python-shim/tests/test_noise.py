"""Noise from Python: channels, density matrices, Circuit.simulate(noise=...),
NoiseModel (qsim's format, Aer's JSON, a qiskit-aer object), trajectories."""
import json

import numpy as np
import pytest

import qsim


def dense_kraus(rho, ops, qubits, n):
    """sum K rho K^dag with K embedded naively (qubit 0 = least significant)."""
    out = np.zeros_like(rho)
    for k in ops:
        full = np.zeros((1 << n, 1 << n), dtype=complex)
        for r in range(1 << n):
            for c in range(1 << n):
                rest_r = r & ~sum(1 << q for q in qubits)
                rest_c = c & ~sum(1 << q for q in qubits)
                if rest_r != rest_c:
                    continue
                sr = sum(((r >> q) & 1) << j for j, q in enumerate(qubits))
                sc = sum(((c >> q) & 1) << j for j, q in enumerate(qubits))
                full[r, c] = k[sr, sc]
        out += full @ rho @ full.conj().T
    return out


def test_channels_on_a_density_matrix():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(8, 3)) + 1j * rng.normal(size=(8, 3))
    rho0 = a @ a.conj().T
    rho0 /= np.trace(rho0)
    for name, params in [("amplitude_damping", (0.3,)), ("depolarizing", (0.2,)),
                         ("thermal_relaxation", (50, 70, 10, 0.1)), ("depolarizing2", (0.1,))]:
        ops = qsim.channel_kraus(name, *params)
        qubits = [2, 0] if ops[0].shape[0] == 4 else [1]
        with qsim.DensityMatrix.from_matrix(rho0) as d:
            d.apply_channel(name, qubits, *params)
            want = dense_kraus(rho0, ops, qubits, 3)
            assert np.max(np.abs(d.matrix - want)) < 1e-12, name
            assert abs(d.trace() - 1) < 1e-12


def test_bad_kraus_raises():
    with qsim.DensityMatrix(2) as d:
        with pytest.raises(qsim.QsimValueError, match="not trace preserving"):
            d.apply_kraus([np.diag([1, 0.5])], 0)
        with pytest.raises(qsim.QsimValueError, match="outside"):
            d.apply_channel("bit_flip", 0, 1.5)


def test_simulate_with_noise_and_reductions():
    c = qsim.Circuit(2).h(0).cx(0, 1)
    m = qsim.NoiseModel.from_dict({"qsim_noise_model": 1, "errors": [
        {"channel": "depolarizing2", "params": [0.2], "gates": ["cx"]}]})
    rho = c.simulate(noise=m)
    assert isinstance(rho, qsim.DensityMatrix)
    bell = np.zeros((4, 4))
    bell[np.ix_([0, 3], [0, 3])] = 0.5
    want = 0.8 * bell + 0.2 * np.eye(4) / 4
    assert np.max(np.abs(rho.matrix - want)) < 1e-12
    assert abs(rho.purity() - np.trace(want @ want).real) < 1e-12
    h = qsim.Hamiltonian([(1.0, "Z0 Z1"), (0.5, "X0 X1")])
    assert abs(rho.expectation(h) - 0.8 * 1.5) < 1e-12
    assert 0 < rho.entropy([0]) <= 1
    # trajectories converge to it
    probs, ex = qsim.trajectories(c, 4000, noise=m, observable=h, seed=3)
    assert abs(ex[0] - 1.2) < 4 * ex[1]
    assert np.max(np.abs(probs - np.diag(want))) < 0.05


def test_aer_noise_model_object():
    aer = pytest.importorskip("qiskit_aer")
    from qiskit import QuantumCircuit
    from qiskit_aer.noise import NoiseModel, amplitude_damping_error, depolarizing_error
    nm = NoiseModel()
    nm.add_all_qubit_quantum_error(depolarizing_error(0.1, 2), ["cx"])
    nm.add_quantum_error(amplitude_damping_error(0.2), ["h"], [0])
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.save_density_matrix()
    want = np.asarray(aer.AerSimulator(method="density_matrix", noise_model=nm).run(qc)
                      .result().data()["density_matrix"])
    m = qsim.NoiseModel.from_qiskit(nm)
    assert m.num_errors == 2
    rho = qsim.Circuit(2).h(0).cx(0, 1).simulate(noise=m)
    assert np.max(np.abs(rho.matrix - want)) < 1e-12


def test_circuit_channels_and_kraus():
    ops = qsim.channel_kraus("phase_damping", 0.3)
    c = qsim.Circuit(2).h(0).channel("amplitude_damping", 0, 0.25).cx(0, 1).kraus(ops, [1])
    rho = c.simulate()   # a circuit with channels gives a density matrix
    with qsim.DensityMatrix(2) as d:
        d.apply("h", 0).apply_channel("amplitude_damping", 0, 0.25).apply("cx", 0, 1)
        d.apply_kraus(ops, 1)
        assert np.max(np.abs(rho.matrix - d.matrix)) < 1e-12
    assert rho.purity() < 1 - 1e-3


def test_noisy_objective_and_torch_layer():
    c = qsim.Circuit(2).ry("a", 0).cx(0, 1).rx("2*b", 1)
    m = qsim.NoiseModel.from_dict({"qsim_noise_model": 1, "errors": [
        {"channel": "depolarizing2", "params": [0.1], "gates": ["cx"]},
        {"channel": "amplitude_damping", "params": [0.2], "gates": ["rx"]}]})
    h = qsim.Hamiltonian([(1.0, "Z0 Z1"), (0.4, "X1")])
    E = qsim.Objective(c, h, noise=m)
    x = np.array([0.7, -0.3])
    rho = c.simulate(x, noise=m)
    assert abs(E(x) - rho.expectation(h)) < 1e-12
    g = E.gradient(x)
    eps = 1e-6
    fd = [(E(x + eps * e) - E(x - eps * e)) / (2 * eps) for e in np.eye(2)]
    assert np.max(np.abs(g - fd)) < 1e-7
    with pytest.raises(qsim.QsimUnsupported, match="pure state"):
        E.gradient(x, "adjoint")
    torch = pytest.importorskip("torch")
    from qsim.torch import QuantumLayer
    layer = QuantumLayer(c, [h], inputs=["a"], weights=[-0.3], noise=m)
    inp = torch.tensor([[0.7]], dtype=torch.float64, requires_grad=True)
    out = layer(inp)
    assert abs(out.item() - E(x)) < 1e-12
    out.sum().backward()
    assert abs(inp.grad.item() - g[0]) < 1e-10
    assert abs(layer.weight.grad.item() - g[1]) < 1e-10
