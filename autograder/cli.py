"""The ``autograder`` command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from autograder.engine.zygote import prestart
from autograder.exercises import ASSIGNMENT_NAMES

FORMATS = ("json", "text")


def render(report, fmt: str) -> str:
    """The report in one of the output formats (imported on demand: they pull in rich)."""
    if fmt == "json":
        from autograder.report.gradescope import render_json

        return render_json(report)
    from autograder.report.text import render_text

    return render_text(report)


@click.group()
@click.version_option(package_name="torch-autograder")
def main() -> None:
    """Grade PyTorch exercises with property-based checks in a sandboxed runner."""
    # Start the fork server now: its `import torch` overlaps with ours.
    prestart()


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--assignment",
    type=click.Choice(ASSIGNMENT_NAMES),
    help="Which assignment a file is (default: from its name).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
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
@click.option(
    "--data-root",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    envvar="AUTOGRADER_DATA_ROOT",
    help="Folder holding FashionMNIST/raw/ (d2l's ../data): the training assignment then "
    "also trains on Fashion-MNIST. Never downloads. [env: AUTOGRADER_DATA_ROOT]",
)
def grade(
    path: Path,
    assignment: str | None,
    fmt: str,
    output: Path | None,
    fail_under: float | None,
    data_root: Path | None,
) -> None:
    """Grade PATH: a module file, a notebook, or a folder holding them."""
    from autograder import data
    from autograder.grading.grade import SubmissionError, grade_path

    if data_root is not None:
        try:
            data.prepare_fashion_mnist(data_root)  # unpacks *.gz next to themselves
        except OSError as error:
            raise click.BadParameter(str(error), param_hint="--data-root") from None
        # The checks (judge side) read it from here and hand it to the runner.
        os.environ[data.DATA_ROOT_ENV] = str(data_root.resolve())
    try:
        report = grade_path(path, assignment)
    except SubmissionError as error:
        raise click.UsageError(str(error)) from None
    text = render(report, fmt)
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
