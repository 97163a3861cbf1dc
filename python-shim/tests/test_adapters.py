"""The ecosystem adapters, each tested when its package is installed:
a torch layer whose backward pass is the adjoint gradient (a hybrid model
trains end to end with a torch optimizer), a scikit-learn kernel for
SVC(kernel="precomputed"), and matplotlib plots written as PNG files."""

import json
import time

import numpy as np
import pytest

import qsim
from conftest import report, shared


# ---- torch ------------------------------------------------------------------

def reuploading_circuit(layers=2):
    """Two qubits; the inputs x0, x1 are uploaded in every layer between
    trainable rotations (the weights w*)."""
    c = qsim.Circuit(2)
    k = 0
    for _ in range(layers):
        for q in range(2):
            c.ry("x%d" % q, q).ry("w%d" % k, q).rz("w%d" % (k + 1), q)
            k += 2
        c.cz(0, 1)
    return c


def test_torch_function_gradients_match_finite_differences():
    torch = pytest.importorskip("torch")
    c = reuploading_circuit()
    objs = [qsim.Objective(c, "Z0"), qsim.Objective(c, [(0.5, "X0 X1"), (1.0, "Y1")])]
    p = torch.tensor(np.random.default_rng(1).uniform(-2, 2, (3, len(c.parameters))),
                     dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: qsim.QuantumFunction.apply(t, objs, "adjoint"),
                                    (p,), eps=1e-6, atol=1e-6)
    out = qsim.QuantumFunction.apply(p, objs, "adjoint")
    assert out.shape == (3, 2)
    assert abs(out[1, 0].item() - objs[0](p[1].detach().numpy())) < 1e-14
    with torch.no_grad():                  # no gradient wanted: values only
        assert torch.equal(qsim.QuantumFunction.apply(p, objs, "adjoint"), out.detach())
    single = qsim.QuantumFunction.apply(p[0], objs, "shift")
    assert single.shape == (2,)


def test_torch_layer_shapes_and_gradients():
    torch = pytest.importorskip("torch")
    from qsim.torch import QuantumLayer
    c = reuploading_circuit()
    layer = QuantumLayer(c, ["Z0", "Z1"], inputs=["x0", "x1"], seed=3)
    assert layer.weight.shape == (8,) and layer.weight_names == ["w%d" % i for i in range(8)]
    assert layer.num_outputs == 2 and "outputs=2" in repr(layer)
    x = torch.tensor([[0.1, 0.2], [0.3, -0.5]], dtype=torch.float64, requires_grad=True)
    out = layer(x)
    assert out.shape == (2, 2)
    out.sum().backward()
    assert x.grad.shape == (2, 2) and layer.weight.grad.shape == (8,)
    # against the objective's own gradient, parameters in circuit order
    params = dict(zip(layer.weight_names, layer.weight.detach().numpy()))
    params.update(x0=0.1, x1=0.2)
    full = np.array([params[n] for n in c.parameters])
    g = qsim.adjoint(c, "Z0", full) + qsim.adjoint(c, "Z1", full)
    assert abs(x.grad[0, 0].item() - g[c.parameters.index("x0")]) < 1e-12
    assert layer(torch.tensor([0.1, 0.2])).shape == (2,)
    with pytest.raises(ValueError):
        layer(torch.zeros(3, 5))
    with pytest.raises(ValueError):
        QuantumLayer(c, "Z0", inputs=["nope"])
    free = QuantumLayer(qsim.Circuit(1).ry("a", 0), "Z0", weights=[0.0])
    assert abs(free().item() - 1) < 1e-12
    import copy                             # e.g. keeping the best model of a training
    twin = copy.deepcopy(layer)
    del layer
    assert twin(x).shape == (2, 2) and torch.equal(twin(x), out)


def test_torch_hybrid_model_trains_end_to_end():
    torch = pytest.importorskip("torch")
    from qsim.torch import QuantumLayer
    torch.manual_seed(0)
    Xtr, ytr = qsim.read_csv(shared("data/classification/moons_train.csv"))
    Xte, yte = qsim.read_csv(shared("data/classification/moons_test.csv"))
    mean, std = Xtr.mean(0), Xtr.std(0)
    xtr = torch.tensor((Xtr - mean) / std)
    xte = torch.tensor((Xte - mean) / std)
    ttr, tte = torch.tensor(ytr, dtype=torch.long), torch.tensor(yte, dtype=torch.long)

    model = torch.nn.Sequential(
        torch.nn.Linear(2, 2, dtype=torch.float64),            # classical pre-processing
        QuantumLayer(reuploading_circuit(4), ["Z0", "Z1"], inputs=["x0", "x1"], seed=1),
        torch.nn.Linear(2, 2, dtype=torch.float64))            # scores from <Z0>, <Z1>
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    loss_fn = torch.nn.CrossEntropyLoss()
    losses, t0 = [], time.perf_counter()
    epochs = 150
    for _ in range(epochs):                                    # full batch of 140 rows
        opt.zero_grad()
        loss = loss_fn(model(xtr), ttr)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    elapsed = time.perf_counter() - t0
    with torch.no_grad():
        acc_tr = (model(xtr).argmax(1) == ttr).double().mean().item()
        acc_te = (model(xte).argmax(1) == tte).double().mean().item()
    report("torch hybrid model (Linear 2-2, QuantumLayer 2 qubits x 4 layers, Linear 2-2) on "
           "moons, Adam lr 0.05, %d full-batch epochs in %.2f s: loss %.3f -> %.3f, "
           "train accuracy %.4f, test accuracy %.4f"
           % (epochs, elapsed, losses[0], losses[-1], acc_tr, acc_te))
    assert losses[-1] < 0.1 * losses[0]
    assert acc_tr > 0.95 and acc_te > 0.95


# ---- scikit-learn -------------------------------------------------------------

@pytest.mark.parametrize("name", ["iris", "moons", "circles"])
def test_svc_on_the_precomputed_quantum_kernel(name):
    pytest.importorskip("sklearn")
    from sklearn.svm import SVC
    tr = shared("data/classification/%s_train.csv" % name)
    te = shared("data/classification/%s_test.csv" % name)
    _, ytr = qsim.read_csv(tr)
    _, yte = qsim.read_csv(te)
    svc = SVC(kernel="precomputed", C=1).fit(qsim.quantum_kernel(tr), ytr)
    acc = svc.score(qsim.quantum_kernel(tr, te), yte)
    # the data files' angle_kernel_svc_test_acc
    ref = json.load(open(shared("data/classification/results.json")))
    listed = {s["name"]: s["angle_kernel_svc_test_acc"] for s in ref["sets"]}
    assert acc == pytest.approx(listed[name])


def test_quantum_kernel_transformer_in_a_pipeline():
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC
    Xtr, ytr = qsim.read_csv(shared("data/classification/iris_train.csv"))
    Xte, yte = qsim.read_csv(shared("data/classification/iris_test.csv"))
    pipe = make_pipeline(qsim.QuantumKernel(), SVC(kernel="precomputed"))
    assert pipe.fit(Xtr, ytr).score(Xte, yte) == pytest.approx(0.9777777777777777)
    k = qsim.QuantumKernel(map="zz")
    assert clone(k).get_params() == {"map": "zz", "range": k.range, "noise": None}
    assert cross_val_score(make_pipeline(qsim.QuantumKernel(), SVC(kernel="precomputed")),
                           Xtr, ytr, cv=3).mean() > 0.85
    K = qsim.QuantumKernel().fit(Xtr).transform(Xte)
    assert np.array_equal(K, qsim.quantum_kernel(Xtr, Xte))
    svc = SVC(kernel=qsim.QuantumKernel()).fit(Xtr, ytr)      # as a kernel function
    assert svc.score(Xte, yte) > 0.9


# ---- matplotlib -----------------------------------------------------------------

@pytest.fixture
def agg():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt
    yield plt
    plt.close("all")


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_plot_training_curve_from_a_command_log(agg, qsim_bin, tmp_path):
    import subprocess
    log = tmp_path / "vqe.log"
    subprocess.run([qsim_bin, "vqe", "--hamiltonian", shared("data/molecules/h2_sto3g_0.7414.txt"),
                    "--ansatz", "hea:1", "--quiet", "--log", str(log)], check=True,
                   capture_output=True)
    png = tmp_path / "curve.png"
    fig = qsim.plot_training_curve(str(log), path=str(png), reference=-1.1372701746253295)
    assert is_png(png) and png.stat().st_size > 5000
    assert len(fig.axes[0].lines) == 2        # the curve and the reference
    # a scan's log from Python: one line per point
    qlog = tmp_path / "qaoa.log"
    qsim.qaoa(shared("data/maxcut/3reg_n8.txt"), layers=2, log=str(qlog))
    fig = qsim.plot_training_curve(qlog, path=str(tmp_path / "q.png"), key="grad_norm")
    assert len(fig.axes[0].lines) == 2 and is_png(tmp_path / "q.png")
    with pytest.raises(ValueError):
        qsim.plot_training_curve([])


def test_plot_histogram_and_kernel(agg, tmp_path):
    s = qsim.Circuit(3).h(0).cx(0, 1).ry(0.7, 2).simulate()
    png = tmp_path / "hist.png"
    fig = qsim.plot_histogram(s.counts(1000, seed=2), path=str(png), title="GHZ-ish")
    assert is_png(png) and len(fig.axes[0].patches) == 4
    fig = qsim.plot_histogram(s.probabilities(), path=str(tmp_path / "p.png"), top=3,
                              probabilities=True)
    assert len(fig.axes[0].patches) == 3 and is_png(tmp_path / "p.png")
    K = qsim.quantum_kernel(shared("data/classification/iris_train.csv"), limit=10)
    qsim.plot_kernel(K, path=str(tmp_path / "k.png"))
    assert is_png(tmp_path / "k.png")
