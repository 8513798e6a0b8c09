"""Plain text: a table per module for the terminal, and the class as a table."""

from __future__ import annotations

from autograder.grading.model import GradeReport
from autograder.report.formats import ClassResults, ReportFormat
from autograder.report.text import render_text


def _report(report: GradeReport, lang: str, hidden_visibility: str) -> str:
    return render_text(report, lang=lang)


def _class(results: ClassResults, lang: str) -> str:
    from autograder.report.summary import render_summary_text  # (rich's tables: only for a class)

    return render_summary_text(results.summary, lang=lang)


FORMAT = ReportFormat("text", ".txt", render=_report, render_class=_class)
