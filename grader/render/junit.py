"""JUnit XML: one testsuite per submission, one testcase per test, for CI tools that read it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.model import SubmissionResult, Verdict
from grader.render.feedback import feedback_text, first_line

__all__ = ["junit_xml"]

# Characters XML 1.0 cannot hold at all, not even escaped: a student who prints an ANSI colour
# code (ESC) or a NUL would otherwise make the whole file unreadable to every JUnit tool.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_xml(results: list[SubmissionResult]) -> str:
    """A `<testsuites>` document. A failure's or error's `message` is its rationale's first
    line (what CI tools show in a list), `type` the diagnosis when one was recognised (else
    the verdict), and its text the whole feedback."""
    root = ET.Element("testsuites", name="descent")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=_xml_safe(result.name))
        properties = ET.SubElement(suite, "properties")
        for key, value in (("score", result.score), ("max_score", result.max_score),
                           ("grader_version", result.grader_version), ("seed", result.seed)):
            ET.SubElement(properties, "property", name=key, value=str(value))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for test in result.tests:
            case = ET.SubElement(
                suite, "testcase", name=test.test,
                classname=_xml_safe(f"{result.name}.{test.exercise}"),
                time=f"{test.duration:.4f}",
            )
            if test.file:
                case.set("file", test.file)
            if test.line:
                case.set("line", str(test.line))
            counts["tests"] += 1
            message = _xml_safe(first_line(test.rationale) or test.verdict.value)
            kind = test.diagnosis.name if test.diagnosis else test.verdict.value
            if test.verdict is Verdict.ERROR:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=message, type=kind).text = (
                    _xml_safe(feedback_text(test)))
            elif test.verdict is Verdict.UNDECIDED:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=message)
            elif not test.passed:
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=message, type=kind).text = (
                    _xml_safe(feedback_text(test)))
            ET.SubElement(case, "system-out").text = f"score {test.score:g}/{test.max_score:g}"
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{result.execution_time:.4f}")
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
