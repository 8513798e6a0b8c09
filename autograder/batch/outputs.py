"""Everything a class run writes into its output folder.

``results.json``         every check result of every student (what ``merge`` reads)
``gradebook.csv``        student x exercise, assignment totals, total, percent, error
``summary.md/.json``     score distribution, the checks most students fail, every score
``distribution.png``     the score distribution as a bar chart (embedded in summary.md)
``junit.xml``            the class as a JUnit report (one suite per student and module)
``feedback/<student>.md / .json``   each student's report (Markdown, Gradescope JSON)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograder.batch.model import RESULTS_FILE, BatchResults
from autograder.report.files import write_atomically
from autograder.report.gradebook import render_gradebook
from autograder.report.gradescope import render_json
from autograder.report.histogram import histogram_png
from autograder.report.junit import render_junit_class
from autograder.report.markdown import render_markdown
from autograder.report.summary import (
    HISTOGRAM_FILE,
    class_summary,
    render_summary_json,
    render_summary_markdown,
)


def feedback_name(student: str) -> str:
    """A file name for a student (names come from folder names; keep them harmless)."""
    safe = "".join(c if c.isalnum() or c in "-_.@+" else "_" for c in student).lstrip(".")
    return safe or "_"


def write_outputs(folder: Path, batch: BatchResults, *, lang: str = "en") -> dict[str, Any]:
    """Write every output file of ``batch`` into ``folder``; return the class summary."""
    folder.mkdir(parents=True, exist_ok=True)
    batch.save(folder / RESULTS_FILE)
    students = sorted(batch.students, key=lambda s: s.student)
    columns = batch.columns()
    write_atomically(
        folder / "gradebook.csv", render_gradebook(students, batch.assignments, columns)
    )
    summary = class_summary(students, batch.assignments, columns)
    write_atomically(folder / "summary.json", render_summary_json(summary))
    counts = [bucket["students"] for bucket in summary["distribution"]]
    write_atomically(folder / HISTOGRAM_FILE, histogram_png(counts))
    write_atomically(
        folder / "summary.md",
        render_summary_markdown(summary, lang=lang, histogram=HISTOGRAM_FILE),
    )
    write_atomically(
        folder / "junit.xml",
        render_junit_class([(s.student, s.report) for s in students], lang=lang),
    )
    feedback = folder / "feedback"
    feedback.mkdir(exist_ok=True)
    used: set[str] = set()
    for student in students:
        name = base = feedback_name(student.student)
        while name.lower() in used:  # two names that became the same file name
            name = f"{base}-{len(used)}"
        used.add(name.lower())
        report = student.report
        write_atomically(feedback / f"{name}.md", render_markdown(report, lang=lang))
        write_atomically(feedback / f"{name}.json", render_json(report, lang=lang) + "\n")
    return summary
