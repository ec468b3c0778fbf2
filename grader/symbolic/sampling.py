"""Evaluation without eval: `sample_points` at random points, `evaluator` at a chosen `Point`."""

from __future__ import annotations

import cmath
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy
from sympy.tensor.indexed import Indexed

from grader.symbolic.tree import FUNCTIONS

__all__ = ["ATOL", "RTOL", "Case", "Draw", "Point", "Sample", "evaluator", "sample_points"]

RTOL = 1e-8
ATOL = 1e-12
_PRECISE_DPS = 50  # mismatches in double precision are re-checked at this many digits

# (answer, truth, fixed values such as {"m": 2}) evaluated at the same points.
Case = tuple[sympy.Basic, sympy.Basic, Mapping[str, int]]


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
_FUNCTION_NAMES: dict[type, str] = {cls: name for name, cls in FUNCTIONS.items()}

_Env = dict[str, Any]
_Fn = Callable[["Point", _Env], Any]
# A name's value from the name and its kind: (whole number?, sign: 1, -1, or 0 for either).
Draw = Callable[[str, tuple[bool, int]], float | int]


class Point:
    """Values of the free names at one point (X[1] is a name), drawn on first use by name."""

    def __init__(self, fixed: Mapping[str, int], draw: Draw) -> None:
        self.values: dict[str, float | int] = dict(fixed)
        self._draw = draw

    def value(self, name: str, kind: tuple[bool, int]) -> float | int:
        if name not in self.values:
            self.values[name] = self._draw(name, kind)
        return self.values[name]


def _random_draw(rng: random.Random) -> Draw:
    def draw(_name: str, kind: tuple[bool, int]) -> float | int:
        integer, sign = kind
        # Away from 0 (where 1/x and log blow up) and from large values (overflow).
        magnitude = rng.randint(1, 5) if integer else rng.uniform(0.3, 3.0)
        if sign == 0:
            sign = rng.choice((-1, 1))
        return sign * magnitude

    return draw


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

        def run(pt: Point, env: _Env) -> Any:
            key = ",".join(_index_key(index(pt, env)) for index in indices)
            return be.lift(pt.value(f"{label}[{key}]", kind))

        return run

    def _loop(self, body: _Fn, name: str, lo: _Fn, hi: _Fn) -> _Fn:
        lift, span = self.be.lift, self.span

        def run(pt: Point, env: _Env) -> Any:
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


def _run(fn: _Fn, pt: Point, be: _Backend) -> Any:
    try:
        return fn(pt, {})
    except (ZeroDivisionError, OverflowError, ValueError, RecursionError):
        return be.nan()


def _finite(z: Any) -> bool:
    if isinstance(z, complex):
        return cmath.isfinite(z)
    return bool(mpmath.isfinite(z.real) and mpmath.isfinite(z.imag))


def _real_finite(z: Any) -> bool:
    # Points where the truth is undefined or not real lie outside its domain: skipped.
    return _finite(z) and abs(z.imag) <= 1e-9 * abs(z) + ATOL


def _close(a: Any, t: Any) -> bool:
    return _finite(a) and abs(a - t) <= RTOL * max(abs(a), abs(t)) + ATOL


def _plain(z: Any) -> float | str:
    if not _finite(z):
        return "undefined"
    real, imag = float(z.real), float(z.imag)
    if abs(imag) <= 1e-12 * max(1.0, abs(real)):
        return real
    return f"{real:.6g}{imag:+.6g}i"


@dataclass
class Sample:
    """How many points were compared, and the first point where the answer differs."""

    compared: int = 0
    counterexample: dict[str, Any] | None = None
    _rechecks: int = 2  # high-precision re-checks are slow on big expressions: a few only


def sample_points(cases: Sequence[Case], *, seed: int, span: int, points: int = 12) -> Sample:
    """Evaluate each case's answer and truth at about `points` points drawn from `seed`.

    Names get values by name (|v| in [0.3, 3], signed unless the symbol is positive or
    negative; whole numbers for integer symbols); a Sum runs only over at most `span`
    terms. Points where the truth is undefined or not real are skipped; a double-precision
    mismatch counts only if it survives evaluation at 50 and 100 digits.
    """
    draw, result = _random_draw(random.Random(seed)), Sample()
    per_case = max(2, math.ceil(points / max(1, len(cases))))
    fast, precise = _Compiler(_FLOAT, span), _Compiler(_PRECISE, span)
    compiled: dict[tuple[int, int], list[_Fn] | None] = {}  # cases often share one pair
    for answer, truth, fixed in cases:
        key = (id(answer), id(truth))
        if key not in compiled:
            compiled[key] = _compile_pair(answer, truth, fast, precise)
        fns = compiled[key]
        if fns is None:
            continue
        for _ in range(per_case):
            try:
                verdict = _check_point(fns, Point(fixed, draw), result)
            except _Unevaluable:
                continue
            if isinstance(verdict, dict):
                result.counterexample = verdict
                return result
            result.compared += verdict
    return result


def _compile_pair(
    answer: sympy.Basic, truth: sympy.Basic, fast: _Compiler, precise: _Compiler
) -> list[_Fn] | None:
    try:
        # Constants are converted at compile time: at the higher of the two precisions
        # used, or both re-checks would share the same rounding of them.
        with mpmath.workdps(2 * _PRECISE_DPS):
            return [c.compile(e) for e in (truth, answer) for c in (fast, precise)]
    except (_Unevaluable, RecursionError):
        return None


def _check_point(fns: list[_Fn], pt: Point, sample: Sample) -> bool | dict[str, Any]:
    """True if the answer agrees at `pt`, False if the point is skipped, else the evidence."""
    truth_fast, truth_precise, answer_fast, answer_precise = fns
    truth = _run(truth_fast, pt, _FLOAT)
    if not _real_finite(truth):
        return False
    if _close(_run(answer_fast, pt, _FLOAT), truth):
        return True
    if sample._rechecks <= 0:
        return False
    sample._rechecks -= 1
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


def evaluator(expr: sympy.Basic, *, span: int) -> Callable[[Point], Any] | None:
    """`expr` compiled once for evaluation at chosen points in 50-digit precision (mpmath
    complex values, NaN where undefined, None where a sum is longer than `span` or a bound
    is not whole); None if it holds something the sampler does not evaluate."""
    try:
        with mpmath.workdps(2 * _PRECISE_DPS):
            fn = _Compiler(_PRECISE, span).compile(expr)
    except (_Unevaluable, RecursionError):
        return None

    def at(point: Point) -> Any:
        with mpmath.workdps(_PRECISE_DPS):
            try:
                return _run(fn, point, _PRECISE)
            except _Unevaluable:
                return None

    return at
