"""The ``autograder`` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from autograder.exercises import ASSIGNMENT_NAMES
from autograder.grading.grade import SubmissionError, grade_path
from autograder.report.gradescope import render_json
from autograder.report.text import render_text

FORMATS = {"text": render_text, "json": render_json}


@click.group()
@click.version_option(package_name="torch-autograder")
def main() -> None:
    """Grade PyTorch exercises with property-based checks in a sandboxed runner."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--assignment",
    type=click.Choice(ASSIGNMENT_NAMES),
    help="Which assignment a file is (default: from its name).",
)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report here instead of standard output.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    help="Exit with status 1 when the score is below this percentage.",
)
def grade(
    path: Path, assignment: str | None, fmt: str, output: Path | None, fail_under: float | None
) -> None:
    """Grade PATH: a module file, a notebook, or a folder holding them."""
    try:
        report = grade_path(path, assignment)
    except SubmissionError as error:
        raise click.UsageError(str(error)) from None
    text = FORMATS[fmt](report)
    if output is not None:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if (
        fail_under is not None
        and report.max_score
        and 100.0 * report.score / report.max_score < fail_under
    ):
        sys.exit(1)


@main.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    show_default=True,
    help="The course repository: solutions/ in; assignments/, source/, release/ out.",
)
def release(root: Path) -> None:
    """Build the student release from solutions/: stubs, nbgrader notebooks."""
    from autograder.release.build import build_release

    try:
        written = build_release(root)
    except (FileNotFoundError, ValueError) as error:
        raise click.UsageError(str(error)) from None
    for path in written:
        click.echo(f"wrote {path}")


if __name__ == "__main__":
    main()
