"""The bundle's two scripts, `setup.sh` (image build) and `run_autograder` (per submission)."""

from __future__ import annotations

from grader.release.templates import TORCH, TORCH_INDEX, fill

__all__ = ["DEFAULT_PYTHON", "ROOT_ENV", "VENV", "render_scripts"]

ROOT_ENV = "DESCENT_AUTOGRADER_ROOT"  # where Gradescope's /autograder is (tests lay out one)
VENV = "/opt/descent-venv"  # outside /autograder: student code must read it, not the bundle
DEFAULT_PYTHON = f"{VENV}/bin/python"

_SETUP = """\
#!/usr/bin/env bash
# Written by `descent gradescope` (descent @VERSION@). Gradescope runs it once, as root with
# network, when it builds the autograder image: it installs Python 3.11 or newer, the CPU
# build of torch @TORCH@ and the grader vendored in .descent/package (exactly descent
# @VERSION@) into @VENV@, then checks that the installed grader is the bundle's, file for file.
set -euxo pipefail
SOURCE="${@ROOT_ENV@:-/autograder}/source"
VENV="${DESCENT_VENV:-@VENV@}"
export DEBIAN_FRONTEND=noninteractive
PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 \\
      && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PYTHON="$(command -v "$candidate")"
    break
  fi
done
apt-get update
if [ -z "$PYTHON" ]; then
  apt-get install -y python3.11 python3.11-venv
  PYTHON="$(command -v python3.11)"
else
  # Ubuntu ships venv (and the pip it bootstraps) as a separate package.
  apt-get install -y "$(basename "$PYTHON")-venv" || apt-get install -y python3-venv
fi
# A virtual environment: Ubuntu 24.04's own Python refuses pip installs (PEP 668).
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -I -m pip install --upgrade pip
"$VENV/bin/python" -I -m pip install "torch==@TORCH@" --index-url @TORCH_INDEX@
"$VENV/bin/python" -I -m pip install "$SOURCE/.descent/package"
cd /
"$VENV/bin/python" -I -m grader.cli autograde --check-install --root "$(dirname "$SOURCE")"
# The grading secret and settings stay root's: student code runs as another user.
chmod -R go-rwx "$SOURCE"
"""

_RUN = """\
#!/usr/bin/env bash
# Written by `descent gradescope` (descent @VERSION@). Gradescope runs it once per submission:
# it grades /autograder/submission and always leaves /autograder/results/results.json, even
# when the grader cannot start. The paths move with $@ROOT_ENV@, the interpreter with
# $DESCENT_PYTHON (tests run it on a temporary root with a development install).
set -u
ROOT="${@ROOT_ENV@:-/autograder}"
PYTHON="${DESCENT_PYTHON:-@PYTHON@}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"
# A fresh, empty working folder and `python -I`: nothing of the submission is importable.
WORK="$(mktemp -d)"
cd "$WORK" || exit 0
"$PYTHON" -I -m grader.cli autograde --root "$ROOT"
status=$?
cd / && rm -rf "$WORK"
if [ ! -s "$RESULTS" ]; then
  MESSAGE="The autograder stopped before it could grade your upload (exit status $status)."
  MESSAGE="$MESSAGE Your instructor can see why in the autograder's log; resubmitting will"
  MESSAGE="$MESSAGE not help until it is fixed."
  cat > "$RESULTS" <<JSON
{"score": 0, "tests": [], "output_format": "md", "stdout_visibility": "hidden",
 "output": "$MESSAGE"}
JSON
fi
exit 0
"""


def render_scripts(version: str) -> dict[str, str]:
    """`setup.sh` and `run_autograder`, filled in for grader `version`."""
    values = {"VERSION": version, "TORCH": TORCH, "TORCH_INDEX": TORCH_INDEX,
              "ROOT_ENV": ROOT_ENV, "VENV": VENV, "PYTHON": DEFAULT_PYTHON}
    return {"setup.sh": fill(_SETUP, values), "run_autograder": fill(_RUN, values)}
