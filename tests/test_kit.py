"""The student kit: installable, no solution code, no hidden checks, same public verdicts.

The kit is built once per test run (the ``kit`` fixture of conftest.py) and run as a
student would: a separate Python whose ``autograder`` is the kit's (``PYTHONPATH``) and that
cannot import the reference solutions.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import tokenize
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.grading.registry import ASSIGNMENT_NAMES
from autograder.release.kit import without_hidden_checks
from autograder.release.stubs import SOLUTION_BLOCK
from tests.gradelib import ROOT, SOLUTIONS, mutant_files, splice

CONTRACT = ROOT / "docs" / "contract.md"

pytestmark = pytest.mark.xdist_group("kit")


def run_kit(kit: Path, *args: str, cwd: Path, code: str = "") -> subprocess.CompletedProcess:
    """``autograder ARGS`` (or the Python ``code``) with the kit's package, where the
    solutions cannot be imported."""
    blocker = cwd / "blocker"
    blocker.mkdir(exist_ok=True)
    # A finder that refuses the solutions, as in a student's environment without them.
    (blocker / "sitecustomize.py").write_text(
        "import sys\n"
        "class _NoSolutions:\n"
        "    @staticmethod\n"
        "    def find_spec(name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('autograder_solutions', 'solutions'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, _NoSolutions)\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{kit}{os.pathsep}{blocker}"}
    code = code or "from autograder.cli import entry_point; entry_point()"
    command = [sys.executable, "-c", code]
    return subprocess.run(
        [*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


# -- what the kit holds ------------------------------------------------------------------------
def normalised_body(function: ast.FunctionDef) -> str:
    """A function's body with its docstring dropped and every name renamed in order of
    appearance: two bodies that differ only in names and formatting compare equal."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    renamed: dict[str, str] = {}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            node.id = renamed.setdefault(node.id, f"v{len(renamed)}")
            return node

        def visit_arg(self, node: ast.arg) -> ast.arg:
            node.arg = renamed.setdefault(node.arg, f"v{len(renamed)}")
            node.annotation = None
            return node

    module = Rename().visit(ast.Module(body=body, type_ignores=[]))
    return ast.dump(module, annotate_fields=False)


def functions(source: str) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)]


def test_no_function_of_the_kit_has_a_solution_body(kit):
    solution_bodies = {
        normalised_body(f): f"{path.stem}.{f.name}"
        for path in SOLUTIONS.glob("*.py")
        for f in functions(path.read_text(encoding="utf-8"))
        if len(f.body) > 1 or not isinstance(f.body[0], ast.Expr)
    }
    assert len(solution_bodies) >= 17  # every exercise of the six assignments
    found = [
        f"{path.relative_to(kit)}:{f.name} = {solution_bodies[body]}"
        for path in kit.rglob("*.py")
        for f in functions(path.read_text(encoding="utf-8"))
        if (body := normalised_body(f)) in solution_bodies
    ]
    assert not found


# What a student receives is read for answers: every statement of a solution block.
# Tokens that carry no meaning on their own: brackets, commas, dots, colons.
PUNCTUATION = frozenset("()[]{},.:;")
# "A few tokens": a statement of up to this many meaningful tokens (names, numbers,
# strings, operators) is an idiom (``n = len(X)``, ``y_hat = net(X)``), not an answer.
FEW_TOKENS = 4


def meaningful_tokens(code: str) -> int:
    kinds = (tokenize.NAME, tokenize.NUMBER, tokenize.STRING, tokenize.OP)
    return sum(
        1
        for token in tokenize.generate_tokens(io.StringIO(code).readline)
        if token.type in kinds and token.string not in PUNCTUATION
    )


def squeezed(text: str) -> str:
    """Text without whitespace: how it is written (line breaks, spaces) does not matter."""
    return re.sub(r"\s+", "", text)


def solution_statements() -> dict[str, str]:
    """{squeezed form: where} for every simple statement inside a ``### BEGIN SOLUTION``
    block of solutions/*.py, at any depth: as written and as ``ast.unparse`` writes it,
    and, for ``return E`` and a bare expression, ``E`` alone (a hint that shows ``E`` gives
    the answer away as surely).  Compound statements are read through their bodies."""
    statements: dict[str, str] = {}
    # What the contract itself states (docs/contract.md is the students' own specification,
    # and checks cite it) is no answer given away: `param -= lr * param.grad / batch_size`.
    public = squeezed(CONTRACT.read_text(encoding="utf-8"))
    for path in sorted(SOLUTIONS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        blocks = [
            (source.count("\n", 0, m.start()) + 1, source.count("\n", 0, m.end()))
            for m in SOLUTION_BLOCK.finditer(source)
        ]
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.stmt) or hasattr(node, "body"):
                continue
            if not any(a <= node.lineno and node.end_lineno <= b for a, b in blocks):
                continue
            nodes = [node]
            if isinstance(node, ast.Return | ast.Expr) and node.value is not None:
                nodes.append(node.value)
            for part in nodes:
                for form in (ast.get_source_segment(source, part), ast.unparse(part)):
                    if meaningful_tokens(form) > FEW_TOKENS and squeezed(form) not in public:
                        where = f"{path.name}:{node.lineno}: {ast.get_source_segment(source, node)}"
                        statements.setdefault(squeezed(form), where)
    return statements


def string_constants(source: str) -> str:
    """Every string of a Python source, joined (a hint split over lines is one string)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    return "\n".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def student_texts(kit: Path) -> dict[Path, str]:
    """Everything of the kit a student can read, as text: files as written, the strings of
    Python files (hints, messages, locale text), the cells of notebooks."""
    texts = {}
    for path in sorted(kit.rglob("*")):
        if path.suffix == ".py":
            source = path.read_text(encoding="utf-8")
            texts[path] = source + "\n" + string_constants(source)
        elif path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            sources = ["".join(cell["source"]) for cell in cells]
            texts[path] = "\n".join(sources + [string_constants(s) for s in sources])
        elif path.is_file() and path.suffix not in (".pt", ".pyc"):
            texts[path] = path.read_text(encoding="utf-8")
    return texts


def test_no_statement_of_a_solution_reaches_the_student(kit):
    """Hints teach the property ("sum the sizes of the distinct parameters"), never the code;
    stubs, notebooks, teaching text, translations and oracles alike."""
    statements = solution_statements()
    assert len(statements) >= 100  # every assignment's solution blocks were read
    found = [
        f"{path.relative_to(kit)} has {where}"
        for path, text in student_texts(kit).items()
        for form, where in statements.items()
        if form in squeezed(text)
    ]
    assert not found, "\n".join(sorted(set(found)))


def test_solution_statements_are_found_however_written():
    assert squeezed("return sum(p.numel()\n    for p in net.parameters())") in {
        squeezed(s) for s in ("return sum(p.numel() for p in net.parameters())",)
    }
    assert meaningful_tokens("n = len(X)") <= FEW_TOKENS  # an idiom
    assert meaningful_tokens("torch.sum(torch.abs(w))") > FEW_TOKENS  # an answer
    assert "sum(p.numel()forpinnet.parameters())" in solution_statements()


def test_the_kit_holds_no_solution_and_no_hidden_check(kit):
    names = {path.name for path in kit.rglob("*")}
    assert not names & {"solutions", "autograder_solutions", "tests", "mutants"}
    marker = re.compile(r"^\s*#+ BEGIN SOLUTION\s*$", re.MULTILINE)  # an nbgrader region
    for path in kit.rglob("*"):
        if path.suffix in (".py", ".ipynb"):
            assert not marker.search(path.read_text(encoding="utf-8")), path
    for path in (kit / "autograder" / "exercises").glob("*/checks.py"):
        assert "hidden=True" not in path.read_text(encoding="utf-8"), path
    listed = run_kit(
        kit,
        "--version",
        cwd=kit.parent,
    )
    assert listed.returncode == 0, listed.stderr
    for name in ASSIGNMENT_NAMES:
        assert (kit / "assignments" / f"{name}.py").is_file()
        assert (kit / "notebooks" / name / f"{name}.ipynb").is_file()


def test_cutting_hidden_checks_keeps_everything_else():
    source = (
        "a = 1\n\n\n"
        "@f.check('shown', 1)\ndef _shown(ctx):\n    pass\n\n\n"
        "@f.check(\n    'secret',\n    1,\n    hidden=True,\n)\ndef _secret(ctx):\n"
        "    return 'inputs'\n\n\n"
        "b = 2\n"
    )
    cut = without_hidden_checks(source)
    assert "secret" not in cut and "inputs" not in cut
    assert "_shown" in cut and "a = 1" in cut and "b = 2" in cut
    ast.parse(cut)


def test_the_kit_is_a_wheel_without_solutions(kit, tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + [str(kit), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("torch_autograder_kit-*.whl")
    listed = zipfile.ZipFile(wheel).namelist()
    assert "autograder/KIT" in listed
    assert "autograder/answers/training.pt" in listed
    assert "autograder/exercises/tensors/oracle.py" in listed
    assert "autograder/exercises/tensors/locale/zh.py" in listed
    assert not [n for n in listed if "solution" in n.lower()]


# -- what the kit does -------------------------------------------------------------------------
def composite_mutants(folder: Path) -> Path:
    """One module per assignment in which every function is its first mutant."""
    folder.mkdir()
    for name in ASSIGNMENT_NAMES:
        source = (SOLUTIONS / f"{name}.py").read_text(encoding="utf-8")
        firsts: dict[str, Path] = {}
        for mutant in mutant_files(name):
            firsts.setdefault(mutant.parent.name, mutant)
        for mutant in firsts.values():
            source = splice(source, mutant.read_text(encoding="utf-8"))
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
    return folder


def public_verdicts(report: dict) -> dict[str, float]:
    return {t["name"]: t["score"] for t in report["tests"] if "hidden check" not in t["name"]}


@pytest.mark.slow
def test_the_kit_gives_the_full_graders_verdicts_on_the_public_checks(kit, tmp_path):
    submission = composite_mutants(tmp_path / "submission")
    full = CliRunner().invoke(main, ["grade", str(submission), "--format", "json"])
    assert full.exit_code == 0, full.stderr
    graded = run_kit(kit, "grade", str(submission), "--format", "json", cwd=tmp_path)
    assert graded.returncode == 0, graded.stderr
    full_verdicts = public_verdicts(json.loads(full.stdout))
    kit_verdicts = public_verdicts(json.loads(graded.stdout))
    # Every public check agrees, train's too: both gradings lend it the same stand-ins for
    # its (here wrong) helpers, the reference's effects recorded when the kit was built.
    assert kit_verdicts == full_verdicts
    train = {n: s for n, s in full_verdicts.items() if n.startswith("training.train: ")}
    assert train and all(s > 0 for s in train.values()), train
    assert any(s == 0 for s in kit_verdicts.values()), "the mutants lost no point"


def test_the_kit_checks_a_notebook_and_gives_full_marks_to_the_solutions(kit, tmp_path):
    notebook = ROOT / "source" / "tensors" / "tensors.ipynb"  # the solutions, as a notebook
    report_file = tmp_path / "cnn.json"
    # Both commands in one interpreter of the kit (one torch import, one fork server).
    code = textwrap.dedent(
        f"""
        from autograder.cli import main
        try:
            main(["check", {str(notebook)!r}], standalone_mode=False)
        except SystemExit as done:
            if done.code:
                raise
        grade = ["grade", {str(SOLUTIONS / "cnn.py")!r}, "--format", "json"]
        main([*grade, "--output", {str(report_file)!r}], standalone_mode=False)
        """
    )
    done = run_kit(kit, cwd=tmp_path, code=code)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(report_file.read_text())
    assert report["score"] == report["max_score"] > 0
    assert not [t for t in report["tests"] if "hidden check" in t["name"]]


def test_notebook_checks_in_the_kit_follow_the_stubs(kit, tmp_path):
    """The in-kernel check lays the student's cells out like the stub (no reference there)."""
    code = (
        "from autograder.notebook import layout_source\n"
        "from autograder.grading.truth import GroundTruth\n"
        "source = layout_source('training')\n"
        "assert 'raise NotImplementedError' in source and 'zero_grad()\\n' not in source\n"
        "assert GroundTruth.installed().kind == 'oracle'\n"
        "try:\n"
        "    import autograder_solutions\n"
        "except ModuleNotFoundError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('the solutions are importable')\n"
    )
    done = run_kit(kit, cwd=tmp_path, code=code)
    assert done.returncode == 0, done.stderr


def test_every_module_of_the_kit_imports_in_the_kit(kit, tmp_path):
    """A module the kit keeps imports only what the kit holds (the test cells import
    ``autograder.release.module``: it once imported the ``stubs`` the kit leaves out)."""
    code = (
        "import importlib, pkgutil, autograder\n"
        "failed = []\n"
        "for found in pkgutil.walk_packages(autograder.__path__, 'autograder.'):\n"
        "    try:\n"
        "        importlib.import_module(found.name)\n"
        "    except ImportError as error:\n"
        "        failed.append(f'{found.name}: {error}')\n"
        f"assert autograder.__path__ == [{str(kit / 'autograder')!r}], autograder.__path__\n"
        "assert not failed, failed\n"
    )
    done = run_kit(kit, cwd=tmp_path, code=code)
    assert done.returncode == 0, done.stderr


def test_the_kits_pyproject_is_toml_with_every_requirement_as_written(kit, monkeypatch):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    from autograder.release import kit as kit_builder

    required = ["torch<3,>=2.3", 'pyseccomp>=0.1.2; sys_platform == "linux"', "x; extra == 'dev'"]
    monkeypatch.setattr(kit_builder.metadata, "requires", lambda name: required)
    project = tomllib.loads(kit_builder.kit_pyproject(kit / "autograder"))["project"]
    assert project["dependencies"] == required[:2]


def test_the_kit_offers_only_the_students_commands(kit, tmp_path):
    from autograder import cli
    from autograder.cli import STUDENT_COMMANDS
    from autograder.grading.truth import KIT_MARKER

    # The command line looks for the marker where autograder.grading.truth puts it.
    assert Path(cli.__file__).resolve().parent / "KIT" == KIT_MARKER
    listed = run_kit(kit, "--help", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    commands = listed.stdout.split("Commands:")[1].split()
    assert [word for word in commands if word in ("check", "grade", *INSTRUCTOR)] == list(
        STUDENT_COMMANDS
    )
    for command in INSTRUCTOR:
        refused = run_kit(kit, command, "--help", cwd=tmp_path)
        assert refused.returncode == 2 and "No such command" in refused.stderr, command
    here = CliRunner().invoke(main, ["--help"])  # the instructor's grader offers them all
    assert all(command in here.output for command in INSTRUCTOR)


INSTRUCTOR = (
    "grade-batch",
    "merge",
    "similarity",
    "grade-nbgrader",
    "release",
    "gradescope",
    "lms-export",
)


def test_the_kit_installs_the_cpu_build_and_a_kernel_as_the_readme_says(kit):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((kit / "pyproject.toml").read_text())["project"]
    assert any(r.startswith("ipykernel") for r in project["optional-dependencies"]["notebook"])
    command = 'pip install --extra-index-url https://download.pytorch.org/whl/cpu "./kit[notebook]"'
    assert command in (kit / "README.md").read_text()
    student_sections = (ROOT / "README.md").read_text().split("## For students")[1]
    assert student_sections.count(command) == 2  # English and Chinese
