"""简体中文: check names, hints and messages of ``linear_regression.py``."""

MESSAGES: dict[str, str] = {
    "the first batch the same seed gives: {batch}": "同一随机种子给出的第一个小批量：{batch}",
    "{call}, while the default device is meta": "{call}，此时默认设备为 meta",
    "data_iter fails when the default device is not the data's: {reason}": "默认设备不是数据所在设备时 data_iter 失败：{reason}",
    "with another default device the batches are not those the same seed gives on the CPU": "换一个默认设备后，小批量与同一随机种子在 CPU 上给出的不同",
    "X @ w keeps w's layout: w of shape (d,) gives (n,), w of shape (d, 1) gives (n, 1); reshaping w (or the result) to a column or a vector changes that.": "X @ w 保持 w 的布局：形状为 (d,) 的 w 得到 (n,)，形状为 (d, 1) 的 w 得到 (n, 1)；把 w（或结果）变成列或向量会改变这一点。",
    "X has one row of len(w) draws per example, (num_examples, len(w)), and y one label per example as a column, (num_examples, 1).": "X 每个样本一行、每行 len(w) 个抽样值，形状 (num_examples, len(w))；y 每个样本一个标签，是一列，形状 (num_examples, 1)。",
    "y is X @ w + b (the matrix-vector product of X and w, then b) plus the noise; with noise=0.0 nothing is added.": "y 是 X @ w + b（X 与 w 的矩阵-向量积，再加 b）再加噪声；noise=0.0 时不加任何东西。",
    # -- synthetic_data ------------------------------------------------------------------------
    "returns X of shape (num_examples, len(w)) and y of shape (num_examples, 1)": (
        "返回形状为 (num_examples, len(w)) 的 X 和形状为 (num_examples, 1) 的 y"
    ),
    "X: num_examples rows of len(w) draws from N(0, 1), on w's device with w's dtype; y: "
    "the product of X and w, plus b, plus noise from N(0, noise**2) for every example; "
    "return both, y as a column of shape (num_examples, 1).": (
        "X：num_examples 行、每行 len(w) 个取自 N(0, 1) 的数，设备和数据类型与 w 相同；"
        "y：X 与 w 的乘积加上 b，再给每个样本加上取自 N(0, noise**2) 的噪声；"
        "两者都返回，y 是形状为 (num_examples, 1) 的列向量。"
    ),
    "y is a column in d2l: shape (n, 1), one row per example.": (
        "d2l 里 y 是列向量：形状 (n, 1)，每个样本一行。"
    ),
    "X's entries are independent draws from N(0, 1) (statistical bound)": (
        "X 的元素是从 N(0, 1) 独立抽取的（统计界）"
    ),
    "draw X with torch.normal(0.0, 1.0, (num_examples, len(w))) (or torch.randn): "
    "torch.rand is uniform on [0, 1), not N(0, 1), and every column needs draws of its own.": (
        "用 torch.normal(0.0, 1.0, (num_examples, len(w)))（或 torch.randn）生成 X："
        "torch.rand 是 [0, 1) 上的均匀分布，不是 N(0, 1)；而且每一列都要单独抽取。"
    ),
    "y = X @ w + b + noise, the noise drawn from N(0, noise**2) (statistical bound)": (
        "y = X @ w + b + 噪声，噪声取自 N(0, noise**2)（统计界）"
    ),
    "y is the matrix-vector product of X and w plus b, then noise from N(0, noise**2): "
    "noise is the standard deviation, and the noise is drawn anew for every example.": (
        "y 是 X 与 w 的矩阵-向量乘积加上 b，再加上取自 N(0, noise**2) 的噪声：noise 是"
        "标准差，并且每个样本的噪声都要重新抽取。"
    ),
    "draw with torch.normal or torch.randn (torch's global generator, which "
    "torch.manual_seed controls), not numpy or a torch.Generator of your own, and never "
    "call torch.manual_seed inside the function.": (
        "用 torch.normal 或 torch.randn 抽样（torch 的全局随机数生成器，由 torch.manual_seed "
        "控制），不要用 numpy 或自己的 torch.Generator，也不要在函数里调用 torch.manual_seed。"
    ),
    "raises ValueError if w is not 1-D or num_examples < 0": (
        "w 不是一维或 num_examples < 0 时抛出 ValueError"
    ),
    "check the arguments first: if w.dim() != 1 or num_examples < 0: raise ValueError(...).": (
        "先检查参数：if w.dim() != 1 or num_examples < 0: raise ValueError(...)。"
    ),
    "keeps w's dtype (float16, bfloat16, float32, float64)": (
        "保持 w 的数据类型（float16、bfloat16、float32、float64）"
    ),
    "create X and the noise with dtype=w.dtype: torch.normal without dtype= gives float32, "
    "and float32 @ float64 is an error.": (
        "用 dtype=w.dtype 创建 X 和噪声：不写 dtype= 的 torch.normal 得到 float32，"
        "而 float32 @ float64 会报错。"
    ),
    "creates the data on w's device (meta, default-device trap, CUDA if present)": (
        "在 w 所在的设备上创建数据（meta、默认设备陷阱、有 GPU 时的 CUDA）"
    ),
    "synthetic_data(w={w}, b={b}, num_examples={n}{extra})": (
        "synthetic_data(w={w}, b={b}, num_examples={n}{extra})"
    ),
    "when w is not a vector (1-D)": "当 w 不是向量（一维）时",
    "when num_examples < 0": "当 num_examples < 0 时",
    "synthetic_data should return a pair of tensors (X, y)": (
        "synthetic_data 应当返回一对张量 (X, y)"
    ),
    "X should have shape (num_examples, len(w))": "X 的形状应当是 (num_examples, len(w))",
    "X and y should hold num_examples rows": "X 和 y 应当各有 num_examples 行",
    "with noise=0.0, y should be exactly X @ w + b": "noise=0.0 时，y 应当恰好等于 X @ w + b",
    "two calls after the same torch.manual_seed(1) gave different data: the function "
    "is not reproducible with torch.manual_seed": (
        "在同样的 torch.manual_seed(1) 之后调用两次，得到的数据不同：这个函数不能用 "
        "torch.manual_seed 复现"
    ),
    "torch.manual_seed(1) and torch.manual_seed(2) gave the same data: it does not "
    "depend on torch's global generator": (
        "torch.manual_seed(1) 和 torch.manual_seed(2) 得到了相同的数据：它不依赖 torch 的"
        "全局随机数生成器"
    ),
    "the entries' mean is {mean}; N(0, 1) has mean 0 (a correct solution's mean is "
    "within +-{radius} here)": (
        "元素的均值是 {mean}；N(0, 1) 的均值是 0（正确的解在这里的均值在 +-{radius} 以内）"
    ),
    "the entries' mean square is {square}; N(0, 1) has variance 1 (a correct "
    "solution's is between {low} and {high} here)": (
        "元素的均方是 {square}；N(0, 1) 的方差是 1（正确的解在这里介于 {low} 和 {high} 之间）"
    ),
    "columns 0 and 1 have the same sign in {same} of the rows; independent entries agree "
    "in 50% (+-{radius})": (
        "第 0 列和第 1 列在 {same} 的行中符号相同；独立的元素符号相同的比例是 50%（+-{radius}）"
    ),
    "the noise y - (X @ w + b) has mean {mean}; it should be 0 (within +-{radius})": (
        "噪声 y - (X @ w + b) 的均值是 {mean}；它应当是 0（误差在 +-{radius} 以内）"
    ),
    "the noise y - (X @ w + b) has standard deviation {got}; it should be noise = {noise}": (
        "噪声 y - (X @ w + b) 的标准差是 {got}；它应当是 noise = {noise}"
    ),
    "X is not drawn from N(0, 1): {problems}": "X 不是从 N(0, 1) 抽取的：{problems}",
    "y is not X @ w + b plus the noise: {problems}": "y 不是 X @ w + b 加上噪声：{problems}",
    "X and y are not on w's device": "X 和 y 不在 w 所在的设备上",
    "two tensors on {device}": "位于 {device} 上的两个张量",
    "{call} with w on {device}": "{call}，w 位于 {device}",
    "synthetic_data fails when w is not on the default device: {failure}": (
        "w 不在默认设备上时 synthetic_data 出错：{failure}"
    ),
    # -- linreg --------------------------------------------------------------------------------
    "agrees with X @ w + b: w of shape (d,) gives (n,), w of shape (d, 1) gives (n, 1)": (
        "与 X @ w + b 一致：形状为 (d,) 的 w 得到 (n,)，形状为 (d, 1) 的 w 得到 (n, 1)"
    ),
    "the matrix-vector (or matrix-matrix) product of X and w, then b added to every row by "
    "broadcasting. X * w multiplies elementwise; w @ X has the wrong order.": (
        "先求 X 与 w 的矩阵-向量（或矩阵-矩阵）乘积，再通过广播把 b 加到每一行。"
        "X * w 是按元素相乘；w @ X 的顺序反了。"
    ),
    "is differentiable in w and b (gradients reach both)": "对 w 和 b 可导（梯度能传到两者）",
    "compute with tensor operations on w and b themselves: w.data, w.detach(), "
    "b.item() or torch.tensor(...) cut the gradient that training needs.": (
        "直接对 w 和 b 做张量运算：w.data、w.detach()、b.item() 或 torch.tensor(...) "
        "都会切断训练需要的梯度。"
    ),
    # -- squared_loss --------------------------------------------------------------------------
    "agrees with (y_hat - y)**2 / 2, elementwise (same shapes)": (
        "与按元素计算的 (y_hat - y)**2 / 2 一致（形状相同）"
    ),
    "half the square of each prediction's difference from its label, y first given y_hat's "
    "shape: one loss per example, not a mean.": (
        "每个预测与其标签之差的平方的一半（先把 y 变成 y_hat 的形状）：每个样本一个损失，"
        "不是平均值。"
    ),
    "labels of another shape ((n,) against predictions (n, 1)): y_hat's shape, no broadcasting": (
        "标签形状不同（(n,) 对预测 (n, 1)）：结果是 y_hat 的形状，不发生广播"
    ),
    "reshape y to y_hat's shape before subtracting: (n, 1) - (n,) broadcasts to an (n, n) "
    "matrix of every prediction minus every label. y.reshape(y_hat.shape) lines them up.": (
        "相减之前把 y 变成 y_hat 的形状：(n, 1) - (n,) 会广播成一个 (n, n) 矩阵，"
        "即每个预测减去每个标签。y.reshape(y_hat.shape) 让它们一一对齐。"
    ),
    "raises ValueError when y_hat and y hold different numbers of elements": (
        "y_hat 和 y 的元素个数不同时抛出 ValueError"
    ),
    "compare y_hat.numel() with y.numel() first and raise ValueError: reshape's own "
    "error is a RuntimeError.": (
        "先比较 y_hat.numel() 和 y.numel() 并抛出 ValueError：reshape 自己抛出的是 RuntimeError。"
    ),
    "compute with tensor operations on y_hat: .item(), .detach() or torch.tensor(...) "
    "cut the gradient.": (
        "直接对 y_hat 做张量运算：.item()、.detach() 或 torch.tensor(...) 会切断梯度。"
    ),
    "for 3 predictions and 4 labels": "当有 3 个预测和 4 个标签时",
    "for 2 predictions and 1 label": "当有 2 个预测和 1 个标签时",
    # -- sgd -----------------------------------------------------------------------------------
    "every parameter moves by -lr * param.grad / batch_size (the exact effect)": (
        "每个参数移动 -lr * param.grad / batch_size（精确的效果）"
    ),
    "under torch.no_grad(), move every parameter itself (in place) against its gradient, by lr "
    "times the gradient divided by batch_size; then set its gradient to zero.": (
        "在 torch.no_grad() 下，把每个参数本身（原地）沿梯度的反方向移动：步长是 lr 乘以梯度"
        "再除以 batch_size；然后把它的梯度清零。"
    ),
    "the parameter did not change: `param = param - ...` only rebinds a local name. "
    "Update the tensor itself, in place (an in-place operator or method, under "
    "torch.no_grad()).": (
        "参数没有变化：`param = param - ...` 只是让局部变量指向新张量。要原地更新张量本身"
        "（用原地运算符或原地方法，在 torch.no_grad() 下）。"
    ),
    "the step went up the gradient: subtract lr * param.grad / batch_size, do not add it.": (
        "这一步沿着梯度上升了：应当减去 lr * param.grad / batch_size，而不是加上。"
    ),
    "the step is batch_size times too large: the gradient is of the summed loss, so "
    "divide it by batch_size.": (
        "步长大了 batch_size 倍：梯度来自求和的损失，所以要除以 batch_size。"
    ),
    "zeroes every gradient after the update": "更新之后把每个梯度清零",
    "backward adds to .grad: after updating a parameter, call param.grad.zero_(), or the "
    "next batch steps with every old gradient too.": (
        "backward 会累加到 .grad 上：更新参数之后调用 param.grad.zero_()，否则下一个 batch "
        "会连同以前所有的梯度一起更新。"
    ),
    "updates the parameters in place: the same leaf tensors that require grad": (
        "原地更新参数：仍然是那些需要梯度的叶子张量"
    ),
    "change each parameter in place (param -= ... or param.sub_(...)) inside "
    "torch.no_grad(); do not put new tensors in the list, and do not compute the update "
    "with gradient tracking on (the parameter would stop being a leaf).": (
        "在 torch.no_grad() 里原地修改每个参数（param -= ... 或 param.sub_(...)）；"
        "不要把新张量放进列表，也不要在记录梯度时计算更新（参数会不再是叶子节点）。"
    ),
    "skips a parameter whose grad is None": "跳过 grad 为 None 的参数",
    "a parameter that no gradient has reached has param.grad None: skip it "
    "(if param.grad is None: continue).": (
        "还没有梯度传到的参数，param.grad 是 None：跳过它（if param.grad is None: continue）。"
    ),
    "keeps the parameters on their device (meta, default-device trap, CUDA if present)": (
        "参数留在原来的设备上（meta、默认设备陷阱、有 GPU 时的 CUDA）"
    ),
    "trains d2l's linear regression: w and b within 0.01 of [2, -3.4] and 4.2 after 3 epochs": (
        "能训练 d2l 的线性回归：3 个迭代周期后 w 和 b 与 [2, -3.4] 和 4.2 相差不超过 0.01"
    ),
    "sgd([{params}], lr={lr}, batch_size={batch_size})": (
        "sgd([{params}], lr={lr}, batch_size={batch_size})"
    ),
    "a parameter {value} with grad {grad}": "参数 {value}，梯度为 {grad}",
    "the runner did not report the parameters": "运行进程没有报告参数",
    "a gradient of zeros (param.grad.zero_())": "全为 0 的梯度（param.grad.zero_()）",
    "parameter {position}'s gradient was not zeroed after the update": (
        "更新之后第 {position} 个参数的梯度没有清零"
    ),
    "parameter {position} after the call": "调用之后的第 {position} 个参数",
    "sgd replaced parameters in the list instead of updating them: the model still "
    "holds the old tensors": ("sgd 替换了列表里的参数，而不是更新它们：模型持有的仍是旧的张量"),
    "after the call a parameter is no longer a leaf tensor that requires grad": (
        "调用之后有参数不再是需要梯度的叶子张量"
    ),
    "the parameter whose grad is None changed": "grad 为 None 的参数被改变了",
    "the parameter whose grad is None has a gradient after the call": (
        "调用之后 grad 为 None 的参数有了梯度"
    ),
    "{call} with the parameters on {device}": "{call}，参数位于 {device}",
    "sgd fails when the parameters are not on the default device: {failure}": (
        "参数不在默认设备上时 sgd 出错：{failure}"
    ),
    "the parameters are not on their device after the call": "调用之后参数不在原来的设备上",
    "tensors on {device}": "位于 {device} 上的张量",
    "d2l 3.2's training run (true w = [2, -3.4], b = 4.2, {num_examples} examples, "
    "lr={lr}, batch_size={batch_size}, {num_epochs} epochs) with this sgd": (
        "用这个 sgd 运行 d2l 3.2 的训练（真实的 w = [2, -3.4]，b = 4.2，{num_examples} 个样本，"
        "lr={lr}，batch_size={batch_size}，{num_epochs} 个迭代周期）"
    ),
    "w = {w}, b = {b}, loss after each epoch {losses}": (
        "w = {w}，b = {b}，每个迭代周期后的损失 {losses}"
    ),
    "the training run did not learn w and b": "训练没有学到 w 和 b",
    "w within 0.01 of [2, -3.4] and b within 0.01 of 4.2": (
        "w 与 [2, -3.4] 相差不超过 0.01，b 与 4.2 相差不超过 0.01"
    ),
    # -- data_iter -----------------------------------------------------------------------------
    "every sample exactly once per pass, in batches of batch_size (the last may be "
    "smaller), rows of X and y paired": (
        "每一遍中每个样本恰好出现一次，按 batch_size 分批（最后一批可以更小），X 和 y 的行一一对应"
    ),
    "shuffle the indices (indices = torch.randperm(n, device=features.device)), then for i "
    "in range(0, n, batch_size): take rows = indices[i : i + batch_size] and yield "
    "features[rows], labels[rows].": (
        "先打乱下标（indices = torch.randperm(n, device=features.device)），然后 for i in "
        "range(0, n, batch_size)：取 rows = indices[i : i + batch_size]，"
        "yield features[rows], labels[rows]。"
    ),
    "a random order: shuffled, and a new order on every pass (statistical bound)": (
        "随机顺序：打乱了，而且每一遍的顺序都不同（统计界）"
    ),
    "shuffle the indices of every pass (torch.randperm(n) or random.shuffle(indices)) "
    "before cutting them into batches; never reseed the generator inside.": (
        "每一遍在切分成批之前都打乱下标（torch.randperm(n) 或 random.shuffle(indices)）；"
        "不要在函数里重新设置随机种子。"
    ),
    "raises ValueError for batch_size < 1 or features and labels of different lengths": (
        "batch_size < 1 或 features 与 labels 长度不同时抛出 ValueError"
    ),
    "check the arguments first and raise ValueError: zip would silently stop at the "
    "shorter one, and range(0, n, 0) raises its own error.": (
        "先检查参数并抛出 ValueError：zip 会悄悄地在较短的那个处停下，"
        "而 range(0, n, 0) 会抛出它自己的错误。"
    ),
    "keeps the batches on the data's device (meta, default-device trap, CUDA if present)": (
        "小批量留在数据所在的设备上（meta、默认设备陷阱、有 GPU 时的 CUDA）"
    ),
    "make the index tensor on the data's device (torch.randperm(n, "
    "device=features.device)) and index the tensors themselves: .cpu() or .tolist() "
    "of the data leaves a GPU.": (
        "在数据所在的设备上创建下标张量（torch.randperm(n, device=features.device)），"
        "并直接对张量做索引：对数据调用 .cpu() 或 .tolist() 会离开 GPU。"
    ),
    "does not modify features or labels": "不修改 features 或 labels",
    "shuffle a list (or tensor) of indices, never the data itself: random.shuffle("
    "features) or features[:] = features[perm] rearranges the caller's data.": (
        "打乱的是下标列表（或张量），而不是数据本身：random.shuffle(features) 或 "
        "features[:] = features[perm] 会重排调用者的数据。"
    ),
    "data_iter(batch_size={batch_size}, features={features}, labels={labels})": (
        "data_iter(batch_size={batch_size}, features={features}, labels={labels})"
    ),
    "a tensor of shape {shape} numbering the samples": "形状为 {shape}、给样本编号的张量",
    "{count} labels (10 times the sample's number)": "{count} 个标签（样本编号的 10 倍）",
    "data_iter should yield (X, y) batches": "data_iter 应当逐个产生 (X, y) 小批量",
    "data_iter should yield (X, y) pairs of tensors": "data_iter 应当逐个产生 (X, y) 张量对",
    "a batch has the wrong shape: X should be rows of features and y the matching labels": (
        "某个小批量的形状不对：X 应当是 features 的若干行，y 是对应的标签"
    ),
    "X of shape {x}, y of shape {y}": "形状为 {x} 的 X，形状为 {y} 的 y",
    "rows of X and y are not paired: a batch's labels belong to other samples": (
        "X 和 y 的行没有对应：小批量里的标签属于别的样本"
    ),
    "samples {ids} with labels {labels}": "样本 {ids}，标签 {labels}",
    "index features and labels with the same indices: features[rows], labels[rows].": (
        "用同一组下标索引 features 和 labels：features[rows]、labels[rows]。"
    ),
    "pass {number} does not hold every sample exactly once (missing: {missing}; more "
    "than once: {twice})": (
        "第 {number} 遍没有让每个样本恰好出现一次（缺少：{missing}；出现多次：{twice}）"
    ),
    "shuffle a list of all the indices and cut it into batches: sampling with "
    "replacement (torch.randint) repeats samples, and a range that stops at "
    "n - batch_size drops the last ones.": (
        "把所有下标的列表打乱后再切分成批：有放回抽样（torch.randint）会重复样本，"
        "而在 n - batch_size 处停下的 range 会丢掉最后的样本。"
    ),
    "pass {number} has the wrong batch sizes": "第 {number} 遍的小批量大小不对",
    "batches of batch_size examples, the last one with what is left: indices[i : i + "
    "batch_size] for i in range(0, n, batch_size).": (
        "每批 batch_size 个样本，最后一批是剩下的：for i in range(0, n, batch_size) 取 "
        "indices[i : i + batch_size]。"
    ),
    "pass {number} is not in a random order: sample i + 1 comes right after sample i "
    "{count} times (a random order does that about once, and {limit} times with "
    "probability below 1e-12)": (
        "第 {number} 遍不是随机顺序：样本 i + 1 紧跟在样本 i 之后出现了 {count} 次"
        "（随机顺序大约只有一次，出现 {limit} 次的概率低于 1e-12）"
    ),
    "the first samples: {ids}": "前面的样本：{ids}",
    "two passes gave the same order: draw a new order on every pass (never reseed the "
    "generator inside data_iter)": (
        "两遍的顺序相同：每一遍都要抽取新的顺序（不要在 data_iter 里重新设置随机种子）"
    ),
    "{call} on {device}": "{call}，位于 {device}",
    "the batches are not on the data's device": "小批量不在数据所在的设备上",
    "data_iter modified its input (argument {position}) in place": (
        "data_iter 原地修改了它的输入（第 {position} 个参数）"
    ),
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
d2l 3.2 **从零实现线性回归**：不用框架，自己写出整个训练流程——构造人工数据集
（真实参数 `w = [2, -3.4]`、`b = 4.2`）、随机读取小批量、模型 `Xw + b`、平方损失和
**小批量随机梯度下降**。把它们放在一起训练几个迭代周期，就能找回 `w` 和 `b`。
"""

EXERCISES: dict[str, str] = {
    "synthetic_data": """\
**构造人工数据集**：根据带噪声的线性模型 `y = Xw + b + ε` 生成数据。

`X` 的形状是 `(num_examples, len(w))`，每个元素取自标准正态分布 `N(0, 1)`；噪声 `ε` 取自
`N(0, noise**2)`（`noise` 是**标准差**）。和笔记一样用 `y.reshape((-1, 1))` 把 `y` 变成列向量，
形状 `(num_examples, 1)`。

在 `w` 所在的设备上、用 `w` 的数据类型创建 `X` 和噪声（`device=w.device, dtype=w.dtype`）。
用 torch 的全局随机数生成器，不要在函数里调用 `torch.manual_seed`。
`w` 不是一维或 `num_examples < 0` 时抛出 `ValueError`。
""",
    "linreg": """\
**定义模型**：线性回归 `Xw + b`：`X` 与 `w` 的矩阵乘积，再加上 `b`。`w` 的形状是 `(d,)` 时结果是 `(n,)`，
是 `(d, 1)` 时结果是 `(n, 1)`；`b` 通过广播加到每一行上。
结果要对 `w` 和 `b` 可导（训练要用它们的梯度），所以不要用 `w.data`、`.item()` 之类。
不许使用 `F.linear`、`nn.Linear`、`torch.addmm`。
""",
    "squared_loss": """\
**定义损失函数**：平方损失 `(ŷ - y)² / 2`，`y` 先变成 `y_hat` 的形状，按元素计算，
每个样本一个损失（不求平均：训练时先求和，`sgd` 里再除以批量大小）。

一定要先 `reshape`：`y_hat` 是 `(n, 1)` 而 `y` 是 `(n,)` 时，直接相减会**广播**成 `(n, n)` 的矩阵，
不报错，但损失是错的。元素个数不同时抛出 `ValueError`。不许使用 `F.mse_loss`、`nn.MSELoss`。
""",
    "sgd": """\
**定义优化算法**：小批量随机梯度下降。每个参数移动 `-lr * param.grad / batch_size`，
然后把它的梯度清零。

- 在 `with torch.no_grad():` 里更新（更新不参与梯度计算，而且 autograd 不允许原地修改
  需要梯度的叶子节点）；
- 要**原地**更新参数本身：`param = param - ...` 只是让局部变量指向新张量，模型没有变；
- 更新后把梯度清零：`backward` 是**累加**梯度的，不清零下一批会把以前的梯度也算进去；
- `grad` 为 `None` 的参数（还没有梯度传到）跳过。不许使用 `torch.optim`。
""",
    "data_iter": """\
**读取数据集**：把所有样本的下标打乱（`torch.randperm` 或笔记里的 `random.shuffle`），
再按 `batch_size` 切成小批量，逐个 `yield features[rows], labels[rows]`。
最后一批可能不满（`indices[i : i + batch_size]` 会自动处理）；每一遍每个样本恰好出现一次，
`X` 和 `y` 的行一一对应，每一遍的顺序都不同。

下标张量建在数据所在的设备上（`device=features.device`）。`batch_size < 1` 或两者长度不同时
抛出 `ValueError`。不许使用 `torch.utils.data.DataLoader`。
""",
}
