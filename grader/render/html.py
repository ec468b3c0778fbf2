"""Standalone HTML pages: the page frame shared by the class report, and a student's feedback."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from grader.course import CATALOG
from grader.i18n import _, language, ngettext
from grader.model import CheckResult, SubmissionResult, Verdict
from grader.render.feedback import feedback_lines, headline, verdict_word

__all__ = ["FEEDBACK_PAGE", "esc", "feedback_href", "feedback_page", "page", "verdict_badge"]

FEEDBACK_PAGE = "feedback.html"

# One stylesheet for every page, inline: the pages are read offline, mailed, or opened from
# a zip, so they load nothing from anywhere.
_STYLE = """
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa;--passed:#1a7f37;
--failed:#cf222e;--error:#8250df;--undecided:#9a6700;--not_attempted:#6e7781}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);
max-width:72rem;margin:1.5rem auto;padding:0 1.25rem}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}h2{font-size:1.2rem;margin:1.8rem 0 .6rem;
border-bottom:1px solid var(--line);padding-bottom:.3rem}
.muted{color:var(--muted)}code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:var(--bg);padding:.5rem .7rem;border-radius:6px;white-space:pre-wrap;
overflow-wrap:anywhere;margin:.2rem 0}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .6rem;text-align:left;
vertical-align:top;overflow-wrap:anywhere}
th{background:var(--bg);font-weight:600}td.num,th.num{text-align:right;
font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.85em;color:#fff;
white-space:nowrap}
.b-passed{background:var(--passed)}.b-failed{background:var(--failed)}
.b-error{background:var(--error)}.b-undecided{background:var(--undecided)}
.b-not_attempted{background:var(--not_attempted)}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}
.card{border:1px solid var(--line);border-radius:8px;padding:.5rem .9rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}.card span{color:var(--muted);font-size:.85em}
.test{border:1px solid var(--line);border-radius:8px;padding:.5rem .8rem;margin:.5rem 0}
.test h3{font-size:1rem;margin:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.5rem 0 0}
dt{font-weight:600;color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
details{margin:.3rem 0}summary{cursor:pointer;color:var(--muted)}
"""


def esc(text: object) -> str:
    """Text made safe for HTML content and quoted attributes alike."""
    return escape(str(text), quote=True)


def feedback_href(name: str) -> str:
    """The relative link from OUT_DIR's report to one submission's feedback page."""
    return esc(f"{quote(name, safe='')}/{FEEDBACK_PAGE}")


_HTML_LANG = {"zh": "zh-CN"}  # the catalogue's zh is Simplified Chinese


def page(title: str, body: str, *, style: str = "", script: str = "") -> str:
    """A complete standalone document: inline style (the shared one, then `style`), an
    optional inline script, nothing loaded from anywhere."""
    tail = f"<script>{script}</script>\n" if script else ""
    return (f'<!doctype html>\n<html lang="{_HTML_LANG.get(language(), language())}"><head>'
            f'<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{_STYLE}{style}</style></head>\n"
            f"<body>\n{body}\n{tail}</body></html>\n")


def verdict_badge(verdict: Verdict, text: str) -> str:
    return f'<span class="badge b-{verdict.value}">{esc(text)}</span>'


def feedback_page(result: SubmissionResult) -> str:
    """One submission's feedback: every test's verdict, and under each miss the same lines
    as `descent check` prints, with every hint tier written out."""
    counts = {verdict: 0 for verdict in Verdict}
    for test in result.tests:
        counts[test.verdict] += 1
    tally = ", ".join(f"{n} {verdict_word(verdict)}" for verdict, n in counts.items() if n)
    notes = "".join(f"<p><b>{esc(_('Note:'))}</b> {esc(note)}</p>" for note in result.notes)
    # A submission that could not be graded at all (a broken zip, a timeout) has one reason
    # for every test: said once at the top, not once per test.
    reasons = {(t.verdict, t.rationale) for t in result.tests if not t.passed}
    whole = len(result.tests) > 1 and len(reasons) == 1 and not any(
        t.passed or t.counterexample or t.diagnosis or t.output or t.hints or t.notes
        for t in result.tests)
    if whole:
        notes += f"<p><b>{esc(_('Every test:'))}</b> {esc(next(iter(reasons))[1])}</p>"
    titles = {entry.id: entry.title for entry in CATALOG}
    sections = []
    for exercise, tests in result.by_exercise().items():
        earned = sum(t.score for t in tests)
        possible = sum(t.max_score for t in tests)
        title = f" — {esc(titles[exercise])}" if exercise in titles else ""
        sections.append(f'<h2><code>{esc(exercise)}</code>{title} '
                        f'<span class="muted">{earned:g}/{possible:g}</span></h2>\n'
                        + "\n".join(_test_block(test, brief=whole) for test in tests))
    graded = _("Graded by descent {version} · student code ran under {isolation} · inputs "
               "seed {seed}").format(version=result.grader_version,
                                     isolation=result.isolation, seed=result.seed)
    score = _("Score {score:g} / {max_score:g}").format(score=result.score,
                                                       max_score=result.max_score)
    body = (f"<h1>{esc(_('Feedback for {name}').format(name=result.name))}</h1>\n"
            f"<p><b>{esc(score)}</b> · {esc(tally)}</p>\n"
            f'<p class="muted">{esc(graded)}</p>\n'
            f"{notes}\n" + "\n".join(sections))
    return page(_("Feedback: {name}").format(name=result.name), body)


def _test_block(test: CheckResult, *, brief: bool = False) -> str:
    heading = (f"<h3>{esc(test.verdict.symbol)} <code>{esc(test.function)}</code> "
               f"{verdict_badge(test.verdict, headline(test))} "
               f'<span class="muted">{test.score:g}/{test.max_score:g}</span></h3>')
    if test.passed or brief:
        return f'<div class="test">{heading}</div>'
    rows = []
    for label, text in feedback_lines(test):
        if label == _("hint"):
            continue  # the command to ask for a hint; the page shows the hints themselves
        value = f"<pre>{esc(text)}</pre>" if label == _("printed") else esc(text)
        rows.append(f"<dt>{esc(label)}</dt><dd>{value}</dd>")
    return f'<div class="test">{heading}<dl>{"".join(rows)}</dl>{_hints(test)}</div>'


def _hints(test: CheckResult) -> str:
    if not test.hints:
        return ""
    tiers = next((entry.hints.get(test.function, ()) for entry in CATALOG
                  if entry.id == test.exercise), ())
    if not tiers:
        return ""
    items = "".join(f"<li>{esc(text)}</li>" for text in tiers)
    summary = ngettext("Hints ({count} tier, gentlest first)",
                       "Hints ({count} tiers, gentlest first)", len(tiers)).format(
        count=len(tiers))
    return f"<details><summary>{esc(summary)}</summary><ol>{items}</ol></details>"
