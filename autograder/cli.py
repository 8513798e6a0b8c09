"""The ``autograder`` command: its options, and what it prints.

Each command checks its options, hands the rest to a judge forked from the fork server
(:mod:`autograder.engine.handover`: the command never imports torch), and calls the package
that does the work: ``grading`` grades, ``report`` renders (a format a module), ``batch``
grades a class, ``release`` builds the release. docs/architecture.md draws the route.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from autograder import __version__, cli_platforms
from autograder import cli_options as shared
from autograder.cli_options import STUDENT_COMMANDS, CourseCommands
from autograder.engine.handover import Invocation, exit_with, take_over
from autograder.grading.registry import ASSIGNMENT_NAMES
from autograder.report import EXTENSIONS, render

__all__ = ["STUDENT_COMMANDS", "entry_point", "main", "run_in_a_judge"]


_hand_over_to_a_judge = shared.hand_over_to_a_judge


def run_in_a_judge(fd_in: int, fd_out: int) -> None:
    """In a judge forked from the fork server: run the command it was handed, and exit."""
    invocation, prog_name = take_over(fd_in, fd_out)
    args = list(invocation.args)
    exit_with(lambda: main.main(args=args, prog_name=prog_name, obj=invocation))


@click.group(cls=CourseCommands)
@click.version_option(__version__, prog_name="autograder")
def main() -> None:
    """Grade PyTorch exercises with property-based checks in a sandboxed runner."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@shared.assignment_option()
@shared.REPORT_OUTPUT
@shared.WEAK_SANDBOX
@shared.LANG
def grade(
    path: Path,
    assignment: str | None,
    fmt: str,
    output: Path | None,
    saves: tuple[Path, ...],
    fail_under: float | None,
    data_root: Path | None,
    hidden_visibility: str,
    allow_weak_sandbox: bool,
    lang: str,
) -> None:
    """Grade PATH: a module file, a notebook, or a folder holding them."""
    for save in saves:
        if save.suffix not in EXTENSIONS:
            raise click.UsageError(
                f"--save {save}: the extension must be one of {', '.join(EXTENSIONS)}"
            )
    _hand_over_to_a_judge()
    from autograder import data
    from autograder.grading.config import GradingConfig
    from autograder.grading.grade import grade_path

    config = GradingConfig.for_command(weak_sandbox=allow_weak_sandbox, data_root=data_root)
    if config.data_root is not None:
        try:
            data.prepare_fashion_mnist(config.data_root)  # unpacks *.gz next to themselves
        except OSError as error:
            raise click.BadParameter(str(error), param_hint="--data-root") from None
    with shared.refusals():
        report = grade_path(path, assignment, config=config, parallel=True)
    for save in saves:
        shared.write(render(report, EXTENSIONS[save.suffix], lang, hidden_visibility), save)
    shared.write(render(report, fmt, lang, hidden_visibility), output)
    shared.exit_if_under(report.score, report.max_score, fail_under)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True), default=".")
@click.option("--function", default=None, help="Check only this function (e.g. gather).")
@shared.assignment_option()
@shared.LANG
def check(path: Path, function: str | None, assignment: str | None, lang: str) -> None:
    """Quick self-check: run the visible checks on your work (default: this folder).

    PATH is what ``grade`` takes: a module file, a notebook, or a folder holding them (also
    as ``<assignment>/<assignment>.ipynb``). Prints every check as it finishes, then the next
    thing to fix. Exit status 0 when every visible check passes, 1 otherwise.
    """
    _hand_over_to_a_judge()
    from autograder.grading.discovery import choices_made, select_for_check
    from autograder.grading.grade import check_visible
    from autograder.i18n import translate
    from autograder.report.selfcheck import progress_line, render_check_summary

    with shared.refusals():
        found = select_for_check(path, function, assignment, lang)
    for note in choices_made(path, found):  # several files of an assignment: which, and why
        click.echo(translate(note, lang))
    results = check_visible(
        found,
        function,
        on_module=lambda file: click.echo(f"{file}:"),
        on_result=lambda result: click.echo(progress_line(result, lang)),
    )
    click.echo(render_check_summary(results, lang), nl=False)
    sys.exit(0 if all(r.passed for r in results) else 1)


@main.command("grade-batch")
@click.argument("submissions", type=click.Path(path_type=Path, file_okay=False))
@shared.assignment_option(many=True, help="Grade only this assignment (repeatable; default: all).")
@shared.JOBS
@shared.SHARD
@shared.CLASS_OUTPUT
@shared.TIMEOUT
@click.option(
    "--kept-transcripts/--no-kept-transcripts",
    default=False,
    show_default=True,
    help="Also replay the transcripts kept on disk by earlier gradings. Off by default: "
    "grading replays what this batch's own workers record either way.",
)
@shared.WEAK_SANDBOX
@shared.LANG
def grade_batch(
    submissions: Path,
    assignments: tuple[str, ...],
    jobs: int | None,
    shard: str | None,
    output_dir: Path,
    fmt: str,
    roster: Path | None,
    timeout: float,
    kept_transcripts: bool,
    allow_weak_sandbox: bool,
    lang: str,
) -> None:
    """Grade a class: SUBMISSIONS holds one folder (or notebook) per student.

    Writes gradebook.csv, summary.md/json/html, junit.xml, results.json (for merge), feedback/
    and, with --roster, canvas.csv into --output-dir; prints the class summary.
    """
    shared.require_extra("instructor", shared.CLASS_INSIGHT)
    _hand_over_to_a_judge()
    from autograder.batch.model import students_of_shard
    from autograder.batch.outputs import render_class
    from autograder.batch.progress import grade_and_rank_class
    from autograder.grading.config import GradingConfig

    config = GradingConfig.for_command(
        weak_sandbox=allow_weak_sandbox, kept_transcripts=kept_transcripts
    )
    with shared.refusals():
        students, cut = students_of_shard(submissions, shard, shared.job_engine_variables())
    if cut and shard and shard.startswith("auto"):
        click.echo(f"grading shard {cut[0]}/{cut[1]} (--shard {shard})", err=True)
    chosen = list(assignments) or list(ASSIGNMENT_NAMES)
    with shared.refusals():
        batch = grade_and_rank_class(students, chosen, jobs, timeout, config, cut)
    shared.write_class_outputs(output_dir, batch, lang, roster)
    click.echo(render_class(fmt, batch, lang), nl=False)


@main.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@shared.CLASS_OUTPUT
@shared.LANG
def merge(
    shards: tuple[Path, ...], output_dir: Path, fmt: str, roster: Path | None, lang: str
) -> None:
    """Combine the results of grade-batch --shard runs into one gradebook.

    SHARDS are results.json files or the folders holding them (or a folder of such
    folders, as CI artifacts download).
    """
    from autograder.batch.model import merge_files
    from autograder.batch.outputs import render_class

    shared.require_extra("instructor", shared.CLASS_INSIGHT)
    with shared.refusals():
        batch = merge_files(shards)
    shared.write_class_outputs(output_dir, batch, lang, roster)
    click.echo(render_class(fmt, batch, lang), nl=False)


@main.command()
@click.argument("submissions", type=click.Path(path_type=Path, file_okay=False, exists=True))
@shared.assignment_option(many=True, help="Compare only this assignment (repeatable).")
@shared.SIMILARITY
@shared.LANG
def similarity(
    submissions: Path,
    assignments: tuple[str, ...],
    boilerplate: tuple[Path, ...],
    fmt: str,
    output_dir: Path | None,
    lang: str,
) -> None:
    """Rank alike pairs of SUBMISSIONS (as grade-batch's) for review, never as a verdict."""
    from autograder.batch.similarity import similarity_report

    shared.require_extra("instructor", shared.CLASS_INSIGHT)
    with shared.refusals():  # no --assignment: every assignment
        ranking = similarity_report(submissions, assignments, boilerplate, fmt, lang, output_dir)
        click.echo(ranking, nl=False)


@main.command("grade-nbgrader")
@click.argument("assignment", type=click.Choice(ASSIGNMENT_NAMES))
@shared.COURSE
@shared.JOBS
@shared.TIMEOUT
@shared.WEAK_SANDBOX
def grade_nbgrader(
    assignment: str,
    course_dir: Path,
    students: tuple[str, ...],
    jobs: int | None,
    timeout: float,
    allow_weak_sandbox: bool,
) -> None:
    """Grade nbgrader's submitted/<student>/ASSIGNMENT/ in the sandbox, into its gradebook.

    Writes every test cell's points (partial credit included) into the course's nbgrader
    gradebook, where nbgrader export and the formgrader read them, and the autograded/
    notebooks with our feedback in the test cells (for nbgrader generate_feedback); runs no
    notebook.  The assignment must be in the gradebook (nbgrader generate_assignment).
    """
    shared.require_extra("release", "grading an nbgrader course")
    _hand_over_to_a_judge()
    from autograder.batch import nbgrader
    from autograder.batch.nbgrader_feedback import write_autograded
    from autograder.batch.progress import grade_class_with_progress
    from autograder.grading.config import GradingConfig

    # The workers keep transcripts in memory only.
    config = GradingConfig.for_command(weak_sandbox=allow_weak_sandbox, kept_transcripts=False)
    with shared.refusals():
        course = nbgrader.open_course(course_dir)
        cells = nbgrader.grade_cells(course, assignment)
        folders = nbgrader.chosen_submissions(course, assignment, students)
    for note in nbgrader.mismatches(cells, assignment):
        click.echo(f"warning: {note}", err=True)
    with shared.refusals():
        results = grade_class_with_progress(folders, [assignment], jobs, timeout, config, False)
    totals = nbgrader.write_grades(course, assignment, results, folders)
    notebooks = write_autograded(course, assignment, results, folders)
    most = sum(cells.values())
    for student, total in totals.items():
        click.echo(f"{student}: {total:g}/{most:g}")
    click.echo(f"wrote {assignment} for {len(totals)} students into {course.db_url}")
    click.echo(f"wrote {len(notebooks)} notebooks into autograded/: nbgrader generate_feedback")


@main.command()
@shared.RELEASE
@shared.assignment_option(
    many=True, help="Build only this assignment's stub and notebooks (repeatable; default: all)."
)
def release(root: Path, kit: bool, assignments: tuple[str, ...]) -> None:
    """Build the student release from solutions/: stubs, nbgrader notebooks, the kit."""
    # The student kit ships without the release builder; nbgrader is the release extra.
    shared.require_extra("release", "building the release", ("autograder.release.build",))
    from autograder.release.build import build_release
    from autograder.release.kit import build_kit

    try:
        written = build_release(root, names=assignments or ASSIGNMENT_NAMES)
    except (FileNotFoundError, ValueError) as error:
        raise click.UsageError(str(error)) from None
    for path in written:
        click.echo(f"wrote {path}")
    if kit:
        click.echo(f"wrote {build_kit(root, root / 'release' / 'kit')}")


cli_platforms.add_to(main)  # Gradescope's package and run, the LMS export


def entry_point() -> None:
    """The ``autograder`` command: :func:`main`, then exit without tearing down the interpreter."""
    args = tuple(sys.argv[1:])
    exit_with(lambda: main.main(args=list(args), obj=Invocation(args)))


if __name__ == "__main__":
    entry_point()
