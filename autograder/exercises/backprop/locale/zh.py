"""简体中文: check names, hints and messages of ``backprop.py``, and its teaching text."""

MESSAGES: dict[str, str] = {
    "for a 1-D W1": "当 W1 是一维时",
    "for a 1-D W2": "当 W2 是一维时",
    "minimize returned no point for one step with lr = 1e-3": "minimize 在 lr = 1e-3 下走一步时没有返回点",
    "one step with the default lr differs from the same step with lr = 1e-3 passed": "用默认 lr 走的一步与显式传入 lr = 1e-3 走的同一步不同",
    "as {call}: {point}": "与 {call} 相同：{point}",
    "minimize's signature, and minimize(bowl, x0, steps=1) with the default lr": (
        "minimize 的函数签名，以及用默认 lr 调用 minimize(bowl, x0, steps=1)"
    ),
    "one step with the default lr is not Adam's step of lr = 1e-3": (
        "用默认 lr 走的一步不是 lr = 1e-3 的 Adam 的一步"
    ),
    "E agrees with sum((O - T)^2) / 2 (float64 and float32)": "E 与 sum((O - T)^2) / 2 一致（float64 和 float32）",
    "E = sum((O - T)^2) / 2 over all elements: the 1/2 cancels the 2 of the square's derivative.": "E = sum((O - T)^2) / 2，对所有元素求和：1/2 正好抵消平方求导得到的 2。",
    "dW agrees with autograd's dE/dW (float64 and float32)": "dW 与 autograd 给出的 dE/dW 一致（float64 和 float32）",
    "δ = (O - T) * O * (1 - O) with O = torch.sigmoid(X @ W.T), then dW = δ.T @ X.": "δ = (O - T) * O * (1 - O)，其中 O = torch.sigmoid(X @ W.T)，然后 dW = δ.T @ X。",
    "returns (E, dW): a 0-dim E and dW shaped like W": "返回 (E, dW)：0 维的 E，以及形状与 W 相同的 dW",
    "E is a 0-dim tensor (sum over every element, no keepdim); each gradient has its weight's shape: dW = δ.T @ X is (K, D), not X.T @ δ (D, K).": "E 是 0 维张量（对所有元素求和，不要 keepdim）；每个梯度的形状与对应的权重相同：dW = δ.T @ X 是 (K, D)，而不是 X.T @ δ 的 (D, K)。",
    "raises ValueError for shapes that do not fit": "形状不匹配时抛出 ValueError",
    "check first: X (N, D), W (K, D) and T (N, K) must be matrices with matching sizes: raise ValueError, not AssertionError; broadcasting T would hide the mistake.": "先检查：X (N, D)、W (K, D) 和 T (N, K) 必须是尺寸相互匹配的矩阵：抛出 ValueError，不要用 assert（AssertionError）；对 T 做广播会掩盖错误。",
    "return the inputs' dtype: compute with the inputs' own tensors (no .float(), no torch.zeros(...) without dtype=).": "返回输入的数据类型：用输入自己的张量计算（不要 .float()，也不要不带 dtype= 的 torch.zeros(...)）。",
    "W -= ... or O.sub_(T) on an input write into the caller's tensors: the backward pass computes the gradient, the optimiser's step changes W.": "W -= ... 或对输入调用 O.sub_(T) 会写进调用者的张量：反向传播只计算梯度，改变 W 是优化器那一步的事。",
    "dW2 agrees with autograd's dE/dW2 (float64 and float32)": "dW2 与 autograd 给出的 dE/dW2 一致（float64 和 float32）",
    "δK = (O - T) * O * (1 - O); dW2 = δK.T @ H, with H the hidden layer's output.": "δK = (O - T) * O * (1 - O)；dW2 = δK.T @ H，H 是隐藏层的输出。",
    "dW1 agrees with autograd's dE/dW1 (float64 and float32)": "dW1 与 autograd 给出的 dE/dW1 一致（float64 和 float32）",
    "each hidden unit j collects Σ_k δK[k] W2[k, j]: δJ = H * (1 - H) * (δK @ W2), then dW1 = δJ.T @ X.": "每个隐藏单元 j 收集 Σ_k δK[k] W2[k, j]：δJ = H * (1 - H) * (δK @ W2)，然后 dW1 = δJ.T @ X。",
    "returns (E, dW1, dW2): a 0-dim E and gradients shaped like W1 and W2": "返回 (E, dW1, dW2)：0 维的 E，以及形状分别与 W1、W2 相同的梯度",
    "check first: X (N, I), W1 (J, I), W2 (K, J) and T (N, K) must be matrices with matching sizes: raise ValueError.": "先检查：X (N, I)、W1 (J, I)、W2 (K, J) 和 T (N, K) 必须是尺寸相互匹配的矩阵：抛出 ValueError。",
    "W1 -= ... or H.mul_(...) on an input write into the caller's tensors: compute new tensors.": "W1 -= ... 或对输入调用 H.mul_(...) 会写进调用者的张量：请计算新的张量。",
    "agrees with (x^2 + y - 11)^2 + (x + y^2 - 7)^2 on points of shape (..., 2)": "在形状为 (..., 2) 的点上与 (x^2 + y - 11)^2 + (x + y^2 - 7)^2 一致",
    "(x² + y - 11)² + (x + y² - 7)² with x and y the two entries of P's last dimension: index that dimension from the end, and every other one is kept.": "(x² + y - 11)² + (x + y² - 7)²，x 和 y 是 P 最后一维的两个元素：从末尾索引这一维，其余各维保留。",
    "Adam on it from (0, 0) ends at its minimum (3, 2)": "用 Adam 从 (0, 0) 出发优化它，终点是极小值点 (3, 2)",
    "is 0 at its four minima": "在四个极小值点处为 0",
    "is differentiable: autograd's gradient agrees": "可导：与 autograd 的梯度一致",
    "compute with tensor operations on P (no .item(), float(...) or torch.tensor(...) of its values): minimize backpropagates through it.": "用对 P 的张量运算来计算（不要对它的值用 .item()、float(...) 或 torch.tensor(...)）：minimize 要通过它反向传播。",
    "raises ValueError if the last dimension is not 2": "最后一维不是 2 时抛出 ValueError",
    "check first: if P.dim() == 0 or P.shape[-1] != 2: raise ValueError(...).": "先检查：if P.dim() == 0 or P.shape[-1] != 2: raise ValueError(...)。",
    "return P's dtype: no .float() or torch.tensor(...) of the result.": "返回 P 的数据类型：不要对结果用 .float() 或 torch.tensor(...)。",
    "P[..., 0] is a view of P: x **= 2 or x.pow_(2) writes into the caller's tensor; use x**2.": "P[..., 0] 是 P 的视图：x **= 2 或 x.pow_(2) 会写进调用者的张量；请用 x**2。",
    "takes torch.optim.Adam's steps (a few steps of larger learning rates, 0 steps too)": "与 torch.optim.Adam 走的每一步一致（步数少、学习率较大，也包括 0 步）",
    "Adam optimises a detached copy of x0 that requires grad; each of the steps clears the gradients, backpropagates f at the point and lets the optimizer step.": "Adam 优化的是 x0 的一个分离出来、需要梯度的副本；每一步先清零梯度，再对该点的 f 反向传播，然后让优化器走一步。",
    "returns f at the returned point, as a Python float": "返回终点处的 f 值，类型为 Python float",
    "after the loop, evaluate f at the final point (under torch.no_grad()), as a float: the value computed before the last step belongs to the point before it.": "循环结束后，在最终的点处计算 f（在 torch.no_grad() 下），转成 float：最后一步之前算出的值属于上一步的点。",
    "returns the point detached, with x0's shape, dtype and device": "返回的点已 detach，形状、数据类型和设备都与 x0 相同",
    "return x.detach(): the copy you optimised, not a tensor that still requires grad, nor x.tolist() or torch.tensor(...) of it (float32 on the CPU).": "return x.detach()：返回你优化的那个副本，不能是仍然 requires grad 的张量，也不能是 x.tolist() 或 torch.tensor(...)（那是 CPU 上的 float32）。",
    "leaves x0 and its .grad as they were": "x0 及其 .grad 保持不变",
    "optimise a copy of x0, detached from it, that requires grad. Adam([x0]) changes the caller's tensor, and backward() on it adds to x0.grad.": "优化 x0 的一个副本：从 x0 分离出来并需要梯度。Adam([x0]) 会改变调用者的张量，对它 backward() 还会累加到 x0.grad 上。",
    "raises ValueError if steps < 0": "steps < 0 时抛出 ValueError",
    "check first: if steps < 0: raise ValueError(...) (range(-1) would run no step and hide the mistake).": "先检查：if steps < 0: raise ValueError(...)（range(-1) 一步也不走，会掩盖错误）。",
    "defaults to the notes' lr = 1e-3 and 20000 steps, which reach (3, 2) from (0, 0)": "默认值是笔记里的 lr = 1e-3 和 20000 步，用它们从 (0, 0) 出发能到达 (3, 2)",
    "def minimize(f, x0, lr=1e-3, steps=20000): the notes' Adam run.": "def minimize(f, x0, lr=1e-3, steps=20000)：笔记里 Adam 的设置。",
    "torch.optim.Adam([P], lr={lr}) for {steps} steps on himmelblau(P) from P = (0, 0)": "在 himmelblau(P) 上从 P = (0, 0) 出发，用 torch.optim.Adam([P], lr={lr}) 走 {steps} 步",
    "minimize({objective}, x0={x0}, {options})": "minimize({objective}, x0={x0}, {options})",
    "the final point": "最终的点",
    "return the error and the gradient(s) as a tuple: return E, dW (E, dW1, dW2).": "把误差和梯度作为元组返回：return E, dW（或 E, dW1, dW2）。",
    "dW": "dW",
    "dW2": "dW2",
    "dW1": "dW1",
    "Adam did not end at a point": "Adam 没有得到一个点",
    "the minimiser ends elsewhere than Himmelblau's minimum (3, 2)": "优化器的终点不是 Himmelblau 函数的极小值点 (3, 2)",
    "(3, 2), where the function is 0": "(3, 2)，函数值为 0",
    "the function is not 0 at Himmelblau's minima": "函数在 Himmelblau 的极小值点处不为 0",
    "[0, 0, 0, 0] (within 1e-9)": "[0, 0, 0, 0]（误差在 1e-9 以内）",
    "when the last dimension is not 2": "最后一维不是 2 时",
    "minimize should return a tuple (x, fx)": "minimize 应返回元组 (x, fx)",
    "return the optimised point detached, and f there as a Python float.": "返回分离后的优化点，以及该点处 f 的 Python float 值。",
    "for steps < 0": "steps < 0 时",
    "minimize's defaults are not the notes' lr = 1e-3 and steps = 20000": "minimize 的默认值不是笔记里的 lr = 1e-3 和 steps = 20000",
    "lr=0.001, steps=20000": "lr=0.001, steps=20000",
    "fx should be a Python float": "fx 应是 Python float",
    "fx is not f at the returned point": "fx 不是返回点处的 f 值",
    "the final point should have x0's shape": "最终的点应与 x0 形状相同",
    "the final point still requires grad: return it detached": "最终的点仍然 requires grad：请 detach 后再返回",
    "minimize changed x0": "minimize 改变了 x0",
    "minimize changed x0.grad": "minimize 改变了 x0.grad",
    "that is a mean without the 1/2, what F.mse_loss gives: this exercise's error is the half sum, E = sum((O - T)^2) / 2.": "这是不带 1/2 的平均值，也就是 F.mse_loss 给出的值：本题的误差是平方和的一半，E = sum((O - T)^2) / 2。",
    "that is sum((O - T)^2): E has a 1/2 in front, sum((O - T)^2) / 2.": "这是 sum((O - T)^2)：E 前面有个 1/2，应为 sum((O - T)^2) / 2。",
    "that is the gradient of the mean, 2 / (N K) times the right one (F.mse_loss's error): the error here is the half sum E = sum((O - T)^2) / 2, whose gradient is ((O - T) * O * (1 - O)).T @ X, with no factor in front.": "这是平均值的梯度，是正确梯度的 2 / (N K) 倍（F.mse_loss 的误差）：这里的误差是平方和的一半 E = sum((O - T)^2) / 2，它的梯度是 ((O - T) * O * (1 - O)).T @ X，前面没有系数。",
    "the sign is wrong: δ = (O - T) * O * (1 - O), not (T - O) * ...: the gradient points uphill, where E grows.": "符号错了：δ = (O - T) * O * (1 - O)，不是 (T - O) * ...：梯度指向上坡，也就是 E 增大的方向。",
    "the sigmoid's derivative is missing: O = σ(X @ W.T), so ∂O/∂z = O (1 - O) and δ = (O - T) * O * (1 - O).": "漏了 sigmoid 的导数：O = σ(X @ W.T)，所以 ∂O/∂z = O (1 - O)，δ = (O - T) * O * (1 - O)。",
    "σ'(z) = σ(z) (1 - σ(z)) = O (1 - O) with O = σ(z) already: σ(O) (1 - σ(O)) applies the sigmoid twice.": "σ'(z) = σ(z) (1 - σ(z)) = O (1 - O)，而 O 已经是 σ(z)：σ(O) (1 - σ(O)) 把 sigmoid 用了两次。",
    "dW2 takes the hidden layer's output: dW2 = δK.T @ H, not the output O or the input X.": "dW2 用的是隐藏层的输出：dW2 = δK.T @ H，不是输出 O，也不是输入 X。",
    "the hidden layer's sigmoid derivative is missing: δJ = H * (1 - H) * (δK @ W2), H (1 - H) being σ' at the hidden layer.": "漏了隐藏层 sigmoid 的导数：δJ = H * (1 - H) * (δK @ W2)，H (1 - H) 就是隐藏层的 σ'。",
    "({x}, {y}), where your function is {value}": "({x}, {y})，你的函数在该点的值为 {value}",
    "δK @ W2.T runs the weights the wrong way round: W2 is (K, J), so the hidden units' sums Σ_k δ_k w_jk are δK @ W2 ((N, K) @ (K, J)).": "δK @ W2.T 把权重的方向弄反了：W2 是 (K, J)，所以各隐藏单元的 Σ_k δ_k w_jk 是 δK @ W2（(N, K) @ (K, J)）。",
    "f(x) = {value}": "f(x) = {value}",
    "{call} with x0.grad = {grad}": "{call}，其中 x0.grad = {grad}",
    "the second term is (x + y^2 - 7)^2: x plain and y squared. The notes' code has (x[0] ** 2 + x[1] - 7) ** 2, which repeats the first term's x^2 + y.": "第二项是 (x + y^2 - 7)^2：x 不平方，y 平方。笔记里的代码写成了 (x[0] ** 2 + x[1] - 7) ** 2，重复了第一项的 x^2 + y。",
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
**手动反向传播**（PyTorch 课程第 7 节）。链式法则 $\\frac{\\partial y}{\\partial x} = \\frac{\\partial y}{\\partial u}\\frac{\\partial u}{\\partial x}$
把网络误差的导数拆成一串局部导数的乘积，从输出层一路算回输入层。对 sigmoid 单元和误差
$E = \\frac{1}{2}\\sum (O - T)^2$，笔记推导出了 delta 规则：输出单元 $k$ 有
$\\delta_k = (O_k - t_k) O_k (1 - O_k)$，连向它的权重的梯度是 $\\frac{\\partial E}{\\partial w_{jk}} = O_j \\delta_k$；
隐藏单元 $j$ 有 $\\delta_j = O_j (1 - O_j) \\sum_k \\delta_k w_{jk}$，以此类推。
两个反向传播函数由你手写（其中 autograd 会被拒绝），然后像笔记里的二维优化例子一样，
用 autograd 和 Adam 求 Himmelblau 函数的极小值。
"""

EXERCISES: dict[str, str] = {
    "perceptron_backward": """\
单层 sigmoid 感知机的误差和梯度，**手动计算**。`X` 形状 `(N, D)`（`N` 个样本、`D` 个输入），
`W` 形状 `(K, D)`（`K` 个输出单元），`T` 形状 `(N, K)`（目标值）。输出 `O = sigmoid(X @ W.T)`，
误差 $E = \\frac{1}{2}\\sum (O - T)^2$（对所有元素求和，0 维张量），以及与 `W` 同形状的 `dW = ∂E/∂W`：

    δ = (O - T) * O * (1 - O)        (N, K)：delta 规则
    dW = δ.T @ X                      (K, D)

前面的 $\\frac{1}{2}$ 是为了抵消平方求导得到的 2：`F.mse_loss(O, T)`（求平均、没有 1/2）的梯度是它的
$\\frac{2}{NK}$ 倍。形状不匹配时抛出 `ValueError`。不许用 autograd、`F.mse_loss`、`nn.MSELoss`。
""",
    "mlp_backward": """\
两层 sigmoid 网络（没有偏置）的误差和两个权重的梯度，**手动计算**。`X` 为 `(N, I)`，`W1` 为 `(J, I)`，
`W2` 为 `(K, J)`，`T` 为 `(N, K)`。前向：`H = sigmoid(X @ W1.T)`，`O = sigmoid(H @ W2.T)`，
$E = \\frac{1}{2}\\sum (O - T)^2$。反向，即笔记 7.4 节的 delta 规则：

    δK = (O - T) * O * (1 - O)        (N, K)
    dW2 = δK.T @ H                    (K, J)
    δJ = H * (1 - H) * (δK @ W2)      (N, J)：每个隐藏单元收集 Σ_k δ_k w_jk
    dW1 = δJ.T @ X                    (J, I)

返回 `(E, dW1, dW2)`。形状不匹配时抛出 `ValueError`。不许用 autograd、`F.mse_loss`、`nn.MSELoss`。
""",
    "himmelblau": """\
**Himmelblau 函数** $f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2$。`P` 的形状为 `(..., 2)`：
`x = P[..., 0]`，`y = P[..., 1]`，一次调用就能算出整张网格上的函数值（结果形状为 `P.shape[:-1]`）。
它有四个极小值，都等于 0：$(3, 2)$、$(-2.805118, 3.131312)$、$(-3.779310, -3.283186)$、
$(3.584428, -1.848126)$。注意第二项是 $(x + y^2 - 7)^2$：笔记里的代码误写成了 `(x[0]**2 + x[1] - 7)**2`，
这样优化器会停在别的地方。要可导（`minimize` 要对它反向传播）。最后一维不是 2 时抛出 `ValueError`。
""",
    "minimize": """\
像笔记里的二维优化例子那样，用 **Adam** 从 `x0` 出发最小化 `f`。在 `x0` 的一个 requires grad 的副本上优化
（`x0` 本身及其 `.grad` 都不能变），建立 `torch.optim.Adam([x], lr=lr)`，走 `steps` 步，每一步：

    optimizer.zero_grad()   # 否则各步的梯度会累加
    f(x).backward()
    optimizer.step()

返回最终的点（已 detach，形状、数据类型、设备都与 `x0` 相同）以及该点处 `f` 的值（Python float）。
用默认值从 `(0, 0)` 出发，Himmelblau 函数会在 1e-3 以内到达极小值 `(3, 2)`。`steps < 0` 时抛出 `ValueError`。
""",
}
