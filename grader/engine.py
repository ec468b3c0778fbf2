"""Grading one submission: each file read, run sandboxed, assessed and scored."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import __version__
from grader.checks import Check
from grader.checks.base import Assessment, Call, Case, Run
from grader.checks.raised import RaisedError
from grader.course import CATALOG, Exercise
from grader.i18n import _
from grader.isolation import detect
from grader.model import CheckResult, Diagnosis, Sample, SubmissionResult, Verdict
from grader.sandbox import OUTPUT_CAP, CallOutcome, Limits, Outcome, Sandbox, warm_up
from grader.source_file import SourceFile, read_source
from grader.tracing import trace

__all__ = ["DEFAULT_SEED", "Settings", "derive_seed", "grade"]

DEFAULT_SEED = 20261121


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
    # Evidence (the student's own values, for the tutor's plots) costs extra calls; batch
    # grading draws no plot, so it leaves it out. It never changes a verdict or a score.
    evidence: bool = True


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
    # Resolved once: a file that is itself a link is refused before it is loaded, so the
    # folder's real path and the file's name are the file's real path.
    resolved = exercises_dir.resolve()
    with Sandbox(settings.limits) as sandbox:
        for entry in exercises:
            grading = _ExerciseGrading(entry, exercises_dir, resolved, name, settings, cuda,
                                       sandbox)
            results.extend(grading.run())
    return SubmissionResult(
        name=name,
        tests=tuple(results),
        execution_time=round(time.perf_counter() - started, 4),
        grader_version=__version__,
        seed=settings.seed,
        isolation=detect().name,
    )


class _ExerciseGrading:
    """The grading of one exercise file of one submission."""

    def __init__(
        self,
        entry: Exercise,
        exercises_dir: Path,
        resolved_dir: Path,
        name: str,
        settings: Settings,
        cuda: bool,
        sandbox: Sandbox,
    ) -> None:
        self.entry = entry
        self.path = exercises_dir / entry.filename
        self.resolved = str(resolved_dir / entry.filename)
        self.shown = f"{exercises_dir.name}/{entry.filename}"
        self.name = name
        self.settings = settings
        self.cuda = cuda
        self.sandbox = sandbox
        self.source: SourceFile | None = None
        self.import_flooded = False  # importing the file printed past the output cap
        self.verdicts: dict[str, Verdict] = {}  # function -> verdict so far, for tracing

    def run(self) -> list[CheckResult]:
        read = read_source(self.path, self.shown, self.entry.forbidden)
        if isinstance(read, Assessment):
            return [self._result(check, read) for check in self.entry.checks]
        self.source = read
        if not self.settings.run_untouched_stubs and self.entry.is_untouched_stub(read.text):
            return [self._result(check, self._untouched(check.function))
                    for check in self.entry.checks]
        module_forbidden = None in read.forbidden
        # Every check's cases are drawn now and made in the request that imports the file.
        planned = {check: check.cases(self._rng(check), cuda=self.cuda)
                   for check in self.entry.checks
                   if self._static_assessment(check, module_forbidden=module_forbidden) is None}
        loaded, answers = self.sandbox.load(
            self.entry.id, self.resolved, read.text,
            [(check.function, [(case.args, case.watch) for case in cases])
             for check, cases in planned.items()])
        self.import_flooded = loaded.output_truncated
        if not loaded.returned:
            failure = self._import_failure(loaded)
            return [self._result(check, failure) for check in self.entry.checks]
        module_forbidden = module_forbidden or self._tripped(loaded)
        outcomes = dict(zip(planned, answers, strict=True))
        return [self._grade_check(check, module_forbidden, planned.get(check, []),
                                  outcomes.get(check, [])) for check in self.entry.checks]

    def _untouched(self, function: str) -> Assessment:
        return Assessment(
            Verdict.NOT_ATTEMPTED,
            _("{file} is still the stub as shipped: replace the TODO in {function}() with your "
              "answer.").format(file=self.shown, function=function),
        )

    def _import_failure(self, loaded: CallOutcome) -> Assessment:
        if loaded.outcome is Outcome.RAISED:
            error = loaded.error
            raised = (_("Importing {file} raised {error} at line {line}: {message}.")
                      if error.get("line") else
                      _("Importing {file} raised {error}: {message}."))
            return Assessment(
                Verdict.ERROR,
                raised.format(file=self.shown, error=error["type"], line=error.get("line"),
                              message=error["message"]) + " " +
                _("Code at the top level of the file runs on import: move it into a function "
                  "or fix it."),
                notes=_output_note(loaded),
            )
        return Assessment(
            Verdict.ERROR,
            _("Importing {file} {what}. Look for code at the top level of the file (input(), "
              "loops, sys.exit) and move it into a function.").format(
                file=self.shown, what=_lost_words(loaded, self.settings.limits)),
            notes=_output_note(loaded),
        )

    # -- running and assessing one check ---------------------------------------------------

    def _rng(self, check: Check) -> np.random.Generator:
        test = self.entry.test_name(check)
        return np.random.default_rng(derive_seed(self.settings.seed, self.name, test,
                                                 self.settings.secret))

    def _static_assessment(self, check: Check, *, module_forbidden: bool) -> Assessment | None:
        """What reading the file alone decides for `check`: no such function, or a shortcut."""
        assert self.source is not None
        if check.function not in self.source.functions:
            return Assessment(
                Verdict.NOT_ATTEMPTED,
                _("{file} has no function {function}(); keep the stub's name and signature.")
                .format(file=self.shown, function=check.function),
            )
        if module_forbidden or check.function in self.source.forbidden:
            return self._forbidden_assessment()
        return None

    def _grade_check(self, check: Check, module_forbidden: bool, cases: list[Case],
                     outcomes: list[CallOutcome]) -> CheckResult:
        assert self.source is not None
        function = check.function
        decided = self._static_assessment(check, module_forbidden=module_forbidden)
        if decided is not None:
            return self._result(check, decided)
        runs: list[Run] = []
        outputs: list[str] = []
        seconds = 0.0
        for case, outcome in zip(cases, outcomes, strict=False):
            seconds += outcome.seconds
            if outcome.output:
                outputs.append(outcome.output)
            if self._tripped(outcome):
                return self._result(check, self._forbidden_assessment(), seconds=seconds)
            if not outcome.returned:
                failure = self._call_failure(function, case.label, case.shown_inputs(), outcome)
                if failure.verdict is Verdict.ERROR and outcome.outcome is Outcome.RAISED:
                    failure = self._explained(check, case, outcome, failure)
                return self._result(check, failure, output=outputs, seconds=seconds)
            runs.append(Run(case, outcome))
        try:
            assessed = check.assess(runs)
        except Exception as exc:  # a defect in judging costs this one test, never the run
            assessed = Assessment(
                Verdict.ERROR,
                _("The grader failed while judging this answer ({error}: {message}). This is a "
                  "grader defect, not your mistake: report it.").format(
                    error=type(exc).__name__, message=str(exc)[:120]),
            )
        assessed = trace(self.entry, check, assessed, runs, source=self.source.text,
                         failing={f for f, v in self.verdicts.items() if v is not Verdict.PASSED},
                         call=lambda case, substitute: self.sandbox.call_cases(
                             self.entry.id, function, [(case.args, case.watch)],
                             substitute=substitute)[0])
        extra = check.notes(cuda=self.cuda)
        if self.import_flooded or any(outcome.output_truncated for outcome in outcomes):
            extra += (_("your code printed more than {limit} bytes at once; the rest was "
                        "dropped (printing does not change the verdict)").format(limit=OUTPUT_CAP),)
        if extra:
            assessed = Assessment(**{**assessed.__dict__, "notes": assessed.notes + extra})
        evidence = self._evidence(check, runs) if assessed.verdict in (
            Verdict.PASSED, Verdict.FAILED) else ()
        return self._result(check, assessed, output=outputs, seconds=seconds, evidence=evidence)

    def _explained(self, check: Check, case: Case, outcome: CallOutcome,
                   failure: Assessment) -> Assessment:
        """`failure` with the check's named mistake behind what the call raised, if it finds
        one: it sees the error's plain text only, and its extra calls are bounded as evidence's."""
        try:
            diagnosis = check.explain_error(case, RaisedError.of(outcome.error),
                                            self._extra_calls(check))
        except Exception:  # a diagnosis is never worth a test, nor the run
            return failure
        if diagnosis is None:
            return failure
        return Assessment(**{**failure.__dict__, "diagnosis": diagnosis})

    def _evidence(self, check: Check, runs: list[Run]) -> tuple[Sample, ...]:
        """The check's evidence for the tutor's plots; none of it changes the verdict."""
        if not self.settings.evidence:
            return ()
        try:
            return check.evidence(runs, self._extra_calls(check))
        except Exception:  # a plot's data is never worth a test, nor the run
            return ()

    def _extra_calls(self, check: Check) -> Call:
        """The student's function on cases beyond the graded ones: each call has the call time
        limit, and none starts once they took that limit in all."""
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

        return call

    def _tripped(self, outcome: CallOutcome) -> bool:
        forbidden = self.entry.forbidden
        return forbidden is not None and forbidden.label in outcome.tripped

    def _forbidden_assessment(self) -> Assessment:
        assert self.entry.forbidden is not None
        return Assessment(
            Verdict.FAILED,
            _("{file} uses a shortcut this exercise forbids.").format(file=self.shown),
            diagnosis=Diagnosis("forbidden-shortcut", _(self.entry.forbidden.message)),
        )

    def _call_failure(
        self, function: str, label: str, inputs: dict[str, object], outcome: CallOutcome
    ) -> Assessment:
        error = outcome.error
        notes = _output_note(outcome)
        if outcome.outcome is Outcome.RAISED and error["type"] == "NotImplementedError":
            return Assessment(
                Verdict.NOT_ATTEMPTED,
                _("{function}() still raises NotImplementedError: replace the TODO in {file} "
                  "with your answer.").format(function=function, file=self.shown),
            )
        if outcome.outcome is Outcome.MISSING:
            return Assessment(Verdict.NOT_ATTEMPTED, _("{file} defines no {function}().").format(
                file=self.shown, function=function))
        inputs_note = _("inputs: {inputs}").format(inputs=inputs)
        if outcome.outcome is Outcome.RAISED:
            raised = (_("{function}() raised {error} (line {line}) on {case}: {message}")
                      if error.get("line") else
                      _("{function}() raised {error} on {case}: {message}"))
            return Assessment(
                Verdict.ERROR,
                raised.format(function=function, error=error["type"], line=error.get("line"),
                              case=_(label), message=error["message"]),
                actual=f"{error['type']}: {error['message']}",
                notes=(inputs_note, *notes),
            )
        return Assessment(
            Verdict.ERROR,
            _("{function}() {what} on {case}. The other tests were graded in a fresh process.")
            .format(function=function, what=_lost_words(outcome, self.settings.limits),
                    case=_(label)),
            notes=(inputs_note, *notes),
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


def _lost_words(outcome: CallOutcome, limits: Limits) -> str:
    if outcome.outcome is Outcome.TIMEOUT:
        return _("did not finish within {seconds:g} s").format(
            seconds=outcome.error.get("seconds", limits.call_seconds))
    if outcome.outcome is Outcome.CRASHED:
        return _("ended the grading process ({how}: os._exit, a signal or a native crash)")\
            .format(how=outcome.error.get("how", "ended"))
    return _("sent back data the grader cannot read ({why})").format(
        why=outcome.error.get("why", "malformed"))


def _output_note(outcome: CallOutcome) -> tuple[str, ...]:
    if not outcome.output:
        return ()
    if outcome.output_truncated:
        return (_("your code printed: {output} (cut here; the rest was dropped)").format(
            output=outcome.output[:300]),)
    return (_("your code printed: {output}").format(output=outcome.output[:300]),)
