"""简体中文: check names, hints and messages of ``mlp.py``."""

MESSAGES: dict[str, str] = {
    "dropout = {p}: the result should have X's dtype": "dropout = {p}：结果应与 X 的 dtype 相同",
    "dropout = {p}: the result should have X's shape": "dropout = {p}：结果应与 X 的形状相同",
    "keep X's dtype: torch.zeros(X.shape) and torch.tensor(...) make float32 tensors; torch.zeros_like(X) (or X * 0) keeps X's dtype and device.": "保持 X 的 dtype：torch.zeros(X.shape) 和 torch.tensor(...) 创建的是 float32 张量；torch.zeros_like(X)（或 X * 0）保留 X 的 dtype 和设备。",
    "return a tensor of X's shape: a mask drawn with torch.rand(X.shape) has it, and so has mask * X / (1 - dropout).": "返回与 X 形状相同的张量：用 torch.rand(X.shape) 抽取的掩码具有这个形状，mask * X / (1 - dropout) 也是。",
    # -- dropout_layer: statistics -------------------------------------------------------------
    "the result has shape {got}, X has shape {wanted}": (
        "结果的形状是 {got}，而 X 的形状是 {wanted}"
    ),
    "0 or x / (1 - p) = {value}": "0 或 x / (1 - p) = {value}",
    "element {index} is {value} for x = {x} and p = {p}; it may only be {allowed}": (
        "当 x = {x}、p = {p} 时，元素 {index} 的值是 {value}；它只能是 {allowed}"
    ),
    "with dropout = {p}, {rate} of the {n} elements were kept; each element should survive "
    "with probability 1 - p = {wanted} (a correct solution keeps between {low} and {high}).": (
        "dropout = {p} 时，{n} 个元素中保留了 {rate}；每个元素应当以 1 - p = {wanted} 的概率被保留"
        "（正确的实现保留的比例在 {low} 到 {high} 之间）。"
    ),
    "{problem} {randn_rate} is exactly the keep rate of torch.randn(X.shape) > {p}: "
    "torch.randn draws from the normal distribution N(0, 1), which is not between 0 and 1. "
    "Use torch.rand, uniform on [0, 1): then rand > p with probability exactly 1 - p.": (
        "{problem}{randn_rate} 恰好是 torch.randn(X.shape) > {p} 的保留率："
        "torch.randn 从正态分布 N(0, 1) 中采样，其取值并不在 0 和 1 之间。"
        "请使用在 [0, 1) 上均匀分布的 torch.rand：这样 rand > p 的概率恰好是 1 - p。"
    ),
    "neighbouring rows were kept or dropped together in {together} of positions; with {rate} "
    "of the elements kept independently, it happens in {chance} (+-{radius})": (
        "相邻的行在 {together} 的位置上同时被保留或同时被丢弃；"
        "如果每个元素以 {rate} 的比例独立地被保留，"
        "这种情况只应出现在 {chance}（+-{radius}）的位置上"
    ),
    "neighbouring columns were kept or dropped together in {together} of positions; with "
    "{rate} of the elements kept independently, it happens in {chance} (+-{radius})": (
        "相邻的列在 {together} 的位置上同时被保留或同时被丢弃；"
        "如果每个元素以 {rate} 的比例独立地被保留，"
        "这种情况只应出现在 {chance}（+-{radius}）的位置上"
    ),
    "the values' mean is {mean}; U(-a, a) has mean 0 (a correct solution's mean is within "
    "+-{radius} here)": (
        "这些值的均值是 {mean}；U(-a, a) 的均值为 0（在这里，正确实现的均值在 +-{radius} 以内）"
    ),
    "the values' variance is {square}; U(-a, a) with a = {a} has variance a**2 / 3 = {variance}": (
        "这些值的方差是 {square}；a = {a} 时，U(-a, a) 的方差是 a**2 / 3 = {variance}"
    ),
    "the values' mean is {mean}; N(0, std**2) has mean 0 (a correct solution's mean is "
    "within +-{radius} here)": (
        "这些值的均值是 {mean}；N(0, std**2) 的均值为 0（在这里，正确实现的均值在 +-{radius} 以内）"
    ),
    "the values' standard deviation is {got}; it should be std = {std}": (
        "这些值的标准差是 {got}；它应当是 std = {std}"
    ),
    "{beyond} of the values lie more than one std from 0; for a normal distribution it is "
    "{normal} (a uniform distribution with the same variance gives 42.3%)": (
        "有 {beyond} 的值与 0 的距离超过一个 std；对正态分布来说这个比例是 {normal}"
        "（方差相同的均匀分布则是 42.3%）"
    ),
    # -- dropout_layer -------------------------------------------------------------------------
    "every element is 0 or x / (1 - p); shape and dtype kept (generated inputs)": (
        "每个元素都是 0 或 x / (1 - p)；形状和 dtype 保持不变（生成的输入）"
    ),
    "draw mask = torch.rand(X.shape, device=X.device) > dropout (True with probability "
    "1 - dropout) and return mask * X / (1 - dropout): every element is either dropped (0) or "
    "kept and scaled by 1 / (1 - dropout).": (
        "生成 mask = torch.rand(X.shape, device=X.device) > dropout"
        "（以 1 - dropout 的概率为 True），并返回 mask * X / (1 - dropout)："
        "每个元素要么被丢弃（为 0），要么被保留并乘以 1 / (1 - dropout)。"
    ),
    "keep X's dtype: a float32 mask (.float()) times a float16 or bfloat16 X gives a float32 "
    "result. Convert the mask with .to(X.dtype).": (
        "保持 X 的 dtype：float32 的 mask（.float()）乘以 float16 或 bfloat16 的 X，"
        "得到的是 float32 的结果。请用 .to(X.dtype) 转换 mask。"
    ),
    "dropout_layer should return a tensor": "dropout_layer 应当返回一个张量",
    "the result has the wrong dtype": "结果的 dtype 不对",
    "not a dropout of X: {problem}": "不是对 X 的 dropout：{problem}",
    "do not divide by 1 - dropout when dropout == 1 (it is 0: return zeros).": (
        "dropout == 1 时不要除以 1 - dropout（它等于 0：直接返回全零）。"
    ),
    "dropout = 0 keeps X exactly and dropout = 1 gives zeros exactly": (
        "dropout = 0 时原样保留 X，dropout = 1 时恰好得到全零"
    ),
    "dropout is the probability of DROPPING an element: dropout == 0 drops nothing (return "
    "X's values), dropout == 1 drops everything (return torch.zeros_like(X), without dividing "
    "by 1 - 1 = 0).": (
        "dropout 是「丢弃」一个元素的概率：dropout == 0 时什么都不丢弃（返回 X 的值），"
        "dropout == 1 时全部丢弃（返回 torch.zeros_like(X)，不要除以 1 - 1 = 0）。"
    ),
    "dropout = {p} should give X itself": "dropout = {p} 时应当得到 X 本身",
    "dropout = {p} should give all zeros": "dropout = {p} 时应当得到全零",
    "keeps each element with probability 1 - p (statistical bound)": (
        "以 1 - p 的概率保留每个元素（统计界）"
    ),
    "use torch.rand (uniform on [0, 1)) and keep an element when its number is > dropout: "
    "that happens with probability 1 - dropout.": (
        "使用 torch.rand（在 [0, 1) 上均匀分布），当元素对应的随机数 > dropout 时保留它："
        "这件事发生的概率是 1 - dropout。"
    ),
    "dropout_layer should return a tensor of X's shape": (
        "dropout_layer 应当返回一个与 X 形状相同的张量"
    ),
    "the keep rate is wrong: {problem}": "保留率不对：{problem}",
    "drops elements independently (not one mask for every row or column)": (
        "独立地丢弃各个元素（而不是所有行或所有列共用一个 mask）"
    ),
    "draw one random number per element: torch.rand(X.shape, device=X.device), not "
    "torch.rand(X.shape[-1]) (the same mask for every row) or one number per row.": (
        "为每个元素生成一个随机数：torch.rand(X.shape, device=X.device)，"
        "而不是 torch.rand(X.shape[-1])（每一行用同一个 mask），也不是每行一个随机数。"
    ),
    "elements are not dropped independently: {problems}": "各元素不是被独立丢弃的：{problems}",
    "uses torch's global generator: reproducible under torch.manual_seed, never reseeds it": (
        "使用 torch 的全局随机数生成器：在 torch.manual_seed 下可复现，且从不重新设置种子"
    ),
    "draw the mask with torch.rand (torch's global generator, which torch.manual_seed "
    "controls), not numpy or random or a torch.Generator of your own, and never call "
    "torch.manual_seed inside the function: that makes every later random number of the "
    "program predictable.": (
        "用 torch.rand（使用由 torch.manual_seed 控制的 torch 全局随机数生成器）生成 mask，"
        "不要用 numpy、random 或自己创建的 torch.Generator，也绝不要在函数内部调用 "
        "torch.manual_seed：那会让程序之后的每个随机数都变得可以预测。"
    ),
    "two calls after the same torch.manual_seed(1) gave different results: the function is "
    "not reproducible with torch.manual_seed": (
        "在同样的 torch.manual_seed(1) 之后两次调用得到了不同的结果："
        "这个函数无法用 torch.manual_seed 复现"
    ),
    "{first} and then {second}": "先是 {first}，然后是 {second}",
    "after a call, torch's global generator is in the same state whatever seed was set "
    "before: the function reseeds it (torch.manual_seed inside), so every random number the "
    "program draws afterwards is predictable.": (
        "调用之后，无论之前设置的是什么种子，torch 的全局随机数生成器都处于相同的状态："
        "这个函数重新设置了种子（内部调用了 torch.manual_seed），"
        "因此程序之后生成的每个随机数都可以预测。"
    ),
    "the call did not draw from torch's global generator (a torch.Generator of your own, or "
    "no randomness at all?)": (
        "这次调用没有从 torch 的全局随机数生成器中取随机数"
        "（用了自己的 torch.Generator，还是根本没有随机性？）"
    ),
    "torch.manual_seed(1) and torch.manual_seed(2) gave the same mask: the mask does not "
    "depend on torch's global generator": (
        "torch.manual_seed(1) 和 torch.manual_seed(2) 得到了相同的 mask："
        "mask 不依赖于 torch 的全局随机数生成器"
    ),
    "two calls in a row gave the same mask: every call must draw a new mask.": (
        "连续两次调用得到了相同的 mask：每次调用都必须生成新的 mask。"
    ),
    "raises ValueError for dropout outside [0, 1]": "dropout 不在 [0, 1] 内时抛出 ValueError",
    "check the argument first: if not 0 <= dropout <= 1: raise ValueError(...). A bare "
    "`assert 0 <= dropout <= 1` raises AssertionError instead, and Python skips asserts "
    "altogether under python -O.": (
        "先检查参数：if not 0 <= dropout <= 1: raise ValueError(...)。"
        "单独一句 `assert 0 <= dropout <= 1` 抛出的是 AssertionError，"
        "而且在 python -O 下 Python 会完全跳过 assert。"
    ),
    "when dropout is not a probability": "dropout 不是一个概率时",
    "dropout_layer fails when the default device is not X's device: {failure}": (
        "当默认设备不是 X 所在的设备时，dropout_layer 出错：{failure}"
    ),
    "the result is not on X's device": "结果不在 X 所在的设备上",
    "a tensor on cpu": "位于 cpu 上的张量",
    "X *= mask or X[mask] = 0 write into the caller's tensor: compute a new tensor "
    "(mask * X / (1 - dropout)).": (
        "X *= mask 或 X[mask] = 0 会写入调用者的张量：请计算一个新的张量"
        "（mask * X / (1 - dropout)）。"
    ),
    # -- fan_in_and_fan_out --------------------------------------------------------------------
    "a weight has shape (out, in, *kernel): fan_in = in * prod(kernel) and fan_out = out * "
    "prod(kernel), where prod of no kernel dimensions is 1 (a linear layer's (out, in)).": (
        "权重的形状是 (out, in, *kernel)：fan_in = in * prod(kernel)，"
        "fan_out = out * prod(kernel)，没有卷积核维度时 prod 为 1（即线性层的 (out, in)）。"
    ),
    "fan_in_and_fan_out(a weight of shape {shape})": "fan_in_and_fan_out(形状为 {shape} 的权重)",
    "fan_in and fan_out are swapped: a weight is (out, in, ...), so fan_in comes from size(1) "
    "and fan_out from size(0); {hint}": (
        "fan_in 和 fan_out 弄反了：权重的形状是 (out, in, ...)，所以 fan_in 来自 size(1)，"
        "fan_out 来自 size(0)；{hint}"
    ),
    "linear weights (out, in): fan_in = in, fan_out = out": (
        "线性层权重 (out, in)：fan_in = in，fan_out = out"
    ),
    "convolution weights (out, in, *kernel): both fans include the receptive field": (
        "卷积层权重 (out, in, *kernel)：两个 fan 都包含感受野的大小"
    ),
    "raises ValueError for fewer than 2 dimensions": "维数少于 2 时抛出 ValueError",
    "a bias or a scalar has no fan in and fan out: if tensor.dim() < 2, raise ValueError (not "
    "assert, and not an IndexError from tensor.size(1)).": (
        "偏置或标量没有 fan_in 和 fan_out：如果 tensor.dim() < 2，抛出 ValueError"
        "（不要用 assert，也不要让 tensor.size(1) 抛出 IndexError）。"
    ),
    "for a tensor with fewer than 2 dimensions": "对维数少于 2 的张量",
    "returns a tuple of two Python ints": "返回由两个 Python int 组成的元组",
    "return (fan_in, fan_out) built from tensor.shape, whose entries are ints; torch.prod / "
    "torch.tensor make tensors, math.prod and * keep ints.": (
        "返回由 tensor.shape 算出的 (fan_in, fan_out)，tensor.shape 的各项都是 int；"
        "torch.prod / torch.tensor 会得到张量，而 math.prod 和 * 保持为 int。"
    ),
    "fan_in_and_fan_out should return a tuple of two Python ints": (
        "fan_in_and_fan_out 应当返回由两个 Python int 组成的元组"
    ),
    "uses only the shape: works on meta tensors and with another default device": (
        "只使用形状：对 meta 张量以及在其他默认设备下都能工作"
    ),
    "only tensor.shape (and tensor.dim()) are needed; a meta tensor has no values, so "
    ".item(), .tolist() or tensors built from the shape fail on it.": (
        "只需要 tensor.shape（和 tensor.dim()）；meta 张量没有数值，"
        "所以 .item()、.tolist() 或由形状构造的张量在它上面都会出错。"
    ),
    "fan_in_and_fan_out(a weight of shape {shape}), a meta tensor": (
        "fan_in_and_fan_out(形状为 {shape} 的权重)，meta 张量"
    ),
    "fan_in_and_fan_out(a weight of shape {shape}), with default device meta": (
        "fan_in_and_fan_out(形状为 {shape} 的权重)，默认设备为 meta"
    ),
    "it fails a meta tensor: {failure}": "在 meta 张量上出错：{failure}",
    "it fails with default device meta: {failure}": "默认设备为 meta 时出错：{failure}",
    "the answer (unlike on a CPU tensor)": "得到的答案（与在 CPU 张量上的答案不同）",
    # -- xavier_uniform_ and xavier_normal_ ----------------------------------------------------
    "{function}(a tensor of shape {shape}, {dtype}{arguments})": (
        "{function}(形状为 {shape} 的张量, {dtype}{arguments})"
    ),
    "{function}(a tensor of shape {shape}, {dtype} on {device}{arguments})": (
        "{function}(形状为 {shape} 的张量, {dtype}, 位于 {device}{arguments})"
    ),
    "{function}(an nn.Parameter of shape {shape}, {dtype}{arguments})": (
        "{function}(形状为 {shape} 的 nn.Parameter, {dtype}{arguments})"
    ),
    "{function}(an nn.Parameter of shape {shape}, {dtype} on {device}{arguments})": (
        "{function}(形状为 {shape} 的 nn.Parameter, {dtype}, 位于 {device}{arguments})"
    ),
    "{call} with default device {device}": "{call}，默认设备为 {device}",
    "fills the tensor in place and returns that same tensor": "原地填充张量，并返回同一个张量",
    "fill the tensor you were given, in place (its own uniform_ / normal_ methods, under "
    "torch.no_grad()), and return that same tensor: a new tensor, or tensor.data = ..., "
    "leaves nn.Linear's weight (and everyone holding it) untouched.": (
        "原地填充传入的张量（在 torch.no_grad() 下用它自己的 uniform_ / normal_ 方法），"
        "并返回同一个张量：创建新张量或使用 tensor.data = ...，"
        "都不会改变 nn.Linear 的权重（以及所有持有它的对象）。"
    ),
    "the runner did not report the tensor": "运行器没有报告这个张量",
    "{function} returned a different object from the tensor it was given": (
        "{function} 返回的对象不是传给它的那个张量"
    ),
    "{function} returned a different object from the tensor it was given and left that "
    "tensor unfilled": ("{function} 返回的对象不是传给它的那个张量，而且没有填充那个张量"),
    "the same tensor, filled in place (result is tensor)": (
        "同一个张量，已被原地填充（result is tensor）"
    ),
    "a new tensor: {value}": "一个新的张量：{value}",
    "the tensor's memory was replaced (tensor.data = ...) instead of filled in place": (
        "张量的内存被替换了（tensor.data = ...），而不是被原地填充"
    ),
    "the tensor was not filled (it is still all zeros)": "张量没有被填充（仍然全是零）",
    "{function} neither filled the tensor nor returned one of its shape": (
        "{function} 既没有填充这个张量，也没有返回一个与它形状相同的张量"
    ),
    "works on an nn.Parameter that requires grad": (
        "对需要梯度（requires grad）的 nn.Parameter 也能工作"
    ),
    "model weights are nn.Parameters that require grad, and autograd refuses in-place changes "
    'to them ("a leaf Variable that requires grad is being used in an in-place operation"): '
    "fill the tensor inside `with torch.no_grad():`.": (
        "模型权重是需要梯度的 nn.Parameter，autograd 不允许对它们做原地修改"
        '（"a leaf Variable that requires grad is being used in an in-place operation"）：'
        "请在 `with torch.no_grad():` 中填充张量。"
    ),
    "after the call the parameter no longer requires grad, or is no longer a leaf of the "
    "autograd graph": (
        "调用之后，参数不再需要梯度（requires grad），或者不再是 autograd 图中的叶子节点"
    ),
    "values in [-a, a], a = gain * sqrt(6 / (fan_in + fan_out)), with U(-a, a)'s mean and "
    "variance (linear and convolution weights, statistical bound)": (
        "取值在 [-a, a] 内，a = gain * sqrt(6 / (fan_in + fan_out))，"
        "且均值和方差与 U(-a, a) 相符（线性层和卷积层权重，统计界）"
    ),
    "mean 0 and standard deviation gain * sqrt(2 / (fan_in + fan_out)) (linear and "
    "convolution weights, statistical bound)": (
        "均值为 0，标准差为 gain * sqrt(2 / (fan_in + fan_out))（线性层和卷积层权重，统计界）"
    ),
    "fill from U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (the tensor's own "
    "uniform_, bounds -a and a), fans from fan_in_and_fan_out(tensor) (a convolution "
    "weight's fans include the kernel size). sqrt(2 / (fan_in + fan_out)) is the standard "
    "deviation (xavier_normal_'s), not the bound: U(-a, a) has variance a**2 / 3.": (
        "从 U(-a, a) 中采样填充，a = gain * sqrt(6 / (fan_in + fan_out))（用张量自己的 uniform_，"
        "边界是 -a 和 a），"
        "fan 由 fan_in_and_fan_out(tensor) 得到（卷积层权重的 fan 包含卷积核大小）。"
        "sqrt(2 / (fan_in + fan_out)) 是标准差（xavier_normal_ 用的），不是边界："
        "U(-a, a) 的方差是 a**2 / 3。"
    ),
    "fill from N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out)): "
    "tensor.normal_(0, std). normal_'s arguments are (mean, std), and std is the square root "
    "of the variance 2 / (fan_in + fan_out).": (
        "从 N(0, std**2) 中采样填充，std = gain * sqrt(2 / (fan_in + fan_out))："
        "tensor.normal_(0, std)。normal_ 的参数是 (mean, std)，"
        "std 是方差 2 / (fan_in + fan_out) 的平方根。"
    ),
    "a value of magnitude {worst} lies outside [-a, a] with a = gain * sqrt(6 / (fan_in + "
    "fan_out)) = {scale}": (
        "有一个绝对值为 {worst} 的值落在 [-a, a] 之外，其中 a = gain * "
        "sqrt(6 / (fan_in + fan_out)) = {scale}"
    ),
    "a value of magnitude {worst} is far outside N(0, std**2) with std = {scale}": (
        "有一个绝对值为 {worst} 的值远远超出了 N(0, std**2) 的范围，其中 std = {scale}"
    ),
    "the values do not follow the distribution: {problems}": "这些值不服从要求的分布：{problems}",
    "honours gain": "遵循 gain 参数",
    "multiply the bound (uniform) or the standard deviation (normal) by gain.": (
        "把边界（均匀分布）或标准差（正态分布）乘以 gain。"
    ),
    "the tensor's dtype changed": "张量的 dtype 改变了",
    "fill the tensor in place (tensor.uniform_ / tensor.normal_): that keeps its dtype; "
    "tensor.data = torch.rand(...) replaces it with float32.": (
        "原地填充张量（tensor.uniform_ / tensor.normal_）：这样会保持它的 dtype；"
        "tensor.data = torch.rand(...) 会把它替换成 float32。"
    ),
    "the tensor left its device": "张量离开了它所在的设备",
    "is normal, not uniform: about 31.7% of the values lie beyond one std": (
        "是正态分布而不是均匀分布：大约 31.7% 的值与 0 的距离超过一个 std"
    ),
    "draw from the normal distribution (tensor.normal_(0, std)), not from a uniform "
    "distribution with the same variance.": (
        "从正态分布中采样（tensor.normal_(0, std)），而不是从方差相同的均匀分布中采样。"
    ),
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
多层感知机的两个工具：**丢弃法**（dropout）和 **Xavier 初始化**。
"""

EXERCISES: dict[str, str] = {
    "dropout_layer": """\
丢弃法：以概率 `dropout` 把每个元素独立地置 0，留下来的元素除以 `1 - dropout`，
这样期望不变。`dropout` 必须在 `[0, 1]` 内，否则抛出 `ValueError`；`dropout == 1` 返回全 0，
`dropout == 0` 返回 `X` 的值。

注意笔记里的 bug：`mask = (torch.randn(X.shape) > dropout)` 用的是**正态分布** `randn`，
`p = 0.5` 时只保留了约 31% 的元素。要用 `[0, 1)` 上的**均匀分布** `torch.rand`。
掩码要建在 `X` 的设备上，使用全局随机数生成器（`torch.manual_seed` 能复现结果），不要修改 `X`。
不许使用 `F.dropout`、`nn.Dropout`、`torch.dropout` 等现成函数。
""",
    "fan_in_and_fan_out": """\
PyTorch 的约定：形状为 `(out, in, *kernel)` 的权重，`fan_in = in * prod(kernel)`，
`fan_out = out * prod(kernel)`（全连接层 `nn.Linear` 的权重形状是 `(out, in)`）。
返回 `(fan_in, fan_out)` 两个整数；张量少于 2 维时抛出 `ValueError`。
""",
    "xavier_uniform_": """\
Xavier 初始化的目的是让每一层输出和梯度的**方差**保持一致，
要求 `Var(w) = 2 / (fan_in + fan_out)`。均匀分布版本：从 `U(-a, a)` 中采样，
`a = gain * sqrt(6 / (fan_in + fan_out))`。

函数名以 `_` 结尾：**原地**填充 `tensor` 并返回同一个对象；对 `requires_grad=True` 的参数也要能用
（在 `torch.no_grad()` 下填充）。不许使用 `nn.init.xavier_uniform_` 等现成的初始化函数。
""",
    "xavier_normal_": """\
Xavier 初始化的正态分布版本：原地从 `N(0, std^2)` 中采样，
`std = gain * sqrt(2 / (fan_in + fan_out))`，返回同一个对象；对需要梯度的参数也要能用。
不许使用 `nn.init.xavier_normal_` 等现成的初始化函数。
""",
}
