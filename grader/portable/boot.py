"""How the grader starts a clean Python child: `python -I`, trusted path, grader by location."""

from __future__ import annotations

import json
import os
import sys

from grader.import_path import grader_folder, trusted

__all__ = ["child_environment", "python_command"]

# Only what importing the libraries needs; none of the grader's other variables (tokens,
# keys) reach a child. Windows cannot start Python (or seed `random`) without SYSTEMROOT.
_PASSED_ON = ("PATH", "LANG", "LC_ALL", "LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES",
              "PYTORCH_NVML_BASED_CUDA_CHECK", "SYSTEMROOT", "WINDIR", "TEMP", "TMP")

# Run by `python -I` (no current folder, script folder or PYTHON* variables on the path): the
# path is the grader's own minus its current folder, and the grader package is loaded from
# its folder by location, so nothing beside it (a course checkout's other files) is importable.
_BOOT = """\
import importlib, importlib.util, json, os, sys
sys.path[:] = json.loads(sys.argv[2])
spec = importlib.util.spec_from_file_location(
    "grader", os.path.join(sys.argv[1], "__init__.py"),
    submodule_search_locations=[sys.argv[1]])
sys.modules["grader"] = package = importlib.util.module_from_spec(spec)
spec.loader.exec_module(package)
module, _, function = sys.argv[3].partition(":")
getattr(importlib.import_module(module), function)(*sys.argv[4:])
"""


def python_command(target: str, *args: str) -> list[str]:
    """The command that runs `target` ("grader.module:function") with string `args`, never
    importing anything from the folder the grader runs in (a student's `numpy.py`)."""
    path = json.dumps(trusted(sys.path, os.getcwd()))
    return [sys.executable, "-I", "-c", _BOOT, grader_folder(), path, target, *args]


def child_environment() -> dict[str, str]:
    """The few variables a child's libraries need, taken from this process's environment."""
    return {key: os.environ[key] for key in _PASSED_ON if key in os.environ}
