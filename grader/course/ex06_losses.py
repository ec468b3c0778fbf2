"""Catalog entry 06_losses: mean absolute error, ½-scaled mean squared error and cross-entropy."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from grader.checks import Assessment, Case, Mistake, NumericCheck
from grader.checks.base import Run
from grader.checks.evidence import also_on
from grader.checks.fingerprints import as_array
from grader.checks.numeric import mismatch
from grader.course.catalog import exercise
from grader.i18n import N_, _
from grader.inputs import TensorInput
from grader.model import Verdict

__all__ = ["EXERCISE", "bce_truth", "mae_truth", "mse_truth"]

_REGRESSION = ("pred", "target")
_CLASSIFICATION = ("p", "y")
_HARD_ONLY = N_("Right on hard 0/1 labels, wrong on soft ones: the label weighs both logs, "
                "y·log p + (1 − y)·log(1 − p), rather than choosing one of them. A label of "
                "0.3 counts log p three tenths and log(1 − p) seven tenths.")
_NO_ABS = N_("Each error counts by its size |pred − target|: without abs, errors above and "
             "below the target cancel out.")


def _values(arg: Any) -> np.ndarray:
    """The float64 numbers of an input, whether the child hands it over as array or tensor."""
    return arg.values if isinstance(arg, TensorInput) else np.asarray(arg, dtype=float)


def _pair(case: Case) -> tuple[np.ndarray, np.ndarray]:
    return _values(case.args[0]), _values(case.args[1])


def _inputs(first: np.ndarray, second: np.ndarray, tensor: bool) -> tuple[Any, Any]:
    return (TensorInput(first), TensorInput(second)) if tensor else (first, second)


def _case(label: str, first: np.ndarray, second: np.ndarray, names: tuple[str, ...],
          tensor: bool) -> Case:
    # Tensors come back as a different kind of value; only NumPy inputs are watched in place.
    return Case(label, _inputs(first, second, tensor), names, watch=() if tensor else (0, 1))


# Where the tutor draws the student's losses, pass or fail (evidence, never judged): two
# predictions each off by e, and one sample labelled 1 or 0 over p (tui/plots_06_09.py).
def _off_by_e() -> list[Case]:
    return [_case(_("two predictions, each off by e"), np.array([0.5, -1.0]) + k / 2,
                  np.array([0.5, -1.0]), _REGRESSION, False) for k in range(-4, 5)]


def _one_sample() -> list[Case]:
    return [_case(_("one sample, label y and prediction p"), np.array([p]), np.array([y]),
                  _CLASSIFICATION, False)
            for y in (1.0, 0.0) for p in np.linspace(0.02, 0.98, 13)]


def _draw_regression(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    cases = []
    for m, tensor in ((1, False), (5, False), (40, False), (1, True), (3, True), (17, True)):
        label = (_("torch tensors of length {m}") if tensor
                 else _("NumPy arrays of length {m}")).format(m=m)
        cases.append(_case(label, rng.normal(0, 2, m), rng.normal(0, 2, m), _REGRESSION,
                           tensor))
    return cases


def _hard_labels(rng: np.random.Generator, m: int) -> np.ndarray:
    labels = rng.integers(0, 2, m).astype(float)
    labels[:2] = [1.0, 0.0][:m]  # both classes present, so every term of the sum is used
    return labels


def _draw_bce(rng: np.random.Generator, _cuda: bool) -> list[Case]:
    # Predictions stay inside (0.02, 0.98): torch clamps log at −100, which a student need not.
    def p(m: int) -> np.ndarray:
        return rng.uniform(0.02, 0.98, m)

    cases = [_case(_("seed 001's situation: predictions close to hard 0/1 labels"),
                   np.array([0.97, 0.04, 0.9, 0.12]), np.array([1.0, 0.0, 1.0, 0.0]),
                   _CLASSIFICATION, False)]
    for m, soft, tensor in ((1, False, False), (6, False, False), (5, True, False),
                            (8, False, True), (3, True, True)):
        labels = rng.uniform(0, 1, m) if soft else _hard_labels(rng, m)
        label = {
            (True, True): _("torch tensors of length {m}, soft labels in (0, 1)"),
            (True, False): _("torch tensors of length {m}, hard 0/1 labels"),
            (False, True): _("NumPy arrays of length {m}, soft labels in (0, 1)"),
            (False, False): _("NumPy arrays of length {m}, hard 0/1 labels"),
        }[tensor, soft].format(m=m)
        cases.append(_case(label, p(m), labels, _CLASSIFICATION, tensor))
    return cases


def _torch_loss(name: str, first: np.ndarray, second: np.ndarray) -> float:
    import torch  # here, not at import: the catalog loads where torch is not wanted yet
    import torch.nn.functional as F

    loss = getattr(F, name)(torch.tensor(first, dtype=torch.float64),
                            torch.tensor(second, dtype=torch.float64))
    return float(loss)


def mae_truth(case: Case) -> float:
    """1/m·Σ|pred − target|, by torch.nn.functional.l1_loss."""
    return _torch_loss("l1_loss", *_pair(case))


def mse_truth(case: Case) -> float:
    """1/(2m)·Σ(pred − target)²: torch's mse_loss (a plain mean) scaled by ½."""
    return 0.5 * _torch_loss("mse_loss", *_pair(case))


def bce_truth(case: Case) -> float:
    """−1/m·Σ[y·log p + (1 − y)·log(1 − p)], by torch.nn.functional.binary_cross_entropy."""
    return _torch_loss("binary_cross_entropy", *_pair(case))


def _signed_mean(case: Case, sign: float) -> float:
    pred, target = _pair(case)
    return float(np.mean(sign * (pred - target)))


def _sum_abs(case: Case) -> float:
    pred, target = _pair(case)
    return float(np.sum(np.abs(pred - target)))


def _abs_of_mean(case: Case) -> float:
    pred, target = _pair(case)
    return float(abs(np.mean(pred - target)))


def _hard_labels_only(case: Case, threshold: float) -> float:
    """Each sample's log chosen by its label read as 0 or 1 (y == 1, or y rounded), as if
    every label were hard: right on hard labels, wrong on soft ones."""
    p, y = _pair(case)
    hard = y >= threshold
    return float(-np.mean(np.where(hard, np.log(p), np.log(1 - p))))


def _bce_terms(p: np.ndarray, y: np.ndarray, *, positive: bool = True,
               negative: bool = True) -> np.ndarray:
    # log 0 of a hard label is −inf on purpose: that is what the swapped formula computes.
    with np.errstate(divide="ignore", invalid="ignore"):
        return (y * np.log(p) if positive else 0.0) + (
            (1 - y) * np.log(1 - p) if negative else 0.0)


def _bce_variant(case: Case, *, swapped: bool = False, sign: float = -1.0, mean: bool = True,
                 positive: bool = True, negative: bool = True) -> float:
    p, y = _pair(case)
    if swapped:
        p, y = y, p
    terms = _bce_terms(p, y, positive=positive, negative=negative)
    total = float(np.mean(terms) if mean else np.sum(terms))
    return sign * total


def _number(value: Any) -> float | None:
    # as_array: an int beyond float64's range is ±inf here, as in every comparison.
    number = as_array(value, scalar=True)
    return float(number) if number is not None and number.shape == () else None


class _LossCheck(NumericCheck):
    """A NumericCheck whose named mistakes may be infinite.

    Seed 001's cross-entropy, with p and y swapped, takes log 0 of every hard 0/1 label: it is
    +inf there and finite on soft labels. An infinite answer never passes, but it still
    matches that mistake exactly, which the plain comparison (rightly) never says.
    """

    def assess(self, runs: list[Run]) -> Assessment:
        assessed = super().assess(runs)
        if assessed.verdict is not Verdict.FAILED or (
                assessed.diagnosis is not None and assessed.diagnosis.name != "not-finite"):
            return assessed
        failing = [run for run in runs
                    if mismatch(run.outcome.value, self.truth(run.case), self.rtol, self.atol)]
        for mistake in self.mistakes:
            if all(self._same(run, mistake.answer(run.case)) for run in failing):
                return dataclasses.replace(assessed, diagnosis=mistake.diagnosis())
        return assessed

    def _same(self, run: Run, wrong: float) -> bool:
        if math.isinf(wrong):
            return _number(run.outcome.value) == wrong
        return mismatch(run.outcome.value, wrong, self.rtol, self.atol) is None


def _m(case: Case) -> int:
    return len(_pair(case)[0])


EXERCISE = exercise(
    "06_losses",
    "numeric",
    [
        _LossCheck("mae", 1, draw=_draw_regression, truth=mae_truth,
                   evidence=also_on(_off_by_e), mistakes=[
            # Without abs the sign depends on which way round the difference was written.
            Mistake("missing-abs", _NO_ABS, lambda c: _signed_mean(c, 1.0)),
            Mistake("missing-abs", _NO_ABS, lambda c: _signed_mean(c, -1.0)),
            Mistake("abs-after-mean", N_("The abs is taken after the mean, |mean(pred − "
                                         "target)|: errors above and below the target cancel "
                                         "before it. Take abs of each error, then the mean."),
                    _abs_of_mean),
            Mistake("missing-1/m", N_("MAE is a mean: divide the sum of |pred − target| by the "
                                      "number of samples m."), _sum_abs),
        ]),
        _LossCheck("mse", 1, draw=_draw_regression, truth=mse_truth,
                   evidence=also_on(_off_by_e), mistakes=[
            Mistake("missing-half", N_("This course's MSE is 1/(2m)·Σ(pred − target)² (seeds 001 "
                                       "and 002): the ½ makes its gradient a plain mean of the "
                                       "errors. Yours is twice that."),
                    lambda c: 2 * mse_truth(c)),
            Mistake("missing-1/m", N_("MSE is a mean: divide Σ(pred − target)² by 2m, not 2."),
                    lambda c: _m(c) * mse_truth(c)),
            Mistake("precedence", N_("`/ 2 * m` divides by 2 and then multiplies by m: "
                                     "Python reads a / 2 * m as (a / 2)·m. Write a / (2 * m)."),
                    lambda c: _m(c) ** 2 * mse_truth(c)),
            Mistake("mae-instead-of-mse", N_("MSE squares the errors; you averaged their "
                                             "absolute values (that is MAE)."), mae_truth),
        ]),
        _LossCheck("binary_cross_entropy", 2, draw=_draw_bce, truth=bce_truth,
                   evidence=also_on(_one_sample), mistakes=[
            Mistake("p-and-y-swapped", N_("The logs belong on the predictions p, the labels y "
                                          "only weigh them: −1/m·Σ[y·log p + (1 − y)·log(1 − p)]."
                                          " Seed 001 prints it with y and f(x) swapped, which "
                                          "takes log 0 of every hard 0/1 label."),
                    lambda c: _bce_variant(c, swapped=True)),
            Mistake("sign-flipped", N_("The leading minus is missing: log p < 0 for p in (0, 1), "
                                       "so without it the loss is negative and rewards wrong "
                                       "predictions."), lambda c: _bce_variant(c, sign=1.0)),
            Mistake("missing-negative-term", N_("The (1 − y)·log(1 − p) term is missing: it is "
                                                "the one that scores the samples labelled 0."),
                    lambda c: _bce_variant(c, negative=False)),
            Mistake("missing-positive-term", N_("The y·log p term is missing: it is the one that "
                                                "scores the samples labelled 1."),
                    lambda c: _bce_variant(c, positive=False)),
            Mistake("hard-labels-only", _HARD_ONLY, lambda c: _hard_labels_only(c, 1.0)),
            Mistake("hard-labels-only", _HARD_ONLY, lambda c: _hard_labels_only(c, 0.5)),
            Mistake("log-base-10", N_("The logs here are natural logs, np.log (ln): yours are "
                                      "base 10 (np.log10), which makes the loss ln 10 ≈ 2.303 "
                                      "times too small."),
                    lambda c: bce_truth(c) / math.log(10)),
            Mistake("missing-1/m", N_("Cross-entropy is a mean over the m samples: divide the "
                                      "sum by m."), lambda c: _bce_variant(c, mean=False)),
        ]),
    ],
)
