"""JSON: Gradescope's results.json for a report; the class's summary.json."""

from __future__ import annotations

from autograder.grading.model import GradeReport
from autograder.report.formats import ClassResults, ReportFormat
from autograder.report.gradescope import render_json


def _report(report: GradeReport, lang: str, hidden_visibility: str) -> str:
    return render_json(report, lang=lang, hidden_visibility=hidden_visibility)


def _class(results: ClassResults, lang: str) -> str:
    from autograder.report.summary import render_summary_json  # (rich's tables: only for a class)

    return render_summary_json(results.summary)


FORMAT = ReportFormat(
    "json", ".json", render=_report, render_class=_class, class_file="summary.json", feedback=True
)
