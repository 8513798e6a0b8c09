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
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from pathlib import Path
from typing import Any

from autograder.batch import workers
from autograder.batch.model import StudentResult
from autograder.batch.workers import ForkedWorkers, SpawnedWorkers
from autograder.engine.entry_points import BATCH_WORKER
from autograder.engine.fork_server import fork_server
from autograder.engine.sandbox import require_sandbox, sandbox_layers
from autograder.engine.session import SpareRunners
from autograder.errors import WorkersCannotStart
from autograder.grading import transcript_store
from autograder.grading.config import GradingConfig
from autograder.grading.grade import (
    SubmissionError,
    find_modules,
    grade_module,
    grade_path,
    module_files_in,
    module_places,
    not_found,
)
from autograder.grading.model import CheckResult
from autograder.grading.registry import load_assignment
from autograder.grading.replay import Exported, TranscriptStore
from autograder.grading.steps import fail_every_check
from autograder.i18n import T, join, translations

# What a batch's parent hands its workers with every student (see calibrate).
Transcripts = Exported

# Seconds the parent waits past a student's time limit before it kills the worker itself.
GRACE_SECONDS = 30.0


# Pools in a row that may break before any student reached them: then the workers cannot
# start on this machine at all, and the batch stops instead of starting them forever.
MAX_FAILED_STARTS = 3


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
            results += fail_every_check(assignment, exercise, message)
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
    if not path.is_dir() or path.is_symlink():
        return None  # grading says why a link is refused
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
    path: Path,
    assignments: Sequence[str],
    config: GradingConfig,
    store: TranscriptStore,
    spares: SpareRunners | None = None,
) -> list[CheckResult]:
    store.take_snapshot(assignments)  # before any of the student's code runs
    # With the worker's spares, each grading starts the next one's first runner.
    ahead = {"spares": spares, "more_after": spares is not None}
    if path.is_dir():
        results: list[CheckResult] = []
        for name in assignments:
            results += grade_path(path, name, config=config, store=store, **ahead).results
        return results
    # One file (a notebook or a module): it is the assignment the batch grades, or the
    # assignment its name says.
    only = assignments[0] if len(assignments) == 1 else None
    graded = grade_path(path, only, config=config, store=store, **ahead)
    return complete(graded.results, assignments)


def ready(assignments: Sequence[str], config: dict[str, Any]) -> None:
    """Import what grading these assignments needs and wait for the fork server (a worker
    does it first, while the parent records the transcripts)."""
    # A session of its own: a submission that signals its judge's process group cannot
    # reach the batch's parent process through it.
    with contextlib.suppress(OSError):
        os.setsid()
    fork_server()  # the fork server imports torch meanwhile
    truth = GradingConfig.from_dict(config).truth
    for name in assignments:
        importlib.import_module(truth.module_name(load_assignment(name)))
    sandbox_layers()


def grade_student(
    student: str,
    path: str,
    assignments: Sequence[str],
    timeout: float | None,
    config: dict[str, Any],
    transcripts: Transcripts,
    spares_for: Callable[[GradingConfig], SpareRunners] | None = None,
) -> StudentResult:
    """Grade one student's submission; never raises (runs in a worker process).

    ``spares_for`` gives the worker's spare runners for these settings: started while one
    student is graded, they take the next one's first runners (none for another student's
    code has run in them: each is sealed fresh and loads one module).

    ``config`` is the batch's :class:`GradingConfig` as data; ``transcripts`` the reference's
    (:func:`calibrate`), replayed by this student's own store.  The student's time limit
    starts once the grader itself is ready (its imports, the fork server's start): the
    grader's start-up is not the submission's time.
    """
    with contextlib.suppress(Exception):  # grading reports any of these failures itself
        ready(assignments, config)
    settings = GradingConfig.from_dict(config)
    store = TranscriptStore(settings)
    store.adopt(transcripts, load_assignment)
    start = time.monotonic()
    submission = Path(path)
    empty = nothing_to_grade(submission, assignments)
    if empty is not None:
        return error_result(student, submission.name, assignments, empty)
    try:
        with time_limit(timeout):
            spares = spares_for(settings) if spares_for is not None else None
            results = _grade_submission(submission, assignments, settings, store, spares)
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


# What a worker forked from the fork server runs (see autograder.batch.workers).
WORKER_ENTRY = BATCH_WORKER


def grade_student_as_data(
    *args: Any,
    spares_for: Callable[[GradingConfig], SpareRunners] | None = None,
    unpack: Callable[[Any], Transcripts] = transcript_store.unpack,
) -> dict[str, Any]:
    """:func:`grade_student` as a worker answers it: the result as plain data, the
    transcripts (packed by :func:`autograder.grading.transcript_store.pack`) unpacked."""
    *given, packed = args
    return asdict(grade_student(*given, unpack(packed), spares_for))


class _UnpackedOnce:
    """:func:`transcript_store.unpack` for a worker, which gets the same transcripts with
    every student: parsed the first time, then handed out again while the bytes are the
    same (each student's store wraps them anew and only reads them)."""

    def __init__(self) -> None:
        self._data: bytes | None = None
        self._transcripts: Transcripts = {}

    def __call__(self, packed: Any) -> Transcripts:
        data = transcript_store.packed_bytes(packed)
        if data is None or data != self._data:
            self._transcripts = transcript_store.unpack(packed)
            self._data = data
        return self._transcripts


def calibrates(config: GradingConfig) -> bool:
    """Whether a batch with these settings records the reference's transcripts first."""
    return config.replay and config.truth.kind == "reference"


def calibrate(
    assignments: Sequence[str], config: GradingConfig, spares: SpareRunners | None = None
) -> Transcripts:
    """Grade the reference solutions here, before any student code runs: their transcripts.

    Every worker grades every student with them (they travel with the student, in memory,
    never through a file a submission could rewrite), so every student who passes a check
    is graded by replay, and all on the same examples (see :mod:`autograder.grading.replay`).
    ``spares``: a worker's runners started ahead (each sealed fresh and loaded once, so the
    reference never shares one with a student), the last module starting one for the
    students who come after.
    """
    if not calibrates(config):
        return {}
    store = TranscriptStore(config)
    more = (lambda: True) if spares is not None else None  # students come after
    for name in assignments:
        assignment = load_assignment(name)
        spec = importlib.util.find_spec(assignment.reference_module)
        if spec is not None and spec.origin is not None:
            grade_module(
                assignment,
                Path(spec.origin),
                config=config,
                store=store,
                spares=spares,
                more_to_come=more,
            )
    return store.export()


def calibrate_as_data(
    name: str,
    config: dict[str, Any],
    spares_for: Callable[[GradingConfig], SpareRunners] | None = None,
) -> Any:
    """:func:`calibrate` of one assignment as a worker answers it: the transcripts packed
    (:func:`autograder.grading.transcript_store.pack`)."""
    settings = GradingConfig.from_dict(config)
    spares = spares_for(settings) if spares_for is not None else None
    return transcript_store.pack(calibrate([name], settings, spares))


# The functions a worker serves, by name.
WORKER_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "ready": ready,
    "grade_student_as_data": grade_student_as_data,
    "calibrate_as_data": calibrate_as_data,
}


def serve_worker(fd_in: int, fd_out: int) -> None:
    """A forked worker's entry point: grade students as the parent asks, one after the
    other, with spare runners of its own that it closes when the parent is done."""
    kept: list[SpareRunners] = []

    def spares_for(settings: GradingConfig) -> SpareRunners:
        limits, readable = settings.limits, settings.runner_readable
        if not kept or not kept[-1].serves(limits, readable):
            kept.append(SpareRunners(limits, readable))
        return kept[-1]

    unpack = _UnpackedOnce()

    def grade(*args: Any) -> dict[str, Any]:
        return grade_student_as_data(*args, spares_for=spares_for, unpack=unpack)

    def calibrate_here(*args: Any) -> Any:
        return calibrate_as_data(*args, spares_for=spares_for)

    served = {
        **WORKER_FUNCTIONS,
        "grade_student_as_data": grade,
        "calibrate_as_data": calibrate_here,
    }
    try:
        workers.serve(fd_in, fd_out, served)
    finally:
        for spares in kept:
            spares.close()


def answer_spawned_call(data: bytes) -> bytes:
    """A spawned worker's side of one call (:class:`~autograder.batch.workers.SpawnedWorkers`)."""
    return workers.answer_call(WORKER_FUNCTIONS, data)


class Pool:
    """Worker processes, each started (and its imports done) before its first student.

    Judges forked from the fork server (:mod:`autograder.batch.workers`); fresh interpreters
    where there is none.  Either way, what crosses is data (the wire format of
    :mod:`autograder.engine.protocol`).
    """

    def __init__(self, workers: int, assignments: Sequence[str], config: dict[str, Any]) -> None:
        self.workers = workers
        prepare = ("ready", (list(assignments), config))
        memory = GradingConfig.from_dict(config).limits.judge_memory_bytes
        forked = ForkedWorkers.start(workers, WORKER_ENTRY, prepare, memory)
        if forked is not None:
            self.executor: ForkedWorkers | SpawnedWorkers = forked
            return
        self.executor = SpawnedWorkers(workers, answer_spawned_call)
        # Start every worker now: they import torch while the parent records the transcripts.
        for _ in range(workers):
            self.executor.submit(ready, list(assignments), config)

    def grade(
        self,
        student: str,
        path: Path,
        assignments: Sequence[str],
        timeout: float | None,
        settings: dict[str, Any],
        packed: Any,
    ) -> Future[dict[str, Any]]:
        """Grade one student in a worker: a future of its :class:`StudentResult` as data."""
        args = (student, str(path), list(assignments), timeout, settings, packed)
        return self.executor.submit(grade_student_as_data, *args)


def calibrate_in(pool: Pool, assignments: Sequence[str], config: GradingConfig) -> Transcripts:
    """:func:`calibrate`, the assignments shared among the pool's workers (one core each),
    every one finished before the caller hands any worker a student.

    A batch's first minutes were the reference graded one assignment after the other on one
    core while the workers waited.  A worker that calibrates has run no student code yet
    (no student is handed out before this returns), and what it sends back is data, read as
    the files kept on disk are.  An assignment whose calibration did not come back (a worker
    that broke, an answer that is not transcripts) is calibrated here, as before.
    """
    if not calibrates(config):
        return {}
    settings = config.to_dict()
    # The longest first (more checks, more examples), so that no worker is left with one
    # long assignment at the end while the other waits.
    order = sorted(assignments, key=lambda name: -_check_count(name))
    asked: dict[str, Future[Any]] = {}
    for name in order:
        try:
            asked[name] = pool.executor.submit(calibrate_as_data, name, settings)
        except (BrokenProcessPool, RuntimeError):
            break
    transcripts: Transcripts = {}
    missing = []
    for name in order:
        try:
            packed = asked[name].result() if name in asked else None
        except Exception:  # noqa: BLE001 - calibrated here instead
            packed = None
        found = transcript_store.unpack(packed) if packed is not None else {}
        mine = {key: value for key, value in found.items() if _assignment_of(key) == name}
        if mine:
            transcripts.update(mine)
        else:
            missing.append(name)
    if missing:
        transcripts.update(calibrate(missing, config))
    return transcripts


def _check_count(name: str) -> int:
    return sum(len(exercise.checks) for exercise in load_assignment(name).exercises)


def _assignment_of(key: Any) -> str | None:
    """The assignment a key of exported transcripts, ``(check_id, environment)``, is about."""
    if isinstance(key, tuple) and key and isinstance(key[0], str):
        return key[0].split(".")[0]
    return None


def _kill_workers(pool: Pool) -> None:
    pool.executor.kill()


def _stop(pool: Pool, kill: bool = False) -> None:
    if kill:
        _kill_workers(pool)
    with contextlib.suppress(Exception):
        pool.executor.shutdown(wait=not kill, cancel_futures=True)


def grade_class(
    students: dict[str, Path],
    assignments: Sequence[str],
    *,
    jobs: int = 1,
    timeout: float | None = 900.0,
    on_result: Callable[[StudentResult], None] | None = None,
    config: GradingConfig | None = None,
) -> list[StudentResult]:
    """Grade every student (``jobs`` at a time); results sorted by student name.

    Refuses (:class:`SandboxUnavailable`) before any student is graded where this machine
    cannot seal runners, unless ``config.limits.weak_sandbox``.
    """
    config = config if config is not None else GradingConfig.from_environment()
    settings = config.to_dict()
    assignments = list(assignments)
    jobs = max(1, jobs)
    done: dict[str, StudentResult] = {}
    pending = deque(sorted(students))
    suspects: list[str] = []

    def finish(result: StudentResult) -> None:
        done[result.student] = result
        if on_result is not None:
            on_result(result)

    def submit(pool: Pool, name: str) -> Future[dict[str, Any]]:
        return pool.grade(name, students[name], assignments, timeout, settings, packed)

    limit = None if timeout is None else timeout + GRACE_SECONDS
    pool = Pool(min(jobs, max(1, len(pending))), assignments, settings)
    taken = 0  # students the current pool took
    failed_starts = 0
    running: dict[Future[dict[str, Any]], tuple[str, float]] = {}
    packed = transcript_store.pack({})
    clean = False
    try:
        # Their runners would be refused anyway; refuse the batch before any result.
        require_sandbox(config.limits.weak_sandbox)
        # Worth it when the workers grade several students each.
        if len(pending) > jobs:
            packed = transcript_store.pack(calibrate_in(pool, assignments, config))
        while pending or running:
            broken = False
            try:
                while pending and len(running) < jobs:
                    running[submit(pool, pending[0])] = (pending[0], time.monotonic())
                    pending.popleft()
                    taken += 1
            except BrokenProcessPool:
                broken = True  # a worker died since the last round
            finished, _ = wait(running, timeout=2.0, return_when=FIRST_COMPLETED)
            for future in finished:
                name, _ = running.pop(future)
                try:
                    finish(_answer_for(name, StudentResult.from_dict(future.result())))
                except BrokenProcessPool:
                    suspects.append(name)
                    broken = True
                except Exception as error:  # noqa: BLE001 - e.g. a result the wire cannot carry
                    finish(error_result(name, students[name].name, assignments, _internal(error)))
            now = time.monotonic()
            if limit is not None and any(now - t > limit for _, t in running.values()):
                broken = True  # a worker is stuck past the alarm: kill the pool
            if broken:
                failed_starts = 0 if taken else failed_starts + 1
                if failed_starts >= MAX_FAILED_STARTS:
                    raise WorkersCannotStart(
                        f"{failed_starts} pools of workers in a row broke before they took a "
                        "student: the workers cannot start here"
                    )
                suspects += [name for name, _ in running.values()]
                running.clear()
                _stop(pool, kill=True)
                pool = Pool(jobs, assignments, settings)
                taken = 0
        clean = True
    finally:
        _stop(pool, kill=not clean)
    # Students who were being graded when a worker died or hung: again, one at a time.
    for name in sorted(suspects):
        finish(_grade_alone(name, students[name], assignments, timeout, limit, packed, settings))
    return [done[name] for name in sorted(done)]


def _grade_alone(
    name: str,
    path: Path,
    assignments: list[str],
    timeout: float | None,
    limit: float | None,
    packed: Any,
    settings: dict[str, Any],
) -> StudentResult:
    pool = Pool(1, assignments, settings)
    clean = False
    try:
        future = pool.grade(name, path, assignments, timeout, settings, packed)
        result = _answer_for(name, StudentResult.from_dict(future.result(limit)))
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


def _answer_for(name: str, result: StudentResult) -> StudentResult:
    """A worker's result, if it is of the student it was asked about (filed by its own name,
    a result of another student would stand in that student's place)."""
    if result.student != name:
        raise ValueError(f"a worker answered for {result.student!r}, asked about {name!r}")
    return result


def _internal(error: BaseException) -> T:
    return T(
        "grading failed with an internal error ({error}); please tell your instructor",
        error=f"{type(error).__name__}: {error}",
    )
