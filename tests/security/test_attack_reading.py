"""Category 7: student code cannot read the answer key, the grader, other submissions, the
grader's environment or memory, or other students' results, and send them back."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from grader import isolation
from grader.model import Verdict
from tests.conftest import ROOT, Build, grade_one
from tests.security.helpers import (
    everything_said,
    file_system_confined,
    has_layer,
    step_module,
    verdicts,
)

SECRET = "ghp_" + "S3cr3tT0k3nF0rTh3Gr4d3r" * 2


# The student code returns or prints whatever it found; the test then looks for it in
# everything the result reports.
_STEAL = """
    import os, glob
    found = []
    def grab(path, size=1 << 20):
        try:
            with open(path, 'rb') as handle:
                found.append(handle.read(size).decode('latin-1'))
        except OSError:
            pass
    for path in {paths!r}:
        grab(path)
    for path in glob.glob('/proc/[0-9]*/environ') + glob.glob('/proc/[0-9]*/cmdline'):
        grab(path)
    found.append(repr(dict(os.environ)))
    import posix
    found.append(repr(posix.environ))
    print('\\n'.join(found)[-3500:])
    return w + lr * grad
"""


@pytest.fixture
def secret_in_grader_env(monkeypatch: pytest.MonkeyPatch):
    """A token in the grader's environment from the start of a fresh zygote."""
    monkeypatch.setenv("GITHUB_TOKEN", SECRET)
    isolation.shutdown()
    yield
    monkeypatch.delenv("GITHUB_TOKEN")
    isolation.shutdown()


def test_files_that_are_not_theirs_cannot_be_read(make_submission: Build, tmp_path: Path):
    other = tmp_path / "alice" / "exercises" / "03_update_step.py"
    other.parent.mkdir(parents=True)
    other.write_text(f"# alice's answer {SECRET}\n")
    other.chmod(0o644)
    for folder in (other.parent, other.parent.parent, tmp_path):
        folder.chmod(0o755)
    paths = [str(other), str(ROOT / "solutions" / "03_update_step.py"),
             str(ROOT / "grader" / "course" / "ex03_update_step.py"), "/etc/shadow"]
    body = _STEAL.format(paths=paths)
    result = grade_one(make_submission(exercise03=step_module(body)), "03")
    said = everything_said(result)
    if not file_system_confined():
        pytest.skip("world-readable files are readable without a mount namespace or Landlock")
    assert SECRET not in said
    assert "w - lr * grad" not in said  # the reference solution's code
    assert "_draw_step" not in said  # the grader's course file


def test_the_grader_environment_and_memory_stay_private(secret_in_grader_env: None,
                                                        make_submission: Build):
    me = os.getpid()
    body = _STEAL.format(paths=[f"/proc/{me}/environ", f"/proc/{me}/cmdline",
                                f"/proc/{me}/mem", "/proc/self/environ", "/proc/1/environ"])
    result = grade_one(make_submission(exercise03=step_module(body)), "03")
    assert SECRET not in everything_said(result)


def test_other_students_results_are_not_in_the_worker(make_submission: Build):
    # As in a batch run: the zygote starts with the first submission, Alice; Bob's code
    # then searches its memory for her results.
    isolation.shutdown()
    alice = make_submission("alice", exercise03=step_module(
        "print('ALICE-' + 'ANSWER-MARK')\nreturn w - lr * grad"))
    grade_one(alice, "03", name="alice")
    body = """
        import gc
        hits = [o for o in gc.get_objects() if isinstance(o, str) and 'ALICE-ANSWER' in o]
        for o in gc.get_objects():
            if type(o).__name__ == 'SubmissionResult' and getattr(o, 'name', '') == 'alice':
                hits.append(repr(o)[:200])
        print('hits:', hits)
        return w + lr * grad
    """
    result = grade_one(make_submission("bob", exercise03=step_module(body)), "03", name="bob")
    assert "ALICE-ANSWER" not in everything_said(result).replace("'ALICE-' + 'ANSWER", "")
    assert "hits: []" in result.tests[0].output


def test_the_answer_key_is_not_in_the_worker(make_submission: Build):
    # The course's truths (and the checks holding them) live in the grader; workers are
    # forked from the nursery, which never imported them, so nothing inherited holds them.
    body = """
        import gc, sys
        gc.unfreeze()
        hits = []
        for o in gc.get_objects():
            try:
                module = getattr(o, '__module__', None)
            except Exception:
                continue
            if type(o).__name__ in ('SymbolicCheck', 'NumericCheck', 'Exercise') or (
                    isinstance(module, str)
                    and module.startswith(('grader.course', 'grader.engine'))):
                hits.append(type(o).__name__)
        hits += [name for name in sys.modules if name.startswith(('grader.course', 'grader.engine',
                                                                  'grader.batch'))]
        hits += [name for name in ('course', 'engine', 'batch', 'checks')
                 if hasattr(sys.modules.get('grader'), name)]
        print('hits:', sorted(set(hits)))
        return w - lr * grad
    """
    result = grade_one(make_submission(exercise03=step_module(body)), "03")
    assert "hits: []" in result.tests[0].output, result.tests[0].output


def test_nothing_can_be_sent_out_over_the_network(make_submission: Build):
    if not (has_layer("net") or has_layer("landlock")):
        pytest.skip("no network namespace or Landlock on this machine")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    body = f"""
        import socket
        try:
            with socket.create_connection(('127.0.0.1', {port}), timeout=1) as out:
                out.sendall(b'stolen')
            print('sent')
        except OSError as exc:
            print('refused', exc)
        return w + lr * grad
    """
    result = grade_one(make_submission(exercise03=step_module(body)), "03")
    with listener, pytest.raises(TimeoutError):
        listener.accept()
    assert "refused" in result.tests[0].output


def test_the_libraries_stay_readable(make_submission: Build):
    # Confinement must not break honest code: stdlib, numpy and torch modules nobody has
    # imported yet still load (here `wave` and `statistics`, and a numpy submodule).
    body = """
        import wave, statistics, importlib
        importlib.import_module('numpy.polynomial.hermite')
        return w - lr * grad + 0 * statistics.mean([1, 2])
    """
    if has_layer("unprivileged uid") and not file_system_confined():
        pytest.skip("without a private root or Landlock the sandbox uid may not reach a Python "
                    "installed in a private folder (see SECURITY.md)")
    got = verdicts(grade_one(make_submission(exercise03=step_module(body)), "03"))
    assert got["step"] is Verdict.PASSED
