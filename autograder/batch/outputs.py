"""Everything a class run writes into its output folder.

``results.json``         every check result of every student (what ``merge`` reads)
``gradebook.csv``        student x exercise, assignment totals, total, percent, error
``distribution.png``     the score distribution as a bar chart (embedded in summary.md)
and, for each format of :mod:`autograder.report.formats`, its ``class_file`` (``summary.md``,
``summary.json``: score distribution, the checks most students fail, every score;
``junit.xml``: one suite per student and module) and, where it says ``feedback``, each
student's report as ``feedback/<student><extension>`` (Markdown, Gradescope JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograder.batch.model import RESULTS_FILE, BatchResults
from autograder.report.files import write_atomically
from autograder.report.formats import FORMATS, ClassResults, ending_in_newline
from autograder.report.gradebook import render_gradebook
from autograder.report.gradescope import HIDDEN_VISIBILITY
from autograder.report.histogram import histogram_png
from autograder.report.summary import HISTOGRAM_FILE, class_summary


def feedback_name(student: str) -> str:
    """A file name for a student (names come from folder names; keep them harmless)."""
    safe = "".join(c if c.isalnum() or c in "-_.@+" else "_" for c in student).lstrip(".")
    return safe or "_"


def class_results(batch: BatchResults, histogram: str | None = None) -> ClassResults:
    """``batch`` as the class renderers take it: students by name, and their summary."""
    students = sorted(batch.students, key=lambda s: s.student)
    summary = class_summary(students, batch.assignments, batch.columns())
    return ClassResults(students, batch.assignments, summary, histogram)


def render_class(fmt: str, batch: BatchResults, lang: str = "en") -> str:
    """The class summary of ``batch`` in format ``fmt`` (one of ``CLASS_FORMATS``)."""
    renderer = FORMATS[fmt].render_class
    assert renderer is not None, f"{fmt} shows no class"
    return renderer(class_results(batch), lang)


def write_outputs(folder: Path, batch: BatchResults, *, lang: str = "en") -> dict[str, Any]:
    """Write every output file of ``batch`` into ``folder``; return the class summary."""
    folder.mkdir(parents=True, exist_ok=True)
    batch.save(folder / RESULTS_FILE)
    written = class_results(batch, histogram=HISTOGRAM_FILE)
    students, summary = written.students, written.summary
    write_atomically(
        folder / "gradebook.csv", render_gradebook(students, batch.assignments, batch.columns())
    )
    counts = [bucket["students"] for bucket in summary["distribution"]]
    write_atomically(folder / HISTOGRAM_FILE, histogram_png(counts))
    for fmt in FORMATS.values():
        if fmt.class_file is not None and fmt.render_class is not None:
            write_atomically(folder / fmt.class_file, fmt.render_class(written, lang))
    feedback = folder / "feedback"
    feedback.mkdir(exist_ok=True)
    used: set[str] = set()
    for student in students:
        name = base = feedback_name(student.student)
        while name.lower() in used:  # two names that became the same file name
            name = f"{base}-{len(used)}"
        used.add(name.lower())
        for fmt in FORMATS.values():
            if fmt.feedback and fmt.render is not None:
                text = fmt.render(student.report, lang, HIDDEN_VISIBILITY)
                write_atomically(feedback / f"{name}{fmt.extension}", ending_in_newline(text))
    return summary
