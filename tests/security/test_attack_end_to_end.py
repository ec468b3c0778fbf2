"""End to end: `descent grade` over a class of adversarial submissions leaves no process
behind, changes no file outside its output folder and leaks no secret of the grader."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from grader import forking
from grader.isolation.plan import SANDBOX_UID
from tests.conftest import ROOT, SOLUTIONS
from tests.security.helpers import has_layer, step_module, survivors

_OUT_FINDER = """
    import os
    out = None
    for pid in ('self', str(os.getppid()), '1', '2'):
        try:
            argv = open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\\0')
        except OSError:
            continue
        if b'--out' in argv:
            out = argv[argv.index(b'--out') + 1].decode()
"""

ATTACKS = {
    "exiter": "import os\nos._exit(0)",
    "forger": _OUT_FINDER + """
    print('{"score": 100.0, "tests": []}')
    for folder in [out, os.getcwd(), os.path.expanduser('~')]:
        try:
            os.makedirs(f'{folder}/forger', exist_ok=True)
            open(f'{folder}/forger/results.json', 'w').write('{"score": 100.0}')
        except (OSError, TypeError):
            pass
    return w + lr * grad
    """,
    "late-daemon": _OUT_FINDER + """
    import time
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(2.0)  # after the grading: rewrite every result it can reach
            for root in [out, os.getcwd(), '/tmp']:
                for name in ('honest', 'late-daemon', 'forger'):
                    try:
                        open(f'{root}/{name}/results.json', 'w').write('{"score": 100}')
                    except (OSError, TypeError):
                        pass
        os._exit(0)
    return w + lr * grad
    """,
    "tamperer": """
    for target in TARGETS:
        try:
            open(target, 'a').write('# tampered')
        except OSError:
            pass
    return w + lr * grad
    """,
    "thief": """
    import os, posix
    found = [repr(dict(os.environ)), repr(posix.environ)]
    import glob
    for path in ['/proc/self/environ', *glob.glob('/proc/[0-9]*/environ')]:
        try:
            found.append(open(path, 'rb').read().decode('latin-1'))
        except OSError:
            pass
    # The worker's own anonymous memory (heap, stack, arenas): what a fork inherited.
    import ctypes
    ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)
    needle = bytes([103, 104, 112, 95])  # the token's prefix, built at run time
    with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:
        for line in maps:
            parts = line.split()
            if not parts[1].startswith('rw') or (len(parts) > 5 and parts[5][0] != '['):
                continue
            start, end = (int(v, 16) for v in parts[0].split('-'))
            try:
                mem.seek(start)
                chunk = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            at = chunk.find(needle)
            while at >= 0:
                tail = chunk[at + 4:at + 36]
                if all(c in b'0123456789abcdef' for c in tail):
                    found.append(chunk[at:at + 36].decode('latin-1'))
                at = chunk.find(needle, at + 1)
    print('found:', found[2:], 'in', [text for text in found[:5] if 'ghp_' in text])
    return w + lr * grad
    """,
}


def _uid(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def _hashes(folders: list[Path]) -> dict[str, str]:
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# linux_layers: unconfined (portable) student code would write the repo's own solutions/.
@pytest.mark.linux_layers
def test_a_class_of_attacks_graded_by_the_cli(tmp_path: Path):
    token = "ghp_" + uuid.uuid4().hex
    classroom, out = tmp_path / "class", tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n")
    targets = [str(victim), str(ROOT / "solutions" / "03_update_step.py"),
               str(classroom / "honest" / "exercises" / "03_update_step.py")]
    for name, body in {"honest": None, **ATTACKS}.items():
        folder = classroom / name / "exercises"
        shutil.copytree(SOLUTIONS, folder)
        if body is not None:
            prelude = f"TARGETS = {targets!r}\n"
            (folder / "03_update_step.py").write_text(step_module(body, prelude))
    watched = [classroom, ROOT / "solutions", ROOT / "exercises", ROOT / "grader"]
    before_files = _hashes(watched)
    # Orphans of the run then come to this process, where survivors() looks for them.
    forking.become_subreaper()
    before_processes = survivors()
    env = {**os.environ, "GITHUB_TOKEN": token}
    run = subprocess.run(
        [sys.executable, "-m", "grader.cli", "grade", str(classroom), "--out", str(out),
         "--jobs", "2", "--no-report"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = {name: json.loads((out / name / "results.json").read_text())
               for name in ("honest", *ATTACKS)}
    time.sleep(3.0)  # the late daemon would have struck by now

    assert survivors(before_processes) == set()
    assert not [pid for pid, _, _ in forking.process_table() if _uid(pid) == SANDBOX_UID]
    if has_layer("mount") or has_layer("landlock") or has_layer("unprivileged uid"):
        assert _hashes(watched) == before_files
        assert victim.read_text() == "untouched\n"
        for name, data in results.items():
            assert json.loads((out / name / "results.json").read_text()) == data, name
        assert not (out / "forger" / "results.json").read_text().startswith('{"score": 100.0}')
    everything = json.dumps(results) + "".join(
        p.read_text(errors="replace") for p in out.rglob("*.json"))
    assert token not in everything
    assert token[4:] not in everything
    scores = {name: data["score"] for name, data in results.items()}
    assert scores["honest"] == max(scores.values())
    assert all(scores[name] < scores["honest"] for name in ATTACKS)
    step_passed = {name: any(t["name"].endswith("step") and t["status"] == "passed"
                             for t in data["tests"]) for name, data in results.items()}
    assert step_passed == {"honest": True, **{name: False for name in ATTACKS}}
