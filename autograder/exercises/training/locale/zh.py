"""简体中文: check names, hints and messages of ``training.py``."""

MESSAGES: dict[str, str] = {
    # -- shared hints ----------------------------------------------------------------------------
    "one training step, in this order: the forward pass, the batch's loss, the optimizer's "
    "zero_grad, backward from the loss, the optimizer's step.": (
        "一个训练步骤按以下顺序进行：前向传播，这一批的损失，优化器的 zero_grad，"
        "从损失反向传播，优化器的 step。"
    ),
    "that is not a device PyTorch knows: 'cuda:0' (not 'cida:0'), 'cpu' or 'meta'. With "
    "device=None use the net's own device: next(net.parameters()).device.": (
        "这不是 PyTorch 认识的设备：应为 'cuda:0'（不是 'cida:0'）、'cpu' 或 'meta'。"
        "device=None 时请使用网络自己的设备：next(net.parameters()).device。"
    ),
    "optimizer.step() changed the weights in place before l.backward() used them: "
    "backpropagate first, then step. {step_hint}": (
        "optimizer.step() 在 l.backward() 用到权重之前就原地修改了它们："
        "请先反向传播，再更新参数。{step_hint}"
    ),
    "return Python floats: l.item() for the loss, and divide counts that are Python ints. "
    "Adding up tensors instead keeps every batch's autograd graph alive.": (
        "请返回 Python float：损失用 l.item()，并用 Python int 类型的计数做除法。"
        "如果把张量累加起来，每个批次的自动求导计算图都会一直保留在内存中。"
    ),
    "with device=None use the net's device (where its first parameter is), and move every "
    "batch there, X and y (.to returns a new tensor; it does not move X in place). Never "
    "hard-code 'cpu' or 'cuda:0' (nor 'cida:0').": (
        "device=None 时请使用网络所在的设备（它第一个参数所在的设备），并把每个批次的 X 和 y "
        "都移到那里（.to 返回一个新张量，不会原地移动 X）。不要把 'cpu' 或 'cuda:0'（更不要说 'cida:0'）"
        "写死在代码里。"
    ),
    "use the device argument when it is not None: move X and y there (.to returns new tensors).": (
        "device 参数不为 None 时请使用它：把 X 和 y 移到那里（.to 返回新的张量）。"
    ),
    # -- running the student's loop ----------------------------------------------------------------
    "{function} never called the net": "{function} 从未调用网络",
    "{function} never called the net ({ended})": "{function} 从未调用网络（{ended}）",
    "it returned": "它正常返回了",
    "largest difference {gap} in {where}": "最大差异为 {gap}，出现在 {where}",
    # -- diagnosing wrong parameters -------------------------------------------------------------
    "The parameters match a loop that never clears the gradients: backward() *adds* into "
    "p.grad, so without optimizer.zero_grad() in every batch each step uses the sum of all "
    "gradients so far. Call optimizer.zero_grad() inside the loop, before l.backward().": (
        "这些参数与一个从不清空梯度的循环得到的结果一致：backward() 会把梯度*累加*到 "
        "p.grad 中，所以如果不在每个批次调用 optimizer.zero_grad()，每一步用的都是到目前为止"
        "所有梯度之和。请在循环内、l.backward() 之前调用 optimizer.zero_grad()。"
    ),
    "The parameters match one step on the first batch only: is the return statement inside "
    "the for loop?": (
        "这些参数与只在第一个批次上走一步的结果一致：return 语句是不是写在了 for 循环里面？"
    ),
    "The parameters did not change at all: no gradient reached optimizer.step(). "
    "`loss.backward` without parentheses only names the method and does nothing (write "
    "l.backward()); optimizer.step() right after optimizer.zero_grad(), before "
    "l.backward(), has no gradients to step with; optimizer.zero_grad() between "
    "l.backward() and optimizer.step() erases them before they are used.": (
        "参数完全没有变化：没有梯度到达 optimizer.step()。不带括号的 `loss.backward` "
        "只是引用了这个方法，什么也不做（应写 l.backward()）；在 optimizer.zero_grad() 之后、"
        "l.backward() 之前调用 optimizer.step()，此时没有梯度可用；在 l.backward() 和 "
        "optimizer.step() 之间调用 optimizer.zero_grad()，会在梯度被使用之前就把它们清除。"
    ),
    "The parameters after one epoch differ from the reference's. {step_hint}": (
        "一个轮次（epoch）之后的参数与参考实现的不同。{step_hint}"
    ),
    # -- diagnosing wrong averages ---------------------------------------------------------------
    "the mean of the batch means": "各批次平均值的平均值",
    "the sum of the batch means divided by the number of examples": ("各批次平均值之和除以样本数"),
    "the total loss, not divided by the number of examples": "总损失，没有除以样本数",
    "divided by (number of batches x first batch size)": "除以（批次数 × 第一个批次的大小）",
    "the mean of the per-batch accuracies": "各批次准确率的平均值",
    "the number of correct predictions, not divided by the number of examples": (
        "正确预测的个数，没有除以样本数"
    ),
    "divided by the number of batches": "除以批次数",
    "loss returns the batch *mean*: add l.item() * len(y) per batch and the number of "
    "correct predictions, then divide both totals by the number of examples, so that a "
    "smaller last batch counts by its size.": (
        "loss 返回的是批次的*平均值*：每个批次累加 l.item() * len(y) 和正确预测的个数，"
        "最后把两个总数都除以样本数，这样较小的最后一个批次才会按它的大小计入。"
    ),
    "It looks like the mean loss is {loss_mistake} and the accuracy is {accuracy_mistake}. "
    "{advice}": ("看起来平均损失算成了{loss_mistake}，准确率算成了{accuracy_mistake}。{advice}"),
    "It looks like the mean loss is {loss_mistake}. {advice}": (
        "看起来平均损失算成了{loss_mistake}。{advice}"
    ),
    "It looks like the accuracy is {accuracy_mistake}. {advice}": (
        "看起来准确率算成了{accuracy_mistake}。{advice}"
    ),
    # -- devices ---------------------------------------------------------------------------------
    "the first batch X reached the net on {seen}, not on {want}": (
        "第一个批次的 X 到达网络时在 {seen} 上，而不是 {want} 上"
    ),
    "X on {device}": "X 在 {device} 上",
    "the labels y reached the loss on {seen}, not on {want}": (
        "标签 y 到达损失函数时在 {seen} 上，而不是 {want} 上"
    ),
    "y on {device}": "y 在 {device} 上",
    "move y as well as X to the device (.to returns new tensors).": (
        "除了 X，也要把 y 移到这个设备上（.to 返回新的张量）。"
    ),
    "an operation combined tensors on different devices ({operation}): a batch (X or y) was "
    "not moved to the net's device": (
        "有一个运算组合了不同设备上的张量（{operation}）："
        "某个批次（X 或 y）没有被移到网络所在的设备"
    ),
    "with the net on CUDA the parameters end elsewhere than on the CPU": (
        "网络在 CUDA 上时，最终的参数与在 CPU 上得到的不同"
    ),
    "with the net on CUDA the result differs from the CPU result": (
        "网络在 CUDA 上时，结果与在 CPU 上的结果不同"
    ),
    # -- train_epoch -----------------------------------------------------------------------------
    "one epoch moves the parameters exactly as the reference does (smaller last batch too)": (
        "一个轮次对参数的更新与参考实现完全相同（包括较小的最后一个批次）"
    ),
    "after one epoch the parameters are not where the reference's are": (
        "一个轮次之后，参数与参考实现的参数不一致"
    ),
    "returns (mean loss, accuracy) over all examples, the last batch weighted by its size": (
        "返回所有样本上的（平均损失, 准确率），最后一个批次按其大小加权"
    ),
    "train_epoch should return a pair (mean_loss, accuracy)": (
        "train_epoch 应当返回一个二元组 (mean_loss, accuracy)"
    ),
    "train_epoch should return two Python numbers": "train_epoch 应当返回两个 Python 数值",
    "the loss function passed in was never called with a batch": (
        "传入的损失函数从未在任何批次上被调用"
    ),
    "compute the loss with the `loss` argument: l = loss(net(X), y).": (
        "请用参数 `loss` 计算损失：l = loss(net(X), y)。"
    ),
    "the mean loss or the accuracy is not averaged over all examples": (
        "平均损失或准确率不是在所有样本上求平均得到的"
    ),
    "trains in training mode (net.train()), with gradients on": (
        "在训练模式下（net.train()）并开启梯度进行训练"
    ),
    "call net.train() at the start: a net left in evaluation mode by evaluate_accuracy would "
    "train with dropout switched off.": (
        "请在开头调用 net.train()：被 evaluate_accuracy 留在评估模式的网络会在关闭 dropout "
        "的情况下训练。"
    ),
    "the net was in evaluation mode during training (dropout off)": (
        "训练期间网络处于评估模式（dropout 被关闭）"
    ),
    "every forward pass in training mode": "每次前向传播都处于训练模式",
    "net.training == False": "net.training == False",
    "the forward pass ran without gradient tracking": "前向传播在没有梯度跟踪的情况下运行",
    "only evaluation runs under torch.no_grad(); training needs the graph.": (
        "只有评估才在 torch.no_grad() 下运行；训练需要计算图。"
    ),
    "raises ValueError for an empty iterator": "对空迭代器抛出 ValueError",
    "the mean over zero examples is undefined: after the loop, if no example was seen, raise "
    "ValueError with a message (instead of dividing by zero).": (
        "零个样本的平均值没有定义：循环结束后，如果一个样本都没有见到，请抛出带说明信息的 "
        "ValueError（而不是除以零）。"
    ),
    "{function} should raise ValueError for an iterator without batches": (
        "对没有批次的迭代器，{function} 应当抛出 ValueError"
    ),
    "the accuracy of zero examples is undefined: after the loop, if no example was seen, "
    "raise ValueError with a message (instead of dividing by zero).": (
        "零个样本的准确率没有定义：循环结束后，如果一个样本都没有见到，请抛出带说明信息的 "
        "ValueError（而不是除以零）。"
    ),
    "ValueError with a helpful message": "带有有用说明信息的 ValueError",
    "device=None: batches go to the net's device (meta here; CUDA when present)": (
        "device=None：批次被移到网络所在的设备（这里是 meta；有 GPU 时是 CUDA）"
    ),
    "batches go to the device passed as device=": "批次被移到通过 device= 传入的设备",
    "when device is given, move X and y there (the caller has put the net there).": (
        "给定 device 时，把 X 和 y 移到那里（调用者已经把网络放在那里了）。"
    ),
    "scikit-learn's digits": "scikit-learn 的 digits 数据集",
    "Fashion-MNIST in {root}": "{root} 中的 Fashion-MNIST",
    "training on {data} failed: {reason}": "在{data}上训练失败：{reason}",
    "unusable parameters": "参数无法使用",
    "softmax regression trained with your train_epoch on {data} does not reach {threshold} "
    "test accuracy": (
        "用你的 train_epoch 在{data}上训练的 softmax 回归没有达到 {threshold} 的测试准确率"
    ),
    "test accuracy >= {threshold} (the reference loop reaches {reached} with these "
    "settings)": "测试准确率 >= {threshold}（参考实现的循环在这些设置下达到 {reached}）",
    "test accuracy {accuracy}; train_epoch returned {result}": (
        "测试准确率 {accuracy}；train_epoch 返回了 {result}"
    ),
    "a correct loop learns this easily: look for gradients that are never cleared "
    "(optimizer.zero_grad() in every batch), a backward() that is not called, or a step "
    "taken before backward.": (
        "正确的循环可以轻松学会这个任务：请检查是否有梯度从未被清空（每个批次都要调用 "
        "optimizer.zero_grad()）、backward() 没有被调用，或者在 backward 之前就执行了 step。"
    ),
    "trains softmax regression on real data to the target test accuracy (digits >= 90%; "
    "Fashion-MNIST >= 70% too when --data-root is given)": (
        "在真实数据上训练 softmax 回归，达到目标测试准确率（digits >= 90%；"
        "给定 --data-root 时还要求 Fashion-MNIST >= 70%）"
    ),
    # -- evaluate_accuracy -----------------------------------------------------------------------
    "the fraction of correct predictions over all examples (smaller last batch, one example)": (
        "所有样本中预测正确的比例（包括较小的最后一个批次和只有一个样本的数据集）"
    ),
    "count correct predictions ((net(X).argmax(dim=1) == y).sum()) and examples (len(y)) "
    "over all batches, and divide once at the end; the mean of per-batch accuracies "
    "over-weights a smaller last batch.": (
        "在所有批次上统计正确预测数（(net(X).argmax(dim=1) == y).sum()）和样本数（len(y)），"
        "最后只做一次除法；各批次准确率的平均值会高估较小的最后一个批次的权重。"
    ),
    "evaluate_accuracy should return a Python float": "evaluate_accuracy 应当返回 Python float",
    "use int(...) or .item() on the count of correct predictions.": (
        "对正确预测的计数使用 int(...) 或 .item()。"
    ),
    "the accuracy is wrong": "准确率不正确",
    "you averaged the per-batch accuracies. {count_hint}": (
        "你对各批次的准确率取了平均。{count_hint}"
    ),
    "evaluates in evaluation mode (net.eval(): dropout off)": (
        "在评估模式下评估（net.eval()：关闭 dropout）"
    ),
    "call net.eval() (with parentheses) before the loop: in training mode dropout zeroes "
    "activations at random and the accuracy is noisy and too low.": (
        "在循环之前调用 net.eval()（要带括号）：在训练模式下 dropout 会随机把激活值置零，"
        "准确率会有噪声且偏低。"
    ),
    "the net was still in training mode while evaluating": "评估时网络仍处于训练模式",
    "net.training == False at every forward pass": "每次前向传播时 net.training == False",
    "net.training == True": "net.training == True",
    "tracks no gradients (torch.no_grad())": "不跟踪梯度（torch.no_grad()）",
    "wrap the loop in `with torch.no_grad():` so no autograd graph is built: evaluation "
    "needs no gradients, and the graph costs time and memory.": (
        "把循环放在 `with torch.no_grad():` 中，这样就不会构建自动求导计算图："
        "评估不需要梯度，而计算图会耗费时间和内存。"
    ),
    "gradient tracking was on during evaluation": "评估期间开启了梯度跟踪",
    "torch.is_grad_enabled() == False at every forward pass": (
        "每次前向传播时 torch.is_grad_enabled() == False"
    ),
    "torch.is_grad_enabled() == True": "torch.is_grad_enabled() == True",
    "when device is given, move X and y there (.to returns new tensors).": (
        "给定 device 时，把 X 和 y 移到那里（.to 返回新的张量）。"
    ),
    # -- train -----------------------------------------------------------------------------------
    "for epoch in range(1, num_epochs + 1): call train_epoch on train_iter, then "
    "evaluate_accuracy on test_iter, and append {'epoch': epoch, 'train_loss': ..., "
    "'train_acc': ..., 'test_acc': ...}.": (
        "for epoch in range(1, num_epochs + 1)：先在 train_iter 上调用 train_epoch，"
        "再在 test_iter 上调用 evaluate_accuracy，然后追加 {'epoch': epoch, "
        "'train_loss': ..., 'train_acc': ..., 'test_acc': ...}。"
    ),
    "returns one dict per epoch: epoch (from 1), train_loss, train_acc, test_acc": (
        "每个轮次返回一个 dict：epoch（从 1 开始）、train_loss、train_acc、test_acc"
    ),
    "train should return a list (one dict per epoch)": (
        "train 应当返回一个列表（每个轮次一个 dict）"
    ),
    "train should return {epochs} dicts, one per epoch": (
        "train 应当返回 {epochs} 个 dict，每个轮次一个"
    ),
    "a list of {epochs} dicts": "由 {epochs} 个 dict 组成的列表",
    "a list of {count} items: {items}": "包含 {count} 个元素的列表：{items}",
    "entry {position} should be a dict with keys {keys}": (
        "第 {position} 项应当是一个包含键 {keys} 的 dict"
    ),
    "the epochs are numbered from 1": "轮次编号从 1 开始",
    "'epoch': {position} in entry {position}": "第 {position} 项中 'epoch': {position}",
    "'epoch': {value}": "'epoch': {value}",
    "entry {position} should hold Python numbers": "第 {position} 项应当包含 Python 数值",
    "trains one epoch of train_epoch per entry (losses, accuracies, final parameters)": (
        "每一项对应用 train_epoch 训练一个轮次（损失、准确率、最终参数）"
    ),
    "not what train_epoch returns: {which}": "与 train_epoch 的返回值不一致：{which}",
    "{key} of epoch {epoch}": "第 {epoch} 个轮次的 {key}",
    "epoch {epoch}: {key} = {value}": "第 {epoch} 个轮次：{key} = {value}",
    "call train_epoch(net, train_iter, loss, optimizer, device) once per epoch and record "
    "what it returns.": (
        "每个轮次调用一次 train_epoch(net, train_iter, loss, optimizer, device)，并记录它的返回值。"
    ),
    "after training the parameters are not where the reference's are": (
        "训练之后，参数与参考实现的参数不一致"
    ),
    "train exactly num_epochs epochs with train_epoch and the optimizer given.": (
        "用 train_epoch 和给定的优化器恰好训练 num_epochs 个轮次。"
    ),
    "test_acc is measured on test_iter after each epoch's training": (
        "test_acc 是在每个轮次训练之后在 test_iter 上测得的"
    ),
    "after train_epoch, call evaluate_accuracy(net, test_iter, device) and record it as "
    "test_acc.": (
        "在 train_epoch 之后调用 evaluate_accuracy(net, test_iter, device)，并把结果记为 test_acc。"
    ),
    "test_iter was never read: evaluate on test_iter, not on train_iter. {hint}": (
        "test_iter 从未被读取：请在 test_iter 上评估，而不是在 train_iter 上。{hint}"
    ),
    "test_iter was read before the first epoch of training. {hint}": (
        "test_iter 在第一个训练轮次之前就被读取了。{hint}"
    ),
    "test_acc is wrong in epochs {epochs}": "第 {epochs} 个轮次的 test_acc 不正确",
    "{value} (iterators read in the order {order})": "{value}（迭代器的读取顺序为 {order}）",
    "passes device on to train_epoch and evaluate_accuracy": (
        "把 device 传给 train_epoch 和 evaluate_accuracy"
    ),
    "call train_epoch(net, train_iter, loss, optimizer, device) and "
    "evaluate_accuracy(net, test_iter, device).": (
        "调用 train_epoch(net, train_iter, loss, optimizer, device) 和 "
        "evaluate_accuracy(net, test_iter, device)。"
    ),
    "call train_epoch(net, train_iter, loss, optimizer, device): pass device on.": (
        "调用 train_epoch(net, train_iter, loss, optimizer, device)：把 device 传下去。"
    ),
    "train never called train_epoch": "train 从未调用 train_epoch",
    "{helper} was called with device={device}, not the device train was given": (
        "调用 {helper} 时传入的是 device={device}，而不是 train 收到的 device"
    ),
    "{helper} answered nan: while train is graded, train_epoch and evaluate_accuracy are "
    "stand-ins that give the reference's results to the calls the reference's train "
    "makes on these inputs (so that a mistake in them costs no points here), and this "
    "call was not one of them (other arguments, or the net's parameters not where the "
    "reference's train has them at that point).": (
        "{helper} 返回了 nan：评测 train 时，train_epoch 和 evaluate_accuracy 由替身代替，"
        "它们对参考实现的 train 在这些输入上发出的调用给出参考实现的结果（这样它们里面的错误"
        "不会在这里扣分），而这次调用不在其中（参数不同，或者此时网络的参数不在参考实现的 "
        "train 所处的位置）。"
    ),
    "{note} {hint}": "{note}{hint}",
    "device={device}": "device={device}",
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
训练循环：一个迭代周期的训练、在数据集上评估准确率，以及多个周期的训练。
传入的损失函数返回 batch 的平均值（和 `nn.CrossEntropyLoss()` 一样），优化器是
`torch.optim.Optimizer`；`device=None` 表示用网络第一个参数所在的设备。
"""

EXERCISES: dict[str, str] = {
    "train_epoch": """\
训练一个迭代周期：先 `net.train()` 设为训练模式；对每个 batch，把 `X, y` 搬到设备上，
计算损失，然后三件事缺一不可：`optimizer.zero_grad()`（梯度清零）、`loss.backward()`
（反向传播，注意要加括号！笔记里写成了 `loss.backward`，什么都没做）、`optimizer.step()`。

返回 `(平均每个样本的损失, 准确率)`：损失是 batch 平均值，要乘以 batch 大小再累加，
最后除以样本总数（最后一个 batch 可能不满）。迭代器为空时抛出 `ValueError`。
设备写错（例如笔记里的 `'cida:0'`）会直接报错，设备用 `device` 参数或网络参数的设备。
""",
    "evaluate_accuracy": """\
在一个数据集上计算准确率：先 `net.eval()` 设为**评估模式**（dropout、batch norm 的行为会改变），
并在 `torch.no_grad()` 下计算，不构建计算图。准确率是所有样本中 `argmax` 预测正确的比例；
按正确数和样本数累加再相除，而不是对每个 batch 的准确率取平均（最后一个 batch 可能不满）。
""",
    "train": """\
完整的训练：每个迭代周期先调用 `train_epoch` 训练，再用 `evaluate_accuracy` 在测试集上评估。
返回一个列表，每个周期一个字典：
`{"epoch": 从 1 开始的周期数, "train_loss": ..., "train_acc": ..., "test_acc": ...}`。
""",
}
