"""The options that several commands of :mod:`autograder.cli` take, each declared once, and
the package's refusals said as the command's (one line, exit status 2).

A new command takes its shared options from here; an option of one command only stays
with that command in ``cli.py``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from autograder.engine.handover import hand_over
from autograder.errors import (
    CourseError,
    SandboxUnavailable,
    SubmissionError,
    WorkersCannotStart,
)
from autograder.grading.registry import ASSIGNMENT_NAMES
from autograder.i18n import LANGUAGES, language_name
from autograder.report import EXTENSIONS
from autograder.report.files import write_atomically
from autograder.report.formats import CLASS_FORMATS, REPORT_FORMATS
from autograder.report.gradescope import HIDDEN_VISIBILITY, VISIBILITIES

if TYPE_CHECKING:
    from autograder.batch.lms import Matched
    from autograder.batch.model import BatchResults

# What each optional extra of pyproject.toml brings, as the modules a command imports.
EXTRAS = {
    "release": ("nbgrader", "ipykernel"),
    "instructor": ("copydetect", "matplotlib"),
}
# What needs the instructor extra: the similarity ranking and the plots of a class's outputs.
CLASS_INSIGHT = "a class's similarity ranking and its plots"

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


# What a student runs; the student kit (autograder/KIT) offers nothing else: the class's
# grading and the release need what the kit does not hold (hidden checks, solutions).
STUDENT_COMMANDS = ("check", "grade")


class CourseCommands(click.Group):
    """The commands, but in the student kit only the student's."""

    def _offered(self, name: str) -> bool:
        # autograder.grading.truth.KIT_MARKER, without importing torch with it.
        kit_marker = Path(__file__).resolve().parent / "KIT"
        return name in STUDENT_COMMANDS or not kit_marker.exists()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in super().list_commands(ctx) if self._offered(name)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return super().get_command(ctx, name) if self._offered(name) else None


# -- the options that several commands take, each declared once -------------------------------
def together(*options: Decorator) -> Decorator:
    def apply(function: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            function = option(function)
        return function

    return apply


def assignment_option(*, many: bool = False, help: str | None = None) -> Decorator:
    """``--assignment``: which assignment a file is, or (``many``) which ones to take."""
    return click.option(
        "--assignment",
        "assignments" if many else "assignment",
        multiple=many,
        type=click.Choice(ASSIGNMENT_NAMES),
        help=help or "Which assignment a file is (default: from its name).",
    )


LANG = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the feedback: "
    + ", ".join(f"{lang} ({language_name(lang)})" for lang in LANGUAGES)
    + ".",
)
WEAK_SANDBOX = click.option(
    "--allow-weak-sandbox",
    is_flag=True,
    default=False,
    help="Grade even where this machine cannot put every layer of the sandbox in place "
    "(the results list the layers in force). Only for code you trust.",
)
JOBS = click.option(
    "--jobs",
    type=click.IntRange(1),
    default=None,
    help="Students graded at the same time (default: the number of CPUs).",
)
TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=900.0,
    show_default=True,
    help="Seconds one student's grading may take in all.",
)
CLASS_OUTPUT = together(
    click.option(
        "--output-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("grades"),
        show_default=True,
        help="Where the gradebook, summary, feedback and results go.",
    ),
    click.option(
        "--format",
        "fmt",
        type=click.Choice(CLASS_FORMATS),
        default="text",
        show_default=True,
        help="How the class summary is printed.",
    ),
    click.option(
        "--roster",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        default=None,
        help="A roster CSV (folder -> LMS ids and names): also writes canvas.csv, Canvas's "
        "gradebook import, and canvas-unmatched.csv for anyone it gives no grade to.",
    ),
)

CANVAS_FILE = "canvas.csv"  # what --roster writes into --output-dir


def write_class_outputs(
    output_dir: Path, batch: BatchResults, lang: str, roster: Path | None
) -> None:
    """grade-batch's and merge's files; with a roster, Canvas's import too (said as written)."""
    from autograder.batch.lms import write_lms_files
    from autograder.batch.outputs import write_outputs

    write_outputs(output_dir, batch, lang=lang)
    if roster is not None:
        output = output_dir / CANVAS_FILE
        with refusals():
            matched = write_lms_files(output, "canvas", batch, roster)
        say_roster_matches(output, matched, err=True)


def say_roster_matches(output: Path, matched: Matched, err: bool = False) -> None:
    """How many roster students ``output`` grades, and every student it does not (stderr)."""
    from autograder.batch.lms import unmatched_file

    graded = len(matched.rows) - len(matched.not_graded)
    click.echo(f"wrote {output}: {graded} of {len(matched.rows)} roster students graded", err=err)
    if matched.unmatched:
        for folder, _name, why in matched.unmatched:
            click.echo(f"unmatched: {folder}: {why}", err=True)
        click.echo(f"wrote {unmatched_file(output)}: {len(matched.unmatched)} unmatched", err=True)


# grade, gradescope: when students see the hidden checks' results on Gradescope.
HIDDEN_VISIBILITY_OPTION = click.option(
    "--hidden-visibility",
    type=click.Choice(VISIBILITIES),
    default=HIDDEN_VISIBILITY,
    show_default=True,
    help="Gradescope's visibility of the hidden checks' results (when students see them).",
)

# grade-batch: which slice of the class this run grades.
SHARD = click.option(
    "--shard",
    default=None,
    help="Grade only shard I of N (like 2/3), for CI; auto: the shard of this Slurm array "
    "task, or auto/N: of this Kubernetes Indexed Job of N completions (docs/scale.md).",
)

# grade: the report's format and where it goes, and what the grading may use.
REPORT_OUTPUT = together(
    click.option(
        "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True
    ),
    click.option(
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write the report here instead of standard output.",
    ),
    click.option(
        "--save",
        "saves",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Also write the report to this file, in the format its extension names "
        f"({', '.join(f'{ext} for {name}' for ext, name in EXTENSIONS.items())}). Repeatable.",
    ),
    click.option(
        "--fail-under",
        type=click.FloatRange(0, 100),
        default=None,
        help="Exit with status 1 when the score is below this percentage.",
    ),
    click.option(
        "--data-root",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="Folder holding FashionMNIST/raw/ (d2l's ../data): the training assignment then "
        "also trains on Fashion-MNIST. Never downloads. [default: $AUTOGRADER_DATA_ROOT]",
    ),
    HIDDEN_VISIBILITY_OPTION,
)

# grade-nbgrader: the course and its students.
COURSE = together(
    click.option(
        "--course-dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        default=".",
        show_default=True,
        help="The nbgrader course directory (submitted/, the gradebook; its nbgrader_config.py "
        "is read for CourseDirectory.db_url).",
    ),
    click.option(
        "--student",
        "students",
        multiple=True,
        help="Grade only this student ID (repeatable; default: everyone in submitted/).",
    ),
)

# release: where the course is, and whether the kit is built.
RELEASE = together(
    click.option(
        "--root",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=".",
        show_default=True,
        help="The course repository: solutions/ in; assignments/, source/, release/ out.",
    ),
    click.option(
        "--kit/--no-kit",
        default=True,
        show_default=True,
        help="Also build the student kit in release/kit (records the reference's answers).",
    ),
)


# -- refusals, said as one line with exit status 2 ------------------------------------------
class SandboxRefused(click.ClickException):
    """The machine cannot seal runners: say what is missing and how to enable it."""

    exit_code = 2


class MissingExtra(click.ClickException):
    """An optional dependency is not installed: one line naming the extra, exit status 2."""

    exit_code = 2

    def __init__(self, extra: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the {extra!r} extra: pip install 'torch-autograder[{extra}]'"
        )


class CourseRefused(click.ClickException):
    """The nbgrader course cannot take the grades (no gradebook, assignment, submission)."""

    exit_code = 2


@contextlib.contextmanager
def refusals() -> Iterator[None]:
    """The package's refusals of what it was given, said as the command's."""
    try:
        yield
    except SubmissionError as error:
        raise click.UsageError(str(error)) from None
    except SandboxUnavailable as error:
        raise SandboxRefused(str(error)) from None
    except CourseError as error:
        raise CourseRefused(str(error)) from None
    except WorkersCannotStart as error:
        raise click.ClickException(str(error)) from None


def require_extra(extra: str, purpose: str, also: tuple[str, ...] = ()) -> None:
    """Stop with one line naming ``extra`` when a module it brings cannot be imported:
    before the command starts, so that nothing is half written and no traceback shows."""
    for name in (*EXTRAS[extra], *also):
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise MissingExtra(extra, purpose)


def write(text: str, output: Path | None) -> None:
    if output is not None:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)


# ``similarity``: code every student was given, besides the stub and released notebook.
# similarity: what is discounted, how the ranking is printed, and where its files go.
SIMILARITY = together(
    click.option(
        "--boilerplate",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="Code every student was given besides the stub and notebook (repeatable): discounted.",
    ),
    click.option(
        "--format", "fmt", type=click.Choice(("text", "markdown", "json")), default="text"
    ),
    click.option(
        "--output-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Also write the ranking there: similarity.csv (every pair) and similarity.html.",
    ),
)


def job_engine_variables() -> dict[str, str]:
    """What ``grade-batch --shard auto`` reads of the environment: a Slurm array task's or
    a Kubernetes Indexed Job's variables (read here, passed down as data)."""
    from autograder.batch.shards import SHARD_VARIABLES

    return {name: os.environ[name] for name in SHARD_VARIABLES if name in os.environ}


def hand_over_to_a_judge() -> None:
    """Called by each grading command once its options are checked, before it imports
    torch: the rest runs in a judge (:func:`autograder.engine.handover.hand_over`), and this
    process exits with its status; or, where there is none, it goes on here."""
    root = click.get_current_context().find_root()
    status = hand_over(root.obj, root.info_name)
    if status is not None:
        root.exit(status)


def exit_if_under(score: float, max_score: float, fail_under: float | None) -> None:
    """``--fail-under``: exit with status 1, saying the score and the threshold, below it."""
    achieved = 100.0 * score / max_score if max_score else 100.0
    if fail_under is not None and achieved < fail_under:
        click.echo(
            f"autograder: score {score:g}/{max_score:g} ({achieved:.1f}%) is under "
            f"--fail-under {fail_under:g}%",
            err=True,
        )
        raise SystemExit(1)
