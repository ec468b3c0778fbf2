"""Evidence for the tutor's plots: the student's own answers as bounded plain samples."""

# Evidence is never judged: it is recorded on a pass as on a failure so that the tutor can draw
# the student's work. Extra calls go through the engine's `call`, which bounds their time.

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from grader.checks.base import Call, Case, Run
from grader.inputs import TensorInput
from grader.model import Sample
from grader.wire import describe, to_plain

__all__ = ["EVIDENCE_NUMBERS", "Evidence", "also_on", "counted_up", "exact", "recorded",
           "trained"]

# The most numbers one test's evidence may hold: enough for a curve, small in results.json.
EVIDENCE_NUMBERS = 600

Evidence = Callable[[list[Run], Call], tuple[Sample, ...]]


def exact(value: Any) -> Any:
    """A value as plain data at full precision (to_plain rounds for reading; plots must not)."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    if isinstance(getattr(value, "values", None), np.ndarray):  # answers and tensor inputs
        return value.values.tolist()
    if isinstance(value, list | tuple):
        return [exact(item) for item in value]
    if type(value) in (bool, int, float, str) or value is None:
        return value
    shown = to_plain(value)  # e.g. a gradient function, by its description
    return shown if type(shown) is str else describe(value)


def recorded(runs: list[Run], budget: int = EVIDENCE_NUMBERS) -> tuple[Sample, ...]:
    """The graded runs as samples, in order, each whole or not at all, within `budget` numbers."""
    return _fit((_sample(run.case, run.outcome.value) for run in runs), budget)


def also_on(draw: Callable[[], list[Case]]) -> Evidence:
    """Evidence of the student's answers on the cases `draw` makes (e.g. a grid to draw a curve
    on), then of the graded runs as far as the budget allows. They are made at grading time,
    so that their labels are in the language of the run."""

    def evidence(runs: list[Run], call: Call) -> tuple[Sample, ...]:
        cases = draw()
        answers = zip(cases, call(cases), strict=False)
        return _then_recorded(_fit((_sample(c, v) for c, v in answers), EVIDENCE_NUMBERS), runs)

    return evidence


def counted_up(name: str, *, run: int = 0, most: int = 50) -> Evidence:
    """Evidence of the student's answers to graded run `run` with its argument `name` set to
    1, 2, … up to its own value (at most `most`), e.g. the weights after each epoch: one
    sample, `name` given as that list, the answers in order (fewer if a call did not return)."""

    def evidence(runs: list[Run], call: Call) -> tuple[Sample, ...]:
        if len(runs) <= run:
            return ()
        case = runs[run].case
        index = case.names.index(name)
        counts = list(range(1, min(int(case.args[index]), most) + 1))
        answers = call([replace(case, args=_with(case.args, {index: k})) for k in counts])
        sample = _sample(case, answers)
        sample.inputs[name] = counts
        return _then_recorded(_fit([sample], EVIDENCE_NUMBERS), runs)

    return evidence


def trained(truth: Callable[[Case], Any], *, weights: Sequence[str], steps: int,
            lr: float) -> Evidence:
    """Evidence of `steps` gradient-descent steps from the first graded case, taken with the
    student's gradients and with the true ones: the true loss along each path.

    The function returns (loss, *gradients), one gradient per name in `weights`; so does
    `truth`. One sample: `actual` the losses along the student's path, `expected` along the
    true path (the student's stops early where a call did not return or the loss blew up).
    """

    def evidence(runs: list[Run], call: Call) -> tuple[Sample, ...]:
        if not runs:
            return ()
        start = runs[0].case
        indices = [start.names.index(name) for name in weights]

        def path(gradients: Callable[[Case], Sequence[Any] | None]) -> list[float]:
            case, losses = start, []
            for _step in range(steps + 1):
                loss = float(_array(truth(case)[0]))
                losses.append(loss)
                found = gradients(case) if np.isfinite(loss) and len(losses) <= steps else None
                if found is None:
                    break
                updated = {i: _like(case.args[i], _array(case.args[i]) - lr * _array(g))
                           for i, g in zip(indices, found, strict=True)}
                case = replace(case, args=_with(case.args, updated))
            return losses

        def students(case: Case) -> Sequence[Any] | None:
            answers = call([case])
            found = list(answers[0])[1:] if answers and isinstance(answers[0], list) else []
            shapes = [_array(case.args[i]).shape for i in indices]
            if [_array(g).shape for g in found] != shapes:
                return None  # nothing to step with: their path ends here
            return found

        def true(case: Case) -> Sequence[Any]:
            return list(truth(case))[1:]

        sample = Sample(start.label, {"lr": lr, "steps": steps}, path(students), path(true))
        return _then_recorded((sample,), runs)

    return evidence


def _array(value: Any) -> np.ndarray:
    """Numbers from an answer, a tensor input or a truth (TensorTruth, array, float)."""
    return np.asarray(getattr(value, "values", value), dtype=np.float64)


def _like(original: Any, values: np.ndarray) -> Any:
    """`values` in the form of the argument it replaces (a tensor input stays one)."""
    return replace(original, values=values) if isinstance(original, TensorInput) else values


def _with(args: tuple[Any, ...], changes: dict[int, Any]) -> tuple[Any, ...]:
    return tuple(changes.get(i, arg) for i, arg in enumerate(args))


def _sample(case: Case, value: Any) -> Sample:
    inputs = {name: exact(arg) for name, arg in zip(case.names, case.args, strict=False)}
    return Sample(case.label, inputs, exact(value))


def _size(value: Any) -> int:
    return sum(_size(item) for item in value) if isinstance(value, list) else 1


def _sample_size(sample: Sample) -> int:
    parts = [sample.actual, sample.expected, *sample.inputs.values()]
    return sum(_size(part) for part in parts)


def _fit(samples: Iterable[Sample], budget: int) -> tuple[Sample, ...]:
    kept: list[Sample] = []
    for sample in samples:
        if _sample_size(sample) <= budget:
            kept.append(sample)
            budget -= _sample_size(sample)
    return tuple(kept)


def _then_recorded(first: tuple[Sample, ...], runs: list[Run]) -> tuple[Sample, ...]:
    """`first`, then the graded runs in what is left of the budget."""
    return first + recorded(runs, EVIDENCE_NUMBERS - sum(_sample_size(s) for s in first))
