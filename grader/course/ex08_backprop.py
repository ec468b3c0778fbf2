"""Catalog entry 08_backprop: hand-written backpropagation through seed 001's two-layer network."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from grader.checks import Case, Mistake, NumericCheck, TensorTruth
from grader.checks.evidence import trained
from grader.course.catalog import exercise
from grader.course.shortcuts import AUTOGRAD
from grader.i18n import N_, _
from grader.inputs import TensorInput

__all__ = ["EXERCISE", "Gradients", "numpy_backprop", "truth"]

_NAMES = ("X", "y", "W1", "W2")
_GPU_SKIPPED = N_("GPU comparison skipped: no CUDA device on this machine (CPU cases were "
                  "graded).")

# (loss, dW1, dW2) as float64 arrays, for the tutor's plots and the diagnoses.
Gradients = tuple[float, np.ndarray, np.ndarray]

_FORBIDDEN = dataclasses.replace(
    AUTOGRAD,
    message=N_("This exercise is about backpropagation by hand: backward(), torch.autograd, "
               "torch.func and functorch may not be used. Derive dW2 and then dW1 with the "
               "chain rule, layer by layer."),
)

# (label, m samples, n inputs, h hidden nodes, k outputs)
_SHAPES = (
    (N_("seed 001's network: 2 inputs, 3 hidden nodes, 1 output, m = 5"), 5, 2, 3, 1),
    (N_("a square hidden layer: 3 inputs, 3 hidden nodes, m = 4"), 4, 3, 3, 1),
    (N_("one sample: m = 1, 4 inputs, 2 hidden nodes"), 1, 4, 2, 1),
    (N_("two outputs: m = 6, 2 inputs, 5 hidden nodes"), 6, 2, 5, 2),
)


def _draw(rng: np.random.Generator, cuda: bool) -> list[Case]:
    devices = ["cpu", "cuda"] if cuda else ["cpu"]
    cases = []
    for device in devices:
        for label, m, n, h, k in _SHAPES:
            arrays = (rng.normal(0, 1, (m, n)), rng.normal(0, 1, (m, k)),
                      rng.normal(0, 1, (n, h)), rng.normal(0, 1, (h, k)))
            args = tuple(TensorInput(a, device) for a in arrays)
            cases.append(Case(_("{data} on {device}").format(data=_(label), device=device),
                              args, _NAMES, device=device))
    return cases


def _autograd(case: Case, *, sigmoid_out: bool = False, per_entry: bool = False) -> Gradients:
    """The truth; `sigmoid_out` puts σ on the output too and `per_entry` averages the loss
    over all m·k entries (named mistakes), both by the same autograd."""
    import torch  # here, not at import: the catalog loads where torch is not wanted yet

    X, y, W1, W2 = (torch.tensor(arg.values, dtype=torch.float64) for arg in case.args)
    W1.requires_grad_(True)
    W2.requires_grad_(True)
    out = torch.sigmoid(X @ W1) @ W2
    if sigmoid_out:
        out = torch.sigmoid(out)
    loss = ((out - y) ** 2).sum() / (2 * (y.numel() if per_entry else X.shape[0]))
    dW1, dW2 = torch.autograd.grad(loss, (W1, W2))
    return float(loss.detach()), dW1.numpy(), dW2.numpy()


def _as_answer(case: Case, loss: object, dW1: object, dW2: object) -> tuple[TensorTruth, ...]:
    return tuple(TensorTruth(np.asarray(v, dtype=float), "float64", case.device)
                 for v in (loss, dW1, dW2))


def truth(case: Case) -> tuple[TensorTruth, ...]:
    return _as_answer(case, *_autograd(case))


def _sigma(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def numpy_backprop(
    X: np.ndarray, y: np.ndarray, W1: np.ndarray, W2: np.ndarray,
    sigma_prime: Callable[[np.ndarray], np.ndarray] = lambda H: H * (1 - H),
    through_W2: bool = True,
) -> Gradients:
    """(loss, dW1, dW2) in float64 NumPy; `sigma_prime(H)` is σ′ given H = σ(Z), which the
    named mistakes replace, as `through_W2=False` drops W2 from the chain to the hidden
    layer (d_out broadcast over H, which fits only one output). Plain arrays in and out."""
    m = X.shape[0]
    H = _sigma(X @ W1)
    err = H @ W2 - y
    d_out = err / m
    d_Z = (d_out @ W2.T if through_W2 else d_out) * sigma_prime(H)
    return float((err**2).sum() / (2 * m)), X.T @ d_Z, H.T @ d_out


def _with(case: Case, **change: Any) -> tuple[TensorTruth, ...]:
    """The answer with a wrong σ′ (`sigma_prime`), or the true one with parts rescaled."""
    X, y, W1, W2 = (arg.values for arg in case.args)
    loss, dW1, dW2 = numpy_backprop(X, y, W1, W2, **change)
    return _as_answer(case, loss, dW1, dW2)


def _scaled(case: Case, loss_scale: float, grad_scale: float) -> tuple[TensorTruth, ...]:
    loss, dW1, dW2 = _autograd(case)
    return _as_answer(case, loss * loss_scale, dW1 * grad_scale, dW2 * grad_scale)


def _m(case: Case) -> int:
    return case.args[0].values.shape[0]


def _one_output(case: Case) -> list[Case]:
    """The case cut to its first output (y[:, :1], W2[:, :1]), where d_out broadcasts over H:
    a chain without W2 fits there and gives another dW1 (probes for a shape error)."""
    X, y, W1, W2 = case.args
    if y.values.shape[1] == 1:
        return []
    cut = (X, TensorInput(y.values[:, :1], y.device), W1, TensorInput(W2.values[:, :1],
                                                                      W2.device))
    return [dataclasses.replace(case, label=_("{data}, first output only").format(
        data=case.label), args=cut)]


def _variant(case: Case, **change: bool) -> tuple[TensorTruth, ...]:
    return _as_answer(case, *_autograd(case, **change))


def _transposed(case: Case) -> tuple[TensorTruth, ...]:
    loss, dW1, dW2 = _autograd(case)
    return _as_answer(case, loss, dW1.T, dW2)


_MISSING_M = N_("The loss is a mean, 1/(2m)·Σ(out − y)², so every gradient carries the 1/m "
                "too: ∂loss/∂out = (out − y)/m.")

_PER_ENTRY = N_("The loss averages over the m samples only, 1/(2m)·Σ(out − y)², summing "
                "over the k outputs: .mean() divides by m·k, which differs once there are "
                "several outputs. Divide the sum by 2m, with m = X.shape[0].")

EXERCISE = exercise(
    "08_backprop",
    "numeric",
    [
        NumericCheck(
            "backprop",
            4,
            draw=_draw,
            truth=truth,
            skipped_without_cuda=_GPU_SKIPPED,
            # The tutor's plot: seed 001's network trained with the student's gradients.
            evidence=trained(truth, weights=("W1", "W2"), steps=10, lr=1.0),
            mistakes=[
                Mistake("sigma-instead-of-sigma-prime", N_(
                    "Through the hidden layer multiply by σ′(Z) = H·(1 − H), the derivative; "
                    "yours multiplies by σ(Z) = H itself."),
                    lambda c: _with(c, sigma_prime=lambda H: H)),
                Mistake("sigma-prime-of-sigma", N_(
                    "H is already σ(Z): σ′(Z) = H·(1 − H). Yours applies σ to H again, "
                    "σ(H)·(1 − σ(H)), which is σ′ taken at σ(Z)."),
                    lambda c: _with(c, sigma_prime=lambda H: _sigma(H) * (1 - _sigma(H)))),
                Mistake("missing-1/m", _MISSING_M, lambda c: _scaled(c, 1, _m(c))),
                Mistake("missing-1/m", _MISSING_M, lambda c: _scaled(c, _m(c), _m(c))),
                Mistake("transposed-dW1", N_(
                    "dW1 must have W1's shape (n, h): dW1 = Xᵀ @ ∂loss/∂Z. Yours is its "
                    "transpose (∂loss/∂Zᵀ @ X), which only fits when n = h."), _transposed),
                Mistake("missing-W2-in-chain", N_(
                    "The chain from the output back to the hidden layer goes through W2: "
                    "∂loss/∂H = ∂loss/∂out @ W2ᵀ. Yours multiplies ∂loss/∂out straight into "
                    "σ′(Z), which broadcasts only while there is one output."),
                    lambda c: _with(c, through_W2=False), probes=_one_output),
                Mistake("sigmoid-on-output", N_(
                    "The output layer has no activation: out = H @ W2, as seed 001's node 21 "
                    "adds up its weighted inputs. Yours applies σ to the output too."),
                    lambda c: _variant(c, sigmoid_out=True)),
                Mistake("mean-over-outputs", _PER_ENTRY, lambda c: _variant(c, per_entry=True)),
                Mistake("mean-over-outputs", _PER_ENTRY,
                        lambda c: (_variant(c, per_entry=True)[0], *truth(c)[1:])),
                Mistake("gradients-negated", N_(
                    "Both gradients point the wrong way: use err = out − y, not y − out."),
                    lambda c: _scaled(c, 1, -1)),
            ],
        ),
    ],
    forbidden=_FORBIDDEN,
)
