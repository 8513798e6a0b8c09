"""The ``autograder`` command."""

from __future__ import annotations

import atexit
import importlib.util
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from autograder import __version__
from autograder.engine.containment import Limits
from autograder.engine.fork_server import fork_judge, fork_server
from autograder.engine.pipes import read_json, write_json
from autograder.grading.model import CheckResult
from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from autograder.i18n import LANGUAGES, language_name
from autograder.report import EXTENSIONS, RENDERERS, render
from autograder.report.files import write_atomically
from autograder.report.gradescope import HIDDEN_VISIBILITY, VISIBILITIES

if TYPE_CHECKING:
    from autograder.grading.config import GradingConfig

CLASS_FORMATS = ("text", "markdown", "json", "junit")
# What each optional extra of pyproject.toml brings, as the modules a command imports.
EXTRAS = {"release": ("nbgrader", "ipykernel")}


def _lang_option(function):
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default="en",
        show_default=True,
        help="Language of the feedback: "
        + ", ".join(f"{lang} ({language_name(lang)})" for lang in LANGUAGES)
        + ".",
    )(function)


def _write(text: str, output: Path | None) -> None:
    if output is not None:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)


def _weak_sandbox_option(function):
    return click.option(
        "--allow-weak-sandbox",
        is_flag=True,
        default=False,
        help="Grade even where this machine cannot put every layer of the sandbox in place "
        "(the results list the layers in force). Only for code you trust.",
    )(function)


def _config(allow_weak_sandbox: bool, **options: Any) -> GradingConfig:
    """The run's configuration: the environment's defaults, then the options given."""
    from autograder.grading.config import GradingConfig

    given = {name: value for name, value in options.items() if value is not None}
    if given.get("data_root") is not None:
        given["data_root"] = given["data_root"].resolve()
    return GradingConfig.from_environment(limits=Limits(weak_sandbox=allow_weak_sandbox), **given)


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


def _require_extra(extra: str, purpose: str, also: tuple[str, ...] = ()) -> None:
    """Stop with one line naming ``extra`` when a module it brings cannot be imported.

    Checked before the command starts, so that nothing is half written and no traceback
    is shown for what is an installation choice.
    """
    for name in (*EXTRAS[extra], *also):
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise MissingExtra(extra, purpose)


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


@click.group(cls=CourseCommands)
@click.version_option(__version__, prog_name="autograder")
def main() -> None:
    """Grade PyTorch exercises with property-based checks in a sandboxed runner."""


@dataclass(frozen=True)
class Invocation:
    """How this run of the command started (click's ``obj``): its arguments, and whether
    this process is the judge that the command handed its grading to."""

    args: tuple[str, ...]
    in_a_judge: bool = False


# What a judge forked for a command runs (see _hand_over_to_a_judge).
JUDGE_ENTRY = "autograder.cli:run_in_a_judge"


def _hand_over_to_a_judge() -> None:
    """Called by each grading command once its arguments are checked, before it imports
    torch: the rest of the command runs in a judge forked from the fork server, which has
    imported torch already, and this process waits for it and exits with its status.

    The command itself then never imports torch (one import of torch per command, not two).
    Where there is no fork server, or when :func:`main` is called as a function (as tests
    do), the command goes on here; the fork server is started first either way, so that its
    import of torch overlaps with ours.
    """
    root = click.get_current_context().find_root()
    invocation = root.obj
    if not isinstance(invocation, Invocation) or invocation.in_a_judge:
        fork_server()
        return
    # The judge's configuration is built in the judge, from these arguments: its limits
    # are the defaults (no option changes them).
    judge = fork_judge(JUDGE_ENTRY, streams=True, memory_bytes=Limits().judge_memory_bytes)
    if judge is None:
        return
    pid, to_judge, from_judge = judge
    try:
        write_json(to_judge, {"args": list(invocation.args), "prog_name": root.info_name})
        read_json(from_judge)  # it started the command
    except (OSError, EOFError, ValueError):
        for fd in (to_judge, from_judge):
            os.close(fd)
        return  # it died before it began: grade here
    root.exit(_status_of_judge(pid, from_judge))


def _status_of_judge(pid: int, from_judge: int) -> int:
    """Wait for the judge to finish (its end of the pipe closes) and reap it: its status."""
    while os.read(from_judge, 1 << 16):
        pass
    try:
        _, wait_status = os.waitpid(pid, 0)
    except ChildProcessError:
        click.echo("autograder: the grading process could not be waited for", err=True)
        return 1
    status = os.waitstatus_to_exitcode(wait_status)
    if status < 0:
        name = signal.Signals(-status).name
        click.echo(f"autograder: the grading process was killed ({name})", err=True)
        return 1
    return status


def run_in_a_judge(fd_in: int, fd_out: int) -> None:
    """In a judge forked from the fork server: run the command it was handed, and exit."""
    request = read_json(fd_in)
    write_json(fd_out, {"started": os.getpid()})
    args = [str(arg) for arg in request["args"]]
    invocation = Invocation(tuple(args), in_a_judge=True)
    _exit_with(lambda: main.main(args=args, prog_name=request["prog_name"], obj=invocation))


@main.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--assignment",
    type=click.Choice(ASSIGNMENT_NAMES),
    help="Which assignment a file is (default: from its name).",
)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report here instead of standard output.",
)
@click.option(
    "--save",
    "saves",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the report to this file, in the format its extension names "
    "(.json, .md, .xml for JUnit, .txt). Repeatable.",
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
    help="Folder holding FashionMNIST/raw/ (d2l's ../data): the training assignment then "
    "also trains on Fashion-MNIST. Never downloads. [default: $AUTOGRADER_DATA_ROOT]",
)
@click.option(
    "--hidden-visibility",
    type=click.Choice(VISIBILITIES),
    default=HIDDEN_VISIBILITY,
    show_default=True,
    help="Gradescope's visibility of the hidden checks' results in the JSON report.",
)
@_weak_sandbox_option
@_lang_option
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
    from autograder.grading.grade import SandboxUnavailable, SubmissionError, grade_path

    config = _config(allow_weak_sandbox, data_root=data_root)
    if config.data_root is not None:
        try:
            data.prepare_fashion_mnist(config.data_root)  # unpacks *.gz next to themselves
        except OSError as error:
            raise click.BadParameter(str(error), param_hint="--data-root") from None
    try:
        report = grade_path(path, assignment, config=config, parallel=True)
    except SubmissionError as error:
        raise click.UsageError(str(error)) from None
    except SandboxUnavailable as error:
        raise SandboxRefused(str(error)) from None
    for save in saves:
        _write(render(report, EXTENSIONS[save.suffix], lang, hidden_visibility), save)
    _write(render(report, fmt, lang, hidden_visibility), output)
    if (
        fail_under is not None
        and report.max_score
        and 100.0 * report.score / report.max_score < fail_under
    ):
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True), default=".")
@click.option(
    "--function",
    "function",
    default=None,
    help="Check only this function (e.g. gather).",
)
@click.option(
    "--assignment",
    type=click.Choice(ASSIGNMENT_NAMES),
    help="Which assignment a file is (default: from its name).",
)
@_lang_option
def check(path: Path, function: str | None, assignment: str | None, lang: str) -> None:
    """Quick self-check: run the visible checks on your work (default: this folder).

    PATH is what ``grade`` takes: a module file, a notebook, or a folder holding them (also
    as ``<assignment>/<assignment>.ipynb``). Prints every check as it finishes, then the next
    thing to fix. Exit status 0 when every visible check passes, 1 otherwise.
    """
    _hand_over_to_a_judge()
    from autograder.grading.grade import (
        SubmissionError,
        choices_made,
        find_modules,
        gradable,
        grade_module,
        none_found,
        said_in_cells,
    )
    from autograder.i18n import translate
    from autograder.report.selfcheck import progress_line, render_check_summary

    owners = [
        name
        for name in ASSIGNMENT_NAMES
        if function is None or any(e.name == function for e in load_assignment(name).exercises)
    ]
    if function is not None and not owners:
        raise click.UsageError(f"no exercise is called {function!r}")
    try:
        submitted = find_modules(path, assignment)
    except SubmissionError as error:
        raise click.UsageError(str(error)) from None
    found = {name: file for name, file in submitted.items() if file is not None and name in owners}
    if not found and path.is_dir():
        raise click.UsageError(translate(none_found(path, owners), lang))
    if not found:  # a file of another assignment than the function's
        raise click.UsageError(f"{path.name} is {', '.join(submitted)}: it has no {function}")

    results: list[CheckResult] = []

    def show(result: CheckResult) -> None:
        click.echo(progress_line(result, lang))

    for note in choices_made(path, found):  # several files of an assignment: which, and why
        click.echo(translate(note, lang))
    with gradable(found) as modules:
        for name, file in modules.items():
            click.echo(f"{found[name]}:")
            graded = grade_module(
                load_assignment(name),
                file,
                visible_only=True,
                only=[function] if function else None,
                on_result=show,
                # The student's own code on the student's own machine, for feedback only.
                config=_config(allow_weak_sandbox=True),
            )
            results += said_in_cells(graded, {name: found[name]})
    click.echo(render_check_summary(results, lang), nl=False)
    sys.exit(0 if all(r.passed for r in results) else 1)


def _class_output_options(function):
    """--output-dir and --format of the commands that write a class's results."""
    function = click.option(
        "--format",
        "fmt",
        type=click.Choice(CLASS_FORMATS),
        default="text",
        show_default=True,
        help="How the class summary is printed.",
    )(function)
    return click.option(
        "--output-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("grades"),
        show_default=True,
        help="Where the gradebook, summary, feedback and results go.",
    )(function)


def _render_class(fmt: str, batch, summary, lang: str) -> str:
    from autograder.report.junit import render_junit_class
    from autograder.report.summary import (
        render_summary_json,
        render_summary_markdown,
        render_summary_text,
    )

    if fmt == "markdown":
        return render_summary_markdown(summary, lang=lang)
    if fmt == "json":
        return render_summary_json(summary)
    if fmt == "junit":
        return render_junit_class([(s.student, s.report) for s in batch.students], lang=lang)
    return render_summary_text(summary, lang=lang)


def _jobs_option(function):
    return click.option(
        "--jobs",
        type=click.IntRange(1),
        default=None,
        help="Students graded at the same time (default: the number of CPUs).",
    )(function)


def _timeout_option(function):
    return click.option(
        "--timeout",
        type=click.FloatRange(min=1),
        default=900.0,
        show_default=True,
        help="Seconds one student's grading may take in all.",
    )(function)


def _grade_class_with_progress(
    students: dict[str, Path],
    assignments: list[str],
    jobs: int | None,
    timeout: float,
    config: GradingConfig,
) -> list:
    """Grade a class in the sandbox (:func:`autograder.batch.pool.grade_class`), with a
    progress bar and one line per student on standard error; refuses a weak sandbox."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from autograder.batch.pool import WorkersCannotStart, grade_class
    from autograder.grading.grade import SandboxUnavailable
    from autograder.grading.model import as_data

    console = Console(stderr=True, highlight=False)
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    with progress:
        task = progress.add_task("Grading", total=len(students))

        def done(result) -> None:
            note = f" ({result.error.splitlines()[0]})" if result.error else ""
            progress.console.print(
                as_data(f"{result.student}: {result.score:g}/{result.max_score:g}{note}"),
                markup=False,
            )
            progress.advance(task)

        try:
            return grade_class(
                students,
                assignments,
                jobs=jobs or os.cpu_count() or 1,
                timeout=timeout,
                on_result=done,
                config=config,
            )
        except SandboxUnavailable as error:
            raise SandboxRefused(str(error)) from None
        except WorkersCannotStart as error:
            raise click.ClickException(str(error)) from None


@main.command("grade-batch")
@click.argument("submissions", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--assignment",
    "assignments",
    multiple=True,
    type=click.Choice(ASSIGNMENT_NAMES),
    help="Grade only this assignment (repeatable; default: all).",
)
@_jobs_option
@click.option("--shard", default=None, help="Grade only shard I of N (like 2/3), for CI.")
@_class_output_options
@_timeout_option
@click.option(
    "--kept-transcripts/--no-kept-transcripts",
    default=False,
    show_default=True,
    help="Also replay the transcripts kept on disk by earlier gradings. Off by default: "
    "grading replays what this batch's own workers record either way.",
)
@_weak_sandbox_option
@_lang_option
def grade_batch(
    submissions: Path,
    assignments: tuple[str, ...],
    jobs: int | None,
    shard: str | None,
    output_dir: Path,
    fmt: str,
    timeout: float,
    kept_transcripts: bool,
    allow_weak_sandbox: bool,
    lang: str,
) -> None:
    """Grade a class: SUBMISSIONS holds one folder (or notebook) per student.

    Writes gradebook.csv, summary.md/json/html, junit.xml, results.json (for merge) and
    feedback/<student>.md/json into --output-dir, and prints the class summary.
    """
    _hand_over_to_a_judge()
    config = _config(allow_weak_sandbox)
    if not kept_transcripts:
        config = replace(config, cache_dir=None)  # the workers keep transcripts in memory only
    from autograder.batch.model import BatchResults, discover, parse_shard, select_shard
    from autograder.batch.outputs import write_outputs
    from autograder.errors import SubmissionError

    try:
        students = discover(submissions)
        cut = parse_shard(shard) if shard else None
    except SubmissionError as error:
        raise click.UsageError(str(error)) from None
    names = select_shard(list(students), *cut) if cut else sorted(students)
    chosen = list(assignments) or list(ASSIGNMENT_NAMES)
    results = _grade_class_with_progress(
        {name: students[name] for name in names}, chosen, jobs, timeout, config
    )
    from autograder.batch.similarity import class_sources
    from autograder.report.gradebook import exercise_columns

    graded = {name: students[name] for name in names}
    sources = class_sources(graded, chosen)
    batch = BatchResults(chosen, results, cut, exercise_columns(chosen), sources)
    summary = write_outputs(output_dir, batch, lang=lang)
    click.echo(_render_class(fmt, batch, summary, lang), nl=False)


@main.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@_class_output_options
@_lang_option
def merge(shards: tuple[Path, ...], output_dir: Path, fmt: str, lang: str) -> None:
    """Combine the results of grade-batch --shard runs into one gradebook.

    SHARDS are results.json files or the folders holding them (or a folder of such
    folders, as CI artifacts download).
    """
    from autograder.batch.model import RESULTS_FILE, BatchResults
    from autograder.batch.model import merge as merge_results
    from autograder.batch.outputs import write_outputs
    from autograder.errors import SubmissionError

    files: list[Path] = []
    for item in shards:
        if item.is_file():
            files.append(item)
        elif (item / RESULTS_FILE).is_file():
            files.append(item / RESULTS_FILE)
        else:
            found = sorted(item.glob(f"*/{RESULTS_FILE}"))
            if not found:
                raise click.UsageError(f"no {RESULTS_FILE} in {item}")
            files += found
    try:
        batch = merge_results([BatchResults.load(file) for file in files])
    except SubmissionError as error:
        raise click.UsageError(str(error)) from None
    summary = write_outputs(output_dir, batch, lang=lang)
    click.echo(_render_class(fmt, batch, summary, lang), nl=False)


@main.command()
@click.argument("submissions", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--assignment",
    "assignments",
    multiple=True,
    type=click.Choice(ASSIGNMENT_NAMES),
    help="Compare only this assignment (repeatable; default: all).",
)
@click.option(
    "--boilerplate",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Code every student was given, besides the stub and the released notebook "
    "(repeatable): discounted.",
)
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "json")), default="text")
@_lang_option
def similarity(
    submissions: Path,
    assignments: tuple[str, ...],
    boilerplate: tuple[Path, ...],
    fmt: str,
    lang: str,
) -> None:
    """Rank pairs of students whose solutions are alike, per assignment and per function,
    for a person to review (never a verdict). SUBMISSIONS as for grade-batch."""
    from autograder.batch.model import discover
    from autograder.batch.similarity import class_similarity, class_sources
    from autograder.errors import SubmissionError
    from autograder.report.similarity import RENDERERS as SIMILARITY_RENDERERS

    try:
        students = discover(submissions)
    except SubmissionError as error:
        raise click.UsageError(str(error)) from None
    chosen = list(assignments) or list(ASSIGNMENT_NAMES)
    found = class_similarity(class_sources(students, chosen), chosen, boilerplate)
    click.echo(SIMILARITY_RENDERERS[fmt](found, lang=lang), nl=False)


class CourseRefused(click.ClickException):
    """The nbgrader course cannot take the grades (no gradebook, assignment, submission)."""

    exit_code = 2


@main.command("grade-nbgrader")
@click.argument("assignment", type=click.Choice(ASSIGNMENT_NAMES))
@click.option(
    "--course-dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=".",
    show_default=True,
    help="The nbgrader course directory (submitted/, the gradebook; its nbgrader_config.py "
    "is read for CourseDirectory.db_url).",
)
@click.option(
    "--student",
    "students",
    multiple=True,
    help="Grade only this student ID (repeatable; default: everyone in submitted/).",
)
@_jobs_option
@_timeout_option
@_weak_sandbox_option
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
    gradebook, where nbgrader export and the formgrader read them; runs no notebook.  The
    assignment must be in the gradebook (nbgrader generate_assignment).
    """
    _require_extra("release", "grading an nbgrader course")
    _hand_over_to_a_judge()
    # The workers keep transcripts in memory only.
    config = replace(_config(allow_weak_sandbox), cache_dir=None)
    from autograder.batch.nbgrader import (
        CourseError,
        grade_cells,
        mismatches,
        open_course,
        submitted_students,
        write_grades,
    )

    try:
        course = open_course(course_dir)
        cells = grade_cells(course, assignment)
        folders = submitted_students(course, assignment)
        for student in students:
            if student not in folders:
                where = course.submitted(student, assignment)
                raise CourseError(f"no submission of {assignment} by {student}: no {where}")
        if students:
            folders = {student: folders[student] for student in students}
        if not folders:
            where = course.submitted("<student>", assignment)
            raise CourseError(f"no submission of {assignment} to grade: no {where}")
    except CourseError as error:
        raise CourseRefused(str(error)) from None
    for note in mismatches(cells, assignment):
        click.echo(f"warning: {note}", err=True)
    results = _grade_class_with_progress(folders, [assignment], jobs, timeout, config)
    totals = write_grades(course, assignment, results, folders)
    most = sum(cells.values())
    for student, total in totals.items():
        click.echo(f"{student}: {total:g}/{most:g}")
    click.echo(f"wrote {assignment} for {len(totals)} students into {course.db_url}")


@main.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    show_default=True,
    help="The course repository: solutions/ in; assignments/, source/, release/ out.",
)
@click.option(
    "--kit/--no-kit",
    default=True,
    show_default=True,
    help="Also build the student kit in release/kit (records the reference's answers).",
)
@click.option(
    "--assignment",
    "assignments",
    multiple=True,
    type=click.Choice(ASSIGNMENT_NAMES),
    help="Build only this assignment's stub and notebooks (repeatable; default: all).",
)
def release(root: Path, kit: bool, assignments: tuple[str, ...]) -> None:
    """Build the student release from solutions/: stubs, nbgrader notebooks, the kit."""
    # The student kit ships without the release builder; nbgrader is the release extra.
    _require_extra("release", "building the release", ("autograder.release.build",))
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


def entry_point() -> None:
    """The ``autograder`` command: :func:`main`, then exit without tearing down the interpreter."""
    args = tuple(sys.argv[1:])
    _exit_with(lambda: main.main(args=list(args), obj=Invocation(args)))


def _exit_with(run: Callable[[], object]) -> None:
    """Run the command, then exit with its status without tearing down the interpreter.

    Python frees torch's and hypothesis's objects one by one at exit, a few tenths of a second
    after the report is out; ``atexit`` handlers (the fork server's shutdown) still run.
    """
    try:
        run()
    except SystemExit as done:
        status = done.code
    else:  # pragma: no cover - click's standalone mode always exits
        status = 0
    if isinstance(status, str):
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None where the descriptor was closed
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(status or 0)


if __name__ == "__main__":
    entry_point()
