"""Adding an assignment, as docs/adding-an-assignment.md says, touches only what it lists.

The example is tests/toy_assignment/ (``scaling``).  In a copy of the repository (its
committed files, as a git repository of its own) the test puts the files of steps 1-3 in
place, records the mutant's catches, runs ``autograder release`` and grades: the solution
gets full marks, the stub none, the mutant loses its points; then ``git status`` must list
only the files the document's table names.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.gradelib import ROOT

pytestmark = pytest.mark.slow

TOY = ROOT / "tests" / "toy_assignment"
NAME = "scaling"


def _listed_paths(name: str) -> list[re.Pattern[str]]:
    """The table "What changes, exactly" of the document, as patterns over paths."""
    text = (ROOT / "docs" / "adding-an-assignment.md").read_text(encoding="utf-8")
    table = text.split("## What changes, exactly", 1)[1]
    patterns = []
    for cell in re.findall(r"`([^`]+)`", table):
        path = cell.replace("<name>", name)
        regex = re.escape(path).replace(r"\*\*", ".*")
        patterns.append(re.compile(regex + "$"))
    return patterns


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A fresh git repository holding the committed files of this one."""
    repo = tmp_path_factory.mktemp("course") / "repo"
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if not (ROOT / name).is_file():
            continue  # deleted in the work tree
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "the course"], cwd=repo, check=True)
    return repo


def test_an_assignment_added_by_the_document_is_graded_and_touches_only_its_files(
    repository, tmp_path
):
    repo = repository
    # Steps 1-3: the solution, the folder, the mutants and correct variants.
    shutil.copy(TOY / "solutions" / f"{NAME}.py", repo / "solutions" / f"{NAME}.py")
    shutil.copytree(TOY / "exercises" / NAME, repo / "autograder" / "exercises" / NAME)
    shutil.copytree(TOY / "mutants" / NAME, repo / "tests" / "mutants" / NAME)
    shutil.copytree(TOY / "correct" / NAME, repo / "tests" / "correct" / NAME)
    # The copy's package and solutions come first on the path (as an install of it would).
    shim = tmp_path / "path"
    shim.mkdir()
    (shim / "autograder_solutions").symlink_to(repo / "solutions")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(repo), str(shim)]),
        "AUTOGRADER_CACHE_DIR": "",
    }
    # The document's commands, run in one interpreter of the copy (one torch import, one fork
    # server): record the mutant's catches, release the assignment, grade solution and stub.
    steps = textwrap.dedent(
        f"""
        from autograder.cli import main
        from tests import record_catches

        record_catches.main([{NAME!r}])
        main(["release", "--no-kit", "--assignment", {NAME!r}], standalone_mode=False)
        for folder in ("solutions", "assignments"):
            main(
                ["grade", f"{{folder}}/{NAME}.py", "--assignment", {NAME!r},
                 "--format", "json", "--output", f"{{folder}}.json"],
                standalone_mode=False,
            )
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", steps], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    catches = json.loads((repo / "tests" / "mutants" / "catches.json").read_text())
    assert catches[f"{NAME}/scale/adds"] == ["agrees with x * factor"]

    def score(folder: str) -> tuple[float, float]:
        report = json.loads((repo / f"{folder}.json").read_text())
        (repo / f"{folder}.json").unlink()  # not a file of the course
        return report["score"], report["max_score"]

    assert score("solutions") == (2, 2)
    assert score("assignments") == (0, 2)
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert f"| `{NAME}` | `scale` |" in readme

    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    changed = [line[3:] for line in status.splitlines()]
    allowed = _listed_paths(NAME)
    assert changed, "nothing changed"
    outside = [path for path in changed if not any(p.match(path) for p in allowed)]
    assert not outside, f"files the document does not list: {outside}"
