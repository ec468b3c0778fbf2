"""07's normal_equation check: w* = (XᵀX)⁻¹Xᵀy against least squares, with its mistakes."""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

from grader.checks import Case, Mistake, NumericCheck
from grader.i18n import N_, _

__all__ = ["NORMAL_EQUATION", "design", "features", "least_squares"]

_NE_NAMES = ("X", "y")


def design(x: np.ndarray) -> np.ndarray:
    """X with its column of ones first, so w = [b, w1, …] (seed 002: X ← [X, 1])."""
    return np.column_stack([np.ones(len(x)), x])


def least_squares(X: Any, y: Any) -> np.ndarray:
    """argmin_w ‖Xw − y‖² by torch.linalg.lstsq in float64, shaped (n,) or (n, 1) like y."""
    import torch  # here, not at import: the catalog loads where torch is not wanted yet

    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    column = torch.tensor(y.reshape(len(y), -1), dtype=torch.float64)
    solution = torch.linalg.lstsq(torch.tensor(X, dtype=torch.float64), column,
                                  driver="gelsd").solution
    return solution.numpy().reshape(X.shape[1:2] + y.shape[1:])


def features(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    """A well-conditioned design: the ones column and n − 1 features drawn until XᵀX/m has
    no eigenvalue below 0.3 (not centred: an exact zero in XᵀX would hide 1/(XᵀX))."""
    while True:
        X = design(rng.normal(0, 1, (m, n - 1)))
        if np.linalg.eigvalsh(X.T @ X / m).min() > 0.3:
            return X


def _draw_normal(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    x = np.linspace(0.0, 20.0, 11)
    cases = [Case(_("seed 000's line y = 3x − 2 without noise, x in [0, 20] (w* = [−2, 3])"),
                  (design(x), -2.0 + 3.0 * x), _NE_NAMES, watch=(0, 1))]
    noisy_x = rng.uniform(0, 20, 20)
    cases.append(Case(_("seed 000's noisy data y = 3x − 2·(1 + noise), y as a column (m, 1)"),
                      (design(noisy_x), (3 * noisy_x - 2 * (1 + rng.normal(0, 1, 20)))
                       .reshape(-1, 1)), _NE_NAMES, watch=(0, 1)))
    for m, n, column in ((12, 3, False), (30, 4, True), (5, 4, True)):
        X = features(rng, m, n)
        y = X @ rng.normal(0, 2, n) + rng.normal(0, 0.5, m)
        label = (_("random data with m = {m}, {n} columns of X, y as a column (m, 1)") if column
                 else _("random data with m = {m}, {n} columns of X, y as a vector (m,)"))
        cases.append(Case(label.format(m=m, n=n),
                          (X, y.reshape(-1, 1) if column else y), _NE_NAMES, watch=(0, 1)))
    return cases


def _normal_truth(case: Case) -> np.ndarray:
    return least_squares(*case.args)


def _elementwise_inverse(case: Case) -> np.ndarray:
    X, y = case.args
    return (1.0 / (X.T @ X)) @ (X.T @ y)


def _as_row(case: Case) -> np.ndarray:
    w = _normal_truth(case)
    return w.T if w.ndim == 2 else w


def _x_times_x_transpose(case: Case) -> np.ndarray:
    X, y = case.args
    return np.linalg.solve(X @ X.T, X.T @ y)


def _xx(case: Case) -> np.ndarray:
    X, y = case.args
    return np.linalg.solve(X @ X, X.T @ y)


def _x_y(case: Case) -> np.ndarray:
    X, y = case.args
    return np.linalg.solve(X.T @ X, X @ y)


def _star_product(case: Case) -> np.ndarray:
    X, y = case.args
    return (np.linalg.inv(X.T @ X) * X.T) @ y


def _extra_ones(case: Case) -> np.ndarray:
    """The least-squares w of [1, X], whose two ones columns leave it a line of solutions:
    the shortest one, as pinv and lstsq give it."""
    X, y = case.args
    return least_squares(np.column_stack([np.ones(len(X)), X]), y)


def _square_probes(case: Case) -> list[Case]:
    """Two square X (n × n), y shaped as in `case`: the shapes of X·Xᵀ, X·X and X·y fit there,
    and each gives another w than the truth X⁻¹y (X is far from symmetric)."""
    X, y = case.args
    n = X.shape[1]
    # Drawn from the case's own numbers: the same submission always gets the same probes.
    rng = np.random.default_rng(zlib.crc32(np.ascontiguousarray(X, dtype=float).tobytes()))
    probes = []
    while len(probes) < 2:
        square = 2.0 * np.eye(n) + rng.normal(0, 1, (n, n))
        if np.linalg.cond(square) > 30:
            continue
        target = square @ rng.normal(0, 2, n)
        probes.append(Case(_("a square X ({n} × {n}), where a missing transpose still fits")
                           .format(n=n), (square, target.reshape((n, *np.shape(y)[1:]))),
                           _NE_NAMES))
    return probes


_MISSING_TRANSPOSE = N_("A transpose is missing: w = (XᵀX)⁻¹Xᵀy needs X.T in XᵀX and in Xᵀy. "
                        "X @ X or X @ y multiplies an m × n matrix by one with m rows, which "
                        "fits only when m = n: hence the shape error. On a square X, where it "
                        "fits, your function returned the formula without that transpose.")


NORMAL_EQUATION = NumericCheck(
    "normal_equation",
    2,
    draw=_draw_normal,
    truth=_normal_truth,
    mistakes=[
        Mistake("elementwise-inverse", N_("(XᵀX)⁻¹ is the matrix inverse, "
                                          "np.linalg.inv(X.T @ X) (or better, "
                                          "np.linalg.solve): 1 / (X.T @ X) divides "
                                          "entry by entry, which is something else."),
                _elementwise_inverse),
        Mistake("w-as-a-row", N_("y is a column (m, 1), so w = (XᵀX)⁻¹Xᵀy is a column "
                                 "(n, 1); yours is the same numbers as a row (1, n)."),
                _as_row),
        Mistake("X-times-X-transpose", N_("You wrote X·Xᵀ (X @ X.T) where the formula "
                                          "has XᵀX (X.T @ X): the transpose goes on the "
                                          "first factor. XᵀX is n × n, one row per "
                                          "feature; X·Xᵀ is m × m, one per sample: "
                                          "with more samples than features it cannot be "
                                          "inverted, and it does not fit Xᵀy, hence the "
                                          "error. On a square X, where the shapes fit, "
                                          "your function returned (XXᵀ)⁻¹Xᵀy."),
                _x_times_x_transpose, probes=_square_probes),
        Mistake("missing-transpose", _MISSING_TRANSPOSE, _xx, probes=_square_probes),
        Mistake("missing-transpose", _MISSING_TRANSPOSE, _x_y, probes=_square_probes),
    Mistake("elementwise-product", N_("`*` multiplies entry by entry; the matrix product is "
                                      "`@`. (XᵀX)⁻¹ * Xᵀ @ y is read as ((XᵀX)⁻¹ * Xᵀ) @ y, "
                                      "whose shapes fit only for a square X: hence the error. "
                                      "On a square X your function returned that product."),
            _star_product, probes=_square_probes),
    Mistake("extra-ones-column", N_("X already has its column of ones (the first column): "
                                    "you added another, so w has one entry too many and XᵀX "
                                    "is singular (two equal columns). Use X as it is given."),
            _extra_ones),
    ],
)
