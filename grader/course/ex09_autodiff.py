"""Catalog entry 09_autodiff: a `Value` class doing reverse accumulation, on random graphs."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from grader.checks import Case, Mistake, NumericCheck
from grader.checks.base import Call, Run
from grader.checks.evidence import EVIDENCE_NUMBERS, exact, recorded
from grader.checks.numeric import mismatch
from grader.checks.raised import RaisedError
from grader.course.catalog import exercise
from grader.course.graph_grads import (
    Rule,
    evaluate,
    fits_one_step,
    fits_overwritten,
    walks_without_order,
)
from grader.course.shortcuts import AUTODIFF
from grader.graph_recipe import OPS, GraphRecipe, Op, apply_op, draw_recipe, forward
from grader.i18n import N_, _
from grader.model import Diagnosis, Sample

__all__ = ["EXERCISE", "truth"]

_NAMES = ("graph",)
_RTOL, _ATOL = 1e-6, 1e-8
DEEP_OPS = 300  # the deep case's length: a chain of this many operations


def _seed_002(rng: np.random.Generator) -> GraphRecipe:
    """Seed 002's reverse-accumulation example z = (⟨x, w⟩ − y)², two features, as scalars."""
    x1, x2, w1, w2, y = (float(v) for v in np.round(rng.uniform(-2, 2, 5), 2))
    # leaves v0..v4 = x1, x2, w1, w2, y; a = x1·w1 + x2·w2; b = a − y; z = b²
    ops = (Op("*", 0, 2), Op("*", 1, 3), Op("+", 5, 6), Op("-", 7, 4), Op("**", 8, None, 2.0))
    return GraphRecipe((x1, x2, w1, w2, y), ops)


def _covers(recipe: GraphRecipe) -> bool:
    """Every operation, both kinds of division, and an operation used twice, are present."""
    ops = recipe.ops
    first = len(recipe.leaves)
    kinds = {op.op for op in ops}
    uses = [i for op in ops for i in (op.a, op.b) if i is not None and i >= first]
    return (kinds >= {"exp", "log", "sigmoid", "**"}
            and any(op.op == "/" and op.a is None for op in ops)
            and any(op.op == "/" and op.a is not None for op in ops)
            and len(uses) > len(set(uses)))


def _draw(rng: np.random.Generator, cuda: bool) -> list[Case]:
    small = draw_recipe(rng, inputs=3, ops=14, share=0.5)
    for _attempt in range(60):  # a graph that uses everything, so each local rule is tried
        if _covers(small):
            break
        small = draw_recipe(rng, inputs=3, ops=14, share=0.5)
    return [
        Case(_("seed 002's z = (⟨x, w⟩ − y)², by reverse accumulation"), (_seed_002(rng),),
             _NAMES),
        Case(_("a small graph using every operation, with shared sub-expressions"), (small,),
             _NAMES),
        Case(_("a graph {count} operations deep").format(count=40),
             (draw_recipe(rng, inputs=4, ops=40),), _NAMES),
        Case(_("a graph {count} operations deep").format(count=DEEP_OPS),
             (draw_recipe(rng, inputs=5, ops=DEEP_OPS, share=0.2),), _NAMES),
    ]


@functools.lru_cache(maxsize=32)
def _autograd(recipe: GraphRecipe) -> tuple[np.ndarray, np.ndarray]:
    import torch  # here, not at import: the catalog loads where torch is not wanted yet

    nodes = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in recipe.leaves]
    for op in recipe.ops:
        nodes.append(apply_op(op, nodes))
    # ∂root/∂every node in one pass (a node the root does not use gets 0).
    grads = torch.autograd.grad(nodes[-1], nodes, allow_unused=True, materialize_grads=True)
    with torch.no_grad():  # one stack each, not a float() per node
        return torch.stack(nodes).numpy(), torch.stack(grads).numpy()


def truth(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """Every node's value and gradient, from torch autograd in float64 on the same recipe."""
    return _autograd(case.args[0])


def _beside_truth(runs: list[Run], _call: Call) -> tuple[Sample, ...]:
    """The graded runs that fit half the budget (the small graphs), with autograd's
    [data, grads] as `expected`, so that the tutor draws the student's gradients against the
    true ones (evidence, never judged)."""
    cases = {run.case.label: run.case for run in runs}  # each graph has a label of its own
    return tuple(dataclasses.replace(sample, expected=exact(list(truth(cases[sample.label]))))
                 for sample in recorded(runs, EVIDENCE_NUMBERS // 2))


# -- named wrong rules -------------------------------------------------------------------------

Local = Callable[[float, float], float]  # (operand value, number or other operand) -> ∂


def _replacing(kind: Callable[[Op], bool], value: Callable[[Op, list[float]], float] | None,
               derivatives: Callable[[Op, list[float]], list[tuple[int, float]]]) -> Rule:
    def rule(op: Op, values: list[float]) -> tuple[float, list[tuple[int, float]]] | None:
        if not kind(op):
            return None
        return (value or forward)(op, values), derivatives(op, values)

    return rule


def _unary(name: str, local: Callable[[float], float]) -> Rule:
    return _replacing(lambda op: op.op == name, None,
                      lambda op, v: [(op.a, local(v[op.a]))])


def _sigma(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _division(d_by_b: Local, *, reflected_too: bool) -> Rule:
    """a / b with a wrong ∂/∂b (∂/∂a = 1/b is kept); a / number has no ∂/∂b to get wrong."""

    def applies(op: Op) -> bool:
        return op.op == "/" and op.b is not None and (reflected_too or op.a is not None)

    def derivatives(op: Op, v: list[float]) -> list[tuple[int, float]]:
        a = v[op.a] if op.a is not None else op.k
        parts = [(op.a, 1.0 / v[op.b])] if op.a is not None else []
        return [*parts, (op.b, d_by_b(a, v[op.b]))]

    return _replacing(applies, None, derivatives)


def _power(d_power: Callable[[float, float], float], *, division_too: bool) -> Rule:
    """x ** k with a wrong power rule; `division_too` where a / b is built as a · b ** −1."""

    def applies(op: Op) -> bool:
        return op.op == "**" or (division_too and op.op == "/" and op.b is not None)

    def derivatives(op: Op, v: list[float]) -> list[tuple[int, float]]:
        if op.op == "**":
            return [(op.a, d_power(v[op.a], op.k))]
        a = v[op.a] if op.a is not None else op.k
        parts = [(op.a, 1.0 / v[op.b])] if op.a is not None else []
        return [*parts, (op.b, a * d_power(v[op.b], -1.0))]

    return _replacing(applies, None, derivatives)


def _reflected(value: Callable[[Op, list[float]], float] | None, local: Local,
               kind: str = "/") -> Rule:
    return _replacing(lambda op: op.op == kind and op.a is None, value,
                      lambda op, v: [(op.b, local(op.k, v[op.b]))])


def _product(d_by_a: Local, d_by_b: Local, *, division_too: bool) -> Rule:
    """a · b with wrong local derivatives, each given (self, other); a number has none.
    `division_too` where a / b is built as a · b ** −1, the power's gradient then wrong too."""

    def applies(op: Op) -> bool:
        return op.op == "*" or (division_too and op.op == "/" and op.b is not None)

    def derivatives(op: Op, v: list[float]) -> list[tuple[int, float]]:
        if op.op == "/":  # self · p with p = b ** −1; b receives ∂/∂p · (−b⁻²)
            a, b = (v[op.a] if op.a is not None else op.k), v[op.b]
            parts = [(op.a, d_by_a(a, 1.0 / b))] if op.a is not None else []
            return [*parts, (op.b, d_by_b(a, 1.0 / b) * -(b**-2.0))]
        if op.a is None or op.b is None:  # k · v and v · k both call v.__mul__(k): v is self
            node = op.b if op.a is None else op.a
            return [(node, d_by_a(v[node], op.k))]
        return [(op.a, d_by_a(v[op.a], v[op.b])), (op.b, d_by_b(v[op.a], v[op.b]))]

    return _replacing(applies, None, derivatives)


_WRONG_RULES: dict[str, list[Rule]] = {
    "wrong-log-derivative": [_unary("log", lambda x: x), _unary("log", lambda x: 1 / math.log(x)),
                             _unary("log", math.log)],
    "wrong-division-derivative": [
        _division(d, reflected_too=r)
        for d in (lambda a, b: a / b**2, lambda a, b: -1 / b**2, lambda a, b: -a / b)
        for r in (False, True)
    ],
    "wrong-sigmoid-derivative": [
        _unary("sigmoid", _sigma),
        _unary("sigmoid", lambda x: x * (1 - x)),
        _unary("sigmoid", lambda x: _sigma(_sigma(x)) * (1 - _sigma(_sigma(x)))),
    ],
    "wrong-power-rule": [
        _power(d, division_too=r)
        # k·xᵏ − 1 is `k * x ** k - 1`, the lowered exponent written without brackets
        for d in (lambda x, k: k * x**k, lambda x, k: x ** (k - 1), lambda x, k: k * x**k - 1)
        for r in (False, True)
    ],
    "wrong-product-derivative": [
        # copy and paste: the other child's line kept, or each child given its own value
        _product(d_a, d_b, division_too=r)
        for d_a, d_b in ((lambda a, b: b, lambda a, b: b), (lambda a, b: a, lambda a, b: a),
                         (lambda a, b: a, lambda a, b: b))
        for r in (False, True)
    ],
    "wrong-reflected-subtraction": [
        # __rsub__ returning self − other: computes v − k, and differentiates that
        _reflected(lambda op, v: v[op.b] - op.k, lambda k, x: 1.0, kind="-"),
        _reflected(None, lambda k, x: 1.0, kind="-"),
    ],
    "wrong-reflected-division": [
        # __rtruediv__ = __truediv__: computes v / k, and differentiates that
        _reflected(lambda op, v: v[op.b] / op.k, lambda k, x: 1 / k),
        _reflected(None, lambda k, x: 1 / k),
        _reflected(None, lambda k, x: k / x**2),
        _reflected(None, lambda k, x: -1 / x**2),
        _reflected(None, lambda k, x: -k / x),
    ],
}


def _any_of(options: Callable[[GraphRecipe], list[tuple[np.ndarray, np.ndarray]]]
            ) -> Callable[[Case], Callable[[Any], bool]]:
    """A mistake's answer: a test that the student's [data, grads] is one of `options`."""

    def answer(case: Case) -> Callable[[Any], bool]:
        wrong = options(case.args[0])
        return lambda got: any(mismatch(got, w, _RTOL, _ATOL) is None for w in wrong)

    return answer


def _rules(name: str) -> Callable[[GraphRecipe], list[tuple[np.ndarray, np.ndarray]]]:
    def answers(recipe: GraphRecipe) -> list[tuple[np.ndarray, np.ndarray]]:
        found = []
        for rule in _WRONG_RULES[name]:
            try:  # a wrong value (v / k for k / v) can send a later log out of its domain
                values, grads = evaluate(recipe, rule)
            except (ArithmeticError, ValueError, TypeError):  # TypeError: a complex power
                continue
            # A wrong value (v − k for k − v) can send a later fractional power below zero,
            # where Python's ** turns complex: no Value can send that back as plain numbers.
            if not (np.isrealobj(values) and np.isrealobj(grads)):
                continue
            found.append((values, grads))
        return found

    return answers


def _unchained(recipe: GraphRecipe) -> list[tuple[np.ndarray, np.ndarray]]:
    """The gradients when one kind of operation forgets the factor out.grad."""
    return [evaluate(recipe, None, unchained=lambda op, kind=kind: op.op == kind)
            for kind in OPS]


def _by_own_grads(test: Callable[[GraphRecipe, np.ndarray, float, float], bool]
                  ) -> Callable[[Case], Callable[[Any], bool]]:
    """A mistake recognised from the student's own gradients, where the data are right."""

    def answer(case: Case) -> Callable[[Any], bool]:
        recipe = case.args[0]
        data = truth(case)[0]

        def fits(got: Any) -> bool:
            data_right = isinstance(got, list) and len(got) == 2 and mismatch(
                got[0], data, _RTOL, _ATOL) is None
            grads = np.asarray(got[1], dtype=float) if data_right else None
            return grads is not None and test(recipe, grads, _RTOL, _ATOL)

        return fits

    return answer


# One operation each, its result scaled by 1.7 so that out.grad ≠ 1 reaches it: where a graph
# ends in an error (a wrong value sent into log), these show which operation is wrong.
_PROBE_LEAVES = (1.5, 0.8)
_PROBE_OPS = (Op("+", 0, 1), Op("+", None, 0, 2.0), Op("-", 0, 1), Op("-", None, 0, 3.0),
              Op("*", 0, 1), Op("*", None, 0, 2.0), Op("/", 0, 1), Op("/", None, 0, 3.0),
              Op("**", 0, None, 3.0), Op("exp", 0), Op("log", 0), Op("sigmoid", 0))
_PROBES = tuple(GraphRecipe(_PROBE_LEAVES, (op, Op("*", 2, None, 1.7))) for op in _PROBE_OPS)


class _GraphCheck(NumericCheck):
    """Judged like any numeric check; its mistakes answer with a test of the student's
    [data, grads] instead of one wrong value, as some mistakes give several answers (the
    order of a student's walk) or are recognised from the student's own gradients."""

    def _matches(self, mistake: Mistake, run: Run) -> bool:
        return _fits(mistake, run.case, run.outcome.value)

    def explain_error(self, case: Case, error: RaisedError, call: Call) -> Diagnosis | None:
        """A graph that raised (a wrong value sent into log, a complex power) is explained by
        the one-operation probes: the mistake that fits every probe the class gets wrong."""
        probes = [Case(_("one operation: {graph}").format(graph=recipe.describe()), (recipe,),
                       _NAMES) for recipe in _PROBES]
        answers = call(probes)
        if len(answers) < len(probes):
            return None
        wrong = [(probe, answer) for probe, answer in zip(probes, answers, strict=True)
                 if mismatch(answer, truth(probe), _RTOL, _ATOL) is not None]
        for mistake in self.mistakes if wrong else ():
            if all(_fits(mistake, probe, answer) for probe, answer in wrong):
                return mistake.diagnosis()
        return None


def _fits(mistake: Mistake, case: Case, answer: Any) -> bool:
    try:
        return bool(mistake.answer(case)(answer))
    except (ArithmeticError, ValueError, TypeError, IndexError):
        return False


_FORWARD = N_("Only the root passed its gradient on: every node below its operands has "
              "grad 0. backward() must call _backward on every node, in reverse topological "
              "order: build the list children first, then walk it backwards (reversed), so "
              "that each node has its whole gradient before it passes it on.")

_MESSAGES = {
    "wrong-log-derivative": N_("log's local derivative is wrong: d log(x)/dx = 1/x, so the "
                               "node passes out.grad / x to x."),
    "wrong-division-derivative": N_("a / b's local derivatives are wrong: ∂/∂a = 1/b and "
                                    "∂/∂b = −a/b² (mind the minus sign and the square)."),
    "wrong-sigmoid-derivative": N_("sigmoid's local derivative is wrong: with s = σ(x) the "
                                   "output, dσ/dx = s·(1 − s), taken at the output s, once."),
    "wrong-power-rule": N_("The power rule is wrong: d(xᵏ)/dx = k·xᵏ⁻¹, with the exponent "
                           "lowered by one."),
    "wrong-product-derivative": N_("a · b's local derivatives are wrong: each child gets "
                                   "the other factor, ∂/∂a = b and ∂/∂b = a (check the two "
                                   "lines of __mul__'s backward step, often copied)."),
    "wrong-reflected-subtraction": N_("number − Value is wrong: __rsub__(self, k) computes "
                                      "k − self, not self − k, and d(k − x)/dx = −1."),
    "wrong-reflected-division": N_("number / Value is wrong: __rtruediv__(self, k) computes "
                                   "k / self, not self / k, and d(k/x)/dx = −k/x²."),
}

EXERCISE = exercise(
    "09_autodiff",
    "numeric",
    [
        _GraphCheck(
            "Value",
            4,
            draw=_draw,
            truth=truth,
            rtol=_RTOL,
            atol=_ATOL,
            evidence=_beside_truth,
            mistakes=[
                *(Mistake(name, message, _any_of(_rules(name)))
                  for name, message in _MESSAGES.items()),
                Mistake("missing-upstream-gradient", N_(
                    "A local backward step forgets the node's own gradient: the chain rule "
                    "gives each child out.grad · ∂out/∂child, and one of your operations adds "
                    "∂out/∂child alone. Check every _backward for the factor out.grad."),
                    _any_of(_unchained)),
                Mistake("grad-overwritten", N_(
                    "A node used twice must add up both contributions: write "
                    "`x.grad += …`, not `x.grad = …`, in every local backward step."),
                    _by_own_grads(fits_overwritten)),
                Mistake("no-topological-order", N_(
                    "backward() must visit the nodes in reverse topological order: a node "
                    "passes its gradient on only once every node that uses it has added its "
                    "share. Sort the graph first (depth-first, children before parents), then "
                    "walk that list backwards."), _any_of(walks_without_order)),
                Mistake("no-topological-order", _FORWARD, _by_own_grads(fits_one_step)),
            ],
        ),
    ],
    forbidden=AUTODIFF,
)
