"""The judge's side of a runner: start it sealed, talk to it, time it, kill it.

A runner is forked by the fork server (:mod:`autograder.engine.fork_server`) and sealed by the
kernel's own isolation (:mod:`autograder.engine.containment`): namespaces, an unprivileged
user, Landlock, resource limits.  It works in a fresh private folder with only a handful of
harmless environment variables; its output goes to a file the judge reads back truncated.
When a call times out or the runner misbehaves, the judge kills it, and with it everything
it started.  Where this machine lacks a required layer, no runner starts
(:class:`SandboxUnavailable`) unless the limits accept a weak sandbox;
:func:`sandbox_layers` says which layers are in force.

The ``__all__`` names are the engine's interface to the grading layer.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from autograder.engine import bytecode, containment, protocol
from autograder.engine.containment import Limits, RunnerFolder
from autograder.engine.fork_server import SandboxRefused, fork_server
from autograder.engine.launch import scrubbed_environment
from autograder.errors import SandboxUnavailable
from autograder.i18n import T

__all__ = [
    "Limits",
    "RunnerDied",
    "RunnerProcess",
    "RunnerTimeout",
    "SandboxReport",
    "SandboxUnavailable",
    "require_sandbox",
    "sandbox_layers",
]


class RunnerDied(Exception):
    """The runner exited, was killed, timed out, or broke the protocol during a request."""

    def __init__(self, reason: str, output: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.output = output


class RunnerTimeout(RunnerDied):
    pass


@dataclass(frozen=True)
class SandboxReport:
    """The layers every runner of this grading gets, and the required ones it lacks."""

    layers: tuple[str, ...]
    missing: tuple[str, ...]


def sandbox_layers() -> SandboxReport:
    """The layers every runner gets on this machine, and the required ones it lacks."""
    server = fork_server()
    found: dict[str, Any] = {"layers": []}
    if server is not None:
        with contextlib.suppress(OSError):
            found = server.layers()
    layers = tuple(found.get("layers", []))
    return SandboxReport(layers, tuple(containment.missing_layers(layers)))


def require_sandbox(allow_weak: bool = False) -> SandboxReport:
    """:func:`sandbox_layers`, or :class:`SandboxUnavailable` if a required layer is missing
    and the instructor did not accept a weaker sandbox (``allow_weak``).

    Runners are refused there anyway (by the fork server); this says it up front.
    """
    server = fork_server()
    if server is None:
        raise SandboxUnavailable("runners need the fork server, which runs on Linux only")
    try:
        found = server.layers()
    except OSError as error:
        raise SandboxUnavailable(f"the fork server did not start: {error}") from None
    plan = containment.Plan((), frozenset(found.get("layers", [])), found.get("user_namespace"))
    refusal = plan.refusal(allow_weak)
    if refusal is not None:
        raise SandboxUnavailable(refusal)
    return sandbox_layers()


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc; None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


class TimeBudget:
    """How long a call may take: ``seconds`` of the runner's CPU time.

    Counting CPU time, not wall-clock time, keeps grading deterministic on a busy machine
    (a class graded with ``--jobs`` as large as the CPU count, other jobs on the machine):
    a call that computes for 1 s stays a 1 s call however long it waits for a CPU, and an
    endless loop still burns through its budget.  A runner that waits instead (sleeps,
    blocks) is stopped by the wall-clock limit, ``WALL_FACTOR`` times longer.  Where CPU
    time cannot be read (no /proc), the budget is wall-clock time, as before.
    """

    WALL_FACTOR = 4.0
    POLL_SECONDS = 0.25

    def __init__(self, pid: int, seconds: float) -> None:
        self.pid = pid
        self.seconds = seconds
        began = time.monotonic()
        self.start = cpu_seconds(pid)
        factor = self.WALL_FACTOR if self.start is not None else 1.0
        self.wall_deadline = began + seconds * factor
        # A process uses at most one CPU-second a second on each of the machine's CPUs, so
        # before this moment the budget cannot be spent (less two of /proc's clock ticks,
        # which it counts in): its CPU time is not read until then (most calls answer long
        # before, and each reading costs the judge ~12 µs, three or four times a call).
        cpus = os.cpu_count()  # (unknown: read at every look)
        self.unspent_until = began + seconds / cpus - 2 / _CLOCK_TICKS if cpus else began

    def remaining(self) -> float:
        """Seconds to wait before looking again; 0 when the budget is spent."""
        now = time.monotonic()
        wall = self.wall_deadline - now
        if wall <= 0 or self.start is None:
            return max(wall, 0.0)
        if now >= self.unspent_until:
            used = cpu_seconds(self.pid)
            if used is not None and used - self.start >= self.seconds:
                return 0.0
        return min(wall, self.POLL_SECONDS)


def _parse_answer(data: bytes) -> dict[str, Any]:
    answer = protocol.loads(data)
    if not isinstance(answer, dict) or not ({"ok", "raised"} & answer.keys()):
        raise protocol.ProtocolError("answer is not a result")
    return answer


class RunnerProcess:
    """One sealed runner process, its two pipes and its output file.

    ``readable``: paths the runner may read besides Python and its packages (a data set).
    """

    def __init__(self, limits: Limits | None = None, readable: tuple[str, ...] = ()) -> None:
        self.limits = limits or Limits()
        self.folder = RunnerFolder.create()
        self.workdir = self.folder.workdir
        self._exit_code: int | None = None
        # The runner's output goes to a file only the judge can name: the runner writes
        # through the descriptor it was given, the judge reads through its own.
        self._output = tempfile.TemporaryFile(prefix="autograder-output-")  # noqa: SIM115
        server = fork_server()
        if server is None:
            self._output.close()
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise SandboxUnavailable("runners need the fork server, which runs on Linux only")
        to_runner_read, self._to_runner = os.pipe()
        self._from_runner, from_runner_write = os.pipe()
        settings = {
            "workdir": self.workdir,
            "limits": asdict(self.limits),
            "env": scrubbed_environment(self.folder.home),
            "judge": os.getpid(),
            "readable": list(readable),
        }
        try:
            self.pid = server.spawn(
                settings, [to_runner_read, from_runner_write, self._output.fileno()]
            )
        except (OSError, SandboxRefused) as error:
            for fd in (self._to_runner, self._from_runner):
                os.close(fd)
            self._output.close()
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise SandboxUnavailable(str(error)) from None
        finally:
            with contextlib.suppress(OSError):
                os.close(to_runner_read)
            with contextlib.suppress(OSError):
                os.close(from_runner_write)
        os.set_blocking(self._to_runner, False)
        self.dead: str | None = None

    def place_file(self, source: str | Path, name: str, compiled: bytes = b"") -> str:
        """Copy a file into the runner's folder (readable by it) and return its path;
        ``compiled``: the module's ``.pyc`` (:mod:`autograder.engine.bytecode`), placed where
        the runner's import looks for it."""
        target = os.path.join(self.workdir, name)
        shutil.copyfile(source, target)
        os.chmod(target, 0o644)
        if compiled:
            cached = bytecode.cached_path(target)
            os.makedirs(os.path.dirname(cached), exist_ok=True)
            os.chmod(os.path.dirname(cached), 0o755)
            with open(cached, "wb") as handle:
                handle.write(compiled)
            os.chmod(cached, 0o644)
        return target

    def output(self) -> str:
        """The runner's captured stdout and stderr, truncated to the last few KB."""
        try:
            fd = self._output.fileno()
            size = os.fstat(fd).st_size
            start = max(0, size - self.limits.output_bytes)
            text = os.pread(fd, size - start, start).decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        if size > self.limits.output_bytes:
            text = f"[... {size - self.limits.output_bytes} bytes cut ...]\n" + text
        return text

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait for the answer: ``timeout`` seconds of the runner's CPU.

        See :class:`TimeBudget`: a busy machine slows a call down without making it time out.
        """
        return self.exchange(protocol.dumps(message), timeout)[0]

    def exchange(self, payload: bytes, timeout: float) -> tuple[dict[str, Any], bytes]:
        """Send one serialised request; return the answer and its bytes as received."""
        with self._watch(timeout) as deadline:
            self._write(protocol.HEADER.pack(len(payload)) + payload, deadline)
            return self._read_answer(deadline)

    def send_batch(self, payloads: list[bytes], timeout: float) -> None:
        """Send several serialised calls at once; the runner answers each in turn.

        The runner reads the whole batch before it runs anything, so the write cannot wait
        on a call.  Collect the answers with :meth:`receive`, one per call, in order.
        """
        header = protocol.dumps({"op": "batch", "count": len(payloads)})
        frames = b"".join(protocol.HEADER.pack(len(p)) + p for p in [header, *payloads])
        with self._watch(timeout) as deadline:
            self._write(frames, deadline)

    def receive(self, timeout: float) -> bytes:
        """The next answer of a batch, undecoded: ``timeout`` s of the runner's CPU from now."""
        with self._watch(timeout) as deadline:
            return self._read_frame(deadline)

    def decode(self, data: bytes) -> dict[str, Any]:
        """An answer from :meth:`receive` as data; a malformed one kills the runner."""
        try:
            return _parse_answer(data)
        except protocol.ProtocolError as error:
            self.kill(T("broke the protocol ({error})", error=error))
            raise RunnerDied(self.dead or "", self.output()) from None

    @contextlib.contextmanager
    def _watch(self, timeout: float) -> Iterator[TimeBudget]:
        """Kill the runner when it overruns ``timeout`` or breaks the protocol."""
        if self.dead is not None:
            raise RunnerDied(self.dead)
        try:
            yield TimeBudget(self.pid, timeout)
        except RunnerTimeout:
            self.kill(T("timed out after {seconds} s", seconds=f"{timeout:g}"))
            raise RunnerTimeout(self.dead or T("timed out"), self.output()) from None
        except (MemoryError, protocol.TooLarge):
            # An answer the judge cannot hold under its own memory limit: the judge goes on.
            reason = T("sent an answer too large for the judge's memory limit")
            self.kill(reason)
            raise RunnerDied(reason, self.output()) from None
        except (EOFError, OSError, protocol.ProtocolError) as error:
            status = self._exit_status()
            reason = status or T("broke the protocol ({error})", error=error)
            self.kill(reason)
            raise RunnerDied(reason, self.output()) from None

    def _read_answer(self, deadline: TimeBudget) -> tuple[dict[str, Any], bytes]:
        data = self._read_frame(deadline)
        return _parse_answer(data), data

    def _read_frame(self, deadline: TimeBudget) -> bytes:
        (size,) = protocol.HEADER.unpack(self._read(protocol.HEADER.size, deadline))
        if size > protocol.MAX_MESSAGE_BYTES:
            raise protocol.ProtocolError(f"answer of {size} bytes is over the limit")
        return self._read(size, deadline)

    def _write(self, data: bytes, deadline: TimeBudget) -> None:
        view = memoryview(data)
        while view:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise RunnerTimeout("timed out")
            _, writable, _ = select.select([], [self._to_runner], [], remaining)
            if writable:
                view = view[os.write(self._to_runner, view) :]

    def _read(self, size: int, deadline: TimeBudget) -> bytearray:
        """``size`` bytes, read into one buffer (the judge holds an answer once, not twice)."""
        data = bytearray(size)
        view = memoryview(data)
        done = 0
        while done < size:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise RunnerTimeout("timed out")
            readable, _, _ = select.select([self._from_runner], [], [], remaining)
            if not readable:
                continue
            got = os.readv(self._from_runner, [view[done : done + (1 << 20)]])
            if not got:
                raise EOFError("runner closed the pipe")
            done += got
        view.release()
        return data  # a bytearray: a bytes-like value to every reader of it

    def _exit_status(self) -> str | None:
        code = self._wait(0.5)
        if code is None:
            return None
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return T("was killed by {signal}", signal=name)
        return T("exited with status {code}", code=code)

    def _wait(self, timeout: float) -> int | None:
        """The runner's exit code once it has exited, or None after ``timeout`` seconds."""
        if self._exit_code is not None:
            return self._exit_code
        deadline = time.monotonic() + timeout
        with _ExitWatch(self.pid) as watch:
            while True:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:
                    pid = 0  # forked through a middle process and not adopted yet
                if pid:
                    self._exit_code = os.waitstatus_to_exitcode(status)
                    return self._exit_code
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                watch.wait(left)

    def _reap_group(self) -> None:
        """Reap what the runner's process group left to us (adopted grandchildren)."""
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-self.pid, os.WNOHANG)[0]:
                pass

    def kill(self, reason: str = "stopped") -> None:
        """Kill the runner and everything it started, and forget it."""
        self.stop(reason)
        self._wait(5)
        self._reap_group()

    def stop(self, reason: str = "stopped") -> None:
        """Send the kill and close the pipes without waiting: :meth:`close` reaps it.

        The runner is PID 1 of its PID namespace: once it is killed, the kernel kills every
        process in the namespace; nothing there runs again.
        """
        if self.dead is None:
            self.dead = reason
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        for fd in (self._to_runner, self._from_runner):
            if fd != -1:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._to_runner = self._from_runner = -1

    def close(self) -> None:
        """Kill it if needed, wait until it and its namespace are gone, remove its folder."""
        if self._to_runner != -1:
            self.stop()
        self._wait(5)
        self._reap_group()
        self._output.close()
        _remove_tree(self.workdir)

    def __enter__(self) -> RunnerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _ExitWatch:
    """Waits for a process to exit: woken by the kernel the moment it does (a pidfd,
    Linux 5.3+), not by polling (a runner's exit takes ~4 ms, and a judge waits for 49 of
    them a grading); elsewhere by short sleeps."""

    POLL_SECONDS = 0.005

    def __init__(self, pid: int) -> None:
        self._exited = False
        try:
            self._fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._fd = -1

    def wait(self, seconds: float) -> None:
        """Until the process has exited, for at most ``seconds``; once it has, a moment
        (a runner forked through a middle process may not be ours to reap yet)."""
        if self._fd == -1 or self._exited:
            time.sleep(min(seconds, self.POLL_SECONDS))
        else:
            watching = select.poll()  # (not select: a judge's descriptors may pass 1023)
            watching.register(self._fd, select.POLLIN)
            self._exited = bool(watching.poll(seconds * 1000))

    def __enter__(self) -> _ExitWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd != -1:
            os.close(self._fd)


def _remove_tree(folder: str) -> None:
    """Remove a runner's folder, also what it made unreadable (chmod 000) to stay."""

    def unlock(function: Any, path: str, _error: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            function(path)

    shutil.rmtree(folder, onerror=unlock)
