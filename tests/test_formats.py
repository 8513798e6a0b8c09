"""Output formats come from one registry (autograder/report/formats/): a new format is one file.

The example adds ``scores`` to a copy of the package, as one module, and sees it offered by
``grade --format`` and ``--save``, by ``grade-batch --format``, written by a class run (its
class file and each student's feedback) and rendered by ``render``; nothing else changed.
The table of formats in docs/architecture.md is the registry's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from autograder.report import EXTENSIONS, RENDERERS
from autograder.report.formats import CLASS_FORMATS, FORMATS, REPORT_FORMATS
from tests.gradelib import ROOT

pytestmark = pytest.mark.unit

NEW_FORMAT = '''
"""Scores only: one line per report, one line per student of a class."""

from autograder.report.formats import ReportFormat


def _report(report, lang, hidden_visibility):
    return f"{report.score:g}/{report.max_score:g}"


def _class(results, lang):
    return "".join(f"{s.student} {s.score:g}\\n" for s in results.students)


FORMAT = ReportFormat(
    "scores", ".score", render=_report, render_class=_class, class_file="scores.txt",
    feedback=True,
)
'''

USE_IT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from click.testing import CliRunner
    from autograder.batch.model import BatchResults
    from autograder.batch.outputs import render_class, write_outputs
    from autograder.cli import main
    from autograder.grading.model import CheckResult, GradeReport, StudentResult
    from autograder.report import EXTENSIONS, render

    results = [CheckResult.passing("tensors", "gather", "a check", 2.0)]
    student = StudentResult("ada", "ada", results, 1.0, None)
    batch = BatchResults(["tensors"], [student], None, [("tensors", "gather")])
    out = Path(sys.argv[1])
    write_outputs(out, batch)
    helps = [CliRunner().invoke(main, [c, "--help"]).output for c in ("grade", "grade-batch")]
    print(json.dumps({
        "report": render(GradeReport(results=results), "scores"),
        "class": render_class("scores", batch),
        "save": EXTENSIONS.get(".score"),
        "helps": ["scores" in h for h in helps],
        "written": sorted(p.relative_to(out).as_posix() for p in out.rglob("*")),
    }))
    """
)


def test_a_format_added_as_one_file_is_offered_written_and_rendered(tmp_path):
    package = tmp_path / "copy" / "autograder"
    shutil.copytree(
        ROOT / "autograder", package, ignore=shutil.ignore_patterns("__pycache__", "answers")
    )
    (package / "report" / "formats" / "scores.py").write_text(NEW_FORMAT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "copy"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", USE_IT, str(tmp_path / "out")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["report"] == "2/2\n"
    assert seen["class"] == "ada 2\n"
    assert seen["save"] == "scores"
    assert seen["helps"] == [True, True]
    assert "scores.txt" in seen["written"] and "feedback/ada.score" in seen["written"]


def test_the_registry_is_every_table_of_formats():
    assert set(RENDERERS) == set(REPORT_FORMATS) <= set(FORMATS)
    assert set(CLASS_FORMATS) <= set(FORMATS)
    assert sorted(EXTENSIONS.values()) == sorted(REPORT_FORMATS)
    for name, fmt in FORMATS.items():
        assert fmt.name == name and fmt.extension.startswith(".")


def test_the_documented_formats_are_the_registry():
    """docs/architecture.md's table "Output formats" lists each format as the registry has it."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## Output formats", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| (.+?) \| (.+?) \|$", table, re.MULTILINE)
    documented = {name: (ext, class_file, feedback) for name, ext, class_file, feedback in rows}
    expected = {
        name: (
            fmt.extension,
            f"`{fmt.class_file}`" if fmt.class_file else "—",
            f"`feedback/<student>{fmt.extension}`" if fmt.feedback else "—",
        )
        for name, fmt in FORMATS.items()
    }
    assert documented == expected


def test_every_documented_list_of_formats_is_the_registry():
    """Where README.md and docs/ list the choices of ``--format``, they are the registry's."""
    lists = [
        (document.name, found)
        for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
        for found in re.findall(r"--format ([a-z]+(?:\|[a-z]+)+)", document.read_text("utf-8"))
    ]
    assert lists, "no list of formats found in the documents"
    for document, found in lists:
        assert set(found.split("|")) in (set(REPORT_FORMATS), set(CLASS_FORMATS)), document
