"""Grade a submission: find its modules, run each exercise's checks, collect the verdicts."""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import torch

from autograder.engine.launch import freeze_imports
from autograder.engine.sandbox import SandboxUnavailable, sandbox_layers
from autograder.engine.session import ModuleSession, SpareRunners
from autograder.errors import SubmissionError
from autograder.grading import second_judge, steps
from autograder.grading.config import GradingConfig
from autograder.grading.discovery import (
    choices_made,
    find_modules,
    gradable,
    in_cells,
    module_files_in,
    module_places,
    none_found,
    not_found,
    said_in_cells,
)
from autograder.grading.model import (
    Assignment,
    CheckResult,
    GradeReport,
)
from autograder.grading.registry import load_assignment
from autograder.grading.replay import TranscriptStore
from autograder.i18n import T

ProgressCallback = Callable[[CheckResult], None]


# What was found here before it moved to :mod:`autograder.grading.discovery`.
__all__ = [
    "SandboxUnavailable",
    "SubmissionError",
    "choices_made",
    "find_modules",
    "gradable",
    "grade_module",
    "grade_path",
    "in_cells",
    "module_files_in",
    "module_places",
    "none_found",
    "not_found",
    "said_in_cells",
]


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Let torch compute on one thread in the judge while grading, as in the runners.

    The judge's tensors are small: threads there only spin, taking the core that the runner
    or a second judge needs.  And one thread makes the reference's values the same on every
    machine, whatever its number of cores.
    """
    before = torch.get_num_threads()
    if before == 1:
        # Already (a judge forked from the fork server, which set it): not set again.  Set in
        # a fork, torch remakes its thread pool first, and a batch's worker was once seen
        # answering every check of a student with torch's "Invalid thread pool!" from there.
        yield
        return
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
    spares: SpareRunners | None = None,
    more_to_come: Callable[[], bool] | None = None,
) -> list[CheckResult]:
    """Grade one module file against one assignment; never raises for student faults.

    The module is graded by the named steps of :mod:`autograder.grading.steps`: ``missing``
    and ``import failed`` here, then each exercise by ``steps.EXERCISE_STEPS``, each in a
    runner of its own (its hidden checks last, see ``steps.checks``).

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

    def fail_every_exercise(feedback: T) -> list[CheckResult]:
        for exercise in exercises:
            record(steps.fail_every_check(assignment, exercise, feedback))
        return results

    absent = steps.missing(assignment, path, searched)
    if absent is not None:
        return fail_every_exercise(absent)
    assert path is not None  # (step missing answers exactly when there is none)

    config = config if config is not None else GradingConfig.from_environment()
    if store is None:
        store = TranscriptStore(config)
    store.take_snapshot([assignment.name])  # (the first snapshot of a run is its only one)
    ground = config.truth.for_assignment(assignment)
    freeze_imports()
    source = path.read_text(encoding="utf-8", errors="replace")
    with (
        ModuleSession(
            path,
            assignment.name,
            config.limits,
            readable=config.runner_readable,
            import_timeout=import_timeout,
            spares=spares,
            forbidden=tuple(name for exercise in exercises for name in exercise.forbidden),
        ) as session,
        store.kept_on_disk(assignment, session),
        one_thread(),
    ):
        broken = steps.import_failed(assignment, session)
        if broken is not None:
            return fail_every_exercise(broken)
        for position, exercise in enumerate(exercises):
            if position:
                session.restart()  # every exercise in a runner of its own
            last = position + 1 == len(exercises)
            if not last or (spares is not None and more_to_come is not None and more_to_come()):
                # The next exercise's runner, or the next module's (``spares`` shared by
                # the judge, which grades another after this one), sealed while this runs.
                session.prepare()
            grading = steps.ExerciseGrading(
                assignment,
                exercise,
                session,
                source,
                ground,
                config,
                store,
                visible_only=visible_only,
            )
            record(steps.grade_exercise(grading))
    ground.save()
    return results


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
    spares: SpareRunners | None = None,
    more_after: bool = False,
) -> GradeReport:
    """Grade every module of a submission (a file, a notebook or a folder) and time it.

    ``config``: the run's settings (default: :meth:`GradingConfig.from_environment`).
    ``store``: the run's transcripts (default: a fresh one, its snapshot of the transcripts
    kept on disk taken before any student code runs).
    ``spares``: runners started ahead, shared with the caller's other gradings (a batch's
    worker: one student after the other); ``more_after``: another grading will take them,
    so the last module starts one for it.
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
    owned = spares is None or not spares.serves(config.limits, config.runner_readable)
    if owned:
        spares = SpareRunners(config.limits, config.runner_readable)
    assert spares is not None
    # Spares this grading made are closed at its end; a caller's, by the caller.
    closing = contextlib.closing(spares) if owned else contextlib.nullcontext()
    with gradable(submitted) as modules, closing:
        if any(found is not None for found in modules.values()):
            spares.keep(1)  # the first module's runner seals while the checks are imported
        store.take_snapshot(modules)
        only = list(only) if only is not None else None
        # Every check module, reference and lent oracle this grading uses is imported
        # before any student code runs: nothing a runner does can change what judges run.
        for name in modules:
            graded = load_assignment(name)
            importlib.import_module(config.truth.module_name(graded))
            if any(exercise.lends for exercise in graded.exercises):
                importlib.import_module(graded.oracle_module)

        def grade_here(
            name: str, module_path: Path | None, more: Callable[[], bool]
        ) -> list[CheckResult]:
            return grade_module(
                load_assignment(name),
                module_path,
                config=config,
                store=store,
                only=only,
                visible_only=visible_only,
                on_result=None if parallel else on_result,
                searched=searched,
                spares=spares,
                more_to_come=more,
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
            files = list(modules.values())
            for position, (name, module_path) in enumerate(modules.items()):
                later = any(file is not None for file in files[position + 1 :])
                later = later or (more_after and not owned)
                report.results += grade_here(name, module_path, lambda later=later: later)
            report.results = said_in_cells(report.results, submitted)
    if any(found is not None for found in modules.values()):  # runners ran: say how sealed
        sandbox = sandbox_layers()
        report.sandbox = {"layers": list(sandbox.layers), "missing": list(sandbox.missing)}
        if sandbox.missing:
            missing = ", ".join(sandbox.missing)
            report.notes.append(f"weaker sandbox accepted: {missing} not in force")
    report.execution_time = time.monotonic() - start
    return report


def check_visible(
    found: dict[str, Path],
    function: str | None = None,
    *,
    on_module: Callable[[Path], None] | None = None,
    on_result: ProgressCallback | None = None,
) -> list[CheckResult]:
    """``autograder check``: the visible checks of the files ``found`` (of
    :func:`~autograder.grading.discovery.select_for_check`), only ``function``'s if named.

    The student's own code on the student's own machine, for feedback only: a weaker
    sandbox is accepted.  ``on_module`` hears of each file before its checks run."""
    results: list[CheckResult] = []
    config = GradingConfig.for_command(weak_sandbox=True)
    spares = SpareRunners(config.limits, config.runner_readable)
    with gradable(dict(found)) as modules, contextlib.closing(spares):
        for position, (name, file) in enumerate(modules.items()):
            later = position + 1 < len(modules)
            if on_module is not None:
                on_module(found[name])
            graded = grade_module(
                load_assignment(name),
                file,
                visible_only=True,
                only=[function] if function else None,
                on_result=on_result,
                config=config,
                spares=spares,
                more_to_come=lambda later=later: later,
            )
            results += said_in_cells(graded, {name: found[name]})
    return results


def _grade_request(
    request: dict[str, Any], store: TranscriptStore, spares: SpareRunners
) -> list[CheckResult]:
    """In a second judge: grade one assignment the judge sent (plain data)."""
    return grade_module(
        load_assignment(request["assignment"]),
        Path(request["path"]),
        config=store.config,
        store=store,
        only=request.get("only"),
        visible_only=bool(request.get("visible_only")),
        spares=spares,
    )


def serve_second_judge(fd_in: int, fd_out: int) -> None:
    """The second judge's entry point (:data:`autograder.grading.second_judge.ENTRY`)."""
    second_judge.serve(fd_in, fd_out, _grade_request)
