"""A command run in a judge exits as the command would have: a crash is a failure, said on
stderr, never status 0 with nothing printed (click lets exceptions other than its own out)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

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
