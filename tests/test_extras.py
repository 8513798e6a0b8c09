"""A command whose optional dependencies are missing says which extra to install, in one line,
before it starts: the class's outputs need the ``instructor`` extra, which the student's kit
does not carry (copydetect and matplotlib are of no use to a student)."""

from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.release.kit import kit_pyproject
from tests.gradelib import ROOT

pytestmark = pytest.mark.unit


@pytest.fixture
def without_instructor_extra(monkeypatch):
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name.split(".")[0] in ("copydetect", "matplotlib"):
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.parametrize(
    "args",
    [
        ["similarity", str(ROOT / "examples")],
        ["merge", str(ROOT / "examples")],
        ["grade-batch", str(ROOT / "examples")],
    ],
    ids=["similarity", "merge", "grade-batch"],
)
def test_class_commands_name_the_instructor_extra(without_instructor_extra, args, tmp_path):
    if args[0] != "similarity":
        args = [*args, "--output-dir", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "pip install 'torch-autograder[instructor]'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_kit_does_not_require_the_instructor_extra():
    project = kit_pyproject(ROOT / "autograder")
    assert "copydetect" not in project
    assert "matplotlib" not in project
