"""Hostile submissions are contained: the rest of the module is still graded correctly.

Each case splices a hostile function into the reference solution (or replaces the whole
module) and checks that only the hostile function loses points, with a clear message.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from autograder.batch.model import BatchResults
from autograder.batch.outputs import write_outputs
from autograder.grading.model import GradeReport, StudentResult
from autograder.report import RENDERERS, render
from autograder.report.common import points
from autograder.report.selfcheck import render_check_summary
from autograder.report.summary import render_summary_text
from autograder.report.text import render_text
from tests.gradelib import FILL_THE_DISK, SOLUTIONS, by_function, filled, grade_source, splice

TENSORS = (SOLUTIONS / "tensors.py").read_text()
HOSTILE = Path(__file__).resolve().parent / "submissions" / "hostile"


def _only_function_fails(results, function):
    totals = by_function(results)
    assert totals[function][0] == 0, f"{function} kept points: {totals[function]}"
    for other, (score, total) in totals.items():
        if other != function:
            assert score == total, f"{other} lost points: {score}/{total}"
    return [r.feedback for r in results if r.function == function]


def test_infinite_loop_is_timed_out_and_only_that_function_fails(tmp_path):
    source = splice(TENSORS, "def gather(input, dim, index):\n    while True:\n        pass\n")
    start = time.monotonic()
    results = grade_source(tmp_path, "tensors", source)
    elapsed = time.monotonic() - start
    feedback = _only_function_fails(results, "gather")
    assert "timed out" in feedback[0]
    assert any("not run" in text for text in feedback[1:])
    # Containment, not a speed target: without the timeout this would never end.
    assert elapsed < 120


def test_os_exit_inside_a_function(tmp_path):
    source = splice(TENSORS, "import os\n\ndef broadcast_to(x, shape):\n    os._exit(3)\n")
    feedback = _only_function_fails(grade_source(tmp_path, "tensors", source), "broadcast_to")
    assert "exited with status 3" in feedback[0]


def test_sys_exit_inside_a_function_is_an_exception(tmp_path):
    source = splice(TENSORS, "import sys\n\ndef gather(input, dim, index):\n    sys.exit(0)\n")
    feedback = _only_function_fails(grade_source(tmp_path, "tensors", source), "gather")
    assert "SystemExit" in feedback[0]


def test_segfault_via_ctypes(tmp_path):
    hostile = "import ctypes\n\ndef gather(input, dim, index):\n    return ctypes.string_at(0)\n"
    feedback = _only_function_fails(
        grade_source(tmp_path, "tensors", splice(TENSORS, hostile)), "gather"
    )
    assert "SIGSEGV" in feedback[0]


def test_memory_exhaustion_is_refused(tmp_path):
    hostile = (
        "import torch\n\n"
        "def broadcast_to(x, shape):\n"
        "    hog = torch.ones(4 * 1024**3)  # 16 GB, over the runner's memory limit\n"
        "    return hog\n"
    )
    feedback = _only_function_fails(
        grade_source(tmp_path, "tensors", splice(TENSORS, hostile)), "broadcast_to"
    )
    assert "did not return" in feedback[0]


def test_printing_gigabytes_is_cut_off(tmp_path):
    hostile = "def broadcast_shapes(*shapes):\n    while True:\n        print('x' * 1_000_000)\n"
    feedback = _only_function_fails(
        grade_source(tmp_path, "tensors", splice(TENSORS, hostile)), "broadcast_shapes"
    )
    assert "No space" in feedback[0] or "File too large" in feedback[0] or "OSError" in feedback[0]


def test_a_runner_fills_only_its_own_bounded_folder(tmp_path):
    """Its folder is a tmpfs of 64 MiB and 1024 files: nothing reaches the real disk."""
    feedback = _only_function_fails(
        grade_source(tmp_path, "tensors", splice(TENSORS, FILL_THE_DISK)), "broadcast_to"
    )
    filled(feedback[0])


def test_sys_exit_at_import_scores_zero_with_a_message(tmp_path):
    results = grade_source(tmp_path, "tensors", TENSORS + "\nimport sys\nsys.exit(1)\n")
    assert sum(r.score for r in results) == 0
    assert all("could not import" in r.feedback and "SystemExit" in r.feedback for r in results)


def test_syntax_error_scores_zero_with_the_line(tmp_path):
    results = grade_source(tmp_path, "tensors", TENSORS + "\ndef broken(:\n    pass\n")
    assert sum(r.score for r in results) == 0
    assert all("SyntaxError" in r.feedback and "line" in r.feedback for r in results)


def test_import_that_hangs_scores_zero(tmp_path):
    results = grade_source(
        tmp_path, "tensors", TENSORS + "\nwhile True:\n    pass\n", import_timeout=3
    )
    assert sum(r.score for r in results) == 0
    assert all("timed out" in r.feedback for r in results)


def test_forbidden_call_captured_at_import_is_still_refused(tmp_path):
    hostile = (
        "import torch\n"
        "_take = torch.gather\n\n"
        "def gather(input, dim, index):\n"
        "    return _take(input, dim, index)\n"
    )
    results = grade_source(tmp_path, "tensors", splice(TENSORS, hostile))
    feedback = _only_function_fails(results, "gather")
    assert "torch.gather" in feedback[0]


@pytest.mark.parametrize(
    "reached",
    [
        'getattr(getattr(torch._C, "_Variable" + "Functions"), "ga" + "ther")',  # torch.gather
        'getattr(getattr(torch, "o" + "ps").aten, "ga" + "ther").default',  # the operator
        'getattr(torch._C.TensorBase, "ga" + "ther")',  # the method, from the base class
    ],
    ids=["variable-functions", "aten-operator", "tensor-base-method"],
)
def test_forbidden_call_kept_where_no_name_is_patched_or_spelled_is_refused(tmp_path, reached):
    """Kept in a tuple at import, so that no name of the module holds it: neither the name
    patch nor the source scan sees these; torch's function mode does."""
    hostile = (
        "import torch\n"
        f"_KEPT = ({reached},)\n\n"
        "def gather(input, dim, index):\n"
        "    return _KEPT[0](input, dim, index)\n"
    )
    results = grade_source(tmp_path, "tensors", splice(TENSORS, hostile))
    feedback = _only_function_fails(results, "gather")
    assert "is not allowed" in feedback[0], feedback[0]


@pytest.mark.parametrize(
    "hostile",
    [
        "import torch\n"
        "import torch.overrides\n"
        "_KEPT = (torch.gather,)\n"
        "torch.overrides.TorchFunctionMode.__enter__ = lambda self: self\n"
        "torch.overrides.TorchFunctionMode.__exit__ = lambda self, *exc: None\n\n"
        "def gather(input, dim, index):\n"
        "    return _KEPT[0](input, dim, index)\n",
        "import contextlib\n"
        "import torch\n"
        "_KEPT = (torch.gather,)\n"
        "_SCOPE = contextlib._GeneratorContextManager\n"
        "_enter, _exit = _SCOPE.__enter__, _SCOPE.__exit__\n"
        "_RULES = lambda scope: getattr(scope.func, '__name__', '') == 'rules'\n"
        "_SCOPE.__enter__ = lambda scope: None if _RULES(scope) else _enter(scope)\n"
        "_SCOPE.__exit__ = lambda scope, *exc: False if _RULES(scope) else _exit(scope, *exc)\n\n"
        "def gather(input, dim, index):\n"
        "    return _KEPT[0](input, dim, index)\n",
        "import builtins\n"
        "import sys\n"
        "import torch\n"
        "_KEPT = (torch.gather,)\n"
        "_isinstance = builtins.isinstance\n\n"
        "def _lying(value, kinds):\n"
        "    if value is _KEPT[0] and sys._getframe(1).f_code.co_name == '__init__':\n"
        "        return True  # 'a class': the function mode leaves it to the patch\n"
        "    return _isinstance(value, kinds)\n\n"
        "builtins.isinstance = _lying\n\n"
        "def gather(input, dim, index):\n"
        "    return _KEPT[0](input, dim, index)\n",
        "import inspect\n"
        "import torch\n"
        "_KEPT = (torch.gather,)\n"
        "inspect.isdatadescriptor = lambda value: True\n\n"
        "def gather(input, dim, index):\n"
        "    return _KEPT[0](input, dim, index)\n",
        "import torch\n"
        "import torch._ops\n"
        "_KEPT = (getattr(getattr(torch, 'o' + 'ps').aten, 'ga' + 'ther'),)\n"
        "torch._ops.OpOverload = torch._ops.OpOverloadPacket = type('Other', (), {})\n\n"
        "def gather(input, dim, index):\n"
        "    return _KEPT[0](input, dim, index)\n",
        "import torch\n"
        "_take = torch.gather\n"
        "torch.gather = lambda *args, **kwargs: None\n\n"
        "def gather(input, dim, index):\n"
        "    return _take(input, dim, index)\n",
        "import torch\n"
        "_take = torch.Tensor.gather\n"
        "torch.Tensor.gather = lambda *args, **kwargs: None\n\n"
        "def gather(input, dim, index):\n"
        "    return _take(input, dim, index)\n",
        "import sys\nimport types\nimport torch\n"
        "sys.modules['torch'] = types.ModuleType('torch')\n\n"
        "def gather(input, dim, index):\n"
        "    return getattr(torch, 'ga' + 'ther')(input, dim, index)\n",
    ],
    ids=[
        "mode-never-entered",
        "rules-never-entered",
        "a-lying-isinstance",
        "nothing-a-descriptor",
        "operators-unknown",
        "rebind-the-function",
        "rebind-the-method",
        "plant-a-module",
    ],
)
def test_a_forbidden_name_rebound_at_import_still_refuses_the_original(tmp_path, hostile):
    """Rebinding a forbidden name (or planting a module in sys.modules) at import, before any
    call, named a decoy as the forbidden function: the original passed the refusal (a hostile
    student scored full marks with torch.gather).  So did rebinding what the refusal looked
    up at each call: the function mode's ``__enter__`` (on torch's base class), that of
    contextlib's class (so that the call's rules never started), a builtin,
    ``inspect.isdatadescriptor``, torch's operator types.  Written out, nothing the scan
    refuses."""
    feedback = _only_function_fails(
        grade_source(tmp_path, "tensors", splice(TENSORS, hostile)), "gather"
    )
    assert "is not allowed" in feedback[0], feedback[0]


GATHER_CHECKS = (
    "    if index.dim() != input.dim():\n"
    "        raise ValueError('index and input differ in dimensions')\n"
    "    if index.numel() and (index.min() < 0 or index.max() >= input.size(dim)):\n"
    "        raise IndexError('index out of range')\n"
)


@pytest.mark.parametrize(
    "escape",
    [
        "    with torch._C.DisableTorchFunction():\n"
        "        return getattr(torch, 'ga' + 'ther')(input, dim, index)\n",
        "    import threading\n"
        "    out = []\n"
        "    work = lambda: out.append(getattr(torch, 'ga' + 'ther')(input, dim, index))\n"
        "    thread = threading.Thread(target=work)\n"
        "    thread.start()\n"
        "    thread.join()\n"
        "    return out[0]\n",
        "    from torch.overrides import _pop_mode_temporarily\n"
        "    with _pop_mode_temporarily():\n"
        "        return getattr(torch, 'ga' + 'ther')(input, dim, index)\n",
        "    mode = torch.overrides._get_current_function_mode_stack()[-1]\n"
        "    mode.__exit__(None, None, None)\n"
        "    try:\n"
        "        return getattr(torch, 'ga' + 'ther')(input, dim, index)\n"
        "    finally:\n"
        "        mode.__enter__()\n",
        "    import sys\n"
        "    runner = sys.modules['autograder.engine.runner']\n"
        "    runner.RefuseForbidden.__torch_function__ = (\n"
        "        lambda self, func, types, args=(), kwargs=None: func(*args, **(kwargs or {})))\n"
        "    return getattr(torch, 'ga' + 'ther')(input, dim, index)\n",
        "    unit = torch.jit.CompilationUnit(\n"
        "        'def f(x, d: int, i):\\n    return torch.' + 'ga' + 'ther(x, d, i)\\n')\n"
        "    return unit.f(input, dim, index)\n",
    ],
    ids=[
        "disable-torch-function",
        "another-thread",
        "pop-the-mode",
        "exit-the-mode",
        "patch-the-runner",
        "torchscript",
    ],
)
def test_switching_off_the_refusal_is_caught_by_the_source_scan(tmp_path, escape):
    """The runner's refusal is a torch function mode: thread-local, and student code in the
    same process can disable or pop it (an attacker got 30/30 with the first)."""
    hostile = "import torch\n\ndef gather(input, dim, index):\n" + GATHER_CHECKS + escape
    feedback = _only_function_fails(
        grade_source(tmp_path, "tensors", splice(TENSORS, hostile)), "gather"
    )
    assert "could switch off the refusal" in feedback[0], feedback[0]


def test_an_expression_too_deep_to_print_costs_only_its_function(tmp_path):
    """ast.unparse of a hit overflowed the judge's stack: no report at all (an attacker)."""
    deep = "- " * 2500 + "input"
    hostile = f"def gather(input, dim, index):\n    return ({deep}).gather(dim, index)\n"
    feedback = _only_function_fails(
        grade_source(tmp_path, "tensors", splice(TENSORS, hostile)), "gather"
    )
    assert "nested too deeply" in feedback[0], feedback[0]


def test_undoing_the_patch_is_caught_by_the_source_scan(tmp_path):
    hostile = (
        "import importlib\n\n"
        "def gather(input, dim, index):\n"
        "    import torch._C\n"
        "    return torch._C._VariableFunctions.gather(input, dim, index)\n"
    )
    feedback = _only_function_fails(
        grade_source(tmp_path, "tensors", splice(TENSORS, hostile)), "gather"
    )
    assert "torch.gather" in feedback[0] and "forbids" in feedback[0]


def test_patching_torch_in_the_runner_cannot_fool_the_judge(tmp_path):
    """A submission that makes every comparison succeed in its own process gains nothing."""
    wrong = (
        "def gather(input, dim, index):\n    return torch.zeros(index.shape, dtype=input.dtype)\n"
    )
    patches = (
        "import torch\n"
        "torch.equal = lambda *a, **k: True\n"
        "torch.allclose = lambda *a, **k: True\n"
        "torch.testing.assert_close = lambda *a, **k: None\n\n"
    )
    honest = by_function(grade_source(tmp_path, "tensors", splice(TENSORS, wrong)))
    hostile = by_function(grade_source(tmp_path, "tensors", splice(TENSORS, patches + wrong)))
    # The same points as the same wrong function without the patches (it does leave its
    # inputs alone: that check's point is its own), and every other function's full marks.
    assert hostile == honest
    assert hostile["gather"][0] < hostile["gather"][1] / 2
    assert all(score == total for name, (score, total) in hostile.items() if name != "gather")


@pytest.mark.parametrize(
    "submission, says",
    [
        ("hollow_tensors.py", "only plain tensors can be judged"),
        ("encoder_without_values.py", "a tensor on cpu without values"),
    ],
)
def test_tensors_without_values_do_not_score(tmp_path, submission, says):
    """Issue 27: functions that compute nothing and send no values scored 11 of their 20
    points here (hidden checks included), where zeros of the right shapes score 2.  The
    judge, not the runner's encoder, decides that values must come back."""
    hostile = (HOSTILE / submission).read_text()
    results = grade_source(tmp_path, "tensors", splice(TENSORS, hostile))
    totals = by_function(results)
    assert totals["gather"][0] == 0 and totals["broadcast_to"][0] == 0, totals
    assert totals["broadcast_shapes"][0] == totals["broadcast_shapes"][1], totals
    agrees = [
        r.feedback
        for r in results
        if r.function in ("gather", "broadcast_to") and r.check.startswith("agrees with torch.")
    ]
    assert len(agrees) == 2 and all(says in text for text in agrees), agrees


def test_a_probe_that_reports_fewer_gradients_gains_nothing(tmp_path):
    """The gradients of a call were compared pair by pair with what came back: a rewritten
    probe that answered with no gradients made the comparison pass on nothing.  The judge
    now wants one gradient (or None) per input it asked about."""
    for name in ("honest", "hostile"):
        (tmp_path / name).mkdir()
    detached = splice(TENSORS, "_graded = gather\ngather = lambda *a: _graded(*a).detach()\n")
    honest = by_function(grade_source(tmp_path / "honest", "tensors", detached))
    hostile_source = splice(TENSORS, (HOSTILE / "probe_without_gradients.py").read_text())
    results = grade_source(tmp_path / "hostile", "tensors", hostile_source)
    hostile = by_function(results)
    # gather scores what the same function scores without the rewritten probe; the probe
    # serves every function of the module: broadcast_to's gradients fail too.
    assert hostile["gather"] == honest["gather"], (hostile, honest)
    assert hostile["broadcast_to"][0] < honest["broadcast_to"][0], (hostile, honest)
    (differentiable,) = [r for r in results if r.check.startswith("is differentiable in input")]
    assert not differentiable.passed
    assert "grads holds 0 items where the call asked for 1" in differentiable.feedback


@pytest.mark.parametrize("secret", ["GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY"])
def test_runner_environment_is_scrubbed_and_private(tmp_path, monkeypatch, secret):
    monkeypatch.setenv(secret, "hunter2")
    probe = (
        "import os, resource\n"
        "limits = resource.getrlimit(resource.RLIMIT_AS)[0], "
        "resource.getrlimit(resource.RLIMIT_CORE)[0]\n"
        "raise RuntimeError(repr((sorted(os.environ), os.getcwd(), *limits)))\n"
    )
    results = grade_source(tmp_path, "tensors", probe)
    message = results[0].feedback
    assert secret not in message and "hunter2" not in message
    assert "autograder-runner-" in message  # a private temporary working folder
    assert str(tmp_path) not in message.split("RuntimeError")[1].split("]")[1]
    assert ", 0)" in message  # no core dumps


def test_a_runner_that_kills_itself_is_reported(tmp_path):
    source = splice(
        TENSORS, "import ctypes\n\ndef broadcast_to(x, shape):\n    ctypes.string_at(0)\n"
    )
    feedback = _only_function_fails(grade_source(tmp_path, "tensors", source), "broadcast_to")
    assert "killed by SIGSEGV" in feedback[0]


def test_the_runner_sees_no_process_outside_its_sandbox(tmp_path):
    """PID 1 of its own PID namespace: no parent in sight, no other process to signal."""
    source = splice(
        TENSORS,
        "import os\n\ndef broadcast_shapes(*shapes):\n    return (os.getpid(), os.getppid())\n",
    )
    results = grade_source(tmp_path, "tensors", source)
    reported = [r.feedback for r in results if r.function == "broadcast_shapes" and r.feedback]
    assert any("Got: (1, 0)" in text for text in reported), reported


# Clears the screen, homes the cursor and prints a forged total (with C1's one-byte CSI and
# rich markup as well): shown on a terminal or in a pager, the report would say 30/30.
FORGED_TOTAL = (
    "\x1b[2J\x1b[H\x1b]0;graded\x07Total: 30/30 (100%)\r\x9b2J\x85[bold red]forged[/bold red]"
)
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_student_text_cannot_forge_the_report_in_any_format(tmp_path):
    """Exception messages are data: every control character is shown escaped, in every
    format a student or an instructor reads (an attacker's ANSI escapes hid the real 7/30)."""
    hostile = f"def gather(input, dim, index):\n    raise ValueError({FORGED_TOTAL!r})\n"
    results = grade_source(tmp_path, "tensors", splice(TENSORS, hostile))
    feedback = [r.feedback for r in results if r.function == "gather" and not r.passed]
    assert "\\x1b[2J" in feedback[0] and "Total: 30/30" in feedback[0], feedback[0]
    report = GradeReport(results, execution_time=1.0)
    real_total = f"Total: {points(report.score)}/{points(report.max_score)}"
    student = StudentResult("mallory", "mallory", results, 1.0)
    broken = StudentResult(
        "eve\x1b[2J[bold]", "eve", [], 0.0, error=f"could not be graded: {FORGED_TOTAL}"
    )
    classes = BatchResults(["tensors"], [student, broken], exercises=[("tensors", "gather")])
    summary = write_outputs(tmp_path / "class", classes)
    shown = {fmt: render(report, fmt) for fmt in RENDERERS}
    shown["text in colour"] = render_text(report, color=True)
    shown["summary text"] = render_summary_text(summary)
    shown["check"] = render_check_summary(results)
    for path in sorted((tmp_path / "class").rglob("*")):
        if path.suffix in (".md", ".json", ".csv", ".xml"):
            shown[path.name] = path.read_text(encoding="utf-8")
    for fmt, text in shown.items():
        if fmt != "text in colour":  # where rich writes escapes of its own
            assert not RAW_CONTROL.search(text), (fmt, RAW_CONTROL.findall(text))
        assert "\x1b[2J" not in text and "\x9b" not in text, fmt
    assert real_total in shown["text"] and real_total in shown["text in colour"]
    assert "[bold red]forged[/bold red]" in shown["text"]  # rich markup shown, not applied
    assert "eve\\x1b[2J[bold]" in shown["summary text"]
    gradescope = json.loads(shown["json"])
    assert "\\x1b[2J" in "".join(test["output"] for test in gradescope["tests"])


# broadcast_shapes keeps every call in every place a later runner might look (its module,
# builtins, torch, sys.modules, the environment, files in its folder, home and /tmp, its
# output), and broadcast_to, the next exercise, raises whatever it finds there.
KEEPS_EVERY_CALL = """
import builtins
import os
import sys
import types

import torch

PLACES = ("calls.log", os.path.expanduser("~/calls.log"), "/tmp/calls.log")


def broadcast_shapes(*shapes):
    text = repr(shapes)
    for path in PLACES:
        try:
            with open(path, "a") as log:
                log.write(text + "\\n")
        except OSError:
            pass
    for place in (globals(), vars(builtins), vars(torch)):
        place.setdefault("CALLS", []).append(text)
    kept = sys.modules.setdefault("calls", types.ModuleType("calls"))
    kept.__dict__.setdefault("CALLS", []).append(text)
    os.environ["CALLS"] = os.environ.get("CALLS", "") + text
    print(text)
    ndim = max((len(shape) for shape in shapes), default=0)
    result = []
    for column in zip(*([1] * (ndim - len(s)) + [int(n) for n in s] for s in shapes)):
        sizes = {size for size in column if size != 1}
        if len(sizes) > 1:
            raise ValueError("shapes do not broadcast")
        result.append(sizes.pop() if sizes else 1)
    return tuple(result)


def broadcast_to(x, shape):
    found = [os.environ.get("CALLS", "")]
    for place in (globals(), vars(builtins), vars(torch), vars(sys.modules.get("calls", os))):
        found.append(repr(place.get("CALLS")))
    for path in PLACES:
        try:
            with open(path) as log:
                found.append(log.read())
        except OSError:
            pass
    raise RuntimeError("found " + " ".join(found))
"""
# Inputs only the hidden check of broadcast_shapes gives (a list or a torch.Size first).
HIDDEN_ONLY = ("[5, 1]", "[4, 1]", "Size(")


def test_nothing_a_hidden_check_was_given_reaches_the_next_exercise(tmp_path):
    """The hidden check runs last in its exercise's runner; the next exercise starts in a
    fresh one, where none of the places its calls were kept in holds them."""
    results = grade_source(
        tmp_path,
        "tensors",
        splice(TENSORS, KEEPS_EVERY_CALL),
        only=["broadcast_shapes", "broadcast_to"],
    )
    assert all(r.passed for r in results if r.function == "broadcast_shapes")
    shown = " ".join(r.feedback for r in results if r.visible)
    assert "found" in shown  # broadcast_to looked
    assert not [text for text in HIDDEN_ONLY if text in shown], shown[:2000]


@pytest.mark.unit
@pytest.mark.parametrize("error", [ValueError("v"), StopIteration(), SystemExit(3)])
def test_the_runners_own_with_blocks_pass_errors_on_as_contextlibs_do(error):
    """The runner's with-blocks are its own (contextlib's class is the submission's to
    rebind): a student's error goes on unchanged, StopIteration included (PEP 479)."""
    from autograder.engine.runner import contextmanager

    @contextmanager
    def scope():
        try:
            yield "entered"
        finally:
            pass

    with pytest.raises(type(error)) as raised, scope() as entered:
        assert entered == "entered"
        raise error
    assert raised.value is error
