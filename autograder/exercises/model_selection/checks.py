"""Checks for ``model_selection.py``: get_k_fold_data.

The data are built so that every row tells which sample it is: row ``j`` of ``X`` holds
``j * F, j * F + 1, ...`` (``F`` values per sample) and ``y[j] == j``.  The judge can then
say in words which samples a fold holds, which were dropped and which came out of order.
Which samples fold ``i`` must hold is what scikit-learn's ``KFold(k)`` gives (tested).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import torch
from hypothesis import strategies as st

from autograder.engine.protocol import TransportedTensor
from autograder.exercises.strategies import shapes
from autograder.grading.context import CheckContext, InputText, describe
from autograder.grading.contract import STAYS_ON_DEVICE
from autograder.grading.expect import expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import expect_device_portable
from autograder.grading.registry import probe_name
from autograder.i18n import T, phrase

assignment = Assignment("model_selection")

get_k_fold_data = assignment.exercise("get_k_fold_data")

PROBE = probe_name("model_selection", "every_fold")
NAMES = ("X_train", "y_train", "X_valid", "y_valid")
# Exact integers in every dtype used here (float16 holds integers up to 2048 exactly).
DTYPES = (torch.float16, torch.float32, torch.float64, torch.int64)

SIZES_HINT = (
    "cut the n samples into k contiguous folds like sklearn's KFold: the first n % k folds "
    "get n // k + 1 samples, the others n // k; fold i starts at i * (n // k) + min(i, n % k)."
)
# The same advice as a sentence of its own (after another one).
SIZES_SENTENCE = (
    "Cut the n samples into k contiguous folds like sklearn's KFold: the first n % k folds "
    "get n // k + 1 samples, the others n // k; fold i starts at i * (n // k) + min(i, n % k)."
)
TRAIN_HINT = (
    "the training set is everything before the validation fold followed by everything "
    "after it: torch.cat([X[:start], X[stop:]]) (and the same for y)."
)


@cache
def kfold_indices(n: int, k: int) -> tuple[tuple[int, ...], ...]:
    """The validation indices of each fold, as scikit-learn's ``KFold(k)`` gives them.

    Written out rather than imported: importing scikit-learn is slow, once per grading.
    ``tests/test_model_selection.py`` checks this against ``KFold`` itself.
    """
    sizes = [n // k + (1 if fold < n % k else 0) for fold in range(k)]
    starts = [sum(sizes[:fold]) for fold in range(k)]
    return tuple(tuple(range(start, start + size)) for start, size in zip(starts, sizes))


def make_data(
    n: int, features: tuple[int, ...] = (2,), dtype: torch.dtype = torch.float64, y_column=False
) -> tuple[torch.Tensor, torch.Tensor]:
    """``X`` whose row ``j`` holds ``j * F ... j * F + F - 1`` and labels ``y[j] == j``."""
    width = math.prod(features)
    X = torch.arange(n * width, dtype=dtype).reshape(n, *features)
    y = torch.arange(n, dtype=torch.int64 if dtype.is_floating_point else torch.float32)
    return X, y.reshape(n, 1) if y_column else y


def sample_ids(got: Any, X: torch.Tensor) -> list[int] | None:
    """Which samples of ``X`` the rows of ``got`` are, or None if they are not rows of X."""
    if not isinstance(got, TransportedTensor) or got.values is None:
        return None
    rows = got.values
    if rows.dim() != X.dim() or tuple(rows.shape[1:]) != tuple(X.shape[1:]):
        return None
    width = math.prod(X.shape[1:])
    if width == 0:
        return None
    flat = rows.reshape(rows.shape[0], width).to(torch.float64)
    ids = []
    for row in flat:
        sample = int(row[0].item()) // width
        if not 0 <= sample < len(X) or not torch.equal(row, X[sample].reshape(-1).double()):
            return None
        ids.append(sample)
    return ids


def label_ids(got: Any) -> list[int] | None:
    """The labels in ``got`` (labels are sample numbers), or None."""
    if not isinstance(got, TransportedTensor) or got.values is None or got.values.dim() == 0:
        return None
    if got.values.numel() != got.values.shape[0]:
        return None
    values = got.values.reshape(got.values.shape[0], 1)
    return [int(v) for v in values[:, 0].tolist()]


def samples(count: int) -> str:
    return T("{count} sample", count=count) if count == 1 else T("{count} samples", count=count)


def runs(ids: list[int]) -> str:
    """``[0, 1, 2, 5, 7, 8]`` -> ``"0-2, 5, 7-8"``."""
    if not ids:
        return phrase("none")
    parts, start, last = [], ids[0], ids[0]
    for j in [*ids[1:], None]:
        if j is not None and j == last + 1:
            last = j
            continue
        parts.append(f"{start}" if start == last else f"{start}-{last}")
        if j is not None:
            start = last = j
    return ", ".join(parts)


def every_i(ctx: CheckContext, k: int, X: torch.Tensor, y: torch.Tensor) -> InputText:
    """``get_k_fold_data(k, i, X, y) for every i in range(k)``, for feedback."""
    call = ctx.input_text(k, X, y).replace(f"({k}, ", f"({k}, i, ", 1)
    return InputText(lambda: f"{call} for every i in range({k})")


def every_fold(ctx: CheckContext, k: int, X: torch.Tensor, y: torch.Tensor) -> list[tuple]:
    """What the student returns for every fold ``i``; fails the check on an exception."""
    folds = ctx.probe(k, X, y, probe=PROBE)["result"]
    if not isinstance(folds, list) or len(folds) != k:
        ctx.fail("the runner's answer could not be read", input=every_i(ctx, k, X, y))
    for i, fold in enumerate(folds):
        if isinstance(fold, dict) and "raised" in fold:
            ctx.fail(
                T(
                    "get_k_fold_data did not return a value: it raised {error}",
                    error=fold["raised"],
                ),
                input=ctx.input_text(k, i, X, y),
            )
        if not isinstance(fold, (tuple, list)) or len(fold) != 4:
            ctx.fail(
                "get_k_fold_data should return a tuple (X_train, y_train, X_valid, y_valid)",
                input=ctx.input_text(k, i, X, y),
                got=fold,
            )
    return [in_contract_order(tuple(fold), X) for fold in folds]


def in_contract_order(parts: tuple, X: torch.Tensor) -> tuple:
    """The four parts as (X_train, y_train, X_valid, y_valid) when they come in another
    order that their contents tell apart (rows of X, and labels; the training part before
    the validation part as returned): the order is the order check's property, so that
    scikit-learn's (X_train, X_valid, y_train, y_valid) costs that check alone.  A 1-D X
    looks like labels: its parts are left as they are."""
    return tuple(parts[position] for position in contract_positions(parts, X))


def contract_positions(parts: tuple, X: torch.Tensor) -> list[int]:
    """Where X_train, y_train, X_valid and y_valid are among ``parts`` (see
    :func:`in_contract_order`); [0, 1, 2, 3] where their contents do not tell."""
    if X.dim() < 2 or len(parts) != 4:
        return [0, 1, 2, 3]
    # X and y have different dtypes here (make_data): a column of labels can hold the
    # values of a column of X.
    rows = [sample_ids(part, X) is not None and part.values.dtype == X.dtype for part in parts]
    if rows.count(True) != 2:
        return [0, 1, 2, 3]
    features = [p for p in range(4) if rows[p]]
    labels = [p for p in range(4) if not rows[p]]
    return [features[0], labels[0], features[1], labels[1]]


def expect_rows(
    ctx: CheckContext,
    got: tuple,
    part: int,
    wanted: list[int],
    X: torch.Tensor,
    y: torch.Tensor,
    text: str,
    hint: str,
) -> None:
    """``got[part]`` (rows of X) and ``got[part + 1]`` (their labels) are samples ``wanted``."""
    name, label_name = NAMES[part], NAMES[part + 1]
    ids = sample_ids(got[part], X)
    if ids is None:
        expect_tensor(got[part], X[wanted], input=text, what=name, rtol=0, atol=0, hint=hint)
        ctx.fail(T("{name} is not made of rows of X", name=name), input=text, hint=hint)
    if ids != wanted:
        missing = sorted(set(wanted) - set(ids))
        if sorted(ids) == wanted:
            message = T(
                "{name} holds the right samples, but not in their original order", name=name
            )
        elif missing:
            message = T(
                "{name} holds the wrong samples (sample(s) {missing} are missing)",
                name=name,
                missing=runs(missing),
            )
        else:
            message = T("{name} holds the wrong samples", name=name)
        ctx.fail(
            message,
            input=text,
            expected=T("samples {ids} ({count})", ids=runs(wanted), count=samples(len(wanted))),
            got=T("samples {ids} ({count})", ids=runs(ids), count=samples(len(ids)))
            if ids == sorted(ids)
            else T("samples {ids}", ids=ids),
            hint=hint,
        )
    expect_tensor(got[part], X[wanted], input=text, what=name, rtol=0, atol=0, hint=hint)
    labels = label_ids(got[part + 1])
    if labels is not None and labels != wanted:
        ctx.fail(
            T(
                "{labels} does not go with {name}: the labels must be split exactly like X",
                labels=label_name,
                name=name,
            ),
            input=text,
            expected=T("the labels of samples {ids}", ids=runs(wanted)),
            got=T(
                "the labels of samples {ids}",
                ids=runs(labels) if labels == sorted(labels) else labels,
            ),
            hint="slice y with the same start and stop as X.",
        )
    expect_tensor(got[part + 1], y[wanted], input=text, what=label_name, rtol=0, atol=0)


@st.composite
def fold_cases(draw: st.DrawFn) -> tuple[int, torch.Tensor, torch.Tensor]:
    n = draw(st.integers(2, 16))
    k = draw(st.integers(2, n))
    # 1-D X has a check of its own (the seed's X[a:b, :] fails there, not everywhere).
    features = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    X, y = make_data(n, features, draw(st.sampled_from(DTYPES)), draw(st.booleans()))
    return k, X, y


@get_k_fold_data.check(
    "validation fold i holds the samples KFold(k) gives it, for every i",
    4,
    hint=SIZES_HINT,
    contract=(
        "The `n` samples (first dimension) are cut into `k` consecutive folds, as scikit-learn's "
        "`KFold(k, shuffle=False)` cuts them: the first `n % k` folds hold one sample more."
    ),
)
def _valid_folds(ctx: CheckContext) -> None:
    @ctx.given(fold_cases(), max_examples=10)
    def _(case: tuple[int, torch.Tensor, torch.Tensor]) -> None:
        k, X, y = case
        expected = kfold_indices(len(X), k)
        hint = T(
            "{hint} Here the fold sizes are {sizes}.",
            hint=phrase(SIZES_HINT),
            sizes=[len(fold) for fold in expected],
        )
        for i, got in enumerate(every_fold(ctx, k, X, y)):
            expect_rows(ctx, got, 2, list(expected[i]), X, y, ctx.input_text(k, i, X, y), hint)


PARTITION_CASES = ((10, 4), (7, 2), (11, 3), (13, 5), (9, 9), (17, 6))


@get_k_fold_data.check(
    "every sample is used: the k validation folds partition all n samples",
    2,
    hint=SIZES_HINT,
    contract="Every sample is in exactly one fold",
)
def _partition(ctx: CheckContext) -> None:
    for n, k in PARTITION_CASES:
        X, y = make_data(n, (3,))
        folds = every_fold(ctx, k, X, y)
        seen: list[int] = []
        used: set[int] = set()
        for i, got in enumerate(folds):
            valid = sample_ids(got[2], X)
            train = sample_ids(got[0], X)
            if valid is None:
                ctx.fail("X_valid is not made of rows of X", input=ctx.input_text(k, i, X, y))
            seen += valid
            used |= set(valid) | set(train or [])
        never = sorted(set(range(n)) - set(seen))
        text = every_i(ctx, k, X, y)
        if never:
            unused = [j for j in never if j not in used]
            if len(unused) == len(never):
                message = T(
                    "sample(s) {ids} of the {n} are never in a validation fold, nor for "
                    "training: they are silently dropped",
                    ids=runs(never),
                    n=n,
                )
            else:
                message = T(
                    "sample(s) {ids} of the {n} are never in a validation fold: they are "
                    "silently dropped",
                    ids=runs(never),
                    n=n,
                )
            ctx.fail(
                message,
                input=text,
                expected=T("each of the {n} samples in exactly one validation fold", n=n),
                got=T("{count} samples used for validation", count=len(set(seen))),
                hint=T(
                    "fold_size = n // k = {size} for every fold covers only "
                    "k * (n // k) = {covered} samples: the last n % k = {lost} are lost. {advice}",
                    size=n // k,
                    covered=k * (n // k),
                    lost=n % k,
                    advice=phrase(SIZES_SENTENCE),
                ),
            )
        twice = sorted({j for j in seen if seen.count(j) > 1})
        if twice:
            ctx.fail(
                T("sample(s) {ids} are in more than one validation fold", ids=runs(twice)),
                input=text,
                expected=T("each of the {n} samples in exactly one validation fold", n=n),
                hint=SIZES_HINT,
            )


@get_k_fold_data.check(
    "training set = the other folds, in their original order (disjoint from validation, "
    "together all samples)",
    2,
    hint=TRAIN_HINT,
    contract=(
        "Fold `i` (from 0) is the validation set; the other folds, in their order, the training "
        "set."
    ),
)
def _training_sets(ctx: CheckContext) -> None:
    @ctx.given(fold_cases(), max_examples=10)
    def _(case: tuple[int, torch.Tensor, torch.Tensor]) -> None:
        k, X, y = case
        for i, got in enumerate(every_fold(ctx, k, X, y)):
            text = ctx.input_text(k, i, X, y)
            valid = sample_ids(got[2], X)
            if valid is None:  # judge against KFold's validation fold instead
                valid = list(kfold_indices(len(X), k)[i])
            rest = [j for j in range(len(X)) if j not in valid]
            train = sample_ids(got[0], X)
            if train is not None and set(train) & set(valid):
                ctx.fail(
                    T(
                        "X_train and X_valid share sample(s) {ids}",
                        ids=runs(sorted(set(train) & set(valid))),
                    ),
                    input=text,
                    hint=TRAIN_HINT,
                )
            expect_rows(ctx, got, 0, rest, X, y, text, TRAIN_HINT)


@get_k_fold_data.check(
    "works for any number of feature dimensions (1-D X, images)",
    1,
    hidden=True,
    hint="slice the first dimension only: X[start:stop] works for every shape, while "
    "X[start:stop, :] needs X to have at least two dimensions.",
    contract="Any number of feature dimensions.",
)
def _feature_dimensions(ctx: CheckContext) -> None:
    """Judged against the student's own split of a 2-D X: which samples go where must not
    depend on the feature shape (the fold sizes themselves are the other checks' business).
    """
    for i in (0, 2):
        X2, y2 = make_data(7, (2,), torch.float32)
        base = ctx.run(3, i, X2, y2)
        base_parts = base.value.get("result") if base.ok else None
        wanted = None
        # The same order as its own 2-D split: the order is the order check's property.
        positions = [0, 1, 2, 3]
        if isinstance(base_parts, tuple) and len(base_parts) == 4:
            positions = contract_positions(base_parts, X2)
            base_parts = tuple(base_parts[p] for p in positions)
            wanted = [
                sample_ids(base_parts[0], X2),
                label_ids(base_parts[1]),
                sample_ids(base_parts[2], X2),
                label_ids(base_parts[3]),
            ]
        if wanted is None or None in wanted:  # no usable split of its own: KFold's
            valid = list(kfold_indices(7, 3)[i])
            train = [j for j in range(7) if j not in valid]
            wanted = [train, train, valid, valid]
        for features in ((), (1, 2, 2), (2, 1, 3, 1)):
            X, y = make_data(7, features, torch.float32)
            got = ctx.call(3, i, X, y)
            text = ctx.input_text(3, i, X, y)
            if not isinstance(got, tuple) or len(got) != 4:
                ctx.fail("get_k_fold_data should return a tuple of 4 tensors", input=text, got=got)
            got = tuple(got[p] for p in positions)
            for part, ids in enumerate(wanted):
                source = X if part % 2 == 0 else y
                expect_tensor(got[part], source[ids], input=text, what=NAMES[part], rtol=0, atol=0)


@get_k_fold_data.check(
    "returns (X_train, y_train, X_valid, y_valid), in this order",
    1,
    hint="the contract's order is (X_train, y_train, X_valid, y_valid): features and labels "
    "of the training set first, then those of the validation fold (scikit-learn's "
    "train_test_split returns X_train, X_valid, y_train, y_valid instead).",
    contract="`get_k_fold_data(k, i, X, y)` -> `(X_train, y_train, X_valid, y_valid)`.",
)
def _order(ctx: CheckContext) -> None:
    """Kinds by content: rows of X, or labels; 5 training samples against 2 for validation
    (n = 7, k = 3, i = 1), whatever the fold sizes are (the fold checks judge those)."""
    X, y = make_data(7, (2,), torch.float32)
    got = ctx.call(3, 1, X, y)
    text = ctx.input_text(3, 1, X, y)
    if not isinstance(got, tuple) or len(got) != 4:
        ctx.fail("get_k_fold_data should return a tuple of 4 tensors", input=text, got=got)
    kinds = [
        "X" if sample_ids(part, X) is not None else "y" if label_ids(part) is not None else "?"
        for part in got
    ]
    sizes = [len(part.values) if kinds[p] == "X" else 0 for p, part in enumerate(got)]
    if kinds != ["X", "y", "X", "y"] or sizes[0] <= sizes[2]:
        ctx.fail(
            "the four results are not in the order (X_train, y_train, X_valid, y_valid)",
            input=text,
            expected=T("rows of X (5 samples), their labels, rows of X (2 samples), their labels"),
            got=join_parts(got, kinds),
        )


def join_parts(parts: tuple, kinds: list[str]) -> str:
    """What each result is: rows of X (how many), labels, or something else."""
    shown = []
    for part, kind in zip(parts, kinds):
        if kind == "X":
            shown.append(T("rows of X ({count})", count=samples(len(part.values))))
        elif kind == "y":
            shown.append(phrase("labels"))
        else:
            shown.append(describe(part, 80))
    return ", ".join(shown)


@get_k_fold_data.check(
    "raises ValueError for k < 2, k > n, i outside [0, k) or len(X) != len(y)",
    2,
    hint="check the arguments first and raise ValueError with a message; `assert` raises "
    "AssertionError (and is skipped entirely under python -O).",
    contract=(
        "`ValueError` when `k < 2`, `k > n`, `i` is outside `[0, k)` or `X` and `y` differ in "
        "length."
    ),
)
def _errors(ctx: CheckContext) -> None:
    X, y = make_data(6)
    cases = (
        (1, 0, X, y, phrase("when k < 2 (one fold leaves nothing to train on)")),
        (0, 0, X, y, phrase("when k < 2")),
        (7, 0, X, y, phrase("when k > n (some folds would be empty)")),
        (3, -1, X, y, phrase("when i is negative")),
        (3, 3, X, y, phrase("when i >= k")),
        (3, 0, X, y[:5], phrase("when len(X) != len(y)")),
    )
    for k, i, X_, y_, why in cases:
        ctx.expect_raises(ValueError, k, i, X_, y_, why=why)


@get_k_fold_data.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=STAYS_ON_DEVICE
)
def _device(ctx: CheckContext) -> None:
    X, y = make_data(7, (2,), torch.float64)
    expect_device_portable(ctx, 3, 1, X, y)
