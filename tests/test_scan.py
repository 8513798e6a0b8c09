"""The static scan finds forbidden names in an exercise and the helpers it calls."""

import ast
import inspect

import pytest
import torch

from autograder.exercises.mlp import oracle as mlp_oracle
from autograder.grading.scan import find_forbidden, oracle_subset

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


def test_the_oracles_sent_to_a_runner_hold_neither_the_graded_function_nor_the_others():
    source = inspect.getsource(mlp_oracle)
    exercises = {"dropout_layer", "fan_in_and_fan_out", "xavier_uniform_", "xavier_normal_"}
    subset = oracle_subset(source, {"fan_in_and_fan_out"}, "xavier_uniform_", exercises)
    defined = {node.name for node in ast.parse(subset).body if isinstance(node, ast.FunctionDef)}
    assert "fan_in_and_fan_out" in defined
    assert not defined & (exercises - {"fan_in_and_fan_out"})
    namespace: dict = {}
    exec(compile(subset, "<oracle>", "exec"), namespace)  # it runs on its own
    assert namespace["fan_in_and_fan_out"](torch.empty(3, 2, 5)) == (10, 15)
