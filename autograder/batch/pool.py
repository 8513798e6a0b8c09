"""Grade many students in parallel, so that no submission can stop or spoil the batch.

Layers of protection, innermost first:

1. student code only runs in sandboxed runner processes (timeouts, memory and CPU limits);
2. each student is graded in a worker process under an overall time limit (an alarm in the
   worker), and any exception there becomes that student's error, not the batch's;
3. the parent watches the workers: a worker that dies (a submission may kill its judge) or
   overruns the limit is replaced; the students it was grading are graded again, each on
   its own, and a student who breaks that too gets an error result (0 points, the reason).
"""

from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing
import multiprocessing.queues
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from autograder.batch.model import StudentResult
from autograder.engine.sandbox import require_sandbox, sandbox_layers
from autograder.engine.zygote import prestart
from autograder.exercises import load_assignment
from autograder.grading import replay
from autograder.grading.grade import (
    SubmissionError,
    _all_failed,
    find_modules,
    grade_module,
    grade_path,
    module_files_in,
    module_places,
    not_found,
)
from autograder.grading.model import CheckResult
from autograder.grading.truth import GroundTruth
from autograder.i18n import T, join, translations

# What a batch's parent hands its workers (see calibrate).
Transcripts = dict[tuple[str, str], Any]

# Seconds the parent waits past a student's time limit before it kills the worker itself.
GRACE_SECONDS = 30.0


class StudentTimeout(BaseException):
    """The student's overall time limit expired (a BaseException: nothing may swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`StudentTimeout` in this (main) thread after ``seconds``."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise StudentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def failed_results(assignments: Sequence[str], message: str) -> list[CheckResult]:
    """Every check of the assignments failed with ``message`` (a broken submission)."""
    results: list[CheckResult] = []
    for name in assignments:
        assignment = load_assignment(name)
        for exercise in assignment.exercises:
            results += _all_failed(assignment, exercise, message)
    return results


def complete(results: list[CheckResult], assignments: Sequence[str]) -> list[CheckResult]:
    """Only the batch's assignments, each present (``not submitted`` where missing)."""
    kept = [r for r in results if r.assignment in assignments]
    present = {r.assignment for r in kept}
    for name in assignments:
        if name not in present:
            kept += failed_results([name], not_found(name, None))
    order = {name: index for index, name in enumerate(assignments)}
    return sorted(kept, key=lambda r: order[r.assignment])  # stable: check order is kept


def nothing_to_grade(path: Path, assignments: Sequence[str]) -> T | None:
    """Why a submission folder holds nothing to grade (empty, unreadable, or none of the
    batch's modules), or None when it holds at least one of them."""
    if not path.is_dir():
        return None
    try:
        found = any(find_modules(path, name)[name] is not None for name in assignments)
    except (OSError, SubmissionError):
        found = False
    if found:
        return None
    places = (
        ", ".join(module_places(assignments[0]))
        if len(assignments) == 1
        else T(
            "{places} for each of {names}",
            places=", ".join(module_places("<name>")),
            names=", ".join(assignments),
        )
    )
    if not os.access(path, os.R_OK | os.X_OK):
        return T(
            "no module or notebook found: looked for {places}; the folder cannot be read",
            places=places,
        )
    files = module_files_in(path)
    holds = (
        T("it holds {files}", files=join(files[:5]))
        if files
        else T("it holds no .py or .ipynb file")
    )
    return T(
        "no module or notebook found: looked for {places}; {holds}", places=places, holds=holds
    )


def _grade_submission(
    path: Path, assignments: Sequence[str], allow_weak_sandbox: bool
) -> list[CheckResult]:
    weak = allow_weak_sandbox
    if path.is_dir():
        results: list[CheckResult] = []
        for name in assignments:
            results += grade_path(path, name, allow_weak_sandbox=weak).results
        return results
    # One file (a notebook or a module): it is the assignment the batch grades, or the
    # assignment its name says.
    only = assignments[0] if len(assignments) == 1 else None
    return complete(grade_path(path, only, allow_weak_sandbox=weak).results, assignments)


def _ready(assignments: Sequence[str]) -> None:
    """Import what grading these assignments needs and wait for the fork server."""
    truth = GroundTruth.installed()
    for name in assignments:
        importlib.import_module(truth.module_name(load_assignment(name)))
    sandbox_layers()


def grade_student(
    student: str,
    path: str,
    assignments: Sequence[str],
    timeout: float | None,
    allow_weak_sandbox: bool = False,
) -> StudentResult:
    """Grade one student's submission; never raises (runs in a worker process).

    The student's time limit starts once the grader itself is ready (its imports, the fork
    server's start): the grader's start-up is not the submission's time.
    """
    with contextlib.suppress(Exception):  # grading reports any of these failures itself
        _ready(assignments)
    start = time.monotonic()
    submission = Path(path)
    empty = nothing_to_grade(submission, assignments)
    if empty is not None:
        return error_result(student, submission.name, assignments, empty)
    try:
        with time_limit(timeout):
            results = _grade_submission(submission, assignments, allow_weak_sandbox)
        return StudentResult(student, submission.name, results, time.monotonic() - start)
    except StudentTimeout:
        message = T(
            "grading stopped: this submission took longer than {seconds} s, the time limit "
            "for one student",
            seconds=f"{timeout:g}",
        )
    except SubmissionError as error:
        message = T("this submission could not be graded: {reason}", reason=str(error))
    except Exception as error:  # noqa: BLE001 - the batch goes on whatever happens
        message = T(
            "grading failed with an internal error ({error}); please tell your instructor",
            error=f"{type(error).__name__}: {error}",
        )
    return error_result(student, submission.name, assignments, message, time.monotonic() - start)


def error_result(
    student: str,
    submission: str,
    assignments: Sequence[str],
    message: str,
    execution_time: float = 0.0,
) -> StudentResult:
    return StudentResult(
        student,
        submission,
        failed_results(assignments, message),
        execution_time,
        error=str(message),
        error_translations=translations(message),
    )


def _worker_started(transcripts: multiprocessing.queues.Queue) -> None:
    # A session of its own: a submission that signals its judge's process group cannot
    # reach the batch's parent process through it.
    with contextlib.suppress(OSError):
        os.setsid()
    prestart()  # the fork server imports torch while we wait for the transcripts
    replay.adopt(transcripts.get())


class Pool:
    """Worker processes, and a way to hand each of them the parent's transcripts.

    The workers start (and import torch) while the parent records the transcripts; each
    takes one copy from the queue before its first student.  They travel in memory, never
    through a file a submission could rewrite.
    """

    def __init__(self, workers: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.workers = workers
        self.queue = context.Queue()
        self.executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_started,
            initargs=(self.queue,),
        )

    def hand_out(self, transcripts: Transcripts) -> None:
        for _ in range(self.workers):
            self.queue.put(transcripts)


def calibrate(assignments: Sequence[str]) -> Transcripts:
    """Grade the reference solutions here, before any student code runs: their transcripts.

    Every worker starts with them (in memory, through the pool), so every student who
    passes a check is graded by replay, and all on the same examples (see
    :mod:`autograder.grading.replay`).
    """
    if not replay.enabled() or GroundTruth.installed().kind != "reference":
        return {}
    for name in assignments:
        assignment = load_assignment(name)
        spec = importlib.util.find_spec(assignment.reference_module)
        if spec is not None and spec.origin is not None:
            grade_module(assignment, Path(spec.origin))
    return replay.export()


def _kill_workers(pool: Pool) -> None:
    processes = getattr(pool.executor, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.kill()


def _stop(pool: Pool, kill: bool = False) -> None:
    if kill:
        _kill_workers(pool)
    with contextlib.suppress(Exception):
        pool.executor.shutdown(wait=not kill, cancel_futures=True)
    pool.queue.cancel_join_thread()  # copies no worker took are not waited for
    pool.queue.close()


def grade_class(
    students: dict[str, Path],
    assignments: Sequence[str],
    *,
    jobs: int = 1,
    timeout: float | None = 900.0,
    on_result: Callable[[StudentResult], None] | None = None,
    allow_weak_sandbox: bool = False,
) -> list[StudentResult]:
    """Grade every student (``jobs`` at a time); results sorted by student name.

    Refuses (:class:`SandboxUnavailable`) before any student is graded where this machine
    cannot seal runners, unless ``allow_weak_sandbox``.
    """
    assignments = list(assignments)
    jobs = max(1, jobs)
    done: dict[str, StudentResult] = {}
    pending = deque(sorted(students))
    suspects: list[str] = []

    def finish(result: StudentResult) -> None:
        done[result.student] = result
        if on_result is not None:
            on_result(result)

    def submit(pool: Pool, name: str) -> Future[StudentResult]:
        return pool.executor.submit(
            grade_student, name, str(students[name]), assignments, timeout, allow_weak_sandbox
        )

    limit = None if timeout is None else timeout + GRACE_SECONDS
    pool = Pool(min(jobs, max(1, len(pending))))
    running: dict[Future[StudentResult], tuple[str, float]] = {}
    transcripts: Transcripts = {}
    clean = False
    try:
        try:
            while pending and len(running) < jobs:  # the workers start meanwhile
                running[submit(pool, pending[0])] = (pending[0], time.monotonic())
                pending.popleft()
            # Their runners would be refused anyway; refuse the batch before any result.
            require_sandbox(allow_weak_sandbox)
            # Worth it when the workers grade several students each.
            transcripts = calibrate(assignments) if pending else {}
        finally:
            pool.hand_out(transcripts)
        while pending or running:
            broken = False
            try:
                while pending and len(running) < jobs:
                    running[submit(pool, pending[0])] = (pending[0], time.monotonic())
                    pending.popleft()
            except BrokenProcessPool:
                broken = True  # a worker died since the last round
            finished, _ = wait(running, timeout=2.0, return_when=FIRST_COMPLETED)
            for future in finished:
                name, _ = running.pop(future)
                try:
                    finish(future.result())
                except BrokenProcessPool:
                    suspects.append(name)
                    broken = True
                except Exception as error:  # noqa: BLE001 - e.g. a result that cannot pickle
                    finish(error_result(name, students[name].name, assignments, _internal(error)))
            now = time.monotonic()
            if limit is not None and any(now - t > limit for _, t in running.values()):
                broken = True  # a worker is stuck past the alarm: kill the pool
            if broken:
                suspects += [name for name, _ in running.values()]
                running.clear()
                _stop(pool, kill=True)
                pool = Pool(jobs)
                pool.hand_out(transcripts)
        clean = True
    finally:
        _stop(pool, kill=not clean)
    # Students who were being graded when a worker died or hung: again, one at a time.
    for name in sorted(suspects):
        finish(
            _grade_alone(
                name, students[name], assignments, timeout, limit, transcripts, allow_weak_sandbox
            )
        )
    return [done[name] for name in sorted(done)]


def _grade_alone(
    name: str,
    path: Path,
    assignments: list[str],
    timeout: float | None,
    limit: float | None,
    transcripts: Transcripts,
    allow_weak_sandbox: bool,
) -> StudentResult:
    pool = Pool(1)
    pool.hand_out(transcripts)
    clean = False
    try:
        future = pool.executor.submit(
            grade_student, name, str(path), assignments, timeout, allow_weak_sandbox
        )
        result = future.result(limit)
        clean = True
        return result
    except BrokenProcessPool:
        message = T(
            "grading stopped: the process grading this submission died (the submission may "
            "have killed it)"
        )
    except FutureTimeout:
        message = T(
            "grading stopped: this submission took longer than {seconds} s, the time limit "
            "for one student",
            seconds=f"{timeout:g}",
        )
    except Exception as error:  # noqa: BLE001
        message = _internal(error)
    finally:
        _stop(pool, kill=not clean)
    return error_result(name, path.name, assignments, message)


def _internal(error: BaseException) -> T:
    return T(
        "grading failed with an internal error ({error}); please tell your instructor",
        error=f"{type(error).__name__}: {error}",
    )
