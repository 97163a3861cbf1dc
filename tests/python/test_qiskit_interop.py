"""Interop with Qiskit: circuits built in Qiskit, exported with qasm2.dumps and
qasm3.dumps, run by `qsim run`, compared with qiskit.quantum_info.Statevector
(parameters bound on both sides); and qsim's own export read back by Qiskit."""
import ctypes
import math
import re
import subprocess

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm2, qasm3
from qiskit.circuit import Parameter, ParameterVector
from qiskit.circuit.library import GlobalPhaseGate, get_standard_gate_name_mapping
from qiskit.quantum_info import Statevector

TOL = 1e-10
NOT_GATES = {"measure", "reset", "delay", "global_phase"}
STANDARD = sorted(n for n in get_standard_gate_name_mapping() if n not in NOT_GATES)


def run(qsim_bin, tmp_path, text, *args):
    path = tmp_path / "circuit.qasm"
    path.write_text(text, encoding="utf-8")
    p = subprocess.run([qsim_bin, "run", str(path), *args], capture_output=True, text=True)
    assert p.returncode == 0, "qsim failed:\n%s\n--- program:\n%s" % (p.stderr, text)
    return p.stdout


def qsim_state(qsim_bin, tmp_path, text, params=None):
    args = ["--statevector"]
    for name, value in (params or {}).items():
        args += ["--param", "%s=%r" % (name, value)]
    rows = [line.split() for line in run(qsim_bin, tmp_path, text, *args).splitlines()]
    return np.array([complex(float(re_), float(im)) for re_, im in rows])


def assert_same_state(got, want, text=""):
    assert got.shape == want.shape, text
    overlap = np.vdot(want, got)
    assert abs(abs(overlap) - 1) < TOL, "|<qiskit|qsim>| = %r\n%s" % (abs(overlap), text)
    diff = np.max(np.abs(got / (overlap / abs(overlap)) - want))
    assert diff < TOL, "max |difference| %g after aligning the phase\n%s" % (diff, text)


def generic_start(n, seed):
    """A generic entangled start state, so every gate shows its action."""
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(n)
    for q in range(n):
        qc.u(*rng.uniform(-math.pi, math.pi, 3), q)
    for q in range(n):
        qc.cx(q, (q + 1) % n)
    for q in range(n):
        qc.u(*rng.uniform(-math.pi, math.pi, 3), q)
    return qc


def one_gate(name, seed=1):
    gate_type = type(get_standard_gate_name_mapping()[name])
    ref = get_standard_gate_name_mapping()[name]
    rng = np.random.default_rng(seed)
    gate = gate_type(*rng.uniform(-2.5, 2.5, len(ref.params)))
    qc = generic_start(5, seed)
    qc.append(gate, list(range(gate.num_qubits)))
    return qc


def input_names(text):
    return re.findall(r"^input\s+\S+\s+(\S+);", text, re.M)


@pytest.mark.parametrize("name", STANDARD)
def test_standard_gate_qasm2(qsim_bin, tmp_path, name):
    qc = one_gate(name)
    text = qasm2.dumps(qc)
    assert_same_state(qsim_state(qsim_bin, tmp_path, text), Statevector(qc).data, text)


@pytest.mark.parametrize("name", STANDARD)
def test_standard_gate_qasm3(qsim_bin, tmp_path, name):
    qc = one_gate(name)
    text = qasm3.dumps(qc)
    assert_same_state(qsim_state(qsim_bin, tmp_path, text), Statevector(qc).data, text)


def every_gate_circuit(seed=3):
    qc = generic_start(5, seed)
    rng = np.random.default_rng(seed)
    for name in STANDARD:
        ref = get_standard_gate_name_mapping()[name]
        gate = type(ref)(*rng.uniform(-2.5, 2.5, len(ref.params)))
        qubits = rng.permutation(5)[: gate.num_qubits]
        qc.append(gate, [int(q) for q in qubits])
    return qc


@pytest.mark.parametrize("dumps", [qasm2.dumps, qasm3.dumps], ids=["qasm2", "qasm3"])
def test_every_standard_gate_in_one_circuit(qsim_bin, tmp_path, dumps):
    qc = every_gate_circuit()
    text = dumps(qc)
    assert_same_state(qsim_state(qsim_bin, tmp_path, text), Statevector(qc).data, text)


def parameterized_circuit():
    theta, phi, t = Parameter("theta"), Parameter("φ"), Parameter("t")
    v = ParameterVector("v", 3)
    qc = QuantumCircuit(QuantumRegister(2, "a"), QuantumRegister(2, "b"))
    qc.h(range(4))
    qc.rx(2 * theta + 0.1, 0)
    qc.ry(theta**2, 1)
    qc.rz(v[0] * phi, 2)
    qc.cx(0, 3)
    qc.rzz(theta - phi, 0, 2)
    qc.u(theta, phi, v[1], 1)
    qc.crx(t / 2, 2, 0)
    qc.rx(t.sin() + v[2].exp() - theta.cos(), 3)
    qc.p(-t, 0)
    qc.rxx(math.pi * t, 1, 3)
    qc.ry((theta + 1) ** (phi - 0.5), 2)
    qc.cu(theta, phi, t, v[2], 3, 1)
    qc.ryy(t.arctan() * 3, 0, 1)
    qc.rz(abs(theta - 2), 2)
    qc.ecr(2, 3)
    return qc


BINDINGS = [0.3, 1.7, -0.9]


@pytest.mark.parametrize("shift", BINDINGS)
def test_parameterized_qasm3(qsim_bin, tmp_path, shift):
    qc = parameterized_circuit()
    text = qasm3.dumps(qc)
    names = input_names(text)
    # Qiskit declares the inputs in the circuit's (sorted) parameter order.
    assert len(names) == len(qc.parameters), text
    values = {p: shift + 0.37 * i for i, p in enumerate(qc.parameters)}
    got = qsim_state(qsim_bin, tmp_path, text,
                     {n: values[p] for n, p in zip(names, qc.parameters)})
    want = Statevector(qc.assign_parameters(values)).data
    assert_same_state(got, want, text)


def test_bound_parameterized_qasm2_and_qasm3(qsim_bin, tmp_path):
    qc = parameterized_circuit()
    bound = qc.assign_parameters({p: 0.2 + 0.1 * i for i, p in enumerate(qc.parameters)})
    want = Statevector(bound).data
    for text in (qasm2.dumps(bound), qasm3.dumps(bound)):
        assert_same_state(qsim_state(qsim_bin, tmp_path, text), want, text)


def test_missing_parameter_value_is_an_error(qsim_bin, tmp_path):
    qc = QuantumCircuit(1)
    qc.rx(Parameter("theta"), 0)
    path = tmp_path / "p.qasm"
    path.write_text(qasm3.dumps(qc))
    p = subprocess.run([qsim_bin, "run", str(path), "--statevector"], capture_output=True,
                       text=True)
    assert p.returncode == 1 and p.stdout == ""
    assert "parameter 'theta' has no value" in p.stderr


def test_loose_bits_and_global_phase(qsim_bin, tmp_path):
    from qiskit.circuit import Clbit, Qubit
    qc = QuantumCircuit([Qubit(), Qubit()], [Clbit()])
    qc.h(0)
    qc.sxdg(1)
    qc.append(GlobalPhaseGate(0.4), [])
    qc.cx(0, 1)
    qc.measure(0, 0)
    text = qasm3.dumps(qc)
    want = Statevector(qc.remove_final_measurements(inplace=False)).data
    assert_same_state(qsim_state(qsim_bin, tmp_path, text), want, text)


def test_registers_and_measure_all_counts(qsim_bin, tmp_path):
    qc = QuantumCircuit(QuantumRegister(2, "a"), QuantumRegister(1, "b"),
                        ClassicalRegister(1, "x"), ClassicalRegister(2, "y"))
    qc.x(0)
    qc.x(2)
    qc.measure([0, 1, 2], [0, 1, 2])   # x = a[0]; y = a[1], b[0]
    for dumps in (qasm2.dumps, qasm3.dumps):
        out = run(qsim_bin, tmp_path, dumps(qc), "--shots", "50", "--seed", "1")
        assert out.split() == ["{", '"10', '1":', "50", "}"], out


def dynamic_circuit():
    q, c, d = QuantumRegister(3, "q"), ClassicalRegister(1, "c"), ClassicalRegister(2, "d")
    qc = QuantumCircuit(q, c, d)
    qc.h(0)
    qc.measure(0, c[0])
    with qc.if_test((c[0], True)) as orelse:
        qc.x(0)          # q[0] ends in |0> either way
        qc.x(1)          # q[1] copies the outcome
    with orelse:
        qc.h(2)
    qc.reset(2)
    qc.ry(0.7, 2)
    qc.measure([1, 2], [d[0], d[1]])
    with qc.if_test((d, 3)):
        qc.x(0)
    return qc


def test_dynamic_qasm3_exact_probabilities(qsim_bin, tmp_path):
    text = qasm3.dumps(dynamic_circuit())
    probs = [float(x) for x in run(qsim_bin, tmp_path, text, "--probabilities").split()]
    # q[1] = outcome (1/2 each); q[2] = ry(0.7)|0>; q[0] = 1 iff q[1] = q[2] = 1.
    p1 = math.sin(0.35) ** 2
    want = np.zeros(8)
    want[0b000] = 0.5 * (1 - p1)
    want[0b100] = 0.5 * p1
    want[0b010] = 0.5 * (1 - p1)
    want[0b111] = 0.5 * p1
    assert np.max(np.abs(np.array(probs) - want)) < TOL, text


def test_qsim_export_reads_back_in_qiskit(libqsim):
    lib = ctypes.CDLL(libqsim)
    lib.qs_circuit_parse_string.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint,
                                            ctypes.POINTER(ctypes.c_void_p)]
    lib.qs_circuit_write_qasm.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_char_p,
                                          ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]
    lib.qs_circuit_destroy.argtypes = [ctypes.c_void_p]
    lib.qs_last_error.restype = ctypes.c_char_p
    qc = every_gate_circuit(seed=5)
    circ = ctypes.c_void_p()
    st = lib.qs_circuit_parse_string(qasm3.dumps(qc).encode(), b"qiskit", 0, ctypes.byref(circ))
    assert st == 0, lib.qs_last_error()
    n = ctypes.c_size_t()
    lib.qs_circuit_write_qasm(circ, 0, None, 0, ctypes.byref(n))
    buf = ctypes.create_string_buffer(n.value + 1)
    assert lib.qs_circuit_write_qasm(circ, 0, buf, n.value + 1, ctypes.byref(n)) == 0
    lib.qs_circuit_destroy(circ)
    text = buf.value.decode()
    assert text.startswith("OPENQASM 2.0;")
    back = qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    assert_same_state(Statevector(back).data, Statevector(qc).data, text)
