"""The student kit: what students install to run the notebooks' test cells and ``check``.

A folder pip can install (``pip install ./kit``) holding the grader with the public checks
and their ground truth, and no solution code:

    kit/pyproject.toml                 the ``torch-autograder-kit`` distribution
    kit/autograder/                    this package, but:
        exercises/<a>/checks.py        hidden checks cut out (``hidden=True`` checks)
        KIT                            "grade with the oracles" (exercises/<a>/oracle.py)
        answers/<a>.pt                 answers recorded from the reference (no code)
        stubs/<a>.py                   the stubs: the notebooks' layout for ``check``
    kit/assignments/<a>.py             the stubs to fill in
    kit/notebooks/<a>/<a>.ipynb        the student notebooks

Never copied: ``solutions/`` (``autograder_solutions``), the tests, the mutants.
``tests/test_kit.py`` checks that no function of the kit has a solution's body.
"""

from __future__ import annotations

import ast
import json
import shutil
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from autograder.engine.entry_points import CONSOLE_SCRIPT
from autograder.grading.config import GradingConfig
from autograder.grading.grade import grade_module
from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from autograder.grading.truth import GroundTruth

KIT_NAME = "torch-autograder-kit"
# Parts of the package a student has no use for, and that may say too much.
LEFT_OUT = ("__pycache__", "*.pyc", "answers", "KIT")
# What the kit keeps of autograder.release: the notebook splitter ``check`` needs.
KIT_RELEASE_PARTS = ("__init__.py", "module.py")

# What ``pip install "./kit[notebook]"`` adds: a Jupyter kernel and JupyterLab to run it in
# (VS Code users need only the kernel).
KIT_EXTRAS = {"notebook": ("ipykernel>=6", "jupyterlab>=4")}

KIT_README = """\
# The course kit / 课程工具包

Install it once, in the environment your notebooks run in, with the CPU build of PyTorch
and Jupyter / 在运行笔记本的环境中安装一次（PyTorch 的 CPU 版本和 Jupyter）：

    pip install --extra-index-url https://download.pytorch.org/whl/cpu "./kit[notebook]"

The CPU build is all the course needs: about 330 MB to download, 1.4 GB installed. Only
on Linux with an NVIDIA GPU you mean to use, leave out `--extra-index-url ...`: pip's own
torch there is the CUDA build, several GB more. On macOS and Windows pip's torch is the
CPU build either way.
Without `[notebook]` if your environment already has Jupyter, or for VS Code: there
`pip install ipykernel` is enough.
课程只需要 CPU 版本：下载约 330 MB，安装后约 1.4 GB。只有在 Linux 上、并且要用 NVIDIA GPU 时，才去掉
`--extra-index-url ...`：那里 pip 默认的 torch 是 CUDA 版本，要多占好几 GB。macOS 和 Windows 上
pip 的 torch 本来就是 CPU 版本。环境里已经有 Jupyter 时可以不加 `[notebook]`；用 VS Code 的话，
`pip install ipykernel` 就够了。

Then, in a notebook, run the test cell under each exercise, or in a terminal
然后在笔记本里运行每道题下面的测试单元格，或在终端中运行：

    jupyter lab notebooks/tensors/tensors.ipynb
    autograder check tensors.ipynb        # or a folder, or tensors.py

The kit checks your work with the public checks. Your grade is computed separately by the
course's grader, which also runs hidden checks.
工具包只运行公开检查。正式成绩由课程的评分程序单独计算，它还会运行隐藏检查。
"""


def without_hidden_checks(source: str) -> str:
    """``source`` with every function decorated ``@<exercise>.check(..., hidden=True)`` cut
    out, lines and all (the rest of the text is kept as written)."""
    tree = ast.parse(source)
    cut: list[tuple[int, int]] = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and any(
                keyword.arg == "hidden"
                and isinstance(keyword.value, ast.Constant)
                and keyword.value.value is True
                for keyword in decorator.keywords
            ):
                first = min(d.lineno for d in node.decorator_list)
                cut.append((first - 1, node.end_lineno or node.lineno))
                break
    lines = source.splitlines(keepends=True)
    kept = [line for i, line in enumerate(lines) if not any(a <= i < b for a, b in cut)]
    return "".join(kept)


def kit_pyproject(package: Path) -> str:
    """The kit's ``pyproject.toml``: the installed grader's requirements, renamed."""
    requirements = [r for r in metadata.requires("torch-autograder") or [] if "extra ==" not in r]
    packages = sorted(
        ".".join(init.parent.relative_to(package.parent).parts)
        for init in package.rglob("__init__.py")
    )
    # The recorded answers: a folder of data, listed as a package so that setuptools ships
    # it without warning the student that it "would be ignored".
    packages.append("autograder.answers")
    # TOML's basic strings are JSON's: a marker's quotes (sys_platform == "linux") escaped.
    dependencies = "".join(f"    {json.dumps(r)},\n" for r in requirements)
    extras = "".join(
        f"{name} = [{', '.join(json.dumps(r) for r in wanted)}]\n"
        for name, wanted in KIT_EXTRAS.items()
    )
    listed = "".join(f"    {json.dumps(p)},\n" for p in packages)
    return (
        "[build-system]\n"
        'requires = ["setuptools>=77"]\n'
        'build-backend = "setuptools.build_meta"\n\n'
        "[project]\n"
        f'name = "{KIT_NAME}"\n'
        f'version = "{metadata.version("torch-autograder")}"\n'
        'description = "The student kit of the PyTorch fundamentals course: public checks."\n'
        'readme = "README.md"\n'
        'requires-python = ">=3.10"\n'
        f"dependencies = [\n{dependencies}]\n\n"
        f"[project.optional-dependencies]\n{extras}\n"
        "[project.scripts]\n"
        f'autograder = "{CONSOLE_SCRIPT}"\n\n'
        "[tool.setuptools]\n"
        f"packages = [\n{listed}]\n\n"
        "[tool.setuptools.package-data]\n"
        '"autograder" = ["KIT"]\n'
        '"autograder.answers" = ["*.pt"]\n'
    )


def record_answers(root: Path, answers: Path, names: Iterable[str]) -> None:
    """Grade every reference solution, recording the answers the oracles cannot give."""
    config = GradingConfig.from_environment(truth=GroundTruth("reference", answers, record=True))
    for name in names:
        results = grade_module(
            load_assignment(name), root / "solutions" / f"{name}.py", config=config
        )
        failed = [r.title for r in results if not r.passed]
        if failed:
            raise RuntimeError(f"the reference solution fails its own checks: {failed}")


def build_kit(root: Path, out: Path, names: Iterable[str] = ASSIGNMENT_NAMES) -> Path:
    """Build the kit from the checkout ``root`` (its package, stubs, notebooks) into ``out``."""
    names = list(names)
    if out.exists():
        shutil.rmtree(out)
    package = out / "autograder"
    shutil.copytree(root / "autograder", package, ignore=shutil.ignore_patterns(*LEFT_OUT))
    for builder in (package / "release").iterdir():  # the kit splits notebooks, builds nothing
        if builder.name not in KIT_RELEASE_PARTS:
            builder.unlink()
    for module in (package / "exercises").glob("*/checks.py"):
        module.write_text(without_hidden_checks(module.read_text("utf-8")), encoding="utf-8")
    stubs = package / "stubs"
    stubs.mkdir()
    (stubs / "__init__.py").write_text('"""The stub modules: the layout of each notebook."""\n')
    (out / "assignments").mkdir()
    for name in names:
        stub = root / "assignments" / f"{name}.py"
        shutil.copy(stub, stubs / stub.name)
        shutil.copy(stub, out / "assignments" / stub.name)
        notebook = root / "release" / name / f"{name}.ipynb"
        (out / "notebooks" / name).mkdir(parents=True)
        shutil.copy(notebook, out / "notebooks" / name / notebook.name)
    record_answers(root, package / "answers", names)
    (package / "KIT").write_text("grade with the oracles: no solutions here\n")
    (out / "pyproject.toml").write_text(kit_pyproject(package), encoding="utf-8")
    (out / "README.md").write_text(KIT_README, encoding="utf-8")
    return out
