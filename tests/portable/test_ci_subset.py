"""The portable-forced pass of .ci/run: its subset names real tests and covers every file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.portable.choose_subset import SUBSET, choose, read_durations

ROOT = Path(__file__).resolve().parents[2]
_MARK = "pytest.mark.linux_layers"


def _linux_only(source: str) -> bool:
    """Whether every test of a file is marked linux_layers (by pytestmark or one by one)."""
    tree = ast.parse(source)
    for node in tree.body:
        if (isinstance(node, ast.Assign) and "pytestmark" in map(ast.unparse, node.targets)
                and _MARK in ast.unparse(node.value)):
            return True
    tests = [node for node in tree.body
             if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
             and node.name.startswith("test")]
    return bool(tests) and all(
        any(ast.unparse(decorator) == _MARK for decorator in test.decorator_list)
        for test in tests)


def _listed() -> list[str]:
    lines = SUBSET.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_every_listed_test_exists() -> None:
    for node in _listed():
        file, _, function = node.partition("::")
        source = (ROOT / file).read_text(encoding="utf-8")
        assert re.search(rf"^(async )?def {function}\(", source, re.MULTILINE), node


def test_every_test_file_not_only_for_linux_layers_is_in_the_subset() -> None:
    covered = {node.partition("::")[0] for node in _listed()}
    files = {path.relative_to(ROOT).as_posix() for path in (ROOT / "tests").rglob("test_*.py")}
    linux_only = {file for file in files
                  if _linux_only((ROOT / file).read_text(encoding="utf-8"))}
    missing = sorted(files - linux_only - covered)
    assert not missing, ("not in tests/portable/ci_subset.txt (regenerate it: python "
                         f"tests/portable/choose_subset.py --help): {missing}")


def test_a_file_is_linux_only_when_all_its_tests_are_marked() -> None:
    marked = "import pytest\n\n@pytest.mark.linux_layers\ndef test_a():\n    pass\n"
    assert _linux_only(marked)
    assert _linux_only("import pytest\npytestmark = pytest.mark.linux_layers\n")
    assert not _linux_only(marked + "\ndef test_b():\n    pass\n")
    assert not _linux_only("def helper():\n    pass\n")


def test_the_choice_keeps_each_files_fastest_test_and_the_budget() -> None:
    report = """
    9.00s call     tests/a.py::test_slow[one]
    1.00s call     tests/a.py::test_slow[two]
    0.50s setup    tests/a.py::test_quick
    0.20s call     tests/b.py::test_only
    2.00s call     tests/b.py::test_more
    3.00s call     tests/b.py::test_most
    """
    durations = read_durations(report)
    assert durations["tests/a.py"] == {"test_slow": 10.0, "test_quick": 0.5}
    assert choose(durations, budget=3.0) == [("tests/a.py::test_quick", 0.5),
                                             ("tests/b.py::test_more", 2.0),
                                             ("tests/b.py::test_only", 0.2)]
    assert [node for node, _ in choose(durations, budget=0.0)] == [
        "tests/a.py::test_quick", "tests/b.py::test_only"]
