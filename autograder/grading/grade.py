"""Grade a submission: find its modules, run each exercise's checks, collect the verdicts."""

from __future__ import annotations

import ast
import contextlib
import importlib
import re
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from autograder.engine.launch import freeze_imports
from autograder.engine.sandbox import SandboxUnavailable, sandbox_layers
from autograder.engine.session import ModuleSession, Transport
from autograder.errors import SubmissionError
from autograder.grading import second_judge
from autograder.grading.config import GradingConfig
from autograder.grading.context import (
    CheckContext,
    CheckFailed,
    ExampleLog,
    ExampleScript,
    FunctionHung,
)
from autograder.grading.lending import Lending, lending_for
from autograder.grading.model import (
    Assignment,
    Check,
    CheckResult,
    Exercise,
    GradeReport,
    hidden_title,
)
from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from autograder.grading.replay import TranscriptStore
from autograder.grading.scan import ForbiddenUse, find_escapes, find_forbidden
from autograder.grading.truth import AnswerMissing, Truth
from autograder.i18n import TRANSLATED, T, join, phrase, translate, translations
from autograder.notebook_source import (
    CellLines,
    notebook_assignment,
    notebook_module,
    notebook_source,
    read_notebook,
    write_notebook_module,
)

ProgressCallback = Callable[[CheckResult], None]


__all__ = ["SandboxUnavailable", "SubmissionError", "grade_module", "grade_path"]


def _all_failed(assignment: Assignment, exercise: Exercise, feedback: str) -> list[CheckResult]:
    """Every check of ``exercise`` failed with the same feedback (a :class:`T` or fixed text)."""
    localized = translations(phrase(feedback))
    results = [
        CheckResult(
            assignment.name,
            exercise.name,
            check.name,
            0.0,
            check.points,
            False,
            str(feedback),
            check.visible,
            dict(localized),
        )
        for check in exercise.checks
    ]
    return conceal_hidden(exercise, results, shown={check.name for check in exercise.checks})


# The not-found feedback lists the module files a submission folder holds: this many at
# most, found this many folders deep at most (hidden folders, __pycache__ and the like skipped).
LISTED_FILES = 12
LISTING_DEPTH = 3


def module_places(name: str) -> tuple[str, ...]:
    """Where a submission folder may hold assignment ``name``, in the order looked at."""
    return (f"{name}.py", f"{name}.ipynb", f"{name}/{name}.py", f"{name}/{name}.ipynb")


def _submitted_file(folder: Path, candidate: Path) -> bool:
    """Whether ``candidate`` is a regular file reached from ``folder`` without following a
    symbolic link: a student's link could name the reference solution, or another
    student's work, which the judge (reading as the grader's user) would then grade."""
    step = folder
    for part in candidate.relative_to(folder).parts:
        step = step / part
        if step.is_symlink():
            return False
    return candidate.is_file()


def submitted_files(folder: Path, name: str) -> list[Path]:
    """Every file of assignment ``name`` in ``folder``, in the order of :func:`find_modules`."""
    found = [folder / place for place in module_places(name)]
    found = [candidate for candidate in found if _submitted_file(folder, candidate)]
    # A notebook of ours under another name: its metadata says which assignment it is.
    for level in (folder, folder / name):
        notebooks = sorted(level.glob("*.ipynb")) if level.is_dir() else []
        for notebook in notebooks:
            if notebook.stem in ASSIGNMENT_NAMES or not _submitted_file(folder, notebook):
                continue  # a notebook named after an assignment is that one
            if notebook_assignment(notebook) == name:
                found.append(notebook)
    return found


def as_handed_out(path: Path, name: str) -> bool:
    """Whether a module or notebook is still as handed out: every exercise of ``name`` it
    defines still raises ``NotImplementedError`` (or it defines none).  One that does not
    parse was worked on."""
    try:
        source = (
            notebook_source(read_notebook(path))
            if path.suffix == ".ipynb"
            else path.read_text(encoding="utf-8")
        )
        tree = ast.parse(source)
    except Exception:  # noqa: BLE001 - unreadable or broken: the student's own doing
        return False
    exercises = {exercise.name for exercise in load_assignment(name).exercises}
    defined = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in exercises
    ]
    return all(_raises_not_implemented(node) for node in defined)


def _raises_not_implemented(definition: ast.FunctionDef | ast.ClassDef) -> bool:
    for node in ast.walk(definition):
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                return True
    return False


def choose_file(folder: Path, name: str) -> tuple[Path | None, T | None]:
    """The file of assignment ``name`` to grade in ``folder``, and, where there were several,
    which was chosen and why (for the report: never a silent choice).

    The rule: the file the student worked on.  A file still as handed out (every exercise
    still raises ``NotImplementedError``) is passed over for one that is not; of several
    worked on (or none), the first in the order of :func:`find_modules`.
    """
    found = submitted_files(folder, name)
    if len(found) < 2:
        return (found[0] if found else None), None
    worked_on = [path for path in found if not as_handed_out(path, name)]
    chosen = (worked_on or found)[0]
    if len(worked_on) == 1:
        reason = T("the others are still as handed out (every exercise raises NotImplementedError)")
    elif worked_on:
        reason = T(
            "several were worked on: the first of {places} is graded",
            places=", ".join(module_places(name)),
        )
    else:
        reason = T(
            "none was worked on yet: the first of {places} is graded",
            places=", ".join(module_places(name)),
        )
    note = T(
        "{assignment}: {chosen} is graded, not {others}: {reason}. Name a file on the command "
        "line to grade that one.",
        assignment=name,
        chosen=chosen.relative_to(folder).as_posix(),
        others=", ".join(p.relative_to(folder).as_posix() for p in found if p != chosen),
        reason=reason,
    )
    return chosen, note


# How feedback names a line of the module graded (see in_cells): this number stands for any.
ANY_LINE = 7919


def in_cells(
    results: list[CheckResult], cells: CellLines, module: str, notebook: str
) -> list[CheckResult]:
    """The results of a notebook's module (``module``.py, as :func:`gradable` writes it) said
    in the notebook's terms: every "line N" of the module as the cell it is in (its exercise
    heading) and the line within that cell, and the module's file named as ``notebook``."""

    def located(text: str, lang: str) -> str:
        said = translate(T("line {line}", line=ANY_LINE), lang)
        pattern = re.escape(said).replace(str(ANY_LINE), r"(\d+)")

        def cell_line(match: re.Match[str]) -> str:
            origin = cells.origin(int(match[1]))
            if origin is None:
                return match[0]
            where = T("cell “{cell}”, line {line}", cell=origin[0], line=origin[1])
            return translate(where, lang)

        return re.sub(pattern, cell_line, text.replace(f"{module}.py", notebook))

    return [
        replace(
            result,
            feedback=located(result.feedback, "en"),
            translations={lang: located(text, lang) for lang, text in result.translations.items()},
        )
        for result in results
    ]


def said_in_cells(results: list[CheckResult], files: dict[str, Path | None]) -> list[CheckResult]:
    """The results, those of a notebook among ``files`` said in its cells (:func:`in_cells`)."""
    located: dict[str, CellLines] = {}
    for name, file in files.items():
        if file is not None and file.suffix == ".ipynb":
            try:
                located[name] = notebook_module(read_notebook(file))[1]
            except Exception:  # noqa: BLE001 - unreadable: its feedback says so, with no line
                continue
    return [
        in_cells([result], located[name], name, files[name].name)[0]
        if (name := result.assignment) in located
        else result
        for result in results
    ]


def _module_file(folder: Path, name: str) -> Path | None:
    """The file of assignment ``name`` in ``folder`` (see :func:`choose_file`), or None."""
    return choose_file(folder, name)[0]


def choices_made(path: Path, names: Iterable[str]) -> list[T]:
    """What :func:`find_modules` chose where ``path`` holds several files of an assignment."""
    if not path.is_dir():
        return []
    return [note for name in names if (note := choose_file(path, name)[1]) is not None]


def find_modules(path: Path, assignment: str | None = None) -> dict[str, Path | None]:
    """Map each assignment to grade onto the submitted file (None when it is missing).

    ``path`` is a module or a notebook: it is ``assignment``, else the assignment its
    metadata (a notebook) or its name says.  ``path`` is a folder: each assignment (only
    ``assignment`` if given) is the one the student worked on (:func:`choose_file`) of, for
    ``tensors``:

    1. ``tensors.py``, 2. ``tensors.ipynb``: the flat layout;
    3. ``tensors/tensors.py``, 4. ``tensors/tensors.ipynb``: the nested layout, which is
       also nbgrader's ``submitted/<student>/<assignment>/<assignment>.ipynb`` when the
       folder is the student's (and the flat layout when it is the assignment's);
    5. a notebook in the folder or in ``tensors/``, named after no assignment, whose
       metadata says it is ``tensors`` (a released notebook the student renamed).

    Of several worked on (or none), a module wins over a notebook at the same level, and the
    flat layout over the nested; :func:`choices_made` says what was chosen and why.
    A symbolic link is never followed: given as ``path``, it is refused; inside the folder,
    a linked file is not submitted.
    """
    if not path.exists():
        raise SubmissionError(f"{path} does not exist")
    if path.is_symlink():  # see _submitted_file; in a class folder, a student made it
        raise SubmissionError(
            f"{path} is a symbolic link: only a submission's own files are graded"
        )
    if path.is_dir():
        names = [assignment] if assignment is not None else ASSIGNMENT_NAMES
        return {name: _module_file(path, name) for name in names}
    name = assignment or (notebook_assignment(path) if path.suffix == ".ipynb" else path.stem)
    if name not in ASSIGNMENT_NAMES:
        raise SubmissionError(
            f"cannot tell which assignment {path.name} is: name it after one of "
            f"{', '.join(ASSIGNMENT_NAMES)} or pass --assignment"
        )
    return {name: path}


@contextlib.contextmanager
def gradable(modules: dict[str, Path | None]) -> Iterator[dict[str, Path | None]]:
    """``modules`` with each notebook replaced by the module its code cells amount to.

    Those modules are written to a temporary folder, removed when the context ends.
    """
    with tempfile.TemporaryDirectory(prefix="autograder-") as scratch:
        yield {
            name: (
                write_notebook_module(file, Path(scratch) / f"{name}.py")
                if file is not None and file.suffix == ".ipynb"
                else file
            )
            for name, file in modules.items()
        }


def module_files_in(folder: Path) -> list[str | T]:
    """The ``.py`` and ``.ipynb`` files under ``folder``, shallowest first, as relative
    paths (a symbolic link said to be one): at most ``LISTED_FILES`` + 1 (one more says
    there are more)."""
    found: list[str | T] = []
    level = [folder]
    for _ in range(LISTING_DEPTH + 1):
        below: list[Path] = []
        for directory in level:
            try:
                entries = sorted(directory.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue  # .ipynb_checkpoints, .git, __pycache__, __MACOSX
                if entry.is_symlink():  # listed, never followed: see _submitted_file
                    if entry.suffix in (".py", ".ipynb"):
                        linked = entry.relative_to(folder).as_posix()
                        found.append(T("{file} (a symbolic link: not graded)", file=linked))
                elif entry.is_dir():
                    below.append(entry)
                elif entry.suffix in (".py", ".ipynb") and entry.is_file():
                    found.append(entry.relative_to(folder).as_posix())
                    if len(found) > LISTED_FILES:
                        return found
        level = below
    return found


def _holds(folder: Path) -> T:
    """What ``folder`` holds, said to a student whose module was not found there."""
    files: list[Any] = module_files_in(folder)
    if not files:
        return T("it holds no .py or .ipynb file")
    if len(files) > LISTED_FILES:
        files = [*files[:LISTED_FILES], T("and more")]
    return T("it holds {files}", files=join(files))


def not_found(name: str, folder: Path | None) -> T:
    """The feedback of an assignment missing from a submission (a folder, if it was one)."""
    if folder is None:
        return T("not submitted: {module}.py was not found in the submission", module=name)
    return T(
        "not submitted: {module} is not in the submission (looked for {places}); {holds}",
        module=name,
        places=", ".join(module_places(name)),
        holds=_holds(folder),
    )


def none_found(folder: Path, names: list[str]) -> T:
    """Why nothing of ``names`` can be checked in ``folder`` (``autograder check``)."""
    if len(names) == 1:
        places = ", ".join(module_places(names[0]))
    else:
        places = T(
            "{places} for each of {names}",
            places=", ".join(module_places("<name>")),
            names=", ".join(names),
        )
    return T(
        "found nothing to check in {folder} (looked for {places}); {holds}",
        folder=str(folder),
        places=places,
        holds=_holds(folder),
    )


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Let torch compute on one thread in the judge while grading, as in the runners.

    The judge's tensors are small: threads there only spin, taking the core that the runner
    or a second judge needs.  And one thread makes the reference's values the same on every
    machine, whatever its number of cores.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def grade_module(
    assignment: Assignment,
    path: Path | None,
    *,
    config: GradingConfig | None = None,
    store: TranscriptStore | None = None,
    only: Iterable[str] | None = None,
    visible_only: bool = False,
    on_result: ProgressCallback | None = None,
    import_timeout: float = 30.0,
    searched: Path | None = None,
) -> list[CheckResult]:
    """Grade one module file against one assignment; never raises for student faults.

    ``config``: the run's settings (default: :meth:`GradingConfig.from_environment`), its
    ``truth`` says where expected values come from.  ``store``: the run's transcripts (a
    fresh one from ``config`` by default, its snapshot taken now).

    ``path`` None: the module was not submitted; ``searched`` is the submission folder where
    it was looked for, if any (the feedback says what was looked for and what is there).
    """
    wanted = set(only) if only is not None else None
    exercises = [e for e in assignment.exercises if wanted is None or e.name in wanted]
    results: list[CheckResult] = []

    def record(batch: list[CheckResult]) -> None:
        for result in batch:
            if visible_only and not result.visible:
                continue
            results.append(result)
            if on_result is not None:
                on_result(result)

    if path is None:
        missing = not_found(assignment.name, searched)
        for exercise in exercises:
            record(_all_failed(assignment, exercise, missing))
        return results

    config = config if config is not None else GradingConfig.from_environment()
    if store is None:
        store = TranscriptStore(config)
    store.take_snapshot([assignment.name])  # (the first snapshot of a run is its only one)
    ground = config.truth.for_assignment(assignment)
    freeze_imports()
    source = path.read_text(encoding="utf-8", errors="replace")
    names = {e.name for e in assignment.exercises}
    root = config.data_root
    with (
        ModuleSession(
            path,
            assignment.name,
            config.limits,
            readable=(str(root),) if root is not None else (),
            import_timeout=import_timeout,
        ) as session,
        store.kept_on_disk(assignment, session),
        one_thread(),
    ):
        loaded = session.load()
        if not loaded.ok:
            message = T(
                "could not import {module}.py: {reason}",
                module=assignment.name,
                reason=loaded.describe_failure(),
            )
            for exercise in exercises:
                record(_all_failed(assignment, exercise, message))
            return results
        for position, exercise in enumerate(exercises):
            if position:
                session.restart()  # every exercise in a runner of its own
            if position + 1 < len(exercises):
                session.prepare()
            if exercise.name not in session.functions:
                record(
                    _all_failed(
                        assignment,
                        exercise,
                        T("not submitted: {function} is not defined", function=exercise.name),
                    )
                )
                continue
            refused = _refused_by_the_scan(exercise, source, names)
            if refused is not None:
                record(_all_failed(assignment, exercise, refused))
                continue
            lending = lending_for(assignment, exercise, ground)
            graded = _grade_exercise(
                assignment,
                exercise,
                session,
                ground,
                lending,
                visible_only,
                config,
                store,
                more_runners=position + 1 < len(exercises),
            )
            record(graded)
    ground.save()
    return results


def _refused_by_the_scan(exercise: Exercise, source: str, names: set[str]) -> T | None:
    """Why the source alone costs ``exercise`` all its points, or None: it calls what the
    exercise forbids, or names what would switch that refusal off."""
    if not exercise.forbidden:
        return None
    forbidden = ", ".join(exercise.forbidden)
    escapes = find_escapes(source, exercise.name, names)
    if escapes:
        return T(
            "{function}: the module uses {uses}, which could switch off the refusal of the "
            "calls this exercise forbids ({forbidden}); no exercise needs it.",
            function=exercise.name,
            uses=_lines(escapes),
            forbidden=forbidden,
        )
    uses = find_forbidden(source, exercise.name, exercise.forbidden, names)
    if uses:
        return T(
            "{function} uses {uses}, which this exercise forbids ({forbidden}): "
            "the point is to implement it yourself.",
            function=exercise.name,
            uses=_lines(uses),
            forbidden=forbidden,
        )
    return None


def _lines(uses: list[ForbiddenUse]) -> T:
    return join([T("{name} (line {line})", name=use.name, line=use.line) for use in uses])


def _grade_exercise(
    assignment: Assignment,
    exercise: Exercise,
    session: ModuleSession,
    truth: Truth,
    lending: Lending | None,
    visible_only: bool,
    config: GradingConfig,
    store: TranscriptStore,
    *,
    more_runners: bool = False,
) -> list[CheckResult]:
    """Run one exercise's checks; after a timeout, its later checks fail without running.

    A hidden check runs in a runner of its own, and the visible check after it in a fresh
    one: nothing it was given (inputs logged, files written) can reach a visible check's
    feedback, and a hidden check that hangs stops only the later hidden checks, whose
    failures show nothing.  ``more_runners``: a later exercise will want a fresh runner.
    """
    results: list[CheckResult] = []
    hung: str | None = None  # a visible check that hung: later checks do not run
    hidden_hung = False  # a hidden one did: later hidden checks do not run
    general: set[str] = set()  # checks failed for what the whole function does
    run = [c for c in exercise.checks if c.visible or not visible_only]
    # Where a fresh runner starts: at each hidden check, and at the check after one.
    fresh = {
        check.name for before, check in zip(run, run[1:]) if not check.visible or not before.visible
    }
    for position, check in enumerate(run):
        check_id = f"{assignment.name}.{exercise.name}.{check.name}"
        if hung is None and check.name in fresh:
            session.restart()
            if more_runners or any(later.name in fresh for later in run[position + 1 :]):
                session.prepare()
        if hung is None and hidden_hung and not check.visible:
            # Concealed as "failed" below: neither this check's name nor the other's shows.
            results.append(
                CheckResult(
                    assignment.name,
                    exercise.name,
                    check.name,
                    0.0,
                    check.points,
                    False,
                    "not run",
                    check.visible,
                )
            )
            continue
        if hung is not None:
            general.add(check.name)
            feedback = T(
                "not run: {function} did not return in an earlier check ({check})",
                function=exercise.name,
                check=phrase(hung),
            )
            results.append(
                CheckResult(
                    assignment.name,
                    exercise.name,
                    check.name,
                    0.0,
                    check.points,
                    False,
                    str(feedback),
                    check.visible,
                    translations(feedback),
                )
            )
            continue

        def new_context(
            transport: Transport,
            log: ExampleLog | None,
            script: ExampleScript | None,
            check: Check = check,
            check_id: str = check_id,
        ) -> CheckContext:
            return CheckContext(
                session,
                exercise,
                truth,
                lending,
                check_id,
                check.timeout,
                config=config,
                transport=transport,
                example_log=log,
                example_script=script,
            )

        try:
            live = truth.record_to is not None
            store.run_check(check, check_id, new_context, session, live=live)
        except FunctionHung as failure:
            if check.visible:
                hung = check.name
            else:
                hidden_hung = True
            feedback = failure.feedback(check.hint)
            localized = {lang: failure.feedback(check.hint, lang) for lang in TRANSLATED}
        except CheckFailed as failure:
            if failure.about_the_function:
                general.add(check.name)
            feedback = failure.feedback(check.hint)
            localized = {lang: failure.feedback(check.hint, lang) for lang in TRANSLATED}
        except AnswerMissing:
            message = T(
                "not checked here: this kit has no recorded answer for this check (build "
                "the kit again with autograder release); the grade of record runs it"
            )
            feedback, localized = str(message), translations(message)
        except Exception as error:  # noqa: BLE001 - a returned value the check did not expect
            last = traceback.extract_tb(error.__traceback__)[-1]
            message = T(
                "the result could not be checked ({error}); this usually means a value of an "
                "unexpected type was returned [{where}]",
                error=f"{type(error).__name__}: {error}",
                where=f"{Path(last.filename).name}:{last.lineno}",
            )
            feedback, localized = str(message), translations(message)
        else:
            results.append(
                CheckResult(
                    assignment.name,
                    exercise.name,
                    check.name,
                    check.points,
                    check.points,
                    True,
                    "",
                    check.visible,
                )
            )
            continue
        results.append(
            CheckResult(
                assignment.name,
                exercise.name,
                check.name,
                0.0,
                check.points,
                False,
                feedback,
                check.visible,
                localized,
            )
        )
    return conceal_hidden(exercise, results, shown=general)


def conceal_hidden(
    exercise: Exercise, results: list[CheckResult], shown: set[str] | None = None
) -> list[CheckResult]:
    """Show hidden checks as "hidden check k of n": passed or failed, never name or inputs.

    ``shown``: hidden checks whose feedback is about the whole function (not implemented,
    not submitted, not importable), which says nothing of the check: it stays.
    """
    hidden = [check.name for check in exercise.checks if not check.visible]
    concealed = []
    for result in results:
        if result.check not in hidden:
            concealed.append(result)
            continue
        title = hidden_title(hidden.index(result.check) + 1, len(hidden))
        if result.passed or result.check in (shown or set()):
            concealed.append(replace(result, check=str(title)))
            continue
        feedback = T("failed; a hidden check shows neither its name nor its inputs")
        concealed.append(
            replace(
                result,
                check=str(title),
                feedback=str(feedback),
                translations=translations(feedback),
            )
        )
    return concealed


def grade_path(
    path: Path,
    assignment: str | None = None,
    *,
    config: GradingConfig | None = None,
    store: TranscriptStore | None = None,
    only: Iterable[str] | None = None,
    visible_only: bool = False,
    on_result: ProgressCallback | None = None,
    parallel: bool = False,
) -> GradeReport:
    """Grade every module of a submission (a file, a notebook or a folder) and time it.

    ``config``: the run's settings (default: :meth:`GradingConfig.from_environment`).
    ``store``: the run's transcripts (default: a fresh one, its snapshot of the transcripts
    kept on disk taken before any student code runs).
    ``parallel``: grade the modules on two cores (:mod:`autograder.grading.second_judge`); the
    results are the same, and ``on_result`` sees them in the same order, module by module.
    Refuses (:class:`SandboxUnavailable`, before any student code runs) where the machine
    cannot seal runners, unless ``config.limits.weak_sandbox``; the report lists the layers
    in force.
    """
    start = time.monotonic()
    config = config if config is not None else GradingConfig.from_environment()
    if store is None:
        store = TranscriptStore(config)
    report = GradeReport()
    searched = path if path.is_dir() else None
    submitted = find_modules(path, assignment)
    report.notes += choices_made(path, submitted)
    report.files = {
        name: file.relative_to(path).as_posix() if path.is_dir() else file.name
        for name, file in submitted.items()
        if file is not None
    }
    with gradable(submitted) as modules:
        store.take_snapshot(modules)
        only = list(only) if only is not None else None
        # Every check module, reference and lent oracle this grading uses is imported
        # before any student code runs: nothing a runner does can change what judges run.
        for name in modules:
            graded = load_assignment(name)
            importlib.import_module(config.truth.module_name(graded))
            if any(exercise.lends for exercise in graded.exercises):
                importlib.import_module(graded.oracle_module)

        def grade_here(name: str, module_path: Path | None) -> list[CheckResult]:
            return grade_module(
                load_assignment(name),
                module_path,
                config=config,
                store=store,
                only=only,
                visible_only=visible_only,
                on_result=None if parallel else on_result,
                searched=searched,
            )

        if parallel:
            options = {"config": config.to_dict(), "only": only, "visible_only": visible_only}
            graded = second_judge.grade_in_parallel(modules, grade_here, options, store)
            for name in modules:
                report.results += graded[name]
            report.results = said_in_cells(report.results, submitted)
            for result in report.results if on_result is not None else []:
                on_result(result)
        else:
            for name, module_path in modules.items():
                report.results += grade_here(name, module_path)
            report.results = said_in_cells(report.results, submitted)
    if any(found is not None for found in modules.values()):  # runners ran: say how sealed
        sandbox = sandbox_layers()
        report.sandbox = {"layers": list(sandbox.layers), "missing": list(sandbox.missing)}
        if sandbox.missing:
            missing = ", ".join(sandbox.missing)
            report.notes.append(f"weaker sandbox accepted: {missing} not in force")
    report.execution_time = time.monotonic() - start
    return report


def _grade_request(request: dict[str, Any], store: TranscriptStore) -> list[CheckResult]:
    """In a second judge: grade one assignment the judge sent (plain data)."""
    return grade_module(
        load_assignment(request["assignment"]),
        Path(request["path"]),
        config=store.config,
        store=store,
        only=request.get("only"),
        visible_only=bool(request.get("visible_only")),
    )


def serve_second_judge(fd_in: int, fd_out: int) -> None:
    """The second judge's entry point (:data:`autograder.grading.second_judge.ENTRY`)."""
    second_judge.serve(fd_in, fd_out, _grade_request)
