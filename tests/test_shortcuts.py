"""Forbidden shortcuts are caught in the source before running, and by tripwires at run time."""

from __future__ import annotations

import ast

import pytest

from grader.course.shortcuts import AUTOGRAD, SYMPY_DIFF, find_forbidden
from grader.model import Verdict
from tests.conftest import EXERCISES, SOLUTIONS, Build, grade_one

AUTOGRAD_SOURCES = {
    "backward": "def linreg_grads(x, y, w0, w1):\n    loss.backward()\n",
    "import": "import torch.autograd as ag\ndef linreg_grads(x, y, w0, w1):\n    pass\n",
    "from-import": "from torch.autograd import grad\n",
    "torch.func": "from torch import func\n",
    "getattr": "def linreg_grads(x, y, w0, w1):\n    getattr(loss, 'backward')()\n",
    "importlib": "import importlib\nag = importlib.import_module('torch.autograd')\n",
    "dot-grad": "def linreg_grads(x, y, w0, w1):\n    return w0.grad\n",
}


@pytest.mark.parametrize("name", sorted(AUTOGRAD_SOURCES))
def test_autograd_is_found_statically(name: str):
    assert find_forbidden(ast.parse(AUTOGRAD_SOURCES[name]), AUTOGRAD)


@pytest.mark.parametrize(
    "source",
    ["from sympy import diff\n", "import sympy\ndef f():\n    return sympy.diff(x**2, x)\n",
     "def f():\n    return (x**2).diff(x)\n", "from sympy import *\ndef f():\n    return diff(x)\n",
     "def f():\n    return Derivative(x**2, x).doit()\n"],
)
def test_sympy_differentiation_is_found_statically(source: str):
    assert find_forbidden(ast.parse(source), SYMPY_DIFF)


@pytest.mark.parametrize("folder", [EXERCISES, SOLUTIONS])
def test_stubs_and_solutions_use_no_shortcut(folder):
    for name, forbidden in [("01_quadratic", SYMPY_DIFF), ("02_partials", SYMPY_DIFF),
                            ("05_torch_gradients", AUTOGRAD)]:
        tree = ast.parse((folder / f"{name}.py").read_text())
        assert find_forbidden(tree, forbidden) == {}, name


def test_innocent_names_are_not_flagged():
    source = ("def f(grad):\n    '''No autograd, no backward() here.'''\n"
              "    raise NotImplementedError('write it without autograd')\n")
    assert find_forbidden(ast.parse(source), AUTOGRAD) == {}


BUILT_STRINGS = {
    "05": (
        "import torch\n"
        "def linreg_grads(x, y, w0, w1):\n"
        "    w0 = w0.clone().requires_grad_(True)\n"
        "    w1 = w1.clone().requires_grad_(True)\n"
        "    loss = 0.5 * ((w0 + x @ w1 - y) ** 2).sum()\n"
        "    run = getattr(loss, 'back' + 'ward')\n"
        "    run()\n"
        "    return loss.detach(), getattr(w0, 'gr' + 'ad'), getattr(w1, 'gr' + 'ad')\n"
    ),
    "01": (
        "import sympy\nx = sympy.Symbol('x')\n"
        "def derivative():\n"
        "    return getattr(sympy, 'di' + 'ff')(x**2/2 + 2*x, x)\n"
    ),
}


@pytest.mark.parametrize("exercise", sorted(BUILT_STRINGS))
def test_shortcuts_reached_through_built_strings_are_caught_at_run_time(
    make_submission: Build, exercise: str
):
    folder = make_submission(**{f"exercise{exercise}": BUILT_STRINGS[exercise]})
    result = grade_one(folder, exercise).tests[0]
    assert result.verdict is Verdict.FAILED
    assert result.diagnosis is not None and result.diagnosis.name == "forbidden-shortcut"


def test_library_internals_that_differentiate_do_not_count(make_submission: Build):
    # solve() may differentiate internally; only calls made from the student's file count.
    source = ("import sympy\nx = sympy.Symbol('x')\n"
              "def minimizer():\n    return sympy.solve(x + 2, x)[0]\n")
    folder = make_submission(exercise01=source)
    result = next(t for t in grade_one(folder, "01").tests if t.function == "minimizer")
    assert result.verdict is Verdict.PASSED, result.rationale
