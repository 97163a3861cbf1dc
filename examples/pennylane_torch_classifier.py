#!/usr/bin/env python3
"""A torch QML classifier on the qsim.qubit device: qml.qnn.TorchLayer (4
qubits, angle embedding, 2 entangling layers, adjoint gradients through
the library's sweep) between two linear layers, trained on two
interleaved half-moons made with numpy.

It needs pennylane and torch in one environment.  tools/setup.sh's
.venv-pl has no torch (PyPI's torch wheel brings gigabytes of CUDA), and
.venv's Debian torch cannot load the numpy 2 that PennyLane 0.45 needs,
so this example is not run by tools/test.sh; in an environment with both:

    python examples/pennylane_torch_classifier.py
"""
import numpy as np
import pennylane as qml
import torch

n = 4
dev = qml.device("qsim.qubit", wires=n)


@qml.qnode(dev, interface="torch", diff_method="adjoint")
def circuit(inputs, weights):
    qml.AngleEmbedding(inputs, wires=range(n))
    qml.BasicEntanglerLayers(weights, wires=range(n), rotation=qml.RY)
    return [qml.expval(qml.Z(w)) for w in range(n)]


def moons(count, rng):
    t = rng.uniform(0, np.pi, count)
    label = rng.integers(0, 2, count)
    x = np.where(label[:, None] == 0, np.c_[np.cos(t), np.sin(t)],
                 np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return x + rng.normal(0, 0.1, x.shape), label


rng = np.random.default_rng(0)
x, y = moons(200, rng)
x, y = torch.tensor(x, dtype=torch.float64), torch.tensor(y)
model = torch.nn.Sequential(
    torch.nn.Linear(2, n, dtype=torch.float64),
    qml.qnn.TorchLayer(circuit, {"weights": (2, n)}),
    torch.nn.Linear(n, 2, dtype=torch.float64))
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(30):
    for i in range(0, len(x), 20):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x[i:i + 20]), y[i:i + 20])
        loss.backward()
        opt.step()
acc = (model(x).argmax(1) == y).double().mean().item()
print("train accuracy %.3f" % acc)
