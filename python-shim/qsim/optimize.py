"""Optimizers in the shape of GSL's multimin (gd, adam, spsa, bfgs,
nelder-mead, qng), run in C.

Minimizing an Objective (or a classifier's minibatches) passes the
library's own qh_fdf to the optimizer, so the whole loop -- evaluations,
gradients, steps, stopping rules -- runs in C without returning to Python.
A Python callable can be minimized too (it is then called back per
evaluation).  An optional callback(Iteration) runs after every iteration;
it may return True to stop the run early, and an exception it raises stops
the run cleanly and is raised to the caller.
"""

import ctypes
import json
import time
from collections import namedtuple

import numpy as np

from ._arrays import reals
from ._callback import Callbacks
from ._ffi import FDF, ITER_FN, METRIC_FN, MINIBATCH_FDF, OBJECTIVE_FDF, OBJECTIVE_METRIC, \
    QS_ECALLBACK, C, ptr
from ._handle import Handle, new_handle
from .errors import QsimError

STOP_REASONS = {0: "running", 1: "maxiter", 2: "gtol", 3: "ftol", 4: "no progress"}
_STOPPED_BY_CALLBACK = "callback"

Iteration = namedtuple("Iteration", "iteration f x grad_norm evaluations elapsed stage label")
Iteration.__doc__ = """What a per-iteration callback receives: the iteration
count, f and x (a copy) at the current point, the gradient norm (the simplex
size for Nelder-Mead, nan for SPSA), the evaluations so far, the seconds
since the run started, and the stage (0, or a QAOA depth / scan point) and
its label."""


def optimizers():
    """Names of the optimizer types, in the library's order."""
    out, i = [], 0
    while C.qh_optimizer_type_at(i):
        out.append(C.qh_optimizer_type_name(C.qh_optimizer_type_at(i)).decode())
        i += 1
    return out


def _type(name):
    t = C.qh_optimizer_lookup(str(name).encode())
    if not t:
        raise ValueError("unknown optimizer %r (%s)" % (name, ", ".join(optimizers())))
    return t


def _as_fdf(fn, n, cbs):
    """(qh_fdf, ctx, keep) for what an optimizer minimizes: an Objective or
    Minibatch (the library's fdf: the loop stays in C), or a Python callable
    f(x) -> value or (value, gradient)."""
    from .classifier import Minibatch
    from .objective import Objective
    if isinstance(fn, (Objective, Minibatch)):
        # the library reads num_params values at x: an x0 of another length
        # would be read past its end
        if fn.num_params != n:
            raise ValueError("x0 has %d entries, %s has %d parameters"
                             % (n, type(fn).__name__, fn.num_params))
        return (OBJECTIVE_FDF if isinstance(fn, Objective) else MINIBATCH_FDF), fn._handle, fn

    def fdf(ctx, x, f, grad):
        xs = np.ctypeslib.as_array(x, (n,)).copy()
        r = fn(xs)
        if isinstance(r, tuple):
            val, g = r
        else:
            val, g = r, None
        f[0] = float(val)
        if grad:
            if g is None:
                raise TypeError("this optimizer needs a gradient: return (value, gradient) "
                                "from the function, or use nelder-mead or spsa")
            g = np.asarray(g, dtype=np.float64).ravel()
            if g.size != n:
                raise ValueError("the gradient has %d entries, expected %d" % (g.size, n))
            ctypes.memmove(grad, g.ctypes.data, 8 * n)
        return 0

    return cbs.wrap(FDF, fdf), None, fn


class Optimizer(Handle):
    """An optimizer of a type ("gd", "adam", "spsa", "bfgs", "nelder-mead",
    "qng") for n variables, with numeric options of the type
    (learning_rate=0.1, ...) and stopping rules (maxiter, gtol, ftol; 0
    disables one).

        opt = qsim.Optimizer("bfgs", objective.num_params, maxiter=200)
        opt.start(objective, x0)        # an Objective: the loop runs in C
        opt.run(callback=print)
        opt.x, opt.f, opt.iterations, opt.stop_reason
    """

    _destroy = C.qh_optimizer_free

    def __init__(self, kind, n, maxiter=1000, gtol=1e-6, ftol=0.0, **options):
        super().__init__(new_handle(C.qh_optimizer_alloc, _type(kind), int(n)))
        self.n = int(n)
        self._cbs = Callbacks()       # keeps the fdf and metric callbacks alive
        self._fdf = None
        self._keep = []
        for name, value in options.items():
            self.set_option(name, value)
        self.set_stop(maxiter, gtol, ftol)
        self.stopped_by_callback = False

    @property
    def name(self):
        return C.qh_optimizer_name(self._handle).decode()

    def __repr__(self):
        if self._h is None:
            return "Optimizer(closed)"
        return "Optimizer(%s, %d variables, %d iterations)" % (self.name, self.n,
                                                               self.iterations)

    def set_option(self, name, value):
        C.qh_optimizer_set_option(self._handle, name.encode(), float(value))
        return self

    def set_stop(self, maxiter=1000, gtol=1e-6, ftol=0.0):
        C.qh_optimizer_set_stop(self._handle, int(maxiter or 0), float(gtol or 0),
                                float(ftol or 0))
        return self

    def set_metric(self, metric):
        """The metric of qng: an Objective (its block-diagonal Fubini-Study
        metric, computed in C) or a callable x -> (n, n) array."""
        from .objective import Objective
        if isinstance(metric, Objective):
            fn, ctx = OBJECTIVE_METRIC, metric._handle
        else:
            n = self.n

            def g(ctx, x, out):
                m = np.asarray(metric(np.ctypeslib.as_array(x, (n,)).copy()), dtype=np.float64)
                if m.shape != (n, n):
                    raise ValueError("the metric must be (%d, %d), got %s" % (n, n, m.shape))
                ctypes.memmove(out, np.ascontiguousarray(m).ctypes.data, 8 * n * n)
            fn, ctx = self._cbs.wrap(METRIC_FN, g), None
        self._keep.append(metric)
        self._cbs.call(C.qh_optimizer_set_metric, self._handle, fn, ctx)
        return self

    def start(self, fn, x0):
        """Starts at x0 minimizing fn: an Objective, a Minibatch, or a
        callable f(x) -> value or (value, gradient).  Evaluates it at x0."""
        x = reals(x0).ravel()
        if x.size != self.n:
            raise ValueError("x0 has %d entries, the optimizer %d" % (x.size, self.n))
        self._fdf = _as_fdf(fn, self.n, self._cbs)
        self._cbs.call(C.qh_optimizer_set, self._handle, self._fdf[0], self._fdf[1], ptr(x))
        return self

    def resume(self, fn, checkpoint):
        """Continues from save()'s checkpoint instead of start() (same type,
        options, stopping rules and function as the saved run)."""
        buf = reals(checkpoint).ravel()
        self._fdf = _as_fdf(fn, self.n, self._cbs)
        self._cbs.call(C.qh_optimizer_resume, self._handle, self._fdf[0], self._fdf[1],
                       ptr(buf), buf.size)
        return self

    def save(self):
        """A checkpoint (float64 array) from which resume() continues exactly."""
        n = ctypes.c_size_t()
        C.qh_optimizer_save(self._handle, None, 0, ctypes.byref(n))
        buf = np.empty(n.value)
        C.qh_optimizer_save(self._handle, ptr(buf), buf.size, ctypes.byref(n))
        return buf

    def iterate(self):
        """One iteration."""
        self._started()
        self._cbs.call(C.qh_optimizer_iterate, self._handle)
        return self

    def run(self, callback=None, stage=0, label=None):
        """Iterates until a stopping rule holds; returns the reason ("maxiter",
        "gtol", "ftol", "no progress", or "callback" when the callback
        returned True).  callback(Iteration) runs after each iteration."""
        self._started()
        self.stopped_by_callback = False
        reason = ctypes.c_int()
        cb = ITER_FN()      # NULL: no callback
        if callback is not None:
            n, t0 = self.n, time.perf_counter()

            def on_iter(ctx, o):
                x = np.ctypeslib.as_array(C.qh_optimizer_x(o), (n,)).copy()
                it = Iteration(C.qh_optimizer_iterations(o), C.qh_optimizer_f(o), x,
                               C.qh_optimizer_grad_norm(o), C.qh_optimizer_evaluations(o),
                               time.perf_counter() - t0, stage, label)
                if callback(it) is True:
                    self.stopped_by_callback = True
                    return C.qs_set_error(QS_ECALLBACK, b"callback", b"stopped by the callback")
                return 0
            cb = self._cbs.wrap(ITER_FN, on_iter)
        try:
            self._cbs.call(C.qh_optimizer_run, self._handle, cb, None, ctypes.byref(reason))
        except QsimError as e:
            if not (self.stopped_by_callback and e.status == "QS_ECALLBACK"):
                raise
            return _STOPPED_BY_CALLBACK
        finally:
            if callback is not None:
                self._cbs._keep.remove(cb)
        return STOP_REASONS.get(reason.value, str(reason.value))

    def _started(self):
        if self._fdf is None:
            raise ValueError("start() the optimizer first")

    # ---- the current point -------------------------------------------------
    @property
    def x(self):
        """The current point (a copy)."""
        return np.ctypeslib.as_array(C.qh_optimizer_x(self._handle), (self.n,)).copy()

    @property
    def f(self):
        return C.qh_optimizer_f(self._handle)

    @property
    def gradient(self):
        """The gradient at the current point, or None for gradient-free types."""
        g = C.qh_optimizer_gradient(self._handle)
        return np.ctypeslib.as_array(g, (self.n,)).copy() if g else None

    @property
    def grad_norm(self):
        return C.qh_optimizer_grad_norm(self._handle)

    @property
    def iterations(self):
        return C.qh_optimizer_iterations(self._handle)

    @property
    def evaluations(self):
        return C.qh_optimizer_evaluations(self._handle)

    @property
    def stop_reason(self):
        if self.stopped_by_callback:
            return _STOPPED_BY_CALLBACK
        return STOP_REASONS.get(C.qh_optimizer_stop_reason(self._handle))


class Result:
    """The result of a run: attributes, also as a dict (as_dict())."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def as_dict(self):
        return {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                for k, v in self.__dict__.items() if not k.startswith("_")}

    def __repr__(self):
        shown = ", ".join("%s=%s" % (k, _short(v)) for k, v in self.__dict__.items()
                          if not k.startswith("_"))
        return "%s(%s)" % (type(self).__name__, shown)


def _short(v):
    if isinstance(v, np.ndarray) and v.size > 4:
        return "array(shape=%s)" % (v.shape,)
    if isinstance(v, float):
        return "%.10g" % v
    if isinstance(v, list) and len(v) > 4:
        return "[%d items]" % len(v)
    return repr(v)


class Log:
    """The per-iteration JSON-lines log of the qsim commands' --log: one
    object per iteration with command, stage, label (when set), iter, f,
    grad_norm (null when undefined), evaluations, elapsed and x."""

    def __init__(self, path, command):
        self.command = command
        self.f = open(path, "w") if path is not None else None

    def __call__(self, it):
        if self.f is None:
            return
        rec = {"command": self.command, "stage": it.stage}
        if it.label is not None:
            rec["label"] = it.label
        rec.update({"iter": it.iteration, "f": it.f,
                    "grad_norm": it.grad_norm if np.isfinite(it.grad_norm) else None,
                    "evaluations": it.evaluations, "elapsed": round(it.elapsed, 3),
                    "x": it.x.tolist()})
        self.f.write(json.dumps(rec) + "\n")

    def close(self):
        if self.f is not None:
            self.f.close()
            self.f = None


def _chain(log, callback):
    """One per-iteration callback from a log and a user callback."""
    if log is None and callback is None:
        return None

    def both(it):
        if log is not None:
            log(it)
        if callback is not None:
            return callback(it)
    return both


def make_optimizer(kind, n, maxiter, gtol, ftol, options=None, seed=1):
    """An Optimizer as the qsim commands make one: options applied, and
    SPSA seeded from seed unless options give its seed."""
    opt = Optimizer(kind, n, maxiter=maxiter, gtol=gtol, ftol=ftol, **(options or {}))
    if opt.name == "spsa" and "seed" not in (options or {}):
        opt.set_option("seed", float(int(seed) & ((1 << 52) - 1)))
    return opt


def minimize(fn, x0, method="bfgs", maxiter=1000, gtol=1e-6, ftol=0.0, options=None,
             callback=None, log=None, grad="adjoint", seed=1, metric=None):
    """Minimizes fn from x0 with an optimizer of the library.

    fn: an Objective (the whole loop runs in C; ``grad`` picks its gradient
    method), a Minibatch, or a callable f(x) -> value or (value, gradient).
    options: the type's numeric options ({"learning_rate": 0.1}).
    callback(Iteration) runs after each iteration (return True to stop);
    log: a path for the JSON-lines log the qsim commands write with --log.
    For "qng" the metric is the objective's, or the callable ``metric``.
    Returns a Result with x, fun, iterations, evaluations, grad_norm,
    stop_reason.
    """
    from .objective import Objective
    x = reals(x0).ravel()
    if isinstance(fn, Objective):
        fn.set_method(grad)
    with make_optimizer(method, x.size, maxiter, gtol, ftol, options, seed) as opt:
        if opt.name == "qng":
            opt.set_metric(metric if metric is not None else fn)
        lg = Log(log, "minimize")
        try:
            opt.start(fn, x)
            reason = opt.run(_chain(lg if log else None, callback))
        finally:
            lg.close()
        return Result(x=opt.x, fun=opt.f, iterations=opt.iterations,
                      evaluations=opt.evaluations, grad_norm=opt.grad_norm, stop_reason=reason,
                      optimizer=opt.name)
