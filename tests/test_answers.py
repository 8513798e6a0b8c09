"""The judge checks every answer against what it asked: nothing in it is believed.

The runner's encoder runs next to student code, which can rewrite it, so these answers are
built as a hostile runner could send them (through the wire format, as the judge decodes
them) and must be refused.
"""

from __future__ import annotations

import pytest
import torch

from autograder.engine import protocol
from autograder.engine.answers import (
    LOADED,
    Asked,
    MalformedAnswer,
    asked_by_call,
    check_answer,
)
from autograder.engine.protocol import Placed

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit

CALL = "autograder.engine.calls:call"
LOOP = "autograder.exercises.training.probes:loop"


def _wire(value):
    """``value`` as the judge receives it."""
    return protocol.loads(protocol.dumps(value))


def _meta_record(shape=(2,)):
    """A tensor without values, as an encoder that claims ``meta`` sends it."""
    return _wire(torch.empty(shape, device="meta"))


def _asked(*args, probe=CALL, options=None, forbidden=(), default_device=None, **kwargs):
    return asked_by_call(probe, args, kwargs, options or {}, forbidden, default_device)


def test_a_tensor_without_values_is_refused_where_no_input_was_on_meta():
    x = torch.ones(2)
    answer = {"ok": {"result": _meta_record()}}
    with pytest.raises(MalformedAnswer, match="the result has no values: it claims device meta"):
        check_answer(answer, _asked(x))
    nested = {"ok": {"result": [1, (torch.ones(1), {"k": _meta_record()})]}}
    with pytest.raises(MalformedAnswer, match=r"the result\[1\]\[1\]\['k'\] has no values"):
        check_answer(nested, _asked(x))


@pytest.mark.parametrize(
    "asked",
    [
        lambda: _asked(Placed(torch.ones(2), "meta")),
        lambda: _asked(torch.ones(2), default_device="meta"),
        lambda: _asked(torch.ones(2), options={"device": "meta"}),
        lambda: _asked([torch.empty(2, device="meta")]),
    ],
    ids=["placed-on-meta", "default-device", "an-option", "a-meta-input"],
)
def test_a_tensor_without_values_is_an_answer_where_the_call_was_on_meta(asked):
    check_answer({"ok": {"result": _meta_record()}}, asked())


def test_every_gradient_asked_for_must_come_back():
    """A shorter list would make a comparison of the gradients pass on nothing."""
    x, y = torch.ones(2), torch.ones(2)
    asked = _asked(x, y, options={"grad_of": [0, 1]})
    both = {"result": torch.ones(2), "grads": [torch.ones(2), None]}
    check_answer({"ok": _wire(both)}, asked)
    check_answer({"ok": _wire({"result": 1.0, "grads": None})}, asked)  # no graph
    for grads in ([], [torch.ones(2)], "none", [1.0, 2.0]):
        with pytest.raises(MalformedAnswer, match="grads"):
            check_answer({"ok": _wire({"result": 1.0, "grads": grads})}, asked)
    with pytest.raises(MalformedAnswer, match="lacks grads"):
        check_answer({"ok": _wire({"result": 1.0})}, asked)


def test_a_report_holds_exactly_the_fields_of_its_probe():
    x = torch.ones(2)
    with pytest.raises(MalformedAnswer, match="fields nobody asked for"):
        check_answer({"ok": {"result": 1, "args_after": [x]}}, _asked(x))
    with pytest.raises(MalformedAnswer, match="lacks result"):
        check_answer({"ok": {}}, _asked(x))
    with pytest.raises(MalformedAnswer, match="args_after holds 0 items"):
        check_answer({"ok": {"result": 1, "args_after": []}}, _asked(x, options={"return_args": 1}))


def test_a_probes_fields_are_of_their_types():
    asked = _asked(probe=LOOP, options={"task": "train_epoch", "net": {}, "state": {}})
    report = {
        "result": None,
        "error": None,
        "mixed": [],
        "forwards": [{"all_training": True, "any_training": True, "grad_enabled": True}],
        "losses": [],
        "iterations": ["train_iter"],
        "training_after": True,
    }
    with pytest.raises(MalformedAnswer, match=r"forwards\[0\] lacks device"):
        check_answer({"ok": report}, asked)
    report["forwards"][0]["device"] = "cpu"
    check_answer({"ok": report}, asked)
    for field, forged in [("training_after", 1), ("iterations", "train_iter"), ("mixed", [3])]:
        with pytest.raises(MalformedAnswer, match=field):
            check_answer({"ok": {**report, field: forged}}, asked)


def _raised(**fields):
    return {"raised": {"type": "ValueError", "bases": ["ValueError", "Exception"], **fields}}


@pytest.mark.parametrize(
    "answer, says",
    [
        (_raised(forbidden="torch.gather"), "did not forbid"),
        (_raised(bases=["Exception"]), "classes"),
        (_raised(bases="ValueError"), "classes"),
        (_raised(bases=["ValueError", 3]), "classes"),
        (_raised(type=["ValueError"]), "type"),
        (_raised(message="x" * 5000), "message"),
        (_raised(lineno="12"), "line"),
        (_raised(lineno=True), "line"),
        (_raised(traceback="..."), "nobody asked for"),
        ({"raised": "ValueError"}, "not described"),
        ({"ok": 1, "raised": {"type": "ValueError"}}, "neither"),
    ],
)
def test_an_exception_is_described_as_the_runner_describes_it(answer, says):
    with pytest.raises(MalformedAnswer, match=says):
        check_answer(answer, _asked(forbidden=["torch.take"]))


def test_an_honest_exception_is_accepted():
    check_answer(_raised(message="boom", lineno=3, forbidden=None), _asked())
    check_answer(_raised(forbidden="torch.take"), _asked(forbidden=["torch.take"]))
    check_answer({"raised": {"type": "ProtocolError", "message": "m"}}, _asked())


BY_PATTERN = ["torch.func.*", "torch.ops.aten.*_backward", "torch.autograd.grad"]


@pytest.mark.parametrize(
    "reported",
    [
        "torch.func.*",
        "torch.func.grad",
        "torch.ops.aten.sigmoid_backward",
        "torch.autograd.grad (a backward pass)",
    ],
)
def test_a_call_refused_under_a_wildcard_is_reported_by_the_name_it_matched(reported):
    check_answer(_raised(forbidden=reported), _asked(forbidden=BY_PATTERN))


@pytest.mark.parametrize(
    "forged",
    [
        "torch.func.full marks",
        "torch.ops.aten.full marks_backward",
        "torch.ops.aten." + "x" * 200 + "_backward",
        "torch.ops.aten.sigmoid",
        "torch.Tensor.backward (a backward pass)",
        "torch.autograd.grad (anything)",
    ],
)
def test_a_wildcard_lets_no_made_up_name_through(forged):
    with pytest.raises(MalformedAnswer, match="did not forbid"):
        check_answer(_raised(forbidden=forged), _asked(forbidden=BY_PATTERN))


def test_a_load_answers_with_names():
    check_answer({"ok": ["gather", "broadcast_to"]}, Asked(report=LOADED))
    with pytest.raises(MalformedAnswer):
        check_answer({"ok": ["gather", 3]}, Asked(report=LOADED))
    with pytest.raises(MalformedAnswer):
        check_answer({"ok": {"result": 1}}, Asked(report=LOADED))
