"""Each named wrong answer is recognised by name; unrecognised ones get a counterexample."""

from __future__ import annotations

import json

import pytest

from grader.model import Verdict
from grader.render.feedback import feedback_text
from tests.conftest import Build, grade_one

SYMBOLS_01 = "from sympy import symbols\nx, a, b, c = symbols('x a b c')\n"
SYMBOLS_02 = (
    "from sympy import IndexedBase, Sum, Symbol, symbols\n"
    "x, y, w, b = symbols('x y w b')\n"
    "m = Symbol('m', integer=True, positive=True)\n"
    "i = Symbol('i', integer=True)\n"
    "X, Y = IndexedBase('X'), IndexedBase('Y')\n"
    "r = w*X[i] + b - Y[i]\n"
)
NP = "import numpy as np\n"
SIG = NP + "def _s(h):\n    return 1 / (1 + np.exp(-np.asarray(h, dtype=float)))\n"
TORCH = "import torch\n"

CASES = [
    ("01", "derivative", SYMBOLS_01 + "def derivative():\n    return -x - 2\n", "sign-flipped"),
    ("01", "derivative", "def derivative():\n    return '2*x + 2'\n", "lost-the-half"),
    ("01", "derivative", SYMBOLS_01 + "def derivative():\n    return x\n",
     "dropped-linear-term"),
    ("01", "minimizer", "def minimizer():\n    return 2\n", "sign-flipped"),
    ("01", "general_derivative", "def general_derivative():\n    return 'a*x + b'\n",
     "missing-factor-2"),
    ("01", "general_minimizer", "def general_minimizer():\n    return '-b/2*a'\n",
     "precedence"),
    ("01", "general_minimizer", "def general_minimizer():\n    return '-b/a'\n",
     "missing-factor-2"),
    ("02", "df_dx", "def df_dx():\n    return '4*x'\n", "missing-cross-term"),
    ("02", "df_dy", "def df_dy():\n    return '4*x'\n", "dropped-linear-term"),
    ("02", "dE_dw", SYMBOLS_02 + "def dE_dw():\n    return Sum(r*X[i], (i, 1, m))\n",
     "missing-1/m"),
    ("02", "dE_dw", SYMBOLS_02 + "def dE_dw():\n    return Sum(r, (i, 1, m))/m\n",
     "missing-x-factor"),
    ("02", "dE_dw", SYMBOLS_02 + "def dE_dw():\n    return Sum(r*X[i], (i, 1, m))/(2*m)\n",
     "kept-the-half"),
    ("02", "dE_dw", SYMBOLS_02 + "def dE_dw():\n    return 2*Sum(r*X[i], (i, 1, m))/m\n",
     "extra-factor-2"),
    ("02", "dE_db", SYMBOLS_02 + "def dE_db():\n    return -Sum(r, (i, 1, m))/m\n",
     "sign-flipped"),
    ("02", "dE_db", SYMBOLS_02 + "def dE_db():\n    return Sum(r*X[i], (i, 1, m))/m\n",
     "extra-x-factor"),
    ("03", "step", "def step(w, grad, lr):\n    return w + lr * grad\n",
     "ascent-instead-of-descent"),
    ("03", "step", "def step(w, grad, lr):\n    return w - grad\n", "missing-learning-rate"),
    ("03", "step", "def step(w, grad, lr):\n    return -lr * grad\n", "returned-the-change"),
    ("03", "step", "def step(w, grad, lr):\n    w -= lr * grad\n    return w\n", "mutated-input"),
    ("03", "descend", "def descend(g, w0, lr, steps):\n    out, w = [], w0\n"
     "    for _ in range(steps):\n        w = w - lr * g(w)\n        out.append(w)\n"
     "    return out\n", "w0-missing"),
    ("03", "descend", "def descend(g, w0, lr, steps):\n    out, w, d = [w0], w0, g(w0)\n"
     "    for _ in range(steps):\n        w = w - lr * d\n        out.append(w)\n"
     "    return out\n", "stale-gradient"),
    ("03", "descend", "def descend(g, w0, lr, steps):\n    out, w = [w0], w0\n"
     "    for _ in range(steps - 1):\n        w = w - lr * g(w)\n        out.append(w)\n"
     "    return out\n", "one-step-short"),
    ("03", "descend", "import numpy as np\ndef descend(g, w0, lr, steps):\n"
     "    w = np.array(w0, dtype=float)\n    out = [w]\n"
     "    for _ in range(steps):\n        w -= lr * g(w)\n        out.append(w)\n"
     "    return out\n", "aliased-trajectory"),
    ("04", "sigmoid", NP + "def sigmoid(h):\n    return 1 / (1 + np.exp(h))\n",
     "sign-in-exponent"),
    ("04", "sigmoid_prime", SIG + "def sigmoid_prime(h):\n    return _s(h)\n",
     "sigma-instead-of-sigma-prime"),
    ("04", "sigmoid_prime", NP + "def sigmoid_prime(h):\n    return h * (1 - h)\n",
     "h-instead-of-sigma"),
    ("04", "delta_w", SIG + "def delta_w(x, y, w, lr):\n    h = np.dot(x, w)\n"
     "    return lr * (_s(h) - y) * _s(h) * (1 - _s(h)) * x\n", "sign-flipped"),
    ("04", "delta_w", SIG + "def delta_w(x, y, w, lr):\n    h = np.dot(x, w)\n"
     "    return lr * (y - _s(h)) * _s(h) * x\n", "sigma-instead-of-sigma-prime"),
    ("04", "delta_w", SIG + "def delta_w(x, y, w, lr):\n    h = np.dot(x, w)\n"
     "    return lr * (y - h) * _s(h) * (1 - _s(h)) * x\n", "h-instead-of-sigma"),
    ("04", "delta_w", SIG + "def delta_w(x, y, w, lr):\n    h = np.dot(x, w)\n"
     "    return lr * (y - _s(h)) * x\n", "missing-sigma-prime"),
    ("04", "delta_w", SIG + "def delta_w(x, y, w, lr):\n    h = np.dot(x, w)\n"
     "    return lr * (y - _s(h)) * _s(h) * (1 - _s(h)) * np.ones_like(x)\n",
     "missing-x-factor"),
]

LINREG = (
    TORCH + "def linreg_grads(x, y, w0, w1):\n    err = w0 + x @ w1 - y\n"
    "    loss = {loss}\n    dw0 = {dw0}\n    dw1 = {dw1}\n    return loss, dw0, dw1\n"
)
GOOD = {"loss": "0.5 * (err ** 2).sum()", "dw0": "err.sum().reshape(1, 1)", "dw1": "x.T @ err"}
TORCH_CASES = [
    ({"loss": "0.5 * (err ** 2).mean()", "dw0": "err.mean().reshape(1, 1)",
      "dw1": "x.T @ err / x.shape[0]"}, "mean-instead-of-sum"),
    ({"loss": "(err ** 2).sum()", "dw0": "2 * err.sum().reshape(1, 1)", "dw1": "2 * x.T @ err"},
     "missing-half"),
    ({"dw0": "-err.sum().reshape(1, 1)", "dw1": "-(x.T @ err)"}, "sign-flipped"),
    ({"dw1": "err.sum().reshape(1, 1)"}, "missing-x-factor"),
    ({"dw1": "x * err"}, "elementwise-instead-of-matmul"),
    ({"loss": "(0.5 * (err ** 2).sum()).reshape(1, 1)"}, "wrong-shape"),
    ({"dw1": "(x.T @ err).float()"}, "wrong-dtype"),
]
CASES += [("05", "linreg_grads", LINREG.format(**(GOOD | parts)), name)
          for parts, name in TORCH_CASES]


@pytest.mark.parametrize(("exercise", "function", "source", "name"), CASES,
                         ids=[f"{c[0]}:{c[1]}:{c[3]}" for c in CASES])
def test_a_known_mistake_is_named(make_submission: Build, exercise, function, source, name):
    folder = make_submission(**{f"exercise{exercise}": source})
    result = next(t for t in grade_one(folder, exercise).tests if t.function == function)
    assert result.verdict is Verdict.FAILED, result.rationale
    assert result.diagnosis is not None, result.rationale
    assert result.diagnosis.name == name
    assert result.diagnosis.message
    json.dumps(result.to_dict())  # evidence is plain data, ready for every renderer
    assert feedback_text(result)


def test_an_unknown_mistake_gets_a_counterexample(make_submission: Build):
    folder = make_submission(exercise03="def step(w, grad, lr):\n    return w - lr * grad + 0.5\n")
    step = grade_one(folder, "03").tests[0]
    assert step.verdict is Verdict.FAILED
    assert step.diagnosis is None
    example = step.counterexample
    assert example is not None
    assert set(example.inputs) == {"w", "grad", "lr"}
    assert example.actual == pytest.approx(example.expected + 0.5)


def test_a_symbolic_counterexample_names_the_point(make_submission: Build):
    folder = make_submission(exercise01="def derivative():\n    return 'x + 3'\n")
    derivative = grade_one(folder, "01").tests[0]
    assert derivative.verdict is Verdict.FAILED
    assert derivative.counterexample is not None
    point = derivative.counterexample.inputs
    assert set(point) == {"x"}
    assert derivative.counterexample.actual == pytest.approx(point["x"] + 3)
    assert derivative.counterexample.expected == pytest.approx(point["x"] + 2)
