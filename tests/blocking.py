"""Run a command in a Python where some modules cannot be imported, as on a machine without
them: a ``sitecustomize`` puts a finder first on ``sys.meta_path`` that refuses them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.gradelib import ROOT

SITECUSTOMIZE = """
import sys

BLOCKED = {blocked!r}


class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (refused)", name=name)
        return None


sys.meta_path.insert(0, Refuse())
"""


def run_without(
    blocked: tuple[str, ...], args: list[str], cwd: Path, folder: Path
) -> subprocess.CompletedProcess[str]:
    """``python -m autograder ARGS`` in ``cwd`` with the modules ``blocked`` unimportable."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE.format(blocked=set(blocked)))
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
