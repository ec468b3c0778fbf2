"""Category 5: exits, signals, crashes, hangs, hogs and daemons fail only their own test,
and no process of the submission outlives its grading."""

from __future__ import annotations

import pytest

from grader.model import Verdict
from tests.conftest import Build, grade_one
from tests.security.helpers import has_layer, step_module, survivors, verdicts

ATTACKS = {
    "os._exit": "import os\nos._exit(0)",
    "sys.exit": "import sys\nsys.exit(0)",
    "kill itself": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\nreturn w + lr * grad",
    "kill the grader": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
                       "return w + lr * grad",
    "kill its process group": "import os, signal\nos.killpg(0, signal.SIGKILL)\n"
                              "return w + lr * grad",
    "segfault": "import ctypes\nreturn ctypes.string_at(0)",
    "deep recursion": """
        import sys
        sys.setrecursionlimit(10**7)
        def down(n):
            return down(n + 1) + 1
        return down(0)
    """,
    "infinite loop": "while True:\n    pass",
    "signals ignored, then a loop": """
        import signal
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        while True:
            pass
    """,
    "memory hog": "return bytearray(50 * 1024**3)",
    "numpy memory hog": "return np.ones(50 * 1024**3 // 8)",
    "huge output": "import sys\nwhile True:\n    sys.stdout.write('x' * 1_000_000)",
    "atexit": "import atexit, os\natexit.register(os._exit, 0)\nreturn w + lr * grad",
    "daemon": """
        import os, time
        child = os.fork()
        if child == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(120)  # a daemon that would outlive the grading
            os._exit(0)
        os.waitpid(child, 0)
        return w + lr * grad
    """,
    "fork bomb": """
        import os, time
        for _ in range(300):
            try:
                if os.fork() == 0:
                    time.sleep(120)
                    os._exit(0)
            except OSError:
                break
        return w + lr * grad
    """,
}


# linux_layers: portable mode has no PID namespace or uid: the worker's parent is the grader,
# and a daemon (setsid, then fork again) leaves the worker's process tree and group.
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.linux_layers)
                                  if n in ("kill the grader", "daemon") else n
                                  for n in sorted(ATTACKS)])
def test_an_escape_fails_only_its_test_and_leaves_no_process(make_submission: Build, name: str):
    before = survivors()
    folder = make_submission(exercise03=step_module(ATTACKS[name]))
    result = grade_one(folder, "03")
    got = verdicts(result)
    assert got["step"] is not Verdict.PASSED
    assert got["descend"] is Verdict.PASSED
    assert survivors(before) == set()
    assert all(len(test.output) <= 5000 for test in result.tests)


# Signals to every process the sender may reach: harmless only with a layer that confines
# them (a PID namespace, another uid, or the seccomp filter); run only where one is active.
KILL_ALL = {
    "kill(-1)": "import os, signal\nos.kill(-1, signal.SIGKILL)\nreturn w + lr * grad",
    "kill by pid scan": """
        import os, signal
        for entry in os.listdir('/proc'):
            if entry.isdigit() and int(entry) != os.getpid():
                try:
                    os.kill(int(entry), signal.SIGKILL)
                except OSError:
                    pass
        return w + lr * grad
    """,
}


@pytest.mark.parametrize("name", sorted(KILL_ALL))
def test_killing_everything_does_not_reach_the_grader(make_submission: Build, name: str):
    if not (has_layer("pid") or has_layer("unprivileged uid") or has_layer("seccomp")):
        pytest.skip("without namespaces, another uid or seccomp this would kill the user's "
                    "processes, this test run included")
    before = survivors()
    folder = make_submission(exercise03=step_module(KILL_ALL[name]))
    got = verdicts(grade_one(folder, "03"))
    assert got["step"] is not Verdict.PASSED
    assert got["descend"] is Verdict.PASSED
    assert survivors(before) == set()
