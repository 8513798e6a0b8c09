"""A batch's worker processes: judges forked from the fork server, like the second judge.

A worker started as a fresh interpreter imports torch, and its own fork server imports torch
again: most of what a small batch costs.  Forked from the fork server instead
(:func:`autograder.engine.fork_server.fork_judge`), a worker shares torch's memory, forks
its own fork server from that clean copy before it imports anything of the grading layer or
learns the parent's environment, and is adopted by the parent, which reaps it; it dies with
the parent.

:class:`ForkedWorkers` offers what the batch uses of a ``ProcessPoolExecutor``: ``submit``
returns a ``Future``; a worker that dies fails its call with ``BrokenProcessPool`` and the
pool is broken from then on; ``shutdown`` and ``kill``.  Calls and answers cross in the
runners' wire format (:mod:`autograder.engine.protocol`): plain data and tensors, nothing
unpickled on either side, as on every other hop of the grader.  An exception raised in a
worker comes back as its type's name and message: a built-in exception is raised again as
itself, any other as ``RuntimeError``.  A worker runs only the functions it was given by
name (:func:`serve`).
"""

from __future__ import annotations

import builtins
import contextlib
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from autograder.engine import protocol
from autograder.engine.containment import JUDGE_MEMORY_BYTES
from autograder.engine.fork_server import fork_judge, kill_judge
from autograder.engine.pipes import write_all

Call = tuple[str, tuple[Any, ...]]


class _Worker:
    """The parent's handle on one worker: a call at a time."""

    def __init__(self, pid: int, to_worker: int, from_worker: int) -> None:
        self.pid = pid
        self._to = to_worker
        self._from = from_worker

    def call(self, name: str, args: tuple[Any, ...]) -> Any:
        """The function's result, or its exception raised here; EOFError or OSError where
        the worker died, or sent an answer that cannot be read (then it is killed: its pipe
        may hold the rest of that answer, which the next call would read as its own)."""
        protocol.write_message(self._to, request(name, args))
        try:
            answered = protocol.read_message(self._from)
        except protocol.ProtocolError as error:
            self.kill()
            raise OSError(f"a worker's answer could not be read ({error})") from None
        return result_of(answered)

    def kill(self) -> None:
        kill_judge(self.pid)

    def close(self) -> None:
        """Close its pipes (a worker waiting for a call then exits) and reap it (once)."""
        for fd in (self._to, self._from):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        if self._to < 0:
            return
        self._to = self._from = -1  # the numbers may be reused: never close them again
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


# -- calls and answers as data --------------------------------------------------------------
def request(name: str, args: tuple[Any, ...]) -> dict[str, Any]:
    """A call of the worker's function ``name``, as the wire format carries it."""
    return {"call": name, "args": list(args)}


def answer(functions: Mapping[str, Callable[..., Any]], asked: Any) -> bytes:
    """In a worker: the answer to one request, encoded: ``{"value": ...}`` or ``{"raised":
    [type name, message]}``."""
    try:
        if type(asked) is not dict or asked.keys() != {"call", "args"}:
            raise ValueError("a request that is not a call")
        args = protocol.to_runner_value(asked["args"])
        return protocol.dumps({"value": functions[asked["call"]](*args)})
    except Exception as error:  # noqa: BLE001 - raised again in the parent
        return protocol.dumps({"raised": [type(error).__name__, str(error)]})


def result_of(answered: Any) -> Any:
    """In the parent: the value an answer holds, or its exception raised again."""
    if type(answered) is dict and answered.keys() == {"raised"}:
        kind, message = (str(part) for part in answered["raised"])
        known = getattr(builtins, kind, None)
        if isinstance(known, type) and issubclass(known, Exception):
            raise known(message)
        raise RuntimeError(f"{kind}: {message}")
    if type(answered) is not dict or answered.keys() != {"value"}:
        raise protocol.ProtocolError("a worker's answer that is neither a value nor an error")
    return protocol.to_runner_value(answered["value"])


class ForkedWorkers:
    """Worker judges taking calls from one queue; see the module's docstring."""

    def __init__(self, workers: list[_Worker], prepare: Call) -> None:
        self._workers = workers
        self._calls: queue.SimpleQueue[tuple[Future, Call] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._broken: str | None = None
        self._shut = False
        self._threads = [
            threading.Thread(target=self._feed, args=(worker, prepare), daemon=True)
            for worker in workers
        ]
        for thread in self._threads:
            thread.start()

    @classmethod
    def start(
        cls,
        count: int,
        entry: str,
        prepare: Call,
        memory_bytes: int | None = JUDGE_MEMORY_BYTES,
    ) -> ForkedWorkers | None:
        """``count`` workers running ``entry``, each first calling ``prepare`` and each
        allowed ``memory_bytes``; None where there is no fork server to fork them."""
        workers = []
        for _ in range(count):
            judge = fork_judge(entry, memory_bytes=memory_bytes)
            if judge is None:
                for worker in workers:
                    worker.kill()
                    worker.close()
                return None
            workers.append(_Worker(*judge))
        return cls(workers, prepare)

    def submit(self, function: Callable[..., Any], *args: Any) -> Future:
        """Run ``function`` (one the workers serve, by its name) in the next free worker."""
        with self._lock:
            if self._broken is not None:
                raise BrokenProcessPool(self._broken)
            if self._shut:
                raise RuntimeError("cannot schedule new futures after shutdown")
            future: Future = Future()
            self._calls.put((future, (function.__name__, args)))
        return future

    def _feed(self, worker: _Worker, prepare: Call) -> None:
        """One worker's thread: its preparation, then calls from the queue until told to stop."""
        try:
            worker.call(*prepare)
        except (EOFError, OSError) as error:
            self._break(f"a worker process died as it started: {error!r}")
            return
        except Exception:  # noqa: BLE001 - each student's grading reports its own failures
            pass
        while (item := self._calls.get()) is not None:
            future, (name, args) = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = worker.call(name, args)
            except (EOFError, OSError) as error:
                reason = f"a worker process died: {error!r}"
                future.set_exception(BrokenProcessPool(reason))
                self._break(reason)
                return
            except BaseException as error:  # noqa: BLE001 - the caller's to handle
                future.set_exception(error)
            else:
                future.set_result(result)

    def _break(self, reason: str) -> None:
        """A worker died: so does every call not yet running (as in a ProcessPoolExecutor)."""
        with self._lock:
            self._broken = self._broken or reason
        self._cancel_queued(BrokenProcessPool(reason))

    def _cancel_queued(self, error: BaseException | None = None) -> None:
        stops = 0
        while True:
            try:
                item = self._calls.get_nowait()
            except queue.Empty:
                break
            if item is None:
                stops += 1
                continue
            future, _ = item
            if future.set_running_or_notify_cancel():
                future.set_exception(error or RuntimeError("the pool was shut down"))
        for _ in range(stops):
            self._calls.put(None)

    def kill(self) -> None:
        """Kill every worker at once (their running calls fail with BrokenProcessPool)."""
        for worker in self._workers:
            worker.kill()

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """Stop the workers: after their running calls (``wait``) or now."""
        with self._lock:
            self._shut = True
        if cancel_futures:
            self._cancel_queued()
        for _ in self._threads:
            self._calls.put(None)
        if not wait:
            self.kill()
        for thread in self._threads:
            thread.join()
        for worker in self._workers:
            worker.close()


class SpawnedWorkers:
    """Fresh interpreters, where there is no fork server to fork workers from: a
    ``ProcessPoolExecutor`` whose calls and answers are the same data-only messages (the
    executor's own envelope carries their bytes and the name of ``answer_call`` only)."""

    def __init__(self, count: int, answer_call: Callable[[bytes], bytes]) -> None:
        context = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(max_workers=count, mp_context=context)
        self._answer_call = answer_call

    def submit(self, function: Callable[..., Any], *args: Any) -> Future:
        """Run ``function`` (one the workers serve, by its name) in the next free worker."""
        data = protocol.dumps(request(function.__name__, args))
        inner = self.executor.submit(self._answer_call, data)
        outer: Future = Future()

        def done(finished: Future) -> None:
            try:
                outer.set_result(result_of(protocol.loads(finished.result())))
            except BaseException as error:  # noqa: BLE001 - the caller's to handle
                outer.set_exception(error)

        inner.add_done_callback(done)
        return outer

    def kill(self) -> None:
        """Kill every worker at once (their running calls fail with BrokenProcessPool)."""
        for process in list((getattr(self.executor, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                process.kill()

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self.executor.shutdown(wait=wait, cancel_futures=cancel_futures)


def answer_call(functions: Mapping[str, Callable[..., Any]], data: bytes) -> bytes:
    """In a spawned worker: the encoded answer to one encoded call of ``functions``."""
    try:
        asked = protocol.loads(data)
    except protocol.ProtocolError:
        asked = None
    return answer(functions, asked)


def serve(fd_in: int, fd_out: int, functions: Mapping[str, Callable[..., Any]]) -> None:
    """In a worker: answer calls of ``functions`` by name until the parent closes the pipe."""
    while True:
        try:
            asked = protocol.read_message(fd_in)
        except (EOFError, OSError):
            return
        except protocol.ProtocolError:
            asked = None  # answered as an error: the parent's call fails, the worker goes on
        data = answer(functions, asked)
        write_all(fd_out, protocol.HEADER.pack(len(data)) + data)
