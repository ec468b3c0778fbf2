"""Catalog entry 02_partials: partial derivatives of f(x, y) and of the mean-squared loss E."""

from __future__ import annotations

import sympy

from grader.checks import Mistake, SymbolicCheck
from grader.course.catalog import exercise
from grader.course.shortcuts import SYMPY_DIFF
from grader.i18n import N_
from grader.symbolic.mistake_rules import Problem

x, y, w, b = sympy.symbols("x y w b")
m = sympy.Symbol("m", integer=True, positive=True)
i = sympy.Symbol("i", integer=True)
X, Y = sympy.IndexedBase("X"), sympy.IndexedBase("Y")

_f = 2 * x**2 + 2 * y + 4 * x * y
_residual = w * X[i] + b - Y[i]
_E = sympy.Sum(_residual**2, (i, 1, m)) / (2 * m)


def _symbols() -> dict[str, sympy.Basic]:
    return {"x": x, "y": y, "w": w, "b": b, "m": m, "i": i, "X": X, "Y": Y}


def _partial(f: sympy.Expr, variable: sympy.Symbol) -> sympy.Expr:
    # factor_terms takes the constants out of a sum: Sum(r·X[i])/m, as a student writes it
    # (and as the counterexamples work it out), not SymPy's Sum(2·r·X[i])/(2·m).
    derivative = sympy.diff(f, variable)
    return sympy.factor_terms(derivative) if derivative.has(sympy.Sum) else derivative


def _problem(f: sympy.Expr, variable: sympy.Symbol, other: sympy.Symbol) -> Problem:
    return Problem(f, variable, (other,))


def _mean(term: sympy.Expr, scale: sympy.Expr = 1 / m) -> sympy.Expr:
    return scale * sympy.Sum(term, (i, 1, m))


def _mistake(name: str, message: str, wrong: sympy.Expr) -> Mistake:
    return Mistake(name, message, lambda _case: wrong)


_LOSS_MISTAKES = {
    "missing-1/m": (N_("The loss averages over m samples, so its derivative keeps the 1/m."),
                    1),
    "kept-the-half": (N_("The ½ in E cancels the 2 from differentiating the square: the result "
                         "has 1/m, not 1/(2m)."), 1 / (2 * m)),
    "extra-factor-2": (N_("The 2 from the square is cancelled by the ½ in E; a factor 2 remains "
                          "in your answer (seed 004's C = Σ(wx+b−y)² has no ½, E does)."), 2 / m),
    "sign-flipped": (N_("The residual is (w·X[i] + b − Y[i]); your answer has it the other way "
                        "round, which reverses the sign."), -1 / m),
}


def _loss_mistakes(
    term: sympy.Expr, other: sympy.Expr, other_name: str, other_message: str
) -> list[Mistake]:
    found = [_mistake(name, text, _mean(term, scale)) for name, (text, scale) in
             _LOSS_MISTAKES.items()]
    found.append(_mistake(other_name, other_message, _mean(other)))
    return found


EXERCISE = exercise(
    "02_partials",
    "symbolic",
    [
        SymbolicCheck(
            "df_dx",
            1,
            symbols=_symbols,
            truth=lambda: _partial(_f, x),
            problem=lambda: _problem(_f, x, y),
            mistakes=[
                _mistake("missing-cross-term",
                         N_("4·x·y depends on x too: its x-derivative is 4·y."), 4 * x),
                _mistake("missing-factor-2",
                         N_("d/dx (2·x²) = 4·x: the power rule brings a 2 down."), 2 * x + 4 * y),
                _mistake("kept-constant-term", N_("2·y does not change with x: its x-derivative "
                                                  "is 0."), 4 * x + 4 * y + 2),
            ],
        ),
        SymbolicCheck(
            "df_dy",
            1,
            symbols=_symbols,
            truth=lambda: _partial(_f, y),
            problem=lambda: _problem(_f, y, x),
            mistakes=[
                _mistake("missing-cross-term", N_("4·x·y depends on y: its y-derivative is 4·x."),
                         sympy.Integer(2)),
                _mistake("dropped-linear-term", N_("d/dy (2·y) = 2 is missing."), 4 * x),
                _mistake("kept-x-terms", N_("2·x² does not depend on y: its y-derivative is 0."),
                         2 * x**2 + 4 * x + 2),
            ],
        ),
        SymbolicCheck(
            "dE_dw",
            2,
            symbols=_symbols,
            truth=lambda: _partial(_E, w),
            problem=lambda: _problem(_E, w, b),
            sum_bound="m",
            mistakes=_loss_mistakes(
                _residual * X[i], _residual, "missing-x-factor",
                N_("The chain rule gives ∂(w·X[i] + b − Y[i])/∂w = X[i]: each residual is "
                   "multiplied by its X[i]."),
            ),
        ),
        SymbolicCheck(
            "dE_db",
            2,
            symbols=_symbols,
            truth=lambda: _partial(_E, b),
            problem=lambda: _problem(_E, b, w),
            sum_bound="m",
            mistakes=_loss_mistakes(
                _residual, _residual * X[i], "extra-x-factor",
                N_("∂(w·X[i] + b − Y[i])/∂b = 1: no X[i] factor belongs in ∂E/∂b."),
            ),
        ),
    ],
    forbidden=SYMPY_DIFF,
)
