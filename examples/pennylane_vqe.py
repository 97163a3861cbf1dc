#!/usr/bin/env python3
"""VQE on H2 (STO-3G, 4 qubits) with PennyLane on the qsim.qubit device.

The Hamiltonian is read with qsim from the shared molecule file (qubit j of
the file is PennyLane wire n-1-j, the device's convention); the ansatz is
every single and double excitation from the Hartree-Fock state, trained by
Adam on adjoint gradients (the library's sweep).  Run from the repository
root in .venv-pl:

    .venv-pl/bin/python examples/pennylane_vqe.py [molecule file] [steps]
"""
import os
import sys

import pennylane as qml
from pennylane import numpy as pnp

import qsim

root = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get("QSIM_SHARED_DIR", os.path.join(root, "..", "..", "shared"))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    shared, "data", "molecules", "h2_sto3g_0.7414.txt")
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 40

h = qsim.Hamiltonian.from_file(path)
n = h.num_qubits
coeffs, ops = [], []
for coef, term in h.terms:
    f = [getattr(qml, t[0])(n - 1 - int(t[1:])) for t in term.split() if t[0] != "I"]
    coeffs.append(coef)
    ops.append(qml.prod(*f) if len(f) > 1 else f[0] if f else qml.Identity(0))
H = qml.Hamiltonian(coeffs, ops)

_, _, hf_index = h.molecule_info()
hf = [(hf_index >> (n - 1 - w)) & 1 for w in range(n)]
occ = [w for w in range(n) if hf[w]]
virt = [w for w in range(n) if not hf[w]]
singles = [[o, v] for o in occ for v in virt]
doubles = [[o1, o2, v1, v2] for i, o1 in enumerate(occ) for o2 in occ[i + 1:]
           for j, v1 in enumerate(virt) for v2 in virt[j + 1:]]

dev = qml.device("qsim.qubit", wires=n)


@qml.qnode(dev, diff_method="adjoint")
def energy(x):
    qml.AllSinglesDoubles(x, wires=range(n), hf_state=pnp.array(hf, requires_grad=False),
                          singles=singles, doubles=doubles)
    return qml.expval(H)


x = pnp.zeros(len(singles) + len(doubles), requires_grad=True)
opt = qml.AdamOptimizer(0.1)
for _ in range(steps):
    x, e = opt.step_and_cost(energy, x)
e = float(energy(x))
exact = h.sector_ground_energy()
print("energy %.6f Ha, exact %.6f Ha, difference %.2e Ha" % (e, exact, e - exact))
