"""matplotlib helpers: the training curve of a JSON-lines log (as the qsim
commands write with --log, and vqe(), qaoa(), train_classifier() and
minimize() with log=), a measurement histogram, a kernel matrix.

Each returns the matplotlib Figure and, given path=, saves it there (PNG by
the file's extension).  Imported on first use of qsim.plot_*; choose a
backend first where there is no display (matplotlib.use("Agg")).
"""

import json
import os

import numpy as np


def read_log(source):
    """The records of a JSON-lines log: a path, an open file, or lines."""
    if isinstance(source, (str, os.PathLike)):
        with open(source) as f:
            return [json.loads(line) for line in f if line.strip()]
    return [json.loads(line) if isinstance(line, str) else line for line in source
            if not isinstance(line, str) or line.strip()]


def _figure(ax):
    import matplotlib.pyplot as plt
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 4))
    return ax.figure, ax


def _finish(fig, path):
    if path is not None:
        fig.savefig(path, dpi=100, bbox_inches="tight")
    return fig


def plot_training_curve(log, ax=None, path=None, key="f", title=None, reference=None):
    """f (or another key, e.g. "grad_norm") against the iteration, one line
    per stage (scan point, QAOA depth).  reference: a horizontal line (an
    exact energy)."""
    records = read_log(log)
    if not records:
        raise ValueError("the log has no records")
    fig, ax = _figure(ax)
    stages = {}
    for r in records:
        stages.setdefault((r.get("stage", 0), r.get("label")), []).append(r)
    for (stage, label), rs in stages.items():
        its = [r["iter"] for r in rs]
        vals = [np.nan if r.get(key) is None else r[key] for r in rs]
        ax.plot(its, vals, marker="." if len(rs) < 50 else None,
                label=label if label is not None else "stage %d" % stage)
    if reference is not None:
        ax.axhline(reference, color="gray", linestyle="--", label="reference")
    if key == "grad_norm":
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel(key)
    ax.set_title(title or "%s training curve" % records[0].get("command", ""))
    if len(stages) > 1 or reference is not None:
        ax.legend()
    return _finish(fig, path)


def plot_histogram(counts, ax=None, path=None, top=None, title=None, probabilities=False):
    """A bar chart of measurement outcomes: counts is a dict {bitstring:
    count} (State.counts, Circuit.counts), or an array of probabilities over
    basis indices (keys are then bit strings, highest qubit first).  top:
    only the most frequent outcomes; probabilities: normalise the bars."""
    if not isinstance(counts, dict):
        p = np.asarray(counts, dtype=float).ravel()
        n = max(int(np.log2(p.size)), 1)
        counts = {format(i, "0%db" % n): float(v) for i, v in enumerate(p)}
    items = sorted(counts.items())
    if top is not None:
        items = sorted(items, key=lambda kv: -kv[1])[: int(top)]
        items.sort()
    keys = [k for k, _ in items]
    vals = np.array([v for _, v in items], dtype=float)
    if probabilities and vals.sum() > 0:
        vals = vals / vals.sum()
    fig, ax = _figure(ax)
    ax.bar(range(len(keys)), vals, color="tab:blue")
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels(keys, rotation=70 if len(keys) > 8 else 0, fontfamily="monospace")
    ax.set_ylabel("probability" if probabilities else "counts")
    ax.set_xlabel("outcome")
    if title:
        ax.set_title(title)
    return _finish(fig, path)


def plot_kernel(K, ax=None, path=None, title="quantum kernel"):
    """A kernel (or any) matrix as an image with a color bar."""
    fig, ax = _figure(ax)
    im = ax.imshow(np.asarray(K), cmap="viridis", vmin=0, vmax=1)
    fig.colorbar(im, ax=ax)
    ax.set_title(title)
    return _finish(fig, path)
