"""The tutor in Chinese: course texts, stubs swapped in, every word through the catalogue,
and CJK text measured in cells so borders and columns stay aligned."""

from __future__ import annotations

import gettext
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

import grader.i18n
from grader.course import CATALOG, find_exercise
from grader.course_stubs import stub_text
from grader.i18n import set_language
from tui.app import DescentApp
from tui.screens.help import HelpScreen, help_text
from tui.state import ExerciseState, Status, TestState
from tui.widgets.exercise_list import ExerciseList, entry_prompt, fit

MakeApp = Callable[..., DescentApp]
Settle = Callable[..., Awaitable[None]]
TextOf = Callable[[DescentApp, str], str]
SnapCompare = Callable[..., bool]
Fake = Callable[..., Any]

SIZE = (120, 40)
REPO = Path(__file__).resolve().parents[2]
# Every exercise of the course ships a Chinese stub (all nine are swapped in).
CHINESE_STUBS = tuple(entry.id for entry in CATALOG)


class _Marked(gettext.NullTranslations):
    """A stand-in catalogue that brackets every message it is asked for: whatever shows on
    screen unbracketed did not go through the catalogue."""

    def gettext(self, message: str) -> str:
        return f"⟪{message}⟫"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟪{singular if n == 1 else plural}⟫"


@pytest.fixture
def chinese() -> Iterator[None]:
    """Chinese for the test (course texts and whatever the catalogue holds); English after."""
    set_language("zh")
    yield
    set_language("en")


@pytest.fixture
def chinese_results(chinese: None, monkeypatch: pytest.MonkeyPatch, fake: Fake) -> None:
    """The fake grader's canned results as the real grader words them in Chinese (its
    English texts would otherwise stand in a Chinese screen): from the catalogue's own
    messages, so a snapshot shows what a student reads."""
    from grader.i18n import _, ngettext
    from grader.model import Diagnosis
    # The conftest module pytest loaded (the one whose CANNED the fake grader reads).
    CANNED = sys.modules[fake.__module__].CANNED

    equal = _("{answer} equals the truth ({method}).")
    for test, answer in (("01_quadratic:derivative", "x + 2"), ("01_quadratic:minimizer", "-2"),
                         ("01_quadratic:general_derivative", "2*a*x + b"),
                         ("01_quadratic:general_minimizer", "-b/(2*a)"),
                         ("02_partials:df_dx", "4*x + 4*y"), ("02_partials:df_dy", "4*x + 2"),
                         ("02_partials:dE_db", "1/m*Sum(b + w*X[i] - Y[i], (i, 1, m))")):
        monkeypatch.setitem(CANNED, test, {**CANNED[test], "rationale": equal.format(
            answer=answer, method="SymPy")})
    matched = ngettext("The case matches the truth (relative tolerance {rtol}).",
                       "All {count} cases match the truth (relative tolerance {rtol}).", 4)
    monkeypatch.setitem(CANNED, "03_update_step:step", {
        **CANNED["03_update_step:step"], "rationale": matched.format(count=4, rtol="1e-06")})
    wrong = _("Wrong on {count} of {total} cases; first on {label}: {problem}.")
    differ = _("values differ from the truth (largest error {error})")
    monkeypatch.setitem(CANNED, "03_update_step:descend", {
        **CANNED["03_update_step:descend"],
        "rationale": wrong.format(count=4, total=4, label="seed 000", problem=_(
            "at index {index}: {problem}").format(index=1, problem=differ.format(error=2))),
        "diagnosis": Diagnosis("ascent-instead-of-descent",
                               _("Each update must subtract lr·grad_fn(w)."))})
    monkeypatch.setitem(CANNED, "04_sigmoid_delta:sigmoid", {
        **CANNED["04_sigmoid_delta:sigmoid"], "rationale": matched.format(count=5, rtol="1e-06")})
    monkeypatch.setitem(CANNED, "04_sigmoid_delta:sigmoid_prime", {
        **CANNED["04_sigmoid_delta:sigmoid_prime"],
        "rationale": wrong.format(count=4, total=5, label=_("a random array of shape (6,)"),
                                  problem=differ.format(error=0.87)),
        "diagnosis": Diagnosis("sigma-instead-of-sigma-prime", _(
            "You returned σ(h) itself; the derivative is σ(h)·(1 − σ(h))."))})
    monkeypatch.setitem(CANNED, "04_sigmoid_delta:delta_w", {
        **CANNED["04_sigmoid_delta:delta_w"], "rationale": _(
            "{function}() raised {error} (line {line}) on {case}: {message}").format(
            function="delta_w", error="ZeroDivisionError", line=41, case="seed 004",
            message="float division by zero")})


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Chinese course texts, and program messages from the bracketing catalogue."""
    monkeypatch.setattr(grader.i18n, "_load", lambda code: _Marked())
    set_language("zh")
    yield
    monkeypatch.undo()
    set_language("en")


def _render(renderable: Any, width: int = 100) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.mark.anyio
async def test_list_shows_chinese_titles_and_the_swapped_stubs(chinese: None, make_app: MakeApp,
                                                               settle: Settle,
                                                               course: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        listing = app.screen.query_one(ExerciseList)
        prompts = [str(listing.get_option_at_index(k).prompt) for k in range(len(CATALOG))]
        for entry, prompt in zip(CATALOG, prompts, strict=True):
            assert fit(entry.text("zh").title, 38) in prompt
        assert "梯度下降的更新" in prompts[2]
        notices = [n.message for n in app._notifications]
        assert any("exercises/01_quadratic.py" in n and ".descent/stubs/" in n for n in notices)
        assert any(all(f"exercises/{e}.py" in n for e in CHINESE_STUBS) for n in notices)
    for exercise_id in CHINESE_STUBS:  # untouched English stubs became the Chinese ones
        text = (course / "exercises" / f"{exercise_id}.py").read_text(encoding="utf-8")
        assert text == stub_text(exercise_id, "zh")


@pytest.mark.anyio
async def test_failing_test_shows_chinese_task_diagnosis_and_hint(chinese: None,
                                                                  make_app: MakeApp,
                                                                  settle: Settle,
                                                                  text_of: TextOf) -> None:
    entry = find_exercise("03_update_step")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "h")
        header, tests = text_of(app, "#detail-header"), text_of(app, "#detail-tests")
        assert "梯度下降的更新" in header and entry.text("zh").summary[:20] in header
        assert entry.text("zh").tasks["descend"][:20] in tests
        assert "ascent-instead-of-descent" in tests  # diagnosis ids stay English
        assert entry.text("zh").hints["descend"][0][:20] in tests
        assert entry.text("en").hints["descend"][0][:20] not in tests


@pytest.mark.anyio
async def test_every_tutor_word_goes_through_the_catalogue(marked: None, make_app: MakeApp,
                                                           settle: Settle, text_of: TextOf,
                                                           fake: Fake) -> None:
    app = make_app(fake(hold=["05_torch_gradients"]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, until=lambda: app.tutor["04_sigmoid_delta"].checks_done > 0)
        screen = app.screen
        assert screen.query_one("#exercises").border_title == "⟪exercises⟫"
        assert screen.query_one("#detail").border_title == "⟪details⟫"
        footer = [b.binding.description for b in screen.active_bindings.values()
                  if b.binding.show]
        assert footer and all(d.startswith("⟪") for d in footer), footer
        counts = str(screen.query_one("#counts", Static).render())
        assert counts.count("⟪") == 2 and "⟪grader: {state}⟫" not in counts
        assert str(screen.query_one("#grader", Static).render()) == "⟪grader: ⟪ready⟫⟫"
        for state in app.tutor.exercises:
            assert state.status.label == f"⟪{state.status.value}⟫"
        await pilot.press("j", "j", "h")
        tests = text_of(app, "#detail-tests")
        assert "⟪⟪hint 1 of 3⟫: ⟫" in tests and "⟪press h for hint 2 of 3⟫" in tests
        header = text_of(app, "#detail-header")
        assert "⟪{points} points⟫" not in header and "points⟫" in header
        assert f"⟪{Status.FAILING.value}⟫" in header
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_lines = [line for line in _render(help_text()).splitlines() if line.strip()]
        assert len(help_lines) > 10
        for line in help_lines:  # outside the brackets: keys and symbols only, no words
            assert not re.search(r"[A-Za-z]{2,}", re.sub(r"⟪[^⟫]*⟫", "", line)), line


@pytest.mark.parametrize("title", ["线性回归：显式解与小批量梯度下降再加上一些很长的中文字",
                                   "梯度下降的更新", "sigmoid 神经元的 delta 规则",
                                   "A very long English title that cannot fit in the list"])
def test_list_entries_are_measured_in_cells(chinese: None, title: str) -> None:
    entry = next(e for e in CATALOG if e.id == "03_update_step")
    state = ExerciseState(
        _info_with_title(entry.id, title), [TestState(t, f"{entry.id}:{t.function}")
                                            for t in _info_with_title(entry.id, title).tests])
    head, tail = entry_prompt(state, width=40).plain.split("\n")
    assert cell_len(head) == 40  # status and points flush right, whatever the words' width
    assert cell_len(tail) <= 40 and tail.startswith("  ")
    assert tail.strip() == title or (tail.endswith("…") and cell_len(tail) >= 38)


def _info_with_title(exercise_id: str, title: str) -> Any:
    from dataclasses import replace

    from tui.outline import outline_from_catalog

    info = next(i for i in outline_from_catalog(CATALOG).exercises if i.id == exercise_id)
    return replace(info, title=title)


# --- snapshots: what the real catalogue makes of the Chinese tutor -------------------------


def _settled(app: DescentApp, settle: Settle, done: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(app, pilot, until=lambda: app.tutor[done].checks_done > 0)
        app.clear_notifications()  # the stub notice is asserted above; keep frames steady

    return run_before


def test_snapshot_chinese_list(chinese_results: None, snap_compare: SnapCompare, make_app: MakeApp,
                               settle: Settle, fake: Fake) -> None:
    app = make_app(fake(hold=["09_autodiff"]))
    assert snap_compare(app, terminal_size=SIZE,
                        run_before=_settled(app, settle, "08_backprop"))


def test_snapshot_chinese_failing_test_with_diagnosis_and_hint(chinese_results: None,
                                                               snap_compare: SnapCompare,
                                                               make_app: MakeApp, settle: Settle,
                                                               fake: Fake) -> None:
    app = make_app(fake(hold=["09_autodiff"]))
    assert snap_compare(app, terminal_size=SIZE, press=["j", "j", "h"],
                        run_before=_settled(app, settle, "08_backprop"))


def test_snapshot_chinese_help(chinese: None, snap_compare: SnapCompare, make_app: MakeApp,
                               fake: Fake) -> None:
    app = make_app(fake(hold=["09_autodiff"]), check_on_start=False)
    assert snap_compare(app, terminal_size=SIZE, press=["question_mark"])


# --- the real command in a real terminal -------------------------------------------------


def _cell(line: str, column: int) -> str:
    """The character covering terminal cell `column` of a captured line."""
    width = 0
    for char in line:
        width += cell_len(char)
        if width > column:
            return char
    return ""


@pytest.mark.skipif(shutil.which("tmux") is None, reason="the real-terminal test needs tmux")
def test_descent_in_chinese_in_tmux_keeps_borders_aligned(course: Path) -> None:
    from test_terminal import _descent, _wait  # the same command and wait as the English test

    socket = f"descent-zh-test-{os.getpid()}"  # a private tmux server: never the user's
    tmux = ["tmux", "-L", socket]
    env = dict(os.environ, DESCENT_LANG="zh", LANG="zh_CN.UTF-8",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                        os.environ.get("PYTHONPATH")])))
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", "-c", str(course),
                    _descent()], check=True, env=env)

    def screen() -> list[str]:
        shown = subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True)
        return shown.stdout.splitlines()

    titles = [entry.text("zh").title for entry in CATALOG[:5]]
    try:
        assert _wait(lambda: all(t in "\n".join(screen()) for t in titles), 20), screen()
        lines = screen()
        body = [line for line in lines if line[:1] in "╭│╰"]
        assert len(body) > 20, lines
        right = max(cell_len(line.split("╮", 1)[0]) for line in body if "╮" in line)
        for line in body:  # the list's right border sits in the same cell on every row
            assert _cell(line, right) in "╮│╯", (right, line)
            assert cell_len(line) <= 120, line
        assert (course / "exercises" / "01_quadratic.py").read_text(
            encoding="utf-8") == stub_text("01_quadratic", "zh")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
