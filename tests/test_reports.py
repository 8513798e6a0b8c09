"""Report formats (text, JSON, Markdown, JUnit) and the grade / check commands."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.grading.model import CheckResult, GradeReport
from autograder.i18n import T, translations
from autograder.report import EXTENSIONS, RENDERERS, render
from autograder.report.common import markdown_code_block
from tests.gradelib import ASSIGNMENTS, MUTANTS, SOLUTIONS, splice

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "gradescope_results.schema.json").read_text()
)
HOSTILE = "boom ``` | <img src=x onerror=alert(1)> [link](http://x) \x1b[31m\x00 end"


def sample_report() -> GradeReport:
    failure = T("it raised {kind}: {message}", kind="ValueError", message=HOSTILE)
    return GradeReport(
        [
            CheckResult("tensors", "gather", "does not modify its inputs", 1, 1, True),
            CheckResult(
                "tensors",
                "gather",
                "raises IndexError for an index outside [0, input.size(dim)) or a dim out of range",
                0,
                2,
                False,
                str(failure),
                True,
                translations(failure),
            ),
        ],
        execution_time=1.25,
    )


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_format_renders_in_every_language(fmt, lang):
    text = render(sample_report(), fmt, lang)
    assert text.endswith("\n") and "gather" in text
    if lang == "zh" and fmt != "json":
        assert "索引超出" in text  # the check name is translated
    assert "ValueError" in text  # the dynamic parts are kept


def test_json_follows_the_gradescope_contract():
    data = json.loads(render(sample_report(), "json", "zh"))
    jsonschema.validate(data, SCHEMA)
    assert data["score"] == 1 and data["max_score"] == 3
    assert data["tests"][1]["tags"] == ["tensors.gather"]
    assert data["tests"][1]["output"].startswith("它抛出了 ValueError")


def test_json_marks_hidden_checks_with_gradescopes_visibility():
    """A hidden check's verdict shows after the due date unless the instructor chooses."""
    hidden = CheckResult("tensors", "gather", "hidden check 1 of 1", 1, 1, True, visible=False)
    report = GradeReport([*sample_report().results, hidden])
    data = json.loads(render(report, "json"))
    jsonschema.validate(data, SCHEMA)
    assert [test["visibility"] for test in data["tests"]] == [
        "visible",
        "visible",
        "after_due_date",
    ]
    assert data["visibility"] == "visible" and data["stdout_visibility"] == "hidden"
    for choice in ("hidden", "after_published", "visible"):
        data = json.loads(render(report, "json", hidden_visibility=choice))
        assert data["tests"][-1]["visibility"] == choice
    with pytest.raises(ValueError, match="hidden_visibility"):
        render(report, "json", hidden_visibility="later")


def test_markdown_has_the_table_and_quotes_student_text_safely():
    text = render(sample_report(), "markdown")
    assert "## Autograder — Score: 1/3 (33%)" in text
    assert "| | function | check | points |" in text
    assert "| ✅ | `gather` | does not modify its inputs | 1/1 |" in text
    assert (
        "| ❌ | `gather` | raises IndexError for an index outside \\[0, input.size(dim)) "
        "or a dim out of range | 0/2 |" in text
    )
    # The feedback sits in a fence longer than any backtick run inside it.
    # Control characters are shown escaped (as_data).
    shown = HOSTILE.replace("\x1b", "\\x1b").replace("\x00", "\\x00")
    assert "````text\nit raised ValueError: " + shown + "\n````" in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == 4  # header, rule, two checks: student text never adds rows
    assert markdown_code_block("a `` b") == "```text\na `` b\n```"


def test_junit_parses_and_carries_points_and_feedback():
    root = ElementTree.fromstring(render(sample_report(), "junit").encode())
    assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "1"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "tensors"
    cases = suite.findall("testcase")
    assert [c.get("classname") for c in cases] == ["tensors.gather", "tensors.gather"]
    failure = cases[1].find("failure")
    assert failure is not None and "ValueError" in failure.text and "\x00" not in failure.text
    points = {p.get("name"): p.get("value") for p in cases[1].iter("property")}
    assert points == {"score": "0", "max_score": "2"}


def test_text_report_in_chinese():
    text = render(sample_report(), "text", "zh")
    assert "总分：1/3（33%），用时 1.2 秒" in text or "总分：1/3（33%），用时 1.3 秒" in text
    assert "未通过" in text and "通过" in text


def autograder(*args: str):
    """The command, run in this process (its start-up is tested in test_cli.py)."""
    return CliRunner().invoke(main, list(args))


@pytest.mark.slow
def test_grade_command_saves_every_format_and_fails_under(tmp_path):
    run = autograder(
        "grade",
        str(ASSIGNMENTS / "tensors.py"),
        "--format",
        "junit",
        "--lang",
        "zh",
        "--fail-under",
        "50",
        *[arg for ext in EXTENSIONS for arg in ("--save", str(tmp_path / f"report{ext}"))],
    )
    assert run.exit_code == 1, run.stderr  # 0 % is under 50 %
    assert "score 0/30 (0.0%) is under --fail-under 50%" in run.stderr
    ElementTree.fromstring(run.stdout.encode())
    jsonschema.validate(json.loads((tmp_path / "report.json").read_text()), SCHEMA)
    assert "尚未实现" in (tmp_path / "report.md").read_text()
    ElementTree.parse(tmp_path / "report.xml")
    assert "总分" in (tmp_path / "report.txt").read_text()
    bad = autograder("grade", str(ASSIGNMENTS / "tensors.py"), "--save", "x.csv")
    assert bad.exit_code == 2 and "extension" in bad.stderr


@pytest.mark.slow
def test_check_shows_progress_and_the_next_thing_to_fix(tmp_path, monkeypatch):
    mutant = MUTANTS / "tensors" / "gather" / "negative_wraps.py"
    source = splice((SOLUTIONS / "tensors.py").read_text(), mutant.read_text())
    (tmp_path / "tensors.py").write_text(source)
    monkeypatch.chdir(tmp_path)  # `check` grades the module where it is typed
    run = autograder("check", "--function", "gather")
    assert run.exit_code == 1, run.stderr
    assert "  ✓ tensors.gather: does not modify its inputs" in run.stdout
    assert "5 of 6 visible checks pass." in run.stdout
    assert "Next thing to fix: tensors.gather: raises IndexError" in run.stdout
    assert "broadcast_to" not in run.stdout
    run = autograder("check", "--function", "broadcast_shapes", "--lang", "zh")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "3 项公开检查中通过了 3 项。" in run.stdout  # and one hidden check, not run


def test_check_usage_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert autograder("check").exit_code == 2  # nothing to check here
    (tmp_path / "tensors.py").write_text("")
    run = autograder("check", "--function", "nope")
    assert run.exit_code == 2 and "no exercise is called 'nope'" in run.stderr
