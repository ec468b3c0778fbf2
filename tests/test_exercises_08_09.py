"""Exercises 08 (backprop by hand) and 09 (your own Value): passes, stubs, diagnoses, shortcuts."""

from __future__ import annotations

import ast
import math
import warnings

import numpy as np
import pytest

from grader.checks import Case
from grader.course import find_exercise
from grader.course.ex09_autodiff import DEEP_OPS
from grader.course.shortcuts import AUTODIFF, AUTOGRAD, find_forbidden
from grader.graph_recipe import GraphRecipe, Op, draw_recipe, forward
from grader.model import Verdict
from tests.conftest import EXERCISES, ROOT, SOLUTIONS, Build, grade_one

BACKPROP = (SOLUTIONS / "08_backprop.py").read_text(encoding="utf-8")
VALUE = (SOLUTIONS / "09_autodiff.py").read_text(encoding="utf-8")


def _edit(source: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert old in source, old
        source = source.replace(old, new)
    return source


DIRECT_DIVISION = '''    def __truediv__(self, other: "Value | float") -> "Value":
        other = self._lift(other)
        out = Value(self.data / other.data, (self, other))

        def _backward() -> None:
            self.grad += out.grad / other.data
            other.grad += self.data / other.data**2 * out.grad  # the minus sign is lost

        out._backward = _backward
        return out
'''
# Its data are right; `__rtruediv__ = __truediv__` (v / k) is recognised too, but usually
# ends in an error first, when a later log() meets the wrong sign.
REFLECTED_DIVISION = '''    def __rtruediv__(self, other: float) -> "Value":
        out = Value(other / self.data, (self,))

        def _backward() -> None:
            self.grad += -1.0 / self.data**2 * out.grad  # the number k is lost

        out._backward = _backward
        return out
'''
STACK_WALK = '''    def backward(self) -> None:
        self.grad = 1.0
        waiting, seen = [self], {id(self)}
        while waiting:  # depth-first, each node once, but not in topological order
            node = waiting.pop()
            node._backward()
            for child in node._prev:
                if id(child) not in seen:
                    seen.add(id(child))
                    waiting.append(child)
'''

MISTAKES_08 = {
    "sigma-instead-of-sigma-prime": ("d_Z = d_H * H * (1 - H)", "d_Z = d_H * H"),
    "sigma-prime-of-sigma": ("d_Z = d_H * H * (1 - H)",
                             "d_Z = d_H * torch.sigmoid(H) * (1 - torch.sigmoid(H))"),
    "missing-1/m": ("d_out = err / m", "d_out = err"),
    "transposed-dW1": ("dW1 = X.T @ d_Z", "dW1 = d_Z.T @ X"),
    "gradients-negated": ("d_out = err / m", "d_out = -err / m"),
    "mean-over-outputs": ("loss = (err**2).sum() / (2 * m)", "loss = (err**2).mean() / 2"),
}
# Several edits each: σ on the output goes into the backward pass too.
MISTAKES_08_EDITS = {
    "sigmoid-on-output": [("out = H @ W2", "out = torch.sigmoid(H @ W2)"),
                          ("d_out = err / m", "d_out = err / m * out * (1 - out)")],
}
MISTAKES_09 = {
    "grad-overwritten": [(".grad +=", ".grad =")],
    "no-topological-order": [(VALUE[VALUE.index("    def backward"):], STACK_WALK)],
    "wrong-log-derivative": [("self.grad += out.grad / self.data",
                              "self.grad += out.grad * self.data")],
    "wrong-division-derivative": [(VALUE[VALUE.index("    def __truediv__"):
                                         VALUE.index("    def __rtruediv__")],
                                   DIRECT_DIVISION + "\n")],
    "wrong-sigmoid-derivative": [("self.grad += s * (1.0 - s) * out.grad",
                                  "self.grad += s * out.grad")],
    "wrong-power-rule": [("k * self.data ** (k - 1)", "k * self.data**k")],
    "missing-upstream-gradient": [("self.grad += out.data * out.grad",
                                   "self.grad += out.data")],
    "no-topological-order#forwards": [("for node in reversed(order):", "for node in order:")],
    "wrong-power-rule#precedence": [("k * self.data ** (k - 1) * out.grad",
                                     "(k * self.data ** k - 1) * out.grad")],
    "wrong-product-derivative": [("other.grad += self.data * out.grad",
                                  "other.grad += other.data * out.grad")],
    "wrong-reflected-division": [(VALUE[VALUE.index("    def __rtruediv__"):
                                        VALUE.index("    def exp")],
                                  REFLECTED_DIVISION + "\n")],
}


def test_solutions_pass_and_stubs_are_not_attempted(make_submission: Build):
    for folder in (make_submission(), make_submission("stubs", base=EXERCISES)):
        for exercise in ("08", "09"):
            (result,) = grade_one(folder, exercise).tests
            want = Verdict.PASSED if folder.parent.name == "student" else Verdict.NOT_ATTEMPTED
            assert result.verdict is want, result.rationale


def test_the_stubs_teach_without_answering():
    for name in ("08_backprop", "09_autodiff"):
        stub = (EXERCISES / f"{name}.py").read_text(encoding="utf-8")
        assert "# TODO:" in stub and "NotImplementedError" in stub
        assert find_exercise(name).is_untouched_stub(stub)


@pytest.mark.parametrize("name", sorted(MISTAKES_08) + sorted(MISTAKES_08_EDITS))
def test_a_backprop_mistake_is_named(make_submission: Build, name: str):
    edits = MISTAKES_08_EDITS.get(name) or [MISTAKES_08[name]]
    folder = make_submission(exercise08=_edit(BACKPROP, *edits))
    (result,) = grade_one(folder, "08").tests
    assert result.verdict is Verdict.FAILED, result.rationale
    assert result.diagnosis is not None and result.diagnosis.name == name, result.rationale


# The corpus's two class styles with their one slip undone: operations built from others
# (a − b as a + (−b)) and each operation written out. Correct forms pass undiagnosed.
CORRECT_09 = {
    "topo_not_reversed": ("for node in topo:", "for node in reversed(topo):"),
    "mul_copy_paste": ("other.grad += other.data * out.grad", "other.grad += self.data * out.grad"),
}


@pytest.mark.parametrize("name", sorted(CORRECT_09))
def test_another_correct_value_class_passes(make_submission: Build, name: str):
    source = (ROOT / "tests" / "corpus" / "09_autodiff" / f"{name}.py").read_text(encoding="utf-8")
    (result,) = grade_one(make_submission(exercise09=_edit(source, CORRECT_09[name])), "09").tests
    assert result.verdict is Verdict.PASSED and result.diagnosis is None, result.rationale


# Mistakes that raise on some graded case, named from probes where the formula fits.
RAISING_08_09 = {
    ("08", "missing-W2-in-chain"): [("d_H = d_out @ W2.T", "d_H = d_out")],
    ("09", "wrong-reflected-subtraction"): [("return self._lift(other) + self * -1.0",
                                             "return self - other")],
}


@pytest.mark.parametrize("key", sorted(RAISING_08_09), ids=" ".join)
def test_a_raising_mistake_is_named_from_probes(make_submission: Build, key: tuple[str, str]):
    exercise, name = key
    source = BACKPROP if exercise == "08" else VALUE
    folder = make_submission(**{f"exercise{exercise}": _edit(source, *RAISING_08_09[key])})
    (result,) = grade_one(folder, exercise).tests
    assert result.verdict is Verdict.ERROR, result.rationale
    assert result.diagnosis is not None and result.diagnosis.name == name, result.rationale


@pytest.mark.parametrize("name", sorted(MISTAKES_09))
def test_a_value_mistake_is_named(make_submission: Build, name: str):
    folder = make_submission(exercise09=_edit(VALUE, *MISTAKES_09[name]))
    (result,) = grade_one(folder, "09").tests
    assert result.verdict is Verdict.FAILED, result.rationale
    assert result.diagnosis is not None, result.rationale
    assert result.diagnosis.name == name.split("#")[0], result.rationale


SHORTCUTS = {
    ("08", "static"): _edit(BACKPROP, ("    return loss, dW1, dW2",
                                       "    loss.backward()\n    return loss, dW1, dW2")),
    ("08", "run time"): _edit(BACKPROP, (
        "    return loss, dW1, dW2",
        "    W1 = W1.clone().requires_grad_(True)\n"
        "    again = ((torch.sigmoid(X @ W1) @ W2 - y) ** 2).sum() / (2 * m)\n"
        "    getattr(again, 'back' + 'ward')()\n    return loss, dW1, dW2")),
    ("09", "static"): "import torch\n" + VALUE,
    ("09", "run time"): _edit(VALUE, ("        self.grad = 1.0  # ∂root/∂root",
                                      "        import importlib\n"
                                      "        importlib.import_module('to' + 'rch')\n"
                                      "        self.grad = 1.0")),
    ("09", "run time, __import__"): _edit(VALUE, ("        self.grad = 1.0  # ∂root/∂root",
                                                  "        __import__('ja' + 'x.numpy')\n"
                                                  "        self.grad = 1.0")),
}


@pytest.mark.parametrize("key", sorted(SHORTCUTS), ids=" ".join)
def test_every_shortcut_is_caught(make_submission: Build, key: tuple[str, str]):
    exercise, _ = key
    folder = make_submission(**{f"exercise{exercise}": SHORTCUTS[key]})
    (result,) = grade_one(folder, exercise).tests
    assert result.verdict is Verdict.FAILED, result.rationale
    assert result.diagnosis is not None and result.diagnosis.name == "forbidden-shortcut"


def test_static_reading_flags_autodiff_libraries_but_not_the_class_itself():
    for source in ("import jax\n", "from torch import tensor\n",
                   "import importlib\nt = importlib.import_module('torch')\n"):
        assert find_forbidden(ast.parse(source), AUTODIFF), source
    for folder in (EXERCISES, SOLUTIONS):
        assert find_forbidden(ast.parse((folder / "09_autodiff.py").read_text()), AUTODIFF) == {}
        assert find_forbidden(ast.parse((folder / "08_backprop.py").read_text()), AUTOGRAD) == {}


def test_a_graph_hundreds_of_nodes_deep_is_graded_with_a_recursive_solution(
    make_submission: Build,
):
    cases = find_exercise("09").checks[0].cases(np.random.default_rng(0), cuda=False)
    assert max(len(case.args[0].ops) for case in cases) >= DEEP_OPS >= 300
    (result,) = grade_one(make_submission(), "09").tests  # solutions/ sorts recursively
    assert result.verdict is Verdict.PASSED, result.rationale


def test_a_wrong_answer_on_the_deep_graph_alone_fails(make_submission: Build):
    # Exact only up to 100 nodes: right on small graphs, wrong on the deep one.
    source = _edit(VALUE, ("        for node in reversed(order):\n            node._backward()",
                           "        for node in reversed(order[-100:]):\n"
                           "            node._backward()"))
    (result,) = grade_one(make_submission(exercise09=source), "09").tests
    assert result.verdict is Verdict.FAILED
    assert "300 operations deep" in result.rationale


@pytest.mark.parametrize("seed", range(20))
def test_drawn_graphs_stay_safe(seed: int):
    recipe = draw_recipe(np.random.default_rng(seed), inputs=4, ops=120)
    values = list(recipe.leaves)
    for op in recipe.ops:
        if op.op == "log":
            assert values[op.a] > 0
        values.append(forward(op, values))
        assert math.isfinite(values[-1]) and abs(values[-1]) <= 20
    assert GraphRecipe.from_wire(recipe.wire_spec()["$graph"]) == recipe


def test_a_wrong_rule_that_turns_complex_is_never_matched():
    # k − v computed as v − k sends the power 0.5 below zero: Python's ** goes complex there.
    recipe = GraphRecipe((1.0,), (Op("-", None, 0, 3.0), Op("**", 1, None, 0.5)))
    check = find_exercise("09").checks[0]
    case = Case("reflected subtraction under a square root", (recipe,), ("graph",))
    (mistake,) = [m for m in check.mistakes if m.name == "wrong-reflected-subtraction"]
    # The complex prediction cast to float64 would read [1, 2, -2 → 0j…]: real parts only.
    discarded = [[1.0, -2.0, 0.0], [-0.0, 0.0, 1.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not mistake.answer(case)(discarded)
