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
from grader.model import Counterexample, Verdict
from grader.symbolic import DEFAULT, Outcome, compare, from_tree, parse_answer
from grader.symbolic.messages import TOO_LARGE
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
            raise AnswerRejected("the answer is NaN or infinite")
        return sympy.Float(value)
    raise AnswerRejected(
        f"returned {describe(value)}; expected a SymPy expression or a string such as \"x + 2\""
    )


class SymbolicCheck(Check):
    """A function whose answer is a formula; equal to the truth by algebra or not at all.

    The verdict depends on the answer alone (its sample points are seeded by the test, not
    the student, and equality is only ever granted by algebra), so it is cached: a class
    that types the same expression pays for one comparison.
    """

    def __init__(
        self,
        function: str,
        points: float,
        *,
        symbols: Callable[[], Mapping[str, sympy.Basic]],
        truth: Callable[[], sympy.Expr],
        mistakes: Sequence[Mistake] = (),
        sum_bound: str | None = None,
        timeout: float = 2.0,
    ) -> None:
        self.function = function
        self.points = points
        self._symbols = symbols
        self._truth = truth
        self.mistakes = tuple(mistakes)
        self._sum_bound = sum_bound
        self._timeout = timeout
        self._seed = zlib.crc32(function.encode())
        self._verdicts: OrderedDict[str, Assessment] = OrderedDict()

    def cases(self, rng: np.random.Generator, *, cuda: bool) -> list[Case]:
        return [Case("your answer", seed=self._seed)]

    @cached_property
    def truth(self) -> sympy.Expr:
        return self._truth()

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
            return Assessment(Verdict.ERROR, f"The answer could not be read: {exc.message}")
        bound = symbols.get(self._sum_bound) if self._sum_bound else None
        result = compare(
            answer, self.truth, seed=run.case.seed, sum_bound=bound, timeout=self._timeout,
            mistakes=[mistake.answer(Case("mistake")) for mistake in self.mistakes],
        )
        shown = sympy.sstr(answer)
        if result.outcome is Outcome.EQUAL:
            return Assessment(Verdict.PASSED, f"{shown} equals the truth ({result.method}).")
        if result.outcome is Outcome.UNDECIDED:
            return Assessment(
                Verdict.UNDECIDED,
                f"{shown}: {result.detail} This is not counted as wrong; simplify the "
                "expression and check again.",
                actual=shown,
            )
        counterexample = None
        if result.counterexample:
            point = result.counterexample
            counterexample = Counterexample(
                {str(k): v for k, v in point["at"].items()}, point["expected"], point["actual"]
            )
        return Assessment(
            Verdict.FAILED,
            f"{shown} is not equal to the correct expression. {result.detail}",
            expected=counterexample.expected if counterexample else None,
            actual=shown,
            counterexample=counterexample,
            diagnosis=None if result.mistake is None else self.mistakes[result.mistake].diagnosis(),
        )


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
