"""Catalog entry 01_quadratic: f'(x), the minimiser, and the general quadratic (symbolic)."""

from __future__ import annotations

import sympy

from grader.checks import Mistake, SymbolicCheck
from grader.course.catalog import exercise
from grader.course.shortcuts import SYMPY_DIFF
from grader.i18n import N_
from grader.symbolic.mistake_rules import Problem

x, a, b, c = sympy.symbols("x a b c")
_f = x**2 / 2 + 2 * x
_g = a * x**2 + b * x + c


def _symbols() -> dict[str, sympy.Basic]:
    return {"x": x, "a": a, "b": b, "c": c}


# The truths come from SymPy on the trusted definitions; students may not differentiate this way.
_df = sympy.diff(_f, x)
_dg = sympy.diff(_g, x)
_x_min = sympy.solve(_df, x)[0]
_g_min = sympy.solve(_dg, x)[0]


def _mistake(name: str, message: str, wrong: sympy.Expr) -> Mistake:
    return Mistake(name, message, lambda _case: wrong)


# What each answer is about: the rules build the usual wrong answers from it.
def _derivative_of(f: sympy.Expr) -> Problem:
    return Problem(f, x)


def _minimizer_of(f: sympy.Expr) -> Problem:
    return Problem(f, x, minimizer=True)


EXERCISE = exercise(
    "01_quadratic",
    "symbolic",
    [
        SymbolicCheck(
            "derivative",
            1,
            symbols=_symbols,
            truth=lambda: _df,
            problem=lambda: _derivative_of(_f),
            mistakes=[
                _mistake("sign-flipped", N_("The sign is reversed: both terms of f'(x) are "
                         "positive for positive x."), -_df),
                _mistake("lost-the-half", N_("d/dx (x²/2) is x: the ½ cancels the 2 that the "
                         "power rule brings down. Your answer is twice that term."), 2 * x + 2),
                _mistake("dropped-linear-term", N_("The derivative of 2x is 2, not 0: the linear "
                         "term contributes a constant."), x),
                _mistake("returned-the-function", N_("This is f(x) itself, not its derivative."),
                         _f),
            ],
        ),
        SymbolicCheck(
            "minimizer",
            1,
            symbols=_symbols,
            truth=lambda: _x_min,
            problem=lambda: _minimizer_of(_f),
            mistakes=[
                _mistake("sign-flipped", N_("Solve f'(x) = x + 2 = 0 carefully: the sign of the "
                         "solution is reversed."), -_x_min),
                _mistake("returned-the-derivative", N_("This is f'(x); the minimiser is the x "
                         "that makes it zero."), _df),
            ],
        ),
        SymbolicCheck(
            "general_derivative",
            1,
            symbols=_symbols,
            truth=lambda: _dg,
            problem=lambda: _derivative_of(_g),
            mistakes=[
                _mistake("missing-factor-2", N_("The power rule brings the exponent down: "
                         "d/dx (a·x²) = 2·a·x."), a * x + b),
                _mistake("kept-the-constant", N_("A constant such as c has derivative 0."),
                         _dg + c),
                _mistake("dropped-linear-term", N_("d/dx (b·x) = b is missing."), 2 * a * x),
                _mistake("sign-flipped", N_("The sign is reversed."), -_dg),
            ],
        ),
        SymbolicCheck(
            "general_minimizer",
            1,
            symbols=_symbols,
            truth=lambda: _g_min,
            problem=lambda: _minimizer_of(_g),
            mistakes=[
                _mistake("sign-flipped", N_("Solving 2·a·x + b = 0 gives a negative sign."),
                         -_g_min),
                _mistake("missing-factor-2", N_("The 2 from 2·a·x belongs in the denominator."),
                         -b / a),
                _mistake("precedence", N_("Operator precedence: -b/2*a means (-b/2)·a. Write "
                         "-b/(2*a)."), -b / 2 * a),
            ],
        ),
    ],
    forbidden=SYMPY_DIFF,
)
