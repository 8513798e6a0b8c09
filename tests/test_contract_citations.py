"""No check asks more than the contract: each cites the words of docs/contract.md it enforces
(``Check.contract``), and each sentence of the contract's rules and assignments is cited by
a check or listed, with the reason, in tests/contract_not_graded.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from autograder.grading.model import Assignment
from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment

# The unit tier (`make test-fast`): no grading.
pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
NOT_GRADED = json.loads((Path(__file__).parent / "contract_not_graded.json").read_text())
# The sections whose sentences are promises about the graded functions.
GRADED_SECTIONS = ("## Rules every exercise follows", "## How a function is graded")


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


def citation_problems(assignment: Assignment, contract: str) -> list[str]:
    """Each check of ``assignment`` that cites nothing, or words the contract does not hold."""
    text = flat(contract)
    problems = []
    for exercise in assignment.exercises:
        for check in exercise.checks:
            where = f"{assignment.name}.{exercise.name}: {check.name}"
            if not check.contract.strip():
                problems.append(f"{where}: cites no sentence of docs/contract.md")
            elif flat(check.contract) not in text:
                problems.append(f"{where}: cites {check.contract!r}, not in docs/contract.md")
    return problems


def contract_sentences(contract: str) -> list[str]:
    """The sentences of the graded sections: bullets and paragraphs, cut after '.' or ';'."""
    start, end = (contract.index(heading) for heading in GRADED_SECTIONS)
    blocks: list[list[str]] = []
    for line in contract[start:end].splitlines():
        if line.startswith("#") or not line.strip():
            blocks.append([])
        elif line.startswith("- "):
            blocks.append([line[2:]])
        elif blocks:
            blocks[-1].append(line)
    sentences = []
    for block in blocks:
        sentences += re.split(r"(?<=[.;])\s+(?=[A-Z`(])", flat(" ".join(block)))
    return [sentence for sentence in sentences if sentence]


def uncited(contract: str, citations: list[str]) -> list[str]:
    cited = [flat(citation) for citation in citations]
    return [
        sentence
        for sentence in contract_sentences(contract)
        if not any(citation in sentence or sentence in citation for citation in cited)
    ]


def every_citation() -> list[str]:
    return [
        check.contract
        for name in ASSIGNMENT_NAMES
        for exercise in load_assignment(name).exercises
        for check in exercise.checks
    ]


@pytest.mark.parametrize("name", ASSIGNMENT_NAMES)
def test_every_check_cites_the_contract(name):
    assert citation_problems(load_assignment(name), CONTRACT) == []


def test_a_check_citing_nothing_or_words_the_contract_lacks_is_reported():
    toy = Assignment("toy")
    exercise = toy.exercise("scale")
    exercise.check("doubles", 1)(lambda ctx: None)
    exercise.check("triples", 1, contract="returns three times x")(lambda ctx: None)
    exercise.check("stays", 1, contract="Its results stay on the input's\n  device")(
        lambda ctx: None
    )
    problems = citation_problems(toy, CONTRACT)
    assert problems == [
        "toy.scale: doubles: cites no sentence of docs/contract.md",
        "toy.scale: triples: cites 'returns three times x', not in docs/contract.md",
    ]


def test_every_sentence_is_cited_or_listed_as_not_graded_with_its_reason():
    left = uncited(CONTRACT, every_citation())
    listed = {sentence: reason for sentence, reason in NOT_GRADED.items() if sentence != "_about"}
    assert all(reason.strip() for reason in listed.values())
    missing = [sentence for sentence in left if sentence not in listed]
    assert not missing, (
        "sentences of docs/contract.md that no check cites: give each a check, or list it "
        f"in tests/contract_not_graded.json with the reason: {missing}"
    )
    stale = sorted(set(listed) - set(left))
    assert not stale, f"listed as not graded but cited by a check, or gone: {stale}"


def test_the_sentences_are_found():
    sentences = contract_sentences(CONTRACT)
    assert "Shapes that do not broadcast raise `ValueError`." in sentences
    assert "`ValueError` for an empty iterator." in sentences
    assert uncited(
        "## Rules every exercise follows\n\n- A rule. Another one.\n\n"
        "## How a function is graded\n",
        ["A rule."],
    ) == ["Another one."]
