"""Wrong answers built by rule from what was differentiated: `Problem`, `candidates`."""

# The rules mirror what students do: each term dropped or its sign flipped, the power or chain
# rule half-applied, a variable kept or differentiated when it is held constant, a factor 2,
# ½, 1/m or 1/(2m) lost or added, a sum's range or index confused.

# The grader differentiates here (SymPy on its own trusted definitions, in this process);
# a student's answer is only ever compared with the candidates, in compare's child.

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sympy

from grader.i18n import N_, _
from grader.model import Diagnosis

__all__ = ["Candidate", "Problem", "candidates", "show"]


@dataclass(frozen=True)
class Problem:
    """What the answer is about: `function` differentiated in `variable`, or (`minimizer`)
    the value of `variable` that makes that derivative zero. `others` are the other
    variables of a partial derivative (held constant); everything else is a constant."""

    function: sympy.Expr
    variable: sympy.Symbol
    others: tuple[sympy.Symbol, ...] = ()
    minimizer: bool = False


@dataclass(frozen=True)
class Candidate:
    """A wrong answer a rule built from the truth: its diagnosis id, the message (an `N_`
    catalogue key with named fields) and the fields' values, plain text such as "4·x·y".

    `because` is set on a wrong minimiser: the wrong derivative it solved, whose message
    the diagnosis quotes as {reason}.
    """

    name: str
    message: str
    answer: sympy.Expr = field(compare=False)
    fields: tuple[tuple[str, str], ...] = ()
    because: Candidate | None = None

    def diagnosis(self) -> Diagnosis:
        values = dict(self.fields)
        if self.because is not None:
            values["reason"] = self.because.diagnosis().message
        return Diagnosis(self.name, _(self.message).format(**values))


_DROPPED = N_("The derivative of {term} in {var} is {right}; your answer leaves it out.")
_TERM_SIGN = N_("The derivative of {term} in {var} is {right}; your answer has it with the "
                "opposite sign.")
_NO_FACTOR = N_("In {d} of {term} the power rule brings the exponent {n} down as a factor: "
                "the derivative is {right}, not {wrong}.")
_KEPT_EXPONENT = N_("In {d} of {term} the power rule lowers the exponent by one: the "
                    "derivative is {right}, not {wrong}.")
_KEPT_VARIABLE = N_("In {d} of {term} you kept {var}: the derivative of {term} in {var} is "
                    "{right}.")
_NOT_DIFFERENTIATED = N_("{term} is left as it was: in {d} its derivative is {right}.")
_KEPT_CONSTANT = N_("{term} does not depend on {var}: in {d} it is a constant, and its "
                    "derivative is 0.")
_OTHER_VARIABLE = N_("In {d}, {other} is a constant: you differentiated {term} in {other} "
                     "too. Its derivative in {var} is {right}.")
_INNER_MISSING = N_("The chain rule multiplies the derivative of {term} by the inner "
                    "derivative ∂({inner})/∂{var} = {inner_right}; your answer leaves it out.")
_WRONG_INNER = N_("The inner derivative of {term} is ∂({inner})/∂{var} = {inner_right}; your "
                  "answer uses ∂({inner})/∂{other} = {inner_wrong}.")
_INNER_DROPPED = N_("Your answer is the derivative with {part} left out of {inner}.")
_INNER_SIGN = N_("Your answer is the derivative with the sign of {part} in {inner} reversed.")
_WRONG_VARIABLE = N_("This is the derivative in {other}, not in {var}.")
_FUNCTION = N_("This is the function itself, not its derivative in {var}.")
_SIGN = N_("The sign is reversed: your answer is exactly −1 times the right one.")
_F_ROOT = N_("{value} solves f({var}) = 0; the minimiser solves f'({var}) = 0, that is "
             "{right} = 0.")
_WRONG_ROOT = N_("Your value solves {wrong} = 0, but f'({var}) = {right}. {reason}")
_RANGE = N_("The sum runs over {index} = {lo}..{hi}; yours runs over {index} = {wrong_lo}.."
            "{wrong_hi}.")
_NO_SUM = N_("Your answer has no sum over {index}: the loss adds up the terms for {index} = "
             "{lo}..{hi}, and so does its derivative.")

# Whole-answer factors: (k as a function of the sum's bound m, id, message) for an answer
# that is exactly k times the truth; the sum's factors only where the problem has a sum.
_Factor = tuple[Callable[[sympy.Expr], sympy.Expr], str, str]
_FACTORS: tuple[_Factor, ...] = (
    (lambda m: sympy.Integer(2), "extra-factor-2", N_(
        "Your answer is exactly 2 times the right one: a factor 2 is extra, or the ½ that "
        "cancels it is missing.")),
    (lambda m: sympy.Rational(1, 2), "missing-factor-2", N_(
        "Your answer is exactly half the right one: a factor 2 is missing (the power rule "
        "brings the exponent 2 down as a factor).")),
)
_SUM_FACTORS: tuple[_Factor, ...] = (
    (lambda m: m, "missing-1/m", N_(
        "Your answer is exactly {m} times the right one: the 1/{m} of the mean is missing.")),
    (lambda m: 1 / m, "extra-1/m", N_(
        "Your answer is exactly 1/{m} times the right one: you divided by {m} once too often.")),
    (lambda m: 2 * m, "missing-1/(2m)", N_(
        "Your answer is exactly 2·{m} times the right one: the 1/(2·{m}) in front of the sum "
        "is missing.")),
    (lambda m: 1 / (2 * m), "extra-1/(2m)", N_(
        "Your answer is exactly 1/(2·{m}) times the right one: a factor 1/(2·{m}) is extra.")),
)
_MAX_CANDIDATES = 60  # each costs one cheap sampling in compare's child, within its deadline


def show(expr: sympy.Basic) -> str:
    """An expression as the messages print it: 4·x·y, x²/2, x^4, b + w·X[i] - Y[i]."""
    text = re.sub(r"\*\*([23])(?![\d.])", lambda found: "²³"[int(found[1]) - 2],
                  sympy.sstr(expr))
    return text.replace("**", "^").replace("*", "·")


def candidates(problem: Problem, truth: sympy.Expr) -> list[Candidate]:
    """The rules' wrong answers for `problem` (whose right answer is `truth`), in order,
    without duplicates; none is equal to the truth (expanded)."""
    found = _minimizer(problem, truth) if problem.minimizer else _derivative(problem, truth)
    kept: list[Candidate] = []
    seen = {sympy.expand(truth)}
    for candidate in found:
        key = sympy.expand(candidate.answer)
        if key not in seen:
            seen.add(key)
            kept.append(candidate)
    return kept[:_MAX_CANDIDATES]


def _d(problem: Problem) -> str:
    name = problem.variable.name
    return f"∂/∂{name}" if problem.others else f"d/d{name}"


def _derivative(problem: Problem, truth: sympy.Expr) -> Iterator[Candidate]:
    f, v = problem.function, problem.variable
    var, d = v.name, _d(problem)
    scale, summed = _split_sum(f)
    body = f if summed is None else summed.function

    def lift(derivative: sympy.Expr) -> sympy.Expr:
        # A rule rewrites the derivative of the summand; the answer keeps the sum around it.
        return derivative if summed is None else scale * sympy.Sum(derivative, *summed.limits)

    yield Candidate("sign-flipped", _SIGN, -truth)
    bound = summed.limits[0][2] if summed is not None else sympy.Integer(1)
    for factor, name, message in _FACTORS + (_SUM_FACTORS if summed is not None else ()):
        yield Candidate(name, message, factor(bound) * truth, (("m", show(bound)),))
    terms = sympy.Add.make_args(body)
    rights = [sympy.diff(t, v) for t in terms]
    whole = sympy.Add(*rights)
    for t, right in zip(terms, rights, strict=True):
        rest = whole - right
        base = (("term", show(t)), ("var", var), ("d", d), ("right", show(right)))
        for wrong, name, message, extra in _term_rules(t, right, problem):
            yield Candidate(name, message, lift(rest + wrong), base + extra)
    for other in problem.others:
        yield Candidate("wrong-variable", _WRONG_VARIABLE, sympy.diff(f, other),
                        (("var", var), ("other", other.name)))
    yield Candidate("returned-the-function", _FUNCTION, f, (("var", var),))
    if summed is not None:
        yield from _index_rules(scale, summed, v)


def _split_sum(f: sympy.Expr) -> tuple[sympy.Expr, sympy.Sum | None]:
    """f as scale · Sum(...) with one single-limit Sum, else (1, None)."""
    sums = [arg for arg in sympy.Mul.make_args(f) if isinstance(arg, sympy.Sum)]
    if len(sums) != 1 or len(sums[0].limits) != 1:
        return sympy.Integer(1), None
    return sympy.cancel(f / sums[0]), sums[0]


_Rule = tuple[sympy.Expr, str, str, tuple[tuple[str, str], ...]]


def _term_rules(t: sympy.Expr, right: sympy.Expr, problem: Problem) -> Iterator[_Rule]:
    """(the term's wrong derivative, id, message, extra fields) for each rule that applies."""
    v = problem.variable
    if right != 0:
        yield 0, "dropped-term", _DROPPED, ()
        yield -right, "term-sign-flipped", _TERM_SIGN, ()
    coeff, n = t.as_coeff_exponent(v)
    if v not in coeff.free_symbols and n.is_Number and n not in (0, 1):
        wrong = coeff * v ** (n - 1)
        yield wrong, "power-rule-no-factor", _NO_FACTOR, (("n", show(n)), ("wrong", show(wrong)))
        wrong = coeff * n * v**n
        yield wrong, "power-rule-kept-exponent", _KEPT_EXPONENT, (("n", show(n)),
                                                                  ("wrong", show(wrong)))
    if v in t.free_symbols:
        linear = n == 1 and v not in coeff.free_symbols
        yield t, ("kept-the-variable" if linear else "term-not-differentiated"), (
            _KEPT_VARIABLE if linear else _NOT_DIFFERENTIATED), ()
    else:
        yield right + t, "constant-term-kept", _KEPT_CONSTANT, ()
    for other in problem.others:
        if other in t.free_symbols:
            yield (right + sympy.diff(t, other), "other-variable-differentiated",
                   _OTHER_VARIABLE, (("other", other.name),))
    yield from _chain_rules(t, right, problem)


def _chain_rules(t: sympy.Expr, right: sympy.Expr, problem: Problem) -> Iterator[_Rule]:
    """For t = c·inner**n with a compound inner: its inner derivative missing or taken in
    another variable, and each part of the inner dropped or its sign flipped."""
    v = problem.variable
    powers = [f for f in sympy.Mul.make_args(t) if isinstance(f, sympy.Pow)
              and isinstance(f.base, sympy.Add) and f.exp.is_Number and v in f.free_symbols]
    if len(powers) != 1:
        return
    power = powers[0]
    inner, n = power.base, power.exp
    outer = t / power * n * inner ** (n - 1)
    inner_right = sympy.diff(inner, v)
    fields = (("inner", show(inner)), ("inner_right", show(inner_right)))
    if inner_right != 1:
        yield outer, "chain-rule-inner-missing", _INNER_MISSING, fields
    for other in problem.others:
        inner_wrong = sympy.diff(inner, other)
        if inner_wrong != 0:
            yield (outer * inner_wrong, "chain-rule-wrong-inner", _WRONG_INNER,
                   (*fields, ("other", other.name), ("inner_wrong", show(inner_wrong))))
    for part in sympy.Add.make_args(inner):
        part_fields = (("inner", show(inner)), ("part", show(part)))
        for changed, name, message in ((inner - part, "inner-term-dropped", _INNER_DROPPED),
                                       (inner - 2 * part, "inner-term-sign-flipped",
                                        _INNER_SIGN)):
            wrong = sympy.diff(t.xreplace({inner: changed}), v)
            yield wrong, name, message, part_fields


def _index_rules(scale: sympy.Expr, summed: sympy.Sum, v: sympy.Symbol) -> Iterator[Candidate]:
    """The sum's index confused: the range shifted by one, or no sum at all."""
    (index, lo, hi), body = summed.limits[0], sympy.diff(summed.function, v)
    bounds = (("index", index.name), ("lo", show(lo)), ("hi", show(hi)))
    for wrong_lo, wrong_hi in ((lo - 1, hi - 1), (lo - 1, hi), (lo, hi - 1)):
        yield Candidate("sum-range-shifted", _RANGE,
                        scale * sympy.Sum(body, (index, wrong_lo, wrong_hi)),
                        (*bounds, ("wrong_lo", show(wrong_lo)), ("wrong_hi", show(wrong_hi))))
    yield Candidate("sum-missing", _NO_SUM, scale * body, bounds)


def _minimizer(problem: Problem, truth: sympy.Expr) -> Iterator[Candidate]:
    """A wrong minimiser: a root of f itself, or of one of the rules' wrong derivatives."""
    v, var = problem.variable, problem.variable.name
    right = sympy.diff(problem.function, v)
    yield Candidate("sign-flipped", _SIGN, -truth)
    for root in _roots(problem.function, v):
        yield Candidate("solved-f-not-derivative", _F_ROOT, root,
                        (("value", show(root)), ("var", var), ("right", show(right))))
    for wrong in candidates(Problem(problem.function, v, problem.others), right):
        for root in _roots(wrong.answer, v):
            yield Candidate(wrong.name, _WRONG_ROOT, root, (("wrong", show(wrong.answer)),
                            ("var", var), ("right", show(right))), because=wrong)


def _roots(expr: sympy.Expr, v: sympy.Symbol) -> list[sympy.Expr]:
    """The real roots of a polynomial of degree 1 or 2 in v (none for anything else)."""
    try:
        poly = sympy.Poly(expr, v)
    except sympy.PolynomialError:
        return []
    if poly.degree() not in (1, 2):
        return []
    return [root for root in sympy.roots(poly) if not root.has(sympy.I)]
