import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Hypothesis in the project's own tests: no database, deterministic.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", "/tmp/autograder-hypothesis")
# Transcripts (replay) in a folder of this test run, never the user's ~/.cache.
# Removed when this process ends: a run leaves nothing behind in /tmp.
os.environ["AUTOGRADER_CACHE_DIR"] = tempfile.mkdtemp(prefix="autograder-test-cache-")
atexit.register(shutil.rmtree, os.environ["AUTOGRADER_CACHE_DIR"], ignore_errors=True)


def pytest_addoption(parser):
    parser.addoption(
        "--kit-on-every-mutant",
        action="store_true",
        default=False,
        help="Compare the student kit's grading with the grade of record on every mutant, "
        "not only on the mutants that cover every catching check (tests/test_mutants.py).",
    )


def pytest_collection_modifyitems(config, items):
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU (run the CUDA tier on a GPU machine)")
    for item in items:
        if "cuda" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def autograder_here():
    """Shell commands whose ``autograder`` runs in this test process (tests/inprocess_cli.py)."""
    from tests.inprocess_cli import InProcessCommands

    with InProcessCommands() as commands:
        yield commands


@pytest.fixture(scope="session")
def kit(tmp_path_factory) -> Path:
    """The student kit (``autograder release`` builds it in release/kit), built once per test
    run, also under xdist.  Tests read it; one that changes it works on a copy."""
    from autograder.release.kit import build_kit
    from tests.gradelib import ROOT, built_once

    return built_once(tmp_path_factory, "kit", lambda out: build_kit(ROOT, out / "kit")) / "kit"
