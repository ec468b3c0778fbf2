"""Staged equivalence of an answer with the truth, each comparison in a killable child under
one deadline: `compare`, `agrees_numerically`, outcomes."""

from __future__ import annotations

import _thread
import contextlib
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from types import FrameType
from typing import Any

import sympy

from grader.forking import ChildCrashed, ChildTimeout, ProtocolViolation, call_in_fork
from grader.portable import judge
from grader.portable.mode import use_portable
from grader.symbolic.budget import OverBudget, expand_terms, over_budget
from grader.symbolic.limits import DEFAULT, Limits
from grader.symbolic.sampling import RTOL, Case, sample_points
from grader.symbolic.sums import canonical, instantiate

__all__ = ["Comparison", "Outcome", "agrees_numerically", "compare"]

# A child past its deadline is asked to stop (SIGALRM, between two Python steps) and report
# what it knows; one stuck inside a long C call is killed this much later.
_GRACE = 0.5


class Outcome(StrEnum):
    """What a comparison concluded; UNDECIDED is neither a pass nor a fail."""

    EQUAL = "equal"
    DIFFERENT = "different"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Comparison:
    """The outcome, the stage that decided it, one sentence, a counterexample if any, and
    for a DIFFERENT answer the index of the first of `compare`'s `mistakes` it matches."""

    outcome: Outcome
    method: str
    detail: str
    counterexample: dict[str, Any] | None = None
    mistake: int | None = None


def compare(
    answer: sympy.Expr,
    truth: sympy.Expr,
    *,
    seed: int,
    sum_bound: sympy.Symbol | None = None,
    timeout: float = 2.0,
    limits: Limits = DEFAULT,
    mistakes: Sequence[sympy.Expr] = (),
) -> Comparison:
    """Decide whether `answer` equals `truth` as a function of their symbols.

    Structural equality and static budgets (`over_budget`) are checked here; every other
    stage runs in one killable child (a fork, or the portable runner's warm judge where
    there is no fork) that is stopped after `timeout` seconds: random points
    (a difference there is DIFFERENT, with the point), expand under a size budget, then
    `simplify`. Sums over 1..`sum_bound` (found in `truth` when not given) are sampled for
    the fixed m of `limits.sum_instances`, but EQUAL needs an argument for every m: both
    sides are rewritten over canonical sums (`sums.canonical`) and compared as rational
    functions of them.
    Whatever cannot be shown in time is UNDECIDED. A DIFFERENT answer is then matched
    against the named wrong answers `mistakes` (`agrees_numerically`) in the same child,
    within the same deadline.
    """
    answer, truth = _as_expr(answer), _as_expr(truth)
    wrong = [_as_expr(mistake) for mistake in mistakes]
    if answer == truth:
        return Comparison(Outcome.EQUAL, "structural", "The answer is the expected expression.")
    problem = over_budget(answer, limits)
    if problem is not None:
        return Comparison(Outcome.UNDECIDED, "budget", f"The answer was not compared: {problem}.")
    args = (answer, truth, wrong, seed, sum_bound, limits, timeout)
    try:
        if use_portable():
            reply = judge.call(_judged, args, timeout + _GRACE)
        else:
            reply = call_in_fork(lambda: _judged(*args), timeout + _GRACE)
        mistake = reply["mistake"]
        return Comparison(Outcome(reply["outcome"]), str(reply["method"]), str(reply["detail"]),
                          reply["counterexample"],
                          mistake if type(mistake) is int and 0 <= mistake < len(wrong) else None)
    except ChildTimeout:
        return Comparison(Outcome.UNDECIDED, "timeout",
                          f"Equality could not be decided within {timeout:g} s.")
    except (ChildCrashed, ProtocolViolation, KeyError, TypeError, ValueError) as exc:
        return Comparison(Outcome.UNDECIDED, "error",
                          f"SymPy failed while comparing ({str(exc)[:80]}).")


def agrees_numerically(
    answer: sympy.Expr,
    candidate: sympy.Expr,
    *,
    seed: int,
    sum_bound: sympy.Symbol | None = None,
) -> bool:
    """True when `answer` matches `candidate` (e.g. a known wrong answer) at random points.

    Cheap and numeric only, in this process (`compare` runs it in its child, under its
    deadline): at least one point must be comparable and none may differ.
    """
    answer, candidate = _as_expr(answer), _as_expr(candidate)
    if answer == candidate:
        return True
    if over_budget(answer, DEFAULT) is not None:
        return False
    instances = instantiate(answer, candidate, sum_bound, DEFAULT)
    sample = sample_points(instances, seed=seed, span=DEFAULT.longest_sum)
    return sample.counterexample is None and sample.compared > 0


def _as_expr(value: object) -> sympy.Expr:
    # Truths and named mistakes may be plain numbers; text is never accepted here.
    if isinstance(value, sympy.Expr):
        return value
    if type(value) is int:
        return sympy.Integer(value)
    if type(value) is float:
        return sympy.Float(value)
    raise TypeError(f"expected a SymPy expression, got {type(value).__name__}")


# ------------------------------------------------------------- in the child: the stages


class _OutOfTime(BaseException):
    """Raised by SIGALRM in the child; a BaseException so SymPy's `except Exception` lets
    it through."""


@contextlib.contextmanager
def _soft_deadline(deadline: float) -> Iterator[None]:
    """Raise _OutOfTime in this process's main thread at `deadline` (time.monotonic)."""
    left = max(deadline - time.monotonic(), 1e-4)
    if threading.current_thread() is not threading.main_thread():
        yield  # the parent's kill is the only deadline
        return
    if not hasattr(signal, "setitimer"):  # Windows: a timer thread interrupts the main one
        timer = threading.Timer(left, _thread.interrupt_main)
        timer.start()
        try:
            yield
        except KeyboardInterrupt:
            raise _OutOfTime from None
        finally:
            timer.cancel()
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, left)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _judged(
    answer: sympy.Expr, truth: sympy.Expr, mistakes: list[sympy.Expr], seed: int,
    bound: sympy.Symbol | None, limits: Limits, timeout: float,
) -> dict[str, Any]:
    """The child's whole comparison, under a deadline `timeout` seconds from now, as data."""
    deadline = time.monotonic() + timeout
    return asdict(_judge(answer, truth, mistakes, seed, bound, limits, deadline, timeout))


def _judge(
    answer: sympy.Expr, truth: sympy.Expr, mistakes: list[sympy.Expr], seed: int,
    bound: sympy.Symbol | None, limits: Limits, deadline: float, timeout: float,
) -> Comparison:
    evidence: list[str] = []  # what the sample showed, once it is known
    decided: list[Comparison] = []  # the verdict, kept if the diagnosis runs out of time
    try:
        with _soft_deadline(deadline):
            decided.append(_decide(answer, truth, seed, bound, limits, evidence))
            if decided[0].outcome is Outcome.DIFFERENT:
                for index, mistake in enumerate(mistakes):
                    if agrees_numerically(answer, mistake, seed=seed, sum_bound=bound):
                        return replace(decided[0], mistake=index)
            return decided[0]
    except _OutOfTime:
        if decided:
            return decided[0]
        return Comparison(Outcome.UNDECIDED, "timeout", "Equality could not be decided within "
                          f"{timeout:g} s{''.join(evidence)}.")


def _decide(
    answer: sympy.Expr, truth: sympy.Expr, seed: int, bound: sympy.Symbol | None,
    limits: Limits, evidence: list[str],
) -> Comparison:
    instances = instantiate(answer, truth, bound, limits)
    sample = sample_points(instances, seed=seed, span=limits.longest_sum)
    if sample.counterexample is not None:
        return Comparison(Outcome.DIFFERENT, "random-points",
                          _describe(sample.counterexample), sample.counterexample)
    fixed = _fixed_values(instances)
    if sample.compared:
        seen = f"all {sample.compared} random points agree{fixed}"
    else:
        seen = "no sample point could be evaluated"
    evidence.append(f" ({seen})")
    pair = (answer, truth)
    every = ""
    if answer.has(sympy.Sum) or truth.has(sympy.Sum):
        name = next(iter(instances[0][2]), None)
        every = f" for every {name}" if name else " whatever the lengths of the sums"
        rewritten = canonical(pair, limits)
        if rewritten is None:
            return Comparison(Outcome.UNDECIDED, "sums", f"The sums could not be shown equal "
                              f"{every.strip()}, though {seen}.")
        pair = (rewritten[0], rewritten[1])
    expanded = _expand_equal(*pair, limits)
    if expanded:
        return Comparison(Outcome.EQUAL, "expand",
                          f"The answer expands to the expected expression{every}.")
    if _simplify_equal(*pair, expand_tried=expanded is not None):
        return Comparison(Outcome.EQUAL, "simplify",
                          f"The answer simplifies to the expected expression{every}.")
    return Comparison(Outcome.UNDECIDED, "simplify", f"SymPy could not show the answer equal "
                      f"to the expected expression{every}, but {seen}.")


def _fixed_values(instances: list[Case]) -> str:
    """' for m = 1..5, 8, 13' when the sums were written out for those m, else ''."""
    values = [fixed for _, _, fixed in instances if fixed]
    if not values:
        return ""
    name = next(iter(values[0]))
    ks = [v[name] for v in values]
    run = next((n for n, k in enumerate(ks) if k != n + 1), len(ks))
    shown = [f"1..{run}" if run > 1 else "1"] if run else []
    return f" for {name} = " + ", ".join(shown + [str(k) for k in ks[run:]])


def _describe(counterexample: dict[str, Any]) -> str:
    at = ", ".join(f"{name} = {_short(value)}" for name, value in counterexample["at"].items())
    where = f"At {at}" if at else "As a number"
    expected, actual = counterexample["expected"], counterexample["actual"]
    return (f"{where} the expected value is {_short(expected, actual)} but the answer gives "
            f"{_short(actual, expected)}.")


def _short(value: object, other: object = None) -> str:
    if not isinstance(value, float):
        return str(value)
    digits = 6  # more only where 6 would print the expected and the actual value alike
    while isinstance(other, float) and digits < 17 and (
        f"{value:.{digits}g}" == f"{other:.{digits}g}"
    ):
        digits += 1
    return f"{value:.{digits}g}"


def _expand_equal(answer: sympy.Basic, truth: sympy.Basic, limits: Limits) -> bool | None:
    """Whether both sides expand to the same thing; None when expanding would be too big."""
    try:
        expand_terms(answer, limits.max_expand_terms)
        expand_terms(truth, limits.max_expand_terms)
    except (OverBudget, RecursionError):
        return None
    expanded_answer, expanded_truth = sympy.expand(answer), sympy.expand(truth)
    return _negligible(expanded_answer - expanded_truth, expanded_truth)


def _negligible(diff: sympy.Basic, truth: sympy.Basic) -> bool:
    """Zero, or only float rounding: each left-over term has a Float coefficient tiny next to
    the truth's coefficient of the same monomial (so 0.5*x matches x/2, but 0.333*x does not
    match x/3, and a term such as 1e-30*x**2 that the truth lacks is never dropped)."""
    if diff == 0:
        return True
    truth_coeffs = truth.as_coefficients_dict()
    for term in sympy.Add.make_args(diff):
        coeff, monomial = term.as_coeff_Mul()
        # Exact SymPy numbers: float() of a huge integer coefficient would overflow.
        scale = abs(truth_coeffs.get(monomial, sympy.S.Zero))
        if not coeff.is_Float or scale == 0 or bool(abs(coeff) > RTOL * scale):
            return False
    return True


def _simplify_equal(answer: sympy.Basic, truth: sympy.Basic, *, expand_tried: bool) -> bool:
    diff = answer - truth
    if not expand_tried and _is_zero(sympy.expand(diff)):
        return True
    return _is_zero(sympy.simplify(diff))


def _is_zero(expr: sympy.Basic) -> bool:
    return expr == 0 or bool(expr.is_Number and expr.is_zero)
