"""简体中文: check names, hints and messages of ``cnn.py``."""

MESSAGES: dict[str, str] = {
    # -- shared: output sizes ------------------------------------------------------------------
    "with a tuple argument the result should be a tuple (one size per dimension)": (
        "有元组参数时，结果应当是一个元组（每个维度一个大小）"
    ),
    "sizes should be Python ints": "大小应当是 Python int",
    "PyTorch rounds the division down: use // (floor division); / gives a float such as "
    "13.5. Return plain ints, not tensors.": (
        "PyTorch 对除法向下取整：请用 //（整除）；/ 会得到像 13.5 这样的浮点数。"
        "请返回普通的 int，而不是张量。"
    ),
    "wrong output size": "输出大小不对",
    "where {layer} refuses these arguments": "{layer} 拒绝这些参数时",
    # -- conv_output_size ----------------------------------------------------------------------
    "out = floor((n + 2p - d * (k - 1) - 1) / s) + 1 in every dimension: the padding is "
    "added on both sides, a kernel with dilation d covers d * (k - 1) + 1 positions, and the "
    "division rounds down.": (
        "每个维度上 out = floor((n + 2p - d * (k - 1) - 1) / s) + 1：填充加在两侧，"
        "膨胀（dilation）为 d 的卷积核覆盖 d * (k - 1) + 1 个位置，除法向下取整。"
    ),
    "agrees with the output size nn.Conv1d/2d/3d produce for int arguments (and defaults)": (
        "参数为 int 时（以及默认值），与 nn.Conv1d/2d/3d 产生的输出大小一致"
    ),
    "agrees with the output size nn.Conv1d/2d/3d produce for tuple arguments (mixed with "
    "ints)": "参数为元组时（可与 int 混用），与 nn.Conv1d/2d/3d 产生的输出大小一致",
    "dilation: a kernel of size k with dilation d covers d * (k - 1) + 1 positions": (
        "膨胀：大小为 k、膨胀为 d 的卷积核覆盖 d * (k - 1) + 1 个位置"
    ),
    "a kernel of size k with dilation d has d - 1 gaps between its taps, so it covers "
    "d * (k - 1) + 1 input positions: out = floor((n + 2p - d * (k - 1) - 1) / s) + 1. The "
    "course notes' formula (n - k + 2p) / s + 1 is only right for d = 1.": (
        "大小为 k、膨胀为 d 的卷积核，相邻两个取值点之间有 d - 1 个空隙，"
        "所以它覆盖 d * (k - 1) + 1 个输入位置：out = floor((n + 2p - d * (k - 1) - 1) / s) + 1。"
        "课程笔记中的公式 (n - k + 2p) / s + 1 只在 d = 1 时成立。"
    ),
    "raises ValueError exactly where nn.Conv1d/2d/3d refuse the arguments": (
        "恰好在 nn.Conv1d/2d/3d 拒绝参数的情况下抛出 ValueError"
    ),
    "sizes, stride and dilation must be at least 1, padding at least 0, and the dilated "
    "kernel d * (k - 1) + 1 must fit in the padded input n + 2p (else the output would be "
    "empty): raise ValueError in all these cases.": (
        "大小、步幅和膨胀至少为 1，填充至少为 0，并且膨胀后的卷积核 d * (k - 1) + 1 "
        "必须能放进填充后的输入 n + 2p（否则输出为空）：以上情况都要抛出 ValueError。"
    ),
    "tuples: one size per dimension, ints apply to every dimension, ValueError for tuples "
    "of different lengths": (
        "元组：每个维度一个大小，int 适用于每个维度，长度不同的元组抛出 ValueError"
    ),
    "if any argument is a tuple, the result is a tuple of that length, and an int argument "
    "applies to every dimension; tuples of different lengths are an error (ValueError).": (
        "只要有一个参数是元组，结果就是同样长度的元组，int 参数适用于每个维度；"
        "长度不同的元组是错误（ValueError）。"
    ),
    "when tuple arguments have different lengths": "元组参数的长度不同时",
    "returns a Python int when every argument is an int (rounding down, like PyTorch)": (
        "所有参数都是 int 时返回 Python int（和 PyTorch 一样向下取整）"
    ),
    "PyTorch rounds the division down: use // (floor division); / gives a float such as "
    "13.5. With int arguments return an int, not a tuple or a tensor.": (
        "PyTorch 对除法向下取整：请用 //（整除）；/ 会得到像 13.5 这样的浮点数。"
        "参数都是 int 时返回一个 int，而不是元组或张量。"
    ),
    "the result should be a Python int": "结果应当是 Python int",
    # -- pool_output_size ----------------------------------------------------------------------
    "stride=None means stride = kernel_size; the windows are placed like a convolution's: "
    "floor((n + 2p - d * (k - 1) - 1) / s) + 1 (ceil instead of floor with ceil_mode=True).": (
        "stride=None 表示 stride = kernel_size；窗口的摆放方式与卷积相同："
        "floor((n + 2p - d * (k - 1) - 1) / s) + 1（ceil_mode=True 时用 ceil 代替 floor）。"
    ),
    "agrees with the output length of nn.MaxPool1d (ceil_mode=False)": (
        "与 nn.MaxPool1d 的输出长度一致（ceil_mode=False）"
    ),
    "ceil_mode=True rounds up, like nn.MaxPool1d": (
        "ceil_mode=True 时向上取整，与 nn.MaxPool1d 一致"
    ),
    "with ceil_mode=True the division rounds up: a last window that hangs over the right "
    "edge still counts. stride=None means stride = kernel_size; the windows are placed like "
    "a convolution's: floor((n + 2p - d * (k - 1) - 1) / s) + 1 (ceil instead of floor with "
    "ceil_mode=True).": (
        "ceil_mode=True 时除法向上取整：超出右边界的最后一个窗口也算数。"
        "stride=None 表示 stride = kernel_size；窗口的摆放方式与卷积相同："
        "floor((n + 2p - d * (k - 1) - 1) / s) + 1（ceil_mode=True 时用 ceil 代替 floor）。"
    ),
    "ceil_mode: the last window must start inside the input or its left padding": (
        "ceil_mode：最后一个窗口必须从输入内部或其左侧填充中开始"
    ),
    "with ceil_mode=True round the division up, then drop the last window if it would "
    "start in the right padding: if (out - 1) * s >= n + p: out -= 1 (PyTorch's rule).": (
        "ceil_mode=True 时先对除法向上取整，如果最后一个窗口会从右侧填充中开始，就去掉它："
        "if (out - 1) * s >= n + p: out -= 1（PyTorch 的规则）。"
    ),
    "stride=None (the default) means stride = kernel_size": (
        "stride=None（默认值）表示 stride = kernel_size"
    ),
    "pooling windows are side by side by default: if stride is None, use "
    "stride = kernel_size (not 1).": (
        "默认情况下池化窗口一个挨着一个：如果 stride 是 None，"
        "请用 stride = kernel_size（而不是 1）。"
    ),
    "stride=None means stride = kernel_size.": "stride=None 表示 stride = kernel_size。",
    "raises ValueError exactly where nn.MaxPool1d refuses the arguments": (
        "恰好在 nn.MaxPool1d 拒绝参数的情况下抛出 ValueError"
    ),
    "MaxPool1d refuses: kernel size, stride, dilation or input size below 1, negative "
    "padding, padding larger than half the kernel (p > k // 2), and an output size below 1. "
    "Raise ValueError in all these cases.": (
        "MaxPool1d 会拒绝：核大小、步幅、膨胀或输入大小小于 1，填充为负，"
        "填充大于核大小的一半（p > k // 2），以及输出大小小于 1。以上情况都要抛出 ValueError。"
    ),
    # -- corr2d --------------------------------------------------------------------------------
    "Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum() for every position where the kernel fits: "
    "Y has shape (h - kh + 1, w - kw + 1), and K is not flipped (cross-correlation). Create "
    "Y with the inputs' dtype and device.": (
        "对卷积核能放下的每个位置，Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum()："
        "Y 的形状是 (h - kh + 1, w - kw + 1)，并且 K 不翻转（互相关）。"
        "创建 Y 时使用输入的 dtype 和设备。"
    ),
    "agrees with the cross-correlation on generated shapes and dtypes": (
        "在生成的形状和 dtype 上与互相关的结果一致"
    ),
    "d2l's example: the kernel [[1, -1]] finds the vertical edges of an image": (
        "d2l 的例子：卷积核 [[1, -1]] 能找出图像的竖直边缘"
    ),
    "at an edge from 1 to 0 the result is 1, from 0 to 1 it is -1, elsewhere 0. "
    "Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum() for every position where the kernel fits: "
    "Y has shape (h - kh + 1, w - kw + 1), and K is not flipped (cross-correlation). Create "
    "Y with the inputs' dtype and device.": (
        "在从 1 变为 0 的边缘处结果为 1，从 0 变为 1 处为 -1，其他位置为 0。"
        "对卷积核能放下的每个位置，Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum()："
        "Y 的形状是 (h - kh + 1, w - kw + 1)，并且 K 不翻转（互相关）。"
        "创建 Y 时使用输入的 dtype 和设备。"
    ),
    "is differentiable: gradients reach K and X": "可微：梯度能传到 K 和 X",
    "build the result from X and K with tensor operations only: no .item(), .detach(), "
    ".data or torch.tensor(...) of partial results.": (
        "只用张量运算由 X 和 K 构造结果：不要对中间结果使用 .item()、.detach()、.data "
        "或 torch.tensor(...)。"
    ),
    "learns d2l's edge kernel: gradient descent through corr2d recovers [[1, -1]]": (
        "学习 d2l 的边缘检测卷积核：通过 corr2d 做梯度下降能恢复出 [[1, -1]]"
    ),
    "the gradient of the loss with respect to K must be exact, so that gradient descent "
    "can learn the kernel (d2l 6.2.4): compute Y from X and K with differentiable tensor "
    "operations, and do not flip K.": (
        "损失对 K 的梯度必须准确，梯度下降才能学到卷积核（d2l 6.2.4）："
        "用可微的张量运算由 X 和 K 计算 Y，并且不要翻转 K。"
    ),
    "no gradient reached K (at step {step}), so K cannot be learned": (
        "没有梯度传到 K（在第 {step} 步），所以无法学习 K"
    ),
    "gradient descent through your corr2d did not recover the edge kernel": (
        "通过你的 corr2d 做梯度下降没有恢复出边缘检测卷积核"
    ),
    "K ≈ [[1, -1]] (within 0.001)": "K ≈ [[1, -1]]（误差在 0.001 以内）",
    "raises ValueError for inputs that are not 2-D or a kernel larger than the input": (
        "输入不是二维的，或卷积核比输入大时，抛出 ValueError"
    ),
    "check X.dim() == 2 and K.dim() == 2, and kh <= h and kw <= w, before computing; raise "
    "ValueError (a too large kernel must not silently give an empty result).": (
        "在计算之前检查 X.dim() == 2 和 K.dim() == 2，以及 kh <= h 和 kw <= w；"
        "否则抛出 ValueError（卷积核太大时不能悄悄返回一个空结果）。"
    ),
    "when the kernel has more rows than the input": "卷积核的行数比输入多时",
    "when the kernel has more columns than the input": "卷积核的列数比输入多时",
    "when the kernel is larger than the input": "卷积核比输入大时",
    "when X is not 2-D": "X 不是二维时",
    "when K is not 2-D": "K 不是二维时",
    "make the result with dtype=torch.result_type(X, K) (or build it from X and K): "
    "torch.zeros(shape) alone is float32.": (
        "用 dtype=torch.result_type(X, K) 创建结果（或直接由 X 和 K 计算得到）："
        "单独的 torch.zeros(shape) 是 float32。"
    ),
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
卷积神经网络的基本计算：卷积和池化的**输出尺寸**，以及二维**互相关运算** `corr2d`。
"""

EXERCISES: dict[str, str] = {
    "conv_output_size": """\
卷积输出尺寸公式（笔记里的 `H_out = (H_in - H_k + 2*padding)/stride + 1`，加上向下取整和空洞）：

`out = floor((n + 2p - d*(k-1) - 1) / s) + 1`

其中 `n` 输入大小、`k` 卷积核大小、`s` 步幅（stride）、`p` 填充（padding）、`d` 空洞（dilation）。
每个参数可以是整数或整数元组；只要有一个是元组，结果就是同样长度的元组（整数对每个维度都适用）。
尺寸、步幅、空洞小于 1，填充小于 0，元组长度不一致，或输出尺寸小于 1 时抛出 `ValueError`。
结果必须和 `nn.Conv1d/2d/3d` 实际输出的形状一致。
""",
    "pool_output_size": """\
`nn.MaxPool1d` 的输出长度。`stride=None` 表示步幅等于 `kernel_size`。公式和卷积一样，
但 `ceil_mode=True` 时向上取整，而且最后一个窗口必须从输入或左侧填充之内开始，
否则去掉这个窗口。在 `MaxPool1d` 会拒绝这些参数的地方抛出 `ValueError`
（例如填充超过有效核大小 `d*(k-1)+1` 的一半）。
""",
    "corr2d": """\
d2l 的二维**互相关运算**（深度学习里说的“卷积”其实是互相关）：卷积核在输入上滑动，
每个位置对应元素相乘再求和。输入 `(h, w)`、核 `(kh, kw)` 时，输出形状是
`(h - kh + 1, w - kw + 1)`，`Y[i, j] = (X[i:i+kh, j:j+kw] * K).sum()`。

对 `K` 要能求导（d2l 用它学习一个边缘检测的卷积核），所以输出要建在输入的设备和数据类型上。
核比输入大、或输入和核不是二维时抛出 `ValueError`。不许使用 `F.conv2d`、`nn.Conv2d` 等卷积函数。
""",
}
