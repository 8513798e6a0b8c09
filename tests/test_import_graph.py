"""The package's import graph, type-only imports included: no circle, no upward import.

import-linter's contracts (pyproject.toml, ``make lint``) say it per package and per layer;
this test says it of the whole graph, module by module, as grimp (import-linter's graph)
builds it: a circle anywhere, even one closed by an import under ``if TYPE_CHECKING:``, is
named with its modules.
"""

from __future__ import annotations

import grimp
import pytest

from tests.gradelib import ROOT

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("autograder", exclude_type_checking_imports=False, cache_dir=None)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm,
    iterative), and the modules importing themselves: every circle lies in one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges.get(node, ()):
                        found.append(sorted(component))
    return found


def test_the_circle_finder_finds_circles():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []
    assert circles({"a": {"a"}}) == [["a"]]


def test_no_module_of_the_package_is_in_an_import_circle(graph):
    edges = {
        module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules
    }
    assert circles(edges) == []


def test_no_layer_imports_a_higher_one_type_only_imports_included(graph):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 on
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        contract["layers"]
        for contract in settings["tool"]["importlinter"]["contracts"]
        if contract["type"] == "layers"
    ]
    levels = [
        grimp.Layer(*(name.strip() for name in layer.split("|")), independent=True)
        for layer in layers
    ]
    assert graph.find_illegal_dependencies_for_layers(layers=levels) == set()


def test_the_command_line_stays_thin():
    """Issue 30: cli.py parses options and prints; the work lives in the packages."""
    lines = (ROOT / "autograder" / "cli.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 300, f"cli.py has {len(lines)} lines: move work into its package"
