"""Staged equivalence of an answer with the truth: `compare`, `agrees_numerically`, outcomes."""

from __future__ import annotations

import cmath
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import mpmath
import sympy
from sympy.tensor.indexed import Indexed

from grader.forking import ChildCrashed, ChildTimeout, ProtocolViolation, call_in_fork
from grader.symbolic.limits import DEFAULT, Limits

__all__ = ["Comparison", "Outcome", "agrees_numerically", "compare"]

_POINTS = 12
_RTOL = 1e-8
_ATOL = 1e-12
_PRECISE_DPS = 50  # mismatches in double precision are re-checked at this many digits


class Outcome(StrEnum):
    """What a comparison concluded; UNDECIDED is neither a pass nor a fail."""

    EQUAL = "equal"
    DIFFERENT = "different"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class Comparison:
    """The outcome, the stage that decided it, one sentence, and a counterexample if any."""

    outcome: Outcome
    method: str
    detail: str
    counterexample: dict[str, Any] | None = None


def compare(
    answer: sympy.Expr,
    truth: sympy.Expr,
    *,
    seed: int,
    sum_bound: sympy.Symbol | None = None,
    timeout: float = 2.0,
    limits: Limits = DEFAULT,
) -> Comparison:
    """Decide whether `answer` equals `truth` as a function of their symbols.

    Stages: structural equality; random points (a difference there is DIFFERENT, with the
    point); expand under a size budget; `simplify` in a killable fork. With Sums over
    1..`sum_bound` (found in `truth` when not given) both sides are written out for
    m = 1..`limits.max_sum_span` first. Whatever cannot be shown in time is UNDECIDED.
    """
    if answer == truth:
        return Comparison(Outcome.EQUAL, "structural", "The answer is the expected expression.")
    instances, note = _instantiate(answer, truth, sum_bound, limits)
    sample = _sample(instances, seed, limits)
    if sample.counterexample is not None:
        return Comparison(Outcome.DIFFERENT, "random-points",
                          _describe(sample.counterexample), sample.counterexample)
    where = f" for m = 1..{len(instances)}" if instances[0].fixed else ""
    pairs = [(item.answer, item.truth) for item in instances]
    expanded = _expand_equal(pairs, limits)
    if expanded:
        return Comparison(Outcome.EQUAL, "expand",
                          f"The answer expands to the expected expression{where}.")
    if sample.compared:
        evidence = f"all {sample.compared} random points agree"
    else:
        evidence = "no sample point could be evaluated"
    try:
        simplified = _simplify_in_fork(pairs, expand_tried=expanded is not None, timeout=timeout)
    except ChildTimeout:
        return Comparison(Outcome.UNDECIDED, "timeout", f"Equality could not be decided within "
                          f"{timeout:g} s ({evidence}){note}.")
    except (ChildCrashed, ProtocolViolation) as exc:
        return Comparison(Outcome.UNDECIDED, "error", f"SymPy failed while comparing "
                          f"({str(exc)[:80]}; {evidence}){note}.")
    if simplified:
        return Comparison(Outcome.EQUAL, "simplify",
                          f"The answer simplifies to the expected expression{where}.")
    return Comparison(Outcome.UNDECIDED, "simplify", f"SymPy could not show the answer equal "
                      f"to the expected expression, but {evidence}{note}.")


def agrees_numerically(
    answer: sympy.Expr,
    candidate: sympy.Expr,
    *,
    seed: int,
    sum_bound: sympy.Symbol | None = None,
) -> bool:
    """True when `answer` matches `candidate` (e.g. a known wrong answer) at random points.

    Cheap and numeric only: at least one point must be comparable and none may differ.
    """
    if answer == candidate:
        return True
    instances, _ = _instantiate(answer, candidate, sum_bound, DEFAULT)
    sample = _sample(instances, seed)
    return sample.counterexample is None and sample.compared > 0


# ------------------------------------------------------------------ Sums: m = 1..span


@dataclass(frozen=True)
class _Instance:
    answer: sympy.Basic
    truth: sympy.Basic
    fixed: dict[str, int]


class _CannotUnroll(Exception):
    pass


def _instantiate(
    answer: sympy.Expr, truth: sympy.Expr, bound: sympy.Symbol | None, limits: Limits
) -> tuple[list[_Instance], str]:
    whole = [_Instance(answer, truth, {})]
    if not (answer.has(sympy.Sum) or truth.has(sympy.Sum)):
        return whole, ""
    bound = bound if bound is not None else _detect_bound(truth)
    if bound is None:
        return whole, ""
    instances = []
    for k in range(1, limits.max_sum_span + 1):
        budget = [limits.max_unrolled_nodes]
        try:
            pair = [_unroll(_fix(side, bound.name, k), limits, budget) for side in (answer, truth)]
        except (_CannotUnroll, RecursionError):
            return whole, f"; the sums could not be written out for {bound.name} = 1..{k}"
        instances.append(_Instance(pair[0], pair[1], {bound.name: k}))
    return instances, ""


def _detect_bound(truth: sympy.Expr) -> sympy.Symbol | None:
    uppers = {hi for s in truth.atoms(sympy.Sum) for _, _, hi in s.limits if hi.is_Symbol}
    return uppers.pop() if len(uppers) == 1 else None


def _fix(expr: sympy.Basic, name: str, k: int) -> sympy.Basic:
    # By name, like every other symbol: the answer's m need not be the caller's object.
    hits = {s: sympy.Integer(k) for s in expr.free_symbols if s.is_Symbol and s.name == name}
    return expr.xreplace(hits)


def _unroll(expr: sympy.Basic, limits: Limits, budget: list[int]) -> sympy.Basic:
    if not expr.args:
        return expr
    if isinstance(expr, sympy.Sum):
        return _unroll_sum(expr.function, list(expr.limits), limits, budget)
    args = [_unroll(arg, limits, budget) for arg in expr.args]
    if all(new is old for new, old in zip(args, expr.args, strict=True)):
        return expr
    return expr.func(*args)


def _unroll_sum(
    body: sympy.Basic, bounds: list[Any], limits: Limits, budget: list[int]
) -> sympy.Basic:
    var, lo, hi = bounds[-1]  # the last limit is the outermost sum
    if not (lo.is_Integer and hi.is_Integer):
        raise _CannotUnroll
    first, last = int(lo), int(hi)
    if last - first + 1 > limits.max_sum_span or last < first - 1:
        raise _CannotUnroll
    inner = sympy.Sum(body, *bounds[:-1]) if len(bounds) > 1 else body
    budget[0] -= _size(inner) * (last - first + 1)
    if budget[0] < 0:
        raise _CannotUnroll
    terms = [_unroll(inner.xreplace({var: sympy.Integer(n)}), limits, budget)
             for n in range(first, last + 1)]
    return sympy.Add(*terms)


def _size(expr: sympy.Basic) -> int:
    return sum(1 for _ in sympy.preorder_traversal(expr))


# ------------------------------------------------------------ random-point evaluation


class _Unevaluable(Exception):
    """The expression holds something the sampler does not evaluate."""


@dataclass(frozen=True)
class _Backend:
    lift: Callable[[Any], Any]
    number: Callable[[sympy.Number], Any]
    constant: Callable[[str], Any]
    functions: dict[str, Callable[[Any], Any]]
    nan: Callable[[], Any]


def _float_number(value: sympy.Number) -> complex:
    if value.is_Rational:
        return complex(int(value.p) / int(value.q))
    return complex(float(value))


def _mp_number(value: sympy.Number) -> Any:
    if value.is_Rational:
        return mpmath.mpc(mpmath.mpf(int(value.p)) / int(value.q))
    return mpmath.mpc(mpmath.mpf(value._mpf_))


_FLOAT = _Backend(
    lift=complex,
    number=_float_number,
    constant=lambda name: complex(math.pi if name == "pi" else math.e),
    functions={"exp": cmath.exp, "log": cmath.log, "sin": cmath.sin, "cos": cmath.cos,
               "tan": cmath.tan, "Abs": lambda z: complex(abs(z))},
    nan=lambda: complex(math.nan, math.nan),
)
_PRECISE = _Backend(
    lift=mpmath.mpc,
    number=_mp_number,
    constant=lambda name: mpmath.mpc(+mpmath.mp.pi if name == "pi" else +mpmath.mp.e),
    functions={"exp": mpmath.exp, "log": mpmath.log, "sin": mpmath.sin, "cos": mpmath.cos,
               "tan": mpmath.tan, "Abs": lambda z: mpmath.mpc(abs(z))},
    nan=lambda: mpmath.mpc(mpmath.nan, mpmath.nan),
)
_FUNCTION_NAMES = {sympy.exp: "exp", sympy.log: "log", sympy.sin: "sin", sympy.cos: "cos",
                   sympy.tan: "tan", sympy.Abs: "Abs"}

_Env = dict[str, Any]
_Fn = Callable[["_Point", _Env], Any]


class _Point:
    """Values of the free names at one sample point, drawn on first use by name."""

    def __init__(self, rng: random.Random, fixed: dict[str, int]) -> None:
        self.rng = rng
        self.values: dict[str, float | int] = dict(fixed)

    def value(self, name: str, kind: tuple[bool, int]) -> float | int:
        if name not in self.values:
            integer, sign = kind
            # Away from 0 (where 1/x and log blow up) and from large values (overflow).
            magnitude = self.rng.randint(1, 5) if integer else self.rng.uniform(0.3, 3.0)
            if sign == 0:
                sign = self.rng.choice((-1, 1))
            self.values[name] = sign * magnitude
        return self.values[name]


def _kind(expr: sympy.Basic) -> tuple[bool, int]:
    sign = 1 if (expr.is_positive or expr.is_nonnegative) else 0
    sign = -1 if (expr.is_negative or expr.is_nonpositive) else sign
    return bool(expr.is_integer), sign


@dataclass(frozen=True)
class _Compiler:
    """Turns an expression into nested closures over one number backend (no eval)."""

    be: _Backend
    span: int

    def compile(self, expr: sympy.Basic) -> _Fn:
        be = self.be
        if expr.is_Number:
            value = _number_or_nan(expr, be)
            return lambda pt, env: value
        if expr is sympy.pi or expr is sympy.E:
            value = be.constant("pi" if expr is sympy.pi else "e")
            return lambda pt, env: value
        if isinstance(expr, sympy.Symbol):
            name, kind = expr.name, _kind(expr)
            return lambda pt, env: env[name] if name in env else be.lift(pt.value(name, kind))
        if isinstance(expr, Indexed):
            return self._indexed(expr)
        if isinstance(expr, (sympy.Add, sympy.Mul)):
            parts = [self.compile(arg) for arg in expr.args]
            fold = _add if isinstance(expr, sympy.Add) else _mul
            return lambda pt, env: fold([part(pt, env) for part in parts])
        if isinstance(expr, sympy.Pow):
            base = self.compile(expr.base)
            if expr.exp.is_Integer:  # integer powers stay exact for negative bases
                n = int(expr.exp)
                return lambda pt, env: base(pt, env) ** n
            power = self.compile(expr.exp)
            return lambda pt, env: base(pt, env) ** power(pt, env)
        if type(expr) in _FUNCTION_NAMES and len(expr.args) == 1:
            function, arg = be.functions[_FUNCTION_NAMES[type(expr)]], self.compile(expr.args[0])
            return lambda pt, env: function(arg(pt, env))
        if isinstance(expr, sympy.Sum):
            body = self.compile(expr.function)
            for var, lo, hi in expr.limits:  # the first limit is the innermost loop
                body = self._loop(body, var.name, self.compile(lo), self.compile(hi))
            return body
        raise _Unevaluable(type(expr).__name__)

    def _indexed(self, expr: Indexed) -> _Fn:
        label, kind, be = str(expr.base.label), _kind(expr), self.be
        indices = [self.compile(index) for index in expr.indices]

        def run(pt: _Point, env: _Env) -> Any:
            key = ",".join(_index_key(index(pt, env)) for index in indices)
            return be.lift(pt.value(f"{label}[{key}]", kind))

        return run

    def _loop(self, body: _Fn, name: str, lo: _Fn, hi: _Fn) -> _Fn:
        lift, span = self.be.lift, self.span

        def run(pt: _Point, env: _Env) -> Any:
            first, last = _as_int(lo(pt, env)), _as_int(hi(pt, env))
            if last - first + 1 > span or last < first - 1:
                raise _Unevaluable("Sum")
            return _add([lift(0), *(body(pt, {**env, name: lift(n)})
                                    for n in range(first, last + 1))])

        return run


def _add(values: list[Any]) -> Any:
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _mul(values: list[Any]) -> Any:
    total = values[0]
    for value in values[1:]:
        total = total * value
    return total


def _number_or_nan(value: sympy.Number, be: _Backend) -> Any:
    try:
        return be.number(value)
    except (OverflowError, ValueError, ZeroDivisionError):
        return be.nan()


def _as_int(value: Any) -> int:
    real = float(value.real)
    if value.imag or not math.isfinite(real) or real != round(real):
        raise _Unevaluable("a Sum bound or index that is not a whole number")
    return round(real)


def _index_key(value: Any) -> str:
    try:
        return str(_as_int(value))
    except _Unevaluable:
        return repr(complex(value))


def _run(fn: _Fn, pt: _Point, be: _Backend) -> Any:
    try:
        return fn(pt, {})
    except (ZeroDivisionError, OverflowError, ValueError):
        return be.nan()


def _finite(z: Any) -> bool:
    if isinstance(z, complex):
        return cmath.isfinite(z)
    return bool(mpmath.isfinite(z.real) and mpmath.isfinite(z.imag))


def _real_finite(z: Any) -> bool:
    # Points where the truth is undefined or not real lie outside its domain: skipped.
    return _finite(z) and abs(z.imag) <= 1e-9 * abs(z) + _ATOL


def _close(a: Any, t: Any) -> bool:
    return _finite(a) and abs(a - t) <= _RTOL * max(abs(a), abs(t)) + _ATOL


def _plain(z: Any) -> float | str:
    if not _finite(z):
        return "undefined"
    real, imag = float(z.real), float(z.imag)
    if abs(imag) <= 1e-12 * max(1.0, abs(real)):
        return real
    return f"{real:.6g}{imag:+.6g}i"


@dataclass
class _Sample:
    compared: int = 0
    counterexample: dict[str, Any] | None = None
    rechecks: int = 2  # high-precision re-checks are slow on big expressions: a few only


def _sample(instances: list[_Instance], seed: int, limits: Limits = DEFAULT) -> _Sample:
    rng, result = random.Random(seed), _Sample()
    per_instance = max(2, math.ceil(_POINTS / len(instances)))
    fast, precise = _Compiler(_FLOAT, limits.max_sum_span), _Compiler(_PRECISE, limits.max_sum_span)
    for item in instances:
        try:
            # Constants are converted at compile time, so at the precision they are used at.
            with mpmath.workdps(_PRECISE_DPS):
                fns = [c.compile(e) for e in (item.truth, item.answer) for c in (fast, precise)]
        except (_Unevaluable, RecursionError):
            continue
        for _ in range(per_instance):
            try:
                verdict = _check_point(fns, _Point(rng, item.fixed), result)
            except _Unevaluable:
                continue
            if isinstance(verdict, dict):
                result.counterexample = verdict
                return result
            result.compared += verdict
    return result


def _check_point(fns: list[_Fn], pt: _Point, sample: _Sample) -> bool | dict[str, Any]:
    """True if the answer agrees at `pt`, False if the point is skipped, else the evidence."""
    truth_fast, truth_precise, answer_fast, answer_precise = fns
    truth = _run(truth_fast, pt, _FLOAT)
    if not _real_finite(truth):
        return False
    if _close(_run(answer_fast, pt, _FLOAT), truth):
        return True
    if sample.rechecks <= 0:
        return False
    sample.rechecks -= 1
    # Double precision can invent a difference through cancellation: re-check at two higher
    # precisions, and trust the values only where both agree (a stable evaluation).
    with mpmath.workdps(_PRECISE_DPS):
        truth, answer = _run(truth_precise, pt, _PRECISE), _run(answer_precise, pt, _PRECISE)
        if not _real_finite(truth) or _close(answer, truth):
            return _real_finite(truth)
    with mpmath.workdps(2 * _PRECISE_DPS):
        truth2, answer2 = _run(truth_precise, pt, _PRECISE), _run(answer_precise, pt, _PRECISE)
        stable = _close(truth2, truth) and (_close(answer2, answer) or not _finite(answer))
        if not stable or not _real_finite(truth2) or _close(answer2, truth2):
            return stable and _real_finite(truth2)
        return {"at": dict(pt.values), "expected": _plain(truth2), "actual": _plain(answer2)}


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
    while isinstance(other, float) and digits < 17 and f"{value:.{digits}g}" == f"{other:.{digits}g}":
        digits += 1
    return f"{value:.{digits}g}"


# ------------------------------------------------------------- symbolic confirmation


class _OverBudget(Exception):
    pass


def _expand_equal(pairs: list[tuple[Any, Any]], limits: Limits) -> bool | None:
    """Whether every pair expands to the same thing; None when expanding would be too big."""
    try:
        for answer, truth in pairs:
            _terms(answer, limits.max_expand_terms)
            _terms(truth, limits.max_expand_terms)
    except (_OverBudget, RecursionError):
        return None
    for answer, truth in pairs:
        expanded_answer, expanded_truth = sympy.expand(answer), sympy.expand(truth)
        if not _negligible(expanded_answer - expanded_truth, expanded_answer, expanded_truth):
            return False
    return True


def _terms(expr: sympy.Basic, limit: int) -> int:
    """An upper estimate of the number of terms `expand(expr)` produces."""
    if isinstance(expr, sympy.Add):
        count = sum(_terms(arg, limit) for arg in expr.args)
    elif isinstance(expr, sympy.Mul):
        count = 1
        for arg in expr.args:
            count *= _terms(arg, limit)
            if count > limit:
                raise _OverBudget
    elif isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
        base, n = _terms(expr.base, limit), abs(int(expr.exp))
        # Multinomial count of (t1 + ... + tb)**n; a large n alone already exceeds the limit.
        count = 1 if base == 1 else (limit + 1 if n > limit else math.comb(n + base - 1, base - 1))
    else:
        for arg in expr.args:
            _terms(arg, limit)
        count = 1
    if count > limit:
        raise _OverBudget
    return count


def _negligible(diff: sympy.Basic, answer: sympy.Basic, truth: sympy.Basic) -> bool:
    """Zero, or only float rounding: each left-over Float coefficient is tiny next to its own
    coefficient in the answer or the truth (so 0.5*x matches x/2, but 0.333*x not x/3)."""
    if diff == 0:
        return True
    answer_coeffs, truth_coeffs = answer.as_coefficients_dict(), truth.as_coefficients_dict()
    for term in sympy.Add.make_args(diff):
        coeff, monomial = term.as_coeff_Mul()
        if not coeff.is_Float:
            return False
        scale = max(abs(float(answer_coeffs.get(monomial, 0))),
                    abs(float(truth_coeffs.get(monomial, 0))))
        if abs(float(coeff)) > _RTOL * scale + _ATOL:
            return False
    return True


def _simplify_in_fork(pairs: list[tuple[Any, Any]], *, expand_tried: bool, timeout: float) -> bool:
    def work() -> bool:
        for answer, truth in pairs:
            diff = answer - truth
            if not expand_tried and _is_zero(sympy.expand(diff)):
                continue
            if not _is_zero(sympy.simplify(diff)):
                return False
        return True

    return call_in_fork(work, timeout) is True


def _is_zero(expr: sympy.Basic) -> bool:
    return expr == 0 or bool(expr.is_Number and expr.is_zero)
