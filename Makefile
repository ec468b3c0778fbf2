# Two commands do all set-up on a fresh machine: `make tutor` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: tutor test lint bench gpu-check messages

tutor: $(STAMP)
	$(VENV)/bin/descent

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/grade_speed.py

# Extract _()/N_()/ngettext strings into grader/locale/descent.pot, merge them into each
# language's .po and compile the committed .mo (a test fails when the .mo is stale).
messages: $(STAMP)
	$(PY) -m grader.release.catalogue

# 05 and 08 graded with CUDA cases against the CPU verdicts; says "no CUDA" without a GPU.
gpu-check: $(STAMP)
	$(PY) benchmarks/gpu_check.py

# torch is installed first and pinned: an unpinned torch would pull GBs of CUDA packages.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)
