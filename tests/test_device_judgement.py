"""Device checks judge the device only: what ``meta`` cannot run never costs a point, while
real device mistakes (a tensor made on the CPU, ``.cpu()`` of an input kept in the result, a
``'cida:0'`` device) still fail."""

from __future__ import annotations

import pytest
import torch

from autograder.engine.runner import HostCopies, HostCopyInResult
from autograder.grading.properties import meta_cannot_run
from tests.gradelib import SOLUTIONS, grade_source, splice

SOFTMAX_DEVICE = "keeps the device (meta, default-device trap, CUDA if present)"


def device_result(tmp_path, assignment: str, mutant: str, function: str, check: str):
    source = splice((SOLUTIONS / f"{assignment}.py").read_text(), mutant)
    results = grade_source(tmp_path, assignment, source, only=[function])
    (result,) = [r for r in results if r.check == check]
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
    correct = (
        "def softmax(X, dim=-1):\n"
        "    if torch.isinf(X).any():  # bool(tensor): .item() underneath\n"
        "        X = torch.where(torch.isinf(X) & (X > 0), torch.zeros_like(X), X)\n"
        "    e = torch.exp(X - X.amax(dim=dim, keepdim=True))\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n"
    )
    assert device_result(tmp_path, "softmax_regression", correct, "softmax", SOFTMAX_DEVICE).passed


def test_cpu_of_the_input_kept_in_the_result_still_fails(tmp_path):
    wrong = (
        "def softmax(X, dim=-1):\n"
        "    X = X.cpu()  # the result will live on the CPU whatever X's device\n"
        "    e = torch.exp(X - X.amax(dim=dim, keepdim=True))\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n"
    )
    result = device_result(tmp_path, "softmax_regression", wrong, "softmax", SOFTMAX_DEVICE)
    assert not result.passed and "copied to the CPU" in result.feedback


def test_a_tensor_made_on_the_cpu_still_fails(tmp_path):
    wrong = (
        "def softmax(X, dim=-1):\n"
        "    shift = torch.zeros(X.shape, dtype=X.dtype)  # no device=: the CPU\n"
        "    e = torch.exp(X - X.amax(dim=dim, keepdim=True) + shift)\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n"
    )
    result = device_result(tmp_path, "softmax_regression", wrong, "softmax", SOFTMAX_DEVICE)
    assert not result.passed and "default device" in result.feedback


def test_a_mistyped_device_still_fails(tmp_path):
    wrong = (
        "def softmax(X, dim=-1):\n"
        "    X = X.to(torch.device('cida:0') if X.is_cuda else X.device)\n"
        "    X = X.to('cida:0') if X.device.type == 'meta' else X\n"
        "    e = torch.exp(X - X.amax(dim=dim, keepdim=True))\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n"
    )
    result = device_result(tmp_path, "softmax_regression", wrong, "softmax", SOFTMAX_DEVICE)
    assert not result.passed and "cida" in result.feedback


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
    source = splice((SOLUTIONS / "training.py").read_text(), correct)
    results = grade_source(tmp_path, "training", source, only=["evaluate_accuracy"])
    failed = [f"{r.check}: {r.feedback}" for r in results if not r.passed]
    assert not failed
