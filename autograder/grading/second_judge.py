"""Grade the assignments of one submission on two cores: the judge and a second judge.

Grading one assignment keeps one core busy, not two: the judge (hypothesis, the reference
solution) and the runner (the student's code) take turns.  So while the judge grades the
assignments from the first on, a second judge grades them from the last on, each taking the
next one when it is free, until none is left.

The second judge is forked from the fork server (:mod:`autograder.engine.fork_server`): it shares
torch's memory with it and with the runners instead of importing torch a third time, and it
is adopted by the judge like a runner (it dies with the judge).  It first forks a fork server
of its own and becomes a child subreaper, so that its runners are its own children, as the
judge's are.

Verdicts do not change.  Each assignment is graded exactly as the judge grades it: its own
runner, hypothesis seeded per check, the judge's environment, torch on one thread.  Its
results come back as data and are merged in assignment order.  Kept transcripts are read once,
before any student code runs (``TranscriptStore.take_snapshot``); the judge
sends the digests of an assignment's files along, and the second judge replays only files
whose bytes it reads again unchanged.  Transcripts recorded in the judge's process (a batch,
a test) stay with it: so do their assignments.  If the second judge cannot start, dies or
answers nonsense, the judge grades what it had not reported.
"""

from __future__ import annotations

import contextlib
import os
import threading
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from autograder.engine import protocol
from autograder.engine.entry_points import SECOND_JUDGE
from autograder.engine.fork_server import fork_judge, kill_judge
from autograder.engine.sandbox import Limits
from autograder.engine.session import SpareRunners
from autograder.grading.config import GradingConfig
from autograder.grading.model import CheckResult
from autograder.grading.replay import TranscriptStore

# Grades one module here; the third argument says whether this judge will grade another
# after it (its last exercise then starts the next module's runner).
GradeOne = Callable[[str, "Path | None", Callable[[], bool]], "list[CheckResult]"]

# Messages between the judges are the runners' wire format (autograder.engine.protocol):
# plain data only, nothing unpickled on either side.
_UNREADABLE = (OSError, EOFError, protocol.ProtocolError)
# The type of each field of a CheckResult, as JSON brings it back.
_RESULT_TYPES: dict[str, type | tuple[type, ...]] = {
    "assignment": str,
    "function": str,
    "check": str,
    "score": (int, float),
    "max_score": (int, float),
    "passed": bool,
    "feedback": str,
    "visible": bool,
    "translations": dict,
}
assert _RESULT_TYPES.keys() == {f.name for f in fields(CheckResult)}


# -- the judge's side ---------------------------------------------------------------------------
class SecondJudge:
    """The judge's handle on the second judge: one request, one answer, in turn."""

    def __init__(self, pid: int, to_judge: int, from_judge: int) -> None:
        self.pid = pid
        self._to = to_judge
        self._from = from_judge

    @classmethod
    def start(cls, limits: Limits | None = None) -> SecondJudge | None:
        """Ask the fork server for a second judge, under ``limits.judge_memory_bytes``;
        None where there is no fork server."""
        memory = (limits or Limits()).judge_memory_bytes
        judge = fork_judge(ENTRY, memory_bytes=memory)
        return None if judge is None else cls(*judge)

    def grade(self, name: str, path: Path, options: dict[str, Any]) -> list[CheckResult] | None:
        """The results of one assignment, or None if the second judge failed at it."""
        try:
            protocol.write_message(self._to, {"assignment": name, "path": str(path), **options})
            answer = protocol.read_message(self._from)
        except _UNREADABLE:
            return None
        if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
            return None
        results = []
        for item in answer["results"]:
            if not _is_result(item) or item["assignment"] != name:
                return None
            results.append(CheckResult(**item))
        return results

    def close(self, wait: bool = True) -> None:
        """Stop it (its results are in; its transcripts are on disk) and reap it (once).

        ``wait``: it is idle (no request of ours unanswered), and seeing its pipe closed it
        closes its spare runners and its fork server and exits; killed instead, its fork
        server would be left to this process, a zombie.  Without ``wait`` it is killed at
        once (this process is failing: it must not wait for an assignment to finish)."""
        if self._to < 0:
            return
        for fd in (self._to, self._from):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._to = self._from = -1  # the numbers may be reused: never close them again
        if not wait:
            kill_judge(self.pid)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _is_result(item: Any) -> bool:
    """Whether ``item`` is a CheckResult as JSON: its fields, each of its type."""
    return (
        isinstance(item, dict)
        and item.keys() == _RESULT_TYPES.keys()
        and all(isinstance(item[key], kind) for key, kind in _RESULT_TYPES.items())
        and all(isinstance(v, str) for v in item["translations"].values())
    )


def grade_in_parallel(
    modules: dict[str, Path | None],
    grade_here: GradeOne,
    options: dict[str, Any],
    store: TranscriptStore,
) -> dict[str, list[CheckResult]]:
    """Every module's results: the judge takes them from the front, a second judge from the back.

    ``grade_here(name, path, more)`` grades one module in this process; ``options`` are the
    keyword arguments of ``grade_module`` as plain data (see ``grade.serve_second_judge``).
    """
    pending = deque(modules)
    spare = {
        name for name, path in modules.items() if path is not None and not store.recorded_here(name)
    }
    lock = threading.Lock()
    results: dict[str, list[CheckResult]] = {}
    helper: list[SecondJudge] = []
    stopping = threading.Event()

    def take_from_back() -> str | None:
        with lock:
            for name in reversed(pending):
                if name in spare:
                    pending.remove(name)
                    return name
        return None

    def second_judge() -> None:
        try:
            judge = SecondJudge.start(GradingConfig.from_dict(options["config"]).limits)
        except Exception:  # noqa: BLE001 - a fork server in trouble: the judge grades alone
            return
        if judge is None:
            return
        helper.append(judge)
        while not stopping.is_set() and (name := take_from_back()) is not None:
            path = modules[name]
            assert path is not None
            got = judge.grade(name, path, {**options, "kept": store.kept_files(name)})
            if got is None:
                return  # the judge grades it (and the rest) after the loop
            results[name] = got

    def stop(wait: bool) -> None:
        stopping.set()
        for judge in helper:
            judge.close(wait=wait)

    thread = threading.Thread(target=second_judge, name="second-judge", daemon=True)
    if spare and len(modules) > 1 and _cores() > 1:
        thread.start()
    try:
        while True:
            with lock:
                if not pending:
                    break
                name = pending.popleft()
            results[name] = grade_here(name, modules[name], lambda: bool(pending))
    except BaseException:
        stop(wait=False)  # do not wait for the second judge's assignment
        raise
    finally:
        stopping.set()
        if thread.is_alive():
            thread.join()
        stop(wait=True)  # the thread is done: no request of ours is unanswered
    for name, path in modules.items():
        if name not in results:
            results[name] = grade_here(name, path, lambda: False)
    return results


def _cores() -> int:
    """The CPUs this process may run on (a second judge on one core only costs memory)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux (where there is no fork server anyway)
        return os.cpu_count() or 1


# -- the second judge's side --------------------------------------------------------------------
# What the forked second judge runs: grade.py's, which grades with :func:`serve`.
ENTRY = SECOND_JUDGE

GradeRequest = Callable[[dict[str, Any], TranscriptStore, SpareRunners], "list[CheckResult]"]


def serve(fd_in: int, fd_out: int, grade_request: GradeRequest) -> None:
    """Grade the assignments the judge sends, one at a time, until it closes the pipe.

    The fork server that forked this second judge gave it a fork server of its own first.
    A second judge serves one grading run: its transcripts are that run's, in a store of its
    own made from the run's configuration (the first request's).
    """
    store: TranscriptStore | None = None
    spares: SpareRunners | None = None  # shared by the assignments it grades in turn
    while True:
        try:
            request = protocol.read_message(fd_in)
        except _UNREADABLE:
            if spares is not None:
                spares.close()
            return  # the judge closed the pipe (or it broke): nothing left to grade
        try:
            if store is None:
                store = TranscriptStore(GradingConfig.from_dict(request["config"]))
                spares = SpareRunners(store.config.limits, store.config.runner_readable)
            assert spares is not None
            store.adopt_kept_files(request.get("kept") or {})
            results = grade_request(request, store, spares)
            answer: dict[str, Any] = {"results": [asdict(result) for result in results]}
        except Exception:  # noqa: BLE001 - the judge grades it again and reports it
            answer = {"error": traceback.format_exc()}
        protocol.write_message(fd_out, answer)
