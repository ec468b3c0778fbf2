"""The text files of a released student repo: README, workflow, requirements, pytest module."""

from __future__ import annotations

import re
from pathlib import Path

from grader.i18n import COURSE_SETTINGS
from grader.release import bootstrap
from grader.release.readme import readme

__all__ = ["ACTIONS", "PYTHON", "TORCH", "TORCH_INDEX", "fill", "render"]

TORCH = "2.13.0"  # CPU build from PyTorch's index: PyPI's default torch pulls GBs of CUDA
PYTHON = "3.11"
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"

# Pinned by full commit SHA (the tag in the comment) so a moved tag cannot change grading.
# Classroom's reporter publishes only its v1 tag; it reads our result and posts the points.
ACTIONS = {
    "checkout": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
    "setup-python": "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5",
    "upload-artifact": "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4",
    "reporter": "classroom-resources/autograding-grading-reporter@v1",
}

_WORKFLOW = """\
# Written by `descent release` (descent @VERSION@). Do not edit: `descent ci` checks this
# file against .descent/manifest.json and gives no grade when it was changed.
name: Autograding Tests
"on":
  - push
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Check out the submission
        uses: @CHECKOUT@
      - name: Set up Python
        uses: @SETUP_PYTHON@
        with:
          python-version: "@PYTHON@"
          cache: pip
      # Nothing of the repository but exercises/ may run: every step works outside it with
      # `python -I` (no current folder, no PYTHON* variables on the import path), and only
      # the vendored files that the manifest lists, each checked first, are installed.
      - name: Install the pinned grader
        working-directory: ${{ runner.temp }}
        run: |
          python -I -m pip install torch==@TORCH@ --index-url @TORCH_INDEX@
          python -I - "$GITHUB_WORKSPACE" descent-package <<'BOOTSTRAP'
@BOOTSTRAP@
          BOOTSTRAP
          python -I -m pip install ./descent-package
      - name: Grade with descent
        id: descent
        working-directory: ${{ runner.temp }}
        # An organisation secret makes the inputs unpredictable; without one the grade is
        # preliminary and says so (a student who controls the runner can still read it).
        env:
          DESCENT_GRADING_SECRET: ${{ secrets.DESCENT_GRADING_SECRET }}
          DESCENT_LANG: "@LANG@"
        run: >-
          python -I -m grader.cli --course "$GITHUB_WORKSPACE"
          ci --artifacts "$GITHUB_WORKSPACE/descent-results"
      - name: Keep the results (JUnit, Gradescope, summary)
        if: always()
        uses: @UPLOAD_ARTIFACT@
        with:
          name: descent-results
          path: descent-results/
          if-no-files-found: ignore
      - name: Autograding Reporter
        if: always()
        uses: @REPORTER@
        env:
          DESCENT_RESULTS: ${{ steps.descent.outputs.result }}
        with:
          runners: descent
"""

_REQUIREMENTS = """\
# The grader of this assignment, pinned: descent @VERSION@, vendored in .descent/package.
# Install torch first from PyTorch's CPU index (see README.md), then run, from this folder:
#   python -m pip install -r requirements.txt
torch==@TORCH@
pytest>=8
./.descent/package
"""

_PYTEST_INI = """\
[pytest]
testpaths = tests
"""

_GITIGNORE = """\
__pycache__/
.venv/
.pytest_cache/
descent-results/
.descent/progress.json
.descent/package/build/
*.egg-info/
"""

_TEST_MODULE = '''\
"""One pytest test per descent test, with the grader's own verdicts and feedback.

Written by `descent release` (descent @VERSION@). Do not edit: grading checks this file.
"""

from pathlib import Path

import pytest

from grader.release.pytest_course import TEST_NAMES, RepositoryGrade, check_test, grade_repository

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def graded() -> RepositoryGrade:
    # One grading run covers every test: do it once for the whole session.
    return grade_repository(ROOT)


@pytest.mark.parametrize("test", TEST_NAMES)
def test_course(graded: RepositoryGrade, test: str) -> None:
    check_test(graded, test)
'''

_PACKAGE_README = """\
# descent @VERSION@ (vendored)

The grader of this assignment, copied here by `descent release` so that every student and
every CI run installs exactly this version. Do not edit: `descent ci` checks each file
against `.descent/manifest.json` and gives no grade when one was changed.
"""

_TEMPLATES = {
    ".github/workflows/classroom.yml": _WORKFLOW,
    "requirements.txt": _REQUIREMENTS,
    "pytest.ini": _PYTEST_INI,
    ".gitignore": _GITIGNORE,
    "tests/test_course.py": _TEST_MODULE,
    ".descent/package/README.md": _PACKAGE_README,
}


def render(version: str, lang: str | None = None) -> dict[str, str]:
    """Every templated file of a release (path relative to the repo root → text), the
    README in the language in use; `lang`, when given, also becomes the repo's default
    (`.descent/settings.toml`) and the workflow's DESCENT_LANG, so its CI summary, the
    tutor and `descent check` speak it too."""
    values = {
        "VERSION": version,
        "PYTHON": PYTHON,
        "TORCH": TORCH,
        "TORCH_INDEX": TORCH_INDEX,
        "CHECKOUT": ACTIONS["checkout"],
        "SETUP_PYTHON": ACTIONS["setup-python"],
        "UPLOAD_ARTIFACT": ACTIONS["upload-artifact"],
        "REPORTER": ACTIONS["reporter"],
        "BOOTSTRAP": _bootstrap_script(),
        "LANG": lang or "en",
    }
    files = {path: fill(text, values) for path, text in _TEMPLATES.items()}
    files["README.md"] = readme(version, PYTHON, TORCH, TORCH_INDEX)
    if lang is not None:
        files[COURSE_SETTINGS.as_posix()] = (
            "# The language descent speaks in this repository unless --lang or DESCENT_LANG "
            f'says otherwise.\nlang = "{lang}"\n')
    return files


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with every @NAME@ marker replaced from `values`; raises if one is left."""
    # @NAME@ markers, not str.format or string.Template: the workflow's own ${{ … }} must
    # pass through untouched.
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise RuntimeError(f"template markers left unfilled: {left}")
    return text


def _bootstrap_script() -> str:
    """grader/release/bootstrap.py, indented into the workflow's install step."""
    source = Path(bootstrap.__file__).read_text(encoding="utf-8")
    return "\n".join(f"          {line}" if line else "" for line in source.splitlines())
