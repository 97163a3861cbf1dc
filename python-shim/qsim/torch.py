"""PyTorch adapters: expectation values of parameterized circuits as a
differentiable torch function and module, with backward passes from the
library's adjoint gradients (one forward run and one backward sweep per
parameter vector, a whole batch in one library call).

    layer = qsim.torch.QuantumLayer(circuit, ["Z0", "Z1"], inputs=["x0", "x1"])
    out = layer(x)          # (batch, 2) expectation values; x: (batch, 2)

Imported on first use of qsim.QuantumLayer / qsim.QuantumFunction.
"""

import numpy as np
import torch

from .objective import Objective


class QuantumFunction(torch.autograd.Function):
    """E_k(params_b) = <psi(params_b)|O_k|psi(params_b)> for a batch of
    parameter vectors (B, n) and objectives O_1..O_K: output (B, K).  The
    gradient (B, K, n) comes from the adjoint method (``method`` may also
    be "shift" or "fd"), computed with the values when params requires a
    gradient, and backward is its vector-Jacobian product."""

    @staticmethod
    def forward(ctx, params, objectives, method="adjoint"):
        P = params.detach().to(torch.float64).cpu().numpy()
        squeeze = P.ndim == 1
        P = np.ascontiguousarray(P.reshape(1, -1) if squeeze else P)
        vals = np.empty((P.shape[0], len(objectives)))
        if ctx.needs_input_grad[0]:
            grads = np.empty((P.shape[0], len(objectives), P.shape[1]))
            for k, o in enumerate(objectives):
                vals[:, k], grads[:, k, :] = o.values_and_gradients(P, method)
            ctx.save_for_backward(torch.from_numpy(grads))
        else:
            for k, o in enumerate(objectives):
                vals[:, k] = o.values(P)
        ctx.squeeze = squeeze
        ctx.dtype = params.dtype
        out = torch.from_numpy(vals).to(device=params.device, dtype=params.dtype)
        return out[0] if squeeze else out

    @staticmethod
    def backward(ctx, grad_out):
        (grads,) = ctx.saved_tensors
        g = grad_out.detach().to(torch.float64).cpu()
        if ctx.squeeze:
            g = g.reshape(1, -1)
        gp = torch.einsum("bk,bkn->bn", g, grads)
        if ctx.squeeze:
            gp = gp[0]
        return gp.to(device=grad_out.device, dtype=ctx.dtype), None, None


def _objectives(circuit, observables, method, noise=None):
    if not isinstance(observables, (list, tuple)) or (
            observables and isinstance(observables[0], (int, float))):
        observables = [observables]
    return [Objective(circuit, o, method=method, noise=noise) for o in observables]


class QuantumLayer(torch.nn.Module):
    """A torch module: expectation values of observables on a parameterized
    circuit.  The circuit's parameters named in ``inputs`` are fed from the
    module's input (batch, len(inputs)); the others are trainable weights
    (a torch Parameter initialised uniformly in [-init, init], or from
    ``weights``).  Output: (batch, len(observables)).  Observables are
    Hamiltonians, Pauli strings ("Z0"), SparsePauliOps or real diagonals.
    Gradients flow to both the inputs and the weights (adjoint method).
    With ``noise`` (a NoiseModel) the outputs are Tr(rho O) of the noisy
    circuit's density matrix, differentiated by parameter shift."""

    def __init__(self, circuit, observables, inputs=(), weights=None, init=np.pi,
                 method=None, seed=None, noise=None):
        super().__init__()
        names = circuit.parameters
        missing = [n for n in inputs if n not in names]
        if missing:
            raise ValueError("inputs %s are not parameters of the circuit %s" % (missing, names))
        self.input_names = list(inputs)
        self.weight_names = [n for n in names if n not in self.input_names]
        if method is None:
            method = "adjoint" if noise is None else "shift"
        self.method = method
        self._objectives = _objectives(circuit, observables, method, noise)
        # column j of the concatenation [inputs, weights] goes to parameter order[j]
        cat = self.input_names + self.weight_names
        self.register_buffer("_order", torch.tensor([cat.index(n) for n in names],
                                                    dtype=torch.long), persistent=False)
        if weights is None:
            gen = torch.Generator().manual_seed(seed) if seed is not None else None
            weights = (2 * torch.rand(len(self.weight_names), generator=gen,
                                      dtype=torch.float64) - 1) * init
        self.weight = torch.nn.Parameter(torch.as_tensor(weights, dtype=torch.float64).clone())

    @property
    def num_outputs(self):
        return len(self._objectives)

    def forward(self, x=None):
        w = self.weight
        if x is None:
            if self.input_names:
                raise ValueError("this layer takes inputs %s" % self.input_names)
            params = w.reshape(1, -1)
        else:
            x = torch.as_tensor(x, dtype=torch.float64)
            squeeze = x.ndim == 1
            x = x.reshape(1, -1) if squeeze else x
            if x.shape[1] != len(self.input_names):
                raise ValueError("expected %d input features, got %d"
                                 % (len(self.input_names), x.shape[1]))
            params = torch.cat([x.to(w.dtype), w.expand(x.shape[0], -1)], dim=1)
        params = params.index_select(1, self._order)
        out = QuantumFunction.apply(params, self._objectives, self.method)
        return out[0] if x is None or squeeze else out

    def extra_repr(self):
        return "inputs=%s, weights=%d, outputs=%d, method=%s" % (
            self.input_names, len(self.weight_names), self.num_outputs, self.method)
