#!/usr/bin/env python3
"""peers.py - the qsim_bench workloads through the simulators we race.

Run by hand, not in CI.  Peers are used when importable: qulacs,
qiskit-aer, pennylane-lightning (its C++ state-vector ops, no device
layer), qsimcirq.  Install them in a virtual environment of their own,
e.g.

    /usr/bin/python3 -m venv /work/venv-peers
    /work/venv-peers/bin/pip install numpy qulacs qiskit qiskit-aer \\
        pennylane-lightning qsimcirq
    /work/venv-peers/bin/python bench/peers.py --qubits 24,26
    OMP_NUM_THREADS=2 /work/venv-peers/bin/python bench/peers.py --interleave \
        --threads 2 --qubits 24,26

For each thread count it runs our bench/qsim_bench (same workloads,
precision and threads, --json) and, in a child process with
OMP_NUM_THREADS set, every peer; then prints, per workload, our time per
gate (or per call), the best peer's, and our time / best peer time (< 1:
we are ahead).  Peers apply the same gates one by one with their own
fusion turned off where they have the option (qiskit-aer
fusion_enable=False, qsimcirq max_fused_gate_size=1); qiskit-aer and
qsimcirq run whole circuits, so the time of an empty circuit (state set-up
and hand-back) is subtracted, and the gates are repeated CIRCUIT_REPS times
so that they outweigh that overhead (their figures are still the noisiest).  qulacs runs double precision only,
qsimcirq single only.  qft_fftw has no peer counterpart.

--interleave gives the fairest figures on a shared machine: ours (through
ctypes on .libs/libqsim.so), qulacs and lightning sample the same gate
list in turn in one process, so a change of load hits all of them.

Honesty rules.  Without --interleave, --rounds rounds each run ours and
then every peer in turn, and each figure is the median over the rounds
with its [min-max] range; a winner is named only where the ranges do
not overlap.  A peer's time per gate below the memory bound (the share of
one pass over the state that the gate must read and write, one pass
being qsim_bench's vectorised in-place read+write) on a state over 64 MiB
means it did less work than asked and is flagged '<bound', never ranked.  qsimcirq merges
consecutive one-qubit gates on a qubit even with max_fused_gate_size=1,
so it starts from |+...+> given as its initial state (no H layer to
merge into) and runs blocks of one-qubit gates once.  Each peer runs in a
child process that may spend at most --setup-limit seconds on one
configuration (qulacs' circuit optimiser did not finish a 26-qubit
circuit in 8 minutes); its set-up time (building, optimising, warm-up)
is reported apart from its run time.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHOTS = 10**6
CIRCUIT_REPS = 4   # gate blocks per circuit for the circuit-based peers


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


class Rand:
    """The bench's xorshift, so that random pairs and layers match."""

    def __init__(self, seed):
        self.s = seed & (2**64 - 1)

    def next(self):
        s = self.s
        s ^= (s << 13) & (2**64 - 1)
        s ^= s >> 7
        s ^= (s << 17) & (2**64 - 1)
        self.s = s
        return s

    def uniform(self):
        return (self.next() >> 11) * 2.0**-53


def random_unitary(seed):
    import numpy as np
    r = Rand(seed)
    a = np.array([[r.uniform() - 0.5 + 1j * (r.uniform() - 0.5) for _ in range(4)]
                  for _ in range(4)])
    q, _ = np.linalg.qr(a)
    return q


# Each workload: a list of gates (name, qubits, params), as the bench has
# them; gates per sample; peers translate the names.
def gates_of(work, n):
    g = []
    if work == "h":
        g = [("h", [q], []) for q in range(n)]
    elif work == "rx":
        g = [("rx", [q], [0.3]) for q in range(n)]
    elif work in ("cnot", "cz", "cp"):
        name = {"cnot": "cx", "cz": "cz", "cp": "cp"}[work]
        g = [(name, [q, q + 1], [0.7] if work == "cp" else []) for q in range(n - 1)]
    elif work == "u2_random":
        r = Rand(12345)
        for _ in range(n):
            a = int(r.uniform() * n)
            b = a
            while b == a:
                b = int(r.uniform() * n)
            g.append(("u2", [a, b], []))
    elif work == "c3x":
        g = [("c3x", [(t + 1) % n, (t + 2) % n, (t + 3) % n, t], []) for t in range(n)]
    elif work == "pauli6_rot":
        step = n // 6
        g = [("pauli", [(r + k * step) % n for k in range(6)], [0.8]) for r in range(n)]
    elif work == "qft_gates":
        # the first two stages (H on qubit j and its controlled phases), as
        # qsim_bench times the QFT stage by stage on large states
        for j in range(n - 1, n - 3, -1):
            g.append(("h", [j], []))
            for k in range(j - 1, -1, -1):
                g.append(("cp", [k, j], [math.pi / 2**(j - k)]))
    elif work in ("random_d20", "random_d20_fused"):
        for layer in range(20):
            r = Rand(99 + 7919 * layer)
            for q in range(n):
                t = 2 * math.pi * r.uniform()
                g.append((["rx", "ry", "rz"][r.next() % 3], [q], [t]))
            for q in range(layer % 2, n - 1, 2):
                g.append(("cz", [q, q + 1], []))
    return g


GATE_WORK = ["h", "rx", "cnot", "cz", "cp", "u2_random", "c3x", "pauli6_rot", "qft_gates",
             "random_d20"]
# Whole circuits with every peer's own fusion on (lightning has none: gate
# by gate), and the 20-qubit, 100-parameter adjoint gradient of
# qsim_bench's grad_adjoint (qulacs' backprop, lightning's adjoint
# Jacobian through PennyLane).
FUSED_WORK = ["random_d20_fused", "grad_adjoint"]
# A VQE step (value and adjoint gradient) on 4, 8 or 12 qubits, where the
# per-call overhead is the cost: ours from C (qsim_bench) and from Python
# (the qsim package, peer "qsim-python"), qulacs and lightning from theirs.
SMALL_WORK = ["vqe_small"]
# Density matrices (qsim_bench's dm12_* at n = 24: rho of 12 qubits, as
# many amplitudes as the 24-qubit state): amplitude damping on each qubit,
# and 10 layers of rotations, cz + 2-qubit depolarizing, amplitude damping
# on every qubit, against Aer's density_matrix method (fusion on for
# _fused, off for _plain); dm12_traj: 100 trajectories of that circuit
# (Aer's statevector method with the noise, one shot each).
DM_WORK = ["dm12_channel", "dm12_noisy_fused", "dm12_noisy_plain"]
# Trajectories of that noisy circuit on n/2 qubits (any n): time per
# trajectory, 100 a sample; Aer's statevector method with the errors as
# instructions (shots = trajectories; amplitude damping is not a mixed
# unitary, so every shot runs its own trajectory), qsimcirq's run() with
# cirq channels (repetitions = trajectories; cirq's 2-qubit depolarize(p)
# spreads p over the 15 non-identity Paulis, Aer's over all 16, so
# p_cirq = 15/16 p_aer).
TRAJ_WORK = ["traj_noisy"]
TRAJ_PER_SAMPLE = 100
ALL_WORK = (GATE_WORK + ["expect_zz_x", "sample_1e6"] + FUSED_WORK + DM_WORK + TRAJ_WORK
            + SMALL_WORK)
GRAD_QUBITS, GRAD_PARAMS = 20, 100


def observable_terms(n):
    t = []
    for q in range(n):
        t.append((0.5 + 0.01 * q, [("Z", q), ("Z", (q + 1) % n)]))
        t.append((-0.3 - 0.01 * q, [("X", q)]))
    return t


SAMPLED = [0.0]   # time spent in timed samples: the rest of a peer's call is set-up


def timed(fn, repeats, budget=2.0):
    fn()   # warm-up
    ts, start = [], time.perf_counter()
    while len(ts) < repeats and (not ts or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    SAMPLED[0] += sum(ts)
    return median(ts)


# The fraction of the amplitudes a gate of the workload must read and
# write (cnot moves half of them, cz and cp change a quarter, c3x an
# eighth): a time per gate below that fraction of one pass over memory
# means the peer did less work than asked (merged gates) and is flagged,
# not ranked.  Fused workloads have no such bound.
MEMORY_FRACTION = {"h": 1.0, "rx": 1.0, "u2_random": 1.0, "pauli6_rot": 1.0, "cnot": 0.5,
                   "cz": 0.25, "cp": 0.25, "c3x": 0.125, "qft_gates": 0.25, "random_d20": 0.75}


def below_bound(work, per_op, pass_s, n, single):
    """Only for states over 64 MiB: smaller ones sit in cache, where one
    thread without a fork can beat a two-thread pass honestly."""
    f = MEMORY_FRACTION.get(work)
    big = (8 if single else 16) << n > 64 << 20
    return big and f is not None and bool(pass_s) and per_op < 0.9 * f * pass_s


def reps_for(work, n):
    """Repeats of the gate block in a circuit.  qsimcirq multiplies
    consecutive one-qubit gates on a qubit together even with
    max_fused_gate_size=1, so workloads with one-qubit gates run their
    block once (each qubit sees each gate once: nothing to merge)."""
    return 1 if any(len(q) == 1 for _, q, _ in gates_of(work, n)) else CIRCUIT_REPS


# ---- peers -------------------------------------------------------------------

def grad_hamiltonian():
    """qsim_bench's grad_* Hamiltonian: sum Z_i Z_i+1 + 0.7 sum X_i."""
    n = GRAD_QUBITS
    return ([(1.0, [("Z", j), ("Z", j + 1)]) for j in range(n - 1)] +
            [(0.7, [("X", j)]) for j in range(n)])


def grad_x():
    return [0.1 * (k % 7) - 0.3 for k in range(GRAD_PARAMS)]


def qulacs_grad(repeats):
    """One adjoint gradient (qulacs' backprop) of qsim_bench's problem."""
    from qulacs import Observable, ParametricQuantumCircuit
    n = GRAD_QUBITS
    c = ParametricQuantumCircuit(n)
    for k, t in enumerate(grad_x()):
        q = k % n
        c.add_parametric_RY_gate(q, t)
        if q == n - 1:
            for j in range(n - 1):
                c.add_CNOT_gate(j, j + 1)
    obs = Observable(n)
    for coef, ps in grad_hamiltonian():
        obs.add_operator(coef, " ".join(f"{p} {q}" for p, q in ps))
    return timed(lambda: c.backprop(obs), repeats)


def lightning_grad(single, repeats):
    """One adjoint gradient through PennyLane's lightning.qubit (its C++
    adjoint Jacobian), PennyLane's own overhead included."""
    import pennylane as qml
    from pennylane import numpy as pnp
    n = GRAD_QUBITS
    dev = qml.device("lightning.qubit", wires=n, c_dtype=pnp.complex64 if single
                     else pnp.complex128)
    coeffs, obs = [], []
    for coef, ps in grad_hamiltonian():
        coeffs.append(coef)
        o = [qml.PauliZ(q) if p == "Z" else qml.PauliX(q) for p, q in ps]
        obs.append(o[0] if len(o) == 1 else o[0] @ o[1])
    H = qml.Hamiltonian(coeffs, obs)

    @qml.qnode(dev, diff_method="adjoint")
    def energy(x):
        for k in range(GRAD_PARAMS):
            q = k % n
            qml.RY(x[k], wires=q)
            if q == n - 1:
                for j in range(n - 1):
                    qml.CNOT(wires=[j, j + 1])
        return qml.expval(H)

    x = pnp.array(grad_x(), requires_grad=True)
    g = qml.grad(energy)
    g(x)   # warm-up
    return timed(lambda: g(x), repeats)


def vqe_ansatz(n):
    """qsim_bench's vqe_small: 3 layers of ry and rz on every qubit then a cz
    chain; (gate, qubit, parameter index) and the starting values."""
    ops, k = [], 0
    for _ in range(3):
        for q in range(n):
            for g in ("ry", "rz"):
                ops.append((g, q, k))
                k += 1
        for q in range(n - 1):
            ops.append(("cz", q, None))
    return ops, [0.1 * (i % 5) - 0.2 for i in range(k)]


def vqe_terms(n):
    return ([(1.0, [("Z", j), ("Z", j + 1)]) for j in range(n - 1)] +
            [(0.7, [("X", j)]) for j in range(n)])


def timed_iters(step, repeats):
    """Time per call of step(), in batches long enough to time."""
    t0, k = time.perf_counter(), 0
    while time.perf_counter() - t0 < 0.05:
        step()
        k += 1
    return timed(lambda: [step() for _ in range(k)], repeats) / k


def qulacs_vqe(n, repeats):
    from qulacs import Observable, ParametricQuantumCircuit, QuantumState
    ops, x = vqe_ansatz(n)
    c = ParametricQuantumCircuit(n)
    for g, q, _ in ops:
        if g == "cz":
            c.add_CZ_gate(q, q + 1)
        else:
            getattr(c, "add_parametric_" + g.upper() + "_gate")(q, 0.0)
    obs = Observable(n)
    for coef, ps in vqe_terms(n):
        obs.add_operator(coef, " ".join(f"{p} {q}" for p, q in ps))
    st = QuantumState(n)
    x = list(x)

    def step():
        for i in range(len(x)):
            x[i] += 1e-3
            c.set_parameter(i, x[i])
        st.set_zero_state()
        c.update_quantum_state(st)
        obs.get_expectation_value(st)
        c.backprop(obs)
    return timed_iters(step, repeats)


def lightning_vqe(n, single, repeats):
    import pennylane as qml
    from pennylane import numpy as pnp
    ops, x0 = vqe_ansatz(n)
    dev = qml.device("lightning.qubit", wires=n, c_dtype=pnp.complex64 if single
                     else pnp.complex128)
    H = qml.Hamiltonian([c for c, _ in vqe_terms(n)],
                        [qml.PauliZ(ps[0][1]) @ qml.PauliZ(ps[1][1]) if len(ps) == 2
                         else qml.PauliX(ps[0][1]) for _, ps in vqe_terms(n)])

    @qml.qnode(dev, diff_method="adjoint")
    def energy(x):
        for g, q, k in ops:
            if g == "cz":
                qml.CZ(wires=[q, q + 1])
            else:
                (qml.RY if g == "ry" else qml.RZ)(x[k], wires=q)
        return qml.expval(H)

    x = pnp.array(x0, requires_grad=True)
    vg = qml.grad(energy)   # PennyLane runs the forward pass inside

    def step():
        nonlocal x
        x = x + 1e-3
        vg(x)
    return timed_iters(step, repeats)


def qsim_python_vqe(n, single, repeats):
    sys.path.insert(0, os.path.join(HERE, "..", "python-shim"))
    import numpy as np
    import qsim
    if single:
        return None
    ops, x0 = vqe_ansatz(n)
    c = qsim.Circuit(n)
    for g, q, k in ops:
        if g == "cz":
            c.append("cz", [q, q + 1])
        else:
            c.append(g, [q], (f"t{k}",))
    obj = qsim.Objective(c, [(coef, " ".join(f"{p}{q}" for p, q in ps))
                             for coef, ps in vqe_terms(n)])
    x = np.array(x0)

    def step():
        nonlocal x
        x = x + 1e-3
        obj.value_and_gradient(x)
    return timed_iters(step, repeats)


def run_qsim_python(work, n, single, repeats, threads):
    return qsim_python_vqe(n, single, repeats) if work == "vqe_small" else None


def run_qulacs(work, n, single, repeats):
    if work == "vqe_small":
        return None if single else qulacs_vqe(n, repeats)
    if single or work in DM_WORK + TRAJ_WORK:
        return None
    import numpy as np
    from qulacs import Observable, QuantumState
    from qulacs import gate as G
    st = QuantumState(n)
    st.set_zero_state()
    for q in range(n):
        G.H(q).update_quantum_state(st)
    if work == "expect_zz_x":
        obs = Observable(n)
        for c, ps in observable_terms(n):
            obs.add_operator(c, " ".join(f"{p} {q}" for p, q in ps))
        return timed(lambda: obs.get_expectation_value(st), repeats)
    if work == "sample_1e6":
        return timed(lambda: st.sampling(SHOTS), repeats)
    if work == "grad_adjoint":
        return qulacs_grad(repeats)
    if work == "random_d20_fused":
        from qulacs import QuantumCircuit
        from qulacs.circuit import QuantumCircuitOptimizer
        gl = gates_of(work, n)
        best = None
        for block in (2, 3, 4):   # its best block size, whichever it is
            c = QuantumCircuit(n)
            for name, q, p in gl:
                if name == "cz":
                    c.add_CZ_gate(q[0], q[1])
                else:
                    # qulacs' rotations take the opposite sign: same cost
                    getattr(c, "add_" + name.upper() + "_gate")(q[0], p[0])
            QuantumCircuitOptimizer().optimize(c, block)
            t = timed(lambda: c.update_quantum_state(st), repeats) / len(gl)
            best = t if best is None else min(best, t)
        return best
    U = random_unitary(4242)

    def ctl(g, cs):
        m = G.to_matrix_gate(g)
        for c in cs:
            m.add_control_qubit(c, 1)
        return m

    built = []
    for name, q, p in gates_of(work, n):
        if name == "h":
            built.append(G.H(q[0]))
        elif name in ("rx", "ry", "rz"):
            built.append({"rx": G.RX, "ry": G.RY, "rz": G.RZ}[name](q[0], p[0]))
        elif name == "cx":
            built.append(G.CNOT(q[0], q[1]))
        elif name == "cz":
            built.append(G.CZ(q[0], q[1]))
        elif name == "cp":
            built.append(ctl(G.U1(q[1], p[0]), [q[0]]))
        elif name == "swap":
            built.append(G.SWAP(q[0], q[1]))
        elif name == "u2":
            built.append(G.DenseMatrix(q, U))
        elif name == "c3x":
            built.append(ctl(G.X(q[3]), q[:3]))
        elif name == "pauli":
            built.append(G.PauliRotation(q, [1, 2, 3, 1, 2, 3], p[0]))
    per = max(1, len(built) // 20) if work == "random_d20" else len(built)
    chunk = built[:per]

    def go():
        for g in chunk:
            g.update_quantum_state(st)
    if repeats is None:
        return go, per, st
    return timed(go, repeats) / per


def run_lightning(work, n, single, repeats):
    if work == "vqe_small":
        return lightning_vqe(n, single, repeats)
    if work in DM_WORK + TRAJ_WORK:
        return None
    import numpy as np
    import pennylane_lightning.lightning_qubit_ops as lo
    SV = lo.StateVectorC64 if single else lo.StateVectorC128
    Meas = lo.MeasurementsC64 if single else lo.MeasurementsC128
    ob = lo.observables
    NamedObs = ob.NamedObsC64 if single else ob.NamedObsC128
    Tensor = ob.TensorProdObsC64 if single else ob.TensorProdObsC128
    Ham = ob.HamiltonianC64 if single else ob.HamiltonianC128
    cdt = np.complex64 if single else np.complex128
    sv = SV(n)
    sv.resetStateVector()
    for q in range(n):
        sv.Hadamard([q], False, [])
    if work == "expect_zz_x":
        names = {"X": "PauliX", "Z": "PauliZ"}
        obs = [Tensor([NamedObs(names[p], [q]) for p, q in ps]) if len(ps) > 1
               else NamedObs(names[ps[0][0]], [ps[0][1]]) for _, ps in observable_terms(n)]
        H = Ham([c for c, _ in observable_terms(n)], obs)
        m = Meas(sv)
        return timed(lambda: m.expval(H), repeats)
    if work == "sample_1e6":
        m = Meas(sv)
        return timed(lambda: m.generate_samples(n, SHOTS), repeats)
    if work == "grad_adjoint":
        return lightning_grad(single, repeats)
    U = np.ascontiguousarray(random_unitary(4242).astype(cdt)).ravel()
    X = np.array([0, 1, 1, 0], dtype=cdt)
    ops = []
    for name, q, p in gates_of(work, n):
        if name == "h":
            ops.append((sv.Hadamard, (q, False, [])))
        elif name in ("rx", "ry", "rz"):
            ops.append(({"rx": sv.RX, "ry": sv.RY, "rz": sv.RZ}[name], (q, False, p)))
        elif name == "cx":
            ops.append((sv.CNOT, (q, False, [])))
        elif name == "cz":
            ops.append((sv.CZ, (q, False, [])))
        elif name == "cp":
            ops.append((sv.ControlledPhaseShift, (q, False, p)))
        elif name == "swap":
            ops.append((sv.SWAP, (q, False, [])))
        elif name == "u2":
            ops.append((sv.applyMatrix, (U, q, False)))
        elif name == "c3x":
            ops.append((sv.applyControlledMatrix, (X, q[:3], [True] * 3, q[3:], False)))
        elif name == "pauli":
            ops.append((sv.applyPauliRot, (q, False, p, "XYZXYZ")))
    per = max(1, len(ops) // 20) if work == "random_d20" else len(ops)
    if work == "random_d20_fused" and repeats is not None:
        def whole():
            for f, a in ops:
                f(*a)
        return timed(whole, repeats) / len(ops)
    chunk = ops[:per]

    def go():
        for f, a in chunk:
            f(*a)
    if repeats is None:
        return go, per, sv
    return timed(go, repeats) / per


def qiskit_circuit(work, n, with_gates=True):
    from qiskit import QuantumCircuit
    from qiskit.circuit.library import PauliEvolutionGate
    from qiskit.quantum_info import Operator, SparsePauliOp
    c = QuantumCircuit(n)
    c.h(range(n))
    gates = gates_of(work, n) if with_gates else []
    if work == "random_d20":
        gates = gates[:max(1, len(gates) // 20)] if with_gates else []
    if work != "random_d20_fused":
        gates = gates * CIRCUIT_REPS
    U = Operator(random_unitary(4242))
    for name, q, p in gates:
        if name in ("h", "rx", "ry", "rz", "cx", "cz", "cp", "swap"):
            getattr(c, name)(*p, *q)
        elif name == "u2":
            c.unitary(U, q)
        elif name == "c3x":
            c.mcx(q[:3], q[3])
        elif name == "pauli":
            # qiskit orders the label from the highest qubit down
            c.append(PauliEvolutionGate(SparsePauliOp("ZYXZYX"), time=p[0] / 2), q)
    return c, len(gates)


def noisy_circuit(m, channel_only=False):
    """qsim_bench's noisy circuit on m qubits with Aer's errors as
    instructions (the same operations); returns (circuit, ops)."""
    from qiskit import QuantumCircuit
    from qiskit_aer.noise import amplitude_damping_error, depolarizing_error
    c, ops = QuantumCircuit(m), 0
    ad, dp = amplitude_damping_error(0.01), depolarizing_error(0.01, 2)
    if channel_only:
        for q in range(m):
            c.append(ad.to_instruction(), [q])
        return c, m
    rnd = Rand(99)
    for layer in range(10):
        for q in range(m):
            getattr(c, ("rx", "ry", "rz")[rnd.next() % 3])(2 * math.pi * rnd.uniform(), q)
            ops += 1
        for q in range(layer % 2, m - 1, 2):
            c.cz(q, q + 1)
            c.append(dp.to_instruction(), [q, q + 1])
            ops += 2
        for q in range(m):
            c.append(ad.to_instruction(), [q])
            ops += 1
    return c, ops


def run_aer_dm(work, n, single, repeats, threads):
    from qiskit import QuantumCircuit
    from qiskit_aer import AerSimulator
    if n != 24:
        return None
    m = n // 2
    sim = AerSimulator(method="density_matrix", precision="single" if single else "double",
                       max_parallel_threads=threads, fusion_enable=work.endswith("fused"))
    circ, ops = noisy_circuit(m, work == "dm12_channel")
    circ.save_probabilities()
    base = QuantumCircuit(m)
    base.save_probabilities()
    run = lambda c: sim.run(c).result().results[0].time_taken
    t, b = timed(lambda: run(circ), repeats), timed(lambda: run(base), repeats)
    return max(t - b, 0.0) / ops


def run_aer_traj(n, single, repeats, threads):
    from qiskit import QuantumCircuit
    from qiskit_aer import AerSimulator
    m = n // 2
    sim = AerSimulator(method="statevector", precision="single" if single else "double",
                       max_parallel_threads=threads, max_parallel_shots=1)
    circ, _ = noisy_circuit(m)
    circ.measure_all()
    base = QuantumCircuit(m)
    base.measure_all()
    run = lambda c: sim.run(c, shots=TRAJ_PER_SAMPLE).result().results[0].time_taken
    t, b = timed(lambda: run(circ), repeats), timed(lambda: run(base), repeats)
    return max(t - b, 0.0) / TRAJ_PER_SAMPLE


def run_aer(work, n, single, repeats, threads):
    from qiskit import transpile
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_aer import AerSimulator
    if work in DM_WORK:
        return run_aer_dm(work, n, single, repeats, threads)
    if work in TRAJ_WORK:
        return run_aer_traj(n, single, repeats, threads)
    if work in ("grad_adjoint", "vqe_small"):
        return None
    fused = work == "random_d20_fused"
    sim = AerSimulator(method="statevector", precision="single" if single else "double",
                       max_parallel_threads=threads, fusion_enable=fused)

    def run(circ, shots=0):
        r = sim.run(circ, shots=shots).result()
        return r.results[0].time_taken

    base, _ = qiskit_circuit(work, n, False)
    if work == "expect_zz_x":
        labels = []
        for c, ps in observable_terms(n):
            s = ["I"] * n
            for p, q in ps:
                s[n - 1 - q] = p
            labels.append(("".join(s), c))
        c2 = base.copy()
        c2.save_expectation_value(SparsePauliOp.from_list(labels), range(n))
        b2 = base.copy()
        b2.save_statevector()
        e, b = timed(lambda: run(c2), repeats), timed(lambda: run(b2), repeats)
        return max(e - b, 0.0)
    if work == "sample_1e6":
        c2 = base.copy()
        c2.measure_all()
        b2 = base.copy()
        b2.save_statevector()
        e, b = timed(lambda: run(c2, SHOTS), repeats), timed(lambda: run(b2), repeats)
        return max(e - b, 0.0)
    circ, ng = qiskit_circuit(work, n)
    circ = transpile(circ, sim, optimization_level=0)
    circ.save_statevector()
    b2 = base.copy()
    b2.save_statevector()
    t, b = timed(lambda: run(circ), repeats), timed(lambda: run(b2), repeats)
    return max(t - b, 0.0) / ng


def uniform_state(n):
    import numpy as np
    return np.full(1 << n, 2.0**(-n / 2), dtype=np.complex64)


def run_qsimcirq_fused(work, n, repeats, threads, fuse):
    import cirq
    import qsimcirq
    qs = cirq.LineQubit.range(n)
    sim = qsimcirq.QSimSimulator(qsimcirq.QSimOptions(cpu_threads=threads,
                                                      max_fused_gate_size=fuse))
    gl = gates_of(work, n)
    ops = []
    for name, q, p in gl:
        t = [qs[i] for i in q]
        if name == "cz":
            ops.append(cirq.CZ(*t))
        else:
            ops.append({"rx": cirq.rx, "ry": cirq.ry, "rz": cirq.rz}[name](p[0])(*t))
    # from |+...+> given as the initial state (an H layer in the circuit
    # would be fused into the first rotations: less work than ours)
    psi = uniform_state(n)
    c, b = cirq.Circuit(ops), cirq.Circuit([cirq.I(q) for q in qs])
    t = timed(lambda: sim.simulate(c, qubit_order=qs, initial_state=psi), repeats)
    t0 = timed(lambda: sim.simulate(b, qubit_order=qs, initial_state=psi), repeats)
    return max(t - t0, 0.0) / len(gl)


def run_qsimcirq_traj(n, repeats, threads):
    """The noisy circuit of noisy_circuit() in cirq, TRAJ_PER_SAMPLE
    trajectories by run() (one measured repetition each)."""
    import cirq
    import qsimcirq
    m = n // 2
    qs = cirq.LineQubit.range(m)
    sim = qsimcirq.QSimSimulator(qsimcirq.QSimOptions(cpu_threads=threads))
    ad, dp = cirq.amplitude_damp(0.01), cirq.depolarize(0.01 * 15 / 16, n_qubits=2)
    rnd, ops = Rand(99), []
    for layer in range(10):
        for q in range(m):
            g = ("rx", "ry", "rz")[rnd.next() % 3]
            ops.append(getattr(cirq, g)(2 * math.pi * rnd.uniform())(qs[q]))
        for q in range(layer % 2, m - 1, 2):
            ops += [cirq.CZ(qs[q], qs[q + 1]), dp(qs[q], qs[q + 1])]
        ops += [ad(q) for q in qs]
    c = cirq.Circuit(ops) + cirq.Circuit(cirq.measure(*qs, key="m"))
    b = cirq.Circuit([cirq.I(q) for q in qs]) + cirq.Circuit(cirq.measure(*qs, key="m"))
    t = timed(lambda: sim.run(c, repetitions=TRAJ_PER_SAMPLE), repeats)
    t0 = timed(lambda: sim.run(b, repetitions=TRAJ_PER_SAMPLE), repeats)
    return max(t - t0, 0.0) / TRAJ_PER_SAMPLE


def run_qsimcirq(work, n, single, repeats, threads):
    if work in TRAJ_WORK:   # qsimcirq computes in single precision only
        return run_qsimcirq_traj(n, repeats, threads) if single else None
    if not single or work in ["expect_zz_x", "sample_1e6", "grad_adjoint", "vqe_small"] + DM_WORK:
        return None
    import cirq
    import numpy as np
    import qsimcirq
    qs = cirq.LineQubit.range(n)
    if work == "random_d20_fused":   # its best fusion size, whichever it is
        return min(run_qsimcirq_fused(work, n, repeats, threads, k) for k in (2, 3, 4))
    sim = qsimcirq.QSimSimulator(qsimcirq.QSimOptions(cpu_threads=threads, max_fused_gate_size=1))
    U = random_unitary(4242)

    def circuit(with_gates):
        ops = [cirq.I(q) for q in qs]
        gates = gates_of(work, n) if with_gates else []
        if work == "random_d20":
            gates = gates[:max(1, len(gates) // 20)] if with_gates else []
        gates = gates * reps_for(work, n)
        for name, q, p in gates:
            t = [qs[i] for i in q]
            if name == "h":
                ops.append(cirq.H(*t))
            elif name in ("rx", "ry", "rz"):
                ops.append({"rx": cirq.rx, "ry": cirq.ry, "rz": cirq.rz}[name](p[0])(*t))
            elif name == "cx":
                ops.append(cirq.CNOT(*t))
            elif name == "cz":
                ops.append(cirq.CZ(*t))
            elif name == "cp":
                ops.append(cirq.CZPowGate(exponent=p[0] / math.pi)(*t))
            elif name == "swap":
                ops.append(cirq.SWAP(*t))
            elif name == "u2":
                ops.append(cirq.MatrixGate(U)(t[1], t[0]))
            elif name == "c3x":
                ops.append(cirq.X(t[3]).controlled_by(*t[:3]))
            elif name == "pauli":
                ps = cirq.X(t[0]) * cirq.Y(t[1]) * cirq.Z(t[2]) * cirq.X(t[3]) * cirq.Y(t[4]) * cirq.Z(t[5])
                ops.append(cirq.PauliStringPhasor(ps, exponent_neg=p[0] / math.pi / 2,
                                                  exponent_pos=-p[0] / math.pi / 2))
        return cirq.Circuit(ops), len(gates)

    c, ng = circuit(True)
    b, _ = circuit(False)
    psi = uniform_state(n)   # not an H layer, which would merge with the gates
    t = timed(lambda: sim.simulate(c, qubit_order=qs, initial_state=psi), repeats)
    t0 = timed(lambda: sim.simulate(b, qubit_order=qs, initial_state=psi), repeats)
    return max(t - t0, 0.0) / ng


def run_ours(work, n, single, threads):
    """A sampler of the same gate list through libqsim (ctypes)."""
    import ctypes as C
    import numpy as np
    lib = C.CDLL(os.path.join(HERE, "..", ".libs", "libqsim.so"))
    lib.qs_set_num_threads(threads)
    st = C.c_void_p()
    if lib.qs_state_create(n, 1 if single else 0, C.byref(st)):
        raise RuntimeError("qs_state_create failed")
    lib.qs_state_set_uniform(st)
    U = np.ascontiguousarray(random_unitary(4242)).view(np.float64)
    ids = {}
    for name in ("h", "rx", "ry", "rz", "cx", "cz", "cp", "swap", "c3x"):
        g = C.c_int()
        lib.qs_gate_lookup(name.encode(), C.byref(g))
        ids[name] = g.value
    calls = []
    for name, q, p in gates_of(work, n):
        qa = (C.c_int * len(q))(*q)
        pa = (C.c_double * max(1, len(p)))(*(p or [0.0]))
        if name == "u2":
            calls.append((lib.qs_state_apply_matrix,
                          (st, qa, 2, None, None, 0, U.ctypes.data_as(C.POINTER(C.c_double)))))
        elif name == "pauli":
            lib.qs_state_apply_pauli_rotation.argtypes = [C.c_void_p, C.c_void_p, C.c_char_p,
                                                          C.c_int, C.c_double]
            calls.append((lib.qs_state_apply_pauli_rotation, (st, qa, b"XYZXYZ", 6, p[0])))
        else:
            calls.append((lib.qs_state_apply_gate, (st, ids[name], qa, pa)))
    per = max(1, len(calls) // 20) if work == "random_d20" else len(calls)
    chunk = calls[:per]

    def go():
        for f, a in chunk:
            f(*a)
    return go, per, (lib, st, U)


def interleaved(args):
    """Ours, qulacs and lightning sampled in turn on the same workload, so
    that a changing load on a shared machine hits all of them alike."""
    threads = int(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    # Every wheel bundles its own libgomp: with the default wait policy the
    # idle threads of one runtime spin after its parallel regions and take
    # the cores from whichever simulator samples next.
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    makers = {"ours": lambda w, n, s: run_ours(w, n, s, threads)}
    for name, module, fn in (("qulacs", "qulacs", run_qulacs),
                             ("lightning", "pennylane_lightning", run_lightning)):
        try:
            __import__(module)
            makers[name] = lambda w, n, s, fn=fn: fn(w, n, s, None)
        except ImportError:
            print(f"peers: {name} not installed", file=sys.stderr)
    rows = []

    def one_pass(n, prec):
        """Our bench's reference pass (vectorised in-place read+write)."""
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            subprocess.run([os.path.join(HERE, "qsim_bench"), "--qubits", str(n), "--threads",
                            str(threads), "--precision", prec, "--workloads", "cz", "--repeats",
                            "1", "--json", f.name], check=True, stdout=subprocess.DEVNULL)
            return json.load(open(f.name))["results"][0]["pass_s"]

    print("ms per gate: median [min-max] over the interleaved samples; 'ahead'/'behind' only "
          "where the ranges do not overlap; '<bound': below the memory bound, not ranked")
    for prec in args.precision.split(","):
        for n in [int(x) for x in args.qubits.split(",")]:
            pass_s = one_pass(n, prec)
            for w in args.workloads.split(","):
                if w not in GATE_WORK:
                    continue
                samplers = {}
                for m, mk in makers.items():
                    r = mk(w, n, prec == "single")
                    if r is not None:
                        samplers[m] = r
                        r[0]()   # warm-up
                ts = {m: [] for m in samplers}
                for _ in range(args.repeats):
                    for m, (go, per, _) in samplers.items():
                        t0 = time.perf_counter()
                        go()
                        ts[m].append((time.perf_counter() - t0) / per)
                med = {m: median(v) for m, v in ts.items()}
                ranked = [m for m in med if m != "ours" and
                          not below_bound(w, med[m], pass_s, n, prec == "single")]
                best = min(ranked, key=lambda m: med[m]) if ranked else None
                verdict = "-"
                if best:
                    verdict = ("ahead" if max(ts["ours"]) < min(ts[best]) else
                               "behind" if min(ts["ours"]) > max(ts[best]) else "ranges overlap")
                cells = " ".join(f"{m}={fmt_range(ts[m])}" +
                                 ("" if m == "ours" or m in ranked else " <bound") for m in ts)
                ratio = med["ours"] / med[best] if best else float("nan")
                print(f"{w:12s} {prec:6s} {threads:3d} {n:3d} passes={med['ours'] / pass_s:5.2f} "
                      f"{cells}  ours/{best}={ratio:.2f} {verdict}", flush=True)
                rows.append({"workload": w, "precision": prec, "threads": threads, "qubits": n,
                             "pass_s": pass_s, "samples_s": ts, "best_peer": best,
                             "verdict": verdict})
                samplers.clear()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


PEERS = {
    "qulacs": ("qulacs", lambda w, n, s, r, t: run_qulacs(w, n, s, r)),
    "lightning": ("pennylane_lightning", lambda w, n, s, r, t: run_lightning(w, n, s, r)),
    "qiskit-aer": ("qiskit_aer", run_aer),
    "qsimcirq": ("qsimcirq", run_qsimcirq),
    "qsim-python": ("ctypes", run_qsim_python),
}


def configs(args):
    """(workload, precision, qubits) in the order the worker runs them."""
    out = []
    for prec in args.precision.split(","):
        for n in [int(x) for x in args.qubits.split(",")]:
            for w in args.workloads.split(","):
                if w.startswith("grad_") and n != GRAD_QUBITS or w in DM_WORK and n != 24:
                    continue
                out.append((w, prec, n))
    return out


def worker(args):
    """Child process: one peer on the configurations from --skip on; one
    JSON line as each starts and one with its result (set-up time apart)."""
    name = args.peers
    module, fn = PEERS[name]
    try:
        __import__(module)
    except ImportError:
        print(f"peers: {name} not installed", file=sys.stderr)
        return
    for idx, (w, prec, n) in enumerate(configs(args)):
        if idx < args.skip:
            continue
        print(json.dumps({"start": idx}), flush=True)
        SAMPLED[0] = 0.0
        t0 = time.perf_counter()
        try:
            t = fn(w, n, prec == "single", args.repeats, args.threads)
        except Exception as e:   # a peer without the op: leave it out
            print(f"peers: {name} {w} n={n} {prec}: {e}", file=sys.stderr)
            t = None
        setup = time.perf_counter() - t0 - SAMPLED[0]
        print(json.dumps({"done": idx, "per_op_s": t, "setup_s": setup}), flush=True)


def run_peer(args, name, threads, env):
    """Runs one peer's worker; a configuration whose set-up and run take
    longer than --setup-limit seconds is stopped and reported as such, and
    the worker goes on with the next.  Returns {config index: result}."""
    import select
    res, skip, todo = {}, 0, len(configs(args))
    while skip < todo:
        cmd = [sys.executable, __file__, "--worker", "--peers", name, "--qubits", args.qubits,
               "--threads", str(threads), "--precision", args.precision, "--workloads",
               args.workloads, "--repeats", str(args.repeats), "--skip", str(skip)]
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
        current, deadline = None, None
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([p.stdout], [], [], wait)
            if not ready:   # over the limit: stop it, go on after this one
                p.kill()
                p.wait()
                res[current] = {"per_op_s": None, "setup_s": None, "timeout": args.setup_limit}
                print(f"peers: {name} {configs(args)[current]}: stopped after "
                      f"{args.setup_limit:.0f} s", file=sys.stderr)
                skip = current + 1
                break
            line = p.stdout.readline()
            if not line:
                p.wait()
                skip = todo
                break
            m = json.loads(line)
            if "start" in m:
                current, deadline = m["start"], time.monotonic() + args.setup_limit
            else:
                res[m["done"]] = m
                current, deadline = None, None
    return res


def fmt_range(v):
    v = sorted(v)
    return f"{median(v) * 1e3:.3f} [{v[0] * 1e3:.3f}-{v[-1] * 1e3:.3f}]"



# ---- a PennyLane gradient through the devices (--pennylane-lih) ------------------

LIH = "data/molecules/lih_sto3g_1.45.txt"


def pennylane_lih(args):
    """One gradient of <H> for LiH (12 qubits, STO-3G) under a 2-layer
    hardware-efficient ansatz (RY, RZ on every wire, a CNOT ladder; 48
    parameters), through PennyLane QNodes on qsim.qubit (adjoint: the
    library's sweep), lightning.qubit (adjoint) and default.qubit (backprop
    and adjoint), PennyLane's own overhead included.  Run it in .venv-pl:
        .venv-pl/bin/python bench/peers.py --pennylane-lih
    """
    import numpy as np
    import pennylane as qml
    from pennylane import numpy as pnp
    import qsim
    shared = os.environ.get("QSIM_SHARED_DIR", os.path.join(HERE, "..", "..", "shared"))
    h = qsim.Hamiltonian.from_file(os.path.join(shared, LIH))
    n = h.num_qubits
    coeffs, ops = [], []
    for coef, term in h.terms:
        factors = [getattr(qml, p)(n - 1 - int(q)) for p, q in
                   ((t[0], t[1:]) for t in term.split() if t[0] != "I")]
        coeffs.append(coef)
        ops.append(qml.prod(*factors) if len(factors) > 1 else
                   factors[0] if factors else qml.Identity(0))
    H = qml.Hamiltonian(coeffs, ops)
    layers = 2

    def ansatz(x):
        for l in range(layers):
            for w in range(n):
                qml.RY(x[2 * (l * n + w)], wires=w)
                qml.RZ(x[2 * (l * n + w) + 1], wires=w)
            for w in range(n - 1):
                qml.CNOT(wires=[w, w + 1])
        return qml.expval(H)

    x = pnp.array(np.random.default_rng(1).uniform(-1, 1, 2 * layers * n), requires_grad=True)
    ref = None
    print("LiH, %d qubits, %d terms, %d parameters: one gradient (median ms)"
          % (n, len(coeffs), len(x)))
    for name, method in (("qsim.qubit", "adjoint"), ("lightning.qubit", "adjoint"),
                         ("default.qubit", "adjoint"), ("default.qubit", "backprop")):
        try:
            dev = qml.device(name, wires=n)
        except Exception as e:     # a peer that is not installed
            print("  %-16s %-9s unavailable (%s)" % (name, method, e))
            continue
        g = qml.grad(qml.QNode(ansatz, dev, diff_method=method))
        val = g(x)
        if ref is None:
            ref = val
        dt = timed(lambda: g(x), args.repeats if args.repeats else 5)
        print("  %-16s %-9s %9.1f ms   max |diff| from qsim.qubit %.1e"
              % (name, method, 1e3 * dt, float(np.max(np.abs(val - ref)))))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qubits", default="24,26")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--precision", default="double,single")
    ap.add_argument("--workloads", default=",".join(ALL_WORK))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds of ours then every peer, in turn (medians and ranges over them)")
    ap.add_argument("--setup-limit", type=float, default=180,
                    help="seconds a peer may take on one configuration (set-up included)")
    ap.add_argument("--skip", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--peers", default=",".join(PEERS), help="which peers (default: all)")
    ap.add_argument("--ours", default=os.path.join(HERE, "qsim_bench"))
    ap.add_argument("--json", help="write the comparison here")
    ap.add_argument("--interleave", action="store_true",
                    help="sample ours (ctypes), qulacs and lightning in turn in one process, "
                         "one thread count (the fairest figures on a shared machine)")
    ap.add_argument("--pennylane-lih", action="store_true",
                    help="one LiH gradient through PennyLane devices: qsim.qubit, "
                         "lightning.qubit, default.qubit (run in .venv-pl)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pennylane_lih:
        return pennylane_lih(args)
    if args.interleave:
        return interleaved(args)
    if args.worker:
        args.threads = int(args.threads)
        return worker(args)
    cfgs = configs(args)
    # samples[(w, prec, threads, n)][who] = [per-op time of each round]
    samples, passes, setups = {}, {}, {}
    for t in [int(x) for x in args.threads.split(",")]:
        env = dict(os.environ, OMP_NUM_THREADS=str(t), OMP_WAIT_POLICY="PASSIVE")
        for rnd in range(args.rounds):
            with tempfile.NamedTemporaryFile(suffix=".json") as f:
                subprocess.run([args.ours, "--qubits", args.qubits, "--threads", str(t),
                                "--precision", args.precision, "--repeats", str(args.repeats),
                                "--workloads", args.workloads, "--json", f.name], check=True,
                               env=env, stdout=sys.stderr)
                for r in json.load(open(f.name))["results"]:
                    if "workload" not in r:
                        continue
                    key = (r["workload"], r["precision"], t, r["qubits"])
                    samples.setdefault(key, {}).setdefault("ours", []).append(r["per_op_s"])
                    passes.setdefault(key, []).append(r["pass_s"])
            for name in args.peers.split(","):
                for idx, m in run_peer(args, name, t, env).items():
                    w, prec, n = cfgs[idx]
                    key = (w, prec, t, n)
                    if m.get("per_op_s") is not None:
                        samples.setdefault(key, {}).setdefault(name, []).append(m["per_op_s"])
                    setups.setdefault(key, {}).setdefault(name, []).append(
                        m.get("setup_s") if m.get("timeout") is None else float("inf"))
    print("times per op in ms: median [min-max] over rounds; passes = ours / one pass; "
          "'ahead'/'behind' only where the ranges do not overlap; '<bound' = below the "
          "memory bound (less work than asked): not ranked")
    print(f"{'workload':16s} {'prec':6s} {'thr':>3s} {'n':>3s} {'passes':>6s} "
          f"{'ours':>24s}  {'best peer':>10s} {'peer':>24s} {'ratio':>6s}  verdict; others; "
          f"peer set-up s")
    table = []
    for key in sorted(samples, key=lambda k: (k[2], k[1], k[3], ALL_WORK.index(k[0])
                                              if k[0] in ALL_WORK else 99)):
        got = samples[key]
        if "ours" not in got:
            continue
        pass_s = median(passes[key]) if key in passes else None
        ours = got["ours"]
        peers = {}
        flagged = {}
        ours_too = {w: v for w, v in got.items() if w == "qsim-python"}   # ours, from Python
        for who, v in got.items():
            if who == "ours" or who in ours_too:
                continue
            if below_bound(key[0], median(v), pass_s, key[3], key[1] == "single"):
                flagged[who] = v
            else:
                peers[who] = v
        best = min(peers, key=lambda w: median(peers[w])) if peers else None
        ratio = median(ours) / median(peers[best]) if best else float("nan")
        verdict = "-"
        if best:
            if max(ours) < min(peers[best]):
                verdict = "ahead"
            elif min(ours) > max(peers[best]):
                verdict = "behind"
            else:
                verdict = "ranges overlap"
        others = " ".join(f"{w}={fmt_range(v)}" for w, v in peers.items() if w != best)
        others += "".join(f" {w}={fmt_range(v)} <bound" for w, v in flagged.items())
        others += "".join(f" {w}={fmt_range(v)} (ours)" for w, v in ours_too.items())
        st = setups.get(key, {})
        setup = " ".join(f"{w}:{max(v):.1f}" if max(v) != float('inf')
                         else f"{w}:>{args.setup_limit:.0f}(stopped)" for w, v in st.items())
        npass = median(ours) / pass_s if pass_s else float("nan")
        print(f"{key[0]:16s} {key[1]:6s} {key[2]:3d} {key[3]:3d} {npass:6.2f} "
              f"{fmt_range(ours):>24s}  {best or '-':>10s} "
              f"{fmt_range(peers[best]) if best else '-':>24s} {ratio:6.2f}  {verdict}; "
              f"{others}; {setup}", flush=True)
        table.append({"workload": key[0], "precision": key[1], "threads": key[2],
                      "qubits": key[3], "pass_s": pass_s, "ours_s": ours, "best_peer": best,
                      "ratio": ratio, "verdict": verdict, "peers": got,
                      "below_bound": sorted(flagged), "setup_s": st})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(table, f, indent=1, default=str)


if __name__ == "__main__":
    main()
