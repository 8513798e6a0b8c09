"""Gradescope's autograder package: built, set up and run in Gradescope's folder layout.

Gradescope unzips the package in /autograder/source, runs setup.sh once, copies
run_autograder to /autograder/run_autograder and runs it for each submission, which it puts
in /autograder/submission.  Here the same layout lives under a temporary root (both scripts
take it as an argument), and setup.sh reuses this machine's packages instead of
downloading the wheels; what it runs on Gradescope is checked with --dry-run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest
import torch

from autograder.cli import main
from autograder.platforms.gradescope import GRADER_PACKAGES, lock_secrets
from tests.gradelib import ROOT
from tests.notebooklib import filled_notebook

# Where torch is installed here: the packages a test's setup.sh reuses.
INSTALLED = Path(torch.__file__).resolve().parent.parent


def build(tmp_path: Path, *args: str) -> Path:
    from click.testing import CliRunner

    package = tmp_path / "autograder.zip"
    outcome = CliRunner().invoke(main, ["gradescope", *args, "--output", str(package)])
    assert outcome.exit_code == 0, outcome.output
    return package


def unpack(package: Path, root: Path) -> Path:
    """Gradescope's layout under ``root``, as its image build leaves it."""
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    return root


def setup(root: Path, *options: str) -> subprocess.CompletedProcess:
    command = ["bash", str(root / "source" / "setup.sh"), "--root", str(root), *options]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)


def run_autograder(root: Path, wrapper: tuple[str, ...] = ()) -> dict:
    command = [*wrapper, "bash", str(root / "run_autograder"), str(root)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((root / "results" / "results.json").read_text())


@pytest.mark.unit
def test_the_package_holds_the_grader_and_says_what_it_grades(tmp_path):
    package = build(tmp_path, "tensors", "mlp", "--hidden-visibility", "hidden")
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        settings = json.loads(archive.read("gradescope.json"))
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        constraints = archive.read("constraints.txt").decode()
    assert settings["assignments"] == ["tensors", "mlp"]
    assert settings["hidden_visibility"] == "hidden"
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & 0o111, script  # executable once unzipped
    for package_name in GRADER_PACKAGES:
        assert f"grader/{package_name}/__init__.py" in names
    assert "grader/autograder/exercises/tensors/checks.py" in names
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
    assert f"torch=={torch.__version__.split('+')[0]}" in constraints


@pytest.mark.unit
def test_setup_installs_the_pinned_cpu_wheels_then_the_grader(tmp_path):
    root = unpack(build(tmp_path, "tensors"), tmp_path / "autograder")
    source = root / "source"
    commands = setup(root, "--dry-run").stdout.splitlines()
    venv = root / "venv"
    assert commands[0].startswith("apt-get install -y")
    assert f"python3 -m venv {venv}" in commands
    torch_install = next(c for c in commands if c.endswith("torch torchvision"))
    assert "--index-url https://download.pytorch.org/whl/cpu" in torch_install
    assert f"-c {source}/constraints.txt" in torch_install
    assert any(f"-r {source}/requirements.txt" in c for c in commands)
    assert f"cp -R {source}/grader/. <site-packages of {venv}>/" in commands
    assert not venv.exists()  # a dry run


def test_run_autograder_grades_a_module_and_a_notebook(tmp_path):
    root = unpack(build(tmp_path, "tensors"), tmp_path / "autograder")
    setup(root, "--python", sys.executable, "--reuse-packages", str(INSTALLED))

    shutil.copy(ROOT / "examples" / "submission" / "tensors.py", root / "submission")
    results = run_autograder(root)
    assert (results["score"], results["max_score"]) == (22, 30)
    assert results["score"] == sum(test["score"] for test in results["tests"])
    hidden = [t for t in results["tests"] if "hidden check" in t["name"]]
    assert hidden and {t["visibility"] for t in hidden} == {"after_due_date"}
    assert {t["visibility"] for t in results["tests"] if t not in hidden} == {"visible"}
    sandbox = results["extra_data"]["sandbox"]
    assert "unprivileged" in sandbox["layers"] and "missing" in sandbox

    os.unlink(root / "submission" / "tensors.py")
    nbformat.write(filled_notebook("tensors"), root / "submission" / "my work.ipynb")
    results = run_autograder(root)
    assert results["score"] == results["max_score"] == 30
    assert results["extra_data"]["files"] == {"tensors": "my work.ipynb"}


def test_a_grading_that_breaks_down_still_writes_results(tmp_path):
    """Gradescope shows nothing without results.json: the student is told it failed."""
    root = unpack(build(tmp_path, "tensors"), tmp_path / "autograder")
    setup(root, "--python", sys.executable, "--reuse-packages", str(INSTALLED))
    settings = root / "source" / "gradescope.json"
    settings.write_text(settings.read_text().replace('"tensors"', '"no_such_assignment"'))
    done = subprocess.run(["bash", str(root / "run_autograder"), str(root)], capture_output=True)
    assert done.returncode == 1 and b"KeyError" in done.stderr  # the log says why
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "the autograder failed" in results["output"]


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv"
)
def test_in_a_container_without_namespaces_the_weaker_sandbox_is_stated(tmp_path):
    """Docker (Gradescope) gives root no CAP_SYS_ADMIN: no namespace can be made.  The
    grade is the same, and results.json names the layers that were missing."""
    root = unpack(build(tmp_path, "tensors"), tmp_path / "autograder")
    setup(root, "--python", sys.executable, "--reuse-packages", str(INSTALLED))
    shutil.copy(ROOT / "examples" / "submission" / "tensors.py", root / "submission")
    no_admin = ("setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin")
    results = run_autograder(root, no_admin)
    assert (results["score"], results["max_score"]) == (22, 30)
    sandbox = results["extra_data"]["sandbox"]
    assert "mount-namespace" in sandbox["missing"] and "pid-namespace" in sandbox["missing"]
    assert {"unprivileged", "process-limit", "syscall-filter"} <= set(sandbox["layers"])


@pytest.mark.unit
@pytest.mark.skipif(os.geteuid() != 0, reason="runners get a user id of their own under root")
def test_a_runners_user_cannot_read_the_checks_or_the_solutions():
    """Without a mount namespace or Landlock, a runner sees the host's tree: the hidden
    checks and the solutions must then be closed to every user but root."""
    with tempfile.TemporaryDirectory() as folder:  # (pytest's tmp_path is root's alone)
        os.chmod(folder, 0o755)
        _check_the_lock(Path(folder))


def _check_the_lock(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for name in GRADER_PACKAGES:
        shutil.copytree(
            Path(__import__(name).__file__).resolve().parent,
            site / name,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    source = tmp_path / "source"
    (source / "grader").mkdir(parents=True)
    (source / "grader" / "copy.py").write_text("secret")
    lock_secrets(site, source)

    def readable_by_a_stranger(path: Path) -> bool:
        pid = os.fork()
        if pid == 0:  # the runner's lot: another user id, no capabilities
            try:
                os.setgroups([])
                os.setresgid(60001, 60001, 60001)
                os.setresuid(60001, 60001, 60001)
                path.read_bytes()
            except OSError:
                os._exit(1)
            os._exit(0)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0

    package = site / "autograder"
    assert readable_by_a_stranger(package / "engine" / "runner.py")
    assert readable_by_a_stranger(package / "exercises" / "mlp" / "probes.py")
    assert not readable_by_a_stranger(package / "exercises" / "tensors" / "checks.py")
    assert not readable_by_a_stranger(package / "exercises" / "tensors" / "oracle.py")
    assert not readable_by_a_stranger(package / "grading" / "grade.py")
    assert not readable_by_a_stranger(site / "autograder_solutions" / "tensors.py")
    assert not readable_by_a_stranger(source / "grader" / "copy.py")
