"""A batch's worker processes: judges forked from the fork server, like the second judge.

A worker started as a fresh interpreter imports torch, and its own fork server imports torch
again: most of what a small batch costs.  Forked from the fork server instead
(:func:`autograder.engine.fork_server.fork_judge`), a worker shares torch's memory, forks
its own fork server from that clean copy before it imports anything of the grading layer or
learns the parent's environment, and is adopted by the parent, which reaps it; it dies with
the parent.

:class:`ForkedWorkers` offers what the batch uses of a ``ProcessPoolExecutor``: ``submit``
returns a ``Future``; a worker that dies fails its call with ``BrokenProcessPool`` and the
pool is broken from then on; ``shutdown`` and ``kill``.  Calls and results are pickled with
plain ``pickle`` (tensors by value, not as shared memory), as a ``ProcessPoolExecutor``
pickles them: both ends are judges of the grader, no student code runs in either, and
runners hold no descriptor of these pipes.  A worker runs only the functions it was given by
name (:func:`serve`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any

from autograder.engine.containment import JUDGE_MEMORY_BYTES
from autograder.engine.fork_server import fork_judge

Call = tuple[str, tuple[Any, ...]]


class _Worker:
    """The parent's handle on one worker: a call at a time."""

    def __init__(self, pid: int, to_worker: int, from_worker: int) -> None:
        self.pid = pid
        self._requests = Connection(to_worker, readable=False)
        self._answers = Connection(from_worker, writable=False)

    def call(self, name: str, args: tuple[Any, ...]) -> Any:
        """The function's result, or its exception raised here; EOFError or OSError where
        the worker died."""
        self._requests.send_bytes(pickle.dumps((name, args)))
        done, value = pickle.loads(self._answers.recv_bytes())
        if not done:
            raise value
        return value

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.pid, signal.SIGKILL)

    def close(self) -> None:
        """Close its pipes (a worker waiting for a call then exits) and reap it."""
        for connection in (self._requests, self._answers):
            with contextlib.suppress(OSError):
                connection.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


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


def serve(fd_in: int, fd_out: int, functions: Mapping[str, Callable[..., Any]]) -> None:
    """In a worker: answer calls of ``functions`` by name until the parent closes the pipe."""
    requests = Connection(fd_in, writable=False)
    answers = Connection(fd_out, readable=False)
    while True:
        try:
            name, args = pickle.loads(requests.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            answer = (True, functions[name](*args))
        except Exception as error:  # noqa: BLE001 - raised again in the parent
            answer = (False, error)
        try:
            data = pickle.dumps(answer)
        except Exception as error:  # noqa: BLE001 - e.g. a result that cannot pickle
            data = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
        answers.send_bytes(data)
