"""The training assignment: data loaders, probes, feedback for the seed bugs, --data-root.

Most tests run the probes in this process (no runner), which is fast; the few that grade
a file end to end say so.
"""

from __future__ import annotations

import gzip
import json
import struct
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from autograder import data
from autograder.cli import main
from autograder.exercises.training import checks, probes
from autograder.grading.config import GradingConfig
from tests.gradelib import MUTANTS, SOLUTIONS, by_function, grade_source, splice

REAL_DATA_CHECK = next(c.name for c in checks.train_epoch.checks if "real data" in c.name)


def mutant(function: str, name: str):
    """The mutant's function, executed in this process (for in-process probe runs)."""
    import autograder_solutions.training

    namespace = dict(vars(autograder_solutions.training))  # the helpers train calls
    source = (MUTANTS / "training" / function / f"{name}.py").read_text()
    exec(compile(source, f"{function}/{name}.py", "exec"), namespace)
    return namespace[function]


def reference(function: str):
    import autograder_solutions.training

    return getattr(autograder_solutions.training, function)


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------
def test_digits_are_scikit_learns():
    from sklearn.datasets import load_digits

    digits = load_digits()
    images, labels = data.digits_arrays()
    assert torch.equal(images, torch.as_tensor(digits.images))
    assert torch.equal(labels, torch.as_tensor(digits.target).long())


def test_digits_loaders_are_deterministic_and_split_everything():
    train_iter, test_iter = data.load_data_digits(batch_size=100)
    again, _ = data.load_data_digits(batch_size=100)
    first = list(train_iter)
    assert all(torch.equal(a[0], b[0]) for a, b in zip(first, again))
    X, y = next(iter(train_iter))
    assert X.shape == (100, 1, 8, 8) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert float(X.min()) >= 0.0 and float(X.max()) <= 1.0
    n_train = sum(len(y) for _, y in first)
    n_test = sum(len(y) for _, y in test_iter)
    assert (n_train, n_test) == (1797 - 360, 360)
    assert sorted({int(v) for _, y in test_iter for v in y}) == list(range(10))


def write_idx(path: Path, array: torch.Tensor) -> None:
    """One file in the IDX format (big-endian header, unsigned bytes), gzip'd."""
    array = array.to(torch.uint8).contiguous()
    header = struct.pack(">BBBB", 0, 0, 0x08, array.dim())
    header += b"".join(struct.pack(">I", size) for size in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.numpy().tobytes())


def write_fashion_mnist(
    root: Path, n_train: int, n_test: int, *, learnable: bool, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Small Fashion-MNIST look-alikes in torchvision's layout: root/FashionMNIST/raw/*.gz.

    ``learnable``: class k lights a 7x7 block of its own (easy for softmax regression);
    otherwise labels are random.  Returns the training images and labels written.
    """
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    generator = torch.Generator().manual_seed(seed)
    written = None
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = torch.randint(0, 10, (n,), generator=generator)
        images = torch.randint(0, 60, (n, 28, 28), generator=generator)
        if learnable:
            for i, k in enumerate(labels.tolist()):
                row, col = divmod(k, 4)
                images[i, 7 * row : 7 * row + 7, 7 * col : 7 * col + 7] = 255
        labels = labels if learnable else torch.randint(0, 10, (n,), generator=generator)
        write_idx(raw / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(raw / f"{prefix}-labels-idx1-ubyte.gz", labels)
        if written is None:
            written = (images, labels)
    return written


def test_fashion_mnist_loader_reads_gzipped_idx_files(tmp_path):
    assert not data.fashion_mnist_available(tmp_path)
    images, labels = write_fashion_mnist(tmp_path, 40, 12, learnable=False)
    assert data.fashion_mnist_available(tmp_path)
    train_iter, test_iter = data.load_data_fashion_mnist(16, tmp_path)
    batches = list(train_iter)
    X, y = batches[0]
    assert X.shape == (16, 1, 28, 28) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert [len(y) for _, y in batches] == [16, 16, 8]
    # Shuffled, but every image once, scaled by ToTensor to [0, 1].
    X_all = torch.cat([X for X, _ in batches])
    y_all = torch.cat([y for _, y in batches])
    order = [int((images.float() / 255 - x[0]).abs().flatten(1).sum(1).argmin()) for x in X_all]
    assert sorted(order) == list(range(40))
    assert torch.allclose(X_all, images[order].float().unsqueeze(1) / 255)
    assert torch.equal(y_all, labels[order])
    assert sum(len(y) for _, y in test_iter) == 12
    # d2l's resize option, and the FashionMNIST folder itself as the root.
    small, _ = data.load_data_fashion_mnist(4, tmp_path / "FashionMNIST", resize=14)
    assert next(iter(small))[0].shape == (4, 1, 14, 14)


def test_fashion_mnist_missing_files_are_named(tmp_path):
    (tmp_path / "FashionMNIST" / "raw").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        data.prepare_fashion_mnist(tmp_path)


# ---------------------------------------------------------------------------------------
# Probes and diagnoses, in this process
# ---------------------------------------------------------------------------------------
def run_in_process(function, task: str | None = None, **overrides):
    task = task or function.__name__
    return probes.loop(function, **checks.options_for(task, **overrides))


def test_reference_moves_the_parameters_and_records_every_batch():
    options = checks.options_for("train_epoch")
    report = probes.loop(reference("train_epoch"), **options)
    assert checks.state_differs(report["state"], options["state"], 0, 0)
    assert [e["size"] for e in report["losses"]] == list(checks.TRAIN_SIZES)
    assert all(f["all_training"] and f["grad_enabled"] for f in report["forwards"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("no_zero_grad", "never clears the gradients"),
        ("backward_without_parentheses", "without parentheses"),
        ("zero_grad_after_backward", "erases them"),
        ("step_before_backward", "before l.backward()"),
        ("return_inside_loop", "first batch only"),
    ],
)
def test_parameter_feedback_names_the_likely_cause(name, expected):
    options = checks.options_for("train_epoch")
    report = probes.loop(mutant("train_epoch", name), **options)
    assert expected in checks.diagnose_parameters(options, report["state"])


def loss_not_weighted(net, train_iter, loss, optimizer, device=None):
    """d2l's custom-updater branch, float(l.sum()), applied to a loss that is a batch mean."""
    total, correct, count = 0.0, 0, 0
    net.train()
    for X, y in train_iter:
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        optimizer.zero_grad()
        batch_loss.backward()
        optimizer.step()
        total += float(batch_loss.detach().sum())
        correct += int((y_hat.argmax(dim=1) == y).sum())
        count += len(y)
    return total / count, correct / count


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("mean_of_batch_means", "the mean loss is the mean of the batch means"),
        ("mean_of_batch_means", "the accuracy is the mean of the per-batch accuracies"),
        ("loss_not_weighted", "the sum of the batch means divided by the number of examples"),
    ],
)
def test_averaging_feedback_names_the_mistake(name, expected):
    function = loss_not_weighted if name == "loss_not_weighted" else mutant("train_epoch", name)
    report = run_in_process(function, "train_epoch")
    got = tuple(float(v) for v in report["result"])
    assert expected in checks.diagnose_averages(report["losses"], got)


def test_meta_trace_sees_where_batches_arrive():
    options = dict(net_device="meta", trace=True, stop_at="loss")
    good = run_in_process(reference("train_epoch"), **options)
    assert good["forwards"][0]["device"] == "meta" and good["losses"][0]["y_device"] == "meta"
    assert good["stopped"] and not good["mixed"]
    labels = run_in_process(mutant("train_epoch", "labels_not_moved"), **options)
    assert labels["losses"][0]["y_device"] == "cpu"
    unmoved = run_in_process(mutant("train_epoch", "to_without_assignment"), **options)
    assert unmoved["forwards"][0]["device"] == "cpu" and unmoved["mixed"]


def test_meta_trace_of_evaluation_catches_unmoved_labels():
    options = dict(net_device="meta", trace=True)
    good = run_in_process(reference("evaluate_accuracy"), **options)
    assert good["forwards"][0]["device"] == "meta" and not good["mixed"]
    assert "meta" in good["error"]["message"]  # it ends where values are needed
    bad = run_in_process(mutant("evaluate_accuracy", "labels_not_moved"), **options)
    assert bad["mixed"] and "cpu" in bad["mixed"][0]


def test_train_logs_the_order_in_which_iterators_are_read():
    report = run_in_process(reference("train"), num_epochs=2)
    assert report["iterations"] == ["train_iter", "test_iter"] * 2
    late = run_in_process(mutant("train", "evaluates_before_training"), num_epochs=2)
    assert late["iterations"][0] == "test_iter"


def test_digits_budget_separates_a_correct_loop_from_one_without_zero_grad():
    """The real-data check's settings, in process: the reference clears 90% with a margin,
    the seed's loop without zero_grad (momentum makes the summed gradients diverge) does not."""

    def accuracy(train_epoch) -> float:
        settings = checks.DIGITS
        report = probes.fit_real_data(
            train_epoch,
            dataset="digits",
            state=checks.softmax_initial_state(64),
            optimizer=settings["optimizer"],
            batch_size=settings["batch_size"],
            num_epochs=settings["num_epochs"],
        )
        return checks.held_out_accuracy(report["state"], "digits")

    assert accuracy(reference("train_epoch")) >= 0.94
    assert accuracy(mutant("train_epoch", "no_zero_grad")) < 0.75


def test_solution_docstring_example_is_true():
    from torch import nn

    import autograder_solutions.training as solution

    torch.manual_seed(0)
    train_iter, test_iter = data.load_data_digits(batch_size=32)
    net = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    history = solution.train(net, train_iter, test_iter, nn.CrossEntropyLoss(), 5, optimizer)
    assert [entry["epoch"] for entry in history] == [1, 2, 3, 4, 5]
    last = history[-1]
    assert last["train_loss"] == pytest.approx(0.189, abs=0.002)
    assert last["train_acc"] == pytest.approx(0.961, abs=0.002)
    assert last["test_acc"] == pytest.approx(0.958, abs=0.002)
    assert solution.evaluate_accuracy(net, test_iter) == last["test_acc"]


# ---------------------------------------------------------------------------------------
# End to end (each grades a file in a runner)
# ---------------------------------------------------------------------------------------
def test_broken_train_epoch_costs_points_only_in_train_epoch(tmp_path):
    """The seed's loop without zero_grad: caught by the parameter check and by the real-data
    check; train (which calls train_epoch) and evaluate_accuracy keep full marks: train is
    lent a stand-in for train_epoch (the reference's recorded effects), evaluate_accuracy
    does not call it."""
    source = splice(
        (SOLUTIONS / "training.py").read_text(),
        (MUTANTS / "training" / "train_epoch" / "no_zero_grad.py").read_text(),
    )
    results = grade_source(tmp_path, "training", source)
    totals = by_function(results)
    assert totals["train"][0] == totals["train"][1]
    assert totals["evaluate_accuracy"][0] == totals["evaluate_accuracy"][1]
    failed = {r.check: r.feedback for r in results if not r.passed}
    assert set(failed) <= {c.name for c in checks.train_epoch.checks}
    assert REAL_DATA_CHECK in failed
    assert "never clears the gradients" in failed[checks.train_epoch.checks[0].name]


def test_data_root_trains_on_fashion_mnist(tmp_path, monkeypatch):
    """--data-root reaches the real-data check: the reference passes on learnable files in
    the real IDX format, and fails (naming Fashion-MNIST) on files with random labels."""
    monkeypatch.delenv("AUTOGRADER_DATA_ROOT", raising=False)
    learnable = tmp_path / "learnable"
    write_fashion_mnist(learnable, 2560, 500, learnable=True)
    result = CliRunner().invoke(
        main,
        ["grade", str(SOLUTIONS / "training.py"), "--data-root", str(learnable)]
        + ["--format", "json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["score"] == report["max_score"], result.output

    noise = tmp_path / "noise"
    write_fashion_mnist(noise, 600, 200, learnable=False)
    results = grade_source(
        tmp_path,
        "training",
        (SOLUTIONS / "training.py").read_text(),
        only=["train_epoch"],
        config=GradingConfig.from_environment(data_root=noise),
    )
    failed = {r.check: r.feedback for r in results if not r.passed}
    assert list(failed) == [REAL_DATA_CHECK]
    assert "Fashion-MNIST" in failed[REAL_DATA_CHECK]


def test_data_root_without_the_files_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.delenv("AUTOGRADER_DATA_ROOT", raising=False)
    result = CliRunner().invoke(
        main, ["grade", str(SOLUTIONS / "training.py"), "--data-root", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "Fashion-MNIST files missing" in result.output


@pytest.mark.cuda
def test_cuda_tier_agrees_with_the_cpu():
    """The CUDA tier's premise: the reference loop on a CUDA net, fed CPU batches, ends
    where it ends on the CPU (within the tier's tolerance)."""
    on_cuda = run_in_process(reference("train_epoch"), net_device="cuda")
    on_cpu = run_in_process(reference("train_epoch"))
    assert on_cuda["forwards"][0]["device"].startswith("cuda")
    assert not checks.state_differs(on_cuda["state"], on_cpu["state"], 1e-4, 1e-5)
    accuracy = run_in_process(reference("evaluate_accuracy"), net_device="cuda")["result"]
    assert accuracy == run_in_process(reference("evaluate_accuracy"))["result"]
