"""The class report's HTML: summary figures, charts, the errored list, per test, per student."""

from __future__ import annotations

import json
from typing import Any

from grader.i18n import _
from grader.model import SubmissionResult, Verdict
from grader.render.feedback import verdict_word
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
    th.tabIndex = 0; th.title = @SORT_TITLE@;
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
        f"<h1>{esc(_('Class report'))}</h1>",
        _summary(meta, stats, results),
        _charts(),
        _problems(stats),
        _per_test(stats),
        _students(results),
    ])
    script = _SORT_SCRIPT.replace(
        "@SORT_TITLE@", json.dumps(_("sort by this column"), ensure_ascii=False))
    return page(_("descent class report"), body, style=_STYLE, script=script)


def _card(value: str, label: str) -> str:
    return f'<div class="card"><b>{esc(value)}</b><span>{esc(label)}</span></div>'


def _summary(meta: dict[str, Any], stats: ClassStats, results: list[SubmissionResult]) -> str:
    isolation = sorted({r.isolation for r in results}) or ["—"]
    cards = "".join([
        _card(str(stats.count), _("submissions")),
        _card(f"{stats.mean:.2f}", _("mean score / {top:g}").format(top=stats.max_score)),
        _card(f"{stats.median:g}", _("median score / {top:g}").format(top=stats.max_score)),
        _card(str(stats.full_marks), _("full marks")),
        _card(str(len(stats.problems)), _("with errors")),
    ])
    about = esc(_("Grader descent {version} (fingerprint {fingerprint}) · student code ran "
                  "under {isolation} · inputs seed fingerprint {seed}").format(
        version=meta.get("grader_version"), fingerprint="\0", isolation=", ".join(isolation),
        seed="\1"))
    # The fingerprints are set in <code> after escaping the sentence around them.
    about = about.replace("\0", f'<code>{esc(meta.get("grader_fingerprint"))}</code>')
    about = about.replace("\1", f'<code>{esc(meta.get("seed"))}</code>')
    return f'<div class="cards">{cards}</div>\n<p class="muted">{about}</p>'


def _charts() -> str:
    figures = "".join(
        f'<figure class="{"wide" if wide else "half"}"><img src="report/{stem}.png" '
        f'alt="{esc(_(alt))}"></figure>' for stem, (alt, wide) in CHARTS.items())
    return f'<div class="charts">{figures}</div>'


def _problems(stats: ClassStats) -> str:
    head = f"<h2>{esc(_('Submissions with errors'))}</h2>"
    if not stats.problems:
        return head + '<p class="muted">{}</p>'.format(
            esc(_("None: every submission was graded to the end.")))
    rows = "".join(
        f'<tr><td><a href="{feedback_href(p.name)}">{esc(p.name)}</a></td>'
        f'<td class="num">{p.tests}</td><td class="nowrap"><code>{esc(p.first_test)}</code></td>'
        f"<td>{esc(p.why)}</td></tr>"
        for p in stats.problems)
    explain = esc(_("A crash, a timeout, a refused or unreadable upload: the first error's "
                    "reason is shown; the feedback page has every test."))
    return (head + f'<p class="muted">{explain}</p>'
            f'<table><thead><tr><th>{esc(_("submission"))}</th>'
            f'<th class="num">{esc(_("tests with errors"))}</th>'
            f"<th>{esc(_('first'))}</th><th>{esc(_('why'))}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _per_test(stats: ClassStats) -> str:
    columns = list(Verdict)
    head = "".join(f'<th class="num">{verdict_badge(v, verdict_word(v))}</th>'
                   for v in columns)
    rows = []
    for test in stats.tests:
        cells = "".join(
            f'<td class="num">{stats.verdicts[test][v]} '
            f'<span class="muted">({100 * stats.share(test, v):.0f}%)</span></td>'
            for v in columns)
        mistakes = "".join(
            f"<li><b>{esc(m.name)}</b> ({m.count}) "
            f'<span class="muted">{esc(_("e.g. {example}").format(example=m.example))}'
            "</span></li>"
            for m in stats.mistakes.get(test, []))
        found = f"<ul>{mistakes}</ul>" if mistakes else '<span class="muted">—</span>'
        rows.append(f'<tr><td class="nowrap"><code>{esc(test)}</code></td>{cells}'
                    f"<td>{found}</td></tr>")
    explain = esc(_("How many submissions got each verdict; not attempted (missing, or the "
                    "stub untouched) is counted apart from failed."))
    return (f"<h2>{esc(_('Per test'))}</h2><p class=\"muted\">{explain}</p>"
            f"<table><thead><tr><th>{esc(_('test'))}</th>{head}"
            f"<th>{esc(_('most common recognised mistakes'))}</th>"
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
            f"{verdict_badge(Verdict(state.replace(' ', '_')), _(state))}</td>"
            f'<td class="num" data-sort="{result.execution_time:.3f}">'
            f"{result.execution_time:.2f} s</td></tr>")
    explain = esc(_("Click a column heading to sort; a name opens that submission's feedback "
                    "page."))
    return (f'<h2>{esc(_("Students"))}</h2><p class="muted">{explain}</p>'
            f'<table class="sortable"><thead><tr><th>{esc(_("submission"))}</th>'
            f'<th class="num">{esc(_("score"))}</th><th>{esc(_("status"))}</th>'
            f'<th class="num">{esc(_("grading time"))}</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")
