"""Gradescope's ``results.json`` shape: the JSON contract of ``autograder grade``."""

from __future__ import annotations

import json
from typing import Any

from autograder.grading.model import GradeReport, as_data
from autograder.report.common import check_name, feedback


def to_gradescope(report: GradeReport, lang: str = "en") -> dict[str, Any]:
    return {
        "score": round(report.score, 4),
        "max_score": round(report.max_score, 4),
        "execution_time": round(report.execution_time, 3),
        "output": as_data("\n".join(report.notes)),
        "sandbox": report.sandbox,
        "tests": [
            {
                "name": f"{result.tag}: {check_name(result, lang)}",
                "score": round(result.score, 4),
                "max_score": round(result.max_score, 4),
                "status": "passed" if result.passed else "failed",
                "output": feedback(result, lang),
                "tags": [result.tag],
                "visibility": "visible",
            }
            for result in report.results
        ],
    }


def render_json(report: GradeReport, *, lang: str = "en") -> str:
    return json.dumps(to_gradescope(report, lang), indent=2, ensure_ascii=False)
