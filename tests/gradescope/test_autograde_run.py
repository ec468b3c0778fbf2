"""The bundle's real run_autograder on uploads as students make them: always valid results."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from grader import __version__
from grader.course import CATALOG
from grader.gradescope.autograde import submission_name
from tests.conftest import SOLUTIONS
from tests.gradescope.conftest import RunAutograder, build

LayOut = Callable[..., Path]
FULL = sum(entry.max_score for entry in CATALOG)
SIGN_FLIPPED = (SOLUTIONS / "03_update_step.py").read_text().replace(
    "return w - lr * grad", "return w + lr * grad")


def _by_name(results: dict) -> dict[str, dict]:
    return {test["name"]: test for test in results["tests"]}


def test_a_correct_upload_gets_full_marks_and_names_version_and_isolation(
        autograder_root: LayOut, run_autograder: RunAutograder):
    root = autograder_root()
    shutil.copytree(SOLUTIONS, root / "submission" / "exercises")
    run = run_autograder(root)
    assert run.code == 0
    results = run.results
    assert results["score"] == FULL
    assert all(t["status"] == "passed" for t in results["tests"])
    assert len(results["tests"]) == sum(len(entry.checks) for entry in CATALOG)
    assert results["output_format"] == results["test_output_format"] == "md"
    assert all(t["visibility"] == "visible" for t in results["tests"])
    assert f"Graded by descent {__version__}" in results["output"]
    assert f"isolation: {results['extra_data']['isolation']}" in results["output"]
    assert "exercises/ in your upload" in results["output"]


def test_a_wrong_upload_fails_that_test_with_markdown_feedback(
        autograder_root: LayOut, run_autograder: RunAutograder):
    assert (SOLUTIONS / "03_update_step.py").read_text() != SIGN_FLIPPED
    root = autograder_root()
    folder = Path(shutil.copytree(SOLUTIONS, root / "submission" / "exercises"))
    (folder / "03_update_step.py").write_text(SIGN_FLIPPED)
    results = run_autograder(root).results
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    # descend() calls step(), so it fails with it; every other test passes.
    assert [t["name"] for t in failed] == ["03_update_step:step", "03_update_step:descend"]
    step = failed[0]
    assert step["score"] == 0 and step["output"].startswith("**failed**")
    assert "- **why**:" in step["output"] and "- **expected**: `" in step["output"]
    assert "- **got**: `" in step["output"]
    assert results["score"] == FULL - sum(t["max_score"] for t in failed)


def test_an_empty_upload_says_what_to_upload(autograder_root: LayOut,
                                             run_autograder: RunAutograder):
    root = autograder_root()
    results = run_autograder(root).results
    assert results["score"] == 0
    assert "Nothing to grade was found in your upload" in results["output"]
    assert "`exercises/`" in results["output"] and "`01_quadratic.py`" in results["output"]
    assert all(t["extra_data"]["verdict"] == "not_attempted" for t in results["tests"])


def test_misnamed_files_are_pointed_out(autograder_root: LayOut, run_autograder: RunAutograder):
    root = autograder_root()
    shutil.copy(SOLUTIONS / "01_quadratic.py", root / "submission" / "quadratic.py")
    results = run_autograder(root).results
    assert results["score"] == 0 and "`quadratic.py`" in results["output"]


def test_a_damaged_zip_gets_a_results_file_that_says_so(autograder_root: LayOut,
                                                        run_autograder: RunAutograder):
    root = autograder_root()
    whole = root / "whole.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        for path in SOLUTIONS.glob("*.py"):
            archive.write(path, f"exercises/{path.name}")
    (root / "submission" / "hw.zip").write_bytes(whole.read_bytes()[:300])  # cut short
    results = run_autograder(root).results
    assert results["score"] == 0
    assert "hw.zip cannot be read as a zip file" in results["output"]
    assert all(t["extra_data"]["verdict"] == "error" for t in results["tests"])


def test_a_syntax_error_fails_only_that_exercise(autograder_root: LayOut,
                                                 run_autograder: RunAutograder):
    root = autograder_root()
    folder = Path(shutil.copytree(SOLUTIONS, root / "submission" / "exercises"))
    (folder / "02_partials.py").write_text("def partial_x(:\n    return\n")
    results = run_autograder(root).results
    broken = [t for t in results["tests"] if t["status"] == "failed"]
    assert broken and {t["tags"][0] for t in broken} == {"02_partials"}
    assert all("syntax error" in t["output"] for t in broken)
    assert results["score"] == FULL - sum(t["max_score"] for t in broken)


def test_loose_files_at_the_top_are_found(autograder_root: LayOut,
                                          run_autograder: RunAutograder):
    root = autograder_root()
    for path in SOLUTIONS.glob("*.py"):
        shutil.copy(path, root / "submission" / path.name)
    results = run_autograder(root).results
    assert results["score"] == FULL
    assert "the top of your upload" in results["output"]


def test_a_zip_holding_exercises_is_found(autograder_root: LayOut,
                                          run_autograder: RunAutograder):
    root = autograder_root()
    with zipfile.ZipFile(root / "submission" / "homework.zip", "w") as archive:
        for path in SOLUTIONS.glob("*.py"):
            archive.write(path, f"homework/exercises/{path.name}")
        archive.writestr("__MACOSX/homework/exercises/._01_quadratic.py", b"\x00junk")
    results = run_autograder(root).results
    assert results["score"] == FULL
    assert "homework/exercises/ in homework.zip" in results["output"]


def test_hidden_visibility_hides_tests_and_the_score(autograder_root: LayOut,
                                                     run_autograder: RunAutograder,
                                                     tmp_path: Path):
    bundle = build(tmp_path / "hidden.zip", "--visibility", "after_published")
    root = autograder_root(bundle)
    shutil.copytree(SOLUTIONS, root / "submission" / "exercises")
    results = run_autograder(root).results
    assert results["visibility"] == "after_published"
    assert {t["visibility"] for t in results["tests"]} == {"after_published"}
    assert f"{FULL:g}/{FULL:g}" not in results["output"]
    assert "tests passed" not in results["output"]
    assert "once your instructor publishes the grades" in results["output"]


def test_without_namespaces_the_weaker_mode_is_used_and_named(autograder_root: LayOut,
                                                              run_autograder: RunAutograder):
    root = autograder_root()
    shutil.copytree(SOLUTIONS, root / "submission" / "exercises")
    # What Docker's default seccomp leaves on Gradescope: no namespaces for the workers.
    results = run_autograder(root, DESCENT_ISOLATION="landlock").results
    mode = results["extra_data"]["isolation"]
    assert "namespaces" not in mode and "rlimits" in mode
    assert results["score"] == FULL
    assert f"isolation: {mode}" in results["output"]


def test_a_broken_bundle_still_writes_a_results_file(autograder_root: LayOut,
                                                     run_autograder: RunAutograder):
    root = autograder_root()
    shutil.copytree(SOLUTIONS, root / "submission" / "exercises")
    (root / "source" / ".descent" / "gradescope.json").unlink()
    run = run_autograder(root)
    assert run.results["score"] == 0 and run.results["tests"] == []
    assert "could not grade your upload" in run.results["output"]
    assert "Traceback" in run.log  # the instructor's log says why


def test_a_grader_that_cannot_start_still_leaves_a_results_file(autograder_root: LayOut,
                                                                run_autograder: RunAutograder):
    root = autograder_root()
    run = run_autograder(root, DESCENT_PYTHON=str(root / "no-such-python"))
    assert run.code == 0 and run.results["score"] == 0
    assert "stopped before it could grade" in run.results["output"]


def test_the_check_install_step_of_setup_passes_here_and_catches_an_edit(
        autograder_root: LayOut, tmp_path: Path):
    # A bundle of this moment's grader: the running one, which the step compares file by file.
    root = autograder_root(build(tmp_path / "now.zip"))
    command = [sys.executable, "-I", "-m", "grader.cli", "autograde", "--check-install",
               "--root", str(root)]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"descent {__version__} installed as bundled" in done.stdout
    engine = root / "source" / ".descent" / "package" / "grader" / "engine.py"
    engine.write_text(engine.read_text() + "\n# edited\n")
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "grader/engine.py (changed)" in done.stdout


def test_the_inputs_are_drawn_for_the_submitters(tmp_path: Path):
    metadata = tmp_path / "submission_metadata.json"
    metadata.write_text(json.dumps({"users": [{"id": 34}, {"id": "12/../x"}]}))
    assert submission_name(metadata) == ("gradescope-12____x+34", None)
    for broken in ("{", "[]", json.dumps({"users": [{"name": "no id"}]}),
                   json.dumps({"users": []})):
        metadata.write_text(broken)
        name, note = submission_name(metadata)
        assert name == "gradescope-unknown" and note
    metadata.unlink()
    assert submission_name(metadata)[0] == "gradescope-unknown"


def test_student_code_cannot_read_the_bundles_secret(autograder_root: LayOut,
                                                     run_autograder: RunAutograder):
    root = autograder_root()
    secret = root / "source" / ".descent" / ".descent-secret"
    folder = Path(shutil.copytree(SOLUTIONS, root / "submission" / "exercises"))
    spy = f'''
def derivative():
    for path in ({str(secret)!r}, {str(root / "source" / ".descent" / "gradescope.json")!r}):
        try:
            print(open(path).read())
        except OSError as exc:
            print("refused:", type(exc).__name__)
    return x
'''
    quadratic = folder / "01_quadratic.py"
    quadratic.write_text(quadratic.read_text().replace("def derivative():", "def _unused():")
                         + spy)
    # The weaker mode Gradescope's containers leave: no namespaces, the other layers on.
    run = run_autograder(root, DESCENT_ISOLATION="landlock")
    derivative = _by_name(run.results)["01_quadratic:derivative"]
    assert derivative["status"] == "failed" and "refused:" in derivative["output"]
    shown = json.dumps(run.results)
    assert secret.read_text().strip() not in shown and "descent_version" not in shown
