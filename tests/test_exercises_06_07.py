"""Exercises 06 (losses) and 07 (linear regression): solutions pass, stubs are not attempted,
each known mistake is named, and the seeds' numbers come out of the reference solutions."""

from __future__ import annotations

import hashlib
import itertools
import json
import runpy
import tomllib

import numpy as np
import pytest
import torch

from grader.course import find_exercise
from grader.course.ex07_linear_regression import SEED_000_LINE, full_batch_path, loss
from grader.model import Verdict
from grader.render.feedback import feedback_text
from tests.conftest import EXERCISES, ROOT, SOLUTIONS, Build, grade_one

NP = "import numpy as np\n"
LOSS = NP + "def {name}(a, b):\n    a = np.asarray(a, dtype=float)\n" \
    "    b = np.asarray(b, dtype=float)\n    return float({body})\n"
NORMAL = NP + "def normal_equation(X, y):\n    return {body}\n"
# A mini-batch loop with a hole for each part a student can get wrong.
GD = NP + (
    "def minibatch_gd(X, y, lr, epochs, batch_size, seed):\n"
    "    m, n = X.shape\n    w = np.zeros(n)\n    {rng}\n"
    "    for _ in range(epochs):\n        {order}\n"
    "        for s in range(0, m, batch_size):\n"
    "            Xb, yb = {batch}\n"
    "            g = Xb.T @ (Xb @ w - yb){scale}\n"
    "            w = w {sign} lr * g\n"
    "    return w\n"
)
GOOD_GD = {"rng": "rng = np.random.default_rng(seed)", "order": "idx = rng.permutation(m)",
           "batch": "X[idx][s:s + batch_size], y[idx][s:s + batch_size]",
           "scale": " / len(Xb)", "sign": "-"}


def _gd(**parts: str) -> str:
    return GD.format(**(GOOD_GD | parts))


CASES = [
    ("06", "mae", LOSS.format(name="mae", body="np.mean(a - b)"), "missing-abs"),
    ("06", "mae", LOSS.format(name="mae", body="np.mean(b - a)"), "missing-abs"),
    ("06", "mae", LOSS.format(name="mae", body="np.sum(np.abs(a - b))"), "missing-1/m"),
    ("06", "mse", LOSS.format(name="mse", body="np.mean((a - b) ** 2)"), "missing-half"),
    ("06", "mse", LOSS.format(name="mse", body="np.sum((a - b) ** 2) / 2"), "missing-1/m"),
    ("06", "binary_cross_entropy",  # seed 001's formula, as printed
     LOSS.format(name="binary_cross_entropy",
                 body="-np.mean(a * np.log(b) + (1 - a) * np.log(1 - b))"), "p-and-y-swapped"),
    ("06", "binary_cross_entropy",
     LOSS.format(name="binary_cross_entropy",
                 body="np.mean(b * np.log(a) + (1 - b) * np.log(1 - a))"), "sign-flipped"),
    ("06", "binary_cross_entropy",
     LOSS.format(name="binary_cross_entropy", body="-np.mean(b * np.log(a))"),
     "missing-negative-term"),
    ("06", "binary_cross_entropy",
     LOSS.format(name="binary_cross_entropy", body="-np.mean((1 - b) * np.log(1 - a))"),
     "missing-positive-term"),
    ("06", "binary_cross_entropy",
     LOSS.format(name="binary_cross_entropy",
                 body="-np.sum(b * np.log(a) + (1 - b) * np.log(1 - a))"), "missing-1/m"),
    ("07", "normal_equation", NORMAL.format(body="(1 / (X.T @ X)) @ (X.T @ y)"),
     "elementwise-inverse"),
    ("07", "normal_equation", NORMAL.format(body="(y.T @ X) @ np.linalg.inv(X.T @ X)"),
     "w-as-a-row"),
    ("07", "minibatch_gd", _gd(scale=""), "sum-instead-of-mean"),
    ("07", "minibatch_gd", _gd(sign="+"), "ascent-instead-of-descent"),
    ("07", "minibatch_gd", _gd(scale=" * 2 / len(Xb)"), "extra-factor-2"),
    ("07", "minibatch_gd", _gd(batch="X[idx][s:s + batch_size], y[s:s + batch_size]"),
     "shuffled-X-without-y"),
    ("07", "minibatch_gd", _gd(rng="rng = np.random.default_rng()"), "not-reproducible"),
    ("07", "minibatch_gd", _gd(order="rng.shuffle(X)", batch="X[s:s + batch_size], "
                               "y[s:s + batch_size]"), "shuffled-X-without-y"),
    ("06", "mse", LOSS.format(name="mse", body="np.sum((a - b) ** 2) / 2 * len(a)"),
     "precedence"),
    ("06", "mae", LOSS.format(name="mae", body="abs(np.mean(a - b))"), "abs-after-mean"),
    ("06", "binary_cross_entropy",
     LOSS.format(name="binary_cross_entropy",
                 body="-np.mean(np.where(b == 1, np.log(a), np.log(1 - a)))"),
     "hard-labels-only"),
    ("06", "binary_cross_entropy",
     LOSS.format(name="binary_cross_entropy",
                 body="-np.mean(np.where(b > 0.5, np.log(a), np.log(1 - a)))"),
     "hard-labels-only"),
    ("06", "binary_cross_entropy",
     LOSS.format(name="binary_cross_entropy",
                 body="-np.mean(b * np.log10(a) + (1 - b) * np.log10(1 - a))"), "log-base-10"),
    ("07", "normal_equation",
     NORMAL.format(body="np.linalg.pinv(np.column_stack([np.ones(len(X)), X])) @ y"),
     "extra-ones-column"),
    ("07", "minibatch_gd", _gd(rng="rng = np.random.default_rng(seed); w = rng.normal(0, 0.1, n)"),
     "start-not-zero"),
    ("07", "minibatch_gd", _gd(order="idx = rng.integers(0, m, m)"), "batches-not-a-permutation"),
    # Paired, so every value is right, but the caller's X and y come back reordered.
    ("07", "minibatch_gd", _gd(order="idx = rng.permutation(m); X[:] = X[idx]; y[:] = y[idx]",
                               batch="X[s:s + batch_size], y[s:s + batch_size]"),
     "mutated-input"),
]


@pytest.mark.parametrize(("exercise", "function", "source", "name"), CASES,
                         ids=[f"{c[0]}:{c[1]}:{c[3]}:{i}" for i, c in enumerate(CASES)])
def test_a_known_mistake_is_named(make_submission: Build, exercise, function, source, name):
    folder = make_submission(**{f"exercise{exercise}": source})
    result = next(t for t in grade_one(folder, exercise).tests if t.function == function)
    assert result.verdict is Verdict.FAILED, result.rationale
    assert result.diagnosis is not None, result.rationale
    assert result.diagnosis.name == name, result.rationale
    assert result.diagnosis.message
    json.dumps(result.to_dict())  # evidence is plain data, ready for every renderer
    assert feedback_text(result)


# Mistakes that raise on the graded cases (shapes that fit only sometimes): still named.
RAISING = [
    ("normal_equation", NORMAL.format(body="np.linalg.inv(X.T @ X) * X.T @ y"),
     "elementwise-product"),
    ("minibatch_gd", _gd(rng="rng = np.random.default_rng(seed); w = np.zeros((n, 1))"),
     "w-as-a-column"),
]


@pytest.mark.parametrize(("function", "source", "name"), RAISING, ids=[c[2] for c in RAISING])
def test_a_raising_mistake_of_07_is_named(make_submission: Build, function, source, name):
    folder = make_submission(exercise07=source)
    result = next(t for t in grade_one(folder, "07").tests if t.function == function)
    assert result.verdict is Verdict.ERROR, result.rationale
    assert result.diagnosis is not None and result.diagnosis.name == name, result.rationale


@pytest.mark.parametrize("exercise", ["06", "07"])
def test_the_solution_passes_every_test(make_submission: Build, exercise):
    result = grade_one(make_submission(), exercise)
    assert [t.verdict for t in result.tests] == [Verdict.PASSED] * len(result.tests), [
        t.rationale for t in result.tests]
    assert result.score == find_exercise(exercise).max_score > 0


@pytest.mark.parametrize("exercise", ["06", "07"])
def test_the_untouched_stub_is_not_attempted(make_submission: Build, exercise):
    entry = find_exercise(exercise)
    result = grade_one(make_submission(base=EXERCISES), exercise)
    assert {t.verdict for t in result.tests} == {Verdict.NOT_ATTEMPTED}
    assert [t.function for t in result.tests] == [c.function for c in entry.checks]


@pytest.mark.parametrize("exercise", ["06", "07"])
def test_the_stub_runs_to_not_implemented_in_every_function(exercise):
    """Even when run (edited elsewhere), each function still says what to do, not a crash."""
    entry = find_exercise(exercise)
    namespace = runpy.run_path(str(EXERCISES / entry.filename))
    for check in entry.checks:
        with pytest.raises(NotImplementedError):
            namespace[check.function](*([None] * namespace[check.function].__code__.co_argcount))


@pytest.mark.parametrize("exercise", ["06_losses", "07_linear_regression"])
def test_course_text_in_both_languages_with_the_stubs_digest(exercise):
    hints = ROOT / "grader" / "course" / "hints"
    english = tomllib.loads((hints / f"{exercise}.toml").read_text(encoding="utf-8"))
    chinese = tomllib.loads((hints / f"{exercise}.zh.toml").read_text(encoding="utf-8"))
    digest = hashlib.sha256((EXERCISES / f"{exercise}.py").read_bytes()).hexdigest()
    assert english["stub_sha256"] == digest
    zh_stub = ROOT / "grader" / "course" / "stubs" / "zh" / f"{exercise}.py"
    assert chinese["stub_sha256"] == hashlib.sha256(zh_stub.read_bytes()).hexdigest()
    assert set(english) == set(chinese)
    assert set(english["functions"]) == set(chinese["functions"]) == {
        c.function for c in find_exercise(exercise).checks}
    for name, spec in chinese["functions"].items():
        assert len(spec["hints"]) == len(english["functions"][name]["hints"]) >= 3
        assert spec["task"] != english["functions"][name]["task"]  # translated, not copied


def _solution(name: str) -> dict:
    return runpy.run_path(str(SOLUTIONS / f"{name}.py"))


def test_loss_values_worked_by_hand_and_seed_001s_remark():
    losses = _solution("06_losses")
    pred, target = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0])
    assert losses["mae"](pred, target) == pytest.approx(1.0)
    assert losses["mse"](pred, target) == pytest.approx(5 / 6)
    assert losses["mse"](torch.tensor(pred), torch.tensor(target)) == pytest.approx(5 / 6)
    bce = losses["binary_cross_entropy"]
    assert bce(np.array([0.9, 0.2]), np.array([1.0, 0.0])) == pytest.approx(0.164252, abs=1e-6)
    # Seed 001: J → 0 as the prediction approaches the label, and grows without bound as a
    # confident prediction is wrong.
    labels = np.array([1.0, 0.0])
    assert bce(np.array([1 - 1e-9, 1e-9]), labels) == pytest.approx(0.0, abs=1e-8)
    assert bce(np.array([1e-9, 1 - 1e-9]), labels) > 20


def test_seed_000_line_recovered_both_ways():
    regression = _solution("07_linear_regression")
    x = np.linspace(0.0, 20.0, 11)
    X, y = np.column_stack([np.ones_like(x), x]), -2.0 + 3.0 * x
    assert regression["normal_equation"](X, y) == pytest.approx([-2.0, 3.0])
    assert regression["normal_equation"](X, y.reshape(-1, 1)).shape == (2, 1)
    unit = np.linspace(-1.0, 1.0, 20)
    X1 = np.column_stack([np.ones_like(unit), unit])
    w = regression["minibatch_gd"](X1, -2.0 + 3.0 * unit, 0.2, 200, 4, seed=0)
    assert w == pytest.approx([-2.0, 3.0], abs=1e-9)


def test_plot_helpers_follow_full_batch_descent_downhill():
    X, y = SEED_000_LINE
    path = full_batch_path(X, y, 0.8, 30)
    losses = [loss(X, y, w) for w in path]
    assert len(path) == 31 and not np.any(path[0])
    assert all(later < earlier for earlier, later in itertools.pairwise(losses))
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    assert path[-1] == pytest.approx(best, abs=1e-3)
    assert losses[-1] == pytest.approx(loss(X, y, best), rel=1e-6)
