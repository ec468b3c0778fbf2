"""Mistakes that raise instead of returning a wrong value are named, and only those."""

from __future__ import annotations

import json

import pytest

from grader.checks.raised import MESSAGE_CHARS, RaisedError, is_shape_error
from grader.model import Verdict
from grader.render.feedback import feedback_text
from tests.conftest import Build, grade_one

NORMAL = "import numpy as np\ndef normal_equation(X, y):\n    {body}\n"
LINREG = (
    "import torch\ndef linreg_grads(x, y, w0, w1):\n    err = w0 + x @ w1 - y\n"
    "    loss = 0.5 * (err ** 2).sum()\n    dw0 = err.sum().reshape(1, 1)\n"
    "    dw1 = {dw1}\n    return loss, dw0, dw1\n"
)

NAMED = [
    ("07", "normal_equation", NORMAL.format(body="return np.linalg.inv(X @ X.T) @ X.T @ y"),
     "X-times-X-transpose"),
    ("07", "normal_equation", NORMAL.format(body="return np.linalg.solve(X @ X.T, X.T @ y)"),
     "X-times-X-transpose"),
    ("07", "normal_equation", NORMAL.format(body="return np.linalg.inv(X @ X) @ X.T @ y"),
     "missing-transpose"),
    ("07", "normal_equation", NORMAL.format(body="return np.linalg.inv(X.T @ X) @ (X @ y)"),
     "missing-transpose"),
    ("05", "linreg_grads", LINREG.format(dw1="x @ err"), "missing-transpose"),
    ("05", "linreg_grads", LINREG.format(dw1="torch.mm(err, x)"), "missing-transpose"),
]

UNNAMED = [
    # Raises a known shape error on a tall X, but is right wherever it runs: not X·Xᵀ.
    ("07", "normal_equation", NORMAL.format(body="return np.linalg.solve(X, y)")),
    # NumPy's own text, forged: the function returns nothing on the probes either.
    ("07", "normal_equation", NORMAL.format(
        body="raise ValueError('matmul: Input operand 1 has a mismatch in its core dimension "
             "0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 12)')")),
    ("07", "normal_equation", NORMAL.format(body="raise ValueError('boom')")),
    # Two rows multiplied: a shape error, but not the one x @ err raises.
    ("05", "linreg_grads", LINREG.format(dw1="x.T @ err.T")),
    ("05", "linreg_grads", LINREG.format(dw1="x.T @ err[:1]")),
]


@pytest.mark.parametrize(("exercise", "function", "source", "name"), NAMED,
                         ids=[f"{c[0]}:{c[1]}:{c[3]}:{i}" for i, c in enumerate(NAMED)])
def test_a_raising_mistake_is_named(make_submission: Build, exercise, function, source, name):
    folder = make_submission(**{f"exercise{exercise}": source})
    result = next(t for t in grade_one(folder, exercise).tests if t.function == function)
    assert result.verdict is Verdict.ERROR, result.rationale  # the verdict is as before
    assert result.score == 0.0
    assert "raised" in result.rationale
    assert result.diagnosis is not None, result.rationale
    assert result.diagnosis.name == name
    assert "transpose" in result.diagnosis.message.lower()
    json.dumps(result.to_dict())
    assert result.diagnosis.name in feedback_text(result)


@pytest.mark.parametrize(("exercise", "function", "source"), UNNAMED,
                         ids=[f"{c[0]}:{c[1]}:{i}" for i, c in enumerate(UNNAMED)])
def test_another_error_gets_no_name(make_submission: Build, exercise, function, source):
    folder = make_submission(**{f"exercise{exercise}": source})
    result = next(t for t in grade_one(folder, exercise).tests if t.function == function)
    assert result.verdict is Verdict.ERROR, result.rationale
    assert result.diagnosis is None, result.diagnosis


def test_the_solutions_raise_nothing_to_explain(make_submission: Build):
    result = grade_one(make_submission(), "07")
    assert all(t.verdict is Verdict.PASSED and t.diagnosis is None for t in result.tests)


@pytest.mark.parametrize("error", [
    RaisedError("ValueError", "matmul: Input operand 1 has a mismatch in its core dimension 0, "
                "with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 12)"),
    RaisedError("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (20x1 and 20x1)"),
    RaisedError("ValueError", "shapes (12,3) and (12,3) not aligned: 3 (dim 1) != 12 (dim 0)"),
    RaisedError("LinAlgError", "Singular matrix"),
])
def test_numpy_and_torch_shape_messages_are_known(error: RaisedError):
    assert is_shape_error(error)


@pytest.mark.parametrize("error", [
    RaisedError("ValueError", "boom"),
    RaisedError("TypeError", "mat1 and mat2 shapes cannot be multiplied (20x1 and 20x1)"),
    RaisedError("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (20x1 and 20x1) "
                "because of something else"),
    RaisedError("ValueError", "shapes (" + "1," * MESSAGE_CHARS + ") and (1,) not aligned: "
                "1 (dim 1) != 1 (dim 0)"),  # the right form, but longer than any real one
])
def test_other_messages_are_not_shape_errors(error: RaisedError):
    assert not is_shape_error(error)


def test_the_error_text_is_cut_to_its_bound():
    error = RaisedError.of({"type": "V" * 500, "message": "x" * 5000, "line": "3"})
    assert len(error.type) == 80 and len(error.message) == MESSAGE_CHARS
    assert error.line is None  # only an int is a line
