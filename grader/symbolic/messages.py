"""Refusals: how the child classifies an unaccepted object, and what the student is told."""

from __future__ import annotations

import sympy
from sympy.core import numbers as sn
from sympy.core.function import AppliedUndef, UndefinedFunction
from sympy.logic.boolalg import BooleanAtom, BooleanFunction
from sympy.matrices import MatrixBase

from grader.i18n import N_, _

__all__ = ["GENERIC", "MALFORMED", "REFUSED", "TOO_LARGE", "refusal", "type_name"]

# Checked with isinstance only to choose a message; nothing here is ever accepted.
_CATEGORIES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (sympy.Derivative, "Derivative"),
    (sympy.Integral, "Integral"),
    (sympy.Subs, "Subs"),
    (sympy.Limit, "Limit"),
    (sympy.Lambda, "Lambda"),
    (sympy.core.relational.Relational, "Relational"),
    ((AppliedUndef, UndefinedFunction), "UndefinedFunction"),
    (MatrixBase, "Matrix"),
    (sympy.Piecewise, "Piecewise"),
    ((sn.Infinity, sn.NegativeInfinity, sn.ComplexInfinity, sn.NaN), "Infinity"),
    (sn.ImaginaryUnit, "Complex"),
    ((sympy.Dummy, sympy.Wild), "Dummy"),
    ((BooleanAtom, BooleanFunction), "Boolean"),
    (sympy.Function, "Function"),
)


def refusal(obj: object) -> list[str]:
    """Child side: the `["Unsupported", category, name]` node for an unaccepted object."""
    if obj is None:
        return ["Unsupported", "None", "None"]
    if isinstance(obj, bool):
        return ["Unsupported", "Boolean", "bool"]
    if isinstance(obj, complex):
        return ["Unsupported", "Complex", "complex"]
    if isinstance(obj, (list, tuple, set, frozenset, dict, sympy.Tuple)):
        return ["Unsupported", "Container", type_name(obj)]
    for types, category in _CATEGORIES:
        if isinstance(obj, types):
            if category == "UndefinedFunction":
                func = obj if isinstance(obj, UndefinedFunction) else type(obj)
                return ["Unsupported", category, str(func.__name__)]
            return ["Unsupported", category, type_name(obj)]
    return ["Unsupported", "Other", type_name(obj)]


def type_name(obj: object) -> str:
    """The type's name, at most 60 characters, even where a metaclass makes it raise."""
    try:
        return str(type(obj).__name__)[:60]
    except Exception:
        return "object"


class _Shown(dict[str, str]):
    """Messages marked for the catalogue, looked up in the language in use when read."""

    def __getitem__(self, key: str) -> str:
        return _(super().__getitem__(key))

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        found = super().get(key, default)
        return None if found is None else _(found)


# Keyed by the category of an ["Unsupported", category, detail] node; {detail} is the name.
REFUSED: dict[str, str] = _Shown({
    "Derivative": N_("Derivative objects are not accepted: return the evaluated derivative, "
                     "worked out by hand (for example 2*x, not Derivative(x**2, x))."),
    "Integral": N_("Integral objects are not accepted: return the worked-out result."),
    "Subs": N_("Subs objects are not accepted: substitute the value yourself."),
    "Limit": N_("Limit objects are not accepted: return the value of the limit."),
    "Lambda": N_("a Lambda (a function) is not accepted: return an expression such as x + 2."),
    "Relational": N_("an equation or comparison is not accepted: return only the expression "
                     "(x + 2, not Eq(y, x + 2))."),
    "UndefinedFunction": N_("'{detail}' is an undefined function: write out the formula in the "
                            "exercise's symbols instead."),
    "Matrix": N_("a matrix is not accepted here: return a single expression."),
    "Container": N_("a {detail} is not accepted here: return a single expression."),
    "Piecewise": N_("Piecewise expressions are not accepted here."),
    "Infinity": N_("infinite or undefined values (oo, zoo, nan) are not accepted as an answer."),
    "Complex": N_("complex numbers are not accepted here."),
    "Dummy": N_("{detail} symbols are not accepted: use ordinary Symbol objects."),
    "Boolean": N_("True/False is not accepted: return an expression."),
    "None": N_("the function returned None: return a SymPy expression or a string like 'x + 2'."),
    "Function": N_("the function {detail} is not accepted: write the answer with exp, log, sqrt, "
                   "sin, cos, tan and Abs."),
    "SumBounds": N_("a Sum needs explicit bounds, e.g. Sum(X[i], (i, 1, m))."),
    "Broken": N_("the answer could not be read (reading it raised {detail})."),
})
GENERIC = N_("{detail} objects are not accepted: an answer may use numbers, the exercise's "
             "symbols, + - * / **, exp, log, sqrt, sin, cos, tan, Abs and Sum.")
TOO_LARGE: dict[str, str] = _Shown({
    "nodes": N_("the answer is too large (more than {limit} parts): simplify it by hand first."),
    "depth": N_("the answer is nested too deeply (more than {limit} levels)."),
    "integer": N_("a number in the answer has more than {limit} digits."),
    "name": N_("a symbol name is longer than {limit} characters."),
    "float": N_("a decimal number carries more than {limit} bits of precision."),
    "sum_limits": N_("a Sum runs over more than {limit} indices at once (sums nested more "
                     "than {limit} deep)."),
    "magnitude": N_("a decimal number is beyond what a float can hold (about 1e{limit})."),
})
MALFORMED = N_("the answer could not be read (malformed expression data).")
