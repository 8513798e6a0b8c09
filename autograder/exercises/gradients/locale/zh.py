"""简体中文: check names, hints and messages of ``gradients.py``, and its teaching text."""

MESSAGES: dict[str, str] = {
    "return the Jacobian as an (n, n) tensor for an a of length n: J[i, j] = dp_i / da_j.": "对长度为 n 的 a，把雅可比矩阵作为 (n, n) 张量返回：J[i, j] = dp_i / da_j。",
    "the gradient has the logits' shape (N, C): one row per example.": "梯度与 logits 形状相同，为 (N, C)：每个样本一行。",
    # -- activation_grad -------------------------------------------------------------------------
    "sigmoid: agrees with autograd's σ(1 - σ) (float64 and the input's dtype)": (
        "sigmoid：与 autograd 给出的 σ(1 - σ) 一致（float64 和输入自身的数据类型）"
    ),
    "σ'(x) = σ(x) (1 - σ(x)): compute σ once (torch.sigmoid) and use it in both factors.": (
        "σ'(x) = σ(x) (1 - σ(x))：用 torch.sigmoid 算一次 σ，两个因子都用它。"
    ),
    "tanh: agrees with autograd's 1 - tanh² (float64 and the input's dtype)": (
        "tanh：与 autograd 给出的 1 - tanh² 一致（float64 和输入自身的数据类型）"
    ),
    "tanh'(x) = 1 - tanh(x)^2: compute tanh once (torch.tanh) and square it.": (
        "tanh'(x) = 1 - tanh(x)^2：用 torch.tanh 算一次 tanh，再平方。"
    ),
    "relu: 1 where x > 0 and 0 where x < 0": "relu：x > 0 处为 1，x < 0 处为 0",
    "1 where x > 0, 0 where x < 0: comparing with 0 gives a boolean mask; give it X's dtype.": (
        "x > 0 处为 1，x < 0 处为 0：与 0 比较得到布尔掩码，再给它 X 的 dtype。"
    ),
    "leaky_relu: 1 where x > 0 and negative_slope where x < 0 (the default 0.01 and others)": (
        "leaky_relu：x > 0 处为 1，x < 0 处为 negative_slope（默认的 0.01 和其他取值）"
    ),
    "1 where x > 0, negative_slope elsewhere, in X's dtype and on its device. Use the "
    "negative_slope passed in, not 0.01.": (
        "x > 0 处为 1，其余处为 negative_slope，dtype 和设备与 X 相同。要用传进来的 "
        "negative_slope，不要写死 0.01。"
    ),
    "relu and leaky_relu at exactly 0: 0 and negative_slope, as autograd gives": (
        "relu 和 leaky_relu 恰好在 0 处：分别为 0 和 negative_slope，与 autograd 相同"
    ),
    "at exactly 0 ReLU has no derivative; the notes write 1 for x >= 0, but autograd takes 0 "
    "there (and negative_slope for leaky_relu), and so does this exercise: compare with X > 0, "
    "not X >= 0.": (
        "ReLU 在 0 点不可导；笔记里写的是 x >= 0 时导数为 1，但 autograd 在 0 处取 0"
        "（leaky_relu 取 negative_slope），本题也这样规定：比较要用 X > 0，不要用 X >= 0。"
    ),
    "sigmoid and tanh: finite for |x| up to 1e4": "sigmoid 和 tanh：|x| 大到 1e4 时结果仍是有限值",
    "compute σ with torch.sigmoid and tanh with torch.tanh, then the formula: e^{-x} / (1 + "
    "e^{-x})^2 is inf / inf = nan for x = -1e4 (e^{1e4} overflows), and (e^x - e^{-x}) / (e^x "
    "+ e^{-x}) is nan for large |x|.": (
        "先用 torch.sigmoid 算 σ、用 torch.tanh 算 tanh，再代入公式：x = -1e4 时 "
        "e^{-x} / (1 + e^{-x})^2 是 inf / inf = nan（e^{1e4} 上溢），|x| 很大时 "
        "(e^x - e^{-x}) / (e^x + e^{-x}) 也是 nan。"
    ),
    "return X's dtype: (X > 0).float() is float32 whatever X is; use .to(X.dtype), "
    "torch.ones_like(X), torch.full_like(X, ...).": (
        "返回 X 的数据类型：不管 X 是什么类型，(X > 0).float() 都是 float32；"
        "请用 .to(X.dtype)、torch.ones_like(X)、torch.full_like(X, ...)。"
    ),
    "raises ValueError for an unknown name and a non-floating X": (
        "名称未知或 X 不是浮点张量时抛出 ValueError"
    ),
    "after the four names, raise ValueError(...) (not return None); check that X is a "
    "floating-point tensor first: if not X.is_floating_point(): raise ValueError(...).": (
        "四个名称之后要 raise ValueError(...)（不要返回 None）；先检查 X 是浮点张量："
        "if not X.is_floating_point(): raise ValueError(...)。"
    ),
    "X.sigmoid_(), X.clamp_(...) or X[X <= 0] = ... write into the caller's tensor: compute "
    "new tensors.": (
        "X.sigmoid_()、X.clamp_(...) 或 X[X <= 0] = ... 会写进调用者的张量：请计算新的张量。"
    ),
    "for a name it does not know": "遇到它不认识的名称时",
    "for an X that is not floating-point": "X 不是浮点张量时",
    "{what} holds inf or nan where the true values are finite": (
        "{what}在真实值有限的位置出现了 inf 或 nan"
    ),
    "the sign is wrong: σ increases everywhere, so σ'(x) = σ(x) (1 - σ(x)) > 0. σ (σ - 1) "
    "and -σ (1 - σ) are its negatives; e^x / (1 + e^{-x})^2 has the wrong sign in the "
    "exponent (the notes: e^{-x} / (1 + e^{-x})^2).": (
        "符号错了：σ 处处递增，所以 σ'(x) = σ(x) (1 - σ(x)) > 0。σ (σ - 1) 和 -σ (1 - σ) "
        "都是它的相反数；e^x / (1 + e^{-x})^2 指数的符号写错了（笔记里是 e^{-x} / (1 + e^{-x})^2）。"
    ),
    "the sign is wrong: tanh increases everywhere, so tanh'(x) = 1 - tanh(x)^2 > 0 (tanh^2 - "
    "1 is its negative).": (
        "符号错了：tanh 处处递增，所以 tanh'(x) = 1 - tanh(x)^2 > 0（tanh^2 - 1 是它的相反数）。"
    ),
    # -- softmax_jacobian ------------------------------------------------------------------------
    "agrees with autograd's Jacobian of softmax (float64 and the input's dtype)": (
        "与 autograd 给出的 softmax 雅可比矩阵一致（float64 和输入自身的数据类型）"
    ),
    "J[i, j] = p_i (δ_ij - p_j) with p the softmax of a: p on the diagonal, minus the outer product of p with itself.": (
        "J[i, j] = p_i (δ_ij - p_j)，p 是 a 的 softmax：对角线上放 p，再减去 p 与自身的外积。"
    ),
    "every column sums to 0 (the probabilities always sum to 1)": (
        "每一列之和为 0（概率之和总是 1）"
    ),
    "the probabilities always sum to 1, so their changes sum to 0: Σ_i ∂p_i/∂a_j = 0 for every j. J[i, j] = p_i (δ_ij - p_j) has that; check the δ_ij and the signs.": (
        "概率之和总是 1，所以它们的变化量之和为 0：对每个 j 都有 Σ_i ∂p_i/∂a_j = 0。J[i, j] = p_i (δ_ij - p_j) 满足这一点；请检查 δ_ij 和符号。"
    ),
    "finite for entries up to 1e4": "元素大到 1e4 时结果仍是有限值",
    "exp overflows: torch.exp(1e4) is inf, and inf / inf = nan. Take p from torch.softmax(a, "
    "dim=0), or subtract the maximum first: torch.exp(a - a.max()).": (
        "exp 上溢：torch.exp(1e4) 是 inf，而 inf / inf = nan。用 torch.softmax(a, dim=0) "
        "求 p，或者先减去最大值：torch.exp(a - a.max())。"
    ),
    "an empty a gives a (0, 0) result": "空的 a 得到形状为 (0, 0) 的结果",
    "n = len(a) = 0: torch.diag of an empty vector is (0, 0) already; avoid a.max() (it fails "
    "on an empty tensor) or guard it.": (
        "n = len(a) = 0：空向量的 torch.diag 已经是 (0, 0)；不要用 a.max()（它对空张量会报错），"
        "或者先判断一下。"
    ),
    "raises ValueError if a is not 1-D": "a 不是一维张量时抛出 ValueError",
    "check first: if a.dim() != 1: raise ValueError(...) (a matrix would need one Jacobian "
    "per row).": (
        "先检查：if a.dim() != 1: raise ValueError(...)（矩阵的每一行都要一个雅可比矩阵）。"
    ),
    "return a's dtype: a helper made with torch.zeros(n, n) or torch.eye(n) is float32 unless "
    "you pass dtype=a.dtype (or use torch.diag(p), torch.outer(p, p)).": (
        "返回 a 的数据类型：用 torch.zeros(n, n) 或 torch.eye(n) 创建的辅助张量是 float32，"
        "除非传入 dtype=a.dtype（或者直接用 torch.diag(p)、torch.outer(p, p)）。"
    ),
    "a -= a.max() or a.exp_() write into the caller's tensor: compute new tensors (a - "
    "a.max(), torch.exp(...)).": (
        "a -= a.max() 或 a.exp_() 会写进调用者的张量：请计算新的张量（a - a.max()、torch.exp(...)）。"
    ),
    "for an a that is not 1-D": "a 不是一维张量时",
    "the signs are swapped: the diagonal p_i (1 - p_i) is positive (raising a_i raises p_i), the rest -p_i p_j negative.": (
        "符号反了：对角线上的 p_i (1 - p_i) 是正的（a_i 增大，p_i 也增大），其余的 -p_i p_j 是负的。"
    ),
    "one formula for every entry misses Kronecker's δ_ij: p_i (1 - p_j) holds on the diagonal (i == j) only, -p_i p_j off it; together J[i, j] = p_i (δ_ij - p_j).": (
        "所有元素用同一个公式，漏掉了克罗内克 δ_ij：p_i (1 - p_j) 只在对角线上（i == j）成立，对角线外是 -p_i p_j；合起来是 J[i, j] = p_i (δ_ij - p_j)。"
    ),
    "cannot judge the sums: the result is not an (n, n) tensor (see the other checks)": (
        "无法判断各列之和：结果不是 (n, n) 的张量（见其他检查）"
    ),
    "the columns of the Jacobian do not sum to 0": "雅可比矩阵的各列之和不为 0",
    "sums of 0 (within 1e-12)": "和为 0（误差在 1e-12 以内）",
    "column sums {sums}": "各列之和 {sums}",
    # -- cross_entropy_grad ----------------------------------------------------------------------
    "the loss agrees with the mean cross-entropy (float64 and the logits' dtype)": (
        "损失与平均交叉熵一致（float64 和 logits 自身的数据类型）"
    ),
    "loss_i = logsumexp(o_i) - o_i[y_i] with logsumexp(o) = m + log(sum(exp(o - m))), m the "
    "row's maximum; return the mean over the rows.": (
        "loss_i = logsumexp(o_i) - o_i[y_i]，其中 logsumexp(o) = m + log(sum(exp(o - m)))，"
        "m 是这一行的最大值；返回各行的平均值。"
    ),
    "the gradient agrees with autograd's (softmax(logits) - one_hot(y)) / N (float64 and the "
    "logits' dtype)": (
        "梯度与 autograd 给出的 (softmax(logits) - one_hot(y)) / N 一致"
        "（float64 和 logits 自身的数据类型）"
    ),
    "the gradient of the mean loss: (softmax(logits) - one_hot(y)) / N, one row per example, "
    "each row summing to 0.": (
        "平均损失的梯度：(softmax(logits) - one_hot(y)) / N，每个样本一行，每行之和为 0。"
    ),
    "the loss stays finite for logits up to 1e4": "logits 大到 1e4 时损失仍是有限值",
    "torch.log(torch.softmax(o)) underflows: the probability of a badly wrong class is 0 in "
    "floating point and log(0) = -inf. Write the log-probability as o - logsumexp(o), with "
    "logsumexp(o) = m + log(sum(exp(o - m))) and m the row's maximum.": (
        "torch.log(torch.softmax(o)) 会下溢：错得很离谱的类别的概率在浮点数里是 0，而 "
        "log(0) = -inf。把对数概率写成 o - logsumexp(o)，其中 "
        "logsumexp(o) = m + log(sum(exp(o - m)))，m 是这一行的最大值。"
    ),
    "the gradient stays finite for logits up to 1e4": "logits 大到 1e4 时梯度仍是有限值",
    "exp(1e4) overflows to inf, and inf / inf = nan: take the probabilities from "
    "torch.softmax(logits, dim=1), or subtract each row's maximum before exp.": (
        "exp(1e4) 上溢成 inf，而 inf / inf = nan：用 torch.softmax(logits, dim=1) 求概率，"
        "或者在 exp 之前减去每一行的最大值。"
    ),
    "returns (loss, grad): a 0-dim loss and a gradient shaped like the logits": (
        "返回 (loss, grad)：0 维的损失，以及形状与 logits 相同的梯度"
    ),
    "return (loss, grad): loss = the mean, a 0-dim tensor (no keepdim, no [N] vector); grad of "
    "the logits' shape (N, C).": (
        "返回 (loss, grad)：loss 是平均值，一个 0 维张量（不要 keepdim，也不是长为 N 的向量）；"
        "grad 的形状与 logits 相同，为 (N, C)。"
    ),
    "raises ValueError for shapes that do not fit and labels outside [0, C)": (
        "形状不匹配或标签不在 [0, C) 内时抛出 ValueError"
    ),
    "check first: logits.dim() == 2, y.dim() == 1, len(y) == len(logits) >= 1, and 0 <= y < C "
    "(a label of C or -1 would index another class, or fail with IndexError).": (
        "先检查：logits.dim() == 2、y.dim() == 1、len(y) == len(logits) >= 1，以及 0 <= y < C"
        "（标签为 C 或 -1 会取到别的类别，或者抛出 IndexError）。"
    ),
    "return the logits' dtype for both: a one-hot made with torch.zeros(N, C) or F.one_hot(y) "
    "(int64) turns the result float32 or fails; use torch.zeros_like(logits) or "
    ".to(logits.dtype).": (
        "两者都要返回 logits 的数据类型：用 torch.zeros(N, C) 或 F.one_hot(y)（int64）构造的 "
        "one-hot 会让结果变成 float32 或者报错；请用 torch.zeros_like(logits) 或 "
        ".to(logits.dtype)。"
    ),
    "logits -= logits.max(...) or logits.exp_() write into the caller's tensor: compute new "
    "tensors.": ("logits -= logits.max(...) 或 logits.exp_() 会写进调用者的张量：请计算新的张量。"),
    "each row of the gradient sums to 0": "梯度的每一行之和为 0",
    "softmax's row sums to 1 and one_hot(y)'s row too: their difference sums to 0. Check the "
    "one-hot (one 1 per row, at the label).": (
        "softmax 的每行之和为 1，one_hot(y) 的每行也是：两者之差每行之和为 0。"
        "请检查 one-hot（每行只有一个 1，位于标签处）。"
    ),
    "the loss": "损失",
    "the gradient": "梯度",
    "cannot judge the sums: the gradient is not a matrix": "无法判断各行之和：梯度不是矩阵",
    "the rows of the gradient do not sum to 0": "梯度的各行之和不为 0",
    "return loss, grad: a tuple of two tensors.": "return loss, grad：两个张量组成的元组。",
    "the sign is wrong: the cross-entropy is -log(p_y), positive because a probability's log "
    "is negative (the notes' H(p, q) = Σ p log q lacks its minus sign).": (
        "符号错了：交叉熵是 -log(p_y)，因为概率的对数是负的，所以交叉熵是正的"
        "（笔记里的 H(p, q) = Σ p log q 漏了负号）。"
    ),
    "the sign is wrong: raising the true class's logit lowers the loss, so its entry is p_y - "
    "1 < 0: softmax(logits) - one_hot(y), not one_hot(y) - softmax(logits).": (
        "符号错了：提高真实类别的 logit 会降低损失，所以这一项是 p_y - 1 < 0："
        "应为 softmax(logits) - one_hot(y)，而不是 one_hot(y) - softmax(logits)。"
    ),
    "subtract one_hot(y): the true class's entry of each row is (p_y - 1) / N, the others p_k / N.": (
        "要减去 one_hot(y)：每行中真实类别那一项是 (p_y - 1) / N，其余是 p_k / N。"
    ),
    "that is the sum over the rows: the loss is their mean (divide by N).": (
        "这是各行之和：损失是它们的平均值（要除以 N）。"
    ),
    "that is the gradient of the sum over the rows: the loss is their mean, so divide by N: "
    "(softmax(logits) - one_hot(y)) / N.": (
        "这是各行之和的梯度：损失是平均值，所以要除以 N：(softmax(logits) - one_hot(y)) / N。"
    ),
    # -- huber_loss ------------------------------------------------------------------------------
    "agrees with Huber's loss for delta = 1 (float64 and the inputs' dtype)": (
        "delta = 1 时与 Huber 损失一致（float64 和输入自身的数据类型）"
    ),
    "with r = y_hat - y: r² / 2 where |r| <= delta, delta * (|r| - delta / 2) elsewhere (torch.where chooses per element): one loss per element, no mean.": (
        "记 r = y_hat - y：|r| <= delta 处为 r² / 2，其余处为 delta * (|r| - delta / 2)（torch.where 逐元素选择）：每个元素一个损失，不取平均。"
    ),
    "agrees for other deltas: delta * (|r| - delta / 2) beyond delta": (
        "其他 delta 取值也一致：超出 delta 的部分是 delta * (|r| - delta / 2)"
    ),
    "the notes' |r| - 1/2 is Huber's loss for delta = 1 only: in general the linear part is "
    "delta * (|r| - delta / 2), which meets r^2 / 2 at |r| = delta (both delta^2 / 2).": (
        "笔记里的 |r| - 1/2 只是 delta = 1 时的 Huber 损失：一般情况下线性部分是 "
        "delta * (|r| - delta / 2)，它在 |r| = delta 处与 r^2 / 2 相接（两者都等于 delta^2 / 2）。"
    ),
    "is differentiable: its gradient in y_hat is r clipped to [-delta, delta]": (
        "可导：对 y_hat 的梯度是截断到 [-delta, delta] 的 r"
    ),
    "compute with differentiable tensor operations on y_hat (torch.where, torch.abs); a result "
    "built with torch.tensor(...), .item() or .detach() has no gradient.": (
        "用对 y_hat 可导的张量运算来计算（torch.where、torch.abs）；"
        "用 torch.tensor(...)、.item() 或 .detach() 得到的结果没有梯度。"
    ),
    "raises ValueError for inputs of different shapes (no broadcasting)": (
        "两个输入形状不同时抛出 ValueError（不做广播）"
    ),
    "check first: if y_hat.shape != y.shape: raise ValueError(...). Broadcasting a (N, 1) "
    "prediction against (N,) labels silently gives an (N, N) loss.": (
        "先检查：if y_hat.shape != y.shape: raise ValueError(...)。形状为 (N, 1) 的预测和 "
        "(N,) 的标签广播后，会悄悄得到 (N, N) 的损失。"
    ),
    "raises ValueError if delta <= 0": "delta <= 0 时抛出 ValueError",
    "check first: if delta <= 0: raise ValueError(...); with delta = 0 the loss would be 0 "
    "everywhere.": ("先检查：if delta <= 0: raise ValueError(...)；delta = 0 时损失处处为 0。"),
    "return the inputs' dtype: torch.tensor(delta) is float32 (torch.where then promotes); "
    "use the Python number delta directly.": (
        "返回输入的数据类型：torch.tensor(delta) 是 float32（torch.where 会因此提升类型）；"
        "直接使用 Python 数 delta。"
    ),
    "y_hat -= y or r.abs_() on a view of an input write into the caller's tensors: compute r = "
    "y_hat - y as a new tensor.": (
        "y_hat -= y 或对输入视图调用 r.abs_() 会写进调用者的张量：请把 r = y_hat - y 算成一个新张量。"
    ),
    "for inputs of different shapes": "两个输入形状不同时",
    "for delta <= 0": "delta <= 0 时",
    "beyond delta the loss grows with |r|, on both sides: use torch.abs(r) there.": (
        "超出 delta 后，损失在两侧都随 |r| 增长：那里要用 torch.abs(r)。"
    ),
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
**手动求导**（PyTorch 课程第 6 节）。autograd 帮我们算梯度（`loss.backward()`、`torch.autograd.grad`），
但它给出的每个数都来自有人写下的导数公式。本次作业由你亲手写出这些导数，再和 autograd 对照：
sigmoid、tanh、ReLU 的导数，softmax 的雅可比矩阵 $\\frac{\\partial p_i}{\\partial a_j} = p_i(\\delta_{ij} - p_j)$，
交叉熵对 logits 的梯度 $(\\mathrm{softmax}(o) - \\mathrm{onehot}(y)) / N$，以及把 L2 损失和 L1 损失拼接起来的
Huber 鲁棒损失。

“手动”就是不用 autograd：本模块里 `backward`、`torch.autograd.*`、`torch.func.*`（包括 `torch.vmap`）
以及 torch 自带的反向算子（`torch.ops.aten.*_backward`）都会被拒绝。`torch.sigmoid`、`torch.tanh`、
`torch.softmax` 和 `torch.no_grad` 可以用。评分时的标准答案是 float64 下 autograd 的结果。
"""

EXERCISES: dict[str, str] = {
    "activation_grad": """\
返回激活函数 `name` 在 `X` 每个元素处的**导数**：

- `"sigmoid"`：$\\sigma(x) = \\frac{1}{1 + e^{-x}}$，$\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))$；
- `"tanh"`：$\\tanh'(x) = 1 - \\tanh^2(x)$；
- `"relu"`：`x > 0` 处为 1，其余为 0——**在 0 点也取 0**（笔记里写 `x >= 0` 时为 1，但 autograd 和本题都取 0）；
- `"leaky_relu"`：`x > 0` 处为 1，其余为 `negative_slope`。

形状、数据类型、设备都与 `X` 相同；`|x|` 大到 1e4 时也要是有限值（用 `torch.sigmoid` 算 σ：
$e^{-x}/(1+e^{-x})^2$ 在 `x = -1e4` 时是 `inf / inf = nan`）。其他名称（区分大小写）或 `X` 不是浮点张量时
抛出 `ValueError`。
""",
    "softmax_jacobian": """\
softmax 在向量 `a` 处的**雅可比矩阵** `J[i, j] = ∂p_i/∂a_j`，其中 `p = softmax(a)`。由商的求导法则，
对角线上是 $p_i(1 - p_i)$，对角线外是 $-p_i p_j$；用克罗内克符号 $\\delta_{ij}$ 合写为
$J_{ij} = p_i(\\delta_{ij} - p_j)$，即 `J = diag(p) - p pᵀ`。

`a` 是长为 `n` 的一维张量，结果形状为 `(n, n)`（空的 `a` 得到 `(0, 0)`），与 `a` 同设备、同数据类型；
元素大到 1e4 时也要是有限值（先减去最大值，`torch.softmax` 已经这样做了）。`a` 不是一维时抛出 `ValueError`。
""",
    "cross_entropy_grad": """\
返回 `logits`（形状 `(N, C)`，`N >= 1`）对标签 `y`（形状 `(N,)` 的整数张量）的**平均交叉熵**（0 维张量）
以及它对 `logits` 的**梯度** $(\\mathrm{softmax}(\\text{logits}) - \\mathrm{onehot}(y)) / N$（形状 `(N, C)`）。

一行 logits `o`、标签 `y` 的损失是 $-\\log \\mathrm{softmax}(o)_y = \\mathrm{logsumexp}(o) - o_y$——注意负号：
概率的对数是负的，交叉熵是正的（笔记里 $H(p, q) = \\sum p \\log q$ 漏了负号）。logits 大到 1e4 时两者都要是
有限值：`torch.log(torch.softmax(o))` 会下溢成 `log(0) = -inf`，要把最大值 $m$ 提出来：
$\\mathrm{logsumexp}(o) = m + \\log\\sum_k e^{o_k - m}$。形状不匹配或标签不在 `[0, C)` 内时抛出 `ValueError`。
不许用 `cross_entropy`、`nll_loss`、`log_softmax`、`logsumexp`；`torch.softmax` 可以用。
""",
    "huber_loss": """\
逐元素的 **Huber 鲁棒损失**（不求平均）。记残差 $r = \\hat{y} - y$：

$$l(r) = \\begin{cases} r^2 / 2 & |r| \\le \\delta \\\\ \\delta(|r| - \\delta / 2) & \\text{其他} \\end{cases}$$

误差小时像 L2 损失（梯度小），误差大时像 L1 损失（梯度有界，不怕离群点）。$-\\delta/2$ 让两段在
$|r| = \\delta$ 处相接（两边都是 $\\delta^2/2$）；笔记里写的 $|r| - 1/2$ 只适用于 $\\delta = 1$。

`y_hat` 和 `y` 形状必须相同（不做广播，否则抛出 `ValueError`），结果形状也相同；要保持可导
（调用者可能对它反向传播）。`delta <= 0` 时抛出 `ValueError`。不许用 `F.huber_loss`、`F.smooth_l1_loss`。
""",
}
