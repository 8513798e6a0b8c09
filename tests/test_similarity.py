"""The similarity ranking: planted copies rank above every pair of independent solutions.

The independent solutions are the correct variants of ``tests/correct/<assignment>/``,
written by different hands.  A planted copy is one of them disguised the ways a copier
does: every local variable and argument renamed, the functions in another order, the
comments and the layout changed (and, for one, a helper inlined by hand).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import random

import pytest
from click.testing import CliRunner

from autograder.batch.similarity import (
    WHOLE_MODULE,
    class_similarity,
    class_sources,
    course_boilerplate,
    exercise_names,
    rank_assignment,
)
from autograder.cli import main
from autograder.grading.registry import ASSIGNMENT_NAMES
from autograder.report.similarity import render_similarity_csv
from tests.gradelib import correct_files

pytestmark = pytest.mark.unit


class _Renamer(ast.NodeTransformer):
    """Renames the names a function binds (arguments, assignments, loop variables)."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.names.get(node.id, node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.names.get(node.arg, node.arg)
        return node


def _bound(function: ast.FunctionDef) -> set[str]:
    bound = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    return bound


def disguise(source: str, seed: int) -> str:
    """``source`` as a copier hands it in: names, order, comments and layout changed."""
    words = random.Random(seed)
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names = sorted(_bound(node))
            renamed = {name: f"{name[:1]}_{words.randrange(10**6)}" for name in names}
            _Renamer(renamed).visit(node)
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    rest = [n for n in tree.body if n not in imports]
    tree.body = imports + rest[::-1]
    lines = []
    for line in ast.unparse(tree).splitlines():
        if line.startswith(("def ", "class ")):
            lines += ["", "", f"# my own solution ({words.randrange(100)})"]
        lines.append(line.replace("    ", "  "))
    return "\n".join(lines) + "\n"


# tests/correct/tensors/recursive.py with its helper _pair inlined into broadcast_shapes.
INLINED_HELPER = """
import torch
from functools import reduce

def broadcast_to(t, target):
    target = tuple(int(n) for n in target)
    missing = len(target) - t.dim()
    if missing < 0:
        raise ValueError("the shape is too short")
    t = t[(None,) * missing]
    for got, wanted in zip(t.shape, target):
        if got not in (1, wanted):
            raise ValueError("these do not broadcast")
    return t.expand(target)

def broadcast_shapes(*shapes):
    result = ()
    for shape in shapes:
        left, right = list(result), list(shape)
        size = max(len(left), len(right))
        left, right = [1] * (size - len(left)) + left, [1] * (size - len(right)) + right
        out = []
        for p, q in zip(left, right):
            if p < 0 or q < 0 or (p != q and 1 not in (p, q)):
                raise ValueError(f"cannot broadcast {p} with {q}")
            out.append(q if p == 1 else p)
        result = tuple(out)
    return result
"""


def _independent(assignment: str) -> dict[str, str]:
    return {f"indep-{f.stem}": f.read_text(encoding="utf-8") for f in correct_files(assignment)}


def _assert_planted_on_top(assignment: str, codes: dict[str, str], planted: set[str]) -> None:
    functions = exercise_names(assignment)
    rankings = rank_assignment(assignment, codes, course_boilerplate(assignment), functions, 10**6)
    for function, pairs in rankings.items():
        copies = [p for p in pairs if {p.first, p.second} == planted]
        honest = [p for p in pairs if p.first.startswith("indep") and p.second.startswith("indep")]
        if function != WHOLE_MODULE and not copies:
            continue  # the copied variant does not write this function (or it is too short)
        assert copies, f"{assignment}: the planted copy was not compared"
        what = f"{assignment}.{function or '<module>'}"
        top = max((p.score for p in honest), default=0.0)
        assert copies[0].score > top, f"{what}: copy {copies[0].score:.3f} <= honest {top:.3f}"
        assert pairs[0] == copies[0], f"{what}: {pairs[0]} ranks above the copy"


@pytest.mark.parametrize("assignment", ASSIGNMENT_NAMES)
def test_a_disguised_copy_ranks_above_every_pair_of_independent_solutions(assignment):
    codes = _independent(assignment)
    original = sorted(codes)[0]
    codes["copier"] = disguise(codes[original], seed=len(assignment))
    assert codes["copier"] != codes[original]
    _assert_planted_on_top(assignment, codes, {original, "copier"})


def test_a_copy_with_its_helper_inlined_ranks_first():
    codes = _independent("tensors")
    codes["inliner"] = INLINED_HELPER
    _assert_planted_on_top("tensors", codes, {"indep-recursive", "inliner"})


def test_the_stub_alone_is_alike_to_nothing():
    """Code every student was given is discounted: two untouched stubs are not a pair."""
    stub = course_boilerplate("tensors")[0]
    codes = {"a": stub, "b": stub, "c": stub + "\n# started\n"}
    rankings = rank_assignment("tensors", codes, [stub], exercise_names("tensors"))
    assert all(pairs == [] for pairs in rankings.values()), rankings


def test_notebooks_are_compared_as_their_code(tmp_path):
    import nbformat

    source = correct_files("tensors")[0].read_text(encoding="utf-8")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# mine"), nbformat.v4.new_code_cell(source)]
    (tmp_path / "nb-student").mkdir()
    nbformat.write(notebook, tmp_path / "nb-student" / "tensors.ipynb")
    (tmp_path / "py-student").mkdir()
    (tmp_path / "py-student" / "tensors.py").write_text(disguise(source, 3), encoding="utf-8")
    (tmp_path / "py-student" / "link.py").symlink_to(tmp_path / "nb-student" / "tensors.ipynb")
    students = {p.name: p for p in tmp_path.iterdir()}
    sources = class_sources(students, ["tensors"])
    assert sources["nb-student"]["tensors"].strip() == source.strip()
    pairs = class_similarity(sources, ["tensors"])["assignments"][0]["modules"]
    assert pairs[0]["students"] == ["nb-student", "py-student"] and pairs[0]["score"] > 0.5


def test_the_command_ranks_the_copy_first_and_says_it_is_no_verdict(tmp_path):
    codes = _independent("mlp")
    original = sorted(codes)[0]
    codes["copier"] = disguise(codes[original], seed=7)
    for student, code in codes.items():
        (tmp_path / "class" / student).mkdir(parents=True)
        (tmp_path / "class" / student / "mlp.py").write_text(code, encoding="utf-8")
    shown = CliRunner().invoke(main, ["similarity", str(tmp_path / "class"), "--assignment", "mlp"])
    assert shown.exit_code == 0, shown.output
    assert "never a verdict" in shown.output
    first = shown.output.index(original)
    assert "copier" in shown.output[first - 200 : first + 200]
    as_json = CliRunner().invoke(
        main, ["similarity", str(tmp_path / "class"), "--assignment", "mlp", "--format", "json"]
    )
    data = json.loads(as_json.output)
    assert data["assignments"][0]["modules"][0]["students"] == sorted([original, "copier"])
    # SPEC §4: --output-dir also writes similarity.csv (every pair) and similarity.html.
    out = tmp_path / "out"
    args = ["similarity", str(tmp_path / "class"), "--assignment", "mlp", "--output-dir", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    table = list(csv.reader(io.StringIO((out / "similarity.csv").read_text(encoding="utf-8"))))
    assert table[0] == ["assignment", "function", "student", "other student", "alike %"]
    modules = data["assignments"][0]["modules"]
    rows = [row for row in table[1:] if row[1] == "whole module"]
    assert [row[2:4] for row in rows] == [pair["students"] for pair in modules]
    assert float(rows[0][4]) == round(100 * modules[0]["score"], 1)
    page = (out / "similarity.html").read_text(encoding="utf-8")
    assert "never a verdict" in page and "copier" in page
    assert "<script" not in page and "http" not in page


def test_similarity_csv_cells_are_never_formulas():
    found = {
        "assignments": [
            {
                "assignment": "mlp",
                "modules": [{"students": ["=HYPERLINK(1)", "+b"], "score": 0.9}],
                "functions": {"relu": [{"students": ["@c", "d"], "score": 0.5}]},
            }
        ]
    }
    table = list(csv.reader(io.StringIO(render_similarity_csv(found))))
    assert table[1] == ["mlp", "whole module", "'=HYPERLINK(1)", "'+b", "90.0"]
    assert table[2] == ["mlp", "relu", "'@c", "d", "50.0"]


def test_hostile_submissions_are_not_followed_nor_break_the_ranking(tmp_path):
    """A student's link to another's work (or the solution) is not read; an oversized
    file is not read; code nested past the parser's depth is compared as a whole only."""
    source = correct_files("tensors")[0].read_text(encoding="utf-8")
    for name in ("honest", "linker", "huge", "deep"):
        (tmp_path / name).mkdir()
    (tmp_path / "honest" / "tensors.py").write_text(source, encoding="utf-8")
    (tmp_path / "linker" / "tensors.py").symlink_to(tmp_path / "honest" / "tensors.py")
    (tmp_path / "huge" / "tensors.py").write_text(source + "#" * 600_000, encoding="utf-8")
    deep = source + "\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    (tmp_path / "deep" / "tensors.py").write_text(deep, encoding="utf-8")
    sources = class_sources({p.name: p for p in tmp_path.iterdir()}, ["tensors"])
    assert sorted(sources) == ["deep", "honest"]
    found = class_similarity(sources, ["tensors"])["assignments"][0]
    assert found["modules"][0]["students"] == ["deep", "honest"]
    assert all(pairs == [] for pairs in found["functions"].values())
