"""The Simplified Chinese teaching text of every notebook, as data.

Keys are ``"<assignment>"`` (the introduction of the notebook) and
``"<assignment>.<function>"`` (the teaching cell of one exercise).  Values are Markdown.
The English text comes from the solutions' docstrings; this table says the same things the
way the seed notes (``seeds/``) say them, so that the notebook follows the students' own
course.  An exercise missing here is released with its English text only (and
``autograder release`` warns about it).
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    # ------------------------------------------------------------------ tensors
    "tensors": """\
本次作业手写两个最常用的张量操作：**广播**（broadcast）和 **`gather`**。
给偏置加到一个 batch 上、在交叉熵里取出真实类别的预测概率，用的都是它们。
""",
    "tensors.broadcast_shapes": """\
**广播规则**（笔记里的“广播机制”）：

1. 从**尾部的维度**开始，逐个维度对齐；
2. 某个张量前面**不存在**的维度，当作尺寸为 1；
3. 同一位置上的尺寸要么**相等**，要么其中一个为 **1**，结果取不为 1 的那个；
   尺寸 0 是普通的尺寸：它能和 1、0 广播。

例如 `(5, 3, 4, 1)` 和 `(3, 1, 1)` 可以广播，结果是 `(5, 3, 4, 1)`；
`(5, 2, 4, 1)` 和 `(3, 1, 1)` 不行（倒数第三个维度 2 != 3），此时要抛出 `ValueError`。
没有传入任何形状时返回 `()`。不许使用 `torch.broadcast_shapes`、`torch.broadcast_tensors`。
""",
    "tensors.broadcast_to": """\
把张量 `x` 广播到形状 `shape`，结果和 `torch.broadcast_to(x, shape)` 相同。

笔记里的做法：先在前面用 `unsqueeze(0)` 插入尺寸为 1 的维度，直到维数和 `shape` 一样，
再用 `expand` 扩展尺寸为 1 的维度。`expand` 不复制数据，得到的是共享内存的视图。
不能广播时（维数比目标多，或某个尺寸既不等于目标也不是 1）抛出 `ValueError`。
不许使用 `torch.broadcast_to`、`Tensor.broadcast_to`、`torch.broadcast_tensors`。
""",
    "tensors.gather": """\
手写 `torch.gather(input, dim, index)`：“查表”，按 `index` 收集 `input` 在维度 `dim` 上的元素。
输出的形状和 `index` 一样，对三维张量：

```python
out[i][j][k] = input[index[i][j][k]][j][k]   # dim == 0
out[i][j][k] = input[i][index[i][j][k]][k]   # dim == 1
out[i][j][k] = input[i][j][index[i][j][k]]   # dim == 2
```

`dim` 可以是负数（从后往前数）。`index.dim() != input.dim()`，或者在某个 `d != dim` 上
`index.size(d) > input.size(d)` 时抛出 `ValueError`；索引超出 `[0, input.size(dim))` 时抛出
`IndexError`。辅助张量（例如 `torch.arange`）要建在 `input` 所在的设备上。
不许使用 `torch.gather`、`Tensor.gather`、`take_along_dim`。
""",
    # ------------------------------------------------------- softmax_regression
    "softmax_regression": """\
从零实现 softmax 回归的三个零件：`softmax`、交叉熵损失，以及数值稳定的交叉熵
（d2l 里说的 “LogSumExp 技巧”）。
""",
    "softmax_regression.softmax": """\
softmax 把每一行变成概率：`softmax(X)_ij = exp(X_ij) / Σ_k exp(X_ik)`，每个元素非负，每行之和为 1。

笔记里的写法 `X.exp() / X.exp().sum(1, keepdim=True)` 有**数据溢出**的问题：输入到 100 左右
`exp` 就变成 `inf`，结果是 `nan`。改进方法：先减去该行（沿 `dim`）的最大值，结果不变，
但 `exp` 的参数都不大于 0，不会溢出。要求输入的绝对值到 1e4 时结果仍然有限且准确；
`-inf` 的位置概率为 0；可以求导。
不许使用 `torch.softmax`、`F.softmax`、`nn.Softmax`、`log_softmax` 等现成函数。
""",
    "softmax_regression.cross_entropy": """\
d2l 的交叉熵：`y_hat` 是 `(N, C)` 的预测概率矩阵，`y` 是长度 `N` 的 int64 标签向量，返回长度
`N` 的向量 `-log(y_hat[i, y[i]])`。用笔记里的“通过索引取值”：`y_hat[range(len(y_hat)), y]`
取出每个样本真实类别的预测概率。对 `y_hat` 可以求导。
`y_hat` 不是二维、或 `len(y) != len(y_hat)` 时抛出 `ValueError`。
不许使用 `F.cross_entropy`、`F.nll_loss`、`nn.CrossEntropyLoss`、`nn.NLLLoss`。
""",
    "softmax_regression.stable_cross_entropy": """\
直接从**未归一化的预测**（logits）计算交叉熵，不先做 softmax：

`loss_i = logsumexp(logits_i) - logits_i[y_i]`，其中
`logsumexp(z) = m + log Σ_k exp(z_k - m)`，`m = max_k z_k`。

这就是 PyTorch 的 `F.cross_entropy(logits, y, reduction="none")` 在做的事（“LogSumExp 技巧”）：
logits 的绝对值到 1e4 时结果仍然有限且准确。要自己写，不许使用 softmax 和交叉熵的现成函数，
也不许使用 `torch.logsumexp`。
""",
    # ---------------------------------------------------------------------- mlp
    "mlp": """\
多层感知机的两个工具：**丢弃法**（dropout）和 **Xavier 初始化**。
""",
    "mlp.dropout_layer": """\
丢弃法：以概率 `dropout` 把每个元素独立地置 0，留下来的元素除以 `1 - dropout`，
这样期望不变。`dropout` 必须在 `[0, 1]` 内，否则抛出 `ValueError`；`dropout == 1` 返回全 0，
`dropout == 0` 返回 `X` 的值。

注意笔记里的 bug：`mask = (torch.randn(X.shape) > dropout)` 用的是**正态分布** `randn`，
`p = 0.5` 时只保留了约 31% 的元素。要用 `[0, 1)` 上的**均匀分布** `torch.rand`。
掩码要建在 `X` 的设备上，使用全局随机数生成器（`torch.manual_seed` 能复现结果），不要修改 `X`。
不许使用 `F.dropout`、`nn.Dropout`、`torch.dropout` 等现成函数。
""",
    "mlp.fan_in_and_fan_out": """\
PyTorch 的约定：形状为 `(out, in, *kernel)` 的权重，`fan_in = in * prod(kernel)`，
`fan_out = out * prod(kernel)`（全连接层 `nn.Linear` 的权重形状是 `(out, in)`）。
返回 `(fan_in, fan_out)` 两个整数；张量少于 2 维时抛出 `ValueError`。
""",
    "mlp.xavier_uniform_": """\
Xavier 初始化的目的是让每一层输出和梯度的**方差**保持一致，
要求 `Var(w) = 2 / (fan_in + fan_out)`。均匀分布版本：从 `U(-a, a)` 中采样，
`a = gain * sqrt(6 / (fan_in + fan_out))`。

函数名以 `_` 结尾：**原地**填充 `tensor` 并返回同一个对象；对 `requires_grad=True` 的参数也要能用
（在 `torch.no_grad()` 下填充）。不许使用 `nn.init.xavier_uniform_` 等现成的初始化函数。
""",
    "mlp.xavier_normal_": """\
Xavier 初始化的正态分布版本：原地从 `N(0, std^2)` 中采样，
`std = gain * sqrt(2 / (fan_in + fan_out))`，返回同一个对象；对需要梯度的参数也要能用。
不许使用 `nn.init.xavier_normal_` 等现成的初始化函数。
""",
    # ---------------------------------------------------------- model_selection
    "model_selection": """\
K 折交叉验证：把训练数据分成 K 份，每一份轮流做一次验证集，其余 K-1 份做训练集。
数据量小的时候，它能更客观地评估模型。
""",
    "model_selection.get_k_fold_data": """\
把 `n` 个样本（第一维）按顺序分成 `k` 个连续的折，和 scikit-learn 的 `KFold(k, shuffle=False)`
一样：前 `n % k` 折各有 `n // k + 1` 个样本，其余各有 `n // k` 个。第 `i` 折（从 0 开始）是验证集，
其余各折按原来的顺序拼接成训练集，返回 `(X_train, y_train, X_valid, y_valid)`。

注意笔记里的 bug：`fold_size = X.shape[0] // k` 会**悄悄丢掉最后 `n % k` 个样本**。
这里每个样本必须恰好属于一个折。`k < 2`、`k > n`、`i` 不在 `[0, k)` 内，或 `len(X) != len(y)`
时抛出 `ValueError`。`X` 可以有任意多个特征维度。
""",
    # ---------------------------------------------------------------------- cnn
    "cnn": """\
卷积神经网络的基本计算：卷积和池化的**输出尺寸**，以及二维**互相关运算** `corr2d`。
""",
    "cnn.conv_output_size": """\
卷积输出尺寸公式（笔记里的 `H_out = (H_in - H_k + 2*padding)/stride + 1`，加上向下取整和空洞）：

`out = floor((n + 2p - d*(k-1) - 1) / s) + 1`

其中 `n` 输入大小、`k` 卷积核大小、`s` 步幅（stride）、`p` 填充（padding）、`d` 空洞（dilation）。
每个参数可以是整数或整数元组；只要有一个是元组，结果就是同样长度的元组（整数对每个维度都适用）。
尺寸、步幅、空洞小于 1，填充小于 0，元组长度不一致，或输出尺寸小于 1 时抛出 `ValueError`。
结果必须和 `nn.Conv1d/2d/3d` 实际输出的形状一致。
""",
    "cnn.pool_output_size": """\
`nn.MaxPool1d` 的输出长度。`stride=None` 表示步幅等于 `kernel_size`。公式和卷积一样，
但 `ceil_mode=True` 时向上取整，而且最后一个窗口必须从输入或左侧填充之内开始，
否则去掉这个窗口。在 `MaxPool1d` 会拒绝这些参数的地方抛出 `ValueError`
（例如填充超过有效核大小 `d*(k-1)+1` 的一半）。
""",
    "cnn.corr2d": """\
d2l 的二维**互相关运算**（深度学习里说的“卷积”其实是互相关）：卷积核在输入上滑动，
每个位置对应元素相乘再求和。输入 `(h, w)`、核 `(kh, kw)` 时，输出形状是
`(h - kh + 1, w - kw + 1)`，`Y[i, j] = (X[i:i+kh, j:j+kw] * K).sum()`。

对 `K` 要能求导（d2l 用它学习一个边缘检测的卷积核），所以输出要建在输入的设备和数据类型上。
核比输入大、或输入和核不是二维时抛出 `ValueError`。不许使用 `F.conv2d`、`nn.Conv2d` 等卷积函数。
""",
    # ----------------------------------------------------------------- training
    "training": """\
训练循环：一个迭代周期的训练、在数据集上评估准确率，以及多个周期的训练。
传入的损失函数返回 batch 的平均值（和 `nn.CrossEntropyLoss()` 一样），优化器是
`torch.optim.Optimizer`；`device=None` 表示用网络第一个参数所在的设备。
""",
    "training.train_epoch": """\
训练一个迭代周期：先 `net.train()` 设为训练模式；对每个 batch，把 `X, y` 搬到设备上，
计算损失，然后三件事缺一不可：`optimizer.zero_grad()`（梯度清零）、`loss.backward()`
（反向传播，注意要加括号！笔记里写成了 `loss.backward`，什么都没做）、`optimizer.step()`。

返回 `(平均每个样本的损失, 准确率)`：损失是 batch 平均值，要乘以 batch 大小再累加，
最后除以样本总数（最后一个 batch 可能不满）。迭代器为空时抛出 `ValueError`。
设备写错（例如笔记里的 `'cida:0'`）会直接报错，设备用 `device` 参数或网络参数的设备。
""",
    "training.evaluate_accuracy": """\
在一个数据集上计算准确率：先 `net.eval()` 设为**评估模式**（dropout、batch norm 的行为会改变），
并在 `torch.no_grad()` 下计算，不构建计算图。准确率是所有样本中 `argmax` 预测正确的比例；
按正确数和样本数累加再相除，而不是对每个 batch 的准确率取平均（最后一个 batch 可能不满）。
""",
    "training.train": """\
完整的训练：每个迭代周期先调用 `train_epoch` 训练，再用 `evaluate_accuracy` 在测试集上评估。
返回一个列表，每个周期一个字典：
`{"epoch": 从 1 开始的周期数, "train_loss": ..., "train_acc": ..., "test_acc": ...}`。
""",
}
