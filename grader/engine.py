"""Grading one submission: read each file, check it statically, run it sandboxed, assess, score."""

from __future__ import annotations

import ast
import functools
import hashlib
import hmac
import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import __version__
from grader.checks import Check
from grader.checks.base import Assessment, Case, Run
from grader.course import CATALOG, Exercise, Forbidden
from grader.course.shortcuts import find_forbidden
from grader.isolation import detect
from grader.model import CheckResult, Diagnosis, Sample, SubmissionResult, Verdict
from grader.portable.files import READ_UNTRUSTED
from grader.sandbox import OUTPUT_CAP, CallOutcome, Limits, Outcome, Sandbox, warm_up
from grader.source_text import SourceEncodingError, decode_source
from grader.tracing import trace

__all__ = ["DEFAULT_SEED", "Settings", "derive_seed", "grade"]

DEFAULT_SEED = 20261121
_MAX_SOURCE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Settings:
    """What a grading run may vary; the same settings give the same grades."""

    # The public identity of the inputs: recorded in every result, compared by the journal
    # and by merge. Without a secret it alone decides the inputs (predictable to anyone
    # who knows it); with one it is the secret's fingerprint (see grader.secret).
    seed: int = DEFAULT_SEED
    secret: bytes = field(default=b"", repr=False)
    limits: Limits = field(default_factory=Limits)
    cuda: bool | None = None  # None: use CUDA when torch sees a device
    # Untouched stubs are known to raise NotImplementedError everywhere and are not run;
    # the author's `descent dev check` runs them, to prove exactly that.
    run_untouched_stubs: bool = False


def derive_seed(base: int, submission: str, test: str, secret: bytes = b"") -> int:
    """A per-submission, per-test seed: stable across runs, different between students, and
    with a secret, keyed by it (HMAC), so that knowing the grader's code and `base` is not
    enough to predict the inputs."""
    message = f"{base}:{submission}:{test}".encode()
    if secret:
        digest = hmac.new(secret, message, hashlib.sha256).digest()
    else:
        digest = hashlib.sha256(message).digest()
    return int.from_bytes(digest[:8], "big")


def cuda_available() -> bool:
    warm_up()
    import torch

    return bool(torch.cuda.is_available())


def grade(
    exercises_dir: Path,
    *,
    name: str,
    exercises: Sequence[Exercise] = CATALOG,
    settings: Settings | None = None,
) -> SubmissionResult:
    """Grade every test of `exercises` against the files in `exercises_dir`."""
    settings = settings or Settings()
    warm_up()
    cuda = cuda_available() if settings.cuda is None else settings.cuda
    started = time.perf_counter()
    results: list[CheckResult] = []
    with Sandbox(settings.limits) as sandbox:
        for entry in exercises:
            grading = _ExerciseGrading(entry, exercises_dir, name, settings, cuda, sandbox)
            results.extend(grading.run())
    return SubmissionResult(
        name=name,
        tests=tuple(results),
        execution_time=round(time.perf_counter() - started, 4),
        grader_version=__version__,
        seed=settings.seed,
        isolation=detect().name,
    )


@dataclass
class _Source:
    text: str
    functions: dict[str, int]  # top-level function name -> line
    forbidden: dict[str | None, int]


class _ExerciseGrading:
    """The grading of one exercise file of one submission."""

    def __init__(
        self,
        entry: Exercise,
        exercises_dir: Path,
        name: str,
        settings: Settings,
        cuda: bool,
        sandbox: Sandbox,
    ) -> None:
        self.entry = entry
        self.path = exercises_dir / entry.filename
        self.shown = f"{exercises_dir.name}/{entry.filename}"
        self.name = name
        self.settings = settings
        self.cuda = cuda
        self.sandbox = sandbox
        self.source: _Source | None = None
        self.import_flooded = False  # importing the file printed past the output cap
        self.verdicts: dict[str, Verdict] = {}  # function -> verdict so far, for tracing

    def run(self) -> list[CheckResult]:
        problem = self._read()
        if problem is not None:
            return [self._result(check, problem) for check in self.entry.checks]
        assert self.source is not None
        if not self.settings.run_untouched_stubs and self.entry.is_untouched_stub(
                self.source.text):
            return [self._result(check, self._untouched(check.function))
                    for check in self.entry.checks]
        loaded = self.sandbox.load(self.entry.id, str(self.path.resolve()), self.source.text)
        self.import_flooded = loaded.output_truncated
        if not loaded.returned:
            failure = self._import_failure(loaded)
            return [self._result(check, failure) for check in self.entry.checks]
        module_forbidden = self._tripped(loaded) or None in self.source.forbidden
        return [self._grade_check(check, module_forbidden) for check in self.entry.checks]

    # -- reading the file, before any student code runs ------------------------------------

    def _read(self) -> Assessment | None:
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return Assessment(
                Verdict.NOT_ATTEMPTED,
                f"{self.shown} is missing. Copy the stub back from the course and fill it in.",
            )
        except OSError as exc:
            return self._file_error(f"cannot be read ({exc.strerror})")
        if not stat.S_ISREG(info.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
            return self._file_error(f"is {kind}; replace it with the Python file itself")
        if info.st_size > _MAX_SOURCE_BYTES:
            return self._file_error(f"is {info.st_size} bytes, over the {_MAX_SOURCE_BYTES} limit")
        if _linked_folder(self.path.parent):
            return self._file_error("lies in a folder that is a symbolic link; submit the "
                                    "folder itself")
        try:
            text = decode_source(_read_regular(self.path))
        except SourceEncodingError as exc:
            return self._file_error(f"{exc.message}. To fix it, {exc.next_step}")
        except OSError as exc:
            return self._file_error(f"cannot be read ({exc.strerror})")
        try:
            functions, forbidden = _analyse(text, self.entry.forbidden)
        except SyntaxError as exc:
            where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
            return self._file_error(f"has a syntax error at {where}: {exc.msg}")
        except (ValueError, RecursionError, MemoryError):
            return self._file_error("could not be parsed as Python")
        self.source = _Source(text, functions, forbidden)
        return None

    def _untouched(self, function: str) -> Assessment:
        return Assessment(
            Verdict.NOT_ATTEMPTED,
            f"{self.shown} is still the stub as shipped: replace the TODO in {function}() "
            "with your answer.",
        )

    def _file_error(self, what: str) -> Assessment:
        return Assessment(Verdict.ERROR, f"{self.shown} {what}. No test of this file could run.")

    def _import_failure(self, loaded: CallOutcome) -> Assessment:
        if loaded.outcome is Outcome.RAISED:
            error = loaded.error
            where = f" at line {error['line']}" if error.get("line") else ""
            return Assessment(
                Verdict.ERROR,
                f"Importing {self.shown} raised {error['type']}{where}: {error['message']}. "
                "Code at the top level of the file runs on import: move it into a function "
                "or fix it.",
                notes=_output_note(loaded),
            )
        return Assessment(
            Verdict.ERROR,
            f"Importing {self.shown} {_lost_words(loaded, self.settings.limits)}. Look for "
            "code at the top level of the file (input(), loops, sys.exit) and move it into a "
            "function.",
            notes=_output_note(loaded),
        )

    # -- running and assessing one check ---------------------------------------------------

    def _grade_check(self, check: Check, module_forbidden: bool) -> CheckResult:
        assert self.source is not None
        function = check.function
        if function not in self.source.functions:
            return self._result(check, Assessment(
                Verdict.NOT_ATTEMPTED,
                f"{self.shown} has no function {function}(); keep the stub's name and "
                "signature.",
            ))
        if module_forbidden or function in self.source.forbidden:
            return self._result(check, self._forbidden_assessment())
        test = self.entry.test_name(check)
        rng = np.random.default_rng(derive_seed(self.settings.seed, self.name, test,
                                                self.settings.secret))
        runs: list[Run] = []
        outputs: list[str] = []
        seconds = 0.0
        cases = check.cases(rng, cuda=self.cuda)
        outcomes = self.sandbox.call_cases(
            self.entry.id, function, [(case.args, case.watch) for case in cases]
        )
        for case, outcome in zip(cases, outcomes, strict=False):
            seconds += outcome.seconds
            if outcome.output:
                outputs.append(outcome.output)
            if self._tripped(outcome):
                return self._result(check, self._forbidden_assessment(), seconds=seconds)
            if not outcome.returned:
                failure = self._call_failure(function, case.label, case.shown_inputs(), outcome)
                return self._result(check, failure, output=outputs, seconds=seconds)
            runs.append(Run(case, outcome))
        try:
            assessed = check.assess(runs)
        except Exception as exc:  # a defect in judging costs this one test, never the run
            assessed = Assessment(
                Verdict.ERROR,
                f"The grader failed while judging this answer ({type(exc).__name__}: "
                f"{str(exc)[:120]}). This is a grader defect, not your mistake: report it.",
            )
        assessed = trace(self.entry, check, assessed, runs, source=self.source.text,
                         failing={f for f, v in self.verdicts.items() if v is not Verdict.PASSED},
                         call=lambda case, substitute: self.sandbox.call_cases(
                             self.entry.id, function, [(case.args, case.watch)],
                             substitute=substitute)[0])
        extra = check.notes(cuda=self.cuda)
        if self.import_flooded or any(outcome.output_truncated for outcome in outcomes):
            extra += (f"your code printed more than {OUTPUT_CAP} bytes at once; the rest "
                      "was dropped (printing does not change the verdict)",)
        if extra:
            assessed = Assessment(**{**assessed.__dict__, "notes": assessed.notes + extra})
        evidence = self._evidence(check, runs) if assessed.verdict in (
            Verdict.PASSED, Verdict.FAILED) else ()
        return self._result(check, assessed, output=outputs, seconds=seconds, evidence=evidence)

    def _evidence(self, check: Check, runs: list[Run]) -> tuple[Sample, ...]:
        """The check's evidence for the tutor's plots. Its extra calls each have the call time
        limit, none starts once they took that limit in all, and none changes the verdict."""
        spent = 0.0

        def call(cases: list[Case]) -> list[object]:
            nonlocal spent
            values = []
            for case in cases:  # one request each, so that the budget is checked between
                if spent >= self.settings.limits.call_seconds:
                    break
                outcome = self.sandbox.call(self.entry.id, check.function, case.args,
                                            watch=case.watch)
                spent += outcome.seconds
                if not outcome.returned or self._tripped(outcome):
                    break
                values.append(outcome.value)
            return values

        try:
            return check.evidence(runs, call)
        except Exception:  # a plot's data is never worth a test, nor the run
            return ()

    def _tripped(self, outcome: CallOutcome) -> bool:
        forbidden = self.entry.forbidden
        return forbidden is not None and forbidden.label in outcome.tripped

    def _forbidden_assessment(self) -> Assessment:
        assert self.entry.forbidden is not None
        return Assessment(
            Verdict.FAILED,
            f"{self.shown} uses a shortcut this exercise forbids.",
            diagnosis=Diagnosis("forbidden-shortcut", self.entry.forbidden.message),
        )

    def _call_failure(
        self, function: str, label: str, inputs: dict[str, object], outcome: CallOutcome
    ) -> Assessment:
        error = outcome.error
        notes = _output_note(outcome)
        if outcome.outcome is Outcome.RAISED and error["type"] == "NotImplementedError":
            return Assessment(
                Verdict.NOT_ATTEMPTED,
                f"{function}() still raises NotImplementedError: replace the TODO in "
                f"{self.shown} with your answer.",
            )
        if outcome.outcome is Outcome.MISSING:
            return Assessment(Verdict.NOT_ATTEMPTED, f"{self.shown} defines no {function}().")
        if outcome.outcome is Outcome.RAISED:
            where = f" (line {error['line']})" if error.get("line") else ""
            return Assessment(
                Verdict.ERROR,
                f"{function}() raised {error['type']}{where} on {label}: {error['message']}",
                actual=f"{error['type']}: {error['message']}",
                notes=(f"inputs: {inputs}", *notes),
            )
        return Assessment(
            Verdict.ERROR,
            f"{function}() {_lost_words(outcome, self.settings.limits)} on {label}. The other "
            "tests were graded in a fresh process.",
            notes=(f"inputs: {inputs}", *notes),
        )

    def _result(
        self,
        check: Check,
        assessed: Assessment,
        *,
        output: Sequence[str] = (),
        seconds: float = 0.0,
        evidence: tuple[Sample, ...] = (),
    ) -> CheckResult:
        test = self.entry.test_name(check)
        self.verdicts[check.function] = assessed.verdict
        tiers = len(self.entry.hints.get(check.function, ()))
        passed = assessed.verdict is Verdict.PASSED
        line = self.source.functions.get(check.function) if self.source else None
        return CheckResult(
            exercise=self.entry.id,
            function=check.function,
            verdict=assessed.verdict,
            score=float(check.points) if passed else 0.0,
            max_score=float(check.points),
            rationale=assessed.rationale,
            expected=assessed.expected,
            actual=assessed.actual,
            counterexample=assessed.counterexample,
            diagnosis=assessed.diagnosis,
            hints=() if passed else tuple(f"{test}#{n}" for n in range(1, tiers + 1)),
            notes=assessed.notes,
            output="".join(output)[:4000],
            duration=round(seconds, 4),
            file=self.shown,
            line=line,
            evidence=evidence,
        )


@functools.lru_cache(maxsize=2048)
def _analyse(
    text: str, forbidden: Forbidden | None
) -> tuple[dict[str, int], dict[str | None, int]]:
    """Top-level functions (name → line) and forbidden uses; a class repeats many files."""
    tree = ast.parse(text)
    functions = {
        node.name: node.lineno
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)  # 09: Value
    }
    return functions, find_forbidden(tree, forbidden) if forbidden else {}


def _linked_folder(folder: Path) -> bool:
    """Whether the exercises folder is a link (e.g. to solutions/): its files are not theirs."""
    try:
        return stat.S_ISLNK(os.lstat(folder).st_mode)
    except OSError:
        return False


def _read_regular(path: Path) -> bytes:
    """The file's bytes, refusing (ELOOP) a symbolic link swapped in after the lstat check,
    and never more than the size limit."""
    fd = os.open(path, READ_UNTRUSTED)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(21, "not a regular file")
        return os.read(fd, _MAX_SOURCE_BYTES + 1)[:_MAX_SOURCE_BYTES]
    finally:
        os.close(fd)


def _lost_words(outcome: CallOutcome, limits: Limits) -> str:
    if outcome.outcome is Outcome.TIMEOUT:
        return f"did not finish within {outcome.error.get('seconds', limits.call_seconds):g} s"
    if outcome.outcome is Outcome.CRASHED:
        how = outcome.error.get("how", "ended")
        return f"ended the grading process ({how}: os._exit, a signal or a native crash)"
    return f"sent back data the grader cannot read ({outcome.error.get('why', 'malformed')})"


def _output_note(outcome: CallOutcome) -> tuple[str, ...]:
    if not outcome.output:
        return ()
    cut = " (cut here; the rest was dropped)" if outcome.output_truncated else ""
    return (f"your code printed: {outcome.output[:300]}{cut}",)
