"""Catalog entry 07_linear_regression: the normal equation and mini-batch gradient descent."""

from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checks import Assessment, Case, Check, Mistake, NumericCheck
from grader.checks.base import Call, Run
from grader.checks.evidence import counted_up
from grader.checks.numeric import mismatch
from grader.course.catalog import exercise
from grader.i18n import N_, _
from grader.model import Counterexample, Diagnosis, Sample, Verdict
from grader.wire import to_plain

__all__ = ["EXERCISE", "SEED_000_LINE", "full_batch_path", "least_squares", "loss"]

_NE_NAMES = ("X", "y")
_GD_NAMES = ("X", "y", "lr", "epochs", "batch_size", "seed")


def _design(x: np.ndarray) -> np.ndarray:
    """X with its column of ones first, so w = [b, w1, …] (seed 002: X ← [X, 1])."""
    return np.column_stack([np.ones(len(x)), x])


# Seed 000's line y = 3x − 2, sampled on x in [−1, 1] (seed 000 uses [0, 20], which needs
# lr = 0.0001 and 20000 epochs) with a little noise: the 07 plot's data and first GD case.
_LINE_X = np.linspace(-1.0, 1.0, 20)
SEED_000_LINE = (_design(_LINE_X), -2.0 + 3.0 * _LINE_X + 0.3 * np.sin(7.0 * _LINE_X))
_LINE_RUN = {"lr": 0.8, "epochs": 30}


def loss(X: Any, y: Any, w: Any) -> float:
    """E(w) = 1/(2m)·‖Xw − y‖², the loss both functions minimise (for plots per epoch)."""
    X, y, w = (np.asarray(a, dtype=float) for a in (X, y, w))
    residual = X @ w - y
    return float(np.sum(residual**2) / (2 * len(X)))


def full_batch_path(X: Any, y: Any, lr: float, epochs: int, *, sign: float = -1.0,
                    scale: float = 1.0) -> list[np.ndarray]:
    """w_0 = 0, w_1 … w_epochs of full-batch gradient descent on E (batch_size = m).

    `sign` and `scale` give the named wrong variants (+1: ascent; m: a summed gradient).
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1:2] + y.shape[1:])
    path = [w]
    for _epoch in range(epochs):
        w = w + sign * lr * scale * (X.T @ (X @ w - y)) / len(X)
        path.append(w)
    return path


def least_squares(X: Any, y: Any) -> np.ndarray:
    """argmin_w ‖Xw − y‖² by torch.linalg.lstsq in float64, shaped (n,) or (n, 1) like y."""
    import torch  # here, not at import: the catalog loads where torch is not wanted yet

    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    column = torch.tensor(y.reshape(len(y), -1), dtype=torch.float64)
    solution = torch.linalg.lstsq(torch.tensor(X, dtype=torch.float64), column,
                                  driver="gelsd").solution
    return solution.numpy().reshape(X.shape[1:2] + y.shape[1:])


def _features(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    """A well-conditioned design: the ones column and n − 1 features drawn until XᵀX/m has
    no eigenvalue below 0.3 (not centred: an exact zero in XᵀX would hide 1/(XᵀX))."""
    while True:
        X = _design(rng.normal(0, 1, (m, n - 1)))
        if np.linalg.eigvalsh(X.T @ X / m).min() > 0.3:
            return X


# --- normal_equation ---------------------------------------------------------------------


def _draw_normal(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    x = np.linspace(0.0, 20.0, 11)
    cases = [Case(_("seed 000's line y = 3x − 2 without noise, x in [0, 20] (w* = [−2, 3])"),
                  (_design(x), -2.0 + 3.0 * x), _NE_NAMES, watch=(0, 1))]
    noisy_x = rng.uniform(0, 20, 20)
    cases.append(Case(_("seed 000's noisy data y = 3x − 2·(1 + noise), y as a column (m, 1)"),
                      (_design(noisy_x), (3 * noisy_x - 2 * (1 + rng.normal(0, 1, 20)))
                       .reshape(-1, 1)), _NE_NAMES, watch=(0, 1)))
    for m, n, column in ((12, 3, False), (30, 4, True), (5, 4, True)):
        X = _features(rng, m, n)
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


# --- minibatch_gd -------------------------------------------------------------------------


@dataclass(frozen=True)
class _GdCase(Case):
    """A minibatch_gd call and how it is judged.

    role `full`: batch_size = m, judged against full-batch gradient descent exactly;
    `converge`: noise-free data, judged by closeness to least squares (order is free);
    `repeat`: judged by giving the same w as the call `twin` (same arguments, same seed).
    A `full` case with a `twin` has the twin's data and another seed.
    """

    role: str = "full"
    twin: int | None = None


def _gd_case(label: str, X: np.ndarray, y: np.ndarray, lr: float, epochs: int,
             batch_size: int, seed: int, role: str, twin: int | None = None) -> _GdCase:
    return _GdCase(label, (X, y, lr, epochs, batch_size, seed), _GD_NAMES, watch=(0, 1),
                   role=role, twin=twin)


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31))


def _draw_gd(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    X, y = SEED_000_LINE
    cases = [_gd_case(_("seed 000's line y = 3x − 2 with noise, batch_size = m (full-batch "
                        "gradient descent)"), X, y, _LINE_RUN["lr"], _LINE_RUN["epochs"], len(X),
                      _seed(rng), "full")]
    X = _features(rng, 10, 3)
    y = X @ rng.normal(0, 2, 3) + rng.normal(0, 0.5, 10)
    first, second = _seed(rng), _seed(rng)
    cases.append(_gd_case(_("random data, m = 10, batch_size = m"), X, y, 0.1, 15, 10, first,
                          "full"))
    cases.append(_gd_case(_("the same data and batch_size = m with another seed (one batch "
                            "holds every sample, so the order cannot matter)"), X, y, 0.1, 15, 10,
                          second if second != first else first + 1, "full", twin=1))
    # Noise-free targets: every correctly paired batch has zero gradient at the solution, so
    # any batch order converges to it exactly; 60 epochs leave an error below 1e-9 here.
    for m, n, batch, lr in ((24, 3, 1, 0.05), (24, 3, 4, 0.2), (23, 4, 5, 0.2)):
        X = _features(rng, m, n)
        y = X @ rng.normal(0, 2, n)
        cases.append(_gd_case(_("noise-free data, m = {m}, batch_size = {batch}, 60 epochs "
                                "(judged by closeness to the least-squares w)").format(
                                    m=m, batch=batch), X, y, lr, 60, batch, _seed(rng),
                              "converge"))
    X = _features(rng, 17, 3)
    y = X @ rng.normal(0, 2, 3) + rng.normal(0, 1.0, 17)
    seed = _seed(rng)
    for second_call in (False, True):
        label = (_("noisy data, m = 17, batch_size = 3, 4 epochs, seed {seed}: second of two "
                   "identical calls") if second_call else
                 _("noisy data, m = 17, batch_size = 3, 4 epochs, seed {seed}: first of two "
                   "identical calls"))
        cases.append(_gd_case(label.format(seed=seed), X, y, 0.1, 4, 3, seed, "repeat",
                              twin=len(cases) - 1 if second_call else None))
    return cases


# The first graded case is seed 000's line at batch_size = m: re-run for epochs = 1, 2, ….
_PER_EPOCH = counted_up("epochs")


def _gd_truth(case: Case, *, sign: float = -1.0, scale: float = 1.0) -> np.ndarray:
    X, y, lr, epochs, _batch, _seed = case.args
    return full_batch_path(X, y, lr, epochs, sign=sign, scale=scale)[-1]


def _least_squares_case(case: Case) -> np.ndarray:
    return least_squares(*case.args[:2])


def _gd_mistakes() -> tuple[Mistake, ...]:
    return (
        Mistake("sum-instead-of-mean", N_("E averages over the batch, 1/(2b)·Σ_batch: its "
                                          "gradient is Xᵀ(Xw − y)/b. Yours sums without the 1/b "
                                          "(seen at batch_size = m, where it is m times too big)."),
                lambda c: _gd_truth(c, scale=len(c.args[0]))),
        Mistake("ascent-instead-of-descent", N_("Each update must subtract lr·gradient: "
                                                "w ← w − lr·Xᵀ(Xw − y)/b. Yours adds it and "
                                                "climbs the loss."),
                lambda c: _gd_truth(c, sign=1.0)),
        Mistake("extra-factor-2", N_("The ½ in E = 1/(2b)·Σ(Xw − y)² cancels the 2 of the "
                                     "square: the gradient is Xᵀ(Xw − y)/b, not 2·Xᵀ(Xw − y)/b."),
                lambda c: _gd_truth(c, scale=2.0)),
    )


_SHUFFLED = Diagnosis("shuffled-X-without-y", N_(
    "At batch_size = m one batch holds every sample, so the order cannot change the result; "
    "yet your w changed with the seed, and on noise-free data it does not reach the "
    "least-squares solution. The rows of X were shuffled without their y (or y without X): "
    "each input is then paired with another sample's target. Shuffle one index array and "
    "take X[idx] and y[idx] together."))
_UNSEEDED = Diagnosis("not-reproducible", N_(
    "Two calls with the same arguments, seed included, returned different w. Draw the batch "
    "order from a generator made from the seed, e.g. rng = np.random.default_rng(seed), "
    "not from the global np.random state."))


class _MinibatchCheck(Check):
    """minibatch_gd, judged where the parent can know the answer without the batch order."""

    def __init__(self, points: float) -> None:
        self.function = "minibatch_gd"
        self.points = points
        self.mistakes = _gd_mistakes()
        # One NumericCheck per role: it compares with its truth, type, shape, finiteness and
        # whether X or y were changed in place, and words a failure as every check does.
        self._judges = {
            "full": NumericCheck(self.function, points, draw=_draw_gd, truth=_gd_truth),
            "converge": NumericCheck(self.function, points, draw=_draw_gd,
                                     truth=_least_squares_case, rtol=1e-5, atol=1e-7),
            # A noisy run's w depends on the order: only its form is judged, plus its twin.
            "repeat": NumericCheck(self.function, points, draw=_draw_gd,
                                   truth=_least_squares_case, rtol=0.0, atol=np.inf),
        }

    def cases(self, rng: np.random.Generator, *, cuda: bool) -> list[Case]:
        return _draw_gd(rng, cuda)

    def evidence(self, runs: list[Run], call: Call) -> tuple[Sample, ...]:
        # The student's w after each epoch on seed 000's line: their fitted line and their
        # loss per epoch (`loss`) for the tutor, against `full_batch_path`.
        return _PER_EPOCH(runs, call)

    def assess(self, runs: list[Run]) -> Assessment:
        judged = [self._judges[_role(run)].assess([run]) for run in runs]
        failing = [i for i, one in enumerate(judged) if one.verdict is not Verdict.PASSED]
        unstable = [i for i, run in enumerate(runs)
                    if _role(run) == "repeat" and _twin_differs(runs, i)]
        if not failing and not unstable:
            return Assessment(Verdict.PASSED, _(
                "All {count} cases pass: exactly full-batch gradient descent at batch_size = m, "
                "the least-squares w on noise-free data, the same w for the same seed."
            ).format(count=len(runs)))
        if not failing:
            return _unreproducible(runs, unstable[0])
        first = judged[failing[0]]
        diagnosis = self._diagnose(runs, failing) or first.diagnosis
        rationale = _("{count} of {total} cases fail. {detail}").format(
            count=len(failing), total=len(runs), detail=first.rationale)
        return dataclasses.replace(first, rationale=rationale, diagnosis=diagnosis)

    def _diagnose(self, runs: list[Run], failing: list[int]) -> Diagnosis | None:
        full = [runs[i] for i in failing if _role(runs[i]) == "full"]
        if not full:
            return None
        for mistake in self.mistakes:
            if all(_close(run.outcome.value, mistake.answer(run.case), scaled=True)
                   for run in full):
                return mistake.diagnosis()
        converge_fails = any(_role(runs[i]) == "converge" for i in failing)
        reseeded = [i for i, run in enumerate(runs) if _role(run) == "full" and
                    _twin(run) is not None]
        if converge_fails and any(_twin_differs(runs, i) for i in reseeded):
            return Diagnosis(_SHUFFLED.name, _(_SHUFFLED.message))
        return None


def _role(run: Run) -> str:
    return getattr(run.case, "role", "full")


def _twin(run: Run) -> int | None:
    return getattr(run.case, "twin", None)


def _close(answer: Any, expected: np.ndarray, rtol: float = 1e-6, *,
           scaled: bool = False) -> bool:
    # A diverging run (a wrong sign, a summed gradient) grows by orders of magnitude; rounding
    # then differs by a fraction of its largest entry, not of each entry: `scaled` says so.
    if not np.all(np.isfinite(expected)):
        return False  # no finite answer is "close" to an overflow
    atol = rtol * float(np.max(np.abs(expected))) if scaled else 1e-9
    return mismatch(answer, expected, rtol, atol) is None


def _twin_differs(runs: list[Run], index: int) -> bool:
    twin = _twin(runs[index])
    if twin is None:
        return False
    earlier = runs[twin].outcome.value
    values = getattr(earlier, "values", earlier)
    try:
        reference = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return False
    return not _close(runs[index].outcome.value, reference, rtol=1e-9)


def _unreproducible(runs: list[Run], index: int) -> Assessment:
    run, twin = runs[index], _twin(runs[index])
    assert twin is not None  # only runs with a twin can differ from it
    earlier = runs[twin]
    expected, actual = to_plain(earlier.outcome.value), to_plain(run.outcome.value)
    return Assessment(
        Verdict.FAILED,
        _("Two identical calls (same data, lr, epochs, batch_size and seed) returned different "
          "w, on {label}.").format(label=run.case.label),
        expected=expected,
        actual=actual,
        counterexample=Counterexample(run.case.shown_inputs(), expected, actual),
        diagnosis=Diagnosis(_UNSEEDED.name, _(_UNSEEDED.message)),
    )


EXERCISE = exercise(
    "07_linear_regression",
    "numeric",
    [
        NumericCheck(
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
            ],
        ),
        _MinibatchCheck(3),
    ],
)
