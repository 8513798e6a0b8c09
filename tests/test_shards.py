"""``grade-batch --shard auto``: the shard of a Slurm array task or a Kubernetes Indexed
Job, read from the variables those engines set; the shards merge to the one-run gradebook."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from autograder.batch.shards import SHARD_VARIABLES, Shard, resolve_shard
from autograder.errors import SubmissionError
from tests.classroom import SMALL_CLASS, make_class
from tests.gradelib import ROOT
from tests.inprocess_cli import InProcessCommands

CI = ROOT / "ci"


def slurm(task: int, first: int, last: int, step: int = 1, count: int | None = None) -> dict:
    """What Slurm sets in task ``task`` of ``--array=first-last:step``."""
    tasks = (last - first) // step + 1
    return {
        "SLURM_ARRAY_TASK_ID": str(task),
        "SLURM_ARRAY_TASK_MIN": str(first),
        "SLURM_ARRAY_TASK_MAX": str(last),
        "SLURM_ARRAY_TASK_STEP": str(step),
        "SLURM_ARRAY_TASK_COUNT": str(tasks if count is None else count),
    }


@pytest.mark.unit
@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (slurm(0, 0, 2), (1, 3)),
        (slurm(2, 0, 2), (3, 3)),
        (slurm(1, 1, 4), (1, 4)),  # --array=1-4
        (slurm(4, 1, 4), (4, 4)),
        (slurm(6, 0, 8, step=2), (4, 5)),  # --array=0-8:2
        ({"JOB_COMPLETION_INDEX": "0"}, (1, 3)),
        ({"JOB_COMPLETION_INDEX": "2"}, (3, 3)),
    ],
)
def test_auto_reads_the_job_engines_variables(variables, expected):
    text = "auto/3" if "JOB_COMPLETION_INDEX" in variables else "auto"
    shard = resolve_shard(text, variables)
    assert (shard.index, shard.count) == expected
    assert "Slurm" in shard.source or "Kubernetes" in shard.source


@pytest.mark.unit
def test_i_of_n_is_taken_as_written_and_auto_n_must_agree_with_slurm():
    assert resolve_shard("2/5", slurm(0, 0, 2)) == Shard(2, 5)
    assert (resolve_shard("auto/3", slurm(1, 0, 2)).index, 3) == (2, 3)
    with pytest.raises(SubmissionError, match="has 3 tasks"):
        resolve_shard("auto/4", slurm(1, 0, 2))


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "variables", "says"),
    [
        ("auto", {}, "neither a Slurm array task"),
        ("auto", {"JOB_COMPLETION_INDEX": "1"}, "pass --shard auto/N"),
        ("auto/2", {"JOB_COMPLETION_INDEX": "2"}, "out of range"),
        ("auto", slurm(4, 1, 9, count=3), "is not a range"),  # --array=1,4,9
        ("auto", {"SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_MIN": "0"}, "not a number"),
        ("auto", {"SLURM_ARRAY_TASK_ID": "3"}, "SLURM_ARRAY_TASK_MIN is not set"),
        ("auto/0", {"JOB_COMPLETION_INDEX": "0"}, "auto/N"),
        ("auto", slurm(5, 0, 8, step=2), "not a task of the array"),
    ],
)
def test_auto_says_what_is_missing_or_inconsistent(text, variables, says):
    with pytest.raises(SubmissionError, match=says):
        resolve_shard(text, variables)


def _run(commands: InProcessCommands, script: list[str], work: Path, env: dict[str, str]) -> None:
    done = commands.run(script, cwd=work, env=env, timeout=600)
    assert done.returncode == 0, (script, done.stdout[-2000:], done.stderr[-3000:])


@pytest.mark.slow
def test_the_shipped_slurm_and_kubernetes_jobs_merge_to_one_run(tmp_path):
    """ci/slurm and ci/kubernetes run as the engines would: each array task or pod with
    the variables its engine sets, then the merge each ships; the gradebook is one run's."""
    work = tmp_path / "course"
    make_class(work / "submissions", SMALL_CLASS)
    manifest = yaml.safe_load((CI / "kubernetes" / "grade-class.yaml").read_text())
    merge_job = yaml.safe_load((CI / "kubernetes" / "merge.yaml").read_text())
    wrapped = re.search(r'--wrap="([^"]+)"', (CI / "slurm" / "grade-class.sh").read_text())
    base = {name: value for name, value in os.environ.items() if name not in SHARD_VARIABLES}
    with InProcessCommands() as commands:
        (work / ".venv" / "bin").mkdir(parents=True)
        commands.write_stand_in(work / ".venv" / "bin" / "autograder")
        env = {**base, "PATH": f"{work / '.venv' / 'bin'}{os.pathsep}{base['PATH']}"}
        _run(commands, ["autograder", "grade-batch", "submissions", "--assignment",
                        "tensors", "--output-dir", "whole"], work, env)  # fmt: skip

        # sbatch --array=1-3 grade-shard.sbatch submissions tensors, then the merge job.
        sbatch = str(CI / "slurm" / "grade-shard.sbatch")
        for task in (1, 2, 3):
            variables = {**slurm(task, 1, 3), "SLURM_CPUS_PER_TASK": "2"}
            _run(commands, ["bash", sbatch, "submissions", "tensors"], work, {**env, **variables})
        _run(commands, ["bash", "-c", wrapped[1]], work, env)
        slurm_merged = work / "grades" / "class"
        _compare(slurm_merged, work / "whole")
        shutil.rmtree(work / "grades")

        # The Indexed Job: one pod per completion index, then the merge Job.
        spec = manifest["spec"]
        assert spec["completionMode"] == "Indexed"
        container = spec["template"]["spec"]["containers"][0]
        assert f"--shard auto/{spec['completions']}" in container["args"][0]
        for index in range(spec["completions"]):
            pod = {**env, "JOB_COMPLETION_INDEX": str(index)}
            _run(commands, [*container["command"], *container["args"]], work, pod)
        _run(commands, merge_job["spec"]["template"]["spec"]["containers"][0]["command"], work, env)
        _compare(work / "grades" / "class", work / "whole")


def _compare(merged: Path, whole: Path) -> None:
    for name in ("gradebook.csv", "summary.json"):
        assert (merged / name).read_text() == (whole / name).read_text(), (merged, name)
