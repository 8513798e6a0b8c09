""" "By hand" is enforced: autograd in every form the runner can reach is refused.

Each hostile submission computes a derivative with one form of autograd, spelled so that the
judge's source scan does not see it (names built at run time, kept at import), so that the
runner alone must refuse it: the exercise gets no points and the feedback names what was
refused.  The same forms spelled plainly are refused by the scan.  ``minimize``, which
forbids nothing, keeps its backward pass; a lent helper (the kit's oracle, which uses
autograd) still works inside an exercise that forbids it (tests/test_mutants.py grades
``tests/correct/backprop/einsum_and_reuse.py`` with the oracles too).
"""

from __future__ import annotations

import types

import pytest
import torch

from autograder.engine.forbidden_names import expand, matches_operator, operator_patterns
from autograder.engine.runner import ForbiddenCallError, HelperCache, guard, resolve_before_import
from autograder.exercises.by_hand import AUTOGRAD
from autograder.grading.scan import find_escapes, find_forbidden
from tests.gradelib import SOLUTIONS, by_function, grade_source, splice

GRADIENTS = (SOLUTIONS / "gradients.py").read_text()
BACKPROP = (SOLUTIONS / "backprop.py").read_text()

# activation_grad computing the derivative with autograd: FORM turns y = f(x) (x requires
# grad, under enable_grad) into g, the derivative.
ACTIVATION = """
import torch
import torch.nn.functional as F

_T = getattr(torch, "Ten" + "sor")
_AG = getattr(torch, "auto" + "grad")
{kept}


def activation_grad(X, name, negative_slope=0.01):
    if not X.is_floating_point():
        raise ValueError("floating X please")
    functions = {{
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": F.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, negative_slope),
    }}
    if name not in functions:
        raise ValueError(name)
    f = functions[name]
    x = X.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        y = f(x)
{form}
    return g.detach().to(X.dtype)
"""


def hostile(form: str, kept: str = "") -> str:
    body = "\n".join("        " + line for line in form.strip().splitlines())
    return ACTIVATION.format(kept=kept, form=body)


FORMS = {
    "tensor-backward": (
        '_KEPT[0](y.sum())\ng = getattr(x, "gr" + "ad")',
        '_KEPT = (getattr(_T, "back" + "ward"),)',
        "torch.Tensor.backward",
    ),
    "autograd-grad": (
        "(g,) = _KEPT[0](y.sum(), x)",
        '_KEPT = (getattr(_AG, "gr" + "ad"),)',
        "torch.autograd.grad",
    ),
    "autograd-backward": (
        '_KEPT[0](y.sum())\ng = getattr(x, "gr" + "ad")',
        '_KEPT = (getattr(_AG, "back" + "ward"),)',
        "torch.autograd.backward",
    ),
    "the-engine-itself": (
        "one = torch.ones((), dtype=y.dtype)\n"
        'run = getattr(_KEPT[0], "run_" + "backward")\n'
        "(g,) = run((y.sum(),), (one,), False, False, (x,), False, False)",
        '_KEPT = (getattr(_AG.variable.Variable, "_execution" + "_engine"),)',
        "a backward pass",
    ),
    # The dispatcher guard's __enter__ and __exit__, which torch looks up on its base class,
    # rebound at import to enter nothing (torch.autograd.graph holds that class too).
    "the-engine-with-the-guard-never-entered": (
        "one = torch.ones((), dtype=y.dtype)\n"
        'run = getattr(_KEPT[0], "run_" + "backward")\n'
        "(g,) = run((y.sum(),), (one,), False, False, (x,), False, False)",
        '_KEPT = (getattr(_AG.variable.Variable, "_execution" + "_engine"),)\n'
        "_AG.graph.TorchDispatchMode.__enter__ = lambda self: self\n"
        "_AG.graph.TorchDispatchMode.__exit__ = lambda self, *exc: None",
        "a backward pass",
    ),
    # What the dispatcher guard asks at each call, rebound at import: the graph task torch
    # is in, and fnmatch's matcher of the operator patterns.
    "the-engine-with-the-guard-blinded": (
        "one = torch.ones((), dtype=y.dtype)\n"
        'run = getattr(_KEPT[0], "run_" + "backward")\n'
        "(g,) = run((y.sum(),), (one,), False, False, (x,), False, False)",
        '_KEPT = (getattr(_AG.variable.Variable, "_execution" + "_engine"),)\n'
        "torch._C._current_graph_task_id = lambda: -1\n"
        "import fnmatch\n"
        "fnmatch._compile_pattern = lambda pattern: lambda name: None",
        "a backward pass",
    ),
    "a-node-called-by-hand": (
        'node = getattr(y, "grad" + "_fn")\n'
        "out = node(torch.ones_like(y))\n"
        "g = out[0] if isinstance(out, tuple) else out",
        "",
        "torch.Tensor.grad_fn",
    ),
    "func-grad": (
        "g = _KEPT[0](lambda t: f(t).sum())(X.detach())",
        '_KEPT = (getattr(getattr(torch, "fu" + "nc"), "gr" + "ad"),)',
        "torch.func.grad",
    ),
    "func-jacfwd": (
        "g = _KEPT[0](lambda t: f(t).sum())(X.detach())",
        '_KEPT = (getattr(getattr(torch, "fu" + "nc"), "jac" + "fwd"),)',
        "is not allowed",
    ),
    "func-vjp": (
        "_, pull = _KEPT[0](f, X.detach())\n(g,) = pull(torch.ones_like(X))",
        '_KEPT = (getattr(getattr(torch, "fu" + "nc"), "v" + "jp"),)',
        "is not allowed",
    ),
    "vmap": (
        "flat = X.detach().reshape(-1)\n"
        "s = _KEPT[0](torch.sigmoid)(flat)\n"
        "g = (s * (1 - s)).reshape(X.shape)",
        '_KEPT = (getattr(torch, "vm" + "ap"),)',
        "torch.vmap",
    ),
    "autograd-functional-jacobian": (
        "g = _KEPT[0](lambda t: f(t).sum(), X.detach())",
        '_KEPT = (getattr(getattr(_AG, "func" + "tional"), "jaco" + "bian"),)',
        "is not allowed",
    ),
    "forward-mode-dual-numbers": (
        "fw = getattr(_AG, 'forward' + '_ad')\n"
        "with getattr(fw, 'dual' + '_level')():\n"
        "    dual = getattr(fw, 'make' + '_dual')(X.detach(), torch.ones_like(X))\n"
        "    g = getattr(fw, 'unpack' + '_dual')(f(dual))[1]",
        "",
        "is not allowed",
    ),
    "aten-backward-operator": (
        "s = torch.sigmoid(X.detach())\ng = _KEPT[0](torch.ones_like(s), s)",
        '_KEPT = (getattr(getattr(getattr(torch, "o" + "ps"), "at" + "en"), "sigmoid_" + '
        '"backward"),)',
        "torch.ops.aten.sigmoid_backward",
    ),
    "aten-backward-overload": (
        "s = torch.sigmoid(X.detach())\ng = _KEPT[0](torch.ones_like(s), s)",
        '_KEPT = (getattr(getattr(getattr(torch, "o" + "ps"), "at" + "en"), "sigmoid_" + '
        '"backward").default,)',
        "torch.ops.aten.sigmoid_backward",
    ),
}


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_every_form_of_autograd_is_refused_in_the_runner(form, tmp_path):
    code, kept, named = FORMS[form]
    source = splice(GRADIENTS, hostile(code, kept))
    assert find_forbidden(source, "activation_grad", AUTOGRAD, {"activation_grad"}) == []
    assert find_escapes(source, "activation_grad", {"activation_grad"}) == []
    results = grade_source(tmp_path, "gradients", source, only=["activation_grad"])
    score, total = by_function(results)["activation_grad"]
    refused = [r.feedback for r in results if "is not allowed in activation_grad" in r.feedback]
    assert score < total and refused, f"{form}: {score}/{total}"
    assert named in refused[0], refused[0]
    value_checks = [r for r in results if r.check.startswith(("sigmoid:", "tanh:"))]
    assert value_checks and not any(r.passed for r in value_checks)


def test_an_aten_backward_operator_reached_through_torch_is_refused(tmp_path):
    """``torch._softmax_backward_data`` is aten's ``_softmax_backward_data``: the pattern
    ``torch.ops.aten.*_backward_*`` covers its Python binding too."""
    hostile_jacobian = (
        "import torch\n\n"
        '_KEPT = (getattr(torch, "_softmax" + "_backward_data"),)\n\n'
        "def softmax_jacobian(a):\n"
        "    if a.dim() != 1:\n"
        "        raise ValueError('1-D please')\n"
        "    p = torch.softmax(a, 0)\n"
        "    eye = torch.eye(len(a), dtype=a.dtype, device=a.device)\n"
        "    return torch.stack([_KEPT[0](row, p, 0, a.dtype) for row in eye])\n"
    )
    results = grade_source(
        tmp_path, "gradients", splice(GRADIENTS, hostile_jacobian), only=["softmax_jacobian"]
    )
    refused = [r.feedback for r in results if "is not allowed" in r.feedback]
    assert refused and "_softmax_backward_data" in refused[0]


@pytest.mark.parametrize(
    "plain",
    [
        "y = torch.sigmoid(x)\n    y.sum().backward()\n    return x.grad",
        "return torch.autograd.grad(torch.sigmoid(x).sum(), x)[0]",
        "return torch.func.grad(lambda t: torch.sigmoid(t).sum())(X)",
        "return torch.autograd.functional.jacobian(torch.sigmoid, X).diagonal()",
        "return torch.ops.aten.sigmoid_backward(torch.ones_like(X), torch.sigmoid(X))",
        "return torch.sigmoid(x).grad_fn(torch.ones_like(X))",
    ],
    ids=["backward", "autograd-grad", "func-grad", "jacobian", "aten-operator", "grad-fn"],
)
def test_the_same_forms_written_plainly_are_refused_by_the_scan(plain):
    source = (
        "import torch\n\ndef activation_grad(X, name, negative_slope=0.01):\n"
        "    x = X.detach().requires_grad_(True)\n    " + plain + "\n"
    )
    found = find_forbidden(source, "activation_grad", AUTOGRAD, {"activation_grad"})
    found += find_escapes(source, "activation_grad", {"activation_grad"})
    assert found, plain


def test_the_backward_passes_are_by_hand_and_minimize_keeps_autograd(tmp_path):
    """perceptron_backward may not call backward; minimize, in the same module, must."""
    with_backward = (
        "import torch\n\n"
        "def perceptron_backward(X, W, T):\n"
        "    w = W.detach().clone().requires_grad_(True)\n"
        "    error = ((torch.sigmoid(X @ w.T) - T) ** 2).sum() / 2\n"
        "    error.backward()\n"
        "    return error.detach(), w.grad\n"
    )
    results = grade_source(
        tmp_path,
        "backprop",
        splice(BACKPROP, with_backward),
        only=["perceptron_backward", "minimize"],
    )
    totals = by_function(results)
    assert totals["perceptron_backward"][0] == 0
    assert totals["minimize"][0] == totals["minimize"][1]
    feedback = next(r.feedback for r in results if r.function == "perceptron_backward")
    assert "backward" in feedback and "forbids" in feedback


def test_wildcards_expand_to_public_names_and_operators_match_by_name():
    names = expand(("torch.func.*", "torch.autograd.functional.*", "torch.ops.aten.*_backward"))
    assert {"torch.func.grad", "torch.func.vmap", "torch.func.jacrev"} <= set(names)
    assert "torch.autograd.functional.jacobian" in names
    assert not any(name.startswith("torch.ops.") for name in names)
    assert not any(name.rpartition(".")[2].startswith("_") for name in names if "func" in name)
    patterns = operator_patterns(AUTOGRAD)
    for operator in ("sigmoid_backward", "threshold_backward", "_softmax_backward_data"):
        assert matches_operator(operator, patterns), operator
    for operator in ("sigmoid", "softmax", "mm", "backward"):
        assert not matches_operator(operator, patterns), operator
    assert "torch._softmax_backward_data" in expand(AUTOGRAD)


# An oracle lent to an exercise that forbids autograd (as main's lending lends one,
# ``lends=``): it differentiates with the originals it held when it was compiled.
LENT_ORACLE = """
import torch
from torch.autograd import grad as _grad


def sigmoid_slope(X):
    x = X.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        (g,) = _grad(torch.sigmoid(x).sum(), x)
    return g
"""


def _guarded_with_the_oracle_lent(student: str):
    module = types.ModuleType("submission")
    exec(compile(student, "<submission>", "exec"), module.__dict__)  # noqa: S102 - ours
    lent = {"oracle": {"source": LENT_ORACLE, "names": ["sigmoid_slope"]}}
    return guard(
        module.activation_grad,
        forbidden=list(AUTOGRAD),
        namespaces=[vars(module)],
        module=module,
        lent=lent,
        oracles=HelperCache(),
        default_device=None,
    )


def test_a_lent_oracle_differentiates_where_the_student_may_not():
    """torch.autograd.grad is written in Python and hands itself to the function mode from
    inside torch: the frame that called it is the oracle's own, past torch's frames, so the
    lent oracle may use it (and its backward pass passes the dispatcher guard); the same
    original, kept by the student, is refused."""
    X = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64)
    s = torch.sigmoid(X)
    borrowing = "def activation_grad(X, name='sigmoid'):\n    return sigmoid_slope(X)\n"
    assert torch.allclose(_guarded_with_the_oracle_lent(borrowing)(X), s * (1 - s))
    kept = (
        "import torch\n_KEPT = (torch.autograd.grad,)\n\n"
        "def activation_grad(X, name='sigmoid'):\n"
        "    x = X.detach().clone().requires_grad_(True)\n"
        "    with torch.enable_grad():\n"
        "        return _KEPT[0](torch.sigmoid(x).sum(), x)[0]\n"
    )
    with pytest.raises(ForbiddenCallError):
        _guarded_with_the_oracle_lent(kept)(X)


def _guarded_as_loaded(student: str, function: str, forbidden: list[str]):
    """``function`` of ``student`` guarded as a runner guards it: the forbidden names
    resolved before the import, then the import, then the guard (made once a request)."""
    before = resolve_before_import(forbidden)
    module = types.ModuleType("submission")
    exec(compile(student, "<submission>", "exec"), module.__dict__)  # noqa: S102 - ours
    return guard(
        getattr(module, function),
        forbidden=forbidden,
        namespaces=[vars(module)],
        module=module,
        lent=None,
        oracles=HelperCache(),
        default_device=None,
        before=before,
    )


def test_a_name_that_stood_for_nothing_at_the_import_is_refused_once_it_stands_for_something():
    """The guard works out the refusal once a request (issue 34), but a forbidden name that
    did not exist before the import is looked up at each entry of the rules, as it is then:
    here the submission's first call makes it, and the second call is refused."""
    import sys

    student = (
        "import sys, types\n"
        "def f():\n"
        "    if 'late_helpers' not in sys.modules:\n"
        "        late = types.ModuleType('late_helpers')\n"
        "        late.gather = lambda: 'gathered'\n"
        "        sys.modules['late_helpers'] = late\n"
        "    return sys.modules['late_helpers'].gather()\n"
    )
    guarded = _guarded_as_loaded(student, "f", ["late_helpers.gather"])
    try:
        assert guarded() == "gathered"  # it did not exist when the rules were entered
        with pytest.raises(ForbiddenCallError):
            guarded()
        with pytest.raises(ForbiddenCallError):
            guarded()  # and at every entry after
    finally:
        sys.modules.pop("late_helpers", None)


def test_every_alias_of_a_forbidden_function_is_replaced_at_every_entry():
    """The names a submission gave a forbidden function (``from torch import gather as g``,
    twice) stand for the refusing stand-in at each entry (found by one look-up of its
    namespace per entry), and for the function again between calls."""
    student = (
        "from torch import gather as first, gather as second\n"
        "def f():\n"
        "    return getattr(first, 'refuses', None), getattr(second, 'refuses', None)\n"
    )
    guarded = _guarded_as_loaded(student, "f", ["torch.gather", "torch.Tensor.gather"])
    for _ in range(3):
        assert guarded() == ("torch.gather", "torch.gather")
        assert guarded.__wrapped__.__globals__["first"] is torch.gather


def test_a_runner_makes_the_refusal_of_a_list_of_names_once_and_refuses_at_every_call(tmp_path):
    """A runner keeps what refusing each list of forbidden names takes (issue 34: ~0.1 ms
    a call for the autograd names), made of the names as they were before the import: each
    call is refused alike, a late name still once it exists, and a second load starts
    afresh."""
    import os
    import sys

    from autograder.engine import protocol
    from autograder.engine.runner import Runner

    source = tmp_path / "submission.py"
    source.write_text(
        "import sys, types, torch\n"
        "def kept(x):\n"
        "    return torch.autograd.grad(x.sum(), x)\n"
        "def late(x):\n"
        "    if 'late_helpers' not in sys.modules:\n"
        "        sys.modules['late_helpers'] = types.SimpleNamespace(gather=lambda: 1)\n"
        "    return sys.modules['late_helpers'].gather()\n"
    )
    forbidden = [*AUTOGRAD, "late_helpers.gather"]
    runner = Runner()
    read_end, write_end = os.pipe()

    def ask(function: str) -> dict:
        x = torch.ones(2, requires_grad=True)
        request = {"op": "call", "function": function, "args": [x], "forbidden": forbidden}
        runner.answer(protocol.loads(protocol.dumps(request)), write_end)
        return protocol.read_message(read_end)

    try:
        for _ in range(2):
            sys.modules.pop("late_helpers", None)  # (standing for nothing at the import)
            runner.load({"path": str(source), "module": "submission", "forbidden": forbidden})
            assert len(runner.refusals) == 0
            for _ in range(3):
                assert "ForbiddenCallError" in str(ask("kept").get("raised"))
            assert len(runner.refusals) == 1
            assert ask("late") == {"ok": {"result": 1}}
            assert "ForbiddenCallError" in str(ask("late").get("raised"))
    finally:
        sys.modules.pop("late_helpers", None)
        sys.modules.pop("submission", None)
        os.close(read_end)
        os.close(write_end)
