"""Noise on user-defined gates by their own name, against Qiskit Aer: the
OpenQASM file defines gates, the Aer model names them (qubit-specific
entries too) and names gates that also occur inside them.  Aer runs the
custom gates as unitaries labelled with their names (its way of noise on
custom gates: the error follows the labelled instruction, the gates inside
do not exist for it); a gate the model does not name is inlined, as
transpiling it would be, and its gates keep their errors.  qsim reads the
same file and the model as Aer's JSON.
Probabilities agree to 1e-10."""
import json
import subprocess

import numpy as np
import pytest
from qiskit import QuantumCircuit, qasm2
from qiskit.circuit.library import UnitaryGate
from qiskit.quantum_info import Operator
from qiskit_aer import AerSimulator
from qiskit_aer.noise import (NoiseModel, amplitude_damping_error, depolarizing_error,
                              phase_damping_error, thermal_relaxation_error)

SRC = """OPENQASM 2.0;
include "qelib1.inc";
gate bell a, b { h a; cx a, b; rz(0.3) b; }
gate rot(t, u) a { ry(t) a; x a; rz(u) a; }
gate quiet a, b { cx b, a; s a; }
qreg q[3];
qreg r[2];
bell q[0], q[1];
rot(0.7, -0.2) q[2];
cx q[1], q[2];
rot(1.1, 0.4) q[1];
bell q[2], r[0];
quiet r[0], r[1];
bell r, q[0];
h r[1];
rot(0.2, 0.9) r;
"""


def model():
    m = NoiseModel()
    m.add_all_qubit_quantum_error(amplitude_damping_error(0.2).tensor(phase_damping_error(0.3)),
                                  ["bell"])
    m.add_quantum_error(depolarizing_error(0.25, 1), ["rot"], [1])       # only rot on qubit 1
    m.add_all_qubit_quantum_error(thermal_relaxation_error(50, 60, 8), ["rot"])
    m.add_all_qubit_quantum_error(depolarizing_error(0.1, 2), ["cx"])     # also inside quiet
    m.add_all_qubit_quantum_error(amplitude_damping_error(0.15), ["h", "x"])
    return m


def as_labelled_unitaries(qc, named=("bell", "rot")):
    """The custom gates the model names as unitaries labelled with their
    names (Aer's form); the others (quiet) inlined, as transpiling would."""
    out = QuantumCircuit(*qc.qregs, *qc.cregs)
    for inst in qc.data:
        op = inst.operation
        if op.name in named:
            out.append(UnitaryGate(Operator(op), label=op.name), inst.qubits, inst.clbits)
        elif op.name == "quiet":
            out.compose(op.definition, inst.qubits, inplace=True)
        else:
            out.append(op, inst.qubits, inst.clbits)
    return out


def test_errors_attach_after_user_gates_as_in_aer(qsim_bin, tmp_path):
    qc = qasm2.loads(SRC)
    assert {i.operation.name for i in qc.data} >= {"bell", "rot", "quiet"}
    m = model()
    aqc = as_labelled_unitaries(qc)
    aqc.save_density_matrix()
    rho = np.asarray(AerSimulator(method="density_matrix", noise_model=m).run(aqc).result()
                     .data()["density_matrix"])
    want = np.real(np.diag(rho))
    (tmp_path / "c.qasm").write_text(SRC)
    (tmp_path / "m.json").write_text(json.dumps(m.to_dict(serializable=True)))
    p = subprocess.run([qsim_bin, "run", str(tmp_path / "c.qasm"), "--noise",
                        str(tmp_path / "m.json"), "--probabilities"], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    got = np.array([float(x) for x in p.stdout.split()])
    assert np.max(np.abs(got - want)) < 1e-10, np.max(np.abs(got - want))
    # the names mattered: without the user-gate entries the result differs
    bare = NoiseModel()
    bare.add_all_qubit_quantum_error(depolarizing_error(0.1, 2), ["cx"])
    bare.add_all_qubit_quantum_error(amplitude_damping_error(0.15), ["h", "x"])
    (tmp_path / "b.json").write_text(json.dumps(bare.to_dict(serializable=True)))
    p = subprocess.run([qsim_bin, "run", str(tmp_path / "c.qasm"), "--noise",
                        str(tmp_path / "b.json"), "--probabilities"], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    assert np.max(np.abs(np.array([float(x) for x in p.stdout.split()]) - want)) > 1e-3


def test_unnamed_user_gates_keep_the_errors_of_their_gates(qsim_bin, tmp_path):
    """A model that does not name a user gate: the gates inside it get their
    errors, as in Aer after transpiling the gate into its body."""
    from qiskit import transpile
    qc = qasm2.loads(SRC)
    m = NoiseModel()
    m.add_all_qubit_quantum_error(depolarizing_error(0.1, 2), ["cx"])
    m.add_all_qubit_quantum_error(amplitude_damping_error(0.15), ["h", "x", "ry"])
    tqc = transpile(qc, basis_gates=["h", "x", "cx", "ry", "rz", "s"], optimization_level=0)
    tqc.save_density_matrix()
    rho = np.asarray(AerSimulator(method="density_matrix", noise_model=m).run(tqc).result()
                     .data()["density_matrix"])
    (tmp_path / "c.qasm").write_text(SRC)
    (tmp_path / "m.json").write_text(json.dumps(m.to_dict(serializable=True)))
    p = subprocess.run([qsim_bin, "run", str(tmp_path / "c.qasm"), "--noise",
                        str(tmp_path / "m.json"), "--probabilities"], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    got = np.array([float(x) for x in p.stdout.split()])
    assert np.max(np.abs(got - np.real(np.diag(rho)))) < 1e-10


def test_a_conditional_call_with_an_error_is_refused(qsim_bin, tmp_path):
    src = SRC.replace("qreg r[2];", "qreg r[2];\ncreg c[1];") + "if (c == 1) bell q[0], q[1];\n"
    (tmp_path / "c.qasm").write_text(src)
    (tmp_path / "m.json").write_text(json.dumps(model().to_dict(serializable=True)))
    p = subprocess.run([qsim_bin, "run", str(tmp_path / "c.qasm"), "--noise",
                        str(tmp_path / "m.json"), "--density-matrix", "--probabilities"],
                       capture_output=True, text=True)
    assert p.returncode != 0 and "a call of 'bell' is conditional and has an error" in p.stderr
