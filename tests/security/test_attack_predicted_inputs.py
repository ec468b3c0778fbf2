"""Attack: answers looked up from inputs predicted with the grader's own code.

The student runs the grader offline, derives the inputs it will draw for their name, and
submits functions that return the stored answers and compute nothing (which also gets round
05's autograd ban). Against the public default seed this earns full marks; against the
grading secret it must earn nothing but what the fixed, public cases give away.
"""

from __future__ import annotations

import importlib.util
import json
import stat
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from grader.course import find_exercise
from grader.engine import DEFAULT_SEED, Settings, derive_seed, grade
from grader.model import Verdict
from grader.secret import SECRET_ENV, SECRET_FILE, for_ci, for_grading, identity
from tests.conftest import FAST, SOLUTIONS

NAME = "mallory"
_EXERCISES = ("04_sigmoid_delta", "05_torch_gradients")

_LOOKUP = '''
import json

import numpy as np
import torch

_TABLE = json.loads({table!r})


def _key(args):
    plain = [np.asarray(a.detach().cpu() if hasattr(a, "detach") else a, dtype=float)
             for a in args]
    return repr([np.round(p.ravel(), 9).tolist() for p in plain])


def _answer(function, args):
    found = _TABLE[function].get(_key(args))
    if found is None:  # an input nobody predicted: nothing is computed, a zero comes back
        return None
    return found


def sigmoid(h):
    found = _answer("sigmoid", (h,))
    if found is None:
        return 0.0 * np.asarray(h, dtype=float) if np.ndim(h) else 0.0
    return np.array(found) if np.ndim(h) else float(found)


def sigmoid_prime(h):
    found = _answer("sigmoid_prime", (h,))
    if found is None:
        return 0.0 * np.asarray(h, dtype=float) if np.ndim(h) else 0.0
    return np.array(found) if np.ndim(h) else float(found)


def delta_w(x, y, w, lr):
    found = _answer("delta_w", (x, y, w, lr))
    return np.zeros(len(x)) if found is None else np.array(found)


def linreg_grads(x, y, w0, w1):
    found = _answer("linreg_grads", (x, y, w0, w1))
    if found is None:
        return torch.tensor(0.0), torch.zeros_like(w0), torch.zeros_like(w1)
    return tuple(torch.tensor(part, dtype=torch.float64, device=x.device) for part in found)
'''


def _solution(exercise_id: str) -> Any:
    path = SOLUTIONS / find_exercise(exercise_id).filename
    spec = importlib.util.spec_from_file_location(f"solution_{exercise_id}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _child_value(arg: Any) -> Any:
    """An input as the child hands it to the student (tensors for 05)."""
    if hasattr(arg, "wire_spec"):
        return torch.tensor(arg.values, dtype=torch.float64)
    return arg


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(part) for part in value]
    if isinstance(value, torch.Tensor):
        return value.detach().numpy().tolist()
    return np.asarray(value, dtype=float).tolist()


def _key(args: tuple[Any, ...]) -> str:
    plain = [np.asarray(a.detach() if hasattr(a, "detach") else a, dtype=float) for a in args]
    return repr([np.round(p.ravel(), 9).tolist() for p in plain])


def predicted_table(seed: int, name: str) -> dict[str, dict[str, Any]]:
    """Every answer the grader will ask `name` for, computed offline from its public code."""
    table: dict[str, dict[str, Any]] = {}
    for exercise_id in _EXERCISES:
        entry, solution = find_exercise(exercise_id), _solution(exercise_id)
        for check in entry.checks:
            rng = np.random.default_rng(derive_seed(seed, name, entry.test_name(check)))
            answers = table.setdefault(check.function, {})
            for case in check.cases(rng, cuda=False):
                args = tuple(_child_value(arg) for arg in case.args)
                answers[_key(args)] = _plain(getattr(solution, check.function)(*args))
    return table


@pytest.fixture
def lookup_submission(tmp_path: Path) -> Path:
    source = _LOOKUP.format(table=json.dumps(predicted_table(DEFAULT_SEED, NAME)))
    folder = tmp_path / NAME / "exercises"
    folder.mkdir(parents=True)
    for exercise_id in _EXERCISES:
        (folder / find_exercise(exercise_id).filename).write_text(source, encoding="utf-8")
    return folder


def _verdicts(folder: Path, settings: Settings) -> dict[str, Verdict]:
    exercises = [find_exercise(e) for e in _EXERCISES]
    result = grade(folder, name=NAME, exercises=exercises, settings=settings)
    return {test.test: test.verdict for test in result.tests}


def test_predicted_answers_pass_only_against_the_public_seed(
    lookup_submission: Path, tmp_path: Path
) -> None:
    public = Settings(limits=FAST.limits, cuda=False)
    assert set(_verdicts(lookup_submission, public).values()) == {Verdict.PASSED}, (
        "the attack itself must work against predictable inputs, or this test proves nothing"
    )
    source = for_grading(tmp_path / "out", environ={})
    secret = Settings(seed=source.settings.seed, secret=source.settings.secret,
                      limits=FAST.limits, cuda=False)
    graded = _verdicts(lookup_submission, secret)
    assert set(graded.values()) == {Verdict.FAILED}, graded


def test_the_secret_is_drawn_once_kept_private_and_reused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = for_grading(out, environ={})
    kept = out / SECRET_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert not first.predictable and len(first.settings.secret) >= 32
    again = for_grading(out, environ={})
    assert again.settings == first.settings  # a re-run draws the same inputs
    other = for_grading(tmp_path / "elsewhere", environ={})
    assert other.settings.secret != first.settings.secret
    assert first.settings.seed == identity(first.settings.secret)
    assert first.settings.secret.hex() not in str(first.settings.seed)


def test_the_inputs_depend_on_the_secret_not_only_on_public_values() -> None:
    test = "04_sigmoid_delta:sigmoid"
    public = derive_seed(DEFAULT_SEED, NAME, test)
    keyed = derive_seed(DEFAULT_SEED, NAME, test, b"k" * 32)
    assert keyed != public
    assert keyed != derive_seed(DEFAULT_SEED, NAME, test, b"j" * 32)


def test_seed_secret_file_and_environment_take_precedence_in_that_order(tmp_path: Path) -> None:
    shared = tmp_path / "class.secret"
    shared.write_text("s" * 40 + "\n", encoding="utf-8")
    environ = {SECRET_ENV: "e" * 40}
    explicit = for_grading(tmp_path / "a", seed=7, secret_file=shared, environ=environ)
    assert explicit.predictable and explicit.settings.seed == 7 and not explicit.settings.secret
    assert for_grading(tmp_path / "a", secret_file=shared, environ=environ).settings.secret \
        == b"s" * 40
    assert for_grading(tmp_path / "a", environ=environ).settings.secret == b"e" * 40
    assert not (tmp_path / "a" / SECRET_FILE).exists()  # nothing drawn when one was given


def test_a_short_secret_is_a_usage_error(tmp_path: Path) -> None:
    from grader.errors import UsageError

    with pytest.raises(UsageError, match="16 to"):
        for_grading(tmp_path / "out", environ={SECRET_ENV: "hunter2"})


def test_ci_without_a_secret_is_preliminary() -> None:
    assert for_ci({}).predictable
    keyed = for_ci({SECRET_ENV: "x" * 32})
    assert not keyed.predictable and keyed.settings.secret == b"x" * 32
