"""The static scan finds forbidden names in an exercise and the helpers it calls."""

import ast

import pytest

from autograder.grading.scan import find_forbidden, helpers_used, reference_subset
from tests.gradelib import SOLUTIONS

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit

FORBIDDEN = ("torch.gather", "torch.Tensor.gather")


def test_attribute_use_is_found_with_its_line():
    source = "import torch\n\ndef gather(x, d, i):\n    return x.gather(d, i)\n"
    uses = find_forbidden(source, "gather", FORBIDDEN, {"gather"})
    assert [(u.name, u.line) for u in uses] == [("x.gather", 4)]


def test_helpers_are_followed_but_other_exercises_are_not():
    source = (
        "import torch\n"
        "def helper(x, d, i):\n    return torch.gather(x, d, i)\n"
        "def other(x):\n    return torch.gather(x, 0, x)\n"
        "def gather(x, d, i):\n    other(x)\n    return helper(x, d, i)\n"
    )
    uses = find_forbidden(source, "gather", FORBIDDEN, {"gather", "other"})
    assert [u.line for u in uses] == [3]


def test_imported_names_and_getattr_are_found():
    source = (
        "from torch import gather as g2\nfrom torch import gather\nimport torch\n"
        "def f(x):\n    return gather(x) + getattr(torch, 'gather')(x)\n"
    )
    uses = find_forbidden(source, "f", FORBIDDEN, {"f"})
    assert len(uses) == 2


def test_clean_code_and_broken_source_find_nothing():
    assert find_forbidden("def gather(x):\n    return x[0]\n", "gather", FORBIDDEN, set()) == []
    assert find_forbidden("def gather(:\n", "gather", FORBIDDEN, set()) == []


def test_only_the_helpers_a_function_calls_are_injected():
    source = (
        "def _count(x):\n    return len(x)\n"
        "def train_epoch(x):\n    return _count(x)\n"
        "def evaluate_accuracy(x):\n    return 1.0\n"
        "def train(x):\n    return [train_epoch(x) for _ in range(2)]\n"
    )
    exercises = {"train_epoch", "evaluate_accuracy", "train"}
    assert helpers_used(source, "train", exercises) == {"train_epoch"}
    assert helpers_used(source, "train_epoch", exercises) == set()


def test_the_reference_sent_to_a_runner_holds_neither_the_graded_function_nor_the_others():
    reference = (SOLUTIONS / "training.py").read_text()
    exercises = {"train_epoch", "evaluate_accuracy", "train"}
    subset = reference_subset(reference, {"train_epoch"}, "train", exercises)
    defined = {node.name for node in ast.parse(subset).body if isinstance(node, ast.FunctionDef)}
    assert "train_epoch" in defined
    assert not defined & {"train", "evaluate_accuracy"}
    namespace: dict = {}
    exec(compile(subset, "<reference>", "exec"), namespace)  # it runs on its own
    assert callable(namespace["train_epoch"])


def test_a_class_exercise_is_left_out_of_the_reference_sent_to_a_runner():
    reference = (
        "def norm(x):\n    return x - x.mean()\n"
        "class Norm:\n    def forward(self, x):\n        return norm(x)\n"
        "class Other:\n    pass\n"
    )
    exercises = {"norm", "Norm", "Other"}
    assert helpers_used(reference, "Norm", exercises) == {"norm"}
    subset = reference_subset(reference, {"norm"}, "Norm", exercises)
    defined = {node.name for node in ast.parse(subset).body}
    assert defined == {"norm"}
