"""A class graded with a progress bar and one line per student on standard error."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from autograder.batch.model import BatchResults
from autograder.batch.pool import grade_class
from autograder.batch.similarity import class_sources, rank_while_grading
from autograder.grading.config import GradingConfig
from autograder.grading.model import StudentResult, as_data
from autograder.report.gradebook import exercise_columns


def grade_class_with_progress(
    students: dict[str, Path],
    assignments: list[str],
    jobs: int | None,
    timeout: float,
    config: GradingConfig,
    each_student: bool = True,
) -> list[StudentResult]:
    """Grade a class in the sandbox (:func:`autograder.batch.pool.grade_class`), showing
    each student's score as it comes; raises as ``grade_class`` does (a weak sandbox is
    refused, workers that cannot start are said so); ``each_student`` False: the bar only
    (the command prints the scores itself)."""
    console = Console(stderr=True, highlight=False)
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    before = set(threading.enumerate())
    with progress:
        bar_threads = set(threading.enumerate()) - before  # (its refresh thread)
        task = progress.add_task("Grading", total=len(students))

        def done(result: StudentResult) -> None:
            note = f" ({result.error.splitlines()[0]})" if result.error else ""
            if each_student:
                progress.console.print(
                    as_data(f"{result.student}: {result.score:g}/{result.max_score:g}{note}"),
                    markup=False,
                )
            progress.advance(task)

        results = grade_class(
            students,
            assignments,
            jobs=jobs or os.cpu_count() or 1,
            timeout=timeout,
            on_result=done,
            config=config,
        )
    # The bar's refresh thread is told to stop as the bar closes, not waited for: waited for
    # here, so that this process has one thread again (the outputs fork: batch.background).
    for thread in bar_threads:
        thread.join(timeout=1.0)
    return results


def grade_and_rank_class(
    students: dict[str, Path],
    assignments: list[str],
    jobs: int | None,
    timeout: float,
    config: GradingConfig,
    shard: tuple[int, int] | None = None,
) -> BatchResults:
    """``grade-batch``'s work: the class graded with progress, and its similarity ranked
    beside the grading (:func:`autograder.batch.similarity.rank_while_grading`: it reads only
    the code, so it starts before the first student, in a child of the lowest priority)."""
    sources = class_sources(students, assignments)  # what the similarity ranking compares
    columns = exercise_columns(assignments)
    ranking = rank_while_grading(sources, assignments, columns)
    try:
        results = grade_class_with_progress(students, assignments, jobs, timeout, config)
        batch = BatchResults(assignments, results, shard, columns, sources)
        batch.similarity = ranking.result()
    finally:
        ranking.cancel()
    return batch
