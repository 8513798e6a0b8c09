"""The command line: exit codes, JSON in Gradescope's shape, determinism, directories."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from autograder.cli import main
from tests.gradelib import ASSIGNMENTS, MUTANTS, ROOT, SOLUTIONS, children_of, splice

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


# The installed command, reporting at its exit whether its own process imported torch.
_COMMAND = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('torch here:', 'torch' in sys.modules, file=sys.stderr))\n"
    "from autograder.cli import entry_point\n"
    "entry_point()\n"
)


@pytest.mark.slow
def test_the_installed_command_flushes_its_report_and_keeps_the_exit_status(tmp_path):
    """The command hands its grading to a judge forked from the fork server (torch imported
    there already) and exits with its status; both exit with os._exit after the report:
    nothing may be lost on the way."""
    command = [sys.executable, "-c", _COMMAND, "grade"]
    stub = str(ASSIGNMENTS / "tensors.py")
    saved = tmp_path / "report.md"
    working = tmp_path / "working"
    working.mkdir()
    failing = subprocess.run(
        [*command, stub, "--format", "json", "--fail-under", "50", "--save", str(saved)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=working,
    )
    assert failing.returncode == 1, failing.stderr
    jsonschema.validate(json.loads(failing.stdout), GRADESCOPE_SCHEMA)
    assert "tensors" in saved.read_text()
    assert "torch here: False" in failing.stderr  # graded in the judge, not here
    # Nothing written into the working folder: no .hypothesis/ (failing examples), no other.
    assert list(working.iterdir()) == []
    usage = subprocess.run([*command, str(tmp_path / "missing.py")], capture_output=True, text=True)
    assert usage.returncode == 2 and "does not exist" in usage.stderr


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (its children, theirs, and so on)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        children = children_of(todo.pop()) - found
        todo += children
        found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is Linux's")
def test_a_killed_command_takes_its_judge_and_runners_with_it(tmp_path):
    """CI's time limit kills the command, not the judge it handed its grading to: the judge,
    its fork server and its runners must all go with it (a judge left behind would finish
    the grading and write its report where the command's output went)."""
    endless = "def broadcast_shapes(*shapes):\n    while True:\n        pass\n"
    submission = tmp_path / "tensors.py"
    submission.write_text(splice((SOLUTIONS / "tensors.py").read_text(), endless))
    command = subprocess.Popen(
        [sys.executable, "-c", _COMMAND, "grade", str(submission)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Its children: the fork server and the judge (adopted); below the judge, its own
        # fork server and a runner at least.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            children = children_of(command.pid)
            tree = _descendants(command.pid)
            if len(children) == 2 and len(tree) >= 4:
                break
            time.sleep(0.05)
        assert len(children) == 2 and len(tree) >= 4, tree
    finally:
        command.kill()
    report, _ = command.communicate(timeout=300)  # the pipe closes when its last writer dies
    assert b"Total" not in report, "the judge outlived the command and finished the grading"
    deadline = time.monotonic() + 30
    while (left := {pid for pid in tree if _alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, "processes outlived the killed command"


def test_the_command_leaves_torch_to_its_judge():
    """The command's own imports leave torch out: the judge it hands the grading to is
    forked from the fork server, which has imported torch (and a usage error imports none)."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys, autograder.cli; print('torch' in sys.modules)"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert done.stdout.strip() == "False"
