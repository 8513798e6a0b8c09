"""The commands for where a course already grades: Gradescope's autograder package and
its run in Gradescope's container, and the LMS's gradebook import.

Declared here and added to :data:`autograder.cli.main`; the work is done by
:mod:`autograder.platforms.gradescope` and :mod:`autograder.batch.lms`.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from autograder import cli_options as shared
from autograder.grading.registry import ASSIGNMENT_NAMES


@click.command()
@click.argument("assignments", nargs=-1, type=click.Choice(ASSIGNMENT_NAMES))
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("autograder.zip"),
    show_default=True,
    help="The package to upload to Gradescope (it holds the hidden checks and the solutions: "
    "keep it secret).",
)
@shared.HIDDEN_VISIBILITY_OPTION
@shared.LANG
def gradescope(
    assignments: tuple[str, ...], output: Path, hidden_visibility: str, lang: str
) -> None:
    """Build Gradescope's autograder package grading ASSIGNMENT ... (default: all)."""
    from autograder.platforms.gradescope import PackageError, PackageSettings, build_package

    settings = PackageSettings(assignments or ASSIGNMENT_NAMES, hidden_visibility, lang)
    try:
        build_package(output, settings)
    except PackageError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"wrote {output} grading {', '.join(settings.assignments)}")


@click.command("gradescope-run", hidden=True)
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=Path("/autograder"),
    show_default=True,
    help="Gradescope's folder (source/, submission/, results/).",
)
def gradescope_run(root: Path) -> None:
    """In Gradescope's container (run_autograder): grade the submission into results.json."""
    shared.hand_over_to_a_judge()
    from autograder.grading.config import GradingConfig
    from autograder.platforms.gradescope import Layout, grade_submission, sandbox_statement

    # Gradescope's container has no room for every layer: the strongest it allows, stated.
    config = GradingConfig.for_command(weak_sandbox=True, kept_transcripts=False)
    try:
        results = grade_submission(Layout(root.resolve()), config)
    except Exception:  # results.json says it failed; the log (instructors') says why
        click.echo(traceback.format_exc(), err=True)
        sys.exit(1)
    sandbox = results.get("extra_data", {}).get("sandbox")
    if sandbox is not None:
        click.echo(sandbox_statement(sandbox))
    click.echo(f"score: {results['score']:g}/{results.get('max_score', 0):g}")


@click.command("lms-export")
@click.argument("results", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--roster",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="CSV mapping each student's folder (column folder) to the LMS's ids and name "
    "(docs/lms.md; a Canvas gradebook export with a folder column added will do).",
)
@click.option("--lms", type=click.Choice(["canvas", "moodle"]), default="canvas", show_default=True)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The import file; who it cannot grade goes to <output>-unmatched.csv beside it.",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="ASSIGNMENT=HEADER",
    help="The header of an assignment's column, e.g. 'tensors=Tensors (1234)' (Canvas: "
    "grades the existing assignment of that id). Repeatable.",
)
def lms_export(
    results: Path, roster: Path, lms: str, output: Path, columns: tuple[str, ...]
) -> None:
    """Write the totals of RESULTS (grade-batch's or merge's results.json, or its folder)
    as the LMS's gradebook import, students matched by the roster; nobody is dropped."""
    from autograder.batch.lms import parse_headers, write_lms_files
    from autograder.batch.model import BatchResults

    with shared.refusals():
        batch = BatchResults.load(results)
        matched = write_lms_files(output, lms, batch, roster, parse_headers(columns))
    shared.say_roster_matches(output, matched)


COMMANDS = (gradescope, gradescope_run, lms_export)


def add_to(group: click.Group) -> None:
    """Add these commands to the ``autograder`` command."""
    for command in COMMANDS:
        group.add_command(command)
