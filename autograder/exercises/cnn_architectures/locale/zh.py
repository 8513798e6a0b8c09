"""简体中文: check names, hints, messages and teaching text of ``cnn_architectures.py``."""

MESSAGES: dict[str, str] = {
    "{call}.to({device}) on X on {device}": "{call}.to({device})，输入 X 在 {device} 上",
    # -- shared ---------------------------------------------------------------------------------
    "{function} should raise ValueError": "{function} 应抛出 ValueError",
    "it built the net without complaint": "它没有任何报错就建好了网络",
    "the loss is not finite": "损失不是有限值",
    "{steps} steps of SGD did not lower the loss enough (to below {ratio} times the first)": (
        "{steps} 步 SGD 没有把损失降得足够低（要低于第一步的 {ratio} 倍）"
    ),
    "losses {losses}": "各步损失 {losses}",
    "the output is not on the net's device": "输出不在网络所在的设备上",
    "build every layer as a registered sub-module (an attribute or an nn.Sequential; a plain "
    "Python list is not registered) so .to(device) moves it, and create any new tensor on "
    "X.device.": (
        "每一层都要是注册过的子模块（作为属性或放进 nn.Sequential；普通的 Python 列表不会注册），"
        ".to(device) 才会移动它；新建的张量要放在 X.device 上。"
    ),
    "{call}, with fixed parameters": "{call}，参数取固定值",
    "{call} on X of shape {shape}": "{call}，输入 X 的形状为 {shape}",
    "{what} {hint}": "{what}{hint}",
    # -- lenet ----------------------------------------------------------------------------------
    "each layer's output shape for (N, 1, 28, 28) images: 6x28x28, 6x14x14, 16x10x10, 16x5x5, "
    "400, 120, 84, 10": (
        "输入 (N, 1, 28, 28) 的图像时各层的输出形状：6x28x28、6x14x14、16x10x10、16x5x5、400、120、84、10"
    ),
    "d2l's LeNet, layer by layer: a 5x5 convolution to 6 channels with padding 2, sigmoid, "
    "2x2 average pooling with stride 2; a 5x5 convolution to 16 channels (no padding), "
    "sigmoid, the same pooling; flatten (16 * 5 * 5 = 400 features); linear layers to 120 "
    "and to 84, each followed by a sigmoid, and a last one to 10 with nothing after it.": (
        "d2l 的 LeNet，逐层：填充 2、输出 6 个通道的 5x5 卷积，sigmoid，步幅 2 的 "
        "2x2 平均汇聚；输出 16 个通道、不填充的 5x5 卷积，sigmoid，同样的汇聚；展平（16 "
        "* 5 * 5 = 400 个特征）；输出 120 和 84 的两个线性层，各接一个 "
        "sigmoid，最后一个输出 10 的线性层，后面什么都不接。"
    ),
    "the layers' output shapes are not LeNet's": "各层的输出形状与 LeNet 的不同",
    "the net holds no registered layer: layers kept in a plain Python list are invisible to "
    "nn.Module (use nn.Sequential or nn.ModuleList). {hint}": (
        "网络里没有注册任何层：放在普通 Python 列表里的层 nn.Module 看不见（请用 nn.Sequential 或 "
        "nn.ModuleList）。{hint}"
    ),
    "the net fails on the images: {error}": "网络处理图像时出错：{error}",
    "the shapes up to the failure: {shapes}": "出错前各层的形状：{shapes}",
    "a linear layer takes in_features={inputs}, but what reaches it has {flat} values per "
    "image{why}": "全连接层的 in_features={inputs}，但传到它的每张图像有 {flat} 个值{why}",
    ": it is sized for one channel, not {channels}": "：它是按一个通道算的，而不是 {channels} 个通道",
    "the first linear layer takes every value of the flattened feature maps: "
    "nn.Linear(16 * 5 * 5, 120), 16 channels of 5x5.": (
        "第一个全连接层要接收展平后的特征图的全部值：nn.Linear(16 * 5 * 5, 120)，16 个通道、每个 5x5。"
    ),
    "61,706 parameters, in the shapes of d2l's layers": "61,706 个参数，形状与 d2l 各层的相同",
    "two convolutions (6 filters of 1x5x5, 16 of 6x5x5, each with a bias) and three linear "
    "layers (400 -> 120 -> 84 -> 10): 156 + 2416 + 48120 + 10164 + 850 = 61706.": (
        "两个卷积层（6 个 1x5x5 的卷积核、16 个 6x5x5 的卷积核，各带偏置）和三个全连接层"
        "（400 -> 120 -> 84 -> 10）：156 + 2416 + 48120 + 10164 + 850 = 61706。"
    ),
    "lenet() has {count} parameters, not 61,706": "lenet() 有 {count} 个参数，不是 61,706",
    "computes d2l's LeNet: sigmoid activations, average pooling (logits from fixed "
    "parameters)": "计算的是 d2l 的 LeNet：sigmoid 激活、平均汇聚（参数取固定值时的 logits）",
    "could not load LeNet's parameters: their shapes are not those of d2l's layers": (
        "无法载入 LeNet 的参数：它们的形状与 d2l 各层的不同"
    ),
    "the activations are ReLUs, not sigmoids": "激活函数是 ReLU，不是 sigmoid",
    "the pooling takes the maximum, not the average": "汇聚取的是最大值，不是平均值",
    "d2l's LeNet keeps LeCun's choices: nn.Sigmoid() after every convolution and hidden "
    "linear layer, nn.AvgPool2d(kernel_size=2, stride=2) after each convolution.": (
        "d2l 的 LeNet 保留了 LeCun 的选择：每个卷积层和隐藏的全连接层之后用 nn.Sigmoid()，"
        "每个卷积层之后用 nn.AvgPool2d(kernel_size=2, stride=2)。"
    ),
    "the last linear layer's output": "最后一个全连接层的输出",
    "returns logits: nothing after the last linear layer (no ReLU, sigmoid or softmax)": (
        "返回 logits：最后一个全连接层之后什么都不加（没有 ReLU、sigmoid 或 softmax）"
    ),
    "end with nn.Linear(84, 10) and nothing after it: the net returns logits, which may be "
    "negative; nn.CrossEntropyLoss applies the softmax itself.": (
        "以 nn.Linear(84, 10) 结束，后面什么都不加：网络返回的是 logits，可以为负；"
        "nn.CrossEntropyLoss 自己会做 softmax。"
    ),
    "the net's output is not the output of its last nn.Linear": "网络的输出不是它最后一个 nn.Linear 的输出",
    "a ReLU is applied to the logits: no output is negative": "logits 上加了 ReLU：没有一个输出是负数",
    "a softmax is applied to the logits: each row sums to 1": "logits 上加了 softmax：每行之和为 1",
    "a sigmoid is applied to the logits: every output is in (0, 1)": (
        "logits 上加了 sigmoid：每个输出都在 (0, 1) 之间"
    ),
    "a log-softmax is applied to the logits": "logits 上加了 log-softmax",
    "trains: 5 SGD steps on a small batch lower the cross-entropy": (
        "能训练：在一个小批量上做 5 步 SGD，交叉熵下降"
    ),
    "every layer must be a registered sub-module (in nn.Sequential or an attribute; a plain "
    "Python list is not registered) and the forward pass differentiable, so the optimizer "
    "updates all of them.": (
        "每一层都要是注册过的子模块（放进 nn.Sequential 或作为属性；普通的 Python 列表不会注册），"
        "前向传播要可导，优化器才会更新所有层。"
    ),
    "lenet() with fixed parameters, {steps} steps of SGD (lr={lr}) on 16 images of two "
    "classes": "lenet() 参数取固定值，在两类共 16 张图像上做 {steps} 步 SGD（lr={lr}）",
    "moves with .to(): the forward pass works on meta (and CUDA if present)": (
        "随 .to() 移动：在 meta 上（有 GPU 时还有 CUDA）前向传播能运行"
    ),
    # -- vgg_block ------------------------------------------------------------------------------
    "the output is (N, out_channels, H // 2, W // 2) (generated sizes, odd ones included)": (
        "输出为 (N, out_channels, H // 2, W // 2)（生成的各种尺寸，包括奇数）"
    ),
    "num_convs 3x3 convolutions with padding 1 (the first from in_channels, the others from "
    "out_channels), each followed by a ReLU, then one 2x2 max pooling with stride 2, all in "
    "one nn.Sequential in that order.": (
        "num_convs 个填充为 1 的 3x3 卷积（第一个从 in_channels 开始，其余从 "
        "out_channels 开始），每个后面接一个 ReLU，然后是一个步幅 2 的 2x2 "
        "最大汇聚，按这个顺序放进同一个 nn.Sequential。"
    ),
    "vgg_block({args}) on X of shape {shape}": "vgg_block({args})，输入 X 的形状为 {shape}",
    "the block fails: {error}": "块运行出错：{error}",
    "the block's output has the wrong shape": "块的输出形状不对",
    "the height and width did not halve: end the block with nn.MaxPool2d(kernel_size=2, "
    "stride=2). {hint}": "高和宽没有减半：块的最后要加 nn.MaxPool2d(kernel_size=2, stride=2)。{hint}",
    "an nn.Sequential of num_convs x (Conv2d 3x3 with padding 1, ReLU), first from "
    "in_channels, then MaxPool2d(2, 2)": (
        "一个 nn.Sequential：num_convs 组（3x3、padding 为 1 的 Conv2d，ReLU），第一个卷积从 "
        "in_channels 开始，最后是 MaxPool2d(2, 2)"
    ),
    "vgg_block returned a {kind}, not an nn.Sequential": "vgg_block 返回的是 {kind}，不是 nn.Sequential",
    "the block's layers are not num_convs x (3x3 convolution, ReLU), then 2x2 max pooling": (
        "块的各层不是 num_convs 组（3x3 卷积，ReLU）再加 2x2 最大汇聚"
    ),
    "The block must end with nn.MaxPool2d(kernel_size=2, stride=2): it halves the height and "
    "width.": "块必须以 nn.MaxPool2d(kernel_size=2, stride=2) 结束：它把高和宽减半。",
    "Only the first convolution takes in_channels; after it the channels are out_channels (set "
    "in_channels = out_channels in the loop).": (
        "只有第一个卷积层的输入通道是 in_channels；之后的通道数都是 out_channels"
        "（在循环里写 in_channels = out_channels）。"
    ),
    "Only the first convolution takes in_channels; after it the channels are out_channels (set "
    "in_channels = out_channels in the loop). {hint}": (
        "只有第一个卷积层的输入通道是 in_channels；之后的通道数都是 out_channels"
        "（在循环里写 in_channels = out_channels）。{hint}"
    ),
    "padding=1 keeps the height and width through a 3x3 convolution.": (
        "padding=1 让 3x3 卷积前后的高和宽保持不变。"
    ),
    "The convolutions keep nn.Conv2d's default bias.": "卷积层保留 nn.Conv2d 默认的偏置。",
    "A ReLU follows every convolution.": "每个卷积层后面都跟一个 ReLU。",
    "One pooling layer, at the end of the block, not one after every convolution.": (
        "只在块的最后有一个汇聚层，而不是每个卷积层后面都有。"
    ),
    "Compare the layers one by one.": "请逐层比较。",
    "computes relu(conv(X)) for each convolution with its own parameters, then the maximum of "
    "each 2x2 window": "用块自己的参数对每个卷积计算 relu(conv(X))，再取每个 2x2 窗口的最大值",
    "the block's parameters are not those of a chain of 3x3 convolutions from in_channels": (
        "块的参数不是从 in_channels 开始的一串 3x3 卷积的参数"
    ),
    "the block's output": "块的输出",
    "the pooling takes the average, not the maximum": "汇聚取的是平均值，不是最大值",
    "VGG pools with nn.MaxPool2d(kernel_size=2, stride=2).": (
        "VGG 用 nn.MaxPool2d(kernel_size=2, stride=2) 做汇聚。"
    ),
    "raises ValueError if num_convs < 1": "num_convs < 1 时抛出 ValueError",
    "if num_convs < 1: raise ValueError(...): a block of no convolution would be a lone "
    "pooling layer.": "if num_convs < 1: raise ValueError(...)：没有卷积的块只剩下一个汇聚层。",
    "vgg_block({n}, 3, 8)": "vgg_block({n}, 3, 8)",
    "the parameters of num_convs 3x3 convolutions with bias": "num_convs 个带偏置的 3x3 卷积的参数",
    "in_channels * out_channels * 9 + out_channels for the first convolution, out_channels * "
    "out_channels * 9 + out_channels for each other one.": (
        "第一个卷积有 in_channels * out_channels * 9 + out_channels 个参数，其余每个有 "
        "out_channels * out_channels * 9 + out_channels 个。"
    ),
    "the block has {count} parameters, not {wanted}": "块有 {count} 个参数，不是 {wanted}",
    # -- Residual -------------------------------------------------------------------------------
    "Residual({i}, {o}, use_1x1conv={u}, stride={s})": "Residual({i}, {o}, use_1x1conv={u}, stride={s})",
    "the output is (N, out_channels, (H - 1) // stride + 1, (W - 1) // stride + 1): identity "
    "and 1x1 shortcuts, stride 1 and 2": (
        "输出为 (N, out_channels, (H - 1) // stride + 1, (W - 1) // stride + 1)：恒等捷径和 1x1 "
        "卷积捷径，步幅 1 和 2"
    ),
    "the main path is conv1, bn1, ReLU, conv2, bn2; the shortcut is X itself, or conv3(X) "
    "when conv3 is set; the block returns the ReLU of their sum (no ReLU on the main path "
    "after bn2).": (
        "主路径是 conv1、bn1、ReLU、conv2、bn2；捷径是 X 本身，设置了 conv3 时是 "
        "conv3(X)；残差块返回两者之和的 ReLU（主路径在 bn2 之后没有 ReLU）。"
    ),
    "with use_1x1conv the shortcut is conv3(X), a 1x1 convolution from in_channels to "
    "out_channels with the block's stride, so that it has Y's shape. {hint}": (
        "use_1x1conv 时捷径是 conv3(X)：从 in_channels 到 out_channels、步幅与块相同的 1x1 卷积，"
        "这样它才与 Y 形状相同。{hint}"
    ),
    "layers named as d2l's: conv1 (3x3, padding 1, stride), bn1, conv2 (3x3, padding 1), bn2, "
    "and conv3 a 1x1 convolution with the stride, or None": (
        "各层按 d2l 命名：conv1（3x3，padding 为 1，带步幅）、bn1、conv2（3x3，padding 为 1）、bn2，"
        "conv3 是带步幅的 1x1 卷积，或者为 None"
    ),
    "conv1: a 3x3 convolution from in_channels to out_channels with padding 1 and the "
    "block's stride; conv2: 3x3 from out_channels to out_channels with padding 1; bn1 and "
    "bn2: batch norms over out_channels; conv3: a 1x1 convolution from in_channels to "
    "out_channels with the stride when use_1x1conv, else None.": (
        "conv1：从 in_channels 到 out_channels 的 3x3 卷积，填充 "
        "1，步幅为块的步幅；conv2：从 out_channels 到 out_channels 的 3x3 "
        "卷积，填充 1；bn1 和 bn2：对 out_channels "
        "个通道的批量规范化；conv3：use_1x1conv 时是从 in_channels 到 "
        "out_channels、带步幅的 1x1 卷积，否则为 None。"
    ),
    "{attribute} is not what d2l's block has": "{attribute} 与 d2l 的残差块中的不同",
    "the block has no attribute {attribute}": "残差块没有属性 {attribute}",
    "computes relu(bn2(conv2(relu(bn1(conv1(X))))) + shortcut) in training and evaluation mode "
    "(fixed parameters)": (
        "在训练和评估模式下计算 relu(bn2(conv2(relu(bn1(conv1(X))))) + shortcut)（参数取固定值）"
    ),
    "{call}, fixed parameters, {mode} mode": "{call}，参数取固定值，{mode} 模式",
    "name the layers conv1, bn1, conv2, bn2 (and conv3 with the 1x1 convolution), as d2l "
    "does.": "按 d2l 的写法给各层命名：conv1、bn1、conv2、bn2（有 1x1 卷积时还有 conv3）。",
    "the ReLU is applied to the main path before the sum: relu(relu(Y) + shortcut)": (
        "ReLU 在相加之前就用在了主路径上：relu(relu(Y) + shortcut)"
    ),
    "add first, then apply the ReLU once: F.relu(Y + X). A ReLU on Y before the sum means the "
    "block can never subtract from its input.": (
        "先相加，再做一次 ReLU：F.relu(Y + X)。相加前对 Y 做 ReLU，块就永远不能从输入中减去什么。"
    ),
    "the shortcut is not added: the output is relu(Y)": "没有加上捷径：输出是 relu(Y)",
    "return F.relu(Y + X), with X = self.conv3(X) when there is a 1x1 convolution.": (
        "return F.relu(Y + X)，有 1x1 卷积时先 X = self.conv3(X)。"
    ),
    "there is no ReLU after the sum": "相加之后没有 ReLU",
    "return F.relu(Y + X): the block ends with a ReLU of the sum.": (
        "return F.relu(Y + X)：块以相加结果的 ReLU 结束。"
    ),
    "raises ValueError when the shortcut cannot be added (channels or size change without "
    "use_1x1conv)": "捷径无法相加时抛出 ValueError（通道数或尺寸改变却没有 use_1x1conv）",
    "in __init__: if not use_1x1conv and (in_channels != out_channels or stride != 1): raise "
    "ValueError(...). Without the 1x1 convolution X keeps its channels and size, so Y + X "
    "cannot be computed.": (
        "在 __init__ 中：if not use_1x1conv and (in_channels != out_channels or stride != 1): raise "
        "ValueError(...)。没有 1x1 卷积时 X 的通道数和尺寸不变，Y + X 就无法计算。"
    ),
    "trains: gradients reach every layer and 5 SGD steps on a small batch lower the loss": (
        "能训练：梯度传到每一层，在一个小批量上做 5 步 SGD，损失下降"
    ),
    "use every layer in forward (conv1, bn1, conv2, bn2 and conv3 when there is one) with "
    "differentiable operations, so that the optimizer updates them all.": (
        "在 forward 中用可导的运算用上每一层（conv1、bn1、conv2、bn2，有的话还有 conv3），"
        "优化器才会更新它们全部。"
    ),
    "every layer must take part in forward: a layer built in __init__ but not used (bn2 "
    "skipped, the shortcut's conv3 ignored) never learns.": (
        "每一层都要参与 forward：在 __init__ 里建了却没用上的层（跳过了 bn2、忽略了捷径的 conv3）"
        "永远学不到东西。"
    ),
    "{call} with fixed parameters, then average pooling and a linear layer; {steps} steps of "
    "SGD (lr={lr}) on 8 images of two classes": (
        "{call} 参数取固定值，后接平均汇聚和一个全连接层；在两类共 8 张图像上做 {steps} 步 SGD（lr={lr}）"
    ),
    "the parameters of d2l's block: two 3x3 convolutions, two batch norms, the 1x1 "
    "convolution": "d2l 残差块的参数：两个 3x3 卷积、两个批量归一化、1x1 卷积",
    "conv1: in * out * 9 + out, conv2: out * out * 9 + out, bn1 and bn2: 2 * out each, conv3: "
    "in * out + out.": (
        "conv1：in * out * 9 + out，conv2：out * out * 9 + out，bn1 和 bn2：各 2 * out，"
        "conv3：in * out + out。"
    ),
}

INTRODUCTION = """\
**经典卷积神经网络**（PyTorch 课程笔记 §10.5–10.6；d2l 6.6、7.2、7.6）。**LeNet**（LeCun，
用于手写数字识别）由两个带汇聚的卷积层和三个全连接层组成。**VGG** 用一个重复的**块**搭出深层网络：
几个保持高和宽不变的 3x3 卷积，再接一个把高和宽减半的 2x2 最大汇聚。**ResNet** 把每个块的输入加到
输出上，`y = relu(f(x) + x)`，块只需学习**残差** `f(x)`，很深的网络也能训练。

这里可以使用 `nn.Conv2d`、`nn.BatchNorm2d`、汇聚层、`nn.Linear`、激活函数和 `nn.Sequential`：
练习的内容就是网络结构。卷积层保留 `nn.Conv2d` 默认的偏置。卷积或汇聚在一个维度上的输出大小是
`floor((n + 2 * padding - kernel_size) / stride) + 1`。
"""

EXERCISES: dict[str, str] = {
    "lenet": """\
d2l 的 LeNet，输入 `(N, 1, 28, 28)` 的图像（Fashion-MNIST），每张图像输出 10 个 logits。
逐层写出一张图像的输出形状：

```
Conv2d(1, 6, kernel_size=5, padding=2), Sigmoid    ->  (6, 28, 28)
AvgPool2d(kernel_size=2, stride=2)                  ->  (6, 14, 14)
Conv2d(6, 16, kernel_size=5), Sigmoid               ->  (16, 10, 10)
AvgPool2d(kernel_size=2, stride=2)                  ->  (16, 5, 5)
Flatten                                             ->  (400,)
Linear(400, 120), Sigmoid                           ->  (120,)
Linear(120, 84), Sigmoid                            ->  (84,)
Linear(84, 10)                                      ->  (10,)
```

第一个全连接层要接收展平后特征图的全部 `16 * 5 * 5 = 400` 个值：是 16 个通道，不是一个
（笔记里在 16 个输出通道的卷积之后写了 `nn.Linear(1*14*14, 10)`）。最后一层后面**不加**激活函数：
网络返回给 `nn.CrossEntropyLoss` 的是 logits。一共 61,706 个参数。
""",
    "vgg_block": """\
VGG 块：`num_convs` 组 3x3 卷积（`padding=1`）加 ReLU，最后是 2x2 的最大汇聚（步幅 2），
整体是一个 `nn.Sequential`。第一个卷积把 `in_channels` 变成 `out_channels`，之后的卷积都是
`out_channels` 到 `out_channels`。`padding=1` 让卷积前后高和宽不变，汇聚把它们减半（向下取整）：

```
(N, in_channels, H, W)  ->  (N, out_channels, H // 2, W // 2)
```

`num_convs < 1` 时抛出 `ValueError`。
""",
    "Residual": """\
ResNet 的残差块：`Residual(in_channels, out_channels, use_1x1conv=False, stride=1)`。
主路径是 `conv1`（3x3，`padding=1`，步幅 `stride`）-> `bn1` -> ReLU -> `conv2`（3x3，`padding=1`）
-> `bn2`；捷径是 `X` 本身，或者在 `use_1x1conv` 时是 `conv3(X)`（步幅为 `stride` 的 1x1 卷积）。
输出是两者**之和**的 ReLU：

```
Y = bn2(conv2(relu(bn1(conv1(X)))))
return relu(Y + (conv3(X) if use_1x1conv else X))
```

ReLU 在相加**之后**，不要在相加前用在 `Y` 上。各层按 d2l 命名为 `conv1`、`bn1`、`conv2`、`bn2`、
`conv3`（没有 1x1 卷积时 `self.conv3 = None`）；`bn1` 和 `bn2` 是 `nn.BatchNorm2d(out_channels)`。

相加要求 `Y` 和捷径形状相同：通道数改变或 `stride > 1` 时，只有 1x1 卷积能把 `X` 变成 `Y` 的形状。
没有 `use_1x1conv` 而 `in_channels != out_channels` 或 `stride != 1` 时，在 `__init__` 中抛出
`ValueError`（笔记里通道数改变时没用 1x1 卷积）。
""",
}
