"""The class gradebook as CSV: one row per student, one column per exercise, then totals."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from autograder.grading.model import GradeReport, StudentResult
from autograder.report.common import by_module, percent, points, spreadsheet_cell


def exercise_columns(assignments: Sequence[str]) -> list[tuple[str, str]]:
    """(assignment, function) of every graded exercise, in course order (loads the checks)."""
    from autograder.grading.registry import load_assignment

    return [
        (name, exercise.name)
        for name in assignments
        for exercise in load_assignment(name).exercises
    ]


def why_nothing(student: StudentResult) -> str:
    """Why a student who lost every point did: the batch's error (nothing to grade, a
    timeout, a crash), else each module's most common failure (a syntax error with its line,
    a module that hangs or kills its runner on import, stubs); empty for anyone else."""
    if student.error:
        return student.error
    if student.score > 0 or not student.results:
        return ""
    reasons = []
    for module, results in by_module(GradeReport(list(student.results))):
        lines = Counter(r.feedback.strip().split("\n")[0] for r in results if not r.passed)
        if not lines:
            continue
        (most, _), others = lines.most_common(1)[0], len(lines) - 1
        reasons.append(f"{module}: {most}" + (f" (and {others} other reasons)" if others else ""))
    return "; ".join(reasons)


def gradebook_rows(
    students: Sequence[StudentResult],
    assignments: Sequence[str],
    columns: Sequence[tuple[str, str]] | None = None,
) -> list[list[str]]:
    """The CSV's rows; ``columns`` as :func:`exercise_columns` (computed when not given)."""
    columns = list(columns) if columns else exercise_columns(assignments)
    header = (
        ["student"]
        + [f"{a}.{f}" for a, f in columns]
        + list(assignments)
        + ["total", "max_score", "percent", "error"]
    )
    rows = [header]
    for student in sorted(students, key=lambda s: s.student):
        scores: dict[tuple[str, str], float] = {}
        for result in student.results:
            key = (result.assignment, result.function)
            scores[key] = scores.get(key, 0.0) + result.score
        by_assignment = [
            sum(r.score for r in student.results if r.assignment == name) for name in assignments
        ]
        rows.append(
            [spreadsheet_cell(student.student)]
            + [points(scores.get(column, 0.0)) for column in columns]
            + [points(score) for score in by_assignment]
            + [
                points(student.score),
                points(student.max_score),
                f"{percent(student.score, student.max_score):.1f}",
                spreadsheet_cell(" ".join(why_nothing(student).split())),
            ]
        )
    return rows


def render_gradebook(
    students: Sequence[StudentResult],
    assignments: Sequence[str],
    columns: Sequence[tuple[str, str]] | None = None,
) -> str:
    """The gradebook as CSV text, for spreadsheets and LMS imports."""
    buffer = io.StringIO()
    rows = gradebook_rows(students, assignments, columns)
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
