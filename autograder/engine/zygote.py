"""A fork server: pay ``import torch`` once, then hand out fresh runners in milliseconds.

The zygote is a process started like a runner (isolated interpreter, scrubbed environment)
that imports torch and the runner code and then waits.  For every runner the judge wants,
it sends the zygote the runner's two pipe ends (``SCM_RIGHTS``) and its settings; the zygote
forks, and the child becomes a runner exactly as :mod:`autograder.engine.sandbox` would start
one: a new session and process group, rlimits, the private folder, the scrubbed environment,
output to a file.  The zygote never runs torch code itself (no thread pools exist to break in
the fork) and never touches student code.

Each runner is forked through a middle process that exits at once, so the judge, a child
subreaper, adopts it: the judge is the runner's parent exactly as without a fork server
(a submission that kills its parent kills the judge either way, and a batch regrades it
alone), and the judge reaps it and reports "killed by SIGSEGV" or "exited with status 3".
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

MAX_FDS = 2
_BUFFER = 1 << 16


def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode() + b"\n"
    sent = socket.send_fds(sock, [data], fds) if fds else 0
    sock.sendall(data[sent:])  # a large message (a judge's environment) takes several writes


def _receive(sock: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """One message (a line of JSON; a judge's environment can take several reads)."""
    data, fds, _flags, _address = socket.recv_fds(sock, _BUFFER, MAX_FDS)
    chunks, received = [data], list(fds)
    while data and not chunks[-1].endswith(b"\n"):
        data = sock.recv(_BUFFER)
        chunks.append(data)
    if not data:
        return None, received
    return json.loads(b"".join(chunks).decode()), received


# -- zygote side ------------------------------------------------------------------------------
def _become_runner(settings: dict[str, Any], fd_in: int, fd_out: int, control: int) -> None:
    """In the forked child: set up like a freshly spawned runner, then serve."""
    try:
        os.close(control)
        os.setsid()
        # The middle process exits at once; wait until the judge has adopted us, so that
        # the parent-death signal set below is tied to the judge.
        _wait_for_adoption(settings["judge"])
        from autograder.engine.sandbox import Limits, _apply_limits

        _apply_limits(Limits(**settings["limits"]))
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(settings["workdir"])
        os.environ.clear()
        os.environ.update(settings["env"])
        output = os.open(settings["output"], os.O_WRONLY | os.O_APPEND)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        uid = settings.get("uid")
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        from autograder.engine.runner import Runner

        _close_all_but({0, 1, 2, fd_in, fd_out})
        Runner().serve(fd_in, fd_out)
    finally:
        os._exit(0)


def _close_all_but(keep: set[int]) -> None:
    """Close every other descriptor.

    A fork inherits all of its parent's: a second judge's fork server and its runners would
    otherwise hold the second judge's pipes to the judge, where student code could write
    results of its own.
    """
    for name in os.listdir("/proc/self/fd"):
        if int(name) not in keep:
            with contextlib.suppress(OSError):
                os.close(int(name))


def _wait_for_adoption(judge: int) -> None:
    """In a double-forked child: wait until the judge (a child subreaper) has adopted us."""
    for _ in range(5000):
        if os.getppid() == judge:
            return
        time.sleep(0.001)
    os._exit(70)


def _die_with_parent() -> None:
    """Be killed when the parent dies (Linux): nothing may outlive the grading process that
    started it (a judge that died, or that a batch killed for overrunning its time)."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _become_judge(settings: dict[str, Any], fd_in: int, fd_out: int, control: int) -> None:
    """In the forked child: become a second judge for the judge that asked (see
    :mod:`autograder.grading.parallel`), with that judge's environment and folder."""
    try:
        os.close(control)
        os.setsid()
        _wait_for_adoption(settings["judge"])
        _die_with_parent()
        if os.getppid() != settings["judge"]:
            return  # the judge died before the signal was armed
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(settings["cwd"])
        os.environ.clear()
        os.environ.update(settings["env"])
        from autograder.grading.parallel import serve_helper

        serve_helper(fd_in, fd_out)
    finally:
        os._exit(0)


_CHILDREN: dict[str, Callable[[dict[str, Any], int, int, int], None]] = {
    "spawn": _become_runner,
    "judge": _become_judge,
}


def _double_fork(
    become: Callable[[dict[str, Any], int, int, int], None],
    settings: dict[str, Any],
    fds: list[int],
    control_fd: int,
) -> int:
    """Fork a child through a middle process that exits at once; return the child's pid.

    The child (a runner, or a second judge) is then adopted by the judge (a child
    subreaper), exactly as if the judge had spawned it: ``os.getppid()`` in student code is
    the judge, as without a fork server, and the judge reaps the runner and reads its exit
    status itself.
    """
    read_end, write_end = os.pipe()
    middle = os.fork()
    if middle == 0:
        try:
            os.close(read_end)
            runner = os.fork()
            if runner == 0:
                os.close(write_end)
                become(settings, fds[0], fds[1], control_fd)
            os.write(write_end, str(runner).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    for fd in fds:
        os.close(fd)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(middle, 0)  # once the middle process is gone, the judge owns the runner
    return int(data)


def serve(control_fd: int) -> None:
    """The zygote's loop: fork a runner per request and say its pid."""
    import torch  # noqa: F401 - the point: imported once, shared by every runner
    import torch._dynamo  # noqa: F401 - imported by the meta device's first op (~3 s)

    import autograder.engine.runner  # noqa: F401
    import autograder.probes.common  # noqa: F401
    from autograder.engine.launch import freeze_imports

    torch.set_num_threads(1)
    freeze_imports()
    runners: set[int] = set()
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            request, fds = _receive(control)
        except (ConnectionError, OSError):
            request, fds = None, []
        if request is None:
            break
        become = _CHILDREN.get(request.get("op"))
        if become is not None and len(fds) == 2:
            pid = _double_fork(become, request, fds, control_fd)
            runners.add(pid)
            _send(control, {"pid": pid})
        else:
            for fd in fds:
                os.close(fd)
            _send(control, {"error": f"bad request {request.get('op')!r}"})
    for pid in runners:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    os._exit(0)


# -- judge side -------------------------------------------------------------------------------
class Zygote:
    """The judge's connection to its fork server."""

    def __init__(
        self, sock: socket.socket, pid: int, process: subprocess.Popen | None = None
    ) -> None:
        self._sock = sock
        self._lock = threading.Lock()
        self.pid = pid
        self.process = process
        self._sock.settimeout(60)

    @classmethod
    def start(cls, command: list[str], env: dict[str, str], cwd: str) -> Zygote:
        """A fresh interpreter that imports torch (while we go on) and then serves."""
        sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        process = subprocess.Popen(
            [*command, str(child.fileno())],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        child.close()
        return cls(sock, process.pid, process)

    @classmethod
    def fork(cls) -> Zygote:
        """This very process, forked, serving: for a second judge that a fork server made.

        Such a judge is a fork server's copy (torch imported, no torch code run, no threads),
        so a fork of it is one too, and its runners become the judge's own children.
        """
        sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            try:
                sock.close()
                os.setpgid(0, 0)
                _die_with_parent()
                control = child.detach()
                _close_all_but({0, 1, 2, control})
                serve(control)
            finally:
                os._exit(0)
        child.close()
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # (either side may get there first)
        return cls(sock, pid)

    def spawn(self, settings: dict[str, Any], fd_in: int, fd_out: int, op: str = "spawn") -> int:
        """Have the server fork a runner (``op="spawn"``) or a second judge (``"judge"``)."""
        with self._lock:
            _send(self._sock, {"op": op, **settings}, [fd_in, fd_out])
            answer, _ = _receive(self._sock)
        if not answer or "pid" not in answer:
            raise OSError(f"fork server refused: {answer}")
        return int(answer["pid"])

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def close(self, wait: bool = True) -> None:
        """Kill the server and its runners; ``wait`` for it to be gone (and reaped)."""
        with contextlib.suppress(OSError):
            self._sock.close()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        if not wait:
            return
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        else:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)


def _become_subreaper() -> bool:
    """Adopt orphaned descendants (the runners the zygote double-forks); Linux only."""
    return _LIBC is not None and _LIBC.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _load_libc() -> ctypes.CDLL | None:
    """libc, loaded once here: a child between fork and exec must not load a library."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _load_libc()
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_PDEATHSIG = 1
_ZYGOTE: Zygote | None = None
_OWNER: int | None = None


def prestart() -> Zygote | None:
    """This process's fork server, started on first use; None if disabled or broken.

    Cheap to call early: it only starts the server, which imports torch in the background.
    """
    import tempfile

    from autograder.engine.launch import ZYGOTE_BOOTSTRAP, runner_command, scrubbed_environment

    folder = tempfile.gettempdir()
    return shared_zygote(runner_command(ZYGOTE_BOOTSTRAP), scrubbed_environment(folder), folder)


def shared_zygote(command: list[str], env: dict[str, str], cwd: str) -> Zygote | None:
    """This process's fork server, started on first use; None if disabled or broken."""
    global _ZYGOTE, _OWNER
    if os.environ.get("AUTOGRADER_FORK_SERVER", "1") == "0" or sys.platform != "linux":
        return None
    if _ZYGOTE is not None and (os.getpid() != _OWNER or not _ZYGOTE.alive()):
        if os.getpid() == _OWNER:
            _ZYGOTE.close()
        _ZYGOTE = None  # a forked worker must not share its parent's socket
    if _ZYGOTE is None:
        if not _become_subreaper():
            return None
        try:
            _ZYGOTE = Zygote.start(command, env, cwd)
            _OWNER = os.getpid()
        except OSError:
            return None
        atexit.register(_close_shared)
    return _ZYGOTE


def _close_shared() -> None:
    """At exit: kill the server, without waiting for the kernel to free its memory."""
    global _ZYGOTE
    if _ZYGOTE is not None and os.getpid() == _OWNER:
        _ZYGOTE.close(wait=False)
    _ZYGOTE = None


def fork_private_server() -> Zygote | None:
    """Give this process, a second judge just forked from a fork server, a server of its own.

    Call it first thing, before any torch code runs.  The judge becomes a child subreaper, so
    that its runners are its own children, as they are the first judge's.
    """
    global _ZYGOTE, _OWNER
    if not _become_subreaper():
        return None
    _ZYGOTE = Zygote.fork()
    _OWNER = os.getpid()
    atexit.register(_close_shared)
    return _ZYGOTE
