"""Work a batch can do beside its grading, in a child process of the lowest priority.

A batch ends with work that needs nothing of the grading (the similarity ranking reads the
students' code as text): done after the last student, it ran on one core while the other
stood idle.  Started before the grading instead, in a forked child at ``nice`` 19, it takes
only CPU that the grading leaves (the gaps, then the other core at the end), and its result
(plain JSON data) is read when needed.  The child runs no student code: it is a copy of the
judge that computes ``function(*args)`` and exits.  Where it cannot start (not Linux, or
the process has threads, which a fork would leave half-copied), cannot finish, or sends back
something that is not JSON, the work is done in this process, as before.

The batch's outputs use it too: the class page's charts are drawn half in such a child, at
the judge's own priority (the judge waits for them), half in the judge
(:func:`autograder.batch.outputs.drawn_on_two_cores`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from autograder.engine.containment import die_with_parent
from autograder.engine.fork_server import close_all_but
from autograder.engine.pipes import write_all

LOWEST_PRIORITY = 19


class Pending:
    """``function(*args)`` under way in a child process (or not started: done when asked)."""

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._function = function
        self._args = args
        self._pid: int | None = None
        self._read: int | None = None

    @classmethod
    def start(
        cls, function: Callable[..., Any], *args: Any, priority: int | None = LOWEST_PRIORITY
    ) -> Pending:
        """Start ``function(*args)`` in a child of ``priority`` (None: this process's, for
        work this process will wait for); its result must be JSON data."""
        pending = cls(function, args)
        if sys.platform != "linux" or threading.active_count() > 1:
            return pending
        read, write = os.pipe()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return pending
        if pid == 0:
            _child(function, args, write, priority, parent)
        os.close(write)
        pending._pid, pending._read = pid, read
        return pending

    @property
    def started(self) -> bool:
        return self._pid is not None

    def result(self) -> Any:
        """The child's result, waiting for it; computed here if the child did not give one."""
        if self._read is None or self._pid is None:
            return self._function(*self._args)
        chunks = []
        with contextlib.suppress(OSError):
            while chunk := os.read(self._read, 1 << 16):
                chunks.append(chunk)
        os.close(self._read)
        self._read = None
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:  # reaped by someone else: its result is not known good
            status = -1
        self._pid = None
        if status == 0:
            with contextlib.suppress(ValueError):
                return json.loads(b"".join(chunks))
        return self._function(*self._args)

    def cancel(self) -> None:
        """Stop the child if it is still at work (the batch ended another way)."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None
        if self._read is not None:
            os.close(self._read)
            self._read = None


def _child(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    write: int,
    priority: int | None,
    parent: int,
) -> None:
    """In the forked child: compute, write the JSON, exit (never returns)."""
    status = 1
    try:
        # Killed with the judge (its command killed): nothing outlives the grading.
        die_with_parent()
        if os.getppid() != parent:  # (it died before that was asked)
            return
        # Nothing but its own pipe: the judge's pipes to its runners, workers and fork
        # server stay the judge's alone (a copy held here would keep one open).
        close_all_but({0, 1, 2, write})
        if priority is not None:
            os.setpriority(os.PRIO_PROCESS, 0, priority)
        write_all(write, json.dumps(function(*args)).encode())
        status = 0
    except BaseException:  # noqa: BLE001 - the parent computes it itself
        status = 1
    finally:
        os._exit(status)
