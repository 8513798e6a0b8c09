"""A command run in a judge exits as the command would have: a crash is a failure, said on
stderr, never status 0 with nothing printed (click lets exceptions other than its own out)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from autograder.engine.fork_server import fork_judge, fork_server

pytestmark = pytest.mark.unit


def _exit_with(body: str) -> subprocess.CompletedProcess[str]:
    """``body`` in a process that, as a judge forked from the fork server does, exits 0
    whatever escapes it: the status must come from ``exit_with``."""
    program = (
        "import os\nfrom autograder.engine.handover import exit_with\n"
        f"try:\n{textwrap.indent(body, '    ')}\nfinally:\n    os._exit(0)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )


def test_a_crash_in_the_command_exits_1_with_its_traceback():
    done = _exit_with("def run():\n    raise RuntimeError('the command broke')\nexit_with(run)")
    assert done.returncode == 1
    assert "RuntimeError: the command broke" in done.stderr


def test_the_command_s_own_status_is_kept():
    done = _exit_with("import sys\nexit_with(lambda: sys.exit(3))")
    assert done.returncode == 3
    assert done.stderr == ""


def test_a_message_as_status_is_printed_and_fails():
    done = _exit_with("import sys\nexit_with(lambda: sys.exit('no such thing'))")
    assert done.returncode == 1
    assert "no such thing" in done.stderr


def crash_in_c(_fd_in: int, _fd_out: int) -> None:
    """A judge's entry point for the test below: a crash inside C, as a damaged object makes."""
    import ctypes

    ctypes.string_at(0)


def raise_an_error(_fd_in: int, _fd_out: int) -> None:
    """A judge's entry point for the test below: a crash in Python."""
    raise RuntimeError("the judge broke")


@pytest.mark.parametrize(
    ("entry", "said", "status"),
    [
        ("crash_in_c", "Fatal Python error: Segmentation fault", -signal.SIGSEGV),
        ("raise_an_error", "RuntimeError: the judge broke", 70),
    ],
)
def test_a_judge_that_crashes_says_where_on_its_stderr(tmp_path, entry, said, status):
    """Any judge (a batch's, the second one), not only a command's: a crash is never silent."""
    assert fork_server() is not None
    stderr = tmp_path / "stderr"
    saved = os.dup(2)
    written = os.open(stderr, os.O_WRONLY | os.O_CREAT)
    os.dup2(written, 2)
    try:
        judge = fork_judge(f"tests.test_handover:{entry}", streams=True)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(written)
    assert judge is not None
    pid, to_judge, from_judge = judge
    os.close(to_judge)
    with os.fdopen(from_judge, "rb") as answers:
        assert answers.read() == b""  # its end of the pipe closes when the judge is gone
    # Its exit status, where no other test's reaper in this process took it first.
    with contextlib.suppress(ChildProcessError):
        _, wait_status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(wait_status) == status
    text = stderr.read_text(errors="replace")
    assert said in text
    assert entry in text  # the Python stack names the function that crashed
