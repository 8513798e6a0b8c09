"""A command hands its grading to a judge forked from the fork server, and waits for it.

The command's process parses its options without importing torch; the rest of the command
runs in a judge forked from the fork server (which imported torch already): one import of
torch per command, not two.  The judge gets the command's arguments as JSON over a pipe
(:mod:`autograder.engine.pipes`), runs the command again from them (the entry point
:data:`~autograder.engine.entry_points.COMMAND_JUDGE`), and its exit status becomes the
command's.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from autograder.engine.containment import Limits
from autograder.engine.entry_points import COMMAND_JUDGE
from autograder.engine.fork_server import fork_judge, fork_server
from autograder.engine.pipes import read_json, write_json


@dataclass(frozen=True)
class Invocation:
    """How this run of the command started (click's ``obj``): its arguments, and whether
    this process is the judge that the command handed its grading to."""

    args: tuple[str, ...]
    in_a_judge: bool = False


def hand_over(invocation: object, prog_name: str | None) -> int | None:
    """Run the command of ``invocation`` in a judge: its exit status, or None to go on here.

    None where this process is the judge already, where the command was called as a function
    (tests; ``invocation`` is then not an :class:`Invocation`), where there is no fork server,
    or where the judge died before it began.  The fork server is started either way, so that
    its import of torch overlaps with ours.
    """
    if not isinstance(invocation, Invocation) or invocation.in_a_judge:
        fork_server()
        return None
    # The judge's configuration is built in the judge, from these arguments: its limits
    # are the defaults (no option changes them).
    judge = fork_judge(COMMAND_JUDGE, streams=True, memory_bytes=Limits().judge_memory_bytes)
    if judge is None:
        return None
    pid, to_judge, from_judge = judge
    try:
        write_json(to_judge, {"args": list(invocation.args), "prog_name": prog_name})
        read_json(from_judge)  # it started the command
    except (OSError, EOFError, ValueError):
        for fd in (to_judge, from_judge):
            os.close(fd)
        return None  # it died before it began: grade here
    return _status_of_judge(pid, from_judge)


def _status_of_judge(pid: int, from_judge: int) -> int:
    """Wait for the judge to finish (its end of the pipe closes) and reap it: its status."""
    while os.read(from_judge, 1 << 16):
        pass
    try:
        _, wait_status = os.waitpid(pid, 0)
    except ChildProcessError:
        print("autograder: the grading process could not be waited for", file=sys.stderr)
        return 1
    status = os.waitstatus_to_exitcode(wait_status)
    if status < 0:
        name = signal.Signals(-status).name
        print(f"autograder: the grading process was killed ({name})", file=sys.stderr)
        return 1
    return status


def take_over(fd_in: int, fd_out: int) -> tuple[Invocation, str | None]:
    """In the judge: the command handed over (as an :class:`Invocation`) and its name."""
    request = read_json(fd_in)
    write_json(fd_out, {"started": os.getpid()})
    args = tuple(str(arg) for arg in request["args"])
    return Invocation(args, in_a_judge=True), request["prog_name"]


def exit_with(run: Callable[[], object]) -> None:
    """Run the command, then exit with its status without tearing down the interpreter.

    Python frees torch's and hypothesis's objects one by one at exit, a few tenths of a second
    after the report is out; ``atexit`` handlers (the fork server's shutdown) still run.
    """
    try:
        run()
    except SystemExit as done:
        status = done.code
    except KeyboardInterrupt:
        status = 130  # as a shell reports a command stopped by SIGINT
    except BaseException:  # noqa: BLE001 - a crash of the command: said, and a failure
        # click lets any other exception through; the judge must not exit 0 and silent.
        traceback.print_exc()
        status = 1
    else:  # pragma: no cover - click's standalone mode always exits
        status = 0
    if isinstance(status, str):
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None where the descriptor was closed
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(status or 0)
