"""Start and stop runner processes: rlimits, a scrubbed environment, a private folder.

The runner is started as its own process group in a fresh temporary folder, with only a
handful of harmless environment variables, limits on memory, CPU time, file size and core
dumps, and its output sent to a file the judge reads back truncated.  When a call times
out or the runner misbehaves, the judge kills the whole process group.

What this is not: a filesystem or network sandbox.  Student code runs as the same user as
the grader (unless the grader runs as root and the interpreter is reachable by ``nobody``,
in which case the runner drops to ``nobody``).  Grade untrusted classes inside a container.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from autograder.engine import protocol
from autograder.engine.launch import (
    BOOTSTRAP,
    PACKAGE_ROOT,
    runner_command,
    scrubbed_environment,
)
from autograder.engine.zygote import _die_with_parent, prestart
from autograder.i18n import T


@dataclass(frozen=True)
class Limits:
    """Resource limits for one runner process."""

    memory_bytes: int | None = 6 * 1024**3
    cpu_seconds: int = 900
    file_bytes: int = 16 * 1024**2
    output_bytes: int = 4000
    processes: int = 256


class RunnerDied(Exception):
    """The runner exited, was killed, timed out, or broke the protocol during a request."""

    def __init__(self, reason: str, output: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.output = output


class RunnerTimeout(RunnerDied):
    pass


def _reachable_by_others(path: Path) -> bool:
    """Whether user ``nobody`` could execute ``path`` (every folder on the way searchable)."""
    try:
        path = path.resolve()
        for parent in [*reversed(path.parents), path]:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                return False
        return bool(path.stat().st_mode & stat.S_IROTH)
    except OSError:
        return False


def unprivileged_user() -> int | None:
    """The uid to run students as: ``nobody`` when we are root and that can work, else None."""
    if os.name != "posix" or os.geteuid() != 0:
        return None
    if not (_reachable_by_others(Path(sys.executable)) and _reachable_by_others(PACKAGE_ROOT)):
        return None
    return 65534


def _apply_limits(limits: Limits) -> None:
    """Runs in the child between fork and exec."""
    _die_with_parent()  # killed with its judge
    if limits.memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    # A write past the file-size limit fails with an error instead of killing the runner.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


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
        self.start = cpu_seconds(pid)
        factor = self.WALL_FACTOR if self.start is not None else 1.0
        self.wall_deadline = time.monotonic() + seconds * factor

    def remaining(self) -> float:
        """Seconds to wait before looking again; 0 when the budget is spent."""
        wall = self.wall_deadline - time.monotonic()
        if wall <= 0 or self.start is None:
            return max(wall, 0.0)
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
    """One runner process and the two pipes to it."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.workdir = tempfile.mkdtemp(prefix="autograder-runner-")
        self.output_path = os.path.join(self.workdir, ".output")
        self._exit_code: int | None = None
        uid = unprivileged_user()
        to_runner_read, self._to_runner = os.pipe()
        self._from_runner, from_runner_write = os.pipe()
        output = open(self.output_path, "wb")  # noqa: SIM115 - handed to the child
        if uid is not None:
            os.chown(self.workdir, uid, uid)
            os.chown(self.output_path, uid, uid)
        try:
            zygote = prestart()
            self._zygote = zygote
            if zygote is not None:
                output.close()
                settings = {
                    "workdir": self.workdir,
                    "output": self.output_path,
                    "limits": asdict(self.limits),
                    "env": scrubbed_environment(self.workdir),
                    "uid": uid,
                    "judge": os.getpid(),
                }
                try:
                    self.pid = zygote.spawn(settings, to_runner_read, from_runner_write)
                    self.process = None
                except OSError:
                    self._zygote = zygote = None
                    output = open(self.output_path, "ab")  # noqa: SIM115
            if zygote is None:
                self.process = self._spawn(uid, output, to_runner_read, from_runner_write)
                self.pid = self.process.pid
        finally:
            output.close()
            os.close(to_runner_read)
            os.close(from_runner_write)
        os.set_blocking(self._to_runner, False)
        self.dead: str | None = None

    def _spawn(self, uid: int | None, output: Any, fd_in: int, fd_out: int) -> subprocess.Popen:
        """Start a runner from scratch (no fork server): a new interpreter imports torch."""
        extra: dict[str, Any] = {}
        if uid is not None:
            extra = {"user": uid, "group": uid, "extra_groups": []}
        return subprocess.Popen(
            [*runner_command(BOOTSTRAP), str(fd_in), str(fd_out)],
            pass_fds=(fd_in, fd_out),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
            env=scrubbed_environment(self.workdir),
            start_new_session=True,
            preexec_fn=lambda: _apply_limits(self.limits),  # noqa: PLW1509
            **extra,
        )

    def place_file(self, source: str | Path, name: str) -> str:
        """Copy a file into the runner's folder (readable by it) and return its path."""
        target = os.path.join(self.workdir, name)
        shutil.copyfile(source, target)
        os.chmod(target, 0o644)
        return target

    def output(self) -> str:
        """The runner's captured stdout and stderr, truncated to the last few KB."""
        try:
            with open(self.output_path, "rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                handle.seek(max(0, size - self.limits.output_bytes))
                text = handle.read().decode("utf-8", "replace")
        except OSError:
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

    def _read(self, size: int, deadline: TimeBudget) -> bytes:
        chunks: list[bytes] = []
        while size:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise RunnerTimeout("timed out")
            readable, _, _ = select.select([self._from_runner], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(self._from_runner, min(size, 1 << 20))
            if not chunk:
                raise EOFError("runner closed the pipe")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

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
        if self.process is not None:
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                return None
        if self._exit_code is not None:
            return self._exit_code
        # Forked by the fork server and adopted by us (a child subreaper): reap it here.
        deadline = time.monotonic() + timeout
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return None
            if pid:
                self._exit_code = os.waitstatus_to_exitcode(status)
                return self._exit_code
            if time.monotonic() > deadline:
                return None
            time.sleep(0.005)

    def _reap_group(self) -> None:
        """Reap what the runner's process group left to us (adopted grandchildren)."""
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-self.pid, os.WNOHANG)[0]:
                pass

    def kill(self, reason: str = "stopped") -> None:
        """Kill the runner's whole process group and forget it."""
        if self.dead is None:
            self.dead = reason
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        self._wait(5)
        self._reap_group()
        for fd in (self._to_runner, self._from_runner):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._to_runner = self._from_runner = -1

    def close(self) -> None:
        if self._to_runner != -1:
            self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> RunnerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
