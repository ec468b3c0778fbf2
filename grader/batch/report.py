"""Writes the class report (report.html, report/*.png) of a run from its all_results.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.batch.names import inside
from grader.errors import UsageError
from grader.i18n import _
from grader.model import SubmissionResult
from grader.render.html import FEEDBACK_PAGE, feedback_page
from grader.report.charts import draw_charts
from grader.report.page import report_page
from grader.report.stats import class_stats

__all__ = ["write_report"]


def write_report(out: Path) -> Path:
    """Read `all_results.json` in `out`; write `report.html` and its PNG charts beside it.

    A submission whose feedback page is missing (a folder graded before there were pages)
    gets one, so that every link in the report leads somewhere.
    """
    source = out / "all_results.json"
    try:
        data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
        results = [SubmissionResult.from_dict(s) for s in data["submissions"]]
        tests = [str(test) for test in data["tests"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            _("{source} cannot be read ({error})").format(source=source, error=exc),
            next_step=_("run `descent grade … --out DIR` first, then report DIR"),
        ) from exc
    for result in results:
        feedback = inside(out, result.name, FEEDBACK_PAGE)
        if not feedback.exists():
            feedback.parent.mkdir(exist_ok=True)
            feedback.write_text(feedback_page(result), encoding="utf-8")
    stats = class_stats(results, tests)
    charts = inside(out, "report")
    charts.mkdir(exist_ok=True)
    draw_charts(charts, stats, results)
    page = inside(out, "report.html")
    page.write_text(report_page(data, stats, results), encoding="utf-8")
    return page
