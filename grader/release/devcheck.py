"""`descent dev check`: the author's check that stubs, solutions, catalog and release agree."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.course import CATALOG
from grader.course_stubs import stub_problems
from grader.course_texts import missing_translations
from grader.engine import Settings, grade
from grader.errors import DescentError
from grader.i18n import LANGUAGES, _
from grader.model import SubmissionResult
from grader.release.build import release
from grader.release.catalogue import catalogue_problems
from grader.release.leaks import find_leaks
from grader.render.feedback import headline

__all__ = ["Finding", "dev_check", "translation_findings"]


@dataclass(frozen=True)
class Finding:
    """One property of the course, with what breaks it (none: it holds)."""

    title: str
    detail: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def dev_check(course: Path, settings: Settings | None = None) -> list[Finding]:
    """Check the course at `course`; every finding is computed, even after one fails."""
    settings = settings or Settings()
    tests = sum(len(entry.checks) for entry in CATALOG)
    # Run for real: grading skips a stub it recognises, on the strength of this finding.
    stubs = grade(course / "exercises", name="stubs",
                  settings=dataclasses.replace(settings, run_untouched_stubs=True))
    solutions = grade(course / "solutions", name="solutions", settings=settings)
    return [
        Finding(_("catalog and files agree"),
                _("{exercises} exercises, {tests} tests, stubs and solutions").format(
                    exercises=len(CATALOG), tests=tests),
                tuple(_catalog_problems(course))),
        Finding(_("every stub fails every test"),
                _("{tests} of {tests} tests fail on the stubs").format(tests=tests),
                tuple(_misses(stubs, want_pass=False))),
        Finding(_("every solution passes every test"),
                _("{tests} of {tests} tests pass on the solutions").format(tests=tests),
                tuple(_misses(solutions, want_pass=True))),
        *translation_findings(),
        _trial_release(course),
    ]


def translation_findings() -> list[Finding]:
    """Every language besides English: each program message translated with the same format
    fields (the gettext catalogue), each course text and stub there (grader.course_texts and
    grader.course_stubs check those)."""
    findings = []
    for lang in (code for code in LANGUAGES if code != "en"):
        findings += [
            Finding(_("every program message has a {lang} translation with the same format "
                      "fields").format(lang=lang),
                    f"grader/locale/{lang}/LC_MESSAGES/descent.po",
                    tuple(catalogue_problems(lang))),
            Finding(_("every course text and stub has a {lang} version").format(lang=lang),
                    f"grader/course/hints/*.{lang}.toml, grader/course/stubs/{lang}/",
                    tuple(missing_translations(lang) + stub_problems())),
        ]
    return findings


def _catalog_problems(course: Path) -> list[str]:
    problems = []
    known = {entry.filename for entry in CATALOG}
    for folder in ("exercises", "solutions"):
        for entry in CATALOG:
            path = course / folder / entry.filename
            defined = _defined_functions(path)
            if defined is None:
                problems.append(_("{file} is missing or not valid Python").format(
                    file=f"{folder}/{entry.filename}"))
                continue
            problems += [_("{file} does not define {function}()").format(
                file=f"{folder}/{entry.filename}", function=check.function)
                for check in entry.checks if check.function not in defined]
        extra = sorted(p.name for p in (course / folder).glob("*.py") if p.name not in known)
        problems += [_("{file} is not in the catalog").format(file=f"{folder}/{name}")
                     for name in extra]
    return problems + _stale_stub_digests(course)


def _stale_stub_digests(course: Path) -> list[str]:
    problems = []
    for entry in CATALOG:
        try:
            source = (course / "exercises" / entry.filename).read_bytes()
        except OSError:
            continue  # reported above as missing
        if not entry.is_untouched_stub(source.decode("utf-8", errors="replace")):
            digest = hashlib.sha256(source).hexdigest()
            problems.append(_("{file} is not the stub the catalog knows: set {setting} in "
                              "{hints}").format(file=f"exercises/{entry.filename}",
                                                setting=f'stub_sha256 = "{digest}"',
                                                hints=f"grader/course/hints/{entry.id}.toml"))
    return problems


def _defined_functions(path: Path) -> set[str] | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    return {node.name for node in tree.body  # 09 grades a class, Value
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def _misses(result: SubmissionResult, *, want_pass: bool) -> list[str]:
    return [f"{test.test}: {headline(test)}: {test.rationale}"
            for test in result.tests if test.passed is not want_pass]


def _trial_release(course: Path) -> Finding:
    title = _("a trial release holds no solution")
    with tempfile.TemporaryDirectory(prefix="descent-trial-release-") as folder:
        out = Path(folder) / "release"
        try:
            released = release(course, out)
        except DescentError as exc:  # a leak or a stale grader: report it, don't crash
            return Finding(title, "", (exc.message,))
        # release() refuses leaks itself; scanning again keeps this check independent of it.
        leaks = find_leaks(out, course / "solutions", course / "exercises")
        return Finding(title, _("{files} files, {hashed} hashed").format(
            files=len(released.files), hashed=len(released.hashed)),
                       tuple(leaks))
