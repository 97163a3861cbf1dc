"""The classifier and the quantum kernel under noise and with shots: the
noisy loss recomputed from Circuit.simulate(noise=...) density matrices,
zero-probability noise equal to noiseless, `qsim train --noise/--shots`
reproducible and ending at the loss of its own parameters."""
import json
import math
import subprocess

import numpy as np
import pytest

import qsim
from conftest import shared

MOONS = "data/classification/moons_train.csv"


def model(p1, p2, amp=0.0):
    errs = [{"channel": "depolarizing", "params": [p1], "gates": ["ry", "rz"]},
            {"channel": "depolarizing2", "params": [p2], "gates": ["cz"]}]
    if amp:
        errs.append({"channel": "amplitude_damping", "params": [amp], "gates": ["ry"],
                     "qubits": [[1]]})
    return {"qsim_noise_model": 1, "errors": errs}


def reference_loss(X, y, params, F, K, nq, L, noise):
    """The classifier's loss rebuilt gate by gate (hybrid.h's definition)
    with numeric angles, each row's density matrix from Circuit.simulate."""
    mean = X.mean(axis=0)
    sd = X.std(axis=0)
    scale = np.where(sd > 0, 1 / np.where(sd > 0, sd, 1), 1.0)
    nqp = L * (2 * F + 2 * nq)
    total = 0.0
    for x, label in zip(X, y):
        z = (x - mean) * scale
        c = qsim.Circuit(nq)
        i = 0
        for _ in range(L):
            wb = []
            for j in range(F):
                wb.append((params[i], params[i + 1]))
                i += 2
            for j in range(F):
                ang = wb[j][0] * z[j] + wb[j][1]
                (c.rz if (j // nq) % 2 else c.ry)(ang, j % nq)
            for k in range(nq):
                c.ry(params[i], k)
                c.rz(params[i + 1], k)
                i += 2
            ring = nq if nq > 2 else nq - 1
            for k in range(ring):
                c.cz(k, (k + 1) % nq)
        assert i == nqp
        probs = c.simulate(noise=noise).probabilities()
        b = np.arange(1 << nq)
        score = np.array([params[nqp + 2 * k] * np.sum(probs * (1 - 2 * ((b >> k) & 1)))
                          + params[nqp + 2 * k + 1] for k in range(K)])
        mx = score.max()
        total += mx + math.log(np.exp(score - mx).sum()) - score[label]
    return total / len(X)


def test_noisy_loss_equals_the_density_matrix_objective():
    X, y = qsim.read_csv(shared(MOONS))
    X, y = X[:12], y[:12]
    nm = qsim.NoiseModel.from_dict(model(0.03, 0.08, amp=0.1))
    m = qsim.Classifier(2, 2, layers=2, noise=nm)
    assert m.noisy
    m.fit_scaling(X)
    p = m.init_params(5) + np.linspace(-0.3, 0.4, m.num_params)
    want = reference_loss(X, y, p, 2, 2, m.num_qubits, 2, nm)
    got, g = m.loss(X, y, p, gradient=True)
    assert abs(got - want) < 1e-12
    # noiseless differs: the check above could fail
    assert abs(m.set_noise(None).loss(X, y, p) - want) > 1e-4
    # the gradient (parameter shift on rho) against central differences
    m.set_noise(nm)
    h, fd = 1e-5, np.empty(m.num_params)
    for k in range(m.num_params):
        e = np.zeros(m.num_params)
        e[k] = h
        fd[k] = (m.loss(X, y, p + e) - m.loss(X, y, p - e)) / (2 * h)
    assert np.max(np.abs(g - fd)) < 1e-8


def test_zero_probability_noise_equals_noiseless():
    X, y = qsim.read_csv(shared(MOONS))
    X, y = X[:20], y[:20]
    m0 = qsim.Classifier(2, 2, layers=2)
    mz = qsim.Classifier(2, 2, layers=2, noise=model(0.0, 0.0))
    for m in (m0, mz):
        m.fit_scaling(X)
    p = m0.init_params(2)
    l0, g0 = m0.loss(X, y, p, gradient=True)
    lz, gz = mz.loss(X, y, p, gradient=True)
    assert abs(l0 - lz) < 1e-13 and np.max(np.abs(g0 - gz)) < 1e-12
    m0.params = mz.params = p
    assert np.max(np.abs(m0.predict_proba(X) - mz.predict_proba(X))) < 1e-13


def test_shot_estimates_are_seeded_and_unbiased():
    X, y = qsim.read_csv(shared(MOONS))
    X, y = X[:10], y[:10]
    nm = model(0.02, 0.05)
    exact = qsim.Classifier(2, 2, layers=1, noise=nm)
    exact.fit_scaling(X)
    p = exact.init_params(1)
    a = qsim.Classifier(2, 2, layers=1, noise=nm, shots=500, shot_seed=7).fit_scaling(X)
    b = qsim.Classifier(2, 2, layers=1, noise=nm, shots=500, shot_seed=7).fit_scaling(X)
    c = qsim.Classifier(2, 2, layers=1, noise=nm).set_shots(500, 8).fit_scaling(X)
    la, ga = a.loss(X, y, p, gradient=True)
    lb, gb = b.loss(X, y, p, gradient=True)
    assert la == lb and np.array_equal(ga, gb)
    assert c.loss(X, y, p) != la
    # the class probabilities of the estimates scatter around the exact ones
    exact.params = a.params = p
    pe, pa = exact.predict_proba(X), a.predict_proba(X)
    assert 0 < np.max(np.abs(pe - pa)) < 0.1


def cli_json(qsim_bin, tmp_path, name, *args):
    out = tmp_path / (name + ".json")
    subprocess.run([qsim_bin, "train", "--train", shared(MOONS), "--epochs", "2", "--layers",
                    "2", "--model", str(tmp_path / (name + ".model")), *args, "--quiet",
                    "--output", str(out)], check=True, capture_output=True, cwd=tmp_path)
    return json.load(open(out))


def test_cli_train_noise_and_shots(qsim_bin, tmp_path):
    (tmp_path / "dep.json").write_text(json.dumps(model(0.02, 0.05)))
    (tmp_path / "zero.json").write_text(json.dumps(model(0.0, 0.0)))
    plain = cli_json(qsim_bin, tmp_path, "plain")
    zero = cli_json(qsim_bin, tmp_path, "zero", "--noise", "zero.json")
    noisy = cli_json(qsim_bin, tmp_path, "noisy", "--noise", "dep.json", "--seed", "3")
    again = cli_json(qsim_bin, tmp_path, "again", "--noise", "dep.json", "--seed", "3")
    assert abs(plain["train_loss"] - zero["train_loss"]) < 1e-12
    assert np.max(np.abs(np.subtract(plain["parameters"], zero["parameters"]))) < 1e-7   # Adam amplifies rounding of near-zero gradients
    assert noisy == {**again, "wall_time_s": noisy["wall_time_s"],
                     "model": noisy["model"]}
    # the reported loss is the noisy objective at the final parameters
    X, y = qsim.read_csv(shared(MOONS))
    m = qsim.Classifier(2, 2, layers=2, noise=str(tmp_path / "dep.json")).fit_scaling(X)
    assert abs(m.loss(X, y, noisy["parameters"]) - noisy["train_loss"]) < 1e-13
    assert abs(m.set_noise(None).loss(X, y, noisy["parameters"]) - noisy["train_loss"]) > 1e-5
    # the model file predicts with the trained parameters
    loaded = qsim.Classifier.load(tmp_path / "noisy.model", noise=str(tmp_path / "dep.json"))
    assert loaded.accuracy(X, y) == noisy["train_accuracy"]
    # shots: seeded, and the reported loss is the estimate at the parameters
    s1 = cli_json(qsim_bin, tmp_path, "s1", "--shots", "300", "--seed", "4")
    s2 = cli_json(qsim_bin, tmp_path, "s2", "--shots", "300", "--seed", "4")
    assert s1["parameters"] == s2["parameters"] and s1["train_loss"] == s2["train_loss"]
    est = qsim.Classifier(2, 2, layers=2, shots=300, shot_seed=4).fit_scaling(X)
    assert est.loss(X, y, s1["parameters"]) == s1["train_loss"]


def test_noisy_kernel_is_the_hilbert_schmidt_product():
    X, _ = qsim.read_csv(shared("data/classification/iris_train.csv"))
    A = qsim.minmax_scale(X[:5], X)
    nm = qsim.NoiseModel.from_dict({"qsim_noise_model": 1, "errors": [
        {"channel": "amplitude_damping", "params": [0.2], "gates": ["ry"]},
        {"channel": "phase_damping", "params": [0.1], "gates": ["ry"], "qubits": [[2]]}]})
    K = qsim.kernel_matrix(A, map="angle", noise=nm)
    rhos = []
    for a in A:
        c = qsim.Circuit(4)
        for j, t in enumerate(a):
            c.ry(t, j)
        rhos.append(c.simulate(noise=nm).matrix)
    want = np.array([[np.trace(r @ s).real for s in rhos] for r in rhos])
    assert np.max(np.abs(K - want)) < 1e-13
    assert np.all(np.diag(K) < 1 - 1e-3)       # purities: noise acted
    zero = {"qsim_noise_model": 1, "errors": [
        {"channel": "depolarizing", "params": [0.0], "gates": ["ry", "rz", "h"]},
        {"channel": "depolarizing2", "params": [0.0], "gates": ["rzz"]}]}
    for mp in ("angle", "zz"):
        assert np.max(np.abs(qsim.kernel_matrix(A, map=mp, noise=zero)
                             - qsim.kernel_matrix(A, map=mp))) < 1e-13
    qk = qsim.QuantumKernel(noise=nm).fit(X[:6])
    assert qk.get_params()["noise"] is nm
    Kt = qk.transform(X[:3])
    assert Kt.shape == (3, 6) and np.all(np.diag(Kt) < 1 - 1e-3)


def test_objective_trajectories_beyond_the_density_matrix(monkeypatch):
    c = qsim.Circuit(3).ry("a", 0).cx(0, 1).rx("b", 2).cx(1, 2).ry("a + b", 1)
    h = qsim.Hamiltonian([(0.7, "Z0 Z1"), (-0.4, "X1 Y2"), (0.5, "X0 X1 X2")])
    nm = {"qsim_noise_model": 1, "errors": [
        {"channel": "depolarizing2", "params": [0.1], "gates": ["cx"]},
        {"channel": "amplitude_damping", "params": [0.2], "gates": ["ry", "rx"]}]}
    x = [0.4, -0.9]
    exact = qsim.Objective(c, h, noise=qsim.NoiseModel.from_dict(nm))
    assert exact.num_trajectories == 0 and exact.value_error(x)[1] == 0
    want = exact.value(x)
    monkeypatch.setenv("QSIM_MEMORY_LIMIT", "2K")   # rho of 3 qubits: 3 x 1 KiB
    fallback = qsim.Objective(c, h, noise=qsim.NoiseModel.from_dict(nm))
    assert fallback.num_trajectories == 1000
    v, se = fallback.value_error(x)
    assert 0 < se < 0.05 and abs(v - want) < 4 * se
    assert fallback.value_error(x) == (v, se)            # seeded
    monkeypatch.delenv("QSIM_MEMORY_LIMIT")
    exact.set_trajectories(4000, seed=5)
    v, se = exact.value_error(x)
    assert exact.num_trajectories == 4000 and abs(v - want) < 4 * se
    assert exact.gradient(x).shape == (2,)                 # by differences
