"""The mutator of benchmarks/mutation.py (`make mutation`) on a toy module: no grading."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]

TOY = '''
import torch


def clip(x, low, high=3):
    """Docstring: never mutated (1 < 2 == True)."""
    if x < low and not high:
        raise ValueError(f"x {x + 1} too small")
    total = torch.zeros(2, device=x.device) + max(low, high) * 2
    total -= 1
    return total if x >= 0 else -total


def untouched(a):
    return a + 1
'''


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "benchmarks" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("mutation", None)


@pytest.fixture(scope="module")
def mutants(mutation):
    return mutation.mutants_of(TOY, ["clip"], "toy")


def changed_nodes(original: ast.AST, mutated: ast.AST) -> list[str]:
    """The smallest subtrees where two ASTs differ (positions ignored)."""
    if type(original) is not type(mutated):
        return [type(original).__name__]
    if not isinstance(original, ast.AST):
        return [] if original == mutated else ["value"]
    differing = []
    for (name, a), (_, b) in zip(ast.iter_fields(original), ast.iter_fields(mutated)):
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                differing.append(name)
                continue
            for x, y in zip(a, b):
                differing += changed_nodes(x, y)
        else:
            differing += changed_nodes(a, b)
    if len(differing) > 1 or (differing and differing[0] in ("value", "op", "ops")):
        return [type(original).__name__]  # several parts of this node changed: the node
    return differing


def test_expected_mutants(mutants):
    got = {(m.operator, m.mutated) for m in mutants}
    expected = {
        ("comparison flip", "if x <= low and not high:"),
        ("and/or swap", "if x < low or not high:"),
        ("remove unary operator", "if x < low and high:"),
        ("negate condition", "if not (x < low and not high):"),
        ("remove raise", "pass"),
        ("drop keyword argument", "total = torch.zeros(2) + max(low, high) * 2"),
        ("swap call arguments", "total = torch.zeros(2, device=x.device) + max(high, low) * 2"),
        ("arithmetic swap", "total = torch.zeros(2, device=x.device) - max(low, high) * 2"),
        ("arithmetic swap", "total = torch.zeros(2, device=x.device) + max(low, high) / 2"),
        ("constant +-1", "total = torch.zeros(3, device=x.device) + max(low, high) * 2"),
        ("constant +-1", "total = torch.zeros(2, device=x.device) + max(low, high) * 1"),
        ("augmented assignment swap", "total += 1"),
        ("constant +-1", "total -= 0"),
        ("constant +-1", "total -= 2"),
        ("comparison flip", "return total if x > 0 else -total"),
        ("negate condition", "return total if not (x >= 0) else -total"),
        ("remove unary operator", "return total if x >= 0 else total"),
        ("constant +-1", "return total if x >= -1 else -total"),
        ("delete statement", "pass"),
    }
    assert expected <= got
    # The docstring, the f-string, the default and the other function are never touched.
    assert all(m.function == "clip" for m in mutants)
    assert not any("x + 2" in m.mutated or "x - 1" in m.mutated for m in mutants)
    assert not any("high=" in m.mutated or "1 <" in m.mutated for m in mutants)
    # Deterministic: numbered in order, the same list every time.
    assert [m.number for m in mutants] == list(range(1, len(mutants) + 1))


def test_each_mutant_changes_one_node_and_parses(mutation, mutants):
    original = ast.parse(TOY)
    sources = set()
    for mutant in mutants:
        tree = ast.parse(mutant.source)  # valid Python
        compile(mutant.source, "toy.py", "exec")
        assert len(changed_nodes(original, tree)) == 1, mutant
        assert len(mutant.source.splitlines()) == len(TOY.splitlines())  # lines kept
        sources.add(ast.dump(tree))
    assert len(sources) == len(mutants)  # no duplicates


def test_line_numbers_and_lines(mutants):
    raise_mutant = next(m for m in mutants if m.operator == "remove raise")
    assert raise_mutant.line == 8
    assert raise_mutant.original.startswith("raise ValueError(")
    lines = TOY.splitlines()
    for mutant in mutants:
        assert " ".join(lines[mutant.line - 1].split()) in mutant.original


def test_elif_and_spread(mutation):
    source = "def f(a):\n    if a:\n        return 1\n    elif a is None:\n        return 2\n"
    mutants = mutation.mutants_of(source, ["f"])
    assert ("delete statement", "else: pass") in {(m.operator, m.mutated) for m in mutants}
    assert ("comparison flip", "elif a is not None:") in {(m.operator, m.mutated) for m in mutants}
    assert mutation.spread(list(range(10)), 3) == [0, 3, 6]
    assert mutation.spread([1, 2], 3) == [1, 2]


def test_solutions_enumerate(mutation):
    """A real solution module: every function gets mutants, the enumeration is stable."""
    source = (ROOT / "solutions" / "cnn.py").read_text(encoding="utf-8")
    functions = ["conv_output_size", "pool_output_size", "corr2d"]
    first = mutation.mutants_of(source, functions, "cnn")
    assert {m.function for m in first} == set(functions)
    assert [m.key() for m in first] == [m.key() for m in mutation.mutants_of(source, functions)]
    assert all(m.where.startswith("solutions/cnn.py:") for m in first)


def test_a_power_swapped_for_a_product_keeps_its_operands(mutation):
    """`a * b ** c` with ** made * is `a * (b * c)`, not `(a * b) * c` (the swap used to
    stop the whole run: optimization's step_lr)."""
    source = "def f(a, b, c):\n    return a * b ** c\n"
    mutated = {m.mutated for m in mutation.mutants_of(source, ["f"])}
    assert "return a * (b * c)" in mutated
    assert "return a / b ** c" in mutated
