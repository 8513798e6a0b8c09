"""简体中文: check names, hints and messages of ``tensors.py``."""

MESSAGES: dict[str, str] = {
    # -- broadcast_shapes ----------------------------------------------------------------------
    "agrees with torch.broadcast_shapes on shapes that broadcast": (
        "对可以广播的形状，结果与 torch.broadcast_shapes 一致"
    ),
    "align the shapes from the trailing (rightmost) dimension; a missing leading dimension "
    "counts as 1, and in each position the sizes must be equal or one of them 1.": (
        "从最后一个（最右边的）维度开始对齐各个形状；缺少的前导维度按 1 计算，"
        "每个位置上的大小必须相等，或者其中一个为 1。"
    ),
    "edge cases: no shapes, one shape, size 0, lists and torch.Size": (
        "边界情况：没有形状、只有一个形状、大小为 0、列表和 torch.Size"
    ),
    "broadcast_shapes() is (); size 0 is a size like any other (it broadcasts with 1 and 0 "
    "only); accept lists and torch.Size.": (
        "broadcast_shapes() 的结果是 ()；大小 0 和其他大小一样（只能与 1 和 0 广播）；"
        "还要接受列表和 torch.Size。"
    ),
    "raises ValueError for shapes that do not broadcast": "对无法广播的形状抛出 ValueError",
    "when two aligned sizes differ and neither is 1, raise ValueError.": (
        "当对齐后的两个大小不相等且都不为 1 时，抛出 ValueError。"
    ),
    "for shapes that do not broadcast": "形状无法广播时",
    "returns a tuple of ints": "返回由 int 组成的元组",
    "broadcast_shapes should return a tuple of Python ints": (
        "broadcast_shapes 应当返回由 Python int 组成的元组"
    ),
    # -- broadcast_to --------------------------------------------------------------------------
    "agrees with torch.broadcast_to (shape, values, dtype)": (
        "与 torch.broadcast_to 一致（形状、数值、dtype）"
    ),
    "first insert leading size-1 dimensions (x.unsqueeze(0)) until x has len(shape) "
    "dimensions, then x.expand(shape).": (
        "先在前面插入大小为 1 的维度（x.unsqueeze(0)），直到 x 有 len(shape) 个维度，"
        "再调用 x.expand(shape)。"
    ),
    "raises ValueError when the shape is impossible": "目标形状不可能时抛出 ValueError",
    "a size of x must equal the target size or be 1; x cannot have more dimensions than the "
    "target. Raise ValueError (expand raises RuntimeError).": (
        "x 的每个大小必须等于目标大小或为 1；x 的维数不能多于目标形状。"
        "请抛出 ValueError（expand 抛出的是 RuntimeError）。"
    ),
    "when x cannot be broadcast to shape": "x 无法广播到 shape 时",
    "keeps the device (meta, default-device trap, CUDA if present)": (
        "保持设备不变（meta 设备、默认设备陷阱，有 GPU 时还有 CUDA）"
    ),
    "is differentiable: gradients sum over the broadcast dimensions": (
        "可微：梯度在被广播的维度上求和"
    ),
    "does not modify its input": "不修改它的输入",
    # -- gather --------------------------------------------------------------------------------
    "agrees with torch.gather on generated inputs (every dim, negative dims)": (
        "在生成的输入上与 torch.gather 一致（每个 dim，包括负的 dim）"
    ),
    "out has index's shape; along `dim` take input's element number index[...], and keep "
    "every other coordinate: out[i][j][k] = input[i][index[i][j][k]][k] for dim == 1.": (
        "out 的形状与 index 相同；沿 `dim` 取 input 中编号为 index[...] 的元素，"
        "其余坐标保持不变：dim == 1 时 out[i][j][k] = input[i][index[i][j][k]][k]。"
    ),
    "raises ValueError for an index of the wrong shape": "index 形状不对时抛出 ValueError",
    "check index.dim() == input.dim(), and index.size(d) <= input.size(d) for every d != dim, "
    "before indexing; raise ValueError.": (
        "在索引之前检查 index.dim() == input.dim()，并且对每个 d != dim 都有 "
        "index.size(d) <= input.size(d)；否则抛出 ValueError。"
    ),
    "when index's shape does not fit input's": "index 的形状与 input 不匹配时",
    "raises IndexError for an index outside [0, input.size(dim)) or a dim out of range": (
        "索引超出 [0, input.size(dim)) 或 dim 越界时抛出 IndexError"
    ),
    "a negative index does not count from the end here: torch.gather refuses it, and so "
    "should you. Check index.min() >= 0.": (
        "这里负数索引不表示从末尾倒数：torch.gather 会拒绝它，你也应该拒绝。"
        "请检查 index.min() >= 0。"
    ),
    "an index must be below input.size(dim): check index.max() < input.size(dim).": (
        "索引必须小于 input.size(dim)：请检查 index.max() < input.size(dim)。"
    ),
    "check dim against [-input.dim(), input.dim()) and every index against "
    "[0, input.size(dim)) before gathering, and raise IndexError.": (
        "在 gather 之前，检查 dim 是否在 [-input.dim(), input.dim()) 内、每个索引是否在 "
        "[0, input.size(dim)) 内，不在就抛出 IndexError。"
    ),
    "dim must lie in [-input.dim(), input.dim()) (0 or -1 for a 1-D input): check it before "
    "turning a negative dim into a positive one; dim % input.dim() alone accepts any dim.": (
        "dim 必须在 [-input.dim(), input.dim()) 内（一维输入只能是 0 或 -1）：先检查它，"
        "再把负的 dim 换成正的；只用 dim % input.dim() 会接受任何 dim。"
    ),
    "when an index is out of range": "索引越界时",
    "when dim is out of range": "dim 越界时",
    "is differentiable in input, like torch.gather": "和 torch.gather 一样对 input 可微",
    "keeps the device (default-device trap, CUDA if present)": (
        "保持设备不变（默认设备陷阱，有 GPU 时还有 CUDA）"
    ),
    "does not modify its inputs": "不修改它的输入",
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
本次作业手写两个最常用的张量操作：**广播**（broadcast）和 **`gather`**。
给偏置加到一个 batch 上、在交叉熵里取出真实类别的预测概率，用的都是它们。
"""

EXERCISES: dict[str, str] = {
    "broadcast_shapes": """\
**广播规则**（笔记里的“广播机制”）：

1. 从**尾部的维度**开始，逐个维度对齐；
2. 某个张量前面**不存在**的维度，当作尺寸为 1；
3. 同一位置上的尺寸要么**相等**，要么其中一个为 **1**，结果取不为 1 的那个；
   尺寸 0 是普通的尺寸：它能和 1、0 广播。

例如 `(5, 3, 4, 1)` 和 `(3, 1, 1)` 可以广播，结果是 `(5, 3, 4, 1)`；
`(5, 2, 4, 1)` 和 `(3, 1, 1)` 不行（倒数第三个维度 2 != 3），此时要抛出 `ValueError`。
没有传入任何形状时返回 `()`。不许使用 `torch.broadcast_shapes`、`torch.broadcast_tensors`。
""",
    "broadcast_to": """\
把张量 `x` 广播到形状 `shape`，结果和 `torch.broadcast_to(x, shape)` 相同。

笔记里的做法：先在前面用 `unsqueeze(0)` 插入尺寸为 1 的维度，直到维数和 `shape` 一样，
再用 `expand` 扩展尺寸为 1 的维度。`expand` 不复制数据，得到的是共享内存的视图。
不能广播时（维数比目标多，或某个尺寸既不等于目标也不是 1）抛出 `ValueError`。
不许使用 `torch.broadcast_to`、`Tensor.broadcast_to`、`torch.broadcast_tensors`。
""",
    "gather": """\
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
}
