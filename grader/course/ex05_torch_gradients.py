"""Catalog entry 05_torch_gradients: hand-written linear-regression gradients in torch."""

from __future__ import annotations

import numpy as np

from grader.checks import Case, Mistake, NumericCheck, TensorTruth
from grader.course.catalog import exercise
from grader.course.shortcuts import AUTOGRAD
from grader.i18n import N_, _
from grader.inputs import TensorInput

_NAMES = ("x", "y", "w0", "w1")
_GPU_SKIPPED = N_("GPU comparison skipped: no CUDA device on this machine (CPU cases were "
                  "graded).")


def _inputs(x: np.ndarray, y: np.ndarray, w0: float, w1: float, device: str) -> tuple:
    column = lambda a: TensorInput(np.asarray(a, dtype=float).reshape(-1, 1), device)  # noqa: E731
    return (column(x), column(y), column([w0]), column([w1]))


def _draw(rng: np.random.Generator, cuda: bool) -> list[Case]:
    # Seed 000's data: y = −2 + 3x plus noise, fitted from random starting weights.
    x = np.linspace(-1, 1, 20)
    y = -2 + 3 * x + rng.normal(0, 0.3, 20)
    shapes = [(_("seed 000's line y = −2 + 3x with noise, m = 20"), x, y)]
    for m in (1, 7):
        shapes.append((_("random data, m = {m}").format(m=m), rng.normal(0, 2, m),
                       rng.normal(0, 2, m)))
    devices = ["cpu", "cuda"] if cuda else ["cpu"]
    return [
        Case(_("{data} on {device}").format(data=label, device=device),
             _inputs(xs, ys, *rng.normal(0, 1, 2), device), _NAMES, device=device)
        for device in devices
        for label, xs, ys in shapes
    ]


def _autograd(case: Case) -> tuple[float, np.ndarray, np.ndarray]:
    import torch  # here, not at import: the catalog loads where torch is not wanted yet

    x, y, w0, w1 = (torch.tensor(arg.values, dtype=torch.float64) for arg in case.args)
    w0.requires_grad_(True)
    w1.requires_grad_(True)
    loss = 0.5 * ((w0 + x @ w1 - y) ** 2).sum()
    dw0, dw1 = torch.autograd.grad(loss, (w0, w1))
    return float(loss.detach()), dw0.numpy(), dw1.numpy()


def _as_answer(case: Case, loss: object, dw0: object, dw1: object) -> tuple[TensorTruth, ...]:
    return tuple(TensorTruth(np.asarray(v, dtype=float), "float64", case.device)
                 for v in (loss, dw0, dw1))


def truth(case: Case) -> tuple[TensorTruth, ...]:
    return _as_answer(case, *_autograd(case))


def _scaled(case: Case, loss_scale: float, grad_scale: float) -> tuple[TensorTruth, ...]:
    loss, dw0, dw1 = _autograd(case)
    return _as_answer(case, loss * loss_scale, dw0 * grad_scale, dw1 * grad_scale)


def _residual(case: Case) -> tuple[np.ndarray, np.ndarray]:
    x, y, w0, w1 = (arg.values for arg in case.args)
    return x, w0 + x @ w1 - y


def _elementwise(case: Case) -> tuple[TensorTruth, ...]:
    x, err = _residual(case)
    loss, dw0, _ = _autograd(case)
    return _as_answer(case, loss, dw0, x * err)


def _columns_multiplied(case: Case) -> tuple[TensorTruth, ...]:
    """x @ err with both (m, 1), in torch as the student wrote it: it raises torch's own
    message, naming both shapes, except at m = 1 where it is xᵀ @ err."""
    import torch

    x, err = (torch.from_numpy(a) for a in _residual(case))
    loss, dw0, _ = _autograd(case)
    return _as_answer(case, loss, dw0, (x @ err).numpy())


def _m(case: Case) -> int:
    return case.args[0].values.shape[0]


EXERCISE = exercise(
    "05_torch_gradients",
    "numeric",
    [
        NumericCheck(
            "linreg_grads",
            3,
            draw=_draw,
            truth=truth,
            skipped_without_cuda=_GPU_SKIPPED,
            outputs=("loss", "dw0", "dw1"),
            mistakes=[
                Mistake("mean-instead-of-sum", N_("This loss is ½·Σ(y_pred − y)², a sum, not a "
                        "mean: no 1/m anywhere."), lambda c: _scaled(c, 1 / _m(c), 1 / _m(c))),
                Mistake("missing-half", N_("loss = ½·Σ(y_pred − y)²: the ½ is part of the loss, "
                        "and it cancels the 2 in the gradients."), lambda c: _scaled(c, 2, 2)),
                Mistake("loss-missing-half", N_("The gradients are right but the loss lacks "
                        "its ½."), lambda c: _scaled(c, 2, 1)),
                Mistake("sign-flipped", N_("The gradients point the wrong way: use "
                        "err = y_pred − y, not y − y_pred."), lambda c: _scaled(c, 1, -1)),
                Mistake("missing-x-factor", N_("dw1 needs the x factor: dw1 = xᵀ·err, while "
                        "dw0 = Σ err."), lambda c: _as_answer(c, *_autograd(c)[:2],
                                                            _autograd(c)[1])),
                Mistake("elementwise-instead-of-matmul", N_("x * err keeps one row per sample; "
                        "dw1 = xᵀ @ err sums over the samples into shape (1, 1)."), _elementwise),
                Mistake("missing-transpose", N_("Two columns of shape (m, 1) were multiplied "
                        "with @: their inner sizes (1 and m) do not fit, hence the error. One "
                        "needs a transpose: dw1 = x.T @ err sums x·err over the samples into "
                        "shape (1, 1)."), _columns_multiplied),
            ],
        ),
    ],
    forbidden=AUTOGRAD,
)
