"""Where a submission's modules are: the file of each assignment in what a student handed
in, which one was chosen where there were several (and why), notebooks turned into modules,
and what to say when nothing is there.  Also which assignments ``autograder check`` looks at.

No student code runs here: the files are only read (and parsed, to see which was worked on).
"""

from __future__ import annotations

import ast
import contextlib
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from autograder.errors import SubmissionError
from autograder.grading.model import CheckResult
from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from autograder.i18n import T, join, translate
from autograder.notebook_source import (
    CellLines,
    notebook_assignment,
    notebook_module,
    notebook_source,
    read_notebook,
    write_notebook_module,
)

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


def owners_of(function: str | None) -> list[str]:
    """The assignments ``autograder check --function`` looks at: those with an exercise
    called ``function`` (every assignment when no function is named)."""
    return [
        name
        for name in ASSIGNMENT_NAMES
        if function is None or any(e.name == function for e in load_assignment(name).exercises)
    ]


def select_for_check(
    path: Path, function: str | None, assignment: str | None, lang: str = "en"
) -> dict[str, Path]:
    """The files ``autograder check`` grades in ``path``: of the assignments owning
    ``function`` (all without one), those found.  Raises :class:`SubmissionError` saying
    why there is nothing to check."""
    owners = owners_of(function)
    if function is not None and not owners:
        raise SubmissionError(f"no exercise is called {function!r}")
    submitted = find_modules(path, assignment)
    found = {name: file for name, file in submitted.items() if file is not None and name in owners}
    if not found and path.is_dir():
        raise SubmissionError(translate(none_found(path, owners), lang))
    if not found:  # a file of another assignment than the function's
        raise SubmissionError(f"{path.name} is {', '.join(submitted)}: it has no {function}")
    return found
