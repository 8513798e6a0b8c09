"""Everything a class run writes into its output folder.

``results.json``         every check result of every student (what ``merge`` reads)
``gradebook.csv``        student x exercise, assignment totals, total, percent, error
``summary.md/.json``     score distribution, the checks most students fail, every score
``summary.html``         the class on one self-contained page: charts, item analysis, alike
                         submissions, every student linked to their feedback
``distribution.png``     the score distribution as a bar chart (embedded in summary.md)
``junit.xml``            the class as a JUnit report (one suite per student and module)
``feedback/<student>.md / .json``   each student's report (Markdown, Gradescope JSON)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from autograder.batch.model import RESULTS_FILE, BatchResults
from autograder.batch.similarity import class_similarity
from autograder.report.class_page import distribution_png, render_class_page
from autograder.report.files import write_atomically
from autograder.report.gradebook import render_gradebook
from autograder.report.gradescope import render_json
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
    sources = {s.student: batch.sources[s.student] for s in students if s.student in batch.sources}
    if sources:  # the code of this batch's students only
        summary["similarity"] = class_similarity(sources, batch.assignments, exercises=columns)
    write_atomically(folder / "summary.json", render_summary_json(summary))
    write_atomically(folder / HISTOGRAM_FILE, distribution_png(summary))
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
    names = feedback_names([student.student for student in students])
    for student in students:
        report = student.report
        name = names[student.student]
        write_atomically(feedback / f"{name}.md", render_markdown(report, lang=lang))
        write_atomically(feedback / f"{name}.json", render_json(report, lang=lang) + "\n")
    links = {student: f"feedback/{quote(name)}.md" for student, name in names.items()}
    write_atomically(folder / "summary.html", render_class_page(summary, lang=lang, feedback=links))
    return summary


def feedback_names(students: list[str]) -> dict[str, str]:
    """Student -> the name of their feedback files (two names may become the same file)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for student in students:
        name = base = feedback_name(student)
        while name.lower() in used:
            name = f"{base}-{len(used)}"
        used.add(name.lower())
        names[student] = name
    return names
