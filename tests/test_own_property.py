"""One mistake costs its own check, once: the other checks judge their own property."""

from __future__ import annotations

from tests.gradelib import grade_replacement


def verdicts(tmp_path, assignment: str, replacement: str, function: str) -> dict[str, bool]:
    return {
        r.check: r.passed for r in grade_replacement(tmp_path, assignment, replacement, function)
    }


def test_a_batch_mean_cross_entropy_loses_the_value_and_shape_checks_only(tmp_path):
    mean = (
        "def cross_entropy(y_hat, y):\n"
        "    if y_hat.dim() != 2 or y.dim() != 1 or len(y) != len(y_hat):\n"
        "        raise ValueError('bad shapes')\n"
        "    rows = torch.arange(len(y), device=y.device)\n"
        "    return -torch.log(y_hat[rows, y]).mean()  # one number\n"
    )
    passed = verdicts(tmp_path, "softmax_regression", mean, "cross_entropy")
    failed = {name for name, ok in passed.items() if not ok}
    assert failed == {
        "agrees with -log(y_hat[i, y[i]]) on generated inputs (sizes, dtypes)",
        "returns one loss per example: a vector of shape (N,)",
        "is differentiable in y_hat",  # the gradient of a mean is 1/N of the right one
    }


def test_conv_output_size_for_ints_only_earns_the_int_share(tmp_path):
    ints_only = (
        "def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):\n"
        "    n, k, s, p, d = input_size, kernel_size, stride, padding, dilation\n"
        "    if min(n, k, s, d) < 1 or p < 0:\n"
        "        raise ValueError('sizes, stride and dilation must be >= 1, padding >= 0')\n"
        "    out = (n + 2 * p - d * (k - 1) - 1) // s + 1\n"
        "    if out < 1:\n"
        "        raise ValueError('the kernel does not fit')\n"
        "    return out\n"
    )
    passed = verdicts(tmp_path, "cnn", ints_only, "conv_output_size")
    assert passed[
        "agrees with the output size nn.Conv1d/2d/3d produce for int arguments (and defaults)"
    ]
    assert not passed[
        "agrees with the output size nn.Conv1d/2d/3d produce for tuple arguments (mixed with ints)"
    ]


def test_a_mutating_softmax_is_told_about_the_mutation(tmp_path):
    in_place = (
        "def softmax(X, dim=-1):\n"
        "    X -= X.amax(dim=dim, keepdim=True)  # writes into the caller's tensor\n"
        "    e = torch.exp(X)\n"
        "    return e / e.sum(dim=dim, keepdim=True)\n"
    )
    results = grade_replacement(tmp_path, "softmax_regression", in_place, "softmax")
    (mutation,) = [r for r in results if r.check == "does not modify its input"]
    assert not mutation.passed and "modified its input" in mutation.feedback


def test_a_loop_is_told_every_epoch_it_gets_wrong(tmp_path):
    running_sum = (
        "def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):\n"
        "    history, total = [], 0.0  # total is never reset: a running sum of losses\n"
        "    for epoch in range(1, num_epochs + 1):\n"
        "        l, acc = train_epoch(net, train_iter, loss, optimizer, device)  # noqa: F821\n"
        "        total += l\n"
        "        test_acc = evaluate_accuracy(net, test_iter, device)  # noqa: F821\n"
        "        history.append({'epoch': epoch, 'train_loss': total, 'train_acc': acc,\n"
        "                        'test_acc': test_acc})\n"
        "    return history\n"
    )
    results = grade_replacement(tmp_path, "training", running_sum, "train")
    (values,) = [r for r in results if r.check.startswith("trains one epoch of train_epoch")]
    assert not values.passed
    assert "train_loss of epoch 2" in values.feedback
    assert "train_loss of epoch 3" in values.feedback
    assert "train_loss of epoch 1" not in values.feedback
