"""The class report: an HTML page with plots of how the class did, written next to the results."""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

from grader.batch.names import inside
from grader.errors import UsageError

__all__ = ["write_report"]


def write_report(out: Path) -> Path:
    """Read `all_results.json` in `out`; write `report.html` and its PNG plots beside it."""
    source = out / "all_results.json"
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"{source} cannot be read ({exc})",
            next_step="run `descent grade … --out DIR` first, then report DIR",
        ) from exc
    submissions: list[dict[str, Any]] = data["submissions"]
    tests: list[str] = data["tests"]
    plots = inside(out, "report")
    plots.mkdir(exist_ok=True)
    _plots(plots, submissions, tests)
    page = inside(out, "report.html")
    page.write_text(_page(data, submissions, tests), encoding="utf-8")
    return page


def _plots(folder: Path, submissions: list[dict[str, Any]], tests: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = [s["score"] for s in submissions]
    top = max((s["max_score"] for s in submissions), default=1)
    figure, axes = plt.subplots(figsize=(7, 3.5))
    axes.hist(scores, bins=min(20, max(5, int(top) + 1)), range=(0, top), color="#4c72b0")
    axes.set(title="Score distribution", xlabel=f"score (out of {top:g})", ylabel="students")
    figure.tight_layout()
    figure.savefig(folder / "scores.png", dpi=110)
    plt.close(figure)

    rates = [_pass_rate(submissions, test) for test in tests]
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(tests) + 1.2))
    axes.barh(tests[::-1], [100 * r for r in rates[::-1]], color="#55a868")
    axes.set(title="Pass rate per test", xlabel="% of students passing", xlim=(0, 100))
    figure.tight_layout()
    figure.savefig(folder / "pass_rate.png", dpi=110)
    plt.close(figure)

    common = _diagnoses(submissions).most_common(12)
    figure, axes = plt.subplots(figsize=(7, 0.35 * max(len(common), 1) + 1.2))
    labels = [f"{test} · {name}" for (test, name), _ in common][::-1]
    axes.barh(labels or ["(no recognised mistakes)"], [n for _, n in common][::-1] or [0],
              color="#c44e52")
    axes.set(title="Most common recognised mistakes", xlabel="students")
    figure.tight_layout()
    figure.savefig(folder / "diagnoses.png", dpi=110)
    plt.close(figure)

    times = [s["execution_time"] for s in submissions]
    figure, axes = plt.subplots(figsize=(7, 3.5))
    axes.hist(times, bins=20, color="#8172b2")
    axes.set(title="Grading time per submission", xlabel="seconds", ylabel="submissions")
    figure.tight_layout()
    figure.savefig(folder / "times.png", dpi=110)
    plt.close(figure)


def _pass_rate(submissions: list[dict[str, Any]], test: str) -> float:
    verdicts = [t["verdict"] for s in submissions for t in s["tests"] if t["test"] == test]
    return sum(v == "passed" for v in verdicts) / len(verdicts) if verdicts else 0.0


def _diagnoses(submissions: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter(
        (t["test"], t["diagnosis"]["name"])
        for s in submissions
        for t in s["tests"]
        if t.get("diagnosis")
    )


def _page(data: dict[str, Any], submissions: list[dict[str, Any]], tests: list[str]) -> str:
    count = len(submissions)
    mean = sum(s["score"] for s in submissions) / count if count else 0.0
    top = max((s["max_score"] for s in submissions), default=0)
    diagnoses = _diagnoses(submissions)
    rows = []
    for test in tests:
        common = [(name, n) for (t, name), n in diagnoses.most_common() if t == test][:3]
        mistakes = "; ".join(f"{html.escape(name)} ({n})" for name, n in common) or "—"
        rows.append(f"<tr><td><code>{html.escape(test)}</code></td>"
                    f"<td>{100 * _pass_rate(submissions, test):.0f}%</td><td>{mistakes}</td></tr>")
    images = "".join(f'<figure><img src="report/{name}.png" alt="{alt}"></figure>'
                     for name, alt in [("scores", "score histogram"),
                                       ("pass_rate", "pass rate per test"),
                                       ("diagnoses", "most common mistakes"),
                                       ("times", "grading time per submission")])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>descent class report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}
figure{{display:inline-block;margin:.5rem}}img{{max-width:28rem}}</style></head><body>
<h1>Class report</h1>
<p>{count} submissions · mean score {mean:.2f} / {top:g} · grader
{html.escape(str(data.get("grader_version")))} ({html.escape(str(data.get("grader_fingerprint")))}),
seed {html.escape(str(data.get("seed")))}</p>
{images}
<h2>Per test: pass rate and what the class got wrong</h2>
<table><tr><th>test</th><th>pass rate</th><th>most common recognised mistakes</th></tr>
{"".join(rows)}</table>
</body></html>
"""
