"""简体中文: check names, hints, messages and teaching text of ``batch_norm.py``."""

MESSAGES: dict[str, str] = {
    "BatchNorm({c}, num_dims=4).to({target}), then a training step on X of shape {shape}": "BatchNorm({c}, num_dims=4).to({target})，然后在形状为 {shape} 的 X 上做一步训练",
    "BatchNorm({c}, num_dims={rank}) in training mode, on X of shape {shape}": "训练模式下的 BatchNorm({c}, num_dims={rank})，输入形状为 {shape} 的 X",
    # -- batch_norm: values ---------------------------------------------------------------------
    "training on (N, C): Y agrees with batch normalisation over the batch (generated shapes, "
    "dtypes, momentum, eps)": (
        "训练模式、输入 (N, C)：Y 与在小批量上做的批量归一化一致（生成的各种形状、数据类型、momentum、eps）"
    ),
    "per feature: the batch mean and the biased variance (the mean squared deviation from the "
    "mean, divided by m) over the batch dimension, then the contract's formula for Y, with "
    "the (C,) tensors reshaped to (1, C) or (1, C, 1, 1) so they broadcast over the right "
    "dimension.": (
        "对每个特征：沿批量维计算小批量均值和有偏方差（与均值之差的平方的平均，除以 m），"
        "再按约定中 Y 的公式计算；形状为 (C,) 的张量要先变形为 (1, C) 或 (1, C, 1, 1)，"
        "才会沿正确的维度广播。"
    ),
    "training on (N, C, H, W): one mean and variance per channel, over dims (0, 2, 3)": (
        "训练模式、输入 (N, C, H, W)：每个通道一个均值和一个方差，在第 (0, 2, 3) 维上计算"
    ),
    "for X of shape (N, C, H, W) there is one mean and one variance per channel, over the "
    "batch and every position: X.mean(dim=(0, 2, 3)), and the (C,) statistics reshaped to "
    "(1, C, 1, 1).": (
        "形状为 (N, C, H, W) 的 X，每个通道只有一个均值和一个方差，在整个小批量和所有位置上计算："
        "X.mean(dim=(0, 2, 3))，(C,) 的统计量要变形为 (1, C, 1, 1)。"
    ),
    "evaluation: Y is normalised with running_mean and running_var (2-D and 4-D)": (
        "评估模式：用 running_mean 和 running_var 归一化 Y（二维和四维输入）"
    ),
    "in evaluation the running statistics take the place of the batch's, reshaped to "
    "(1, C) or (1, C, 1, 1); the batch's own statistics are for training only.": (
        "评估模式下由移动平均的统计量代替小批量的统计量，并变形为 (1, C) 或 (1, C, 1, 1)；"
        "小批量自己的统计量只在训练时使用。"
    ),
    "normalise with the running statistics in evaluation.": "评估模式下用移动平均的统计量做归一化。",
    "Y is divided by the variance, not by the standard deviation sqrt(var + eps)": (
        "Y 除以的是方差，而不是标准差 sqrt(var + eps)"
    ),
    "normalise with torch.sqrt(var + eps): dividing by the variance scales every feature "
    "wrongly (only a variance of exactly 1 hides it).": (
        "用 torch.sqrt(var + eps) 归一化：除以方差会把每个特征缩放错（只有方差恰好为 1 时才看不出来）。"
    ),
    "eps is added outside the square root: (X - mean) / (sqrt(var) + eps)": (
        "eps 加在了平方根外面：(X - mean) / (sqrt(var) + eps)"
    ),
    "the formula is (X - mean) / sqrt(var + eps): eps goes under the root.": (
        "公式是 (X - mean) / sqrt(var + eps)：eps 在根号里面。"
    ),
    "Y is normalised with the unbiased variance (divided by m - 1), not the biased one "
    "(divided by m)": "Y 用无偏方差（除以 m - 1）归一化，而不是有偏方差（除以 m）",
    "X.var(dim) divides by m - 1 by default: normalise with ((X - mean) ** 2).mean(dim) (or "
    "X.var(dim, unbiased=False)); the unbiased variance belongs in new_var only.": (
        "X.var(dim) 默认除以 m - 1：归一化要用 ((X - mean) ** 2).mean(dim)（或 "
        "X.var(dim, unbiased=False)）；无偏方差只用于 new_var。"
    ),
    "the statistics are per position (over dim 0 only), not per channel": (
        "统计量是按位置算的（只在第 0 维上），而不是按通道"
    ),
    "the statistics are per example (over dims (2, 3)), not per channel": (
        "统计量是按样本算的（在第 (2, 3) 维上），而不是按通道"
    ),
    "one mean and variance for the whole batch, not per channel": (
        "整个小批量只算了一个均值和一个方差，而不是每个通道一个"
    ),
    "the statistics are over dims (0, 1), not (0, 2, 3)": "统计量是在第 (0, 1) 维上算的，而不是 (0, 2, 3)",
    "in evaluation, Y is normalised with the batch's statistics instead of the running ones": (
        "评估模式下，Y 用的是小批量自己的统计量，而不是移动平均的统计量"
    ),
    "if not training: use running_mean and running_var (the averages learnt in training): a "
    "test batch may hold a single example.": (
        "不在训练时：用 running_mean 和 running_var（训练中得到的移动平均）：测试时的小批量可能只有一个样本。"
    ),
    "the (C,) statistics broadcast along the last dimension (W), not along the channels": (
        "(C,) 的统计量沿最后一维（W）广播，而不是沿通道维"
    ),
    "batch_norm should return a tuple (Y, new_mean, new_var)": (
        "batch_norm 应返回元组 (Y, new_mean, new_var)"
    ),
    # -- batch_norm: running statistics ---------------------------------------------------------
    "training: new_mean = (1 - momentum) * running_mean + momentum * batch mean": (
        "训练模式：new_mean = (1 - momentum) * running_mean + momentum * 小批量均值"
    ),
    "the new running mean moves a fraction momentum of the way from running_mean to the (C,) "
    "batch mean (the contract's formula); return it with running_mean's shape (C,).": (
        "新的移动平均均值从 running_mean 向形状为 (C,) 的小批量均值移动 momentum 的比例"
        "（约定中的公式）；返回时保持 running_mean 的形状 (C,)。"
    ),
    "training: new_var takes the unbiased batch variance (divided by m - 1)": (
        "训练模式：new_var 用小批量的无偏方差（除以 m - 1）"
    ),
    "new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1), with m = N * H * W "
    "values per channel: torch's running_var is unbiased.": (
        "new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)，其中 m = N * H * W "
        "是每个通道的取值个数：torch 的 running_var 是无偏的。"
    ),
    "see the formula in the check's name.": "见检查名称中的公式。",
    "momentum weighs the old running statistic: new = momentum * running + (1 - momentum) * "
    "batch is Keras's convention, not torch's": (
        "momentum 乘在了旧的移动平均上：new = momentum * running + (1 - momentum) * batch 是 Keras "
        "的约定，不是 torch 的"
    ),
    "torch's convention: new = (1 - momentum) * running + momentum * batch, so momentum = 0.1 "
    "moves the running statistic a tenth of the way to the batch's.": (
        "torch 的约定：new = (1 - momentum) * running + momentum * batch，所以 momentum = 0.1 "
        "表示移动平均向小批量的统计量走十分之一。"
    ),
    "new_var is updated with the biased batch variance (divided by m), not the unbiased one "
    "(divided by m - 1)": "new_var 用有偏的小批量方差（除以 m）更新，而不是无偏方差（除以 m - 1）",
    "torch's running_var takes the unbiased variance: var * m / (m - 1), with m = N * H * W the "
    "number of values per channel; the normalisation itself uses the biased one.": (
        "torch 的 running_var 用的是无偏方差：var * m / (m - 1)，m = N * H * W 是每个通道的取值个数；"
        "归一化本身用的是有偏方差。"
    ),
    "{what} has shape {shape}, not (C,)": "{what} 的形状是 {shape}，不是 (C,)",
    "return the running statistics with the shape they came in, (C,): compute the batch "
    "statistics without keepdim, or reshape them.": (
        "返回的移动平均统计量要保持传入时的形状 (C,)：计算小批量统计量时不要 keepdim，或者变形回来。"
    ),
    "new_mean": "new_mean",
    "new_var": "new_var",
    "evaluation: returns running_mean and running_var unchanged": (
        "评估模式：原样返回 running_mean 和 running_var"
    ),
    "in evaluation nothing is learnt: return running_mean and running_var as they came (or "
    "copies).": "评估时不学习任何东西：原样返回 running_mean 和 running_var（或它们的副本）。",
    # -- batch_norm: autograd, stability, errors, devices ---------------------------------------
    "Y is differentiable: the gradients in X, gamma and beta agree with autograd through "
    "batch normalisation": "Y 可导：对 X、gamma、beta 的梯度与 autograd 经过批量归一化求得的一致",
    "compute Y from X, gamma and beta with differentiable tensor operations: the batch mean "
    "and variance are functions of X too, so do not .detach() them (only the returned running "
    "statistics are detached).": (
        "用可导的张量运算由 X、gamma、beta 计算 Y：小批量的均值和方差也是 X 的函数，不要对它们 "
        ".detach()（只有返回的移动平均统计量才要脱离计算图）。"
    ),
    "Y is not connected to the autograd graph": "Y 没有连在 autograd 的计算图上",
    "Y with requires_grad=True when X, gamma and beta require grad": (
        "X、gamma、beta 需要梯度时，Y 的 requires_grad=True"
    ),
    "no gradient reaches {name}": "梯度传不到 {name}",
    "the gradient in {name}": "对 {name} 的梯度",
    "the returned running statistics carry no gradient (no graph kept)": (
        "返回的移动平均统计量不带梯度（不保留计算图）"
    ),
    "compute new_mean and new_var under torch.no_grad() (or .detach() them): running "
    "statistics that keep the graph keep every batch's graph alive, and a backward pass "
    "through them fails or leaks memory.": (
        "在 torch.no_grad() 下计算 new_mean 和 new_var（或对它们 .detach()）：保留计算图的移动平均会让"
        "每个小批量的计算图一直存活，经过它们反向传播会出错或泄漏内存。"
    ),
    "{call} with X, gamma and beta requiring grad": "{call}，其中 X、gamma、beta 需要梯度",
    "{name} carries autograd history (requires_grad=True)": "{name} 带有 autograd 历史（requires_grad=True）",
    "a tensor without gradient": "不带梯度的张量",
    "accurate with a large common offset: float32 values near 1e4 with unit spread give what "
    "float64 gives": "有很大的公共偏移时依然准确：约 1e4、离散程度为 1 的 float32 数据，结果与 float64 相同",
    "compute the variance as the mean of the squared deviations, ((X - mean) ** 2).mean(dim): "
    "E[x**2] - E[x]**2 subtracts two numbers near 1e8, and float32 keeps only about 7 digits "
    "of them, so a variance near 1 is lost (it can even come out negative).": (
        "把方差算成离差平方的均值 ((X - mean) ** 2).mean(dim)：E[x**2] - E[x]**2 是两个约 1e8 的数相减，"
        "float32 只保留约 7 位有效数字，约为 1 的方差就丢光了（甚至会算成负数）。"
    ),
    "{what} in float32 (compared with its own float64 result)": (
        "float32 下的 {what}（与它自己在 float64 下的结果比较）"
    ),
    "raises ValueError if X is neither 2-D nor 4-D (3-D included)": (
        "X 既不是二维也不是四维（包括三维）时抛出 ValueError"
    ),
    "check X.dim() in (2, 4) first: the course notes feed (N, C, L) batches to BatchNorm1d; "
    "this function takes (N, C) or (N, C, H, W) only.": (
        "先检查 X.dim() in (2, 4)：笔记里把 (N, C, L) 的数据送进了 BatchNorm1d；这个函数只接受 "
        "(N, C) 或 (N, C, H, W)。"
    ),
    "raises ValueError if gamma, beta or a running statistic is not of shape (C,)": (
        "gamma、beta 或移动平均统计量的形状不是 (C,) 时抛出 ValueError"
    ),
    "compare each of gamma, beta, running_mean and running_var with (X.shape[1],) and raise "
    "ValueError with a message naming it.": (
        "把 gamma、beta、running_mean、running_var 的形状逐一与 (X.shape[1],) 比较，不符时抛出 "
        "ValueError，并在信息中指明是哪一个。"
    ),
    "raises ValueError in training with a single value per channel (N * H * W == 1)": (
        "训练时每个通道只有一个值（N * H * W == 1）则抛出 ValueError"
    ),
    "in training, m = N * H * W values per channel must be at least 2: the variance of one "
    "value is 0 and the unbiased one 0 / 0 (torch raises ValueError too).": (
        "训练时每个通道的取值个数 m = N * H * W 至少为 2：一个值的方差是 0，无偏方差是 0 / 0"
        "（torch 也会抛出 ValueError）。"
    ),
    "evaluation accepts a single example (N * H * W == 1)": "评估模式接受单个样本（N * H * W == 1）",
    "the single-value rule is for training only: in evaluation the running statistics "
    "normalise any batch, one example included.": (
        "“至少两个值”的规则只适用于训练：评估时用移动平均的统计量，任何小批量（包括只有一个样本的）都能归一化。"
    ),
    "cannot judge the device: batch_norm fails on CPU inputs too (see the other checks)": (
        "无法判断设备：batch_norm 在 CPU 输入上也会出错（见其他检查）"
    ),
    "does not modify its inputs (running_mean and running_var included)": (
        "不修改输入（包括 running_mean 和 running_var）"
    ),
    "return new tensors for the running statistics: running_mean.mul_(...) or "
    "running_mean[:] = ... write into the caller's tensors (the layer stores the new ones).": (
        "为移动平均统计量返回新的张量：running_mean.mul_(...) 或 running_mean[:] = ... "
        "会写进调用者的张量（由层去保存新的统计量）。"
    ),
    # -- BatchNorm ------------------------------------------------------------------------------
    "gamma (ones) and beta (zeros) are nn.Parameters of shape (num_features,)": (
        "gamma（全 1）和 beta（全 0）是形状为 (num_features,) 的 nn.Parameter"
    ),
    "gamma and beta are nn.Parameters of shape (num_features,), gamma all ones and beta all "
    "zeros: the scale starts at 1 and the shift at 0, so the fresh layer only standardises.": (
        "gamma 和 beta 是形状为 (num_features,) 的 nn.Parameter，gamma 全为 1，beta 全为 0："
        "缩放从 1 开始，平移从 0 开始，所以新建的层只做标准化。"
    ),
    "{name} is not an nn.Parameter of the layer": "{name} 不是这一层的 nn.Parameter",
    "parameters gamma and beta": "参数 gamma 和 beta",
    "running_mean (zeros) and running_var (ones) are registered buffers, in state_dict": (
        "running_mean（全 0）和 running_var（全 1）是注册过的缓冲区，在 state_dict 中"
    ),
    "running_mean (zeros) and running_var (ones) are buffers, registered with the module: a "
    "buffer is saved in state_dict() and moved by .to(); a plain tensor attribute is neither, "
    "and an nn.Parameter would be trained.": (
        "running_mean（全 0）和 running_var（全 1）是向模块注册的缓冲区：缓冲区会保存在 "
        "state_dict() 里、会随 .to() 移动；普通的张量属性两者都不会，而 nn.Parameter 会被训练。"
    ),
    "{name} is an nn.Parameter: the optimizer would train it": "{name} 是 nn.Parameter：优化器会训练它",
    "{name} is not a registered buffer (not in state_dict)": "{name} 不是注册过的缓冲区（不在 state_dict 中）",
    "buffers running_mean and running_var": "缓冲区 running_mean 和 running_var",
    "state_dict keys {keys}": "state_dict 的键为 {keys}",
    "training on (N, C): each step's output matches nn.BatchNorm1d's (3 steps)": (
        "训练模式、输入 (N, C)：每一步的输出都与 nn.BatchNorm1d 的相同（3 步）"
    ),
    "in forward: Y, mean, var = batch_norm(X, self.gamma, self.beta, self.running_mean, "
    "self.running_var, self.training), then in training store mean and var in the buffers.": (
        "在 forward 中：Y, mean, var = batch_norm(X, self.gamma, self.beta, self.running_mean, "
        "self.running_var, self.training)，训练时再把 mean 和 var 存进缓冲区。"
    ),
    "training: running_mean and running_var follow nn.BatchNorm1d's after each step": (
        "训练模式：每一步之后 running_mean 和 running_var 都与 nn.BatchNorm1d 的相同"
    ),
    "in training, store batch_norm's new_mean and new_var in the buffers; torch's running_var "
    "averages the unbiased batch variance.": (
        "训练时把 batch_norm 返回的 new_mean 和 new_var 存进缓冲区；torch 的 running_var 平均的是"
        "小批量的无偏方差。"
    ),
    "in training, store batch_norm's new_mean and new_var in the buffers "
    "(self.running_mean.copy_(new_mean), or assign them); in evaluation leave them as they "
    "are.": (
        "训练时把 batch_norm 返回的 new_mean 和 new_var 存进缓冲区"
        "（self.running_mean.copy_(new_mean)，或直接赋值）；评估时保持不变。"
    ),
    "{name} after step {number} ({mode})": "第 {number} 步（{mode}）之后的 {name}",
    "{what} follows the biased batch variance, not the unbiased one": (
        "{what} 跟随的是小批量的有偏方差，而不是无偏方差"
    ),
    "torch's running_var averages the unbiased variance (divided by m - 1); batch_norm's "
    "new_var gives it.": (
        "torch 的 running_var 平均的是无偏方差（除以 m - 1）；batch_norm 返回的 new_var 就是它。"
    ),
    "on (N, C, H, W) with num_dims = 4: each training step's output matches nn.BatchNorm2d's "
    "(per-channel statistics)": (
        "num_dims = 4、输入 (N, C, H, W)：每个训练步的输出都与 nn.BatchNorm2d 的相同（按通道统计）"
    ),
    "on (N, C, H, W): running_mean and running_var follow nn.BatchNorm2d's": (
        "输入 (N, C, H, W)：running_mean 和 running_var 与 nn.BatchNorm2d 的相同"
    ),
    "evaluation (after net.eval()): the output uses the running statistics, as "
    "nn.BatchNorm1d/2d's (a single example included)": (
        "评估模式（net.eval() 之后）：输出用移动平均的统计量，与 nn.BatchNorm1d/2d 相同（包括单个样本）"
    ),
    "pass self.training to batch_norm: after net.eval() it is False and the layer normalises "
    "with running_mean and running_var.": (
        "把 self.training 传给 batch_norm：net.eval() 之后它为 False，层就用 running_mean 和 "
        "running_var 归一化。"
    ),
    "pass self.training to batch_norm (net.eval() sets it to False), so that evaluation uses "
    "running_mean and running_var.": (
        "把 self.training 传给 batch_norm（net.eval() 会把它设为 False），这样评估时才会用 "
        "running_mean 和 running_var。"
    ),
    "step {number} (eval): the output is normalised with the batch's statistics, not the "
    "running ones": "第 {number} 步（eval）：输出用的是小批量自己的统计量，而不是移动平均的统计量",
    "the output of step {number} ({mode})": "第 {number} 步（{mode}）的输出",
    "gradients reach X, gamma and beta as through nn.BatchNorm1d/2d": (
        "梯度传到 X、gamma、beta，与经过 nn.BatchNorm1d/2d 的相同"
    ),
    "compute the output from self.gamma and self.beta themselves (no .data, no "
    "torch.tensor(...) copies) and from the batch statistics of X, not detached.": (
        "用 self.gamma 和 self.beta 本身（不要 .data，也不要 torch.tensor(...) 复制）以及 X 的小批量"
        "统计量（不要 detach）计算输出。"
    ),
    "the output is not connected to the autograd graph": "输出没有连在 autograd 的计算图上",
    "{call}, then backward": "{call}，然后反向传播",
    "the running statistics keep no graph (training steps on X that requires grad)": (
        "移动平均统计量不保留计算图（在需要梯度的 X 上训练若干步）"
    ),
    "update the buffers under torch.no_grad() (or store detached tensors): a running "
    "statistic computed from X with its graph keeps every batch's graph alive, and a backward "
    "pass in evaluation then fails.": (
        "在 torch.no_grad() 下更新缓冲区（或存入 detach 过的张量）：带着计算图由 X 算出的移动平均"
        "会让每个小批量的计算图一直存活，评估时的反向传播就会出错。"
    ),
    "{name} carries autograd history after step {number}": "第 {number} 步之后 {name} 带有 autograd 历史",
    "a buffer without gradient": "不带梯度的缓冲区",
    "the buffers move with .to(): float64, meta (and CUDA if present)": (
        "缓冲区随 .to() 移动：float64、meta（有 GPU 时还有 CUDA）"
    ),
    "register running_mean and running_var as buffers (self.register_buffer): "
    "layer.to(device) and layer.double() move and convert parameters and buffers, never a "
    "plain tensor attribute.": (
        "把 running_mean 和 running_var 注册为缓冲区（self.register_buffer）：layer.to(device) 和 "
        "layer.double() 会移动、转换参数和缓冲区，但不会处理普通的张量属性。"
    ),
    "BatchNorm({c}, num_dims=4).to({target}), then a training step": (
        "BatchNorm({c}, num_dims=4).to({target})，然后训练一步"
    ),
    "{name} did not move": "{name} 没有移动",
    "raises ValueError if num_dims is not 2 or 4, or X.dim() is not num_dims": (
        "num_dims 不是 2 或 4，或者 X.dim() 不等于 num_dims 时抛出 ValueError"
    ),
    "in __init__: if num_dims not in (2, 4): raise ValueError; in forward: if X.dim() != "
    "self.num_dims: raise ValueError. The course notes apply BatchNorm1d to a 4-D image batch: "
    "a layer made for (N, C) must refuse it.": (
        "在 __init__ 中：if num_dims not in (2, 4): raise ValueError；在 forward 中：if X.dim() != "
        "self.num_dims: raise ValueError。笔记里把 BatchNorm1d 用在了四维的图像数据上："
        "为 (N, C) 建的层必须拒绝它。"
    ),
    "BatchNorm should raise ValueError": "BatchNorm 应抛出 ValueError",
    "a num_dims=2 layer given a 4-D X (N, C, H, W)": "num_dims=2 的层收到四维的 X (N, C, H, W)",
    "a num_dims=2 layer given a 3-D X (N, C, L)": "num_dims=2 的层收到三维的 X (N, C, L)",
    "a num_dims=4 layer given a 2-D X (N, C)": "num_dims=4 的层收到二维的 X (N, C)",
    "BatchNorm({c}, num_dims={rank}) with fixed gamma and beta, steps: {modes}": (
        "BatchNorm({c}, num_dims={rank})，gamma 和 beta 取固定值，各步：{modes}"
    ),
    "{mode} on {shape}": "{mode}，输入形状 {shape}",
    "BatchNorm({c}, num_dims=2)": "BatchNorm({c}, num_dims=2)",
    "BatchNorm({c}, num_dims=4)": "BatchNorm({c}, num_dims=4)",
    "BatchNorm({c}, num_dims={num_dims})": "BatchNorm({c}, num_dims={num_dims})",
    "BatchNorm(...) did not make an nn.Module": "BatchNorm(...) 得到的不是 nn.Module",
    "subclass nn.Module (class BatchNorm(nn.Module):) and call super().__init__() first in "
    "__init__.": (
        "继承 nn.Module（class BatchNorm(nn.Module):），并在 __init__ 里先调用 super().__init__()。"
    ),
    "name the parameters gamma and beta, both of shape (num_features,).": (
        "参数命名为 gamma 和 beta，形状都是 (num_features,)。"
    ),
    "the probe's report could not be read": "无法读取探针的报告",
    "the layer did not return: {reason}": "层没有返回：{reason}",
}

INTRODUCTION = """\
**批量归一化**（d2l 7.5；PyTorch 课程笔记 §10.4）：对每个特征，先用小批量的均值 `μ` 和方差 `σ²`
把数据标准化，再让网络自己学习缩放和平移：

```
x_hat = (x - μ) / sqrt(σ² + eps)
y     = gamma * x_hat + beta
```

`gamma`（缩放）和 `beta`（平移）像权重一样被学习；`eps` 让分母不为 0。全连接层的输出 `(N, C)`
每个特征一个统计量（在批量维上计算）；卷积层的输出 `(N, C, H, W)` 每个**通道**一个统计量
（在批量和所有位置上计算）。训练时用小批量的统计量，并维护它们的移动平均；评估时（`net.eval()`）
可能只有一个样本，于是改用移动平均。
"""

EXERCISES: dict[str, str] = {
    "batch_norm": """\
批量归一化函数，返回 `(Y, new_mean, new_var)`。`X` 为 `(N, C)`（在第 0 维上统计）或
`(N, C, H, W)`（按通道，在第 `(0, 2, 3)` 维上统计）；`gamma`、`beta`、`running_mean`、
`running_var` 的形状都是 `(C,)`。

- 训练：用小批量的均值和**有偏**方差（离差平方的平均，除以 `m = N * H * W`）归一化，并返回更新后的
  移动平均 `new = (1 - momentum) * running + momentum * batch`，其中 `new_var` 用**无偏**方差
  （除以 `m - 1`），与 torch 一致；
- 评估：用 `running_mean` 和 `running_var` 归一化，原样返回它们。

`Y = gamma * (X - mean) / sqrt(var + eps) + beta`，对 `X`、`gamma`、`beta` 可导。
移动平均只是记账，不属于计算图：返回时不带梯度（`detach()` 或在 `torch.no_grad()` 下计算），
也不要修改任何输入。方差要按离差平方的均值计算：数据有很大的公共偏移时（float32、约 1e4），
`E[x**2] - E[x]**2` 是两个约 1e8 的数相减，约为 1 的方差会全部丢失。

笔记里的错误：除以方差而不是 `sqrt(var + eps)`；图像数据在错误的维度上统计；评估时还用小批量的
统计量。`X` 既不是二维也不是四维、形状不匹配、或训练时每个通道只有一个值（`N * H * W == 1`）时
抛出 `ValueError`。不许使用 `F.batch_norm`、`nn.BatchNorm1d/2d` 或 torch 的其他归一化。
""",
    "BatchNorm": """\
批量归一化层：`BatchNorm(num_features, num_dims)`，全连接层之后 `num_dims = 2`（输入 `(N, C)`），
卷积层之后 `num_dims = 4`（输入 `(N, C, H, W)`）。

- `gamma`（全 1）和 `beta`（全 0）是形状为 `(num_features,)` 的 `nn.Parameter`，与网络一起学习；
- `running_mean`（全 0）和 `running_var`（全 1）不学习，所以不是参数，但属于层的状态：用
  `self.register_buffer(name, tensor)` 注册为缓冲区，它们才会随 `net.to(device)` 移动、保存在
  `net.state_dict()` 里；普通的张量属性两样都做不到；
- `forward(X)` 以 `self.training`（由 `net.train()` / `net.eval()` 设置）调用 `batch_norm`，
  训练时把新的移动平均存进缓冲区。两种模式下都与 `nn.BatchNorm1d(num_features)`（`num_dims = 2`）
  或 `nn.BatchNorm2d(num_features)`（`num_dims = 4`）相同。

`num_dims` 不是 2 或 4 时，以及 `forward` 中 `X.dim() != num_dims` 时抛出 `ValueError`：
笔记里把 `nn.BatchNorm1d` 用在了四维的图像数据上，为 `(N, C)` 建的层应当拒绝它。
""",
}
