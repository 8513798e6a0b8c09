"""The repository stands on its own: what a newcomer types first works as documented.

``python -m autograder`` and ``__version__``, the licence and the package's metadata,
commands that fail for a missing optional dependency, commands that need no torch, and
the Makefile's CPU-only torch (a grading that leaves the working folder as it was:
tests/test_cli.py).
"""

from __future__ import annotations

import struct
import subprocess
import sys
from importlib import metadata

import autograder
from autograder.batch.model import BatchResults, StudentResult
from autograder.batch.outputs import write_outputs
from autograder.grading.model import CheckResult
from tests.blocking import run_without
from tests.gradelib import ROOT

INSTALLED = metadata.metadata("torch-autograder")


def test_python_m_autograder_and_the_version_come_from_the_package_metadata(tmp_path):
    installed = metadata.version("torch-autograder")
    assert autograder.__version__ == installed
    assert f'version = "{installed}"' in (ROOT / "pyproject.toml").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == f"autograder, version {installed}"
    usage = subprocess.run(
        [sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True, check=True
    )
    assert "grade-batch" in usage.stdout and "merge" in usage.stdout


def test_the_licence_and_the_metadata_a_package_index_shows():
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "the torch-autograder authors" in licence
    assert INSTALLED["License-Expression"] == "MIT"
    assert "LICENSE" in INSTALLED.get_all("License-File")
    urls = {entry.split(",")[0] for entry in INSTALLED.get_all("Project-URL")}
    assert {"Homepage", "Source", "Issues", "Documentation"} <= urls
    classifiers = INSTALLED.get_all("Classifier")
    assert "Intended Audience :: Education" in classifiers
    assert all(not c.startswith("License ::") for c in classifiers)  # PEP 639: the expression


def test_a_missing_extra_is_one_line_naming_it_and_exit_2(tmp_path):
    for args in (["release", "--root", str(ROOT)], ["grade-nbgrader", "tensors"]):
        done = run_without(("nbgrader",), args, tmp_path, tmp_path / "site")
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert "pip install 'torch-autograder[release]'" in done.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "site"]


def _shard(index: int, students: list[StudentResult]) -> BatchResults:
    columns = [("tensors", "gather"), ("tensors", "broadcast_to"), ("mlp", "dropout_layer")]
    return BatchResults(["tensors", "mlp"], students, (index, 2), columns)


def _student(name: str, passed: bool, *, mlp: bool = True) -> StudentResult:
    results = [
        CheckResult("tensors", "gather", "values", float(passed), 1.0, passed),
        CheckResult("tensors", "broadcast_to", "values", 2.0, 2.0, True),
        CheckResult(
            "mlp",
            "dropout_layer",
            "keep rate",
            float(mlp),
            1.0,
            mlp,
            "" if mlp else "not submitted: mlp.py was not found in the submission",
        ),
    ]
    return StudentResult(name, name, results, 1.0)


def test_merge_reads_json_only_and_imports_no_torch(tmp_path):
    _shard(1, [_student("ada", True), _student("cy", False, mlp=False)]).save(
        tmp_path / "shard-1" / "results.json"
    )
    _shard(2, [_student("ben", False, mlp=False)]).save(tmp_path / "shard-2" / "results.json")
    done = run_without(
        ("torch", "torchvision", "hypothesis"),
        ["merge", "shard-1", "shard-2", "--output-dir", "grades"],
        tmp_path,
        tmp_path / "site",
    )
    assert done.returncode == 0, done.stderr
    assert "Class summary: 3 students" in done.stdout
    gradebook = (tmp_path / "grades" / "gradebook.csv").read_text().splitlines()
    assert gradebook[0].startswith("student,tensors.gather,tensors.broadcast_to,mlp.dropout_layer")
    assert [row.split(",")[0] for row in gradebook[1:]] == ["ada", "ben", "cy"]


def test_the_summary_ranks_checks_among_submitted_modules_and_draws_the_distribution(tmp_path):
    students = [_student("ada", True), _student("ben", False, mlp=False)]
    students.append(_student("cy", False, mlp=False))
    summary = write_outputs(tmp_path, _shard(1, students))
    # mlp was handed in by ada only, who passed: no mlp check is among the failures.
    assert [
        (c["function"], c["failed"], c["submitted"]) for c in summary["most_failed_checks"]
    ] == [("gather", 2, 3)]
    assert summary["not_submitted"] == [{"assignment": "mlp", "students": 2}]
    markdown = (tmp_path / "summary.md").read_text()
    assert "![Score distribution](distribution.png)" in markdown
    assert "`mlp`: not submitted by 2 of the graded students" in markdown
    png = (tmp_path / "distribution.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width > 300 and height > 150
    assert png == (tmp_path / "distribution.png").read_bytes()  # written whole


def _install_commands(tmp_path, *settings: str) -> str:
    done = subprocess.run(
        [
            "make",
            "-n",
            "-B",
            f"VENV={tmp_path}/venv",
            *settings,
            f"{tmp_path}/venv/.installed-stamp",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return next(line for line in done.stdout.splitlines() if "-e '.[dev]'" in line)


def test_the_makefile_installs_cpu_torch_from_an_index_when_asked(tmp_path):
    default = _install_commands(tmp_path)
    assert "--extra-index-url" not in default and "-c constraints.txt" in default
    cpu = _install_commands(tmp_path, "TORCH_INDEX=https://download.pytorch.org/whl/cpu")
    assert "--extra-index-url https://download.pytorch.org/whl/cpu -c constraints.txt" in cpu
