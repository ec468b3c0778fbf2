"""to_tree/from_tree: the wire format is exact, bounded, hostile-proof and allowlisted."""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pytest
import sympy

from grader.errors import AnswerRejected
from grader.symbolic import DEFAULT, Limits, from_tree, to_tree

x = sympy.Symbol("x", real=True)
y, w, b = sympy.symbols("y w b")
i = sympy.Symbol("i", integer=True)
m = sympy.Symbol("m", integer=True, positive=True)
X, Y = sympy.IndexedBase("X"), sympy.IndexedBase("Y")
SYMBOLS: dict[str, sympy.Basic] = {"x": x, "y": y, "w": w, "b": b, "i": i, "m": m, "X": X, "Y": Y}


def wire(value: object, limits: Limits = DEFAULT) -> Any:
    """What the parent receives: the child's tree after a JSON round trip."""
    return json.loads(json.dumps(to_tree(value, limits)))


def rebuild(value: object) -> sympy.Expr:
    return from_tree(wire(value), SYMBOLS)


@pytest.mark.parametrize(
    "expr",
    [
        x + 2,
        x**2 / 2 + 2 * x,
        -b / (2 * w),
        sympy.sqrt(x) + x ** sympy.Rational(-3, 2),
        sympy.exp(x) + sympy.log(y) + sympy.sin(x) * sympy.cos(y) - sympy.tan(w),
        sympy.Abs(x - 1) + sympy.pi + sympy.E,
        sympy.Float("0.1") * x + sympy.Float("2.5"),
        sympy.Sum(X[i] * (w * X[i] + b - Y[i]), (i, 1, m)) / m,
        sympy.Sum(X[i] * Y[sympy.Symbol("j")], (i, 1, m), (sympy.Symbol("j"), 1, m)),
        sympy.Integer(-2),
        sympy.Rational(1, 3),
    ],
)
def test_round_trip_is_exact(expr: sympy.Expr) -> None:
    assert rebuild(expr) == expr


def test_tree_shapes() -> None:
    assert to_tree(x + 2) == ["Add", [["Integer", "2"], ["Symbol", "x"]]]
    assert to_tree(sympy.Rational(1, 2)) == ["Rational", "1", "2"]
    assert to_tree(sympy.pi) == ["Pi"] and to_tree(sympy.E) == ["E"]
    assert to_tree(X[i]) == ["Indexed", ["IndexedBase", "X"], ["Symbol", "i"]]
    assert to_tree(sympy.sqrt(x)) == ["Pow", ["Symbol", "x"], ["Rational", "1", "2"]]
    assert to_tree(sympy.Sum(X[i], (i, 1, m)))[0] == "Sum"
    assert to_tree("x + 2") == ["Text", "x + 2"]


def test_floats_keep_their_exact_binary_value() -> None:
    for value in (sympy.Float("0.1"), sympy.Float(1 / 3), sympy.Float("0.1", 50)):
        back = rebuild(value)
        assert back._mpf_ == value._mpf_ and back._prec == value._prec
    assert rebuild(0.1) == sympy.Float(0.1)
    assert rebuild(np.float64(0.25)) == sympy.Float(0.25)
    assert rebuild(np.int64(7)) == 7


def test_names_are_matched_and_student_assumptions_dropped() -> None:
    student_x = sympy.Symbol("x", positive=True)  # a different object from the exercise's x
    assert rebuild(student_x + 1) == x + 1
    stranger = rebuild(sympy.Symbol("z", positive=True))
    assert stranger == sympy.Symbol("z") and stranger.is_positive is None
    assert rebuild(sympy.IndexedBase("X", positive=True)[1]).base is X
    assert rebuild(sympy.IndexedBase("Z")[1]) == sympy.IndexedBase("Z")[1]
    assert rebuild(X[sympy.Idx("i", m)]) == X[i]  # an Idx counts as its label


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (sympy.Derivative(x**2, x), "Derivative objects are not accepted: return the evaluated "
         "derivative, worked out by hand"),
        (sympy.Integral(x, x), "Integral objects are not accepted"),
        (sympy.Function("f")(x), "'f' is an undefined function"),
        (sympy.Function("g"), "'g' is an undefined function"),
        (sympy.Lambda(x, x + 1), "a Lambda (a function) is not accepted"),
        (sympy.Eq(y, x + 2), "an equation or comparison is not accepted"),
        (sympy.Matrix([x]), "a matrix is not accepted"),
        (sympy.oo, "infinite or undefined values"),
        (float("nan"), "infinite or undefined values"),
        (x + sympy.I, "complex numbers are not accepted"),
        (sympy.tanh(x), "the function tanh is not accepted"),
        (sympy.Piecewise((x, x > 0), (0, True)), "Piecewise"),
        (sympy.Dummy("d"), "Dummy symbols are not accepted"),
        (sympy.Subs(x, x, 1), "Subs objects are not accepted"),
        (None, "returned None"),
        (True, "True/False is not accepted"),
        ([x, y], "a list is not accepted"),
        (X, "X needs an index"),
        (10**40, "more than 30 digits"),
        (object(), "object objects are not accepted"),
    ],
)
def test_unsupported_values_are_rejected_with_a_message(value: object, fragment: str) -> None:
    tree = wire(value)
    with pytest.raises(AnswerRejected) as caught:
        from_tree(tree, SYMBOLS)
    assert fragment in caught.value.message


class _RaisingArgs(sympy.Symbol):
    @property
    def args(self) -> tuple[Any, ...]:
        raise RuntimeError("boom")


class _Liar(float):
    def __repr__(self) -> str:
        return "__import__('os')"


class _Hostile:
    def __getattr__(self, name: str) -> Any:
        raise SystemError(name)

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no")

    __hash__ = None  # type: ignore[assignment]


def test_hostile_objects_never_make_to_tree_raise() -> None:
    assert to_tree(_RaisingArgs("e"))[0] == "Unsupported"
    assert to_tree(_Hostile()) == ["Unsupported", "Other", "_Hostile"]
    assert to_tree(x + _RaisingArgs("e"))[0] == "Add"  # only the bad node is marked
    assert to_tree(_Liar(0.5)) == ["Float", "0.5"]  # read through float's own methods
    with pytest.raises(AnswerRejected):
        from_tree(wire(x + _RaisingArgs("e")), SYMBOLS)


def test_output_is_capped_in_nodes_and_depth() -> None:
    huge = sympy.Add(*sympy.symbols("s0:3000"))
    started = time.perf_counter()
    assert to_tree(huge) == ["TooLarge", "nodes", DEFAULT.max_nodes]
    assert time.perf_counter() - started < 0.5
    deep: sympy.Expr = x
    for _ in range(60):
        deep = sympy.exp(deep)
    assert to_tree(deep) == ["TooLarge", "depth", DEFAULT.max_depth]
    shared = x + 1
    for _ in range(40):  # a DAG whose tree would have 2**40 nodes
        shared = sympy.Mul(shared, shared + 1, evaluate=False)
    assert len(json.dumps(to_tree(shared))) < 100_000
    with pytest.raises(AnswerRejected, match="too large"):
        from_tree(to_tree(huge), SYMBOLS)


@pytest.mark.parametrize(
    "tree",
    [
        None,
        "x",
        [],
        [1, 2],
        ["Eval", "1+1"],
        ["Symbol"],
        ["Symbol", 3],
        ["Symbol", "os.system"],
        ["Symbol", "_secret"],
        ["Symbol", "a b"],
        ["Integer", "1e5"],
        ["Integer", "0x10"],
        ["Integer", "9" * 40],
        ["Rational", "1"],
        ["Float", "nan"],
        ["Float", "1e99999"],
        ["Float", "0.5", 10**6],
        ["Add", []],
        ["Add", ["Symbol", "x"]],
        ["Pow", ["Symbol", "x"]],
        ["exp", ["Symbol", "x"], ["Symbol", "y"]],
        ["Indexed", ["Symbol", "X"], ["Integer", "1"]],
        ["Sum", ["Symbol", "x"], ["Limits", ["Integer", "1"], ["Integer", "1"], ["Integer", "2"]]],
        ["Sum", ["Symbol", "x"]],
        ["Unsupported"],
        ["TooLarge", "nodes", "many"],
        ["Text", "x + 2"],
    ],
)
def test_malformed_trees_are_rejected(tree: object) -> None:
    with pytest.raises(AnswerRejected):
        from_tree(tree, SYMBOLS)


def test_very_deep_lists_are_rejected_without_recursion_errors() -> None:
    tree: Any = ["Symbol", "x"]
    for _ in range(5000):
        tree = ["exp", tree]
    with pytest.raises(AnswerRejected, match="nested too deeply"):
        from_tree(tree, SYMBOLS)


def test_exponents_are_checked_before_anything_is_computed() -> None:
    nine = ["Integer", "9"]
    tower = ["Pow", nine, ["Pow", nine, ["Pow", nine, nine]]]
    started = time.perf_counter()
    with pytest.raises(AnswerRejected, match="exponent"):
        from_tree(tower, SYMBOLS)
    big = ["Mul", [["Integer", "9" * 30], ["Symbol", "x"]]]
    with pytest.raises(AnswerRejected, match="grow too large"):
        from_tree(["Pow", ["Pow", big, ["Integer", "64"]], ["Integer", "64"]], SYMBOLS)
    assert time.perf_counter() - started < 0.5
    assert from_tree(["Pow", ["Integer", "2"], ["Integer", "64"]], SYMBOLS) == 2**64
