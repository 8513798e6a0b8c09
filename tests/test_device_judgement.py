"""Device checks judge the device only: what ``meta`` cannot run never costs a point, while
real device mistakes (a tensor made on the CPU, ``.cpu()`` of an input kept in the result, a
``'cida:0'`` device) still fail."""

from __future__ import annotations

import pytest
import torch

from autograder.engine.runner import HostCopies, HostCopyInResult
from autograder.grading.properties import meta_cannot_run
from tests.gradelib import grade_replacement

SOFTMAX_DEVICE = "keeps the device (meta, default-device trap, CUDA if present)"
SOFTMAX_TAIL = (
    "    e = torch.exp(X - X.amax(dim=dim, keepdim=True))\n"
    "    return e / e.sum(dim=dim, keepdim=True)\n"
)


def softmax_device_result(tmp_path, head: str):
    """The device check's verdict on a softmax that starts with ``head``."""
    softmax = "def softmax(X, dim=-1):\n" + head + SOFTMAX_TAIL
    results = grade_replacement(tmp_path, "softmax_regression", softmax, "softmax")
    (result,) = [r for r in results if r.check == SOFTMAX_DEVICE]
    return result


# -- the runner's side ---------------------------------------------------------------------------
def run_marked(function, x):
    with HostCopies() as copies:
        result = function(x)
        copies.refuse(result)
    return result


def test_a_host_copy_kept_in_the_result_is_refused_on_meta():
    x = torch.empty(3, 4, device="meta")
    with pytest.raises(HostCopyInResult):
        run_marked(lambda t: t.cpu() * 2, x)
    with pytest.raises(HostCopyInResult):
        run_marked(lambda t: torch.exp(t.to("cpu")).sum(dim=1), x)
    assert run_marked(lambda t: t.to(t.device) + 1, x).device.type == "meta"


def test_a_host_copy_read_as_a_number_stops_where_meta_has_no_data():
    x = torch.empty(3, device="meta")
    with pytest.raises(RuntimeError) as stopped:
        run_marked(lambda t: t * t.sum().cpu().item(), x)
    assert meta_cannot_run({"type": "RuntimeError", "message": str(stopped.value)})


@pytest.mark.parametrize(
    "message, limit",
    [
        ("Tensor.item() cannot be called on meta tensors", True),
        ("Cannot copy out of meta tensor; no data!", True),
        (
            "The register_meta function for torch.nonzero() raises unimplemented by default, "
            "as a correct data-independent implementation does not exist.",
            True,
        ),
        ("Expected all tensors to be on the same device, but found cpu and meta", False),
        ("Invalid device string: 'cida:0'", False),
    ],
)
def test_what_meta_cannot_run_is_told_from_device_mistakes(message, limit):
    assert meta_cannot_run({"type": "RuntimeError", "message": message}) is limit


# -- graded ----------------------------------------------------------------------------------------
def test_a_data_dependent_softmax_keeps_its_device_point(tmp_path):
    head = (
        "    if torch.isinf(X).any():  # bool(tensor): .item() underneath\n"
        "        X = torch.where(torch.isinf(X) & (X > 0), torch.zeros_like(X), X)\n"
    )
    assert softmax_device_result(tmp_path, head).passed


@pytest.mark.parametrize(
    "head, told",
    [
        # .cpu() of the input kept in the result: on a GPU it would live on the CPU.
        ("    X = X.cpu()\n", "copied to the CPU"),
        # A helper tensor made without device=: the CPU, whatever X's device.
        ("    X = X + torch.zeros(X.shape, dtype=X.dtype)\n", "default device"),
        # The seeds' device typo.
        ("    X = X.to('cida:0') if X.device.type == 'meta' else X\n", "cida"),
    ],
    ids=["cpu-copy-kept", "tensor-made-on-cpu", "mistyped-device"],
)
def test_a_real_device_mistake_still_fails(tmp_path, head, told):
    result = softmax_device_result(tmp_path, head)
    assert not result.passed and told in result.feedback


def test_evaluate_accuracy_counting_with_cpu_item_keeps_its_device_point(tmp_path):
    correct = (
        "def evaluate_accuracy(net, data_iter, device=None):\n"
        "    if device is None:\n"
        "        device = next(net.parameters()).device\n"
        "    net.eval()\n"
        "    right, seen = 0, 0\n"
        "    with torch.no_grad():\n"
        "        for X, y in data_iter:\n"
        "            X, y = X.to(device), y.to(device)\n"
        "            right += (net(X).argmax(dim=1) == y).sum().cpu().item()\n"
        "            seen += y.numel()\n"
        "    if seen == 0:\n"
        "        raise ValueError('no examples')\n"
        "    return right / seen\n"
    )
    results = grade_replacement(tmp_path, "training", correct, "evaluate_accuracy")
    failed = [f"{r.check}: {r.feedback}" for r in results if not r.passed]
    assert not failed
