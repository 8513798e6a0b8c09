"""Where a check's expected values come from: the reference solutions, or the kit's oracles.

The instructor's grader asks the GPU-aware reference solutions (``autograder_solutions``),
in the judge, on the device under test.  The student kit holds no solution code: there each
exercise is answered by its assignment's oracle (``autograder/exercises/<name>/oracle.py``, a
function of the same name and contract built on the library function the exercise
re-implements: ``torch.gather``, ``F.cross_entropy``, ``F.conv2d`` on the ``meta`` device,
scikit-learn's ``KFold`` ...; students may read it, each exercise forbids exactly the call its
oracle makes) and, where no library function exists, by answers recorded from
the reference when the kit was built (``autograder release``).  A check never knows which:
it calls ``ctx.reference_function`` (or ``ctx.reference.<name>``) and, for a recorded
answer, ``ctx.truth.answer(question, compute)``.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import torch

from autograder.grading.model import Assignment

Kind = Literal["reference", "oracle"]

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# Recorded answers, one file per assignment; the kit ships them, the instructor's grader
# does not need them.
ANSWERS = PACKAGE_ROOT / "answers"
# Present only in a student kit (written by the kit build): grade with the oracles.
KIT_MARKER = PACKAGE_ROOT / "KIT"


class AnswerMissing(Exception):
    """The kit has no recorded answer for this question (the kit was built from other checks)."""


def question_key(question: Any) -> str:
    """A digest naming a question (plain data and CPU tensors) independently of identity."""
    digest = hashlib.sha256()
    _feed(question, digest)
    return digest.hexdigest()


def _feed(value: Any, digest: Any) -> None:
    if isinstance(value, torch.Tensor):
        tensor = value.detach().cpu().contiguous()
        digest.update(f"T{tensor.dtype}{tuple(tensor.shape)}:".encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    elif isinstance(value, dict):
        digest.update(f"D{len(value)}:".encode())
        for key in sorted(value, key=repr):
            _feed(key, digest)
            _feed(value[key], digest)
    elif isinstance(value, list | tuple):
        digest.update(f"{type(value).__name__}{len(value)}:".encode())
        for item in value:
            _feed(item, digest)
    else:
        digest.update(f"{type(value).__name__}:{value!r};".encode())


@dataclass
class Truth:
    """The ground truth of one assignment's checks during one grading."""

    kind: Kind
    # Functions named like the exercises: the reference solutions or the oracles.
    module: ModuleType
    # Answers recorded from the reference: read (oracle) or written (recording reference).
    recorded: dict[str, Any] = field(default_factory=dict)
    record_to: Path | None = None

    def answer(self, question: Any, compute: Callable[[], Any]) -> Any:
        """The reference's answer to ``question``: computed by ``compute`` with the reference,
        or, in the kit, the one recorded when the kit was built."""
        key = question_key(question)
        if self.kind == "oracle":
            if key not in self.recorded:
                raise AnswerMissing(f"no recorded answer for {key[:12]}")
            return self.recorded[key]
        value = compute()
        if self.record_to is not None:
            self.recorded[key] = value
        return value

    def save(self) -> None:
        """Write the answers recorded so far (recording only; none recorded, no file)."""
        if self.record_to is not None and self.recorded:
            self.record_to.parent.mkdir(parents=True, exist_ok=True)
            torch.save(self.recorded, self.record_to)


@dataclass(frozen=True)
class GroundTruth:
    """The choice one grading makes once: the reference (instructor) or the oracles (kit).

    ``record``: with the reference, also record the answers the kit will need into
    ``answers`` (what ``autograder release`` does).
    """

    kind: Kind = "reference"
    answers: Path = ANSWERS
    record: bool = False

    @classmethod
    def installed(cls) -> GroundTruth:
        """The oracles in a student kit (or wherever the solutions are not installed)."""
        if KIT_MARKER.exists() or importlib.util.find_spec("autograder_solutions") is None:
            return cls(kind="oracle")
        return cls(kind="reference")

    def module_name(self, assignment: Assignment) -> str:
        if self.kind == "oracle":
            return assignment.oracle_module
        return assignment.reference_module

    def for_assignment(self, assignment: Assignment) -> Truth:
        module = importlib.import_module(self.module_name(assignment))
        path = self.answers / f"{assignment.name}.pt"
        if self.kind == "oracle":
            recorded = torch.load(path, weights_only=True) if path.exists() else {}
            return Truth("oracle", module, recorded)
        if self.record:
            recorded = torch.load(path, weights_only=True) if path.exists() else {}
            return Truth("reference", module, recorded, record_to=path)
        return Truth("reference", module)
