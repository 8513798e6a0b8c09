"""简体中文: check names, hints and messages of ``softmax_regression.py``."""

MESSAGES: dict[str, str] = {
    "one probability per entry of X: divide exp(X - max) by its sums along dim taken with keepdim=True, which keeps X's shape.": "X 的每个元素对应一个概率：用 keepdim=True 沿 dim 求和，再用 exp(X - max) 除以这些和，结果保持 X 的形状。",
    # -- softmax -------------------------------------------------------------------------------
    "agrees with torch.softmax on generated inputs (shapes, every dim, dtypes, strides)": (
        "在生成的输入上与 torch.softmax 一致（各种形状、每个 dim、各种 dtype、各种步长）"
    ),
    "exponentiate, then divide by the sum along dim: X_exp / X_exp.sum(dim, keepdim=True), "
    "after subtracting the maximum along dim.": (
        "先沿 dim 减去最大值，再取指数，然后除以沿 dim 的和：X_exp / X_exp.sum(dim, keepdim=True)。"
    ),
    "rows sum to 1 and the result is shift invariant (softmax(X + c) == softmax(X))": (
        "每行之和为 1，且结果具有平移不变性（softmax(X + c) == softmax(X)）"
    ),
    "exp overflows: torch.exp(x) is inf once x > 88.7 in float32 (709.8 in float64), and "
    "inf / inf = nan. Softmax is shift invariant, softmax(X - c) == softmax(X) for any c that "
    "is constant along dim, so subtract the maximum along dim first: "
    "X - X.amax(dim, keepdim=True). Then every exponent is <= 0, the largest term is "
    "exp(0) = 1, and nothing overflows (nor does every term underflow to 0).": (
        "exp 会溢出：在 float32 中只要 x > 88.7（float64 中为 709.8），torch.exp(x) 就是 inf，"
        "而 inf / inf = nan。softmax 具有平移不变性：对任何沿 dim 为常数的 c，都有 "
        "softmax(X - c) == softmax(X)，所以先沿 dim 减去最大值：X - X.amax(dim, keepdim=True)。"
        "这样每个指数都 <= 0，最大的一项是 exp(0) = 1，既不会溢出"
        "（也不会所有项都下溢为 0）。"
    ),
    "softmax(X + c) must equal softmax(X) when c is constant along the row. {hint}": (
        "当 c 沿行方向为常数时，softmax(X + c) 必须等于 softmax(X)。{hint}"
    ),
    "the dim argument is honoured for every dimension (and defaults to -1)": (
        "对每个维度都遵循 dim 参数（默认值为 -1）"
    ),
    "take the max and the sum along `dim` (with keepdim=True), not along a fixed dimension "
    "such as 1: softmax(X, dim=0) normalises every column of a matrix.": (
        "沿 `dim` 求最大值和求和（使用 keepdim=True），而不是沿某个固定的维度（例如 1）："
        "softmax(X, dim=0) 对矩阵的每一列做归一化。"
    ),
    "without a dim argument, softmax normalises along the last dimension (dim=-1).": (
        "不传 dim 参数时，softmax 沿最后一个维度（dim=-1）做归一化。"
    ),
    "stays finite and accurate for inputs up to 1e4 in magnitude (float32 and float64)": (
        "输入的绝对值达到 1e4 时结果仍然有限且准确（float32 和 float64）"
    ),
    "-inf entries (masked-out classes) get probability exactly 0": (
        "值为 -inf 的元素（被屏蔽的类别）的概率恰好为 0"
    ),
    "exp(-inf) = 0, so a -inf entry must get probability 0 while the others share the rest. "
    "Shift by the maximum (finite whenever a row has a finite entry); shifting by the mean, "
    "or clamping the inputs, turns -inf into nan or into a tiny non-zero probability.": (
        "exp(-inf) = 0，所以值为 -inf 的元素的概率必须为 0，其余元素分享剩下的概率。"
        "请减去最大值（只要一行中有一个有限的元素，最大值就是有限的）；"
        "减去平均值或对输入做截断（clamp）会把 -inf 变成 nan，或变成一个很小但不为零的概率。"
    ),
    "is differentiable: gradients match torch.softmax's": "可微：梯度与 torch.softmax 的梯度一致",
    "keeps the dtype (float16, bfloat16, float32, float64)": (
        "保持 dtype 不变（float16、bfloat16、float32、float64）"
    ),
    "return X's dtype: if you convert to float32 or float64 for accuracy, convert the result "
    "back with .to(X.dtype).": (
        "返回 X 的 dtype：如果为了精度转换成了 float32 或 float64，"
        "请用 .to(X.dtype) 把结果转换回来。"
    ),
    "X -= X.max(...) or X.exp_() write into the caller's tensor: compute new tensors instead "
    "(X - X_max, torch.exp(...)).": (
        "X -= X.max(...) 或 X.exp_() 会写入调用者的张量：请改为计算新的张量"
        "（X - X_max、torch.exp(...)）。"
    ),
    "the result contains nan or inf where every probability should be finite": (
        "结果中含有 nan 或 inf，而每个概率都应当是有限的"
    ),
    "softmax should return a tensor of X's shape": "softmax 应当返回一个与 X 形状相同的张量",
    "the rows of softmax(X, dim=1) do not sum to 1": "softmax(X, dim=1) 的各行之和不为 1",
    "row sums of 1": "各行之和为 1",
    "row sums {sums}": "各行之和为 {sums}",
    "softmax(X + c) is not finite: adding a constant c to every row (here +1000 and -1000) "
    "must not change the probabilities": (
        "softmax(X + c) 不是有限值：给每一行加上一个常数 c（这里是 +1000 和 -1000）不应改变概率"
    ),
    "softmax(X + c)": "softmax(X + c)",
    "a -inf entry did not get probability exactly 0": "一个值为 -inf 的元素的概率不恰好为 0",
    # -- cross_entropy -------------------------------------------------------------------------
    "agrees with -log(y_hat[i, y[i]]) on generated inputs (sizes, dtypes)": (
        "在生成的输入上与 -log(y_hat[i, y[i]]) 一致（各种大小、各种 dtype）"
    ),
    "for every row i take the predicted probability of the true class, y_hat[i, y[i]] "
    "(y_hat[range(N), y] pairs row i with label y[i]), and return -log of it: one loss per "
    "example.": (
        "对每一行 i，取真实类别的预测概率 y_hat[i, y[i]]"
        "（y_hat[range(N), y] 把第 i 行与标签 y[i] 配对），并返回它的 -log：每个样本一个损失。"
    ),
    "returns one loss per example: a vector of shape (N,)": (
        "每个样本返回一个损失：形状为 (N,) 的向量"
    ),
    "return one loss per example, a vector of shape (N,): no .mean() or .sum() (the training "
    "loop averages), and not y_hat[:, y], which takes every label for every row (an N x N "
    "matrix). Pair row i with label y[i]: y_hat[range(N), y].": (
        "每个样本返回一个损失，即形状为 (N,) 的向量：不要 .mean() 或 .sum()（由训练循环求平均），"
        "也不要用 y_hat[:, y]，它会对每一行取所有标签（得到 N x N 的矩阵）。"
        "要把第 i 行与标签 y[i] 配对：y_hat[range(N), y]。"
    ),
    "the result should be a vector of one loss per example": (
        "结果应当是一个向量，每个样本对应一个损失"
    ),
    "raises ValueError for bad shapes": "形状不对时抛出 ValueError",
    "check the shapes before computing: raise ValueError (not assert, which raises "
    "AssertionError) if y_hat.dim() != 2 or len(y) != len(y_hat).": (
        "在计算之前检查形状：如果 y_hat.dim() != 2 或 len(y) != len(y_hat)，"
        "抛出 ValueError（不要用 assert，它抛出的是 AssertionError）。"
    ),
    "when y_hat is not 2-D or len(y) != len(y_hat)": "y_hat 不是二维的或 len(y) != len(y_hat) 时",
    "is differentiable in y_hat": "对 y_hat 可微",
    "return the input's dtype: no .float() / .double() on the inputs or the result (or "
    "convert the result back with .to(dtype)).": (
        "返回输入的 dtype：不要对输入或结果调用 .float() / .double()"
        "（或者用 .to(dtype) 把结果转换回来）。"
    ),
    "y_hat.clamp_(...) or y_hat.log_() write into the caller's tensor: use the out-of-place "
    "versions (y_hat.clamp(...), torch.log(...)).": (
        "y_hat.clamp_(...) 或 y_hat.log_() 会写入调用者的张量：请使用非原地的版本"
        "（y_hat.clamp(...)、torch.log(...)）。"
    ),
    # -- stable_cross_entropy ------------------------------------------------------------------
    "agrees with F.cross_entropy(logits, y, reduction='none') on generated inputs": (
        "在生成的输入上与 F.cross_entropy(logits, y, reduction='none') 一致"
    ),
    "loss_i = log(sum_k exp(o_ik)) - o_i,y[i], and log(sum_k exp(o_k)) = m + log(sum_k "
    "exp(o_k - m)) with m the row's maximum (the log-sum-exp trick).": (
        "loss_i = log(sum_k exp(o_ik)) - o_i,y[i]，而 log(sum_k exp(o_k)) = "
        "m + log(sum_k exp(o_k - m))，其中 m 是该行的最大值（log-sum-exp 技巧）。"
    ),
    "stays finite and accurate for logits up to 1e4 in magnitude": (
        "logits 的绝对值达到 1e4 时结果仍然有限且准确"
    ),
    "compute the loss from the logits with the log-sum-exp trick: "
    "m = logits.amax(1, keepdim=True); log(sum(exp(logits))) = m + log(sum(exp(logits - m))). "
    "Taking softmax first and log afterwards fails: the probability of a badly wrong class "
    "underflows to 0 and -log(0) = inf; exp(logits) without the shift overflows to inf.": (
        "用 log-sum-exp 技巧直接从 logits 计算损失：m = logits.amax(1, keepdim=True)；"
        "log(sum(exp(logits))) = m + log(sum(exp(logits - m)))。"
        "先求 softmax 再取 log 是行不通的：严重错误的类别的概率会下溢为 0，而 -log(0) = inf；"
        "不做平移的 exp(logits) 则会上溢为 inf。"
    ),
    "the losses contain inf or nan where the true loss is finite": (
        "在真实损失有限的位置，损失中含有 inf 或 nan"
    ),
    "raise ValueError (not assert) if logits.dim() != 2 or len(y) != len(logits).": (
        "如果 logits.dim() != 2 或 len(y) != len(logits)，抛出 ValueError（不要用 assert）。"
    ),
    "when logits is not 2-D or len(y) != len(logits)": (
        "logits 不是二维的或 len(y) != len(logits) 时"
    ),
    "is differentiable: gradients match F.cross_entropy's": (
        "可微：梯度与 F.cross_entropy 的梯度一致"
    ),
    "logits -= m (or other in-place operations) write into the caller's tensor: compute "
    "logits - m instead.": (
        "logits -= m（或其他原地操作）会写入调用者的张量：请改为计算 logits - m。"
    ),
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
从零实现 softmax 回归的三个零件：`softmax`、交叉熵损失，以及数值稳定的交叉熵
（d2l 里说的 “LogSumExp 技巧”）。
"""

EXERCISES: dict[str, str] = {
    "softmax": """\
softmax 把每一行变成概率：`softmax(X)_ij = exp(X_ij) / Σ_k exp(X_ik)`，每个元素非负，每行之和为 1。

笔记里的写法 `X.exp() / X.exp().sum(1, keepdim=True)` 有**数据溢出**的问题：输入到 100 左右
`exp` 就变成 `inf`，结果是 `nan`。改进方法：先减去该行（沿 `dim`）的最大值，结果不变，
但 `exp` 的参数都不大于 0，不会溢出。要求输入的绝对值到 1e4 时结果仍然有限且准确；
`-inf` 的位置概率为 0；可以求导。
不许使用 `torch.softmax`、`F.softmax`、`nn.Softmax`、`log_softmax` 等现成函数。
""",
    "cross_entropy": """\
d2l 的交叉熵：`y_hat` 是 `(N, C)` 的预测概率矩阵，`y` 是长度 `N` 的 int64 标签向量，返回长度
`N` 的向量 `-log(y_hat[i, y[i]])`。用笔记里的“通过索引取值”：`y_hat[range(len(y_hat)), y]`
取出每个样本真实类别的预测概率。对 `y_hat` 可以求导。
`y_hat` 不是二维、或 `len(y) != len(y_hat)` 时抛出 `ValueError`。
不许使用 `F.cross_entropy`、`F.nll_loss`、`nn.CrossEntropyLoss`、`nn.NLLLoss`。
""",
    "stable_cross_entropy": """\
直接从**未归一化的预测**（logits）计算交叉熵，不先做 softmax：

`loss_i = logsumexp(logits_i) - logits_i[y_i]`，其中
`logsumexp(z) = m + log Σ_k exp(z_k - m)`，`m = max_k z_k`。

这就是 PyTorch 的 `F.cross_entropy(logits, y, reduction="none")` 在做的事（“LogSumExp 技巧”）：
logits 的绝对值到 1e4 时结果仍然有限且准确。要自己写，不许使用 softmax 和交叉熵的现成函数，
也不许使用 `torch.logsumexp`。
""",
}
