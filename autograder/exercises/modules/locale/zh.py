"""简体中文: check names, hints and messages of ``modules.py``."""

MESSAGES: dict[str, str] = {
    "CenteredLayer()(X), X of shape {shape}: {x}": "CenteredLayer()(X)，X 的形状为 {shape}：{x}",
    "CenteredLayer()(X), X of shape {shape}: {x}, then backward": "CenteredLayer()(X)，X 的形状为 {shape}：{x}，然后反向传播",
    "the layer has no parameter named weight": "该层没有名为 weight 的参数",
    # -- shared --------------------------------------------------------------------------------
    "nn.Module calls the method named forward: define `def forward(self, X):` (not "
    "__format__, __call__ or foward) and return the result.": (
        "nn.Module 调用的是名为 forward 的方法：定义 `def forward(self, X):`"
        "（不是 __format__、__call__ 或 foward），并返回结果。"
    ),
    "{hint} __format__ is Python's hook for format() and f-strings: nn.Module never calls it.": (
        "{hint} __format__ 是 Python 给 format() 和 f-string 用的钩子：nn.Module 从来不调用它。"
    ),
    "{function} has no forward method, so calling it raised nn.Module's 'missing the "
    'required "forward" function\'; the class defines {methods}': (
        "{function} 没有 forward 方法，所以调用它时 nn.Module 报错 "
        "'missing the required \"forward\" function'（缺少必需的 forward 函数）；"
        "这个类定义的是 {methods}"
    ),
    "no other method": "没有别的方法",
    "{function}(...) did not make an nn.Module": "{function}(...) 得到的不是 nn.Module",
    "subclass nn.Module (class Name(nn.Module):) and call super().__init__() first in __init__.": (
        "继承 nn.Module（class Name(nn.Module):），并在 __init__ 里先调用 super().__init__()。"
    ),
    "register every tensor the module needs (nn.Parameter, a sub-module, or "
    "self.register_buffer) so .to(device) moves it, and create new tensors on X.device.": (
        "把模块需要的每个张量都注册好（nn.Parameter、子模块或 self.register_buffer），"
        ".to(device) 才会移动它；新建的张量要放在 X.device 上。"
    ),
    "forward fails after .to({device}): {failure}": ".to({device}) 之后 forward 出错：{failure}",
    "the output is not on the module's device": "输出不在模块所在的设备上",
    "{call}.to({device}) on X of shape {shape} on {device}": (
        "{call}.to({device})，X 的形状为 {shape}，位于 {device}"
    ),
    "could not load the parameters {names}": "无法载入参数 {names}",
    "no gradient reached {names}": "没有梯度传到 {names}",
    "forward gave the wrong values": "forward 的结果不对",
    # -- MLP -----------------------------------------------------------------------------------
    "hidden and output are nn.Linear layers of the right sizes; the parameters are theirs": (
        "hidden 和 output 是大小正确的 nn.Linear 层；网络的参数就是它们的参数"
    ),
    "in __init__: first nn.Module's own __init__, then an nn.Linear from num_inputs to "
    "num_hiddens features as self.hidden and one from num_hiddens to num_outputs as "
    "self.output; layers assigned to attributes are registered, and their parameters are "
    "the net's.": (
        "在 __init__ 里：先调用 nn.Module 自己的 __init__，再把一个从 num_inputs 到 num_hiddens "
        "个特征的 nn.Linear 赋给 self.hidden，把一个从 num_hiddens 到 num_outputs 的赋给 "
        "self.output；赋给属性的层会被注册，它们的参数就是网络的参数。"
    ),
    "MLP({sizes}){extra}": "MLP({sizes}){extra}",
    "net.{name} is not nn.Linear{size}": "net.{name} 不是 nn.Linear{size}",
    "{kind} with in_features={i}, out_features={o}": "{kind}，in_features={i}，out_features={o}",
    "the net's parameters are not exactly those of its two linear layers": (
        "网络的参数不恰好是它那两个线性层的参数"
    ),
    "forward gives the logits output(relu(hidden(X))) of flat input (N, num_inputs), "
    "negative ones included": (
        "对展平的输入 (N, num_inputs)，forward 给出 logits output(relu(hidden(X)))，包括负的 logits"
    ),
    "{net} in {mode} mode, on X of shape {shape}": "{net}，{mode} 模式，X 的形状为 {shape}",
    "{net} on X of shape {shape}": "{net}，X 的形状为 {shape}",
    "flattens its input: images (N, 3, 4) give the logits of their rows flattened (N, 12)": (
        "会展平输入：图像 (N, 3, 4) 给出的 logits 与把每行展平成 (N, 12) 后的相同"
    ),
    "flatten each example into one row of features before the first linear layer (a "
    "flattening layer of the net, or a reshape that keeps the batch dimension). nn.Linear "
    "multiplies the last dimension only, so images of shape (N, 3, 4) reach it with 4 "
    "features instead of 12.": (
        "在第一个线性层之前，先把每个样本展平成一行特征（网络中的一个展平层，或保留批量维的 "
        "reshape）。nn.Linear 只对最后一维做乘法，所以形状为 (N, 3, 4) 的图像到达它时只有 4 "
        "个特征，而不是 12 个。"
    ),
    "the logits of images differ from those of the same rows flattened": (
        "图像的 logits 与同样的行展平后的 logits 不同"
    ),
    "{net}'s logits on X.flatten(1)": "{net} 在 X.flatten(1) 上的 logits",
    "name the layers hidden and output, nn.Linear(num_inputs, num_hiddens) and "
    "nn.Linear(num_hiddens, num_outputs).": (
        "把两层命名为 hidden 和 output：nn.Linear(num_inputs, num_hiddens) 和 "
        "nn.Linear(num_hiddens, num_outputs)。"
    ),
    "forward should return the logits, shape (n, num_outputs)": (
        "forward 应当返回 logits，形状为 (n, num_outputs)"
    ),
    "forward gave the wrong logits": "forward 给出的 logits 不对",
    "forward gave the wrong logits: no logit is negative, a ReLU is applied to the final "
    "layer's output": (
        "forward 给出的 logits 不对：没有一个 logit 是负的，最后一层的输出上用了 ReLU"
    ),
    "return self.output(...) as it is: logits can be negative. nn.CrossEntropyLoss applies "
    "the softmax itself; a ReLU after the last layer turns every negative logit into 0.": (
        "直接返回 self.output(...)：logits 可以是负数。nn.CrossEntropyLoss 自己会做 softmax；"
        "最后一层后面的 ReLU 会把每个负的 logit 都变成 0。"
    ),
    "dropout acts in training mode only: dropout = 1 drops every hidden unit in train(), "
    "nothing in eval()": (
        "dropout 只在训练模式下起作用：dropout = 1 时 train() 下丢弃所有隐藏单元，"
        "eval() 下什么都不丢"
    ),
    "make the dropout a layer of the net (an nn.Dropout of probability dropout, an attribute "
    "set in __init__) applied after the hidden ReLU: net.eval() switches a registered "
    "nn.Dropout off. F.dropout(H, p) without training=self.training, or a dropout of your "
    "own, stays on after eval().": (
        "把 dropout 作为网络的一层（丢弃概率为 dropout 的 nn.Dropout，在 __init__ 里赋给属性），"
        "放在隐藏层的 ReLU 之后：net.eval() 会关掉已注册的 nn.Dropout。不带 "
        "training=self.training 的 F.dropout(H, p)，或自己写的 dropout，在 eval() 之后仍然生效。"
    ),
    "dropout is still active after net.eval(): the logits change from call to call or are "
    "not those of the net built with dropout = 0": (
        "net.eval() 之后 dropout 仍然生效：每次调用的 logits 都不同，或者与用 dropout = 0 "
        "构造的网络的 logits 不同"
    ),
    "in training mode with dropout = 1, every hidden unit should be dropped: the logits "
    "should be those of the same net with a silent hidden layer": (
        "训练模式下 dropout = 1 时，应当丢弃所有隐藏单元：logits 应当与隐藏层输出全为 0 的"
        "同一网络的 logits 相同"
    ),
    "{net} in eval mode with hidden.weight and hidden.bias 0, on X of shape {shape}": (
        "{net}，评估模式，hidden.weight 和 hidden.bias 为 0，X 的形状为 {shape}"
    ),
    "{net}'s logits, {which}": "{net} 的 logits，{which}",
    "with hidden.weight and hidden.bias 0": "hidden.weight 和 hidden.bias 为 0 时",
    "in eval mode": "评估模式下",
    "gradients reach all four parameters": "梯度能传到全部四个参数",
    "compute forward with the layers themselves: .detach(), .data or torch.tensor(...) "
    "cut the graph before the hidden layer.": (
        "用这些层本身计算 forward：.detach()、.data 或 torch.tensor(...) 会在隐藏层之前切断计算图。"
    ),
    "{call}: backward of the logits": "{call}：对 logits 做反向传播",
    "moves with .to(device): forward works on meta (and CUDA if present)": (
        "能用 .to(device) 移动：在 meta 上（有 GPU 时也在 CUDA 上）forward 能运行"
    ),
    # -- init_normal ---------------------------------------------------------------------------
    "every nn.Linear gets weights from N(0, 0.01**2) and a zero bias (statistical bound)": (
        "每个 nn.Linear 的权重取自 N(0, 0.01**2)，偏置为 0（统计界）"
    ),
    "change only an nn.Linear (ask the module's type): its weight filled in place from "
    "N(0, 0.01**2) and its bias with zeros, with nn.init's in-place functions (names ending "
    "in _). std is the standard deviation 0.01, not the variance.": (
        "只修改 nn.Linear（先判断模块的类型）：用 nn.init 的原地函数（名字以 _ 结尾）把它的权重"
        "原地填成取自 N(0, 0.01**2) 的值，把偏置填成 0。std 是标准差 0.01，不是方差。"
    ),
    "{name} is not all zeros": "{name} 不全为 0",
    "{name} is not drawn from N(0, 0.01**2): {problems}": (
        "{name} 不是从 N(0, 0.01**2) 抽取的：{problems}"
    ),
    "the mean is {mean}, not 0": "均值是 {mean}，不是 0",
    "the standard deviation is {got}, not {std}": "标准差是 {got}，不是 {std}",
    "{beyond} of the values lie beyond one std; a normal distribution puts 31.7% there": (
        "{beyond} 的值离 0 超过一个标准差；正态分布是 31.7%"
    ),
    "the weight is missing": "缺少权重",
    "leaves every other module unchanged (convolution, batch norm)": (
        "其他模块保持不变（卷积层、批量归一化层）"
    ),
    "net.apply calls the function on every module: change a module only when "
    "isinstance(m, nn.Linear); hasattr(m, 'weight') is also true of convolutions and batch "
    "norm.": (
        "net.apply 会对每个模块调用这个函数：只在 isinstance(m, nn.Linear) 时修改；"
        "卷积层和批量归一化层也满足 hasattr(m, 'weight')。"
    ),
    "it changed {names}": "它改变了 {names}",
    "changes the parameters in place: the same nn.Parameter objects, dtype and device kept": (
        "原地修改参数：仍是原来的 nn.Parameter 对象，数据类型和设备不变"
    ),
    "fill the existing parameters (nn.init.normal_, nn.init.zeros_, or weight.normal_ "
    "inside torch.no_grad()): m.weight = nn.Parameter(...) or m.weight.data = "
    "torch.normal(...) replaces them (on the CPU, in float32).": (
        "填充已有的参数（nn.init.normal_、nn.init.zeros_，或在 torch.no_grad() 里用 "
        "weight.normal_）：m.weight = nn.Parameter(...) 或 m.weight.data = torch.normal(...) "
        "会替换它们（换成 CPU 上的 float32）。"
    ),
    "{call} with the net in {what}": "{call}，网络的设置为 {what}",
    "the layers' parameters were replaced by new objects": "层的参数被换成了新的对象",
    "{name} changed its dtype or device": "{name} 的数据类型或设备变了",
    "{dtype} on {device}": "位于 {device} 上的 {dtype}",
    # -- count_parameters ----------------------------------------------------------------------
    "counts the scalar parameters (nested blocks, no bias, batch norm's buffers not "
    "counted, frozen ones counted)": (
        "统计标量参数的个数（嵌套的块、没有偏置的层；不计批量归一化的缓冲区，冻结的参数要计入）"
    ),
    "add up the sizes (numel()) of the net's distinct parameters: net.parameters() yields "
    "each of them once.": (
        "把网络中各个不同参数的大小（numel()）加起来：net.parameters() 对每个参数只给出一次。"
    ),
    "add up the sizes (numel()) of the net's distinct parameters: net.parameters() yields "
    "each of them once. Buffers (state_dict's running_mean) are not parameters; a frozen "
    "parameter (requires_grad=False) still is.": (
        "把网络中各个不同参数的大小（numel()）加起来：net.parameters() 对每个参数只给出一次。"
        "缓冲区（state_dict 里的 running_mean）不是参数；"
        "冻结的参数（requires_grad=False）仍是参数。"
    ),
    "counts a shared parameter once (d2l's shared layer, tied weights)": (
        "共享的参数只计一次（d2l 的共享层、绑定的权重）"
    ),
    "a layer used twice holds one set of parameters: net.parameters() yields each once. "
    "Adding up the parameters of each layer in net (or named_parameters(remove_duplicate="
    "False)) counts a shared layer twice.": (
        "用了两次的层只有一套参数：net.parameters() 对每个参数只给出一次。"
        "逐层累加各层的参数（或用 named_parameters(remove_duplicate=False)）会把共享层算两次。"
    ),
    "returns a Python int and needs no values (meta nets)": (
        "返回 Python 的 int，不需要参数的值（meta 上的网络）"
    ),
    "p.numel() is an int and sum of ints is an int; torch.tensor sums and .float() are "
    "not, and .item() cannot read a meta tensor.": (
        "p.numel() 是 int，int 的和也是 int；torch.tensor 求和与 .float() 不是，"
        "而且 .item() 读不了 meta 张量。"
    ),
    "count_parameters({net})": "count_parameters({net})",
    "count_parameters({net}) on {device}": "count_parameters({net})，位于 {device}",
    "count_parameters gave the wrong count": "count_parameters 数得不对",
    "count_parameters should return a Python int": "count_parameters 应当返回 Python 的 int",
    "count_parameters fails: {failure}": "count_parameters 出错：{failure}",
    # -- CenteredLayer -------------------------------------------------------------------------
    "forward returns X - X.mean() (the mean of all elements; vectors, matrices, float64)": (
        "forward 返回 X - X.mean()（所有元素的均值；向量、矩阵、float64）"
    ),
    "subtract from every element the mean of all of X's elements, one number.": (
        "每个元素减去 X 所有元素的均值（一个数）。"
    ),
    "CenteredLayer()(X) for X of shapes {shapes}": "CenteredLayer()(X)，X 的形状为 {shapes}",
    "CenteredLayer()({x})": "CenteredLayer()({x})",
    "CenteredLayer()({x}), then backward": "CenteredLayer()({x})，然后反向传播",
    "has no parameters": "没有参数",
    "the mean is computed from X at every call: nothing to learn, so no nn.Parameter.": (
        "均值每次调用时由 X 算出：没有要学习的东西，所以没有 nn.Parameter。"
    ),
    "CenteredLayer should hold no parameters": "CenteredLayer 不应当有参数",
    "is differentiable and does not modify X": "可导，且不修改 X",
    "compute a new tensor (X - X.mean()); X -= X.mean() writes into the caller's X.": (
        "计算一个新张量（X - X.mean()）；X -= X.mean() 会写进调用者的 X。"
    ),
    "CenteredLayer modified its input X in place": "CenteredLayer 原地修改了它的输入 X",
    "the gradient with respect to X is wrong (or missing)": "对 X 的梯度不对（或没有）",
    "compute with differentiable tensor operations on X: X.mean().item() or "
    "torch.tensor(...) take the mean out of the graph.": (
        "用对 X 可导的张量运算计算：X.mean().item() 或 torch.tensor(...) 会把均值移出计算图。"
    ),
    "works on any device (meta, CUDA if present)": "在任何设备上都能运行（meta、有 GPU 时的 CUDA）",
    # -- MyLinear ------------------------------------------------------------------------------
    "weight (in_units, units) and bias (units,) are registered nn.Parameters": (
        "weight (in_units, units) 和 bias (units,) 是已注册的 nn.Parameter"
    ),
    "wrap a weight of shape (in_units, units) and a bias of shape (units,), both drawn from "
    "N(0, 1), in nn.Parameter, as self.weight and self.bias: nn.Parameter registers them "
    "(requires grad, listed by parameters(), moved by .to()).": (
        "用 nn.Parameter 包装形状为 (in_units, units) 的 weight 和形状为 (units,) 的 bias（都取自 "
        "N(0, 1)），作为 self.weight 和 self.bias：nn.Parameter 会注册它们（需要梯度、出现在 "
        "parameters() 里、随 .to() 移动）。"
    ),
    "the layer's parameters are not weight (in_units, units) and bias (units,)": (
        "这一层的参数不是 weight (in_units, units) 和 bias (units,)"
    ),
    "weight is (in_units, units) in d2l, so that X @ weight works; (units, in_units) is "
    "nn.Linear's layout. {hint}": (
        "d2l 里 weight 是 (in_units, units)，这样 X @ weight 才成立；(units, in_units) 是 "
        "nn.Linear 的布局。{hint}"
    ),
    "weight and bias are drawn from N(0, 1) (statistical bound)": (
        "weight 和 bias 取自 N(0, 1)（统计界）"
    ),
    "torch.randn draws from N(0, 1); torch.rand is uniform on [0, 1).": (
        "torch.randn 从 N(0, 1) 抽样；torch.rand 是 [0, 1) 上的均匀分布。"
    ),
    "weight is not drawn from N(0, 1): {problems}": "weight 不是从 N(0, 1) 抽取的：{problems}",
    "forward returns relu(X @ weight + bias)": "forward 返回 relu(X @ weight + bias)",
    "the product of X and self.weight, plus self.bias, then the ReLU of that.": (
        "X 与 self.weight 的乘积加上 self.bias，再取 ReLU。"
    ),
    "MyLinear(5, 3) with fixed parameters, on X of shape {shape}": (
        "参数固定的 MyLinear(5, 3)，X 的形状为 {shape}"
    ),
    "gradients reach weight and bias (no .data in forward)": (
        "梯度能传到 weight 和 bias（forward 里不用 .data）"
    ),
    "compute with self.weight and self.bias themselves. self.weight.data has the same "
    "values but is cut from autograd: the loss's gradient never reaches the parameter, and "
    "the layer never learns (d2l's listing has this bug).": (
        "直接用 self.weight 和 self.bias 计算。self.weight.data 的值一样，但已脱离 autograd："
        "损失的梯度永远传不到参数，这一层永远学不到东西（d2l 的代码里就有这个错误）。"
    ),
    "MyLinear(5, 3) with fixed parameters: backward of forward(X), X of shape {shape}": (
        "参数固定的 MyLinear(5, 3)：对 forward(X) 做反向传播，X 的形状为 {shape}"
    ),
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
d2l 5.1–5.4 **层和块**：PyTorch 里任何一个层或模型都是 `nn.Module` 的子类——在 `__init__` 里
创建层和参数，在 `forward` 里写前向传播。`net(X)` 调用的就是 `forward`；`net.parameters()`
找到所有 `nn.Parameter`；`net.apply(f)` 对每个子模块调用 `f`；`net.train()` / `net.eval()`
切换 dropout 等层的行为；`net.to(device)` 一次移动所有参数。
"""

EXERCISES: dict[str, str] = {
    "MLP": """\
自定义块：展平输入，隐藏层 `nn.Linear` 加 ReLU，再 dropout，最后一个 `nn.Linear` 输出
`num_outputs` 个 **logits**。两个线性层是属性 `hidden` 和 `output`（赋给属性就会被注册）。

- 方法名必须是 `forward`：笔记里写成了 `__format__`，`net(X)` 就会报 nn.Module 的
  “missing the required forward function”；
- 最后一层后面**不要**加激活函数：logits 可以是负数，`nn.CrossEntropyLoss` 自己会做 softmax。
  笔记里的 `nn.Sequential` 最后多了一个 `nn.ReLU`，负的 logit 全变成了 0；
- dropout 放在隐藏层的 ReLU 之后，只在训练模式下起作用：用注册好的 `nn.Dropout`，`net.eval()` 就会关掉它。
""",
    "init_normal": """\
内置的初始化，配合 `net.apply(init_normal)` 使用：`apply` 会对每个子模块调用这个函数，所以要先判断
`isinstance(m, nn.Linear)`；是全连接层才初始化：权重取自 `N(0, 0.01**2)`、偏置为 0，用 `nn.init`
的原地函数（`normal_`、`zeros_`），其他模块不管。要**原地**修改，参数仍是原来的对象、设备和数据类型不变。
""",
    "count_parameters": """\
统计网络中标量参数的个数，返回 Python 的 `int`：把各个不同参数的大小（`numel()`）加起来。
笔记里的**共享层**：`shared = nn.Linear(8, 8)` 在 `nn.Sequential` 里用了两次，但只有一套参数，
只能算一次（`net.parameters()` 本来就只给出一次，逐层累加会算两次）。
缓冲区（批量归一化的 `running_mean`）不是参数；冻结的参数（`requires_grad=False`）仍然是参数。
""",
    "CenteredLayer": """\
不带参数的自定义层：`forward(X)` 返回 `X - X.mean()`，减去所有元素的均值，输出的均值为 0。
它没有要学习的参数；计算新的张量，不要修改传入的 `X`。
""",
    "MyLinear": """\
带参数的层：自己实现全连接层加 ReLU，`relu(X @ weight + bias)`。用 `nn.Parameter` 创建
`weight`（形状 `(in_units, units)`）和 `bias`（形状 `(units,)`），取自 `N(0, 1)`（`torch.randn`）；
`nn.Parameter` 会自动注册、需要梯度、随 `.to()` 移动。

`forward` 里直接用 `self.weight` 和 `self.bias`。笔记（d2l 的代码）里用了 `self.weight.data`：值一样，
但 `.data` 脱离了 autograd，梯度传不到参数，这一层永远学不到东西。不许使用 `nn.Linear`、`F.linear`。
""",
}
