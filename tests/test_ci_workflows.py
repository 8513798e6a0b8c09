"""The CI templates of ci/github/ parse, and the commands they run work.

A small GitHub Actions emulator runs each job's ``run:`` steps with bash (as Actions does:
``bash --noprofile --norc -eo pipefail``), with ``$GITHUB_OUTPUT``, ``$GITHUB_STEP_SUMMARY``
and the ``${{ }}`` expressions the templates use.  ``autograder`` on the PATH is this
checkout's, run in the test's process (tests/inprocess_cli.py); the install steps
(``id: install``) are skipped;
``actions/upload-artifact`` and ``download-artifact`` are emulated with folders.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.gradelib import ASSIGNMENTS, ROOT, SOLUTIONS
from tests.inprocess_cli import InProcessCommands

pytestmark = pytest.mark.xdist_group("ci")

CI = ROOT / "ci" / "github"
SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "gradescope_results.schema.json").read_text()
)
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(name: str) -> dict:
    workflow = yaml.safe_load((CI / name).read_text())
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


class Emulator:
    """Runs the steps of one job of a workflow in a folder, like a GitHub runner would."""

    def __init__(
        self, workflow: dict, tmp: Path, artifacts: Path, commands: InProcessCommands
    ) -> None:
        self.workflow = workflow
        self.commands = commands
        self.tmp = tmp
        self.artifacts = artifacts
        self.bin = tmp / "bin"
        self.bin.mkdir(exist_ok=True)
        commands.write_stand_in(self.bin / "autograder")
        self.summary = tmp / "step-summary.md"
        self.summary.write_text("")

    def evaluate(self, expression: str, context: dict) -> str:
        parts = expression.split(".")
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return context["steps"].get(parts[1], {}).get(parts[3], "")
        if parts[0] in ("matrix", "env") and len(parts) == 2:
            return str(context[parts[0]][parts[1]])
        if parts[0] == "secrets" and len(parts) == 2:
            return "emulated-secret"  # what a secret holds is never printed or written
        if parts[0] == "github" and len(parts) >= 2:
            return str(context["github"].get(".".join(parts[1:]), ""))
        raise AssertionError(f"the emulator does not know ${{{{ {expression} }}}}")

    def substitute(self, text: str, context: dict) -> str:
        return EXPRESSION.sub(lambda m: self.evaluate(m.group(1), context), str(text))

    def run_job(self, job_name: str, workdir: Path, matrix: dict | None = None, **github):
        job = self.workflow["jobs"][job_name]
        env = {**self.workflow.get("env", {}), **job.get("env", {})}
        context: dict = {"steps": {}, "matrix": matrix or {}, "env": env, "github": github}
        outcomes = []
        for step in job["steps"]:
            if step.get("id") == "install":
                continue
            if "uses" in step:
                self.action(step, workdir, context)
                continue
            outputs = self.tmp / "github-output"
            outputs.write_text("")
            environment = {
                **os.environ,
                "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
                "PYTHONPATH": str(ROOT),
                "GITHUB_ACTIONS": "true",
                "GITHUB_OUTPUT": str(outputs),
                "GITHUB_STEP_SUMMARY": str(self.summary),
                "GITHUB_BASE_REF": github.get("base_ref", ""),
                "RUNNER_TEMP": str(self.tmp),
                **{k: self.substitute(v, context) for k, v in env.items()},
                **{k: self.substitute(v, context) for k, v in step.get("env", {}).items()},
            }
            process = self.commands.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workdir,
                env=environment,
                timeout=600,
            )
            context["steps"][step.get("id", "")] = dict(
                line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line
            )
            outcomes.append((step.get("name", ""), process))
            if process.returncode != 0:
                break
        return outcomes

    def action(self, step: dict, workdir: Path, context: dict) -> None:
        uses = step["uses"].split("@")[0]
        options = {k: self.substitute(v, context) for k, v in step.get("with", {}).items()}
        if uses == "actions/upload-artifact":
            source = workdir / options["path"]
            if source.exists():
                shutil.copytree(source, self.artifacts / options["name"])
        elif uses == "actions/download-artifact" and "name" in options:
            # One artifact by name: its files go straight into the path.
            shutil.copytree(
                self.artifacts / options["name"], workdir / options["path"], dirs_exist_ok=True
            )
        elif uses == "actions/download-artifact":
            target = workdir / options["path"]
            for artifact in sorted(self.artifacts.glob(options.get("pattern", "*"))):
                shutil.copytree(artifact, target / artifact.name)
        else:
            assert uses in ("actions/checkout", "actions/setup-python"), uses


def git(*args: str, cwd: Path) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Student",
        "GIT_AUTHOR_EMAIL": "student@example.com",
        "GIT_COMMITTER_NAME": "Student",
        "GIT_COMMITTER_EMAIL": "student@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=environment, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def student_repository(tmp_path):
    """A student's clone: main holds the stub, and a function makes pull-request branches."""
    origin = tmp_path / "origin.git"
    git("init", "--bare", "-b", "main", str(origin), cwd=tmp_path)
    repository = tmp_path / "student"
    git("clone", str(origin), str(repository), cwd=tmp_path)
    git("checkout", "-b", "main", cwd=repository)
    shutil.copy(ASSIGNMENTS / "tensors.py", repository / "tensors.py")
    (repository / "README.md").write_text("My PyTorch exercises\n")
    git("add", ".", cwd=repository)
    git("commit", "-m", "Template", cwd=repository)
    git("push", "origin", "main", cwd=repository)

    def pull_request(branch: str, files: dict[str, str]) -> Path:
        git("checkout", "-B", branch, "origin/main", cwd=repository)
        for name, text in files.items():
            (repository / name).parent.mkdir(parents=True, exist_ok=True)
            (repository / name).write_text(text)
        git("add", ".", cwd=repository)
        git("commit", "-m", branch, cwd=repository)
        return repository

    return pull_request


def test_workflow_templates_parse_and_are_not_active_here():
    assert not (ROOT / ".github" / "workflows" / "student-pr.yml").exists()
    student = load("student-pr.yml")
    assert "pull_request" in student["on"] and "pull_request_target" not in student["on"]
    assert student["on"]["push"] == {"branches": ["main"]}  # the default branch
    assert student["permissions"] == {"contents": "read"}
    assert "ASSIGNMENTS" not in student["env"]  # the installed grader lists them
    steps = student["jobs"]["grade"]["steps"]
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps)
    classwork = load("grade-class.yml")
    shards = classwork["jobs"]["grade"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(classwork["env"]["SHARDS"]) + 1))
    assert classwork["jobs"]["merge"]["needs"] == "grade"
    for workflow in (student, classwork):
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                # Untrusted text (branch names, titles) never goes into a script by ${{ }}.
                assert "github.head_ref" not in step.get("run", "")
                assert "github.event" not in step.get("run", "")


def test_student_pull_request_is_graded_and_reported(student_repository, tmp_path, autograder_here):
    repository = student_repository(
        "solve-tensors", {"tensors.py": SOLUTIONS.joinpath("tensors.py").read_text()}
    )
    emulator = Emulator(load("student-pr.yml"), tmp_path, tmp_path / "artifacts", autograder_here)
    outcomes = emulator.run_job("grade", repository, base_ref="main")
    for name, process in outcomes:
        assert process.returncode == 0, (name, process.stdout, process.stderr)
    assert "Changed assignments: tensors" in dict(outcomes)["Find the changed assignments"].stdout
    summary = emulator.summary.read_text()
    assert "Score: 30/30 (100%)" in summary and "| ✅ | `gather` |" in summary
    report = json.loads((tmp_path / "artifacts" / "grades" / "tensors.py.json").read_text())
    jsonschema.validate(report, SCHEMA)
    assert report["score"] == report["max_score"] == 30
    ElementTree.parse(tmp_path / "artifacts" / "grades" / "tensors.py.xml")


def test_a_failing_pull_request_fails_the_check(student_repository, tmp_path, autograder_here):
    stub = (ASSIGNMENTS / "tensors.py").read_text() + "\n# started working\n"
    repository = student_repository("start", {"tensors.py": stub})
    emulator = Emulator(load("student-pr.yml"), tmp_path, tmp_path / "artifacts", autograder_here)
    outcomes = emulator.run_job("grade", repository, base_ref="main")
    name, process = outcomes[-1]
    assert name == "Grade" and process.returncode == 1
    assert "Score: 0/30 (0%)" in emulator.summary.read_text()
    assert (repository / "grades" / "tensors.py.json").is_file()


def test_a_pull_request_without_assignment_changes_grades_nothing(
    student_repository, tmp_path, autograder_here
):
    repository = student_repository("docs", {"README.md": "Notes\n"})
    emulator = Emulator(load("student-pr.yml"), tmp_path, tmp_path / "artifacts", autograder_here)
    outcomes = emulator.run_job("grade", repository, base_ref="main")
    assert all(process.returncode == 0 for _, process in outcomes)
    assert "nothing to grade" in emulator.summary.read_text()


def test_a_pull_request_that_also_syncs_the_kit_grades_the_students_file(
    student_repository, tmp_path, autograder_here
):
    """A template sync updates kit/ (its stubs are named like the assignments): only the
    student's tensors.py is graded, never kit/assignments/tensors.py."""
    repository = student_repository(
        "solve-and-sync",
        {
            "kit/assignments/tensors.py": (ASSIGNMENTS / "tensors.py").read_text(),
            "kit/notebooks/tensors/tensors.ipynb": (
                ROOT / "release/tensors/tensors.ipynb"
            ).read_text(),
            "tensors.py": SOLUTIONS.joinpath("tensors.py").read_text(),
        },
    )
    emulator = Emulator(load("student-pr.yml"), tmp_path, tmp_path / "artifacts", autograder_here)
    outcomes = emulator.run_job("grade", repository, base_ref="main")
    for name, process in outcomes:
        assert process.returncode == 0, (name, process.stdout, process.stderr)
    summary = emulator.summary.read_text()
    assert summary.count("Score: ") == 1 and "Score: 30/30 (100%)" in summary
    assert sorted(p.name for p in (tmp_path / "artifacts" / "grades").iterdir()) == [
        "tensors.py.json",
        "tensors.py.xml",
    ]


def test_a_push_to_the_default_branch_is_graded_and_reported(
    student_repository, tmp_path, autograder_here
):
    """The push trigger: no base branch; what changed since the commit before the push."""
    repository = student_repository(
        "main", {"tensors.py": SOLUTIONS.joinpath("tensors.py").read_text()}
    )
    before = git("rev-parse", "origin/main", cwd=repository).strip()
    emulator = Emulator(load("student-pr.yml"), tmp_path, tmp_path / "artifacts", autograder_here)
    outcomes = emulator.run_job("grade", repository, **{"event.before": before})
    for name, process in outcomes:
        assert process.returncode == 0, (name, process.stdout, process.stderr)
    assert "Changed assignments: tensors" in dict(outcomes)["Find the changed assignments"].stdout
    assert "Score: 30/30 (100%)" in emulator.summary.read_text()
    # The first push of a branch (before is all zeros): every file of the student's.
    (tmp_path / "first").mkdir()
    first = Emulator(load("student-pr.yml"), tmp_path / "first", tmp_path / "a2", autograder_here)
    outcomes = first.run_job("grade", repository, **{"event.before": "0" * 40})
    assert "Changed assignments: tensors" in dict(outcomes)["Find the changed assignments"].stdout
    assert "Score: 30/30 (100%)" in first.summary.read_text()


def test_class_workflow_grades_shards_and_merges(tmp_path, autograder_here):
    workdir = tmp_path / "grading-repository"
    submissions = workdir / "submissions"
    for name in ("ada", "ben", "cy"):
        (submissions / name).mkdir(parents=True)
    shutil.copy(SOLUTIONS / "tensors.py", submissions / "ada" / "tensors.py")
    shutil.copy(ASSIGNMENTS / "tensors.py", submissions / "ben" / "tensors.py")
    workflow = load("grade-class.yml")
    emulator = Emulator(workflow, tmp_path, tmp_path / "artifacts", autograder_here)
    # No roster here: the collect job passes on the committed submissions/.
    for name, process in emulator.run_job("collect", workdir):
        assert process.returncode == 0, (name, process.stderr[-2000:])
    shutil.rmtree(submissions)  # each grading job has only what collect uploaded
    for shard in workflow["jobs"]["grade"]["strategy"]["matrix"]["shard"]:
        for name, process in emulator.run_job("grade", workdir, matrix={"shard": shard}):
            assert process.returncode == 0, (name, process.stderr[-2000:])
    merge_dir = tmp_path / "merge-job"
    merge_dir.mkdir()
    for name, process in emulator.run_job("merge", merge_dir):
        assert process.returncode == 0, (name, process.stderr[-2000:])
    gradebook = (tmp_path / "artifacts" / "gradebook" / "gradebook.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(gradebook)))
    tensors = [(row["student"], row["tensors"]) for row in rows]
    assert tensors == [("ada", "30"), ("ben", "0"), ("cy", "0")]
    # --assignment: only the workflow's ASSIGNMENTS are graded.
    assert workflow["env"]["ASSIGNMENTS"] == "tensors"
    assert [
        c
        for c in rows[0]
        if "." not in c and c not in ("student", "total", "max_score", "percent", "error")
    ] == ["tensors"]
    assert "Class summary: 3 students" in emulator.summary.read_text()


def test_a_notebook_in_its_own_folder_is_graded_in_full(
    student_repository, tmp_path, autograder_here
):
    notebook = (ROOT / "source" / "tensors" / "tensors.ipynb").read_text()  # the solutions
    repository = student_repository("solve-tensors-notebook", {"tensors/tensors.ipynb": notebook})
    emulator = Emulator(load("student-pr.yml"), tmp_path, tmp_path / "artifacts", autograder_here)
    outcomes = emulator.run_job("grade", repository, base_ref="main")
    for name, process in outcomes:
        assert process.returncode == 0, (name, process.stdout, process.stderr)
    assert "Changed assignments: tensors" in dict(outcomes)["Find the changed assignments"].stdout
    assert "Score: 30/30 (100%)" in emulator.summary.read_text()


def install_commands(workflow: dict, job: str, secrets: dict[str, str]) -> str:
    """The install step's commands as its shell would run them (pip replaced by echo)."""
    (step,) = [s for s in workflow["jobs"][job]["steps"] if s.get("id") == "install"]
    env = {**os.environ, **workflow["env"]}
    for name, value in step.get("env", {}).items():
        secret = re.fullmatch(r"\$\{\{ secrets\.(\w+) \}\}", value)
        env[name] = secrets[secret.group(1)] if secret else value
    script = step["run"].replace("python -m pip", "echo pip")
    return subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_students_install_the_kit_and_the_class_job_the_private_grader():
    student = install_commands(load("student-pr.yml"), "grade", {})
    assert "pip install ./kit" in student
    assert "secrets." not in json.dumps(load("student-pr.yml"))
    classwork = load("grade-class.yml")
    for job in ("grade", "merge"):
        steps = classwork["jobs"][job]["steps"]
        (checkout,) = [s for s in steps if s.get("with", {}).get("path") == "grader"]
        assert checkout["with"]["repository"] == "${{ env.GRADER_REPOSITORY }}"
        assert checkout["with"]["ref"] == "${{ env.GRADER_REF }}"
        assert checkout["with"]["token"] == "${{ secrets.GRADER_TOKEN }}"
        assert checkout["with"]["persist-credentials"] is False
    grade = install_commands(classwork, "grade", {})
    # torch as the grader's constraints.txt pins it, from the CPU wheels; then the grader.
    assert (
        "pip install --index-url https://download.pytorch.org/whl/cpu "
        "-c grader/constraints.txt torch torchvision"
    ) in grade
    assert "pip install -c grader/constraints.txt ./grader" in grade
    # merge needs no torch: the grader without its dependencies, and what merge imports.
    merge = install_commands(classwork, "merge", {})
    assert "torch" not in merge and "pip install --no-deps ./grader" in merge


def test_the_class_workflow_pins_a_grader_commit_that_exists():
    ref = load("grade-class.yml")["env"]["GRADER_REF"]
    assert re.fullmatch(r"[0-9a-f]{40}", ref), ref  # a commit, never a branch
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    found = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{ref}^{{commit}}"], capture_output=True
    )
    assert found.returncode == 0, f"{ref} is not a commit of this repository"


def test_the_collect_job_clones_each_students_repository_at_the_deadline(tmp_path, autograder_here):
    """The roster's repositories, at their last commit before DEADLINE, without .git."""
    host = tmp_path / "host"
    deadline = "2030-01-31T23:59:59Z"

    def repository(name: str, commits: list[tuple[str, str]]) -> None:
        work = tmp_path / "work" / name
        work.mkdir(parents=True)
        git("init", "--quiet", "-b", "main", cwd=work)
        for date, text in commits:
            (work / "tensors.py").write_text(text)
            git("add", "tensors.py", cwd=work)
            os.environ["GIT_COMMITTER_DATE"] = date
            try:
                git("commit", "--quiet", "-m", date, "--date", date, cwd=work)
            finally:
                del os.environ["GIT_COMMITTER_DATE"]
        git(
            "clone",
            "--quiet",
            "--bare",
            str(work),
            str(host / "course" / f"{name}.git"),
            cwd=tmp_path,
        )

    repository(
        "tensors-ada",
        [("2030-01-30T10:00:00Z", "# on time\n"), ("2030-02-01T10:00:00Z", "# late\n")],
    )
    repository("tensors-ben", [("2030-02-02T10:00:00Z", "# only late\n")])
    workdir = tmp_path / "grading-repository"
    workdir.mkdir()
    (workdir / "students.txt").write_text(
        "# folder repository\nada course/tensors-ada\nben course/tensors-ben\ncy course/none\n"
    )
    workflow = load("grade-class.yml")
    assert workflow["env"]["DEADLINE"] == deadline
    workflow["env"]["CLASSROOM_HOST"] = f"file://{host}"
    emulator = Emulator(workflow, tmp_path, tmp_path / "artifacts", autograder_here)
    outcomes = emulator.run_job("collect", workdir)
    for name, process in outcomes:
        assert process.returncode == 0, (name, process.stdout, process.stderr[-2000:])
    collected = tmp_path / "artifacts" / "submissions"
    assert (collected / "ada" / "tensors.py").read_text() == "# on time\n"
    assert sorted(p.name for p in collected.iterdir()) == ["ada", "ben", "cy"]
    for name in ("ben", "cy"):  # graded as empty, with the reason in the folder
        assert [p.name for p in (collected / name).iterdir()] == ["NOT-COLLECTED.txt"]
    assert not (collected / "ada" / ".git").exists()  # no history, no remote, no token
    log = dict(outcomes)["Collect the students' repositories"].stdout
    assert "::warning::cy" in log and "no commit before" in log
    assert "emulated-secret" not in log and not any(
        "emulated-secret" in p.read_text(errors="replace")
        for p in collected.rglob("*")
        if p.is_file()
    )


PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")
# The releases the workflows use, each with the commit its tag names (read from the
# actions' own repositories with git rev-parse <tag>^{commit}): the current majors, on node24.
RELEASES = {
    "actions/checkout": ("v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1"),
    "actions/setup-python": ("v7.0.0", "5fda3b95a4ea91299a34e894583c3862153e4b97"),
    "actions/upload-artifact": ("v7.0.0", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f"),
    "actions/download-artifact": ("v8.0.1", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c"),
}
WORKFLOWS = sorted(CI.glob("*.yml")) + sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version_named(path):
    """A tag can be moved to other code; a commit cannot. The comment says which release."""
    lines = [line for line in path.read_text().splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        pinned = PINNED.match(line)
        assert pinned, line
        action, commit, version = pinned.groups()
        assert RELEASES[action] == (version, commit), line


def test_the_projects_own_ci_runs_the_readme_test_command(tmp_path, autograder_here):
    """The workflow's steps, run as a runner would: sudo and make are stand-ins that record
    their arguments (make runs with -n: what it would do, not the whole suite again)."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert workflow["permissions"] == {"contents": "read"}
    emulator = Emulator(workflow, tmp_path, tmp_path / "artifacts", autograder_here)
    calls = tmp_path / "calls"
    (emulator.bin / "sudo").write_text(f'#!/bin/sh\necho "sudo $*" >> "{calls}"\n')
    (emulator.bin / "make").write_text(
        f'#!/bin/sh\necho "make $*" >> "{calls}"\nexec "{shutil.which("make")}" -n "$@"\n'
    )
    for shim in ("sudo", "make"):
        (emulator.bin / shim).chmod(0o755)
    outcomes = emulator.run_job("test", ROOT)
    for name, process in outcomes:
        assert process.returncode == 0, (name, process.stdout, process.stderr)
    assert calls.read_text().splitlines() == [
        "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
        "make test TORCH_INDEX=https://download.pytorch.org/whl/cpu",
    ]
    would_run = dict(outcomes)["Lint and test"].stdout
    assert "ruff check ." in would_run and "pytest -n" in would_run
    assert "make test" in (ROOT / "README.md").read_text()
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("make test")
