"""Category 6: forged output changes nothing, and student code writes nowhere but its
own scratch folder, neither during the grading nor after it."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from grader.model import Verdict
from tests.conftest import ROOT, Build, grade_one
from tests.security.helpers import has_layer, step_module


def _digest(paths: list[Path]) -> dict[str, str]:
    found = {}
    for top in paths:
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def test_printed_pass_lines_and_results_json_are_only_output(make_submission: Build):
    body = """
        print('PASSED step: 10/10')
        print('{"score": 100, "tests": [{"name": "step", "status": "passed", "score": 10}]}')
        print('::notice title=Autograding complete::Points 20/20')
        return w + lr * grad
    """
    got = grade_one(make_submission(exercise03=step_module(body)), "03")
    step = next(t for t in got.tests if t.function == "step")
    assert step.verdict is Verdict.FAILED and step.score == 0
    assert "PASSED step" in step.output  # shown as what it is: the student's own printing


def test_nothing_outside_the_scratch_folder_can_be_written(make_submission: Build,
                                                            tmp_path: Path):
    victim = tmp_path / "other" / "exercises" / "03_update_step.py"
    victim.parent.mkdir(parents=True)
    victim.write_text("# another student's work\n")
    victim.chmod(0o666)  # even a file anyone may write stays out of reach
    targets = [victim, ROOT / "solutions" / "03_update_step.py", ROOT / "exercises" / "NEW.py",
               ROOT / "grader" / "engine.py", tmp_path / "planted.py"]
    if not (has_layer("mount") or has_layer("landlock") or has_layer("unprivileged uid")):
        # Same uid and no file-system layer (documented in SECURITY.md): the attack would
        # really write the repo's own files, so it is not run at all.
        pytest.skip("student code is not confined from the grader's files in this mode")
    before = _digest([victim, ROOT / "solutions", ROOT / "exercises", ROOT / "grader"])
    body = f"""
        import os
        written = []
        for target in {[str(t) for t in targets]!r}:
            try:
                with open(target, 'a') as handle:
                    handle.write('# tampered')
                written.append(target)
            except OSError:
                pass
        # A delayed daemon: comes back after the grading to rewrite whatever it can.
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                import time
                time.sleep(1.5)
                for target in {[str(t) for t in targets]!r}:
                    try:
                        open(target, 'w').write('# rewritten later')
                    except OSError:
                        pass
            os._exit(0)
        print('written:', written)
        return w + lr * grad
    """
    result = grade_one(make_submission(exercise03=step_module(body)), "03")
    time.sleep(2.5)  # longer than the daemon waits
    assert "written: []" in result.tests[0].output
    assert _digest([victim, ROOT / "solutions", ROOT / "exercises", ROOT / "grader"]) == before
    assert not (tmp_path / "planted.py").exists()
