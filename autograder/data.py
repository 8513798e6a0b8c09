"""Data sets for the training assignment, loaded offline and deterministically.

Two sources, both returned as d2l-style ``(train_iter, test_iter)`` pairs of
``torch.utils.data.DataLoader`` objects that yield ``(X, y)`` batches:

* :func:`load_data_digits` — scikit-learn's bundled handwritten digits (1797 grey 8x8
  images, 10 classes).  It ships inside scikit-learn, so it works everywhere, offline.
* :func:`load_data_fashion_mnist` — d2l's ``load_data_fashion_mnist`` through
  ``torchvision.datasets.FashionMNIST`` with ``download=False``: the files must already be
  on disk (nothing is ever downloaded).  The root is the folder that holds
  ``FashionMNIST/raw/`` (d2l's ``../data``); gzip'd files (``*-ubyte.gz``, as published)
  are unpacked next to themselves by :func:`prepare_fashion_mnist` first, as torchvision's
  own download would.

The grader trains the student's loop on these in the runner.  The Fashion-MNIST tier runs
when ``autograder grade --data-root DIR`` (or the ``AUTOGRADER_DATA_ROOT`` environment
variable) names a folder that holds the data.

Every loader shuffles the training set with its own seeded ``torch.Generator`` and uses no
worker processes, so the batches are the same on every run and on every machine.

>>> train_iter, test_iter = load_data_digits(batch_size=32)
>>> X, y = next(iter(train_iter))
>>> X.shape, X.dtype, y.shape, y.dtype
(torch.Size([32, 1, 8, 8]), torch.float32, torch.Size([32]), torch.int64)
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import shutil
from pathlib import Path

import torch
from torch.utils import data

DIGITS_TEST_SIZE = 360  # 20 % of the 1797 images
FASHION_MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
FASHION_MNIST_LABELS = (
    "t-shirt",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
)


def _train_loader(dataset: data.Dataset, batch_size: int, seed: int) -> data.DataLoader:
    generator = torch.Generator().manual_seed(seed)
    return data.DataLoader(dataset, batch_size, shuffle=True, generator=generator, num_workers=0)


# ---------------------------------------------------------------------------------------
# scikit-learn's digits
# ---------------------------------------------------------------------------------------
def _digits_file() -> Path | None:
    """scikit-learn's ``datasets/data/digits.csv.gz``, found without importing sklearn."""
    spec = importlib.util.find_spec("sklearn")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "datasets" / "data" / "digits.csv.gz"
        if path.is_file():
            return path
    return None


def digits_arrays() -> tuple[torch.Tensor, torch.Tensor]:
    """All 1797 digits as ``(images, labels)``: float64 ``(1797, 8, 8)`` pixels 0..16, int64.

    The same data as ``sklearn.datasets.load_digits()``, which reads the same bundled file;
    reading it directly spares the runner scikit-learn's import time.
    """
    path = _digits_file()
    if path is None:  # an unusual installation: let scikit-learn find its file
        from sklearn.datasets import load_digits

        digits = load_digits()
        return torch.as_tensor(digits.images), torch.as_tensor(digits.target).long()
    import numpy

    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = torch.as_tensor(numpy.loadtxt(handle, delimiter=","))
    return table[:, :-1].reshape(-1, 8, 8), table[:, -1].long()


def digits_tensors(
    test_size: int = DIGITS_TEST_SIZE, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(X_train, y_train, X_test, y_test)`` of the digits, split at random with ``seed``.

    ``X`` is float32 of shape ``(n, 1, 8, 8)`` scaled to ``[0, 1]`` (the raw pixels are
    0..16), ``y`` holds int64 labels 0..9.
    """
    images, y = digits_arrays()
    X = images.to(torch.float32).unsqueeze(1) / 16.0
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    test, train = order[:test_size], order[test_size:]
    return X[train], y[train], X[test], y[test]


def load_data_digits(
    batch_size: int, *, test_size: int = DIGITS_TEST_SIZE, seed: int = 0
) -> tuple[data.DataLoader, data.DataLoader]:
    """The digits as ``(train_iter, test_iter)``: the training set shuffled (seeded), the
    test set in order.  1437 training and 360 test images by default."""
    X_train, y_train, X_test, y_test = digits_tensors(test_size, seed)
    train_iter = _train_loader(data.TensorDataset(X_train, y_train), batch_size, seed)
    test_iter = data.DataLoader(data.TensorDataset(X_test, y_test), batch_size, shuffle=False)
    return train_iter, test_iter


# ---------------------------------------------------------------------------------------
# Fashion-MNIST (torchvision, files already on disk)
# ---------------------------------------------------------------------------------------
def fashion_mnist_root(root: str | Path) -> Path:
    """The folder torchvision wants as ``root``: the one that holds ``FashionMNIST/``.

    Naming the ``FashionMNIST`` folder itself works too.
    """
    root = Path(root).expanduser()
    if not (root / "FashionMNIST").is_dir() and root.name == "FashionMNIST":
        return root.parent
    return root


def _raw_folder(root: str | Path) -> Path:
    return fashion_mnist_root(root) / "FashionMNIST" / "raw"


def fashion_mnist_available(root: str | Path) -> bool:
    """Whether the four Fashion-MNIST files are under ``root`` (plain or gzip'd)."""
    raw = _raw_folder(root)
    return all(
        (raw / name).is_file() or (raw / f"{name}.gz").is_file() for name in FASHION_MNIST_FILES
    )


def prepare_fashion_mnist(root: str | Path) -> None:
    """Unpack ``<file>.gz`` into ``<file>`` where only the gzip'd file is present.

    torchvision reads the unpacked IDX files; its own download unpacks them the same way.
    Raises ``FileNotFoundError`` naming the missing files.
    """
    raw = _raw_folder(root)
    missing = []
    for name in FASHION_MNIST_FILES:
        target, packed = raw / name, raw / f"{name}.gz"
        if target.is_file():
            continue
        if not packed.is_file():
            missing.append(name)
            continue
        partial = target.with_name(target.name + ".partial")
        with gzip.open(packed, "rb") as source, open(partial, "wb") as sink:
            shutil.copyfileobj(source, sink)
        os.replace(partial, target)
    if missing:
        raise FileNotFoundError(
            f"Fashion-MNIST files missing in {raw}: {', '.join(missing)} (or their .gz)"
        )


def load_data_fashion_mnist(
    batch_size: int, root: str | Path, resize: int | None = None, *, seed: int = 0
) -> tuple[data.DataLoader, data.DataLoader]:
    """d2l's ``load_data_fashion_mnist``, offline: ``(train_iter, test_iter)``.

    ``transforms.ToTensor()`` turns each 28x28 uint8 image into a float32 ``(1, 28, 28)``
    tensor in ``[0, 1]``; ``resize`` puts a ``transforms.Resize`` in front, as in d2l.
    The training set is shuffled with a seeded generator; no worker processes.
    """
    import torchvision
    from torchvision import transforms

    prepare_fashion_mnist(root)
    steps: list = [transforms.ToTensor()]
    if resize:
        steps.insert(0, transforms.Resize(resize))
    transform = transforms.Compose(steps)
    root = str(fashion_mnist_root(root))
    mnist_train = torchvision.datasets.FashionMNIST(
        root=root, train=True, transform=transform, download=False
    )
    mnist_test = torchvision.datasets.FashionMNIST(
        root=root, train=False, transform=transform, download=False
    )
    return (
        _train_loader(mnist_train, batch_size, seed),
        data.DataLoader(mnist_test, batch_size, shuffle=False, num_workers=0),
    )
