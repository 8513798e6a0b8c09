"""Shell commands whose ``autograder`` runs in this test process.

A documented block is run by bash exactly as written, but its ``autograder`` is a stand-in
executable that hands its arguments, folder and environment over a Unix socket to this
process, which runs the click command (``click.testing.CliRunner``) and sends back its
output and exit status.  The commands' arguments, files and outputs are the real ones; what
is saved is the start of a grader per command (two imports of torch each: the command's and
its fork server's).  That the installed ``autograder`` executable itself starts, prints and
exits as it should is tested on its own (tests/test_cli.py, tests/test_standalone.py).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from click.testing import CliRunner

from autograder.cli import main

_STAND_IN = """#!{python}
import json, os, socket, sys
connection = socket.socket(socket.AF_UNIX)
connection.connect({address!r})
request = {{"argv": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ)}}
connection.sendall(json.dumps(request).encode())
connection.shutdown(socket.SHUT_WR)
answer = json.loads(b"".join(iter(lambda: connection.recv(1 << 16), b"")))
sys.stdout.buffer.write(answer["stdout"].encode("latin-1"))
sys.stderr.buffer.write(answer["stderr"].encode("latin-1"))
sys.exit(answer["status"])
"""


class InProcessCommands:
    """A stand-in ``autograder`` for the shell commands that :meth:`run` runs."""

    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="autograder-cli-"))  # a short socket path
        self.address = str(self._folder / "autograder.sock")
        self._listener = socket.socket(socket.AF_UNIX)
        self._listener.bind(self.address)
        self._listener.listen()
        self._listener.settimeout(0.05)

    def write_stand_in(self, path: Path) -> None:
        path.write_text(_STAND_IN.format(python=sys.executable, address=self.address))
        path.chmod(0o755)

    def run(
        self, command: list[str], cwd: Path, env: dict[str, str], timeout: float
    ) -> subprocess.CompletedProcess:
        """Run ``command`` to its end, serving its ``autograder`` commands meanwhile."""
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
            deadline = time.monotonic() + timeout
            while process.poll() is None:
                if time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    raise subprocess.TimeoutExpired(command, timeout)
                try:
                    connection, _ = self._listener.accept()
                except TimeoutError:
                    continue
                with connection:
                    self._serve(connection)
            out.seek(0)
            err.seek(0)
            return subprocess.CompletedProcess(
                command,
                process.returncode,
                out.read().decode(errors="replace"),
                err.read().decode(errors="replace"),
            )

    def _serve(self, connection: socket.socket) -> None:
        connection.settimeout(None)
        request = json.loads(b"".join(iter(lambda: connection.recv(1 << 16), b"")))
        wanted = request["env"]
        changes: dict[str, str | None] = {k: v for k, v in wanted.items() if os.environ.get(k) != v}
        changes.update({k: None for k in os.environ if k not in wanted})
        done = run_here(request["argv"], Path(request["cwd"]), changes)
        answer = {
            "stdout": done.stdout.decode("latin-1"),
            "stderr": done.stderr.decode("latin-1"),
            "status": done.returncode,
        }
        connection.sendall(json.dumps(answer).encode())

    def close(self) -> None:
        self._listener.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> InProcessCommands:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def run_here(
    argv: list[str], cwd: Path, env: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The ``autograder`` command ``argv`` run in this process, in folder ``cwd``, with
    ``env``'s changes to the environment: its status and output as a finished process's
    (an unexpected exception's traceback on standard error)."""
    folder = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, argv, env=env, prog_name="autograder")
    finally:
        os.chdir(folder)
    stderr = result.stderr_bytes
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception)).encode()
    return subprocess.CompletedProcess(argv, result.exit_code, result.stdout_bytes, stderr)
