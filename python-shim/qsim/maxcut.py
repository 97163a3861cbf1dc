"""MaxCut graphs and QAOA, as `qsim qaoa` runs it (the optimization loop
runs in C; each cost layer is one diagonal pass)."""

import ctypes
import math
import os

import numpy as np

from ._arrays import reals
from ._ffi import C, ptr
from ._handle import Handle, new_handle
from .circuit import Circuit
from .objective import Objective, grad_method
from .optimize import Log, Result, _chain, make_optimizer


class Graph(Handle):
    """An undirected graph with weighted edges (nodes 0..n-1).

        Graph(4, [(0, 1), (1, 2, 2.5)])     edges (u, v) or (u, v, w)
        Graph.from_file(path)               the data files' edge lists
    """

    _destroy = C.qh_graph_destroy

    def __init__(self, num_nodes, edges=(), _handle=None):
        super().__init__(_handle if _handle is not None
                         else new_handle(C.qh_graph_create, int(num_nodes)))
        for e in edges:
            self.add_edge(*e)

    @classmethod
    def from_file(cls, path):
        """Reads '# key: value' header lines, then one edge 'u v [w]' per line."""
        return cls(0, _handle=new_handle(C.qh_graph_read, os.fsencode(path)))

    @classmethod
    def from_edges(cls, edges, num_nodes=None):
        edges = [tuple(e) for e in edges]
        n = num_nodes if num_nodes is not None else 1 + max(max(e[0], e[1]) for e in edges)
        return cls(n, edges)

    def add_edge(self, u, v, w=1.0):
        C.qh_graph_add_edge(self._handle, int(u), int(v), float(w))
        return self

    @property
    def num_nodes(self):
        return C.qh_graph_num_nodes(self._handle)

    @property
    def num_edges(self):
        return C.qh_graph_num_edges(self._handle)

    def header(self, key):
        """A header value of the file ("maxcut_value"), or None."""
        v = C.qh_graph_header(self._handle, key.encode())
        return None if v is None else v.decode()

    def cut_values(self):
        """The cut of every assignment: values[b] = total weight of the edges
        whose endpoints' bits differ in b (node j = bit j)."""
        out = np.empty(1 << self.num_nodes)
        C.qh_maxcut_values(self._handle, ptr(out))
        return out

    def __repr__(self):
        if self._h is None:
            return "Graph(closed)"
        return "Graph(%d nodes, %d edges)" % (self.num_nodes, self.num_edges)


def maxcut_values(graph):
    """Graph.cut_values() of a Graph, path or edge list."""
    g, own = _graph(graph)
    try:
        return g.cut_values()
    finally:
        if own:
            g.close()


def qaoa_circuit(num_qubits, cost, layers):
    """prod_l exp(-i b_l sum X) exp(-i g_l C) |+>^n for C = diag(cost),
    parameters gamma1, beta1, gamma2, beta2, ..."""
    c = reals(cost, (1 << int(num_qubits),), "cost (one value per basis state)")
    return Circuit(0, _handle=new_handle(C.qh_qaoa_circuit, int(num_qubits), ptr(c),
                                         int(layers)))


def grid_search(objective, n_gamma, n_beta, gamma_max=math.pi):
    """The best (gamma, beta) of a one-layer QAOA objective on an n_gamma x
    n_beta grid over [0, gamma_max) x [0, pi/2), evaluated as one batch;
    returns ((gamma, beta), value)."""
    best = np.empty(2)
    val = ctypes.c_double()
    C.qh_qaoa_grid_search(objective._handle, int(n_gamma), int(n_beta), float(gamma_max),
                          ptr(best), ctypes.byref(val))
    return best, val.value


def interp(params):
    """INTERP: a start for p + 1 layers from optimal parameters of p layers
    (interleaved gamma1, beta1, ...)."""
    x = reals(params).ravel()
    if x.size % 2 or x.size == 0:
        raise ValueError("params must hold (gamma, beta) pairs")
    out = np.empty(x.size + 2)
    C.qh_qaoa_interp(x.size // 2, ptr(x), ptr(out))
    return out


def _graph(graph):
    if isinstance(graph, Graph):
        return graph, False
    if isinstance(graph, (str, os.PathLike)):
        return Graph.from_file(graph), True
    return Graph.from_edges(graph), True


def _auto_grid(cost, gamma_max):
    """2 points per unit of the cost's range over [0, pi) (twice the
    landscape's Nyquist rate in gamma), between 24 and 2000; as qsim qaoa."""
    g = math.ceil(2 * (cost.max() - cost.min()) * gamma_max / math.pi)
    return min(max(g, 24), 2000)


def qaoa(graph, layers=1, grid=None, gamma_max=math.pi, top=5, optimizer="bfgs", maxiter=1000,
         gtol=1e-10, ftol=0.0, grad="adjoint", seed=1, threads=0, options=None, callback=None,
         log=None):
    """QAOA for weighted MaxCut, as `qsim qaoa --graph`.

    graph: a Graph, a file path or an edge list.  Depth 1 starts from the
    best point of a (gamma, beta) grid (``grid=(G, B)``, default: 2 points
    per unit of the cut range, 8 in beta) evaluated as one batch; each
    further depth from the INTERP extension of the previous optimum; each
    depth is one optimizer run in C (a stage of the log and the callback).

    Returns a Result: expected_cut, max_cut, approximation_ratio,
    optimal_cut_probability, reference_p1_expected_cut (from the file's
    qaoa_p1_optimum, or nan), parameters (gamma1, beta1, ...), most_likely
    (top dicts: bitstring with node 0 first, index, probability, cut),
    probabilities, iterations, evaluations, grad_norm, stop_reason.
    """
    g, own = _graph(graph)
    lg = Log(log, "qaoa")
    try:
        n = g.num_nodes
        cost = g.cut_values()
        max_cut = float(cost.max())
        head = g.header("maxcut_value")
        if head is not None and float(head) != max_cut:
            raise ValueError("header maxcut_value %s, but the edges give %g" % (head, max_cut))
        head = g.header("qaoa_p1_optimum")
        ref = float(head.split("F=")[1].split()[0].rstrip(",")) if head and "F=" in head \
            else float("nan")
        neg = -cost
        x = None
        for d in range(1, int(layers) + 1):
            with qaoa_circuit(n, cost, d) as c, \
                    Objective(c, neg, method=grad, threads=threads) as obj, \
                    make_optimizer(optimizer, 2 * d, maxiter, gtol, ftol, options, seed) as opt:
                if opt.name == "qng":
                    opt.set_metric(obj)
                if d == 1:
                    gg, gb = grid if grid is not None else (_auto_grid(cost, gamma_max), 8)
                    x0, _ = grid_search(obj, gg, gb, gamma_max)
                else:
                    x0 = interp(x)
                opt.start(obj, x0)
                reason = opt.run(_chain(lg if lg.f else None, callback), d - 1, "p=%d" % d)
                x = opt.x
                expected = -opt.f
                stats = dict(iterations=opt.iterations, evaluations=opt.evaluations,
                             grad_norm=opt.grad_norm, stop_reason=reason, optimizer=opt.name)
                if d == int(layers):
                    with obj.state(x) as s:
                        probs = s.probabilities()
        order = np.argsort(-probs, kind="stable")[: min(int(top), probs.size)]
        best = [{"bitstring": "".join(str(b >> i & 1) for i in range(n)), "index": int(b),
                 "probability": float(probs[b]), "cut": float(cost[b])} for b in order]
        return Result(expected_cut=expected, max_cut=max_cut,
                      approximation_ratio=expected / max_cut,
                      optimal_cut_probability=float(probs[cost == max_cut].sum()),
                      reference_p1_expected_cut=ref, parameters=x, most_likely=best,
                      probabilities=probs, nodes=n, edges=g.num_edges, layers=int(layers),
                      gradient=C.qh_grad_method_name(grad_method(grad)).decode(), **stats)
    finally:
        lg.close()
        if own:
            g.close()
