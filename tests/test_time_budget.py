"""Call time limits count the runner's CPU time, so a busy machine does not change grades."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from autograder.engine.sandbox import TimeBudget, cpu_seconds

pytestmark = pytest.mark.skipif(cpu_seconds(1) is None, reason="needs /proc")


def _spent(budget: TimeBudget, limit: float) -> float:
    start = time.monotonic()
    while budget.remaining() > 0:
        assert time.monotonic() - start < limit, "the budget never ran out"
        time.sleep(0.05)
    return time.monotonic() - start


def test_a_busy_process_spends_its_budget_in_cpu_time():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        budget = TimeBudget(busy.pid, 0.5)
        assert 0 < budget.remaining() <= TimeBudget.POLL_SECONDS
        waited = _spent(budget, 10)
        used = cpu_seconds(busy.pid) - budget.start
        # Spent in CPU time, unless the machine is so busy that the wall clock ran out first.
        assert used >= 0.5 or waited >= 0.5 * TimeBudget.WALL_FACTOR - 0.05
        assert waited >= 0.45
    finally:
        busy.kill()
        busy.wait()


def test_a_waiting_process_is_stopped_by_the_wall_clock():
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        budget = TimeBudget(idle.pid, 0.25)
        waited = _spent(budget, 10)
        assert waited >= 0.25 * TimeBudget.WALL_FACTOR - 0.05
    finally:
        idle.kill()
        idle.wait()


def test_the_cpu_time_is_read_only_once_the_budget_could_be_spent(monkeypatch):
    """A process uses at most one CPU-second a second on each CPU: until its budget could be
    spent that way, ``remaining`` does not read /proc (the judge asks three or four times a
    call); from then on it does, at every look."""
    from autograder.engine import sandbox

    reads = []
    monkeypatch.setattr(sandbox, "cpu_seconds", lambda pid: reads.append(pid) or 0.0)
    monkeypatch.setattr(sandbox.os, "cpu_count", lambda: 4)
    budget = TimeBudget(12345, 60.0)
    assert reads == [12345]  # where it starts
    assert budget.unspent_until == pytest.approx(time.monotonic() + 15.0, abs=1.0)
    for _ in range(3):
        assert 0 < budget.remaining() <= TimeBudget.POLL_SECONDS
    assert len(reads) == 1
    budget.unspent_until = time.monotonic()  # (as 15 s later)
    monkeypatch.setattr(sandbox, "cpu_seconds", lambda pid: reads.append(pid) or 60.0)
    assert budget.remaining() == 0.0 and len(reads) == 2
    monkeypatch.setattr(sandbox.os, "cpu_count", lambda: None)  # unknown: read at every look
    TimeBudget(12345, 60.0).remaining()
    assert len(reads) == 4  # its start, and its first look
