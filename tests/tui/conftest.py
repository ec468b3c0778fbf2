"""Fixtures for the tutor's tests: a temporary course, canned grader results, an app factory."""

from __future__ import annotations

import asyncio
import io
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Static

from grader.course import CATALOG
from grader.model import CheckResult, Counterexample, Diagnosis, SubmissionResult, Verdict
from tui.app import DescentApp
from tui.grading import GradingError
from tui.outline import outline_from_catalog

REPO = Path(__file__).resolve().parents[2]

_SEED000_ASCENT = [3.0, 4.0, 5.2, 6.64, 8.368, 10.4416, 12.92992, 15.915904, 19.499085,
                   23.798902, 28.958682]
_SEED000_TRUTH = [3.0, 2.0, 1.2, 0.56, 0.048, -0.3616, -0.68928, -0.951424, -1.1611392,
                  -1.3289114, -1.4631291]
_H = [-4.1, -2.3, -0.7, 0.4, 1.9, 3.6]

# What the fake grader says about each test; every other test is "not attempted".
CANNED: dict[str, dict[str, Any]] = {
    "01_quadratic:derivative": {"verdict": Verdict.PASSED,
                                "rationale": "x + 2 equals the truth (structural)."},
    "01_quadratic:minimizer": {"verdict": Verdict.PASSED, "rationale": "-2 equals the truth."},
    "01_quadratic:general_derivative": {"verdict": Verdict.PASSED,
                                        "rationale": "2*a*x + b equals the truth."},
    "01_quadratic:general_minimizer": {"verdict": Verdict.PASSED,
                                       "rationale": "-b/(2*a) equals the truth."},
    "02_partials:df_dx": {"verdict": Verdict.PASSED, "rationale": "4*x + 4*y equals the truth."},
    "02_partials:df_dy": {"verdict": Verdict.PASSED, "rationale": "4*x + 2 equals the truth."},
    "02_partials:dE_dw": {"verdict": Verdict.UNDECIDED,
                          "rationale": "Could not decide within the time limit: the answer "
                          "agrees on 20 random points but did not simplify to the truth."},
    "02_partials:dE_db": {"verdict": Verdict.PASSED, "rationale": "Equals the truth."},
    "03_update_step:step": {"verdict": Verdict.PASSED,
                            "rationale": "All 4 cases match the truth (relative tolerance 1e-06)."},
    "03_update_step:descend": {
        "verdict": Verdict.FAILED,
        "rationale": "Wrong on 4 of 4 cases; first on seed 000: at index 1: values differ "
        "from the truth (largest error 2).",
        "counterexample": Counterexample(
            {"grad_fn": "grad_fn(w) = 1·w + 2", "w0": 3.0, "lr": 0.2, "steps": 10},
            _SEED000_TRUTH, _SEED000_ASCENT),
        "diagnosis": Diagnosis("ascent-instead-of-descent",
                               "Each update must subtract lr·grad_fn(w)."),
    },
    "04_sigmoid_delta:sigmoid": {"verdict": Verdict.PASSED, "rationale": "All 5 cases match."},
    "04_sigmoid_delta:sigmoid_prime": {
        "verdict": Verdict.FAILED,
        "rationale": "Wrong on 4 of 5 cases; first on a random array of shape (6,).",
        "counterexample": Counterexample(
            {"h": _H}, [0.0159, 0.0835, 0.2217, 0.2403, 0.1150, 0.0266],
            [0.0163, 0.0911, 0.3318, 0.5987, 0.8699, 0.9734]),
        "diagnosis": Diagnosis("sigma-instead-of-sigma-prime",
                               "You returned σ(h) itself; the derivative is σ(h)·(1 − σ(h))."),
    },
    "04_sigmoid_delta:delta_w": {
        "verdict": Verdict.ERROR,
        "rationale": "delta_w raised ZeroDivisionError: float division by zero (line 41).",
    },
}


def canned_result(exercise_ids: Sequence[str]) -> SubmissionResult:
    """A deterministic SubmissionResult for the given exercises, with catalog points."""
    tests = []
    for entry in CATALOG:
        if entry.id not in exercise_ids:
            continue
        for check in entry.checks:
            spec = dict(CANNED.get(entry.test_name(check), {
                "verdict": Verdict.NOT_ATTEMPTED,
                "rationale": f"{check.function}() still raises NotImplementedError.",
            }))
            verdict = spec.pop("verdict")
            tests.append(CheckResult(
                entry.id, check.function, verdict,
                float(check.points) if verdict is Verdict.PASSED else 0.0, float(check.points),
                hints=() if verdict is Verdict.PASSED else ("tier",) * 3, **spec))
    return SubmissionResult("local", tuple(tests), 0.01, "test", 0, "none")


class FakeClient:
    """A grader that answers from CANNED at once; `hold` exercises never get an answer."""

    def __init__(self, *, hold: Sequence[str] = (), fail: Sequence[str] = (),
                 answer: Callable[[Sequence[str]], SubmissionResult] = canned_result) -> None:
        self.state = "ready"
        self.requests: list[list[str]] = []
        self._hold, self._fail, self._answer = set(hold), set(fail), answer

    async def start(self) -> None:
        return None

    async def grade(self, exercises_dir: Path, exercises: Sequence[str]) -> SubmissionResult:
        self.requests.append(list(exercises))
        if self._hold & set(exercises):
            await asyncio.Event().wait()  # stays "checking" for as long as the test runs
        if self._fail & set(exercises):
            raise GradingError("the grading process stopped (exit code -9); it will be restarted")
        return self._answer(exercises)

    async def close(self) -> None:
        self.state = "stopped"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A fresh course folder holding a copy of the bundled exercises/."""
    shutil.copytree(REPO / "exercises", tmp_path / "exercises")
    return tmp_path


@pytest.fixture
def make_app(course: Path) -> Callable[..., DescentApp]:
    """Build the tutor on the temporary course; a FakeClient and no watching by default."""

    def build(client: Any = None, *, watch: bool = False, **options: Any) -> DescentApp:
        return DescentApp(course, client=client if client is not None else FakeClient(),
                          outline=outline_from_catalog(CATALOG), watch=watch, **options)

    return build


async def _settle(app: DescentApp, pilot: Any, *, timeout: float = 10.0,
                 until: Callable[[], bool] | None = None) -> None:
    """Pause until every exercise was checked and none is pending (or until `until` holds)."""
    done = until or (lambda: all(e.checks_done and not e.checking for e in app.tutor.exercises))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.02)
        if done():
            return
    raise AssertionError(f"the tutor did not settle within {timeout} s")


def _text_of(app: DescentApp, selector: str) -> str:
    """The plain text a Static shows, wrapped at 100 columns."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


@pytest.fixture
def text_of() -> Callable[[DescentApp, str], str]:
    """`text_of(app, "#detail-tests")`: what a Static on the screen says, as plain text."""
    return _text_of


@pytest.fixture
def settle() -> Callable[..., Any]:
    """`await settle(app, pilot)`: wait (bounded) until grading has caught up."""
    return _settle


@pytest.fixture
def fake() -> type[FakeClient]:
    """The FakeClient class, to build one with held or failing exercises."""
    return FakeClient


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio, as Textual does."""
    return "asyncio"
