"""简体中文: check names, hints and messages of ``regularization.py``."""

MESSAGES: dict[str, str] = {
    "only evaluate the net: no optimizer step, no in-place change of its parameters (or of net(features), which may share them).": "只评估网络：不做优化器步骤，不原地修改它的参数（也不修改可能与之共享内存的 net(features)）。",
    "log_rmse refused positive labels (0.5 and 1.0)": "log_rmse 拒绝了正的标签（0.5 和 1.0）",
    "a value: every label is positive": "一个值：每个标签都是正的",
    "raise ValueError only for a label of 0 or less (labels > 0 everywhere is fine, 0.5 included).": "只在标签小于或等于 0 时抛出 ValueError（所有标签都 > 0 就没问题，包括 0.5）。",
    # -- relu ----------------------------------------------------------------------------------
    "agrees with max(x, 0) on generated inputs (shapes, dtypes, strides)": (
        "在生成的输入上与 max(x, 0) 一致（各种形状、数据类型、步长）"
    ),
    "compare X elementwise with zeros of its own shape, dtype and device (torch.zeros_like "
    "makes them) and keep the larger of each pair (torch.max of two tensors). torch.max(X, 0) "
    "is something else: the maximum along dimension 0, with its indices.": (
        "把 X 和形状、数据类型、设备都相同的全零张量（torch.zeros_like 可以生成）逐元素比较，"
        "每对取较大的一个（两个张量的 torch.max）。torch.max(X, 0) 是另一回事：它求的是沿第 0 维"
        "的最大值及其下标。"
    ),
    "the gradient is 1 where x > 0 and 0 where x < 0": "梯度在 x > 0 处为 1，在 x < 0 处为 0",
    "compute with differentiable tensor operations on X (torch.max, torch.where, "
    "X * (X > 0)); a result built with torch.tensor(...), .numpy() or .detach() has no "
    "gradient.": (
        "用对 X 可导的张量运算来计算（torch.max、torch.where、X * (X > 0)）；"
        "用 torch.tensor(...)、.numpy() 或 .detach() 得到的结果没有梯度。"
    ),
    "X[X < 0] = 0 and X.clamp_(min=0) write into the caller's tensor: build a new one.": (
        "X[X < 0] = 0 和 X.clamp_(min=0) 会写进调用者的张量：请创建一个新张量。"
    ),
    # -- l2_penalty / l1_penalty ---------------------------------------------------------------
    "agrees with sum(w**2) / 2, a 0-dim tensor (generated shapes and dtypes)": (
        "与 sum(w**2) / 2 一致，是一个 0 维张量（生成的各种形状和数据类型）"
    ),
    "half the sum of the squares of w's elements, a 0-dim tensor.": (
        "w 各元素平方和的一半，一个 0 维张量。"
    ),
    "the gradient is w": "梯度是 w",
    "keep the penalty a tensor computed from w (no .item(), .data or float(...)): it is "
    "added to the loss, and its gradient w is what shrinks the weights.": (
        "惩罚项要保持为由 w 计算出的张量（不要用 .item()、.data 或 float(...)）：它要加到损失上，"
        "正是它的梯度 w 让权重变小。"
    ),
    "agrees with sum(|w|), a 0-dim tensor (generated shapes and dtypes)": (
        "与 sum(|w|) 一致，是一个 0 维张量（生成的各种形状和数据类型）"
    ),
    "the sum of the absolute values of w's elements, a 0-dim tensor.": (
        "w 各元素绝对值之和，一个 0 维张量。"
    ),
    "the gradient is sign(w), 0 where w == 0": "梯度是 sign(w)，w == 0 处为 0",
    "use torch.abs: its gradient is sign(w), 0 at 0, while sqrt(w**2) has the gradient "
    "0 / 0 = nan at 0; keep the result a tensor computed from w.": (
        "用 torch.abs：它的梯度是 sign(w)，在 0 处为 0；而 sqrt(w**2) 在 0 处的梯度是 "
        "0 / 0 = nan。结果要保持为由 w 计算出的张量。"
    ),
    "compute new tensors (w.pow(2), torch.abs(w)); w.pow_(2) or w.abs_() change "
    "the model's weights.": (
        "计算新的张量（w.pow(2)、torch.abs(w)）；w.pow_(2) 或 w.abs_() 会改变模型的权重。"
    ),
    "weight decay with it shrinks the weights of d2l 4.5's overfitting model": (
        "用它做权重衰减，能让 d2l 4.5 中过拟合模型的权重变小"
    ),
    "the penalty must be a differentiable tensor of w (half the sum of its squares): its "
    "gradient lambd * w is what pulls every weight towards 0.": (
        "惩罚项必须是对 w 可导的张量（它各元素平方和的一半）：正是它的梯度 lambd * w "
        "把每个权重往 0 拉。"
    ),
    "d2l 4.5's training (20 examples, 200 features, lr={lr}, {num_epochs} epochs) with "
    "lambd = 0 and lambd = 3, the loss squared_loss + lambd * l2_penalty(w)": (
        "d2l 4.5 的训练（20 个样本、200 个特征，lr={lr}，{num_epochs} 个迭代周期），"
        "lambd = 0 和 lambd = 3 各一次，损失为 squared_loss + lambd * l2_penalty(w)"
    ),
    "weight decay did not shrink the weights": "权重衰减没有让权重变小",
    "the L2 norm of w with lambd = 3 at most a tenth of the one with lambd = 0": (
        "lambd = 3 时 w 的 L2 范数至多是 lambd = 0 时的十分之一"
    ),
    "norms {norms}": "范数 {norms}",
    # -- accuracy ------------------------------------------------------------------------------
    "counts the rows whose largest score is at the label (scores with several columns)": (
        "统计最大得分恰好在标签处的行数（有多列得分时）"
    ),
    "if y_hat has more than one column, take the class of the largest score in each row "
    "(argmax along dimension 1); then count the predictions, cast to y's dtype, that equal y, "
    "and return the count as a float: the number of correct predictions, not the fraction.": (
        "如果 y_hat 多于一列，就取每行得分最大的类别（沿第 1 维的 argmax）；然后统计转成 y 的数据类型后"
        "与 y 相等的预测个数，以 float 返回：预测正确的**数量**，不是比例。"
    ),
    "compares predicted labels (1-D y_hat) with y directly": (
        "直接把预测的标签（一维的 y_hat）和 y 比较"
    ),
    "argmax only when y_hat has more than one column: a 1-D y_hat already holds the "
    "predicted labels (len(y_hat.shape) > 1 and y_hat.shape[1] > 1).": (
        "只有 y_hat 多于一列时才取 argmax：一维的 y_hat 已经是预测的标签"
        "（len(y_hat.shape) > 1 and y_hat.shape[1] > 1）。"
    ),
    "compare the predictions, cast to y's dtype, with y and count.": (
        "把转成 y 的数据类型的预测和 y 比较，统计相等的个数。"
    ),
    "returns a Python float": "返回 Python 的 float",
    "casts 1-D predictions to y's dtype before comparing (2.2 against label 2 counts)": (
        "比较之前把一维预测转换成 y 的 dtype（2.2 对标签 2 算对）"
    ),
    "compare y_hat.type(y.dtype) == y, as d2l does: float predictions are cast to the "
    "labels' integer dtype first (2.2 becomes 2, 0.9 becomes 0), then compared.": (
        "像 d2l 那样比较 y_hat.type(y.dtype) == y：先把浮点预测转换成标签的整数 dtype"
        "（2.2 变成 2，0.9 变成 0），再比较。"
    ),
    "return float(...) of the count: a tensor (even with one element) or an int is "
    "not what d2l's Accumulator adds up.": (
        "返回计数的 float(...)：张量（即使只有一个元素）或 int 都不是 d2l 的 Accumulator 要累加的。"
    ),
    "accuracy should return a Python float": "accuracy 应当返回 Python 的 float",
    "works where the default device is not the inputs' (and on CUDA if present)": (
        "默认设备不是输入所在设备时也能工作（有 GPU 时也在 CUDA 上）"
    ),
    "the result changes when the default device is not the input's device": (
        "默认设备不是输入所在设备时，结果变了"
    ),
    "rebinding the name y_hat to the row-wise argmax is fine; writing into y_hat or y "
    "(y_hat[...] = ..., y_hat.argmax_ ...) is not.": (
        "让变量 y_hat 指向按行取的 argmax 没问题；写进 y_hat 或 y（y_hat[...] = ... 等）则不行。"
    ),
    # -- log_rmse ------------------------------------------------------------------------------
    "agrees with sqrt(mean((log(clamp(pred, 1)) - log(labels))**2)) on house prices": (
        "在房价数据上与 sqrt(mean((log(clamp(pred, 1)) - log(labels))**2)) 一致"
    ),
    "clipped = torch.clamp(net(features), 1, float('inf')); then "
    "torch.sqrt(torch.mean((torch.log(clipped) - torch.log(labels)) ** 2)).item().": (
        "clipped = torch.clamp(net(features), 1, float('inf'))；然后 "
        "torch.sqrt(torch.mean((torch.log(clipped) - torch.log(labels)) ** 2)).item()。"
    ),
    "counts predictions below 1 (negative ones too) as 1: no nan or inf": (
        "小于 1 的预测（包括负数）按 1 计算：不出现 nan 或 inf"
    ),
    "clamp the predictions to [1, inf) before the logarithm: torch.clamp(pred, 1, "
    "float('inf')). log of a negative prediction is nan, log(0) is -inf.": (
        "取对数之前把预测限制在 [1, inf)：torch.clamp(pred, 1, float('inf'))。"
        "负数的对数是 nan，log(0) 是 -inf。"
    ),
    "clamp the predictions to [1, inf) before the logarithm (min=1, not 0).": (
        "取对数之前把预测限制在 [1, inf)（下限是 1，不是 0）。"
    ),
    "turn the 0-dim result into a Python number (.item() or float(...)): a tensor is "
    "not a number to print or plot.": (
        "把 0 维的结果变成 Python 的数（.item() 或 float(...)）：张量不是可以直接打印或画图的数。"
    ),
    "log_rmse should return a Python float": "log_rmse 应当返回 Python 的 float",
    "records no gradients: computed under torch.no_grad()": (
        "不记录梯度：在 torch.no_grad() 下计算"
    ),
    "evaluation only: wrap the computation in `with torch.no_grad():`, so no graph "
    "is built for a backward pass that never comes.": (
        "只是评估：把计算放在 `with torch.no_grad():` 里，不必为不会发生的反向传播构建计算图。"
    ),
    "the net ran with gradient recording on": "网络在记录梯度的状态下运行了",
    "every forward pass under torch.no_grad()": "每次前向传播都在 torch.no_grad() 下",
    "gradient recording at each forward pass: {modes}": "每次前向传播时是否记录梯度：{modes}",
    "log_rmse changed the net's parameters": "log_rmse 改变了网络的参数",
    "raises ValueError if a label is not positive": "有标签不是正数时抛出 ValueError",
    "check the labels first, and raise ValueError unless every one is greater than 0. The "
    "logarithm of a price of 0 or less is undefined.": (
        "先检查标签：只要有一个不大于 0 就抛出 ValueError。0 或负数价格的对数没有定义。"
    ),
    "for a label of 0": "当有标签为 0 时",
    "for a negative label": "当有标签为负数时",
    "log_rmse(net=nn.Linear with weight {weight} and bias {bias}, features={features}, "
    "labels={labels})": (
        "log_rmse(net=权重为 {weight}、偏置为 {bias} 的 nn.Linear, features={features}, "
        "labels={labels})"
    ),
    "log_rmse gave the wrong value": "log_rmse 的值不对",
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
正则化与评估：d2l 4.5 的**权重衰减**（在损失上加 `lambd * l2_penalty(w)`，训练时把每个权重往 0 拉，
特征多、样本少的模型就不那么容易过拟合），以及衡量模型好坏的两个指标：分类正确的**数量**
（d2l 3.6 的 `accuracy`）和 Kaggle 房价预测比赛用的**对数均方根误差**（d2l 4.10）。
"""

EXERCISES: dict[str, str] = {
    "relu": """\
实现 **ReLU** 激活函数：`max(x, 0)`，逐元素计算。笔记里的写法：
和一个全零张量逐元素比较、取较大的那个——全零张量要和 `X` 的形状、数据类型、设备都相同。
注意 `torch.max(X, 0)` 是沿第 0 维求最大值，不是和 0 比较。梯度在 `x > 0` 处为 1，`x < 0` 处为 0。
不要修改 `X`（`X[X < 0] = 0` 会改掉调用者的数据）。不许使用 `torch.relu`、`F.relu`、`nn.ReLU` 等。
""",
    "l2_penalty": """\
**L2 范数惩罚**：`w` 所有元素平方和的一半，一个 0 维张量。训练时最小化
`loss + lambd * l2_penalty(w)`；除以 2 是为了求导后梯度正好是 `w`，每一步就把 `w` 缩小
`lr * lambd * w`（所以叫“权重衰减”）。它要加到损失里参与求导，所以不能用 `.item()`。
""",
    "l1_penalty": """\
**L1 范数惩罚**：`w` 所有元素绝对值之和，一个 0 维张量。它的梯度是 `sign(w)`（在 0 处为 0），
对每个权重都是同样大小的拉力，会把小的权重直接拉到 0。用 `torch.abs`：`sqrt(w**2)` 的值一样，
但在 0 处的梯度是 `nan`。
""",
    "accuracy": """\
d2l 的 `accuracy`：计算**预测正确的数量**（不是比例），以 Python 的 `float` 返回。
如果 `y_hat` 是多于一列的矩阵，每行是各类别的得分，先沿第 1 维取 `argmax`，得到每行最大值的下标；
否则 `y_hat` 已经是预测的标签。把预测转成 `y` 的数据类型（`y_hat.type(y.dtype)`）再和 `y` 比较、求和。
""",
    "log_rmse": """\
房价预测比赛的评价指标：**对数均方根误差** `sqrt(mean((log(pred) - log(labels))**2))`，
返回 Python 的 `float`。我们关心的是**相对误差**（北京和旺苍的房价差 10 万，意义不一样），
所以比较对数。先用 `torch.clamp(net(features), 1, float('inf'))` 把小于 1 的预测变成 1
（否则对数是 `-inf` 或 `nan`）。只是评估，所以在 `torch.no_grad()` 下计算。
有标签不是正数时抛出 `ValueError`。
""",
}
