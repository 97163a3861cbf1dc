"""The Python-side record of a Circuit's operations, behind Circuit.inverse,
compose, depth and draw (the library keeps no readable list of them, so
circuits read from OpenQASM have none and refuse these methods).

Each entry is a tuple whose first item says what it is:
    ("gate", name, qubits, params, controls, control_values)
    ("pauli", theta, pauli)        ("matrix", m, targets, controls, control_values)
    ("gphase", phi)                ("diag", values, t)
    ("qft", first, count, inverse) ("measure", qubit, clbit)
    ("reset", qubit)               ("barrier", qubits)
and ("cond", first, num_bits, value, op) wraps a conditional one.
"""

import numpy as np

from .errors import QsimUnsupported

# name -> the inverse gate's name (same qubits, same parameters)
SELF_INVERSE = {"id", "x", "y", "z", "h", "cx", "cy", "cz", "ch", "swap", "cswap", "ccx", "ccz",
                "c3x", "c4x", "ecr", "rccx"}
SWAPPED = {"s": "sdg", "sdg": "s", "t": "tdg", "tdg": "t", "sx": "sxdg", "sxdg": "sx",
           "cs": "csdg", "csdg": "cs"}
NEGATED = {"rx", "ry", "rz", "p", "u1", "u0", "crx", "cry", "crz", "cp", "cu1", "rxx", "ryy",
           "rzz", "rzx"}


def _neg(x):
    return "-(%s)" % x if isinstance(x, str) else -x


def _inverse_gate(name, qubits, params):
    """(name, qubits, params) of the inverse of a table gate."""
    if name in SELF_INVERSE:
        return name, qubits, params
    if name in SWAPPED:
        return SWAPPED[name], qubits, params
    if name in NEGATED:
        return name, qubits, [_neg(p) for p in params]
    if name == "dcx":            # cx(0,1) cx(1,0), undone by cx(1,0) cx(0,1)
        return name, qubits[::-1], params
    if name in ("u3", "u", "cu3"):
        th, ph, la = params
        return name, qubits, [_neg(th), _neg(la), _neg(ph)]
    if name == "u2":             # u2(phi, lam) = u3(pi/2, phi, lam)
        ph, la = params
        return "u3", qubits, [-np.pi / 2, _neg(la), _neg(ph)]
    if name == "cu":
        th, ph, la, ga = params
        return name, qubits, [_neg(th), _neg(la), _neg(ph), _neg(ga)]
    if name == "r":
        return name, qubits, [_neg(params[0]), params[1]]
    raise QsimUnsupported("inverse: no inverse of %s in the gate table" % name,
                          "QS_EUNSUPPORTED")


def inverse_op(op):
    kind = op[0]
    if kind == "gate":
        name, q, p = _inverse_gate(op[1], list(op[2]), list(op[3]))
        return ("gate", name, q, p, op[4], op[5])
    if kind == "pauli":
        return ("pauli", _neg(op[1]), op[2])
    if kind == "matrix":
        return ("matrix", np.conj(np.asarray(op[1])).T, op[2], op[3], op[4])
    if kind == "gphase":
        return ("gphase", _neg(op[1]))
    if kind == "diag":
        return ("diag", op[1], _neg(op[2]))
    if kind == "qft":
        return ("qft", op[1], op[2], not op[3])
    if kind == "barrier":
        return op
    raise QsimUnsupported("inverse: the circuit has a %s, which has no inverse"
                          % ("condition" if kind == "cond" else kind), "QS_EUNSUPPORTED")


def replay(circuit, op, qmap=lambda q: q, cmap=lambda c: c):
    """Appends op to circuit through its methods (qubits through qmap,
    classical bits through cmap)."""
    kind = op[0]
    if kind == "gate":
        circuit.append(op[1], [qmap(q) for q in op[2]], op[3],
                       controls=[qmap(q) for q in op[4]], control_values=op[5])
    elif kind == "pauli":
        terms = op[2].split()
        circuit.pauli_rotation(op[1], " ".join("%s%d" % (t[0], qmap(int(t[1:]))) for t in terms))
    elif kind == "matrix":
        circuit.matrix(op[1], [qmap(q) for q in op[2]], controls=[qmap(q) for q in op[3]],
                       control_values=op[4])
    elif kind == "gphase":
        circuit.global_phase(op[1])
    elif kind == "diag":
        if qmap(0) != 0 or circuit.num_qubits != len(op[1]).bit_length() - 1:
            raise QsimUnsupported("compose: a diagonal over all qubits cannot move",
                                  "QS_EUNSUPPORTED")
        circuit.diagonal_exp(op[1], op[2])
    elif kind == "qft":
        qs = [qmap(q) for q in range(op[1], op[1] + op[2])]
        if qs != list(range(qs[0], qs[0] + len(qs))):
            raise QsimUnsupported("compose: a QFT needs consecutive qubits", "QS_EUNSUPPORTED")
        circuit.qft(qs[0], op[2], inverse=op[3])
    elif kind == "measure":
        circuit.measure(qmap(op[1]), cmap(op[2]))
    elif kind == "reset":
        circuit.reset(qmap(op[1]))
    elif kind == "barrier":
        circuit.barrier(*[qmap(q) for q in op[1]])
    elif kind == "cond":
        replay(circuit, op[4], qmap, cmap)
        circuit.c_if(cmap(op[1]), op[2], op[3])


def wires(op, nq):
    """(qubits, clbits) an op touches."""
    kind = op[0]
    if kind == "gate":
        return list(op[2]) + list(op[4]), []
    if kind == "pauli":
        return [int(t[1:]) for t in op[2].split()], []
    if kind == "matrix":
        return list(op[2]) + list(op[3]), []
    if kind in ("gphase",):
        return [], []
    if kind == "diag":
        return list(range(nq)), []
    if kind == "qft":
        return list(range(op[1], op[1] + op[2])), []
    if kind == "measure":
        return [op[1]], [op[2]]
    if kind == "reset":
        return [op[1]], []
    if kind == "barrier":
        return (list(op[1]) or list(range(nq))), []
    q, c = wires(op[4], nq)
    return q, c + list(range(op[1], op[1] + op[2]))


def layers(ops, nq, nc):
    """The layer (0, 1, ...) of every op, as Qiskit's depth counts them:
    an op goes one past the latest layer of the wires it touches; barriers
    align their qubits without a layer of their own; global phases take
    none."""
    qd, cd, out = [0] * nq, [0] * nc, []
    for op in ops:
        q, c = wires(op, nq)
        if op[0] == "gphase":
            out.append(None)
            continue
        top = max([qd[i] for i in q] + [cd[i] for i in c] + [0])
        if op[0] == "barrier":
            for i in q:
                qd[i] = top
            out.append(None)
            continue
        for i in q:
            qd[i] = top + 1
        for i in c:
            cd[i] = top + 1
        out.append(top)
    return out


def label(op):
    kind = op[0]
    if kind == "cond":
        return label(op[4]) + "?"
    if kind == "gate":
        name = op[1]
        if op[3]:
            name += "(" + ",".join(p if isinstance(p, str) else "%.3g" % p for p in op[3]) + ")"
        return name
    return {"pauli": "exp", "matrix": "U", "diag": "D", "qft": "QFT", "measure": "M",
            "reset": "|0>", "barrier": "|"}.get(kind, kind)


def draw(ops, nq, nc, gate_controls):
    """A text diagram: a row per qubit, a column per layer."""
    lay = layers(ops, nq, nc)
    ncol = max([l for l in lay if l is not None] + [-1]) + 1
    cells = [[""] * ncol for _ in range(nq)]
    for op, l in zip(ops, lay):
        if l is None:
            continue
        base = op[4] if op[0] == "cond" else op
        q, _ = wires(op, nq)
        ctl = set()
        if base[0] == "gate":
            ctl = set(base[4]) | set(base[2][:gate_controls(base[1])])
        elif base[0] == "matrix":
            ctl = set(base[3])
        text = label(op)
        if base[0] == "measure":
            text = "M%d" % base[2]
        for i in q:
            cells[i][l] = "*" if i in ctl else text
    width = [max([len(cells[i][c]) for i in range(nq)] + [1]) for c in range(ncol)]
    rows = []
    for i in range(nq):
        parts = [cells[i][c].center(width[c], "-") for c in range(ncol)]
        rows.append("q%-3d: -%s-" % (i, "--".join(parts)))
    return "\n".join(rows)
