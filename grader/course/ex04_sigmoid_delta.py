"""Catalog entry 04_sigmoid_delta: σ, σ′ and the delta-rule weight step (autograd truth)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.checks import Case, Mistake, NumericCheck
from grader.checks.evidence import also_on
from grader.course.catalog import exercise
from grader.i18n import N_, _

if TYPE_CHECKING:
    import torch

_H = ("h",)
_DELTA_NAMES = ("x", "y", "w", "lr")
# Seed 004's worked example.
SEED_004 = (np.array([0.1, 0.3]), 0.2, np.array([-0.8, 0.5]), 0.5)
# Where the tutor draws the student's σ and σ′, pass or fail (evidence, never judged).
def _grid() -> list[Case]:
    return [Case(_("a grid of h from −6 to 6"), (np.linspace(-6.0, 6.0, 49),), _H)]


def _plain(values: torch.Tensor, like: object) -> object:
    array = values.detach().numpy()
    return float(array) if np.ndim(like) == 0 else array


def _sigma(h: object) -> object:
    import torch  # here, not at import: the catalog loads where torch is not wanted yet

    return _plain(torch.sigmoid(torch.as_tensor(h, dtype=torch.float64)), h)


def _sigma_prime(h: object) -> object:
    import torch

    tensor = torch.as_tensor(h, dtype=torch.float64).clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(torch.sigmoid(tensor).sum(), tensor)
    return _plain(grad, h)


def _h_times_one_minus_h(h: object) -> np.ndarray:
    array = np.asarray(h, dtype=float)
    return array * (1 - array)


def _one_plus(h: object) -> np.ndarray:
    sigma = np.asarray(_sigma(h), dtype=float)
    return sigma * (1 + sigma)


def _draw_h(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    return [
        Case(_("h = 0"), (0.0,), _H),
        Case(_("seed 004's h = x·w = 0.07"), (0.07,), _H),
        Case(_("a random number"), (float(rng.normal(0, 3)),), _H),
        Case(_("a random array of shape (6,)"), (rng.normal(0, 4, 6),), _H, watch=(0,)),
        Case(_("a random array of shape (2, 3) with large |h|"), (rng.normal(0, 15, (2, 3)),),
             _H, watch=(0,)),
    ]


def _draw_delta(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    cases = [Case(_("seed 004's example"), SEED_004, _DELTA_NAMES, watch=(0, 2))]
    for n in (2, 5):
        cases.append(Case(_("random inputs with {n} features").format(n=n),
                          (rng.normal(0, 1, n), float(rng.uniform(0, 1)), rng.normal(0, 1, n),
                           float(rng.uniform(0.05, 1.0))), _DELTA_NAMES, watch=(0, 2)))
    return cases


def delta_truth(case: Case) -> np.ndarray:
    """−η·∂/∂w ½(y − σ(x·w))², by autograd."""
    import torch

    x, y, w, lr = case.args
    weights = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    error = 0.5 * (y - torch.sigmoid(torch.tensor(x, dtype=torch.float64) @ weights)) ** 2
    (grad,) = torch.autograd.grad(error, weights)
    return (-lr * grad).numpy()


def _delta_variant(case: Case, *, prediction: str = "sigma", slope: str = "prime",
                   rate: bool = True, with_x: bool = True) -> np.ndarray:
    x, y, w, lr = case.args
    h = float(np.dot(x, w))
    y_hat = h if prediction == "h" else _sigma(h)
    factor = {"prime": _sigma_prime(h), "sigma": _sigma(h), "none": 1.0}[slope]
    scale = (lr if rate else 1.0) * (y - y_hat) * factor
    return scale * (x if with_x else np.ones_like(x))


EXERCISE = exercise(
    "04_sigmoid_delta",
    "numeric",
    [
        NumericCheck(
            "sigmoid",
            1,
            draw=_draw_h,
            truth=lambda c: _sigma(c.args[0]),
            evidence=also_on(_grid),
            mistakes=[
                Mistake("sign-in-exponent", N_("σ(h) = 1/(1 + e^(−h)): the exponent is −h. Yours "
                        "computes σ(−h)."), lambda c: _sigma(-np.asarray(c.args[0]))),
            ],
        ),
        NumericCheck(
            "sigmoid_prime",
            1,
            draw=_draw_h,
            truth=lambda c: _sigma_prime(c.args[0]),
            evidence=also_on(_grid),
            mistakes=[
                Mistake("sigma-instead-of-sigma-prime", N_("You returned σ(h) itself; the "
                        "derivative is σ(h)·(1 − σ(h))."), lambda c: _sigma(c.args[0])),
                Mistake("h-instead-of-sigma", N_("σ′(h) = σ(h)·(1 − σ(h)) uses σ(h), not h: you "
                        "computed h·(1 − h)."), lambda c: _h_times_one_minus_h(c.args[0])),
                Mistake("sign-flipped", N_("σ is increasing, so σ′(h) > 0 everywhere; your sign "
                        "is reversed."), lambda c: -np.asarray(_sigma_prime(c.args[0]))),
                Mistake("plus-instead-of-minus", N_("σ′(h) = σ(h)·(1 − σ(h)): the second factor "
                        "is 1 minus σ(h). You added it."), lambda c: _one_plus(c.args[0])),
            ],
        ),
        NumericCheck(
            "delta_w",
            2,
            draw=_draw_delta,
            truth=delta_truth,
            mistakes=[
                Mistake("sign-flipped", N_("Δw = η·(y − ŷ)·σ′(h)·x: with (ŷ − y) the step goes "
                        "uphill."), lambda c: -delta_truth(c)),
                Mistake("sigma-instead-of-sigma-prime", N_("The error term uses the slope σ′(h) = "
                        "σ(h)(1 − σ(h)), not σ(h)."), lambda c: _delta_variant(c, slope="sigma")),
                Mistake("h-instead-of-sigma", N_("The prediction is ŷ = σ(h), not h = x·w."),
                        lambda c: _delta_variant(c, prediction="h")),
                Mistake("missing-sigma-prime", N_("The chain rule through σ multiplies by σ′(h)."),
                        lambda c: _delta_variant(c, slope="none")),
                Mistake("missing-x-factor", N_("∂h/∂w = x: each weight's step is multiplied by "
                        "its own input x."), lambda c: _delta_variant(c, with_x=False)),
                Mistake("missing-learning-rate", N_("The step is scaled by η (lr)."),
                        lambda c: _delta_variant(c, rate=False)),
            ],
        ),
    ],
)
