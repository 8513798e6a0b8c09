"""Which shard of a class this job grades: ``--shard I/N``, or ``--shard auto`` where a
job engine numbers its jobs.

``auto`` reads the variables the engine sets in each job of an array (the command line
reads them from the environment and passes them here as data):

Slurm job arrays (``sbatch --array=0-7``, ``--array=1-8``, ``--array=0-14:2``)
    ``SLURM_ARRAY_TASK_ID`` with ``SLURM_ARRAY_TASK_MIN`` and ``SLURM_ARRAY_TASK_STEP``
    (1 unless given) say which task this is; ``SLURM_ARRAY_TASK_COUNT``, or else
    ``SLURM_ARRAY_TASK_MAX``, how many there are.  An array of an irregular list of ids
    (``--array=1,4,9``) cannot be cut evenly by its ids and is refused.
Kubernetes Indexed Jobs (``completionMode: Indexed``)
    ``JOB_COMPLETION_INDEX`` (0-based) says which job this is; Kubernetes sets no variable
    for the number of completions, so it is given: ``--shard auto/N``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from autograder.errors import SubmissionError

SLURM_VARIABLES = (
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_MAX",
    "SLURM_ARRAY_TASK_STEP",
    "SLURM_ARRAY_TASK_COUNT",
)
KUBERNETES_VARIABLES = ("JOB_COMPLETION_INDEX",)
# Every variable ``--shard auto`` reads: the command line hands over these, and no other.
SHARD_VARIABLES = (*SLURM_VARIABLES, *KUBERNETES_VARIABLES)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based), and where that was read."""

    index: int
    count: int
    source: str = "--shard"

    def __str__(self) -> str:
        return f"shard {self.index}/{self.count} ({self.source})"


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/3"`` -> ``(2, 3)``: the second of three shards (1-based)."""
    try:
        index_text, count_text = text.split("/")
        index, count = int(index_text), int(count_text)
    except ValueError:
        raise SubmissionError(
            f"--shard wants I/N (like 2/3), auto or auto/N, not {text!r}"
        ) from None
    if not 1 <= index <= count:
        raise SubmissionError(f"--shard {text}: I must be between 1 and N")
    return index, count


def _number(variables: Mapping[str, str], name: str, default: int | None = None) -> int:
    """The variable ``name`` as a number: ``default`` if unset (an error if that is None)."""
    text = variables.get(name, "").strip()
    if not text:
        if default is None:
            raise SubmissionError(f"--shard auto: {name} is not set")
        return default
    try:
        return int(text)
    except ValueError:
        raise SubmissionError(f"--shard auto: {name}={text!r} is not a number") from None


def _given_count(text: str) -> int | None:
    """N of ``auto/N``; None for ``auto``."""
    if text == "auto":
        return None
    count_text = text.removeprefix("auto/")
    if not count_text.isdigit() or int(count_text) < 1:
        raise SubmissionError(f"--shard wants I/N, auto or auto/N (like auto/8), not {text!r}")
    return int(count_text)


def _slurm_shard(variables: Mapping[str, str], given: int | None) -> Shard:
    task = _number(variables, "SLURM_ARRAY_TASK_ID")
    first = _number(variables, "SLURM_ARRAY_TASK_MIN")
    step = _number(variables, "SLURM_ARRAY_TASK_STEP", default=1)
    by_range = None
    if variables.get("SLURM_ARRAY_TASK_MAX", "").strip():
        by_range = (_number(variables, "SLURM_ARRAY_TASK_MAX") - first) // step + 1
    fallback = by_range if by_range is not None else given
    counted = _number(variables, "SLURM_ARRAY_TASK_COUNT", default=fallback)
    if by_range is not None and counted != by_range:
        raise SubmissionError(
            f"--shard auto: a Slurm array of {counted} tasks with ids from {first} to "
            f"{variables['SLURM_ARRAY_TASK_MAX']} (step {step}) is not a range: "
            "use --array=0-N-1 (or 1-N), or --shard I/N"
        )
    if given is not None and counted != given:
        raise SubmissionError(f"--shard auto/{given}: the Slurm array has {counted} tasks")
    if (task - first) % step or not 0 <= (task - first) // step < counted:
        raise SubmissionError(
            f"--shard auto: SLURM_ARRAY_TASK_ID={task} is not a task of the array "
            f"(from {first}, step {step}, {counted} tasks)"
        )
    return Shard((task - first) // step + 1, counted, f"Slurm array task {task}")


def _kubernetes_shard(variables: Mapping[str, str], given: int | None) -> Shard:
    index = _number(variables, "JOB_COMPLETION_INDEX")
    if given is None:
        raise SubmissionError(
            "--shard auto: a Kubernetes Indexed Job does not say how many completions it "
            "has: pass --shard auto/N, N its spec.completions"
        )
    if not 0 <= index < given:
        raise SubmissionError(f"--shard auto/{given}: JOB_COMPLETION_INDEX={index} is out of range")
    return Shard(index + 1, given, f"Kubernetes completion index {index}")


def resolve_shard(text: str, variables: Mapping[str, str]) -> Shard:
    """The shard ``--shard TEXT`` names: ``I/N`` as written; ``auto`` or ``auto/N`` from
    ``variables`` (the job engine's, :data:`SHARD_VARIABLES`), Slurm's before Kubernetes'.

    Raises :class:`SubmissionError` saying what is missing or inconsistent.
    """
    if not text.startswith("auto"):
        return Shard(*parse_shard(text))
    given = _given_count(text)
    if variables.get("SLURM_ARRAY_TASK_ID", "").strip():
        return _slurm_shard(variables, given)
    if variables.get("JOB_COMPLETION_INDEX", "").strip():
        return _kubernetes_shard(variables, given)
    raise SubmissionError(
        "--shard auto: this is neither a Slurm array task (SLURM_ARRAY_TASK_ID) nor a "
        "Kubernetes Indexed Job (JOB_COMPLETION_INDEX): pass --shard I/N"
    )
