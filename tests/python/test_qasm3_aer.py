"""OpenQASM 3 as Qiskit writes it (qasm3.dumps), read by qsim and compared
with Qiskit Aer running the same Qiskit circuit: qsim's exact distribution of
the classical bits (every measurement branch, Program.enumerate) against Aer's
counts, or qsim's shots against Aer's where a program does not enumerate."""
import math

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm3, transpile
from qiskit.providers.fake_provider import GenericBackendV2

import qiskit_aer as aer   # tools/setup.sh installs it, and qiskit_qasm3_import
import qsim

SHOTS = 20000


def aer_dist(qc, shots=SHOTS, seed=11):
    """Aer's counts as {classical-bits value: frequency} (bit j = clbit j)."""
    sim = aer.AerSimulator(seed_simulator=seed)
    counts = sim.run(qc, shots=shots).result().get_counts()
    return {int(k.replace(" ", ""), 2): v / shots for k, v in counts.items()}


def qsim_exact(text):
    """qsim's exact distribution of the classical bits over all branches."""
    c = qsim.Circuit.from_qasm(text)
    out = {}
    with c.compile() as p:
        for b in p.enumerate():
            key = sum(int(v) << j for j, v in enumerate(b.clbits))
            out[key] = out.get(key, 0.0) + b.probability
    assert abs(sum(out.values()) - 1) < 1e-9
    return out


def assert_round_trip(text, exact):
    """qsim's writer emits what it read: the text it writes reads back to the
    same distribution, and writing that again gives the same text."""
    written = qsim.Circuit.from_qasm(text).to_qasm()
    again = qsim_exact(written)
    assert exact.keys() == again.keys(), written
    assert all(abs(exact[k] - again[k]) < 1e-12 for k in exact), written
    assert qsim.Circuit.from_qasm(written).to_qasm() == written


def assert_matches(exact, freq, shots=SHOTS, text=""):
    """Every outcome's frequency within 5 standard deviations of its exact
    probability (plus a count); nothing seen that qsim gives probability 0."""
    for k in set(exact) | set(freq):
        p, f = exact.get(k, 0.0), freq.get(k, 0.0)
        tol = 5 * math.sqrt(p * (1 - p) / shots) + 2.0 / shots
        assert abs(p - f) <= tol, "outcome %d: qsim %.5f, Aer %.5f\n%s" % (k, p, f, text)


def check(qc, shots=SHOTS):
    text = qasm3.dumps(qc)
    exact = qsim_exact(text)
    assert_matches(exact, aer_dist(qc, shots), shots, text)
    assert_round_trip(text, exact)
    return text


def bell_if():
    qc = QuantumCircuit(3, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.ry(0.9, 2)
    qc.measure([0, 2], [0, 1])
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(2)
    qc.measure(2, 1)
    return qc


def test_physical_qubits_of_a_transpiled_circuit():
    backend = GenericBackendV2(5, seed=3, control_flow=True)
    qc = bell_if()
    tqc = transpile(qc, backend, seed_transpiler=5)
    text = qasm3.dumps(tqc)
    assert "$" in text and "qubit[" not in text
    assert_matches(qsim_exact(text), aer_dist(tqc), text=text)


def test_no_version_line_is_openqasm2_with_a_warning():
    text = 'include "qelib1.inc";\nqreg q[1];\nx q[0];\n'
    with pytest.warns(UserWarning, match=r"<string>:1:1: warning: no 'OPENQASM' version line"):
        c = qsim.Circuit.from_qasm(text)
    assert np.allclose(c.probabilities(), [0, 1])
    with pytest.raises(qsim.QasmError, match="expected 'OPENQASM 2.0;'"):
        qsim.Circuit.from_qasm(text, strict=True)


# ---- one circuit per construct: qsim reads qasm3.dumps(qc), Aer runs qc ----

def prep(n_q, n_c, angles=(0.7, 1.1, 1.9, 2.4)):
    """Registers q (n_q qubits) and c (n_c bits), uneven superpositions."""
    q, c = QuantumRegister(n_q, "q"), ClassicalRegister(n_c, "c")
    qc = QuantumCircuit(q, c)
    for i in range(n_q):
        qc.ry(angles[i % len(angles)], i)
    return qc, q, c


def test_if_else_on_a_register():
    qc, q, c = prep(3, 2)
    qc.add_register(ClassicalRegister(1, "d"))
    qc.measure([0, 1], [0, 1])
    with qc.if_test((c, 2)) as orelse:
        qc.x(2)
    with orelse:
        qc.h(2)
    qc.measure(2, 2)
    text = check(qc)
    assert "else" in text and "c == 2" in text


def test_comparisons_and_logic():
    from qiskit.circuit.classical import expr
    qc, q, c = prep(4, 3)
    d = ClassicalRegister(4, "d")
    qc.add_register(d)
    qc.measure([0, 1, 2], [0, 1, 2])
    conds = [expr.less(c, 3), expr.less_equal(c, 5), expr.greater(c, 1), expr.greater_equal(c, 6),
             expr.logic_and(expr.not_equal(c, 2), expr.logic_not(c[0])),
             expr.logic_or(expr.equal(c, 7), expr.logic_and(c[1], c[2]))]
    for k, cond in enumerate(conds):
        with qc.if_test(cond):
            qc.x(3)
        qc.measure(3, d[k % 4] if k < 4 else d[3])
        qc.reset(3)
    text = check(qc)
    for op in ("<", "<=", ">", ">=", "&&", "||", "!", "!="):
        assert op in text


def test_for_over_ranges_and_sets():
    from qiskit.circuit import Parameter
    qc, q, c = prep(2, 2)
    with qc.for_loop(range(1, 6, 2)) as i:
        qc.rx(0.3 * i, 0)
    with qc.for_loop([2, 5, 1]) as j:
        qc.ry(j / 4, 1)
        qc.cx(0, 1)
    with qc.for_loop(range(3)):
        qc.rz(0.2, 0)
    qc.measure([0, 1], [0, 1])
    text = check(qc)
    assert "for " in text and "{2, 5, 1}" in text


def test_while_on_measured_bits():
    # Repeat until success: H and measure until the outcome is 1.
    qc, q, c = prep(2, 2)
    qc.h(0)
    qc.measure(0, 0)
    with qc.while_loop((c[0], 0)):
        qc.h(0)
        qc.measure(0, 0)
        qc.rx(0.4, 1)
    qc.measure(1, 1)
    text = check(qc)
    assert "while" in text


def test_break_and_continue():
    from qiskit.circuit.classical import expr
    qc, q, c = prep(3, 3)
    with qc.for_loop(range(4)):
        qc.h(0)
        qc.measure(0, 0)
        with qc.if_test((c[0], 1)):
            qc.break_loop()
        qc.rx(0.5, 1)
    qc.measure(1, 1)
    with qc.for_loop(range(3)):
        qc.measure(2, 2)
        with qc.if_test(expr.lift(c[2])):
            qc.continue_loop()
        qc.ry(0.9, 2)
    text = check(qc)
    assert "break;" in text and "continue;" in text


def test_switch_case_default():
    qc, q, c = prep(3, 2)
    qc.add_register(ClassicalRegister(1, "d"))
    qc.measure([0, 1], [0, 1])
    with qc.switch(c) as case:
        with case(0):
            qc.x(2)
        with case(1, 2):
            qc.ry(1.3, 2)
        with case(case.DEFAULT):
            qc.h(2)
    qc.measure(2, 2)
    text = check(qc)
    assert "switch" in text and "default" in text


def variables_circuit(inline):
    """int/bool variables assigned from measured bits; inline=True: the
    same logic written into the condition (Aer aborts on stored variables
    in qiskit-aer 0.17, so it runs this form)."""
    from qiskit.circuit.classical import expr, types
    qc, q, c = prep(3, 2)
    d = ClassicalRegister(1, "d")
    qc.add_register(d)
    qc.measure([0, 1], [0, 1])
    a_val = expr.logic_and(expr.lift(True), c[1])
    b_val = expr.bit_xor(expr.lift(5, types.Uint(8)), expr.cast(c, types.Uint(8)))
    if inline:
        hit = expr.logic_or(a_val, expr.equal(b_val, 4))
    else:
        a = qc.add_var("a", expr.lift(True))
        b = qc.add_var("b", expr.lift(5, types.Uint(8)))
        qc.store(a, expr.logic_and(a, c[1]))
        qc.store(b, expr.bit_xor(b, expr.cast(c, types.Uint(8))))
        hit = expr.logic_or(a, expr.equal(b, 4))
    with qc.if_test(hit):
        qc.x(2)
    qc.measure(2, d[0])
    return qc


def test_variables_and_assignments():
    text = qasm3.dumps(variables_circuit(False))
    assert "bool a" in text and "uint[8] b" in text and "b = b ^ uint[8](c);" in text
    exact = qsim_exact(text)
    assert_matches(exact, aer_dist(variables_circuit(True)), text=text)
    assert_round_trip(text, exact)


def test_delay_and_box_are_the_identity():
    def circuit(box):
        qc, q, c = prep(2, 2)
        qc.delay(100, 0)
        qc.delay(2.5, 1, unit="us")
        if box:
            with qc.box():
                qc.cx(0, 1)
        else:
            qc.cx(0, 1)
        qc.measure([0, 1], [0, 1])
        return qc
    text = qasm3.dumps(circuit(True))
    assert "delay[" in text and "box" in text
    # Aer runs no box (qiskit-aer 0.17): it runs the box's body.
    assert_matches(qsim_exact(text), aer_dist(circuit(False)), text=text)


def test_transpiled_control_flow_on_physical_qubits():
    backend = GenericBackendV2(5, seed=3, control_flow=True)
    qc, q, c = prep(3, 3)
    qc.measure(0, 0)
    with qc.if_test((c[0], 1)) as orelse:
        qc.cx(1, 2)
    with orelse:
        qc.cz(1, 2)
        qc.h(2)
    with qc.for_loop(range(2)):
        qc.sx(1)
    qc.measure([1, 2], [1, 2])
    tqc = transpile(qc, backend, seed_transpiler=7)
    text = qasm3.dumps(tqc)
    assert "$" in text
    assert_matches(qsim_exact(text), aer_dist(tqc), text=text)


MODIFIERS = """OPENQASM 3.0;
include "stdgates.inc";
gate g(a) p, r { h p; cx p, r; rz(a) r; }
gate cg(a) k, p, r { ctrl @ g(a) k, p, r; }
qubit[4] q;
bit[4] c;
ry(0.8) q[0];
h q[1];
ry(2.1) q[3];
ctrl @ g(0.3) q[0], q[2], q[3];
negctrl(2) @ x q[0], q[1], q[2];
inv @ g(0.7) q[1], q[3];
pow(2) @ g(0.2) q[2], q[1];
pow(-1) @ ry(0.9) q[0];
pow(0.5) @ x q[3];
ctrl @ inv @ s q[1], q[0];
negctrl @ ctrl @ rz(0.4) q[3], q[2], q[1];
ctrl(2) @ x q[0], q[1], q[3];
c = measure q;
"""


def test_gate_modifiers_on_table_and_user_gates():
    # Aer runs what Qiskit's own OpenQASM 3 reader makes of the same text
    # (in Aer's basis: transpiling against Aer itself panics in qiskit 2.4).
    qc = transpile(qasm3.loads(MODIFIERS), basis_gates=["u", "cx", "measure"])
    exact = qsim_exact(MODIFIERS)
    assert_matches(exact, aer_dist(qc), text=MODIFIERS)
    # A modifier inside a gate definition, under another modifier.
    body = MODIFIERS.replace("c = measure q;", "inv @ cg(1.1) q[3], q[0], q[2];\nc = measure q;")
    flat = MODIFIERS.replace("c = measure q;", "inv @ ctrl @ g(1.1) q[3], q[0], q[2];\n"
                             "c = measure q;")
    a, b = qsim_exact(body), qsim_exact(flat)
    assert a.keys() == b.keys() and all(abs(a[k] - b[k]) < 1e-12 for k in a)
    assert max(abs(a[k] - exact.get(k, 0)) for k in a) > 1e-3   # it did something
    # The writer: what the modifiers make of table gates (cu3, crz, ccx,
    # sdg ...) is written back as those gates; dense matrices (pow(0.5) @ x,
    # a doubly controlled rz) are not OpenQASM.
    with pytest.raises(qsim.QsimError, match="dense matrix"):
        qsim.Circuit.from_qasm(MODIFIERS).to_qasm()
    table = MODIFIERS.replace("pow(0.5) @ x q[3];\n", "").replace(
        "negctrl @ ctrl @ rz(0.4) q[3], q[2], q[1];\n", "")
    assert_round_trip(table, qsim_exact(table))


def test_ctrl_modifier_from_qasm3_dumps_without_includes():
    # includes=(): Qiskit defines every gate, cx as 'ctrl @ U(pi, 0, pi)'.
    qc, q, c = prep(3, 3)
    qc.h(0)
    qc.cx(0, 1)
    qc.cp(0.4, 1, 2)
    qc.crx(0.2, 0, 2)
    qc.ccx(0, 1, 2)
    qc.cswap(0, 1, 2)
    qc.measure([0, 1, 2], [0, 1, 2])
    text = qasm3.dumps(qc, includes=())
    assert "ctrl @ U(" in text and "stdgates" not in text
    assert_matches(qsim_exact(text), aer_dist(qc), text=text)
