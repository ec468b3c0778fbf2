"""The tutor's data: the outline matches the catalog, statuses, and what the plots draw."""

from __future__ import annotations

import math
from pathlib import Path

from grader.checks import Case
from grader.course import CATALOG
from grader.course.ex03_update_step import SEED_000, trajectory
from grader.model import CheckResult, Counterexample, SubmissionResult, Verdict
from grader.progress import ProgressStore
from tui.outline import outline_from_catalog, outline_from_text
from tui.plots import plots_for, seed000_trajectory
from tui.state import Status, Tutor


def test_the_text_outline_matches_the_catalog_apart_from_points() -> None:
    fast, full = outline_from_text(), outline_from_catalog(CATALOG)
    assert [e.id for e in fast.exercises] == [e.id for e in full.exercises]
    for quick, entry in zip(fast.exercises, full.exercises, strict=True):
        assert (quick.title, quick.summary) == (entry.title, entry.summary)
        assert [(t.function, t.task, t.hints) for t in quick.tests] == \
            [(t.function, t.task, t.hints) for t in entry.tests]


def test_the_plotted_truth_is_the_graders_trajectory() -> None:
    truth = trajectory(Case("seed 000", (SEED_000, 3.0, 0.2, 10)))
    assert seed000_trajectory() == truth


def _result(function: str, verdict: Verdict, **extra: object) -> CheckResult:
    return CheckResult("03_update_step", function, verdict, 0.0, 2.0, "why", **extra)


def test_a_diverging_run_is_drawn_as_diverging_and_cut_at_infinity() -> None:
    actual = [3.0, 9.0, 81.0, 6561.0, "inf", "nan"]
    example = Counterexample({"grad_fn": "…", "w0": 3.0, "lr": 0.2, "steps": 10},
                             seed000_trajectory(), actual)
    path, loss = plots_for("03_update_step", [_result("descend", Verdict.FAILED,
                                                      counterexample=example)])
    student = next(s for s in path.series if s.role == "student")
    assert student.ys == (3.0, 9.0, 81.0, 6561.0)  # up to where it stops being finite
    assert all(math.isfinite(y) for s in loss.series for y in s.ys)


def test_a_passing_descend_plots_the_truth_as_the_students_run() -> None:
    path, _ = plots_for("03_update_step", [_result("descend", Verdict.PASSED)])
    truth, student = path.series
    assert truth.ys == student.ys and "passed" in path.note


def test_sigmoid_plots_show_the_students_points_where_it_went_wrong() -> None:
    example = Counterexample({"h": [[-1.0, 0.0], [1.0, 9.0]]}, [0.1, 0.2, 0.3, 0.4],
                             [0.5, 0.6, 0.7, 0.8])
    result = CheckResult("04_sigmoid_delta", "sigmoid_prime", Verdict.FAILED, 0.0, 1.0, "why",
                         counterexample=example)
    sigma, prime = plots_for("04_sigmoid_delta", [result])
    assert [s.role for s in sigma.series] == ["truth"]  # sigmoid not checked yet
    student = prime.series[1]
    assert student.xs == (-1.0, 0.0, 1.0) and student.ys == (0.5, 0.6, 0.7)  # 9.0 is off-grid


def test_statuses_and_points_come_from_results_and_are_remembered(tmp_path: Path) -> None:
    outline = outline_from_catalog(CATALOG)
    tutor = Tutor(outline, ProgressStore(tmp_path))
    assert all(e.status is Status.NOT_STARTED for e in tutor.exercises)
    tests = (CheckResult("03_update_step", "step", Verdict.PASSED, 1.0, 1.0, "ok"),
             CheckResult("03_update_step", "descend", Verdict.UNDECIDED, 0.0, 2.0, "?"))
    tutor.apply(SubmissionResult("local", tests, 0.0, "t", 0, "none"))
    assert tutor["03_update_step"].status is Status.UNDECIDED
    assert tutor["03_update_step"].selected_test.info.function == "descend"
    again = Tutor(outline, ProgressStore(tmp_path))
    assert again["03_update_step"].status is Status.UNDECIDED
    assert again.earned == 1.0
    assert again.possible == sum(entry.max_score for entry in CATALOG)  # the whole course
