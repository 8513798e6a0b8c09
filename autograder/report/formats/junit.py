"""JUnit XML: GitLab's and other CI's test reports; the class as one suite per student."""

from __future__ import annotations

from autograder.grading.model import GradeReport
from autograder.report.formats import ClassResults, ReportFormat
from autograder.report.junit import render_junit, render_junit_class


def _report(report: GradeReport, lang: str, hidden_visibility: str) -> str:
    return render_junit(report, lang=lang)


def _class(results: ClassResults, lang: str) -> str:
    return render_junit_class([(s.student, s.report) for s in results.students], lang=lang)


FORMAT = ReportFormat("junit", ".xml", render=_report, render_class=_class, class_file="junit.xml")
