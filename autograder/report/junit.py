"""JUnit XML (GitLab, Jenkins, Azure and most CI systems show it as a test report).

One ``<testsuite>`` per graded module (per student and module for a class), one
``<testcase>`` per check; points go in ``<properties>``, the feedback in ``<failure>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable

from autograder.grading.model import CheckResult, GradeReport
from autograder.report.common import by_module, check_name, points, xml_safe


def _properties(parent: ElementTree.Element, score: float, max_score: float) -> None:
    properties = ElementTree.SubElement(parent, "properties")
    for name, value in (("score", score), ("max_score", max_score)):
        ElementTree.SubElement(properties, "property", name=name, value=points(value))


def _suite(
    parent: ElementTree.Element, name: str, results: list[CheckResult], lang: str, prefix: str
) -> tuple[int, int]:
    failures = sum(not r.passed for r in results)
    suite = ElementTree.SubElement(
        parent,
        "testsuite",
        name=xml_safe(name),
        tests=str(len(results)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    _properties(suite, sum(r.score for r in results), sum(r.max_score for r in results))
    for result in results:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=xml_safe(prefix + result.tag),
            name=xml_safe(check_name(result, lang)),
            time="0",
        )
        _properties(case, result.score, result.max_score)
        if not result.passed:
            feedback = xml_safe(result.feedback_in(lang))  # shown as data
            failure = ElementTree.SubElement(
                case,
                "failure",
                message=(feedback.splitlines() or [""])[0][:500],
                type="CheckFailed",
            )
            failure.text = feedback
    return len(results), failures


def _document(root: ElementTree.Element, tests: int, failures: int, time: float) -> str:
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("time", f"{time:.3f}")
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def render_junit(report: GradeReport, *, lang: str = "en") -> str:
    root = ElementTree.Element("testsuites", name="autograder")
    tests = failures = 0
    for module, results in by_module(report):
        counted, failed = _suite(root, module, results, lang, prefix="")
        tests, failures = tests + counted, failures + failed
    return _document(root, tests, failures, report.execution_time)


def render_junit_class(students: Iterable[tuple[str, GradeReport]], *, lang: str = "en") -> str:
    """A class: one suite per student and module, test cases named ``student.module.function``."""
    root = ElementTree.Element("testsuites", name="autograder")
    tests = failures = 0
    time = 0.0
    for student, report in students:
        for module, results in by_module(report):
            counted, failed = _suite(
                root, f"{student}: {module}", results, lang, prefix=f"{student}."
            )
            tests, failures = tests + counted, failures + failed
        time += report.execution_time
    return _document(root, tests, failures, time)
