"""Gradescope's ``results.json`` shape: the JSON contract of ``autograder grade``."""

from __future__ import annotations

import json
from typing import Any

from autograder.grading.model import GradeReport, as_data
from autograder.report.common import check_name, feedback

# Gradescope's visibility settings: "hidden" shows a test to instructors only,
# "after_due_date" once the due date has passed, "after_published" once the grades are
# published, "visible" at once.
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
# What a hidden check is marked with unless the instructor chooses otherwise: its verdict
# ("hidden check k of n", passed or failed) once the due date has passed.
HIDDEN_VISIBILITY = "after_due_date"


def to_gradescope(
    report: GradeReport, lang: str = "en", hidden_visibility: str = HIDDEN_VISIBILITY
) -> dict[str, Any]:
    """The report as Gradescope's results: visible checks ``visible``, hidden ones
    ``hidden_visibility``; the autograder's own standard output is for instructors."""
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"hidden_visibility {hidden_visibility!r}: one of {VISIBILITIES}")
    return {
        "score": round(report.score, 4),
        "max_score": round(report.max_score, 4),
        "execution_time": round(report.execution_time, 3),
        "output": as_data("\n".join(report.notes)),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "sandbox": report.sandbox,
        "tests": [
            {
                "name": f"{result.tag}: {check_name(result, lang)}",
                "score": round(result.score, 4),
                "max_score": round(result.max_score, 4),
                "status": "passed" if result.passed else "failed",
                "output": feedback(result, lang),
                "tags": [result.tag],
                "visibility": "visible" if result.visible else hidden_visibility,
            }
            for result in report.results
        ],
    }


def render_json(
    report: GradeReport, *, lang: str = "en", hidden_visibility: str = HIDDEN_VISIBILITY
) -> str:
    return json.dumps(to_gradescope(report, lang, hidden_visibility), indent=2, ensure_ascii=False)
