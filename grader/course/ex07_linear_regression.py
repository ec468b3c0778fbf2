"""Catalog entry 07_linear_regression: the normal equation and mini-batch gradient descent."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checks import Assessment, Case, Check, Mistake, NumericCheck
from grader.checks.base import Call, Run
from grader.checks.evidence import counted_up
from grader.checks.fingerprints import as_array
from grader.checks.numeric import mismatch
from grader.checks.raised import RaisedError, is_shape_error
from grader.course.catalog import exercise
from grader.course.linreg_normal import NORMAL_EQUATION, design, features, least_squares
from grader.i18n import N_, _
from grader.model import Counterexample, Diagnosis, Sample, Verdict
from grader.wire import to_plain

__all__ = ["EXERCISE", "SEED_000_LINE", "full_batch_path", "least_squares", "loss"]

_GD_NAMES = ("X", "y", "lr", "epochs", "batch_size", "seed")


# Seed 000's line y = 3x − 2, sampled on x in [−1, 1] (seed 000 uses [0, 20], which needs
# lr = 0.0001 and 20000 epochs) with a little noise: the 07 plot's data and first GD case.
_LINE_X = np.linspace(-1.0, 1.0, 20)
SEED_000_LINE = (design(_LINE_X), -2.0 + 3.0 * _LINE_X + 0.3 * np.sin(7.0 * _LINE_X))
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
    X = features(rng, 10, 3)
    y = X @ rng.normal(0, 2, 3) + rng.normal(0, 0.5, 10)
    first, second = _seed(rng), _seed(rng)
    cases.append(_gd_case(_("random data, m = 10, batch_size = m"), X, y, 0.1, 15, 10, first,
                          "full"))
    cases.append(_gd_case(_("the same data and batch_size = m with another seed (one batch "
                            "holds every sample, so the order cannot matter)"), X, y, 0.1, 15, 10,
                          second if second != first else first + 1, "full", twin=1))
    # Noise-free targets: every correctly paired batch has zero gradient at the solution, so
    # any batch order converges to it exactly. Each (lr, epochs) leaves an error below 1/1000
    # of the tolerance on 1500 designs: more epochs would only cost the student's loop time.
    for m, n, batch, lr, epochs in ((24, 3, 1, 0.1, 30), (24, 3, 4, 0.4, 30), (23, 4, 5, 0.4, 30)):
        X = features(rng, m, n)
        y = X @ rng.normal(0, 2, n)
        cases.append(_gd_case(_("noise-free data, m = {m}, batch_size = {batch}, {epochs} "
                                "epochs (judged by closeness to the least-squares w)").format(
                                    m=m, batch=batch, epochs=epochs), X, y, lr, epochs, batch,
                              _seed(rng), "converge"))
    X = features(rng, 17, 3)
    y = X @ rng.normal(0, 2, 3) + rng.normal(0, 1.0, 17)
    seed = _seed(rng)
    for second_call in (False, True):
        label = (_("noisy data, m = 17, batch_size = 3, 4 epochs, seed {seed}: second of two "
                   "identical calls") if second_call else
                 _("noisy data, m = 17, batch_size = 3, 4 epochs, seed {seed}: first of two "
                   "identical calls"))
        cases.append(_gd_case(label.format(seed=seed), X, y, 0.1, 4, 3, seed, "repeat",
                              twin=len(cases) - 1 if second_call else None))
    cases.append(_gd_case(_("epochs = 0: no update at all, so w is the start, w = 0"), X, y,
                          0.1, 0, 3, seed, "full"))
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
_NOT_FROM_ZERO = Diagnosis("start-not-zero", N_(
    "With epochs = 0 no update is made, so w must be the start, w = 0; yours is not zero. "
    "Start from w = np.zeros(n): a random start changes every full-batch run (and the "
    "seed then changes w even where one batch holds every sample)."))
_NOT_A_PERMUTATION = Diagnosis("batches-not-a-permutation", N_(
    "At batch_size = m one batch holding every sample once gives the same step whatever the "
    "order, yet your w changed with the seed (it starts from 0 and still reaches least "
    "squares on noise-free data): your batches do not use each sample exactly once per "
    "epoch. Drawing batches with replacement (rng.integers, rng.choice) does that; take "
    "idx = rng.permutation(m) and cut it into slices of batch_size."))
_COLUMN = Diagnosis("w-as-a-column", N_(
    "Your w starts as a column (n, 1) while y is a vector (m,): X_b @ w − y_b then broadcasts "
    "(b, 1) against (b,) into a (b, b) matrix, and the shapes grow until they no longer fit. "
    "Start from w = np.zeros(n), a vector like y."))
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
        reseeded_differs = any(_twin_differs(runs, i) for i in reseeded)
        if converge_fails and reseeded_differs:
            return Diagnosis(_SHUFFLED.name, _(_SHUFFLED.message))
        start = [run for run in full if run.case.args[3] == 0]
        if start and _shape(start[0].outcome.value) == (start[0].case.args[0].shape[1],):
            return Diagnosis(_NOT_FROM_ZERO.name, _(_NOT_FROM_ZERO.message))
        if reseeded_differs and not converge_fails and not start:
            return Diagnosis(_NOT_A_PERMUTATION.name, _(_NOT_A_PERMUTATION.message))
        return None

    def explain_error(self, case: Case, error: RaisedError, call: Call) -> Diagnosis | None:
        """A broadcast error from w kept as a column (n, 1) while y is a vector (m,): the
        function called with epochs = 0 returns its start, which shows the column."""
        if not is_shape_error(error) or not isinstance(case, _GdCase):
            return None
        X, y, lr, _epochs, batch_size, seed = case.args
        start = call([dataclasses.replace(case, args=(X, y, lr, 0, batch_size, seed))])
        if start and np.ndim(y) == 1 and _shape(start[0]) == (X.shape[1], 1):
            return Diagnosis(_COLUMN.name, _(_COLUMN.message))
        return None


def _shape(answer: Any) -> tuple[int, ...] | None:
    values = getattr(answer, "values", None)
    return values.shape if isinstance(values, np.ndarray) else None


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
    reference = as_array(runs[twin].outcome.value)
    if reference is None:
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
        NORMAL_EQUATION,
        _MinibatchCheck(3),
    ],
)
