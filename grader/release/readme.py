"""The released repo's README.md, in the language the course is released in."""

from __future__ import annotations

from grader.course import CATALOG
from grader.i18n import _

__all__ = ["readme"]

_SETUP_POSIX = """\
```sh
python3 -m venv .venv
source .venv/bin/activate
python -m pip install torch=={torch} --index-url {torch_index}
python -m pip install -r requirements.txt
```"""

_SETUP_WINDOWS = """\
```powershell
py -3 -m venv .venv
.venv\\Scripts\\Activate.ps1
python -m pip install torch=={torch} --index-url {torch_index}
python -m pip install -r requirements.txt
```"""

_RESTORE = """\
```sh
git checkout $(git rev-list --max-parents=0 HEAD) -- \\
    .github .descent tests/test_course.py requirements.txt pytest.ini
```"""


def readme(version: str, python: str, torch: str, torch_index: str) -> str:
    """README.md of the student repo: set-up, the commands, hand-in and the grading files."""
    fields = {"version": version, "python": python, "torch": torch, "torch_index": torch_index}
    blocks = [
        "# " + _("Gradient descent by hand: a descent assignment"),
        _("Fill in the functions in `exercises/`: derivatives, partial derivatives, the "
          "gradient-descent update, the sigmoid delta rule and gradients written by hand in "
          "PyTorch. Each file's docstring teaches what to do. Every push is graded by GitHub "
          "Actions with the same grader you run on your machine (descent {version}, pinned "
          "in this repository).").format(**fields),
        "## " + _("Set up (once)"),
        _("Python {python} or newer. From this folder, on Linux or macOS (Terminal):")
        .format(**fields),
        _SETUP_POSIX.format(**fields),
        _("On Windows (PowerShell; if activation is refused, first run "
          "`Set-ExecutionPolicy -Scope CurrentUser RemoteSigned`):"),
        _SETUP_WINDOWS.format(**fields),
        _("Activate the environment again in every new terminal before running `descent`."),
        _("The first install is the CPU build of PyTorch (a plain `pip install torch` "
          "downloads gigabytes of GPU libraries you do not need). The second installs the "
          "grader pinned for this assignment (from `.descent/package/`) and pytest."),
        "## " + _("Work"),
        _commands(),
        _exercise_table(),
        "## " + _("Hand in"),
        _("Commit and push. The **Autograding Tests** workflow grades your exercises and "
          "reports:"),
        "\n".join([
            "- " + _("your points (`Points X/Y`), which GitHub Classroom records;"),
            "- " + _("a table of every test with its feedback, on the workflow run's summary "
                     "page (Actions tab);"),
            "- " + _("a mark on the line of each function that does not pass yet;"),
            "- " + _("the results as JUnit XML and Gradescope JSON, in the run's "
                     "`descent-results` artifact."),
        ]),
        _("A low score does not turn the run red: read the feedback, fix, push again."),
        "## " + _("Files you must not edit"),
        _("`.github/`, `.descent/`, `tests/test_course.py`, `requirements.txt` and "
          "`pytest.ini` are the grading files. Each run checks them against "
          "`.descent/manifest.json`; if one was edited, the run says **modified** and gives "
          "no grade. To restore them:"),
        _RESTORE,
        _("To read descent in another language, pass `--lang en` or `--lang zh` to any "
          "command, or set DESCENT_LANG; `.descent/settings.toml` holds this repository's "
          "default."),
    ]
    return "\n\n".join(blocks) + "\n"


def _commands() -> str:
    rows = [
        ("descent", _("the tutor: watches your files, explains verdicts, gives hints")),
        ("descent check", _("grade every exercise and explain each verdict")),
        ("descent check 03", _("only one exercise")),
        ("descent hint 03_update_step:descend", _("the next hint for one test")),
        ("descent list", _("exercises, tests and points")),
        ("pytest", _("the same verdicts, as one pytest test per course test")),
    ]
    width = max(len(command) for command, _words in rows) + 3
    lines = [f"{command.ljust(width)}# {words}" for command, words in rows]
    return "```sh\n" + "\n".join(lines) + "\n```"


def _exercise_table() -> str:
    # Outside the f-string: Babel's extractor does not see calls inside one.
    words = (_("exercise"), _("functions"), _("points"))
    head = "| {} | {} | {} |\n| --- | --- | --: |".format(*words)
    rows = [f"| `{entry.id}` | {', '.join(f'`{c.function}`' for c in entry.checks)} | "
            f"{entry.max_score:g} |" for entry in CATALOG]
    return "\n".join([head, *rows])
