"""Symbolic checks: a returned expression or string, rebuilt safely and compared with the truth."""

from __future__ import annotations

import json
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import sympy

from grader.checks.base import Assessment, Case, Check, Mistake, Run
from grader.errors import AnswerRejected
from grader.i18n import _
from grader.model import Counterexample, Diagnosis, Verdict
from grader.symbolic import DEFAULT, Outcome, agrees_numerically, compare, from_tree, parse_answer
from grader.symbolic.hand_examples import hand_counterexample
from grader.symbolic.messages import TOO_LARGE
from grader.symbolic.mistake_rules import Problem, candidates
from grader.wire import SymbolicAnswer, describe

__all__ = ["SymbolicCheck", "to_expression"]

_CACHE_SIZE = 4096


def to_expression(value: Any, symbols: Mapping[str, sympy.Basic]) -> sympy.Expr:
    """A returned value as a SymPy expression built by the grader, or AnswerRejected."""
    if isinstance(value, SymbolicAnswer):
        return from_tree(value.tree, symbols)
    if isinstance(value, str):
        return parse_answer(value, symbols)
    if type(value) is int:
        # The parser's digit limit, checked on the bit length first: str() of a huge int is
        # slow, and past 4300 digits it raises.
        if value.bit_length() > 4 * DEFAULT.max_int_digits:
            raise AnswerRejected(TOO_LARGE["integer"].format(limit=DEFAULT.max_int_digits))
        return from_tree(["Integer", str(value)], symbols)
    if type(value) is float:
        if not np.isfinite(value):
            raise AnswerRejected(_("the answer is NaN or infinite"))
        return sympy.Float(value)
    raise AnswerRejected(
        _("returned {value}; expected a SymPy expression or a string such as {example}").format(
            value=describe(value), example='"x + 2"')
    )


class SymbolicCheck(Check):
    """A function whose answer is a formula; equal to the truth by algebra or not at all.

    The verdict depends on the answer alone (its sample points are seeded by the test, not
    the student, and equality is only ever granted by algebra), so it is cached: a class
    that types the same expression pays for one comparison.

    A different answer is named by the first wrong answer it matches: the hand-written
    `mistakes`, then those the rules build from `problem` (`mistake_rules.candidates`).
    """

    def __init__(
        self,
        function: str,
        points: float,
        *,
        symbols: Callable[[], Mapping[str, sympy.Basic]],
        truth: Callable[[], sympy.Expr],
        mistakes: Sequence[Mistake] = (),
        problem: Callable[[], Problem] | None = None,
        sum_bound: str | None = None,
        timeout: float = 2.0,
    ) -> None:
        self.function = function
        self.points = points
        self._symbols = symbols
        self._truth = truth
        self.mistakes = tuple(mistakes)
        self._problem = problem
        self._sum_bound = sum_bound
        self._timeout = timeout
        self._seed = zlib.crc32(function.encode())
        self._verdicts: OrderedDict[str, Assessment] = OrderedDict()

    def cases(self, rng: np.random.Generator, *, cuda: bool) -> list[Case]:
        return [Case("your answer", seed=self._seed)]

    @cached_property
    def truth(self) -> sympy.Expr:
        return self._truth()

    @cached_property
    def named(self) -> tuple[tuple[sympy.Expr, Callable[[], Diagnosis]], ...]:
        """Each known wrong answer with the diagnosis it gets, in the order they are tried."""
        found = [(mistake.answer(Case("mistake")), mistake.diagnosis) for mistake in self.mistakes]
        if self._problem is not None:
            bound = self._symbols().get(self._sum_bound) if self._sum_bound else None
            # A rule's answer that is right after all (e.g. an inner derivative of 1 left
            # out) must never name anything: trusted expressions, so checked here.
            found += [(c.answer, c.diagnosis) for c in candidates(self._problem(), self.truth)
                      if not agrees_numerically(c.answer, self.truth, seed=self._seed,
                                                sum_bound=bound)]
        return tuple(found)

    def assess(self, runs: list[Run]) -> Assessment:
        (run,) = runs
        key = _answer_key(run.outcome.value)
        if key is None:
            return self._assess(run)
        cached = self._verdicts.get(key)
        if cached is None:
            cached = self._verdicts[key] = self._assess(run)
            if len(self._verdicts) > _CACHE_SIZE:
                self._verdicts.popitem(last=False)
        return cached

    def _assess(self, run: Run) -> Assessment:
        symbols = self._symbols()
        try:
            answer = to_expression(run.outcome.value, symbols)
        except AnswerRejected as exc:
            return Assessment(Verdict.ERROR, _("The answer could not be read: {reason}").format(
                reason=exc.message))
        bound = symbols.get(self._sum_bound) if self._sum_bound else None
        # The named mistakes take ~0.2 s to build on first use: a right answer in the
        # expected form (the usual case) passes without them.
        mistakes = [] if answer == self.truth else [wrong for wrong, _diagnosis in self.named]
        result = compare(
            answer, self.truth, seed=run.case.seed, sum_bound=bound, timeout=self._timeout,
            mistakes=mistakes,
        )
        shown = sympy.sstr(answer)
        if result.outcome is Outcome.EQUAL:
            return Assessment(Verdict.PASSED, _("{answer} equals the truth ({method}).").format(
                answer=shown, method=result.method))
        if result.outcome is Outcome.UNDECIDED:
            return Assessment(
                Verdict.UNDECIDED,
                _("{answer}: {detail} This is not counted as wrong; simplify the expression "
                  "and check again.").format(answer=shown, detail=result.detail),
                actual=shown,
            )
        counterexample, detail = self._counterexample(answer, bound, run.case.seed, result.detail,
                                                      result.counterexample)
        return Assessment(
            Verdict.FAILED,
            _("{answer} is not equal to the correct expression. {detail}").format(
                answer=shown, detail=detail),
            expected=counterexample.expected if counterexample else None,
            actual=shown,
            counterexample=counterexample,
            diagnosis=None if result.mistake is None else self.named[result.mistake][1](),
        )

    def _counterexample(
        self, answer: sympy.Expr, bound: sympy.Basic | None, seed: int, detail: str,
        sampled: dict[str, Any] | None,
    ) -> tuple[Counterexample | None, str]:
        """A point a student can check by hand, with its one-line working; else the random
        point the comparison found, and its sentence."""
        simple = hand_counterexample(answer, self.truth, seed=seed,
                                     bound=bound if isinstance(bound, sympy.Symbol) else None)
        if simple is not None:
            return Counterexample(simple.inputs, simple.expected, simple.actual,
                                  simple.working), simple.working
        if not sampled:
            return None, detail
        inputs = {str(k): v for k, v in sampled["at"].items()}
        return Counterexample(inputs, sampled["expected"], sampled["actual"]), detail


def _answer_key(value: Any) -> str | None:
    """A cache key that identifies the answer exactly (type included), or None."""
    if isinstance(value, SymbolicAnswer):
        try:
            return "tree:" + json.dumps(value.tree, sort_keys=True)
        except (ValueError, TypeError, RecursionError):  # not plain data: judged uncached
            return None
    if type(value) in (str, int, float):
        return f"{type(value).__name__}:{value!r}"
    return None
