"""A fork server: pay ``import torch`` once, then hand out fresh runners in milliseconds.

The zygote is a process started like a runner (isolated interpreter, scrubbed environment)
that imports torch and the runner code and then waits.  For every runner the judge wants,
it sends the zygote the runner's two pipe ends (``SCM_RIGHTS``) and its settings; the zygote
forks, and the child becomes a runner exactly as :mod:`autograder.engine.sandbox` would start
one: a new session and process group, rlimits, the private folder, the scrubbed environment,
output to a file.  The zygote never runs torch code itself (no thread pools exist to break in
the fork) and never touches student code.

It reaps its children and tells the judge their exit status on request, so the judge still
reports "killed by SIGSEGV" or "exited with status 3".
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Any

MAX_FDS = 2
_BUFFER = 1 << 16


def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode() + b"\n"
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.sendall(data)


def _receive(sock: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    data, fds, _flags, _address = socket.recv_fds(sock, _BUFFER, MAX_FDS)
    if not data:
        return None, list(fds)
    return json.loads(data.decode()), list(fds)


# -- zygote side ------------------------------------------------------------------------------
def _become_runner(settings: dict[str, Any], fd_in: int, fd_out: int, control: int) -> None:
    """In the forked child: set up like a freshly spawned runner, then serve."""
    try:
        os.close(control)
        os.setsid()
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

        Runner().serve(fd_in, fd_out)
    finally:
        os._exit(0)


def serve(control_fd: int) -> None:
    """The zygote's loop: fork a runner per request, report exit statuses."""
    import torch  # noqa: F401 - the point: imported once, shared by every runner
    import torch._dynamo  # noqa: F401 - imported by the meta device's first op (~3 s)

    import autograder.engine.runner  # noqa: F401
    import autograder.probes.common  # noqa: F401

    torch.set_num_threads(1)
    statuses: dict[int, int] = {}
    children: set[int] = set()

    def reap(*_: Any) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)
            statuses[pid] = os.waitstatus_to_exitcode(status)

    signal.signal(signal.SIGCHLD, reap)
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            request, fds = _receive(control)
        except (ConnectionError, OSError):
            request, fds = None, []
        if request is None:
            break
        op = request.get("op")
        if op == "spawn" and len(fds) == 2:
            pid = os.fork()
            if pid == 0:
                _become_runner(request, fds[0], fds[1], control_fd)
            children.add(pid)
            for fd in fds:
                os.close(fd)
            _send(control, {"pid": pid})
        elif op == "status":
            reap()
            pid = int(request["pid"])
            _send(control, {"status": statuses.pop(pid, None), "alive": pid in children})
        else:
            for fd in fds:
                os.close(fd)
            _send(control, {"error": f"bad request {op!r}"})
    for pid in list(children):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    os._exit(0)


# -- judge side -------------------------------------------------------------------------------
class Zygote:
    """The judge's connection to its fork server."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: str) -> None:
        self._sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
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
        self._sock.settimeout(60)

    def spawn(self, settings: dict[str, Any], fd_in: int, fd_out: int) -> int:
        with self._lock:
            _send(self._sock, {"op": "spawn", **settings}, [fd_in, fd_out])
            answer, _ = _receive(self._sock)
        if not answer or "pid" not in answer:
            raise OSError(f"fork server refused: {answer}")
        return int(answer["pid"])

    def status(self, pid: int) -> tuple[int | None, bool]:
        """(exit code or None, still alive) of a runner this zygote forked."""
        with self._lock:
            _send(self._sock, {"op": "status", "pid": pid})
            answer, _ = _receive(self._sock)
        if not answer:
            raise OSError("fork server is gone")
        return answer.get("status"), bool(answer.get("alive"))

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


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
        try:
            _ZYGOTE = Zygote(command, env, cwd)
            _OWNER = os.getpid()
        except OSError:
            return None
        atexit.register(_close_shared)
    return _ZYGOTE


def _close_shared() -> None:
    global _ZYGOTE
    if _ZYGOTE is not None and os.getpid() == _OWNER:
        _ZYGOTE.close()
    _ZYGOTE = None
