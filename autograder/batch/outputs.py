"""Everything a class run writes into its output folder.

``results.json``         every check result of every student (what ``merge`` reads)
``gradebook.csv``        student x exercise, assignment totals, total, percent, error
``distribution.png``     the score distribution as a bar chart (embedded in summary.md)
and, for each format of :mod:`autograder.report.formats`, its ``class_file`` (``summary.md``,
``summary.json``: score distribution, the checks most students fail, the item analysis, the
alike submissions, every score; ``summary.html``: all of it on one page; ``junit.xml``: one
suite per student and module) and, where it says ``feedback``, each student's report as
``feedback/<student><extension>`` (Markdown, Gradescope JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograder.batch.background import Pending
from autograder.batch.model import RESULTS_FILE, BatchResults
from autograder.batch.similarity import class_similarity
from autograder.report.class_page import distribution_png, draw_charts
from autograder.report.files import feedback_name, feedback_names, write_atomically
from autograder.report.formats import FORMATS, ClassResults, ending_in_newline
from autograder.report.gradebook import render_gradebook
from autograder.report.gradescope import HIDDEN_VISIBILITY
from autograder.report.plots import Bars
from autograder.report.summary import HISTOGRAM_FILE, class_summary

__all__ = ["class_results", "feedback_name", "render_class", "write_outputs"]


def drawn_on_two_cores(charts: Mapping[str, Bars]) -> dict[str, str]:
    """The class page's charts drawn half in a forked child, half here, at once.

    Drawn one after the other, the fourteen assignments' charts took a batch's judge about
    2 s on one core after the last student, while the other core stood idle.  The child
    (:class:`Pending`, at this process's priority) draws the charts of about half the bars;
    the SVG is the same, byte for byte (:func:`autograder.report.plots.bars_svg` draws the
    same data to the same bytes); where the child cannot start or fails, they are drawn here.
    """
    here: dict[str, Bars] = {}
    there: dict[str, Bars] = {}
    # The largest first, each to the side with fewer bars so far (labels are most of the work).
    for name in sorted(charts, key=lambda name: -len(charts[name].labels)):
        side = here if _bars(here) <= _bars(there) else there
        side[name] = charts[name]
    pending = Pending.start(draw_charts, there, priority=None) if there else None
    drawn = draw_charts(here)
    if pending is not None:
        got = pending.result()
        whole = isinstance(got, dict) and got.keys() == there.keys()
        if not (whole and all(isinstance(svg, str) for svg in got.values())):
            got = draw_charts(there)  # (the child answered something else: drawn here)
        drawn.update(got)
    return {name: drawn[name] for name in charts}


def _bars(charts: Mapping[str, Bars]) -> int:
    return sum(len(bars.labels) for bars in charts.values())


def class_results(batch: BatchResults, histogram: str | None = None) -> ClassResults:
    """``batch`` as the class renderers take it: students by name, and their summary."""
    students = sorted(batch.students, key=lambda s: s.student)
    columns = batch.columns()
    summary = class_summary(students, batch.assignments, columns)
    sources = {s.student: batch.sources[s.student] for s in students if s.student in batch.sources}
    if sources and batch.similarity is None:  # the code of this batch's students only
        batch.similarity = class_similarity(sources, batch.assignments, exercises=columns)
    if sources:
        summary["similarity"] = batch.similarity
    return ClassResults(students, batch.assignments, summary, histogram, drawn_on_two_cores)


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
    write_atomically(folder / HISTOGRAM_FILE, distribution_png(summary))
    for fmt in FORMATS.values():
        if fmt.class_file is not None and fmt.render_class is not None:
            write_atomically(folder / fmt.class_file, fmt.render_class(written, lang))
    feedback = folder / "feedback"
    feedback.mkdir(exist_ok=True)
    names = feedback_names([student.student for student in students])
    for student in students:
        name = names[student.student]
        for fmt in FORMATS.values():
            if fmt.feedback and fmt.render is not None:
                text = fmt.render(student.report, lang, HIDDEN_VISIBILITY)
                write_atomically(feedback / f"{name}{fmt.extension}", ending_in_newline(text))
    return summary
