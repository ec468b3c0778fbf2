"""The class report's HTML: summary figures, charts, the errored list, per test, per student."""

from __future__ import annotations

from typing import Any

from grader.model import SubmissionResult, Verdict
from grader.render.html import esc, feedback_href, page, verdict_badge
from grader.render.status import STATUSES, submission_status
from grader.report.charts import CHARTS
from grader.report.stats import ClassStats

__all__ = ["report_page"]

# Sorting the student table by a click: a few lines, no library. Without script the table
# reads the same, only unsorted. A cell's data-sort (numbers, status rank) sorts before its text.
_SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, column) {
    th.tabIndex = 0; th.title = "sort by this column";
    function sort() {
      var up = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var key = function (row) {
        var cell = row.cells[column];
        return cell.dataset.sort !== undefined ? parseFloat(cell.dataset.sort) : cell.textContent;
      };
      var rows = Array.from(table.tBodies[0].rows).sort(function (a, b) {
        var x = key(a), y = key(b);
        var order = typeof x === "number" ? x - y : x.localeCompare(y);
        return up ? order : -order;
      });
      rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });
});
"""

_STYLE = """
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(24rem,1fr));gap:1rem;
align-items:start}.charts figure{margin:0;border:1px solid #d0d7de;border-radius:8px;
padding:.5rem;background:#fff}.charts figure.wide{grid-column:1/-1}
.charts img{max-width:100%;height:auto;display:block;margin:auto}
td.nowrap,td.num{white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" ▲"}
table.sortable th[aria-sort=descending]::after{content:" ▼"}
"""

def report_page(meta: dict[str, Any], stats: ClassStats,
                results: list[SubmissionResult]) -> str:
    """The whole page; `meta` is what all_results.json says about the run."""
    body = "\n".join([
        "<h1>Class report</h1>",
        _summary(meta, stats, results),
        _charts(),
        _problems(stats),
        _per_test(stats),
        _students(results),
    ])
    return page("descent class report", body, style=_STYLE, script=_SORT_SCRIPT)


def _card(value: str, label: str) -> str:
    return f'<div class="card"><b>{esc(value)}</b><span>{esc(label)}</span></div>'


def _summary(meta: dict[str, Any], stats: ClassStats, results: list[SubmissionResult]) -> str:
    isolation = sorted({r.isolation for r in results}) or ["—"]
    cards = "".join([
        _card(str(stats.count), "submissions"),
        _card(f"{stats.mean:.2f}", f"mean score / {stats.max_score:g}"),
        _card(f"{stats.median:g}", f"median score / {stats.max_score:g}"),
        _card(str(stats.full_marks), "full marks"),
        _card(str(len(stats.problems)), "with errors"),
    ])
    return (f'<div class="cards">{cards}</div>\n'
            f'<p class="muted">Grader descent {esc(meta.get("grader_version"))} '
            f'(fingerprint <code>{esc(meta.get("grader_fingerprint"))}</code>) · '
            f'student code ran under {esc(", ".join(isolation))} · '
            f'inputs seed fingerprint <code>{esc(meta.get("seed"))}</code></p>')


def _charts() -> str:
    figures = "".join(
        f'<figure class="{"wide" if wide else "half"}"><img src="report/{stem}.png" '
        f'alt="{esc(alt)}"></figure>' for stem, (alt, wide) in CHARTS.items())
    return f'<div class="charts">{figures}</div>'


def _problems(stats: ClassStats) -> str:
    head = "<h2>Submissions with errors</h2>"
    if not stats.problems:
        return head + '<p class="muted">None: every submission was graded to the end.</p>'
    rows = "".join(
        f'<tr><td><a href="{feedback_href(p.name)}">{esc(p.name)}</a></td>'
        f'<td class="num">{p.tests}</td><td class="nowrap"><code>{esc(p.first_test)}</code></td>'
        f"<td>{esc(p.why)}</td></tr>"
        for p in stats.problems)
    return (head + '<p class="muted">A crash, a timeout, a refused or unreadable upload: '
            "the first error's reason is shown; the feedback page has every test.</p>"
            '<table><thead><tr><th>submission</th><th class="num">tests with errors</th>'
            f"<th>first</th><th>why</th></tr></thead><tbody>{rows}</tbody></table>")


def _per_test(stats: ClassStats) -> str:
    columns = list(Verdict)
    head = "".join(f'<th class="num">{verdict_badge(v, v.value.replace("_", " "))}</th>'
                   for v in columns)
    rows = []
    for test in stats.tests:
        cells = "".join(
            f'<td class="num">{stats.verdicts[test][v]} '
            f'<span class="muted">({100 * stats.share(test, v):.0f}%)</span></td>'
            for v in columns)
        mistakes = "".join(
            f"<li><b>{esc(m.name)}</b> ({m.count}) "
            f'<span class="muted">e.g. {esc(m.example)}</span></li>'
            for m in stats.mistakes.get(test, []))
        found = f"<ul>{mistakes}</ul>" if mistakes else '<span class="muted">—</span>'
        rows.append(f'<tr><td class="nowrap"><code>{esc(test)}</code></td>{cells}'
                    f"<td>{found}</td></tr>")
    return ("<h2>Per test</h2><p class=\"muted\">How many submissions got each verdict; "
            "<i>not attempted</i> (missing, or the stub untouched) is counted apart from "
            "<i>failed</i>.</p>"
            f"<table><thead><tr><th>test</th>{head}<th>most common recognised mistakes</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _students(results: list[SubmissionResult]) -> str:
    rows = []
    for result in results:
        state = submission_status(result)
        rows.append(
            f'<tr><td><a href="{feedback_href(result.name)}">{esc(result.name)}</a></td>'
            f'<td class="num" data-sort="{result.score:g}">'
            f"{result.score:g} / {result.max_score:g}</td>"
            f'<td data-sort="{STATUSES.index(state)}">'
            f"{verdict_badge(Verdict(state.replace(' ', '_')), state)}</td>"
            f'<td class="num" data-sort="{result.execution_time:.3f}">'
            f"{result.execution_time:.2f} s</td></tr>")
    return ('<h2>Students</h2><p class="muted">Click a column heading to sort; a name opens '
            "that submission's feedback page.</p>"
            '<table class="sortable"><thead><tr><th>submission</th><th class="num">score</th>'
            '<th>status</th><th class="num">grading time</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")
