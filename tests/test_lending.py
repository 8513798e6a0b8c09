"""Nothing confidential enters a runner (issue 27): no reference code, no hidden check.

A graded function built on another exercise (``train`` on ``train_epoch``, the Xavier
initialisers on ``fan_in_and_fan_out``) is lent stand-ins the judge chooses from the
exercise's declaration: an oracle (public code, the kit's) or a recorded-effect double
(data).  Every attack below is a submission that looks for what used to be sent:

- a function that names another exercise without calling it, and one that calls its lent
  helper, hunt the reference's source through the module's names, the frames, every object
  the garbage collector tracks and the runner's memory, and print what they find;
- a function that logs every call (in memory and in a file) and raises the log in a
  visible check declared after a hidden one; one that hangs in a hidden check.

The command-line attacks run as the tests' user and, under root, as an unprivileged grader.
"""

from __future__ import annotations

import json
import math
import sys
import textwrap

import pytest
import torch

from autograder.engine import protocol
from autograder.engine.runner import HelperCache, guard
from autograder.exercises.training import checks as training_checks
from autograder.exercises.training import probes
from autograder.grading.config import GradingConfig
from autograder.grading.lending import lending_for
from autograder.grading.registry import load_assignment
from autograder.grading.truth import GroundTruth
from tests.gradelib import ASSIGNMENTS, SOLUTIONS, grade_source, splice
from tests.test_containment import MODES, _run, home  # noqa: F401 - home: a fixture

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox is Linux's")

# A line of each reference the runner used to get (as ast.unparse writes it), in two parts
# so that it is never whole in this file or a submission; found in memory only indented.
NEEDLES = {
    "tensors": ("view[d] = ind", "ex.size(d)"),
    "mlp": ("receptive_fie", "ld *= size"),
    "training": ("total_correct +", "= int("),
}

# Looks for every needle: in the code the module's names are bound to, the frames' strings,
# the strings in every container the garbage collector tracks, and the runner's memory (the
# heap below the program break, and around a few live objects: a page at a time through a
# pipe, which says EFAULT for an unmapped page instead of crashing).
HUNT = textwrap.dedent(
    """
    _HUNTED = []

    def _hunt():
        import ctypes, gc, os, sys
        if _HUNTED:
            return _HUNTED[0]
        needles = [first + second for first, second in NEEDLE_PARTS]
        found = set()

        def look(text, where):
            for needle in needles:
                if needle in text:
                    found.add(where)

        for name, value in list(globals().items()):
            code = getattr(value, "__code__", None)
            for constant in getattr(code, "co_consts", ()):
                if isinstance(constant, str):
                    look(constant, "the code of " + name)
        frame = sys._getframe().f_back
        while frame is not None:
            for value in [*frame.f_locals.values(), *frame.f_globals.values()]:
                if isinstance(value, str):
                    look(value, "a frame")
            frame = frame.f_back
        for held in gc.get_objects():
            if held is needles or held is found:
                continue
            try:
                if isinstance(held, dict):
                    items = [*held.keys(), *held.values()]
                elif isinstance(held, (list, tuple, set, frozenset)):
                    items = list(held)
                else:
                    continue
            except Exception:
                continue
            for item in items:
                if isinstance(item, str) and len(item) > 12:
                    look(item, "an object in memory")
        libc = ctypes.CDLL(None, use_errno=True)
        libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
        libc.sbrk.argtypes = [ctypes.c_ssize_t]
        libc.sbrk.restype = ctypes.c_void_p
        read_end, write_end = os.pipe()
        page = 1 << 16
        scanned = set()

        def scan(address):
            if address <= 0 or address in scanned:
                return False
            scanned.add(address)
            if libc.write(write_end, address, page) != page:
                return False
            data = os.read(read_end, page)
            for needle in needles:
                at = data.find(needle.encode())
                while at >= 0:
                    if data[max(0, at - 4):at] == b"    ":
                        found.add("the runner's memory")
                    at = data.find(needle.encode(), at + 1)
            return True

        top = (libc.sbrk(0) or 0) & ~(page - 1)
        misses = 0
        for step in range(1, 1 << 15):  # the heap, down from the break (8 GiB at most)
            misses = 0 if scan(top - step * page) else misses + 1
            if misses > 64:
                break
        buffer = ctypes.create_string_buffer(1 << 20)
        near = [id(object()), id("x" * 100000), ctypes.addressof(buffer)]
        for base in near:
            for step in range(-1000, 1000):
                scan((base & ~(page - 1)) + step * page)
        _HUNTED.append(f"hunted {len(scanned)} pages, found {sorted(found)}")
        return _HUNTED[0]
    """
)


def _hostile(assignment: str, functions: str) -> str:
    parts = f"NEEDLE_PARTS = [{NEEDLES[assignment]!r}]\n"
    stub = (ASSIGNMENTS / f"{assignment}.py").read_text()
    return splice(stub, parts + HUNT + textwrap.dedent(functions))


# broadcast_to names gather and never calls it (it used to get gather's reference).
NAMES_GATHER = """
def broadcast_to(x, shape):
    if False:
        gather(x, 0, x)
    raise RuntimeError(_hunt())
"""
# xavier_uniform_ and train call their lent helper, then hunt while it is bound.
CALLS_FANS = """
def xavier_uniform_(tensor, gain=1.0):
    fan_in_and_fan_out(tensor)
    raise RuntimeError(_hunt())
"""
CALLS_TRAIN_EPOCH = """
def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    train_epoch(net, train_iter, loss, optimizer, device)
    raise RuntimeError(_hunt())
"""
# broadcast_shapes logs every call given a list (in memory and in a file of its folder) and
# raises the log in "returns a tuple of ints", the visible check declared after the hidden
# one, which alone passes ([5, 1], (1, 4)) and ((2, 1, 3), [4, 1]).
LOGS_AND_REPLAYS = """
CALLS = []

def broadcast_shapes(*shapes):
    if not all(type(shape) is tuple for shape in shapes):
        CALLS.append(repr(shapes))
        with open("calls.log", "a") as log:
            log.write(repr(shapes) + "\\n")
    if shapes == ((2, 1), [1, 3]):
        with open("calls.log") as log:
            raise RuntimeError("replayed: " + " ".join(CALLS) + " from the file: " + log.read())
    ndim = max((len(shape) for shape in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        padded = [1] * (ndim - len(shape)) + [int(size) for size in shape]
        for d, size in enumerate(padded):
            if result[d] == 1:
                result[d] = size
            elif size != 1 and size != result[d]:
                raise ValueError("shapes do not broadcast")
    return tuple(result)
"""
HIDDEN_INPUTS = ("[5, 1]", "[4, 1]")
HIDDEN_NAME = "edge cases"


def _feedback(tests: list[dict], tag: str) -> str:
    return " ".join(test["output"] for test in tests if test["tags"] == [tag])


@pytest.mark.parametrize("mode", MODES)
def test_no_reference_and_no_hidden_check_reaches_a_runner(home, mode):  # noqa: F811
    (home / "tensors.py").write_text(
        _hostile("tensors", NAMES_GATHER + LOGS_AND_REPLAYS), encoding="utf-8"
    )
    (home / "mlp.py").write_text(_hostile("mlp", CALLS_FANS), encoding="utf-8")
    (home / "training.py").write_text(_hostile("training", CALLS_TRAIN_EPOCH), encoding="utf-8")
    done = _run(mode, home, "grade", str(home), "--format", "json")
    assert done.returncode == 0, done.stderr
    tests = json.loads(done.stdout)["tests"]
    everything = " ".join(test["output"] for test in tests)
    for tag in ("tensors.broadcast_to", "mlp.xavier_uniform_", "training.train"):
        feedback = _feedback(tests, tag)
        assert "hunted" in feedback, feedback[:500]  # the hunt ran
        pages = int(feedback.split("hunted ")[1].split()[0])
        assert pages > 1000, feedback[:500]
        assert "found []" in feedback, feedback[:500]
    for first, second in NEEDLES.values():
        assert first + second not in everything
    replayed = _feedback(tests, "tensors.broadcast_shapes")
    assert "replayed: ((2, 1), [1, 3])" in replayed, replayed[:500]  # the log ran
    assert not [text for text in HIDDEN_INPUTS if text in everything], replayed[:1000]
    assert HIDDEN_NAME not in everything


# Hangs on the hidden check's list first (([5, 1], (1, 4))) only: correct everywhere else.
HANGS_IN_THE_HIDDEN_CHECK = """
def broadcast_shapes(*shapes):
    if shapes and type(shapes[0]) is list:
        while True:
            pass
    ndim = max((len(shape) for shape in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        padded = [1] * (ndim - len(shape)) + [int(size) for size in shape]
        for d, size in enumerate(padded):
            if result[d] == 1:
                result[d] = size
            elif size != 1 and size != result[d]:
                raise ValueError("shapes do not broadcast")
    return tuple(result)
"""


def test_a_hang_in_a_hidden_check_stops_no_visible_check_and_names_nothing(tmp_path):
    source = splice((SOLUTIONS / "tensors.py").read_text(), HANGS_IN_THE_HIDDEN_CHECK)
    results = grade_source(tmp_path, "tensors", source, only=["broadcast_shapes"])
    hidden = [r for r in results if not r.visible]
    assert [r.passed for r in hidden] == [False]
    assert all(r.passed for r in results if r.visible), [r.feedback for r in results]
    assert not [r for r in results if HIDDEN_NAME in r.feedback + r.check]


# -- the doubles ------------------------------------------------------------------------------
def _doubled_train(source: str, function: str = "train"):
    """The submission's ``function`` as the runner runs it: its module's own namespace, the
    helpers the judge lends bound in it (the grade of record's doubles)."""
    module = type(sys)("training")
    exec(compile(source, "training.py", "exec"), vars(module))  # noqa: S102 - the test's own
    assignment = load_assignment("training")
    exercise = next(e for e in assignment.exercises if e.name == function)
    truth = GroundTruth("reference").for_assignment(assignment)
    lending = lending_for(assignment, exercise, truth)
    assert lending is not None and lending.oracle is None

    def run(options: dict):
        lent = lending.for_call(
            probe=training_checks.PROBE,
            args=(),
            kwargs={},
            options=options,
            seed=0,
            default_device=None,
        )
        wire = protocol.to_runner_value(protocol.loads(protocol.dumps(lent)))
        guarded = guard(
            getattr(module, function),
            forbidden=[],
            namespaces=[vars(module)],
            module=module,
            lent=wire,
            oracles=HelperCache(),
            default_device=None,
        )
        torch.manual_seed(0)
        return probes.loop(guarded, **options), protocol.dumps(lent)

    return run


def test_a_double_gives_the_references_results_and_holds_no_code():
    """train with helpers that raise: the doubles alone make it end where the reference's
    train ends, and what was sent is data (no line of the reference's code)."""
    wrong_helpers = (
        "def train_epoch(*args, **kwargs):\n    raise AssertionError('not lent')\n"
        "def evaluate_accuracy(*args, **kwargs):\n    raise AssertionError('not lent')\n"
    )
    source = splice((SOLUTIONS / "training.py").read_text(), wrong_helpers)
    options = training_checks.options_for("train", num_epochs=3)
    report, sent = _doubled_train(source)(options)
    import autograder_solutions.training as reference

    torch.manual_seed(0)
    expected = probes.loop(reference.train, **options)
    assert report["result"] == expected["result"]
    assert not training_checks.state_differs(report["state"], expected["state"], 0, 0)
    assert report["iterations"] == expected["iterations"]  # the doubles read the iterators
    assert all(call["foreseen"] for call in report["lent"]) and len(report["lent"]) == 6
    for line in ("total_correct", "batch_loss.backward()", "def train_epoch"):
        assert line.encode() not in sent


def test_a_double_knows_the_data_by_what_it_holds_not_by_which_object_holds_it():
    """train handing its helpers a one-shot iterator and a list of the same batches: the
    calls the reference makes, on the same data."""
    materialised = (
        "def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):\n"
        "    history = []\n"
        "    for epoch in range(1, num_epochs + 1):\n"
        "        mean, acc = train_epoch(net, iter(train_iter), loss, optimizer, device)\n"
        "        test_acc = evaluate_accuracy(net, list(test_iter), device=device)\n"
        "        history.append({'epoch': epoch, 'train_loss': mean,\n"
        "                        'train_acc': acc, 'test_acc': test_acc})\n"
        "    return history\n"
    )
    source = splice((SOLUTIONS / "training.py").read_text(), materialised)
    options = training_checks.options_for("train", num_epochs=2)
    report, _ = _doubled_train(source)(options)
    assert all(call["foreseen"] for call in report["lent"]) and len(report["lent"]) == 4
    import autograder_solutions.training as reference

    torch.manual_seed(0)
    assert report["result"] == probes.loop(reference.train, **options)["result"]


def test_a_call_the_reference_never_makes_gets_nan_and_changes_nothing():
    """Evaluating before training: the first evaluation finds the net where the reference's
    train never evaluates it; the later ones find it where the reference's evaluated."""
    late = (
        "def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):\n"
        "    history = []\n"
        "    for epoch in range(1, num_epochs + 1):\n"
        "        test_acc = evaluate_accuracy(net, test_iter, device)\n"
        "        train_loss, train_acc = train_epoch(net, train_iter, loss, optimizer, device)\n"
        "        history.append({'epoch': epoch, 'train_loss': train_loss,\n"
        "                        'train_acc': train_acc, 'test_acc': test_acc})\n"
        "    return history\n"
    )
    source = splice((SOLUTIONS / "training.py").read_text(), late)
    report, _ = _doubled_train(source)(training_checks.options_for("train", num_epochs=2))
    foreseen = [(call["helper"], call["foreseen"]) for call in report["lent"]]
    assert foreseen == [
        ("evaluate_accuracy", False),
        ("train_epoch", True),
        ("evaluate_accuracy", True),
        ("train_epoch", True),
    ]
    first, second = report["result"]
    assert math.isnan(first["test_acc"]) and not math.isnan(second["test_acc"])


def test_what_is_lent_is_declared_not_named(tmp_path):
    """The judge lends from the declaration alone: the Xavier initialisers get the oracle
    fan_in_and_fan_out (public code), train the doubles of its two helpers (data), no other
    exercise anything, whatever a submission names."""
    lent = {}
    for name in ("tensors", "softmax_regression", "mlp", "training"):
        assignment = load_assignment(name)
        truth = GroundTruth("reference").for_assignment(assignment)
        for exercise in assignment.exercises:
            lending = lending_for(assignment, exercise, truth)
            if lending is not None:
                oracle = lending.oracle["names"] if lending.oracle else []
                lent[exercise.name] = (oracle, list(lending.recorded))
                source = lending.oracle["source"] if lending.oracle else ""
                assert "receptive" not in source  # the oracle's, not the reference's
    fans = (["fan_in_and_fan_out"], [])
    assert lent == {
        "xavier_uniform_": fans,
        "xavier_normal_": fans,
        "train": ([], ["train_epoch", "evaluate_accuracy"]),
    }
    config = GradingConfig.from_environment(replay=False)
    hostile = _hostile("tensors", NAMES_GATHER)
    results = grade_source(tmp_path, "tensors", hostile, only=["broadcast_to"], config=config)
    assert all("found []" in r.feedback for r in results), results[0].feedback
