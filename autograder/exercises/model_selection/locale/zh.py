"""简体中文: check names, hints and messages of ``model_selection.py``."""

MESSAGES: dict[str, str] = {
    "returns (X_train, y_train, X_valid, y_valid), in this order": "按 (X_train, y_train, X_valid, y_valid) 的顺序返回",
    "the contract's order is (X_train, y_train, X_valid, y_valid): features and labels of the training set first, then those of the validation fold (scikit-learn's train_test_split returns X_train, X_valid, y_train, y_valid instead).": "契约规定的顺序是 (X_train, y_train, X_valid, y_valid)：先是训练集的特征和标签，再是验证折的特征和标签（scikit-learn 的 train_test_split 返回的顺序是 X_train, X_valid, y_train, y_valid，与此不同）。",
    "the four results are not in the order (X_train, y_train, X_valid, y_valid)": "四个结果的顺序不是 (X_train, y_train, X_valid, y_valid)",
    "rows of X (5 samples), their labels, rows of X (2 samples), their labels": "X 的行（5 个样本）、它们的标签、X 的行（2 个样本）、它们的标签",
    "rows of X ({count})": "X 的行（{count}）",
    "labels": "标签",
    # -- check names and hints -----------------------------------------------------------------
    "validation fold i holds the samples KFold(k) gives it, for every i": (
        "对每个 i，第 i 个验证折包含的样本都与 KFold(k) 给出的一致"
    ),
    "cut the n samples into k contiguous folds like sklearn's KFold: the first n % k folds "
    "get n // k + 1 samples, the others n // k; fold i starts at i * (n // k) + min(i, n % k).": (
        "像 sklearn 的 KFold 那样把 n 个样本切成 k 个连续的折：前 n % k 个折各有 "
        "n // k + 1 个样本，其余各有 n // k 个；第 i 折从 i * (n // k) + min(i, n % k) 开始。"
    ),
    "Cut the n samples into k contiguous folds like sklearn's KFold: the first n % k folds "
    "get n // k + 1 samples, the others n // k; fold i starts at i * (n // k) + min(i, n % k).": (
        "像 sklearn 的 KFold 那样把 n 个样本切成 k 个连续的折：前 n % k 个折各有 "
        "n // k + 1 个样本，其余各有 n // k 个；第 i 折从 i * (n // k) + min(i, n % k) 开始。"
    ),
    "every sample is used: the k validation folds partition all n samples": (
        "每个样本都被用到：k 个验证折恰好划分全部 n 个样本"
    ),
    "training set = the other folds, in their original order (disjoint from validation, "
    "together all samples)": (
        "训练集 = 其余各折，保持原来的顺序（与验证集不相交，两者合起来是全部样本）"
    ),
    "the training set is everything before the validation fold followed by everything "
    "after it: torch.cat([X[:start], X[stop:]]) (and the same for y).": (
        "训练集是验证折之前的所有样本，后面接上验证折之后的所有样本："
        "torch.cat([X[:start], X[stop:]])（y 也一样）。"
    ),
    "works for any number of feature dimensions (1-D X, images)": (
        "适用于任意数量的特征维度（一维的 X、图像）"
    ),
    "slice the first dimension only: X[start:stop] works for every shape, while "
    "X[start:stop, :] needs X to have at least two dimensions.": (
        "只对第一个维度切片：X[start:stop] 适用于任何形状，而 X[start:stop, :] "
        "要求 X 至少有两个维度。"
    ),
    "raises ValueError for k < 2, k > n, i outside [0, k) or len(X) != len(y)": (
        "当 k < 2、k > n、i 不在 [0, k) 内或 len(X) != len(y) 时抛出 ValueError"
    ),
    "check the arguments first and raise ValueError with a message; `assert` raises "
    "AssertionError (and is skipped entirely under python -O).": (
        "先检查参数，并抛出带说明信息的 ValueError；`assert` 抛出的是 AssertionError"
        "（而且在 python -O 下会被完全跳过）。"
    ),
    # -- describing samples --------------------------------------------------------------------
    "{count} sample": "{count} 个样本",
    "{count} samples": "{count} 个样本",
    "none": "无",
    "samples {ids} ({count})": "样本 {ids}（{count}）",
    "samples {ids}": "样本 {ids}",
    "the labels of samples {ids}": "样本 {ids} 的标签",
    # -- messages ------------------------------------------------------------------------------
    "get_k_fold_data did not return a value: it raised {error}": (
        "get_k_fold_data 没有返回值：它抛出了 {error}"
    ),
    "get_k_fold_data should return a tuple (X_train, y_train, X_valid, y_valid)": (
        "get_k_fold_data 应当返回一个元组 (X_train, y_train, X_valid, y_valid)"
    ),
    "get_k_fold_data should return a tuple of 4 tensors": (
        "get_k_fold_data 应当返回由 4 个张量组成的元组"
    ),
    "{name} is not made of rows of X": "{name} 不是由 X 的行组成的",
    "X_valid is not made of rows of X": "X_valid 不是由 X 的行组成的",
    "{name} holds the right samples, but not in their original order": (
        "{name} 中的样本是对的，但没有保持原来的顺序"
    ),
    "{name} holds the wrong samples": "{name} 中的样本不对",
    "{name} holds the wrong samples (sample(s) {missing} are missing)": (
        "{name} 中的样本不对（缺少样本 {missing}）"
    ),
    "{labels} does not go with {name}: the labels must be split exactly like X": (
        "{labels} 与 {name} 对不上：标签必须和 X 完全一样地划分"
    ),
    "slice y with the same start and stop as X.": "用与 X 相同的 start 和 stop 对 y 切片。",
    "{hint} Here the fold sizes are {sizes}.": "{hint}这里各折的大小是 {sizes}。",
    "sample(s) {ids} of the {n} are never in a validation fold: they are silently dropped": (
        "{n} 个样本中的样本 {ids} 从未出现在任何验证折中：它们被悄悄丢掉了"
    ),
    "sample(s) {ids} of the {n} are never in a validation fold, nor for training: they are "
    "silently dropped": (
        "{n} 个样本中的样本 {ids} 既从未出现在验证折中，也从未用于训练：它们被悄悄丢掉了"
    ),
    "each of the {n} samples in exactly one validation fold": (
        "{n} 个样本中的每一个都恰好在一个验证折中"
    ),
    "{count} samples used for validation": "用于验证的样本有 {count} 个",
    "fold_size = n // k = {size} for every fold covers only k * (n // k) = {covered} "
    "samples: the last n % k = {lost} are lost. {advice}": (
        "每个折都取 fold_size = n // k = {size}，只能覆盖 k * (n // k) = {covered} 个样本："
        "最后 n % k = {lost} 个样本丢失了。{advice}"
    ),
    "sample(s) {ids} are in more than one validation fold": "样本 {ids} 出现在不止一个验证折中",
    "X_train and X_valid share sample(s) {ids}": "X_train 和 X_valid 有共同的样本 {ids}",
    # -- why ValueError is expected ------------------------------------------------------------
    "when k < 2 (one fold leaves nothing to train on)": "k < 2 时（只有一个折就没有数据可以训练）",
    "when k < 2": "k < 2 时",
    "when k > n (some folds would be empty)": "k > n 时（有些折会是空的）",
    "when i is negative": "i 为负数时",
    "when i >= k": "i >= k 时",
    "when len(X) != len(y)": "len(X) != len(y) 时",
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
K 折交叉验证：把训练数据分成 K 份，每一份轮流做一次验证集，其余 K-1 份做训练集。
数据量小的时候，它能更客观地评估模型。
"""

EXERCISES: dict[str, str] = {
    "get_k_fold_data": """\
把 `n` 个样本（第一维）按顺序分成 `k` 个连续的折，和 scikit-learn 的 `KFold(k, shuffle=False)`
一样：前 `n % k` 折各有 `n // k + 1` 个样本，其余各有 `n // k` 个。第 `i` 折（从 0 开始）是验证集，
其余各折按原来的顺序拼接成训练集，返回 `(X_train, y_train, X_valid, y_valid)`。

注意笔记里的 bug：`fold_size = X.shape[0] // k` 会**悄悄丢掉最后 `n % k` 个样本**。
这里每个样本必须恰好属于一个折。`k < 2`、`k > n`、`i` 不在 `[0, k)` 内，或 `len(X) != len(y)`
时抛出 `ValueError`。`X` 可以有任意多个特征维度。
""",
}
