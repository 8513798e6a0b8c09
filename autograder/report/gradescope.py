"""Gradescope's ``results.json`` shape: the JSON contract of ``autograder grade``."""

from __future__ import annotations

import json
from typing import Any

from autograder.grading.model import GradeReport


def to_gradescope(report: GradeReport) -> dict[str, Any]:
    return {
        "score": round(report.score, 4),
        "max_score": round(report.max_score, 4),
        "execution_time": round(report.execution_time, 3),
        "output": "\n".join(report.notes),
        "tests": [
            {
                "name": result.title,
                "score": round(result.score, 4),
                "max_score": round(result.max_score, 4),
                "status": "passed" if result.passed else "failed",
                "output": result.feedback,
                "tags": [result.tag],
                "visibility": "visible",
            }
            for result in report.results
        ],
    }


def render_json(report: GradeReport) -> str:
    return json.dumps(to_gradescope(report), indent=2, ensure_ascii=False)
