"""The command line: exit codes, JSON in Gradescope's shape, determinism, directories."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import jsonschema
import pytest
from click.testing import CliRunner

from autograder.cli import main
from tests.gradelib import ASSIGNMENTS, MUTANTS, ROOT, SOLUTIONS, splice

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit

# Gradescope's results.json, as documented for autograders (the fields we promise).
GRADESCOPE_SCHEMA = {
    "type": "object",
    "required": ["score", "max_score", "execution_time", "tests"],
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "score", "max_score", "status", "output", "tags"],
                "properties": {
                    "name": {"type": "string"},
                    "score": {"type": "number"},
                    "max_score": {"type": "number"},
                    "status": {"enum": ["passed", "failed"]},
                    "output": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "visibility": {
                        "enum": ["visible", "hidden", "after_due_date", "after_published"]
                    },
                },
            },
        },
    },
}


def _grade_json(*args):
    result = CliRunner().invoke(main, ["grade", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, GRADESCOPE_SCHEMA)
    return data


@pytest.mark.slow
def test_solution_json_has_full_score_and_tags():
    data = _grade_json(SOLUTIONS / "tensors.py")
    assert data["score"] == data["max_score"] > 0
    tags = {tag for test in data["tests"] for tag in test["tags"]}
    assert tags == {"tensors.broadcast_shapes", "tensors.broadcast_to", "tensors.gather"}


@pytest.mark.slow
def test_stub_json_scores_zero():
    data = _grade_json(ASSIGNMENTS / "tensors.py")
    assert data["score"] == 0 and data["max_score"] > 0


def test_grading_is_deterministic(tmp_path):
    source = splice(
        (SOLUTIONS / "tensors.py").read_text(),
        (MUTANTS / "tensors" / "gather" / "negative_wraps.py").read_text(),
    )
    path = tmp_path / "tensors.py"
    path.write_text(source)
    first, second = _grade_json(path), _grade_json(path)
    for data in (first, second):
        data.pop("execution_time")
    assert first == second and first["score"] < first["max_score"]


def test_directory_grades_present_modules_and_zeroes_missing_ones(tmp_path):
    shutil.copy(SOLUTIONS / "tensors.py", tmp_path / "tensors.py")
    data = _grade_json(tmp_path)
    by_module = {}
    for test in data["tests"]:
        module = test["tags"][0].split(".")[0]
        by_module.setdefault(module, []).append(test)
    assert all(t["status"] == "passed" for t in by_module["tensors"])
    for module, tests in by_module.items():
        if module != "tensors":
            assert all(t["score"] == 0 and "not submitted" in t["output"] for t in tests)


@pytest.mark.slow
def test_text_report_is_readable_and_fail_under_sets_the_exit_code(tmp_path):
    result = CliRunner().invoke(main, ["grade", str(ASSIGNMENTS / "tensors.py")])
    assert result.exit_code == 0
    assert "tensors.py" in result.output and "not implemented" in result.output
    assert "Total: 0/30" in result.output
    failing = CliRunner().invoke(
        main, ["grade", str(ASSIGNMENTS / "tensors.py"), "--fail-under", "50"]
    )
    assert failing.exit_code == 1
    out = tmp_path / "report.json"
    CliRunner().invoke(
        main, ["grade", str(SOLUTIONS / "tensors.py"), "--format", "json", "--output", str(out)]
    )
    assert json.loads(out.read_text())["score"] == 30


def test_usage_errors_exit_with_2(tmp_path):
    assert CliRunner().invoke(main, ["grade", str(tmp_path / "missing.py")]).exit_code == 2
    stray = tmp_path / "homework.py"
    stray.write_text("x = 1\n")
    assert CliRunner().invoke(main, ["grade", str(stray)]).exit_code == 2
    assert CliRunner().invoke(main, ["grade"]).exit_code == 2


@pytest.mark.slow
def test_bundled_example_submission_is_partly_right():
    data = _grade_json(ROOT / "examples" / "submission")
    assert 0 < data["score"] < data["max_score"]


@pytest.mark.slow
def test_the_installed_command_flushes_its_report_and_keeps_the_exit_status(tmp_path):
    """The command exits with os._exit after the report: nothing may be lost on the way."""
    command = [sys.executable, "-m", "autograder.cli", "grade"]
    stub = str(ASSIGNMENTS / "tensors.py")
    saved = tmp_path / "report.md"
    failing = subprocess.run(
        [*command, stub, "--format", "json", "--fail-under", "50", "--save", str(saved)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert failing.returncode == 1
    jsonschema.validate(json.loads(failing.stdout), GRADESCOPE_SCHEMA)
    assert "tensors" in saved.read_text()
    usage = subprocess.run([*command, str(tmp_path / "missing.py")], capture_output=True, text=True)
    assert usage.returncode == 2 and "does not exist" in usage.stderr


def test_the_command_starts_the_fork_server_before_it_imports_torch():
    """Both import torch side by side only if the command's own imports leave torch out."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys, autograder.cli; print('torch' in sys.modules)"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert done.stdout.strip() == "False"
