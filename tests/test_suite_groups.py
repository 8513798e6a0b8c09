"""The suite's own scheduling: `make test` runs tests marked ``xdist_group`` on one worker.

The heavy end-to-end modules (a graded class, an nbgrader course, the student kit) build
their fixture once per worker and mark their tests with one group, so that the fixture is
built once for the run.  pytest-xdist's ``--dist loadgroup`` does the grouping; with some
pytest versions it silently stops doing it (pytest-dev/pytest-xdist#1386), and the suite
then builds those fixtures again on every worker.  This test sees that happen.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

GROUPED = """
import os
import pytest


@pytest.mark.xdist_group("together")
@pytest.mark.parametrize("index", range(6))
def test_grouped(index, tmp_path_factory):
    worker = os.environ["PYTEST_XDIST_WORKER"]
    (tmp_path_factory.getbasetemp().parent / f"ran-{index}-on-{worker}").touch()
"""


def test_tests_of_one_group_run_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the project's settings
    base = tmp_path / "base"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup"]
        + ["-p", "no:cacheprovider", f"--basetemp={base}", "test_grouped.py"]
        # Plugins the grouping does not need (hypothesis's imports hypothesis in each worker).
        + ["-p", "no:hypothesispytest", "-p", "no:anyio"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ran = sorted(path.name for path in base.glob("ran-*"))
    assert len(ran) == 6
    workers = {name.split("-on-")[1] for name in ran}
    assert len(workers) == 1, f"one group ran on several workers: {ran}"
