"""Catalog entry 03_update_step: one gradient-descent step and a whole trajectory (numeric)."""

from __future__ import annotations

import numpy as np

from grader.checks import Case, Mistake, NumericCheck
from grader.course.catalog import exercise
from grader.i18n import N_, _
from grader.inputs import Gradient

_STEP_NAMES = ("w", "grad", "lr")
_DESCEND_NAMES = ("grad_fn", "w0", "lr", "steps")

# Seed 000: f(x) = x²/2 + 2x, f'(x) = x + 2, x0 = 3, γ = 0.2.
SEED_000 = Gradient("affine", {"scale": 1.0, "shift": 2.0})
# Seed 003: loss Σ(W·x − 1 − y)²/6 on six points, W0 = 8, lr = 0.01.
SEED_003 = Gradient(
    "least_squares",
    {"x": [-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], "y": [-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], "offset": -1.0},
)


def _draw_step(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    cases = [Case(_("seed 000's first step (w = 3, f'(3) = 5, lr = 0.2)"), (3.0, 5.0, 0.2),
                  _STEP_NAMES)]
    cases.append(Case(_("random numbers"), (float(rng.normal(0, 3)), float(rng.normal(0, 3)),
                                             float(rng.uniform(0.01, 0.5))), _STEP_NAMES))
    for shape in [(3,), (2, 3)]:
        w, grad = rng.normal(0, 2, shape), rng.normal(0, 2, shape)
        lr = float(rng.uniform(0.01, 0.5))
        cases.append(Case(_("random arrays of shape {shape}").format(shape=shape),
                          (w, grad, lr), _STEP_NAMES, watch=(0,)))
    return cases


def _step(case: Case, sign: float = -1.0, rate: bool = True, keep_w: bool = True) -> object:
    w, grad, lr = case.args
    change = (lr if rate else 1.0) * np.asarray(grad)
    result = (np.asarray(w) if keep_w else 0.0) + sign * change
    return float(result) if np.ndim(result) == 0 else result


def _draw_descend(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    cases = [
        Case(_("seed 000 (grad_fn(x) = x + 2, w0 = 3, lr = 0.2, 10 steps)"),
             (SEED_000, 3.0, 0.2, 10), _DESCEND_NAMES),
        Case(_("seed 003 (W0 = 8, lr = 0.01, 50 steps)"), (SEED_003, 8.0, 0.01, 50),
             _DESCEND_NAMES),
    ]
    affine = Gradient("affine", {"scale": round(float(rng.uniform(0.5, 2.0)), 3),
                                 "shift": round(float(rng.normal(0, 3)), 3)})
    cases.append(Case(_("a random quadratic"), (affine, round(float(rng.normal(0, 5)), 3),
                                                round(float(rng.uniform(0.05, 0.4)), 3),
                                                int(rng.integers(3, 12))), _DESCEND_NAMES))
    root = rng.normal(0, 1, (2, 2))
    quadratic = Gradient("quadratic", {"A": (root @ root.T + np.eye(2)).round(3).tolist(),
                                       "b": rng.normal(0, 1, 2).round(3).tolist()})
    w0 = rng.normal(0, 2, 2).round(3)
    cases.append(Case(_("a random 2-D quadratic with array w0"), (quadratic, w0, 0.1,
                                                                int(rng.integers(3, 8))),
                      _DESCEND_NAMES, watch=(1,)))
    return cases


def trajectory(case: Case, *, sign: float = -1.0, rate: bool = True, stale: bool = False) -> list:
    """The iterates w0 … w_steps of w ← w − lr·g(w), or a named variation of that rule."""
    grad_fn, w0, lr, steps = case.args
    w = np.asarray(w0, dtype=float)
    first = grad_fn(w)
    path = [w]
    for _step in range(steps):
        g = first if stale else grad_fn(w)
        w = w + sign * (lr if rate else 1.0) * np.asarray(g)
        path.append(w)
    return [float(v) if np.ndim(v) == 0 else v for v in path]


def _rehearse_descend(args: list, helpers: dict) -> None:
    """descend as the solution writes it, with the true step: the step calls a re-run meets."""
    grad_fn, w, lr, steps = args
    w = w.copy() if isinstance(w, np.ndarray) else w
    for _step in range(steps):
        w = helpers["step"](w, grad_fn(w.copy() if isinstance(w, np.ndarray) else w), lr)


EXERCISE = exercise(
    "03_update_step",
    "numeric",
    [
        NumericCheck(
            "step",
            1,
            draw=_draw_step,
            truth=_step,
            mistakes=[
                Mistake("ascent-instead-of-descent", N_("You moved *up* the slope: descent "
                        "subtracts the gradient, w − lr·grad."), lambda c: _step(c, sign=1.0)),
                Mistake("missing-learning-rate", N_("The step is scaled by the learning rate: "
                        "w − lr·grad, not w − grad."), lambda c: _step(c, rate=False)),
                Mistake("returned-the-change", N_("You returned only the change −lr·grad; the new "
                        "parameter is w plus that change."), lambda c: _step(c, keep_w=False)),
            ],
        ),
        NumericCheck(
            "descend",
            2,
            draw=_draw_descend,
            truth=trajectory,
            rtol=1e-7,
            rehearse=_rehearse_descend,
            mistakes=[
                Mistake("w0-missing", N_("The list must start with w0 itself: steps + 1 values, "
                        "[w0, w1, …, w_steps]."), lambda c: trajectory(c)[1:]),
                Mistake("one-step-short", N_("Run exactly `steps` updates: the list holds "
                        "steps + 1 values including w0."), lambda c: trajectory(c)[:-1]),
                Mistake("ascent-instead-of-descent", N_("Each update must subtract lr·grad_fn(w)."),
                        lambda c: trajectory(c, sign=1.0)),
                Mistake("stale-gradient", N_("The gradient must be recomputed at every new w; you "
                        "reused the gradient at w0."), lambda c: trajectory(c, stale=True)),
                Mistake("missing-learning-rate", N_("Each step is lr·grad_fn(w), not grad_fn(w)."),
                        lambda c: trajectory(c, rate=False)),
                Mistake("aliased-trajectory", N_("Every entry is the same final value: the list "
                        "holds one array object that `w -= …` changed in place. Use w = w − … "
                        "or append copies."), lambda c: [trajectory(c)[-1]] * (c.args[3] + 1)),
                Mistake("final-value-only", N_("Return the whole trajectory as a list, not only "
                        "the last value."), lambda c: trajectory(c)[-1]),
            ],
        ),
    ],
)
