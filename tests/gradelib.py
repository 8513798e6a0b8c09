"""Helpers for the project's tests: grade sources and splice mutants into solutions."""

from __future__ import annotations

import ast
import contextlib
import fcntl
import json
import os
import re
import shutil
import socket
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from autograder.grading.grade import grade_module
from autograder.grading.model import CheckResult
from autograder.grading.registry import load_assignment

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
ASSIGNMENTS = ROOT / "assignments"
MUTANTS = Path(__file__).resolve().parent / "mutants"


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder ``build`` fills once per test run, also under xdist (whose workers share the
    parent of their temporary folders): the first worker to get here builds, the others
    wait for it and use what it built.  Tests copy what they change."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / ".built").exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            build(out)
            (out / ".built").touch()
    return out


def by_function(results: list[CheckResult]) -> dict[str, tuple[float, float]]:
    """{function: (score, max_score)} for a list of check results."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for result in results:
        totals[result.function][0] += result.score
        totals[result.function][1] += result.max_score
    return {name: (score, total) for name, (score, total) in totals.items()}


def grade_file(path: Path, assignment: str, **kwargs) -> list[CheckResult]:
    return grade_module(load_assignment(assignment), path, **kwargs)


def grade_source(tmp_path: Path, assignment: str, source: str, **kwargs) -> list[CheckResult]:
    path = tmp_path / f"{assignment}.py"
    path.write_text(source, encoding="utf-8")
    return grade_file(path, assignment, **kwargs)


def grade_replacement(
    tmp_path: Path, assignment: str, replacement: str, function: str
) -> list[CheckResult]:
    """Grade ``function`` of the reference solution with ``replacement`` spliced in."""
    source = splice((SOLUTIONS / f"{assignment}.py").read_text(), replacement)
    return grade_source(tmp_path, assignment, source, only=[function])


def splice(module_source: str, replacement_source: str) -> str:
    """Replace the module's top-level functions by those defined in ``replacement_source``.

    Everything else the replacement holds (imports, helper functions) is added at the end,
    so a mutant file is just the wrong function plus whatever it needs.
    """
    module = ast.parse(module_source)
    replacement = ast.parse(replacement_source)
    replaced = {node.name for node in replacement.body if isinstance(node, ast.FunctionDef)}
    lines = module_source.splitlines(keepends=True)
    spans = [
        (node.lineno - 1 - len(node.decorator_list), node.end_lineno)
        for node in module.body
        if isinstance(node, ast.FunctionDef) and node.name in replaced
    ]
    kept = [
        line
        for index, line in enumerate(lines)
        if not any(start <= index < end for start, end in spans)
    ]
    return "".join(kept) + "\n\n" + replacement_source


def mutant_files(assignment: str | None = None) -> list[Path]:
    """Every mutant: tests/mutants/<assignment>/<function>/<name>.py."""
    pattern = f"{assignment}/*/*.py" if assignment else "*/*/*.py"
    return sorted(MUTANTS.glob(pattern))


def correct_files(assignment: str | None = None) -> list[Path]:
    """Differently written correct implementations: tests/correct/<assignment>/<name>.py."""
    pattern = f"{assignment}/*.py" if assignment else "*/*.py"
    return sorted((MUTANTS.parent / "correct").glob(pattern))


# Names whose use lets code reach any name of its module: with them, any exercise may change.
DYNAMIC_NAMES = {"globals", "vars", "eval", "exec", "__import__", "importlib", "sys"}


def _bindings(module: ast.Module) -> dict[str, str]:
    """What each import of a module binds: ``{name: what it names}``."""
    bound = {}
    for node in module.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def _reads(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def exercises_a_mutant_can_reach(
    module_source: str, mutant_source: str, exercises: list[str]
) -> set[str]:
    """The exercises whose grading splicing ``mutant_source`` into the module can change.

    A mutant file only defines functions and classes and imports (checked here).  Each
    exercise runs in a runner of its own, which imports the whole module; so an exercise
    that reads none of the names the mutant (re)binds, directly or through the module's
    other functions and classes, runs the reference's code only, and gets the reference's
    verdicts.  Every exercise when the module could reach its names dynamically.
    """
    mutant = ast.parse(mutant_source)
    for node in mutant.body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        kinds = (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
        assert docstring or isinstance(node, kinds), f"a mutant that runs code: {node}"
    module = ast.parse(splice(module_source, mutant_source))
    if _reads(module) & DYNAMIC_NAMES:
        return set(exercises)
    before = _bindings(ast.parse(module_source))
    changed = {
        node.name for node in mutant.body if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    changed |= {name for name, target in _bindings(mutant).items() if before.get(name) != target}
    reads: dict[str, set[str]] = defaultdict(set)
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            reads[node.name] |= _reads(node)
    reached = set(changed)
    while True:  # every definition that reads a reached name, until nothing new is reached
        more = {name for name, names in reads.items() if names & reached} - reached
        if not more:
            break
        reached |= more
    return {exercise for exercise in exercises if exercise in reached}


# Functions for a hostile submission: _fill_the_disk fills its folder (1 MiB writes, then
# empty files), writes beside its own module and says how far it got; broadcast_to raises it.
FILL_THE_DISK = """
def _fill_the_disk():
    import os
    written, made, chunk, full = 0, 0, b"x" * 1024**2, "no error"
    try:
        for i in range(64):  # 1 GiB at most: far over the runner's folder
            fd = os.open(f"fill{i}", os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                for _ in range(16):
                    written += os.write(fd, chunk)
            finally:
                os.close(fd)
    except OSError as error:
        full = error.strerror
    try:
        for i in range(4096):
            open(f"empty{i}", "w").close()
            made += 1
    except OSError as error:
        full += "; " + error.strerror
    try:
        open(os.path.join(os.path.dirname(__file__), "beside"), "w").close()
        beside = "written"
    except OSError as error:
        beside = error.strerror
    return f"filled {written >> 20} MiB, {made} files ({full}); beside: {beside}"


def broadcast_to(x, shape):
    raise RuntimeError(_fill_the_disk())
"""


def filled(feedback: str) -> tuple[int, int, str]:
    """What FILL_THE_DISK reported: MiB written, files made, and the errors it met.

    A runner's folder is a tmpfs of 64 MiB and 1024 files; the submission's folder is a
    read-only bind mount in its empty root.
    """
    found = re.search(r"filled (\d+) MiB, (\d+) files \((.*?)\); beside: (\w[\w -]*\w)", feedback)
    assert found, feedback
    mib, files, errors = int(found[1]), int(found[2]), f"{found[3]}; beside: {found[4]}"
    assert mib <= 64 and files < 1024, feedback
    assert errors.startswith("No space left on device"), feedback
    assert errors.endswith("beside: Read-only file system"), feedback
    return mib, files, errors


@contextlib.contextmanager
def accepting(server: socket.socket) -> Iterator[list[str]]:
    """Accept connections on a listening ``server`` in a thread; the connections accepted."""
    server.settimeout(0.2)
    accepted: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            accepted.append("connected")
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield accepted
    finally:
        stop.set()
        thread.join()
        server.close()


def answer_of_a_fork(work: Callable[[], Any]) -> Any:
    """``work()`` run in a forked child, so that what it changes in its process (a filter
    loaded, memory moved) stays there; its answer (JSON) comes back over a pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.write(write_end, json.dumps(work()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def children_of(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (alive or zombies), as /proc lists them."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(child) for child in (task / "children").read_text().split()}
    return found
