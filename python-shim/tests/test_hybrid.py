"""The hybrid layer from Python: program steps, gradients (three methods),
batches, optimizers with callbacks (exceptions propagate and stop the C
loop cleanly), and vqe/qaoa/train/predict/kernel checked against the data
files and against the `qsim` commands themselves."""

import json
import math
import subprocess

import numpy as np
import pytest

import qsim
from conftest import shared

H2 = "data/molecules/h2_sto3g_0.7414.txt"


def random_circuit(n=4, layers=2, seed=3):
    rng = np.random.default_rng(seed)
    c = qsim.Circuit(n)
    k = 0
    for _ in range(layers):
        for q in range(n):
            c.ry("t%d" % k, q).rz("0.5*t%d + t%d" % (k, k + 1), q)
            k += 2
        for q in range(n - 1):
            c.crx("t%d" % (k % 5), q, q + 1)
        c.rzz(float(rng.uniform(-1, 1)), 0, n - 1)
    return c


def random_hamiltonian(n=4, seed=4):
    rng = np.random.default_rng(seed)
    terms = []
    for _ in range(8):
        qs = rng.permutation(n)[: rng.integers(1, n + 1)]
        terms.append((float(rng.normal()), " ".join("%s%d" % ("XYZ"[rng.integers(3)], q)
                                                      for q in sorted(qs))))
    return qsim.Hamiltonian(terms)


def dense_energy(c, h, x):
    v = c.statevector(x)
    return np.vdot(v, h.matrix() @ v).real


# ---- program steps ----------------------------------------------------------

def test_steps_forward_and_backward():
    c = random_circuit()
    p = c.compile()
    x = np.linspace(-1, 1, len(c.parameters))
    assert p.num_steps == len(p) > 0
    s = qsim.State(4).set_random(seed=2)
    start = s.get_amplitudes()
    p.run_range(x, 0, p.num_steps, s)
    moved = s.get_amplitudes()
    with qsim.State(4).set_amplitudes(start) as t:        # the same as run()
        p.run(t, x)
        assert np.abs(t.get_amplitudes() - moved).max() < 1e-13
    p.run_range(x, 0, p.num_steps, s, adjoint=True)
    assert np.abs(s.get_amplitudes() - start).max() < 1e-12
    # step k through its arguments: forward then adjoint is the identity
    k = next(k for k in range(p.num_steps) if p.step_flags(k) & qsim.program.STEP_PARAMETERIZED)
    args = p.step_args(k, x)
    assert len(args) == p.step_num_args(k)
    p.step_apply(k, args, s)
    p.step_apply(k, args, s, adjoint=True)
    assert np.abs(s.get_amplitudes() - start).max() < 1e-12
    used = p.step_arg_params(k, 0)
    assert used and all(0 <= j < len(x) for j in used)
    g = p.step_arg_grad(k, 0, x, seed=2.0)
    assert g.shape == x.shape and np.count_nonzero(g) == len(used)
    omega, degree = p.step_arg_spectrum(k, 0)
    assert omega > 0 and degree >= 1
    # the derivative of an ry against a finite difference of the step
    h = 1e-6
    a, b = s.copy(), s.copy()
    p.step_apply(k, args + np.eye(len(args))[0] * h, a)
    p.step_apply(k, args - np.eye(len(args))[0] * h, b)
    d = s.copy()
    p.step_apply_derivative(k, 0, args, d)
    assert np.abs(d.get_amplitudes() - (a.get_amplitudes() - b.get_amplitudes()) / (2 * h)
                  ).max() < 1e-8
    with pytest.raises(IndexError):
        p.step_num_args(10 ** 6)


def test_adjoint_sweep_on_a_program():
    c, h = random_circuit(), random_hamiltonian()
    x = np.linspace(0.3, -0.8, len(c.parameters))
    p = c.compile()
    s = p.simulate(x)
    g = qsim.adjoint_sweep(p, x, s, h)
    assert np.abs(s.get_amplitudes() - np.eye(16)[0]).max() < 1e-12   # undone
    assert np.abs(g - qsim.finite_diff(c, h, x)).max() < 1e-7


# ---- objectives, gradients, batches -------------------------------------------

def test_three_gradient_methods_agree():
    c, h = random_circuit(), random_hamiltonian()
    x = np.random.default_rng(5).uniform(-2, 2, len(c.parameters))
    with qsim.Objective(c, h) as E:
        assert E.num_params == len(c.parameters) and E.num_qubits == 4
        assert abs(E(x) - dense_energy(c, h, x)) < 1e-12
        assert abs(E({n: v for n, v in zip(c.parameters, x)}) - E(x)) < 1e-15
        ga, gs, gf = (E.gradient(x, m) for m in ("adjoint", "shift", "fd"))
        assert np.abs(ga - gs).max() < 1e-9 and np.abs(ga - gf).max() < 1e-6
        val, g2 = E.value_and_gradient(x, "parameter_shift")
        assert abs(val - E(x)) < 1e-12 and np.abs(g2 - gs).max() < 1e-12
    assert np.abs(qsim.adjoint(c, h, x) - ga).max() < 1e-12
    assert np.abs(qsim.parameter_shift(c, h, x) - gs).max() < 1e-12
    assert np.abs(qsim.finite_diff(c, h, x, step=1e-5) - ga).max() < 1e-6
    with pytest.raises(ValueError):
        qsim.adjoint(c, h, x[:-1])
    with pytest.raises(qsim.QsimValueError):
        qsim.Objective(c, h).gradient(x, "magic")


def test_batches_equal_single_evaluations():
    c, h = random_circuit(), random_hamiltonian()
    X = np.random.default_rng(6).uniform(-3, 3, (7, len(c.parameters)))
    with qsim.Objective(c, h, threads=2) as E:
        vals = E.values(X)
        assert np.array_equal(vals, [E(x) for x in X])        # bit for bit
        v2, G = E.values_and_gradients(X, "adjoint")
        assert np.array_equal(v2, vals)
        assert np.array_equal(G, np.array([E.gradient(x) for x in X]))
        assert np.array_equal(qsim.batch_values(c, h, X), vals)
        with pytest.raises(ValueError):
            E.values(np.zeros((3, 2)))


def test_diagonal_objective_state_metric_and_program():
    n = 3
    cost = np.arange(8.0) % 3
    c = qsim.Circuit(n)
    for q in range(n):
        c.h(q)
    c.diagonal_exp(cost, "g")
    for q in range(n):
        c.rx("2*b", q)
    with qsim.Objective(c, -cost) as E:
        x = [0.4, 0.3]
        s = E.state(x)
        assert abs(E(x) - s.expectation(-cost)) < 1e-12
        assert np.abs(s.get_amplitudes() - c.statevector(x)).max() < 1e-14
        g = E.metric(x)
        assert g.shape == (2, 2) and np.allclose(g, g.T) and np.all(np.linalg.eigvalsh(g) > -1e-12)
        prog = E.program
        assert prog.num_params == 2 and prog.parameters == ["g", "b"]
        assert np.abs(prog.simulate(x).get_amplitudes() - s.get_amplitudes()).max() < 1e-14
    with pytest.raises(ValueError):
        qsim.Objective(c, np.ones(4))       # a diagonal needs 2^n values


def test_observable_forms():
    c = qsim.Circuit(2).ry("a", 0).cx(0, 1)
    for obs in ("Z0 Z1", [(1.0, "Z0 Z1")], qsim.Hamiltonian([(1.0, "Z0 Z1")]), [1, -1, -1, 1]):
        with qsim.Objective(c, obs) as E:
            assert abs(E([0.3]) - 1.0) < 1e-12


# ---- optimizers ---------------------------------------------------------------

def rosen(x):
    f = (1 - x[0]) ** 2 + 10 * (x[1] - x[0] ** 2) ** 2
    g = np.array([-2 * (1 - x[0]) - 40 * x[0] * (x[1] - x[0] ** 2), 20 * (x[1] - x[0] ** 2)])
    return f, g


@pytest.mark.parametrize("method,options,maxiter", [
    ("bfgs", {}, 200), ("nelder-mead", {}, 2000), ("adam", {"learning_rate": 0.05}, 4000),
    ("gd", {"learning_rate": 0.01, "momentum": 0.9}, 8000),
    ("spsa", {"a": 0.05, "c": 0.01}, 20000)])
def test_optimizers_minimize_a_python_function(method, options, maxiter):
    fn = (lambda x: rosen(x)[0]) if method in ("nelder-mead", "spsa") else rosen
    r = qsim.minimize(fn, [-1.0, 1.5], method=method, maxiter=maxiter, gtol=1e-8,
                      options=options)
    assert r.optimizer == method and r.iterations > 0
    assert np.abs(r.x - [1, 1]).max() < (0.2 if method == "spsa" else 1e-3), r


def test_optimizer_object_iterate_save_resume():
    c, h = random_circuit(), random_hamiltonian()
    x0 = np.full(len(c.parameters), 0.1)
    E = qsim.Objective(c, h)
    full = qsim.Optimizer("bfgs", E.num_params, maxiter=30, gtol=1e-10).start(E, x0)
    assert full.run() in ("maxiter", "gtol", "no progress")
    part = qsim.Optimizer("bfgs", E.num_params, maxiter=30, gtol=1e-10).start(E, x0)
    for _ in range(5):
        part.iterate()
    ckpt = part.save()
    part.close()
    resumed = qsim.Optimizer("bfgs", E.num_params, maxiter=30, gtol=1e-10).resume(E, ckpt)
    assert resumed.iterations == 5
    resumed.run()
    assert resumed.f == full.f and np.array_equal(resumed.x, full.x)   # bit for bit
    assert full.grad_norm == pytest.approx(np.linalg.norm(full.gradient), rel=1e-12)
    with pytest.raises(ValueError):
        qsim.Optimizer("lbfgs", 2)
    with pytest.raises(qsim.QsimValueError):
        qsim.Optimizer("adam", 2, bogus=1.0)
    with pytest.raises(ValueError):
        qsim.Optimizer("adam", 2).run()
    assert set(qsim.optimizers()) == {"gd", "adam", "spsa", "bfgs", "nelder-mead", "qng"}


def test_qng_uses_the_objective_metric():
    c = qsim.Circuit(2).ry("a", 0).ry("b", 1).cx(0, 1).rx("c", 1)
    r = qsim.minimize(qsim.Objective(c, "Z0 Z1"), [0.1, 0.2, 0.3], method="qng", maxiter=200,
                      options={"learning_rate": 0.2})
    assert r.fun < -0.999 and r.optimizer == "qng"
    r2 = qsim.minimize(lambda x: ((x ** 2).sum(), 2 * x), [1.0, -2.0], method="qng",
                       metric=lambda x: np.eye(2), maxiter=100)
    assert np.abs(r2.x).max() < 1e-3


class Boom(Exception):
    pass


def test_exception_in_the_iteration_callback_propagates():
    c, h = random_circuit(), random_hamiltonian()
    E = qsim.Objective(c, h)
    seen = []

    def cb(it):
        seen.append(it)
        if it.iteration == 3:
            raise Boom("stop at 3")

    opt = qsim.Optimizer("bfgs", E.num_params).start(E, np.zeros(E.num_params))
    with pytest.raises(Boom, match="stop at 3"):
        opt.run(callback=cb)
    assert [it.iteration for it in seen] == [1, 2, 3] and opt.iterations == 3
    assert isinstance(seen[0], qsim.Iteration) and seen[0].x.shape == (E.num_params,)
    # the optimizer stopped cleanly and goes on when asked
    assert opt.run() in ("gtol", "no progress", "maxiter") and opt.iterations > 3
    with pytest.raises(Boom):
        qsim.vqe(shared(H2), callback=lambda it: (_ for _ in ()).throw(Boom("vqe")))
    with pytest.raises(KeyError):
        qsim.qaoa(shared("data/maxcut/3reg_n8.txt"), callback=lambda it: {}["x"])


def test_exception_in_a_python_objective_propagates():
    calls = []

    def f(x):
        calls.append(1)
        if len(calls) == 4:
            raise Boom("in f")
        return rosen(x)

    with pytest.raises(Boom, match="in f"):
        qsim.minimize(f, [0.0, 0.0])
    with pytest.raises(TypeError, match="needs a gradient"):
        qsim.minimize(lambda x: float(x @ x), [1.0, 1.0], method="bfgs")
    with pytest.raises(Boom):        # during set(): the first evaluation
        qsim.minimize(lambda x: (_ for _ in ()).throw(Boom("first")), [1.0], method="adam")


def test_callback_returning_true_stops_the_run():
    r = qsim.minimize(rosen, [-1.0, 1.5], method="adam", maxiter=1000,
                      callback=lambda it: it.iteration >= 7)
    assert r.stop_reason == "callback" and r.iterations == 7


# ---- the models against the data files and the commands ----------------------

def cli_json(qsim_bin, tmp_path, *args):
    out = tmp_path / "out.json"
    subprocess.run([qsim_bin, *args, "--quiet", "--output", str(out)], check=True,
                   capture_output=True, cwd=tmp_path)
    return json.load(open(out))


def test_vqe_h2_reaches_the_exact_energy(tmp_path):
    r = qsim.vqe(shared(H2))
    exact = float(qsim.Hamiltonian.from_file(shared(H2)).header("exact_ground_energy").split()[0])
    assert abs(r.energy - exact) < 1e-10 and abs(r.error) < 1e-10
    assert r.exact_energy == pytest.approx(exact, abs=1e-12)
    assert r.reference_energy == exact and r.num_parameters == 3 and r.stop_reason == "gtol"
    assert r.initial_energy > r.energy
    d = r.as_dict()
    assert d["parameters"] == r.parameters.tolist() and json.dumps(d)


def test_vqe_mirrors_the_command_bit_for_bit(qsim_bin, tmp_path):
    log = tmp_path / "py.log"
    r = qsim.vqe(shared(H2), ansatz="hea:1", seed=7, log=str(log))
    want = cli_json(qsim_bin, tmp_path, "vqe", "--hamiltonian", shared(H2), "--ansatz", "hea:1",
                    "--seed", "7", "--log", str(tmp_path / "cli.log"))
    assert r.energy == want["energy"] and r.iterations == want["iterations"]
    assert r.evaluations == want["evaluations"] and r.parameters.tolist() == want["parameters"]
    assert r.exact_energy == want["exact_energy"] and r.stop_reason == want["stop_reason"]
    py, cli = qsim.read_log(log), qsim.read_log(tmp_path / "cli.log")
    assert len(py) == len(cli) == r.iterations
    for a, b in zip(py, cli):
        assert set(a) == set(b) and a["f"] == b["f"] and a["x"] == b["x"]
        assert a["iter"] == b["iter"] and a["evaluations"] == b["evaluations"]


def test_vqe_ansatz_forms_and_scan(tmp_path):
    h = qsim.Hamiltonian.from_file(shared(H2))
    qasm = tmp_path / "a.qasm"
    qsim.hea(4, 1).write_qasm(qasm)
    for ansatz in (str(qasm), qsim.hea(4, 1)):
        r = qsim.vqe(h, ansatz=ansatz, seed=7, maxiter=300)
        assert abs(r.error) < 1e-6
    r = qsim.vqe(h, grad="shift", optimizer="adam", options={"learning_rate": 0.05},
                 maxiter=300, gtol=1e-5)
    assert abs(r.error) < 1e-6 and r.gradient == "shift"
    with pytest.raises(ValueError):
        qsim.vqe(h, ansatz="nonsense")
    with pytest.raises(ValueError):
        qsim.vqe(h, x0=[0.0])
    scan = qsim.vqe_scan(shared("data/molecules/h2_series"), maxiter=200)
    assert len(scan) == 30 and [r for r, _ in scan] == sorted(r for r, _ in scan)
    assert max(abs(res.error) for _, res in scan) < 1e-8


def test_qaoa_matches_the_graph_file_and_the_command(qsim_bin, tmp_path):
    path = shared("data/maxcut/3reg_n8.txt")
    r = qsim.qaoa(path)
    assert abs(r.expected_cut - r.reference_p1_expected_cut) < 1e-8
    want = cli_json(qsim_bin, tmp_path, "qaoa", "--graph", path)
    assert r.expected_cut == want["expected_cut"] and r.parameters.tolist() == want["parameters"]
    assert r.optimal_cut_probability == pytest.approx(want["optimal_cut_probability"], 1e-12)
    assert [m["bitstring"] for m in r.most_likely] == [m["bitstring"] for m in want["most_likely"]]
    r2 = qsim.qaoa([(0, 1), (1, 2), (2, 3), (3, 0)], layers=2, top=2)
    assert r2.max_cut == 4 and r2.expected_cut > 3.5 and len(r2.most_likely) == 2
    g = qsim.Graph(3, [(0, 1, 2.0), (1, 2)])
    assert g.num_edges == 2 and list(qsim.maxcut_values(g)) == [0, 2, 3, 1, 1, 3, 2, 0]
    c = qsim.qaoa_circuit(3, g.cut_values(), 1)
    assert c.parameters == ["gamma1", "beta1"]
    best, val = qsim.grid_search(qsim.Objective(c, -g.cut_values()), 12, 8)
    assert best.shape == (2,) and val < 0
    assert qsim.interp([0.1, 0.2]).shape == (4,)


def test_classifier_train_predict_and_model_files(qsim_bin, tmp_path):
    tr, te = shared("data/classification/moons_train.csv"), shared(
        "data/classification/moons_test.csv")
    model = tmp_path / "py.model"
    r = qsim.train_classifier(tr, te, model=str(model))
    want = cli_json(qsim_bin, tmp_path, "train", "--train", tr, "--test", te, "--model",
                    str(tmp_path / "cli.model"))
    assert r.train_accuracy == want["train_accuracy"] and r.test_accuracy == want["test_accuracy"]
    assert r.parameters.tolist() == want["parameters"] and r.iterations == want["iterations"]
    assert open(model).read() == open(tmp_path / "cli.model").read()
    p = qsim.predict(str(tmp_path / "cli.model"), te)
    assert p.accuracy == r.test_accuracy and p.probabilities.shape == (60, 2)
    X, y = qsim.read_csv(te)
    m = r.classifier
    assert np.array_equal(m.predict(X), p.predictions)
    assert np.allclose(m.predict_proba(X).sum(axis=1), 1)
    loss, grad = m.loss(X, y, gradient=True)
    assert loss == pytest.approx(m.loss(X, y)) and grad.shape == (m.num_params,)
    m2 = qsim.Classifier(2, 2, layers=1)
    m2.fit_scaling(X)
    m2.params = m2.init_params(3)
    mb = qsim.Minibatch(m2, X, y, batch_size=8, seed=2)
    f, g = mb(m2.params)
    assert mb.step == 1 and g.shape == (m2.num_params,) and f > 0
    res = qsim.minimize(mb, m2.params, method="adam", maxiter=100,
                        options={"learning_rate": 0.05})
    assert res.iterations == 100


def test_quantum_kernel_matches_the_reference_matrix(qsim_bin, tmp_path):
    ref = np.loadtxt(shared("data/classification/iris_angle_kernel_train8.csv"), delimiter=",")
    K = qsim.quantum_kernel(shared("data/classification/iris_train.csv"), limit=8)
    assert np.abs(K - ref).max() < 1e-13
    out = tmp_path / "K.csv"
    subprocess.run([qsim_bin, "kernel", "--train", shared("data/classification/iris_train.csv"),
                    "--map", "zz", "--limit", "5", "--csv", str(out)], check=True)
    Kzz = qsim.quantum_kernel(shared("data/classification/iris_train.csv"), map="zz", limit=5)
    assert np.array_equal(Kzz, np.loadtxt(out, delimiter=","))
    A = qsim.minmax_scale(np.array([[0.0, 1.0], [2.0, 3.0]]))
    assert np.allclose(A, [[0, 0], [math.pi, math.pi]])
    assert np.allclose(np.diag(qsim.kernel_matrix(A)), 1)
    with qsim.Dataset(shared("data/classification/iris_test.csv")) as d:
        assert (d.num_rows, d.num_features, d.num_classes) == (45, 4, 3)
        assert d.X.shape == (45, 4) and set(d.y) == {0, 1, 2}
