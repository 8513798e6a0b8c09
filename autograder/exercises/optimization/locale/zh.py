"""简体中文: check names, hints and messages of ``optimization.py``."""

MESSAGES: dict[str, str] = {
    "keep each parameter a leaf that requires grad: change its values in place inside `with torch.no_grad():`; p.detach_() or p.requires_grad_(False) take it out of training.": "让每个参数保持为需要梯度的叶子张量：在 `with torch.no_grad():` 中原地修改它的值；p.detach_() 或 p.requires_grad_(False) 会让它不再参与训练。",
    "the parameters did not come back as tensors of their shapes": "参数没有以原形状的张量返回",
    "{what} (compared with the same calls with weight_decay=0 and weight_decay * p added to each gradient)": "{what}（与 weight_decay=0、并把 weight_decay * p 加到每个梯度上的同样调用相比）",
    # -- shared --------------------------------------------------------------------------------
    "it returned normally": "它正常返回了",
    # -- sgd_momentum_step ---------------------------------------------------------------------
    "inside `with torch.no_grad():`, for each parameter whose grad is not None: scale the caller's velocity tensor by momentum and add the gradient plus weight_decay times the parameter, in place; then move the parameter, in place, by -lr times the new velocity.": "在 `with torch.no_grad():` 里，对每个 grad 不为 None 的参数：把调用者的速度张量原地乘以 momentum，再加上梯度与 weight_decay 乘参数之和；然后把参数原地移动 -lr 乘新的速度。",
    "an in-place change of a parameter (a leaf that requires grad) is refused while "
    "autograd records: do the update inside `with torch.no_grad():`.": (
        "autograd 记录计算图时，不允许原地修改参数（需要梯度的叶子张量）："
        "请在 `with torch.no_grad():` 里更新。"
    ),
    "the parameters follow v = momentum * v - lr * g; p += v. That form keeps each step's learning rate inside the velocity, so it agrees with torch.optim.SGD only while the learning rate never changes; with a schedule the old velocity carries the old rate. Keep lr out of the velocity: the velocity sums the gradients, and lr multiplies only the parameter's step.": "参数走的是 v = momentum * v - lr * g；p += v。这种写法把每一步的学习率乘进了速度里，所以只有学习率始终不变时才和 torch.optim.SGD 一致；一旦学习率衰减，旧的速度还带着旧的学习率。学习率不要进速度：速度只累加梯度，lr 只乘在参数的这一步上。",
    "the parameters follow v = momentum * v + (1 - momentum) * g: an average of the "
    "gradients (dampening), not torch.optim.SGD's momentum, whose velocity adds the whole "
    "gradient: v = momentum * v + g.": (
        "参数走的是 v = momentum * v + (1 - momentum) * g：这是梯度的（指数加权）平均，"
        "不是 torch.optim.SGD 的动量；torch 的速度加上的是完整的梯度：v = momentum * v + g。"
    ),
    "the parameters moved as plain SGD, p -= lr * g, from the second step on too: the velocity is not kept from one call to the next. Update the caller's velocity tensor in place; a new tensor bound to a local name leaves the caller's tensor as it was.": "从第二步起参数仍然按普通 SGD（p -= lr * g）移动：速度没有在两次调用之间保存下来。请原地更新调用者的速度张量；把新张量赋给局部变量，调用者的张量不会变。",
    "the parameters follow Nesterov's step p -= lr * (g + momentum * v); torch.optim.SGD (nesterov=False) steps by lr times the velocity itself.": "参数走的是 Nesterov 的更新 p -= lr * (g + momentum * v)；torch.optim.SGD（nesterov=False）直接沿速度走一步（lr 乘速度本身）。",
    "the step went up the gradient: subtract lr * v from the parameter, do not add it.": (
        "这一步沿梯度上升了：应该从参数中减去 lr * v，而不是加上。"
    ),
    "the parameters moved as if weight_decay were 0: add weight_decay * p to the gradient before it enters the velocity.": "参数的移动就像 weight_decay 为 0：在梯度进入速度之前先加上 weight_decay * p。",
    "the weight decay was added outside the velocity (p -= lr * (v + weight_decay * p)); torch.optim.SGD adds it to the gradient, so it enters the velocity too.": "权重衰减被加在了速度之外（p -= lr * (v + weight_decay * p)）；torch.optim.SGD 把它加到梯度上，所以它也会进入速度。",
    "{steps} calls of sgd_momentum_step(params, velocities, lr, momentum={momentum}, "
    "weight_decay={weight_decay}) with lr = {lrs} in turn; params {params} (leaves that "
    "require grad), velocities zeros at first, and before each call the gradients are set "
    "to {grads}": (
        "依次以 lr = {lrs} 调用 {steps} 次 sgd_momentum_step(params, velocities, lr, "
        "momentum={momentum}, weight_decay={weight_decay})；params 为 {params}（需要梯度的叶子张量），"
        "速度起初全为 0，每次调用前把梯度设为 {grads}"
    ),
    "parameter {position} after call {step}": "第 {step} 次调用后的参数 {position}",
    "velocity {position} in the list after call {step}": (
        "第 {step} 次调用后列表中的速度 {position}"
    ),
    "the runner did not report every step": "运行器没有报告每一步的结果",
    "the parameters after each of several steps are torch.optim.SGD's, with a learning "
    "rate that changes between steps": (
        "连续多步、每步学习率都不同时，每一步之后的参数都与 torch.optim.SGD 的一致"
    ),
    "the velocities hold v = momentum * v + g after each step (lr stays out of them)": (
        "每一步之后速度都是 v = momentum * v + g（速度里没有 lr）"
    ),
    "the velocity sums the gradients, each older one weighted by one more factor of momentum; the learning rate multiplies the parameter's step, never the velocity.": "速度是梯度的累加，越早的梯度多乘一次 momentum；学习率只乘在参数的步长上，从不乘进速度。",
    "the velocity is momentum times the old velocity plus the whole gradient, weight decay included: no lr and no (1 - momentum) in it.": "速度等于 momentum 乘旧速度再加上完整的梯度（含权重衰减）：里面既没有 lr，也没有 (1 - momentum)。",
    "weight_decay adds weight_decay * p to the gradient before the velocity": (
        "weight_decay 在进入速度之前把 weight_decay * p 加到梯度上"
    ),
    "the gradient that enters the velocity is p.grad plus weight_decay times p (the gradient of the L2 penalty weight_decay * ||p||^2 / 2); the velocity and the step then use it as they would the plain gradient.": "进入速度的梯度是 p.grad 加上 weight_decay 乘 p（L2 惩罚 weight_decay * ||p||^2 / 2 的梯度）；之后速度和这一步都像使用普通梯度一样使用它。",
    "weight decay enters the velocity: add weight_decay times p to p.grad first, then update the velocity and the parameter as without decay.": "权重衰减要进入速度：先把 weight_decay 乘 p 加到 p.grad 上，再像没有衰减时一样更新速度和参数。",
    "skips a parameter whose grad is None: its value and velocity stay as they are": (
        "跳过 grad 为 None 的参数：它的值和速度都保持不变"
    ),
    "a parameter no gradient reached has p.grad None: skip it (if p.grad is None: "
    "continue), velocity included. torch.optim.SGD does not move it by its old velocity.": (
        "没有梯度传到的参数 p.grad 为 None：跳过它（if p.grad is None: continue），速度也不动。"
        "torch.optim.SGD 不会按旧的速度继续移动它。"
    ),
    "{what} changed although its gradient is None": "梯度为 None，{what}却变了",
    "as after call 1: {value}": "与第 1 次调用后相同：{value}",
    "the parameters stay the same leaf tensors that require grad": (
        "参数仍是原来那些需要梯度的叶子张量"
    ),
    "change each parameter in place (an in-place subtraction) inside torch.no_grad(); assigning params[i] a new tensor puts it in the list, and the model still holds the old one.": "在 torch.no_grad() 里原地修改每个参数（原地减法）；给 params[i] 赋一个新张量只是把它放进列表，模型手里还是旧的参数。",
    "sgd_momentum_step replaced parameters in the list instead of updating them: the model "
    "still holds the old tensors": (
        "sgd_momentum_step 替换了列表里的参数，而不是更新它们：模型手里还是旧的张量"
    ),
    "after the calls a parameter is no longer a leaf tensor that requires grad": (
        "调用之后有参数不再是需要梯度的叶子张量"
    ),
    "updates the caller's velocity tensors in place": "原地更新调用者的速度张量",
    "update each velocity in place (with its mul_ and add_): the caller keeps its tensors from step to step (and a tuple cannot take new ones: velocities[i] = ... fails on a tuple).": "原地更新每个速度（用它的 mul_ 和 add_）。调用者每一步都沿用自己的张量（元组也放不进新张量：对元组做 velocities[i] = ... 会出错）。",
    "the velocity list holds new tensors after the call: the caller's velocity tensors were "
    "not updated in place": "调用后速度列表里是新的张量：调用者的速度张量没有被原地更新",
    "records no autograd graph: the velocities never require grad": (
        "不记录 autograd 计算图：速度始终不需要梯度"
    ),
    "compute the decayed gradient inside `with torch.no_grad():` too: with gradient recording on, weight_decay * p requires grad, and a velocity that adds it keeps a graph that grows with every step.": "加了权重衰减的梯度也要在 `with torch.no_grad():` 里计算：记录梯度时 weight_decay * p 需要梯度，加上它的速度就会带着一张每步都在变大的计算图。",
    "a velocity requires grad after the calls: the update was recorded by autograd": (
        "调用之后有速度需要梯度：这次更新被 autograd 记录下来了"
    ),
    "velocities with requires_grad=False and no grad_fn": (
        "requires_grad=False 且没有 grad_fn 的速度"
    ),
    "leaves the gradients as they are (clearing them is zero_grad's job)": (
        "不改动梯度（清零是 zero_grad 的事）"
    ),
    "read p.grad, do not write into it: no p.grad.zero_(), no p.grad = None, and weight "
    "decay added to a new tensor (p.grad + weight_decay * p), not with p.grad.add_.": (
        "只读 p.grad，不要写它：不要 p.grad.zero_()，不要 p.grad = None；权重衰减加到一个新张量上"
        "（p.grad + weight_decay * p），不要用 p.grad.add_。"
    ),
    "the gradient of parameter {position} changed during call {step}": (
        "第 {step} 次调用时参数 {position} 的梯度被改变了"
    ),
    "raises ValueError when params and velocities differ in length": (
        "params 和 velocities 长度不同时抛出 ValueError"
    ),
    "check first: if len(params) != len(velocities): raise ValueError(...). zip stops at "
    "the shorter list and would leave parameters without a step.": (
        "先检查：if len(params) != len(velocities): raise ValueError(...)。"
        "zip 在较短的列表处就停了，会有参数没被更新。"
    ),
    "for fewer velocities than parameters": "当速度比参数少时",
    "for more velocities than parameters": "当速度比参数多时",
    "sgd_momentum_step(params, velocities, 0.1) with {count} parameters {params} and "
    "{velocities} velocities": (
        "sgd_momentum_step(params, velocities, 0.1)，有 {count} 个参数 {params}，"
        "{velocities} 个速度"
    ),
    "keeps the parameters and velocities on their device (meta, default-device trap, CUDA "
    "if present)": "参数和速度留在原来的设备上（meta、默认设备陷阱，有 CUDA 时也测）",
    "sgd_momentum_step fails when the parameters are not on the default device: {failure}": (
        "参数不在默认设备上时 sgd_momentum_step 出错：{failure}"
    ),
    "the parameters or velocities are not on their device after the calls": (
        "调用之后参数或速度不在原来的设备上"
    ),
    "the parameters or velocities differ from those the same calls give when the default "
    "device is their own: a tensor made without device= took part": (
        "参数或速度与默认设备就是它们自己的设备时同样调用的结果不同：有不带 device= 创建的张量参与了计算"
    ),
    # -- step_lr -------------------------------------------------------------------------------
    "the rate is multiplied by gamma once for every full step_size epochs: epochs 0 to step_size - 1 get base_lr, the next step_size epochs base_lr * gamma, and so on; return it as a Python float.": "每满 step_size 个周期，学习率乘一次 gamma：第 0 到 step_size - 1 个周期用 base_lr，接下来 step_size 个周期用 base_lr * gamma，依此类推；以 Python float 返回。",
    "the rate decays one epoch early, as with scheduler.step() called at the start of each "
    "epoch, before training: epoch e then trains with epoch e + 1's rate. Step the "
    "scheduler after the epoch; here, epoch // step_size.": (
        "学习率早衰减了一个周期，就像在每个周期开头、训练之前调用 scheduler.step()："
        "第 e 个周期用的是第 e + 1 个周期的学习率。调度器应在周期结束后再 step；这里就是 "
        "epoch // step_size。"
    ),
    "the rate decays one epoch late: ranges such as 30 <= epoch <= 60 and 60 <= epoch <= 90 "
    "overlap at their ends, and the first range wins. Epoch step_size is the first epoch of "
    "the second range: epoch // step_size.": (
        "学习率晚衰减了一个周期：像 30 <= epoch <= 60 和 60 <= epoch <= 90 这样的区间在端点重叠，"
        "而前一个区间先匹配上。第 step_size 个周期是第二个区间的第一个周期：epoch // step_size。"
    ),
    "the rate decays at every epoch (epoch / step_size is a true division): step decay "
    "holds it for step_size epochs, epoch // step_size.": (
        "学习率每个周期都在衰减（epoch / step_size 是真除法）：阶梯衰减要在 step_size "
        "个周期内保持不变，用 epoch // step_size。"
    ),
    "the rate is multiplied by gamma at every epoch (gamma ** epoch): step decay does so "
    "once every step_size epochs, gamma ** (epoch // step_size).": (
        "学习率每个周期都乘了 gamma（gamma ** epoch）：阶梯衰减每 step_size 个周期才乘一次，"
        "gamma ** (epoch // step_size)。"
    ),
    "step_lr({base_lr}, epoch, {step_size}, gamma={gamma}) for epoch in {epochs}": (
        "对 {epochs} 中的每个 epoch 调用 step_lr({base_lr}, epoch, {step_size}, gamma={gamma})"
    ),
    "the learning rate of epoch {epoch} is wrong": "第 {epoch} 个周期的学习率不对",
    "agrees with StepLR: base_lr * gamma ** (epoch // step_size) at generated epochs": (
        "在生成的周期上与 StepLR 一致：base_lr * gamma ** (epoch // step_size)"
    ),
    "decays exactly at multiples of step_size: epoch step_size - 1 keeps the rate, epoch "
    "step_size has the decayed one": (
        "恰好在 step_size 的整数倍处衰减：第 step_size - 1 个周期保持原学习率，"
        "第 step_size 个周期已经衰减"
    ),
    "returns a Python float (integer arguments too)": "返回 Python 的 float（参数是整数时也一样）",
    "return float(...): a learning rate is a plain number for optimizer.param_groups, not a "
    "tensor, and base_lr * gamma ** k is an int when all three are ints.": (
        "返回 float(...)：学习率是给 optimizer.param_groups 用的普通数字，不是张量；"
        "而且三个数都是整数时 base_lr * gamma ** k 是 int。"
    ),
    "step_lr should return a Python float": "step_lr 应当返回 Python 的 float",
    "values of type {kinds}": "类型为 {kinds} 的值",
    "raises ValueError if step_size < 1 or epoch < 0": "step_size < 1 或 epoch < 0 时抛出 ValueError",
    "check the arguments first: if step_size < 1 or epoch < 0: raise ValueError(...). "
    "step_size 0 would divide by zero, a negative epoch would raise the rate.": (
        "先检查参数：if step_size < 1 or epoch < 0: raise ValueError(...)。"
        "step_size 为 0 会除以零，负的 epoch 会让学习率变大。"
    ),
    "for step_size 0": "当 step_size 为 0 时",
    "for a negative step_size": "当 step_size 为负数时",
    "for a negative epoch": "当 epoch 为负数时",
    "a schedule over 100 epochs: 0.05, then 0.005 from epoch 30, 0.0005 from 60": (
        "笔记里 100 个周期的调度：0.05，从第 30 个周期起 0.005，从第 60 个周期起 0.0005"
    ),
    # -- EarlyStopping -------------------------------------------------------------------------
    "count the calls in a row that do not improve (reset the count to 0 on an improving "
    "call) and return count >= max(patience, 1); a call improves only when it beats best by "
    "more than min_delta: metric < best - min_delta for 'min', metric > best + min_delta "
    "for 'max'.": (
        "数一数连续多少次调用没有改善（有改善的调用把计数清零），返回 count >= max(patience, 1)；"
        "只有比 best 好出 min_delta 以上才算改善：'min' 为 metric < best - min_delta，"
        "'max' 为 metric > best + min_delta。"
    ),
    "stopper = EarlyStopping({patience}, mode={mode}, min_delta={min_delta}), then "
    "stopper.step(metric) for each metric of {metrics} in turn": (
        "stopper = EarlyStopping({patience}, mode={mode}, min_delta={min_delta})，"
        "然后对 {metrics} 中的每个 metric 依次调用 stopper.step(metric)"
    ),
    "False: the first call always improves": "False：第一次调用总是算改善",
    "False: step({metric}) improves on best {best} (mode {mode}), and an improving call "
    "never stops": (
        "False：step({metric}) 比 best {best} 更好（mode {mode}），有改善的调用从不停止"
    ),
    "{decision}: step({metric}) does not improve on best {best} (set by call "
    "{best_epoch}); calls in a row without improvement: {streak}, and patience {patience} "
    "stops at {needed}": (
        "{decision}：step({metric}) 没有比 best {best}（第 {best_epoch} 次调用得到）更好；"
        "连续没有改善的调用次数：{streak}，patience {patience} 在 {needed} 次时停止"
    ),
    "call {index}, step({metric}), returned {got}": "第 {index} 次调用 step({metric}) 返回了 {got}",
    "the decisions {got}": "各次的决定 {got}",
    "stops at the max(patience, 1)-th call in a row without improvement (generated curves "
    "with plateaus)": "在连续第 max(patience, 1) 次没有改善时停止（生成的曲线，含平台期）",
    "on an improving call only (metric < best - min_delta for 'min'): self.best = metric "
    "and self.best_epoch = the call's index, 0 for the first call; a call that does not "
    "improve, a tie included, leaves both as they are.": (
        "只在有改善的调用中（'min' 时 metric < best - min_delta）：self.best = metric，"
        "self.best_epoch = 这次调用的序号（第一次为 0）；没有改善的调用（包括持平）两者都不变。"
    ),
    "after call {index}, step({metric}), best and best_epoch are wrong": (
        "第 {index} 次调用 step({metric}) 之后 best 和 best_epoch 不对"
    ),
    "best {best}, best_epoch {epoch} ({verdict})": "best {best}，best_epoch {epoch}（{verdict}）",
    "best {best}, best_epoch {epoch}": "best {best}，best_epoch {epoch}",
    "the call improves": "这次调用有改善",
    "the call does not improve": "这次调用没有改善",
    "best and best_epoch are the metric and the 0-based index of the last improving call": (
        "best 和 best_epoch 是最近一次有改善的调用的指标值和序号（从 0 数起）"
    ),
    "in 'max' mode higher is better (an accuracy): a call improves when metric > best + "
    "min_delta, and best is the highest metric so far.": (
        "'max' 模式下越大越好（比如准确率）：metric > best + min_delta 时算改善，"
        "best 是到目前为止最大的指标值。"
    ),
    "'max' mode: higher is better (generated curves)": "'max' 模式：越大越好（生成的曲线）",
    "a call improves only when it is better than best by MORE than min_delta: metric < best "
    "- min_delta ('min'), metric > best + min_delta ('max'). Exactly min_delta better is not "
    "an improvement, and only an improving call moves best.": (
        "只有比 best 好出**超过** min_delta 才算改善：metric < best - min_delta（'min'），"
        "metric > best + min_delta（'max'）。恰好好出 min_delta 不算改善，"
        "也只有有改善的调用才会更新 best。"
    ),
    "min_delta: a call improves only by beating best by more than min_delta (exactly "
    "min_delta is no improvement)": (
        "min_delta：只有比 best 好出超过 min_delta 才算改善（恰好 min_delta 不算）"
    ),
    "min_delta in 'max' mode: a call improves only above best + min_delta": (
        "'max' 模式下的 min_delta：只有超过 best + min_delta 才算改善"
    ),
    "best is None before the first call, and the first call always improves (a metric of "
    "inf too)": "第一次调用之前 best 为 None，第一次调用总是算改善（指标为 inf 也一样）",
    "start with self.best = None and treat the first call as an improvement (if self.best is "
    "None or ...): a start of float('inf') makes a first loss of inf (a diverged epoch) no "
    "improvement.": (
        "初始化 self.best = None，并把第一次调用当作改善（if self.best is None or ...）："
        "若从 float('inf') 开始，第一次的损失为 inf（训练发散的一个周期）时就不算改善了。"
    ),
    "best should be None before the first call": "第一次调用之前 best 应当是 None",
    "the first call, step({metric}), did not improve": "第一次调用 step({metric}) 没有算作改善",
    "returns False, best {best}": "返回 False，best {best}",
    "returns {stop}, best {best}": "返回 {stop}，best {best}",
    "patience 0 stops at the first call without improvement, as patience 1 does": (
        "patience 为 0 时与 patience 为 1 一样，在第一次没有改善时停止"
    ),
    "stop when count >= max(patience, 1), and only on a call that does not improve: with "
    "patience 0, count >= 0 holds on an improving call too.": (
        "在 count >= max(patience, 1) 时停止，而且只在没有改善的调用中停止："
        "patience 为 0 时，有改善的调用也满足 count >= 0。"
    ),
    "keeps returning True while no call improves (Keras's and Lightning's convention)": (
        "只要没有调用带来改善，就一直返回 True（Keras 和 Lightning 的约定）"
    ),
    "do not reset the count when you return True: only an improving call resets it, so "
    "every later call without improvement returns True as well.": (
        "返回 True 时不要把计数清零：只有有改善的调用才清零，所以之后没有改善的调用也都返回 True。"
    ),
    "call {index}, step({metric}), returned {got} after an earlier call said stop, and no "
    "call improved since": (
        "之前的调用已经说了停止，之后也没有调用带来改善，第 {index} 次调用 step({metric}) "
        "却返回了 {got}"
    ),
    "step returns a Python bool": "step 返回 Python 的 bool",
    "return True or False on every call (return count >= max(patience, 1)); a function that "
    "ends without return gives None.": (
        "每次调用都返回 True 或 False（return count >= max(patience, 1)）；"
        "没有 return 就结束的函数返回 None。"
    ),
    "step should return a Python bool on every call": "step 每次调用都应当返回 Python 的 bool",
    "raises ValueError for patience < 0, min_delta < 0 or a mode other than 'min' and "
    "'max'": "patience < 0、min_delta < 0 或 mode 不是 'min' 和 'max' 时抛出 ValueError",
    "check the arguments in __init__: patience < 0, min_delta < 0 or mode not in ('min', "
    "'max') raise ValueError(...).": (
        "在 __init__ 里检查参数：patience < 0、min_delta < 0 或 mode not in ('min', 'max') "
        "时 raise ValueError(...)。"
    ),
    "for patience -1": "当 patience 为 -1 时",
    "for min_delta -0.1": "当 min_delta 为 -0.1 时",
    "for mode 'lowest'": "当 mode 为 'lowest' 时",
    "EarlyStopping({patience}, mode={mode}, min_delta={min_delta})": (
        "EarlyStopping({patience}, mode={mode}, min_delta={min_delta})"
    ),
    # -- clip_grad_norm ------------------------------------------------------------------------
    "collect the gradients that are not None, once; the norm is the square root of the sum of every gradient's squares; where it exceeds max_norm, multiply every gradient in place by max_norm / (norm + 1e-6); return the norm (before clipping) as a float.": "把不为 None 的梯度收集一次；范数是所有梯度平方和的平方根；超过 max_norm 时，把每个梯度原地乘以 max_norm / (norm + 1e-6)；以 float 返回（裁剪之前的）范数。",
    "clip_grad_norm(params, max_norm={max_norm}) with params a {container} of parameters "
    "{values} whose gradients are {grads}": (
        "clip_grad_norm(params, max_norm={max_norm})，params 是参数 {values} 组成的 "
        "{container}，它们的梯度是 {grads}"
    ),
    "returns the global L2 norm of all gradients, before clipping": (
        "返回裁剪之前所有梯度合在一起的 L2 范数"
    ),
    "norm = torch.sqrt(sum(torch.sum(g ** 2) for g in grads)): one norm over every gradient "
    "together (not a norm per tensor), taken before the gradients are scaled.": (
        "norm = torch.sqrt(sum(torch.sum(g ** 2) for g in grads))：把所有梯度合在一起算一个范数"
        "（不是每个张量各算一个），而且在缩放梯度之前算。"
    ),
    "clip_grad_norm returned the wrong norm": "clip_grad_norm 返回的范数不对",
    "return the norm measured before clipping (after clipping it is max_norm): it tells "
    "whether the gradients exploded.": (
        "返回裁剪之前测得的范数（裁剪之后它就是 max_norm）：它能告诉我们梯度有没有爆炸。"
    ),
    "scales every gradient by max_norm / (norm + 1e-6) when the norm exceeds max_norm": (
        "范数超过 max_norm 时，每个梯度都乘以 max_norm / (norm + 1e-6)"
    ),
    "the gradient of parameter {position} after the call": "调用之后参数 {position} 的梯度",
    "each value was clamped to [-max_norm, max_norm] (clip_grad_value_'s rule): that bounds "
    "the values, not the norm of the whole gradient, and turns the step wherever values "
    "differ in size. Multiply every gradient by one factor, max_norm / (norm + 1e-6), with "
    "norm the global norm of all of them.": (
        "每个值被截断到了 [-max_norm, max_norm]（clip_grad_value_ 的做法）：这限制的是单个值，"
        "不是整个梯度的范数，而且只要各个值大小不一，更新的方向就变了。"
        "应该把所有梯度乘以同一个系数 max_norm / (norm + 1e-6)，norm 是它们全体的范数。"
    ),
    "parameter {position} had no gradient and has one now": "参数 {position} 原来没有梯度，现在却有了",
    "skip parameters whose grad is None: they have nothing to clip.": (
        "跳过 grad 为 None 的参数：它们没有可裁剪的东西。"
    ),
    "keeps the direction: all gradients are scaled by one common factor": (
        "保持方向：所有梯度都乘以同一个系数"
    ),
    "one factor for every value of every gradient, max_norm / (norm + 1e-6) with the global "
    "norm: clamping each value, or clipping each tensor to max_norm by its own norm, turns "
    "the step in another direction.": (
        "所有梯度的所有值用同一个系数 max_norm / (norm + 1e-6)，norm 是全体的范数："
        "逐值截断，或者每个张量按自己的范数各自裁剪到 max_norm，都会让更新转向别的方向。"
    ),
    "the gradients after the call could not be read": "读不到调用之后的梯度",
    "the gradients were not scaled by one common factor: the direction changed": (
        "梯度没有乘以同一个系数：方向变了"
    ),
    "every gradient value multiplied by the same factor, below 1": (
        "每个梯度值都乘以同一个小于 1 的系数"
    ),
    "the factors {factors}": "各个系数 {factors}",
    "leaves the gradients unchanged when their norm is at most max_norm": (
        "梯度的范数不超过 max_norm 时保持不变"
    ),
    "scale only when norm > max_norm: a gradient already short enough keeps its length "
    "(max_norm / norm > 1 would lengthen it).": (
        "只在 norm > max_norm 时缩放：本来就够短的梯度保持原长（max_norm / norm > 1 会把它拉长）。"
    ),
    "the gradient of parameter {position} changed although the norm is at most max_norm": (
        "范数不超过 max_norm，参数 {position} 的梯度却变了"
    ),
    "skips parameters whose grad is None": "跳过 grad 为 None 的参数",
    "leave out every parameter whose grad is None: a parameter no gradient reached (a frozen layer) has nothing to clip.": "跳过每个 grad 为 None 的参数：没有梯度传到的参数（比如冻结的层）没有可裁剪的东西。",
    "returns 0.0 when no parameter has a gradient": "没有任何参数有梯度时返回 0.0",
    "with no gradient at all there is nothing to measure: return 0.0 (sum() of nothing is "
    "the int 0, and torch.sqrt(0) fails).": (
        "一个梯度都没有时没有东西可量：返回 0.0（空的 sum() 是整数 0，torch.sqrt(0) 会出错）。"
    ),
    "clip_grad_norm should return 0.0 when no parameter has a gradient": (
        "没有任何参数有梯度时 clip_grad_norm 应当返回 0.0"
    ),
    "reads params once: works with a generator such as net.parameters()": (
        "只读一遍 params：对 net.parameters() 这样的生成器也能用"
    ),
    "net.parameters() is a generator: it can be read only once. Make a list first (params = "
    "list(params), or the list of gradients) and use it for the norm and the scaling.": (
        "net.parameters() 是生成器：只能读一遍。先做成列表（params = list(params)，"
        "或者梯度的列表），求范数和缩放都用它。"
    ),
    "with a generator the gradients are not clipped as with a list": (
        "传入生成器时，梯度没有像传入列表时那样被裁剪"
    ),
    "as from a list: {grads}": "与传入列表时相同：{grads}",
    "with a generator the returned norm is not the one returned for a list": (
        "传入生成器时返回的范数与传入列表时不同"
    ),
    "multiplies the gradients in place (the same .grad tensors)": (
        "原地缩放梯度（还是原来的 .grad 张量）"
    ),
    "p.grad.mul_(factor) (or p.grad *= factor) changes the gradient in place, as "
    "clip_grad_norm_ does; p.grad = p.grad * factor makes a new tensor.": (
        "p.grad.mul_(factor)（或 p.grad *= factor）原地修改梯度，clip_grad_norm_ 就是这样做的；"
        "p.grad = p.grad * factor 会创建一个新张量。"
    ),
    "a gradient is a new tensor after the call: it was not scaled in place": (
        "调用之后有梯度是新的张量：它没有被原地缩放"
    ),
    "return float(norm) (or norm.item()): a number to print or log, not a tensor.": (
        "返回 float(norm)（或 norm.item()）：一个用来打印或记录的数字，而不是张量。"
    ),
    "clip_grad_norm should return a Python float": "clip_grad_norm 应当返回 Python 的 float",
    "a value of type {kind}": "类型为 {kind} 的值",
    "raises ValueError if max_norm <= 0": "max_norm <= 0 时抛出 ValueError",
    "check first: if max_norm <= 0: raise ValueError(...). No gradient can be scaled to a "
    "norm of 0 or less.": (
        "先检查：if max_norm <= 0: raise ValueError(...)。没有梯度能被缩放到 0 或负的范数。"
    ),
    "for max_norm 0": "当 max_norm 为 0 时",
    "for a negative max_norm": "当 max_norm 为负数时",
    "keeps the gradients on their device (meta, default-device trap, CUDA if present)": (
        "梯度留在原来的设备上（meta、默认设备陷阱，有 CUDA 时也测）"
    ),
    "clip_grad_norm fails when the gradients are not on the default device: {failure}": (
        "梯度不在默认设备上时 clip_grad_norm 出错：{failure}"
    ),
    "the gradients are not on their device after the call": "调用之后梯度不在原来的设备上",
    "the gradients differ from those the same call gives when the default device is their "
    "own: a tensor made without device= took part": (
        "梯度与默认设备就是它们自己的设备时同样调用的结果不同：有不带 device= 创建的张量参与了计算"
    ),
}


# The notebook's teaching text: its introduction and one cell per exercise (Markdown).
INTRODUCTION = """\
优化的几件常用工具（笔记 004 的 9.4–9.5 节，以及 d2l 循环神经网络一章的梯度裁剪）：
普通的梯度下降 $w^{k+1} = w^k - \\alpha \\nabla f(w^k)$ 在狭长的山谷里来回震荡、在平原上走得很慢。
**动量**给更新加上惯性，**学习率衰减**先走大步再走小步，**提前停止**在验证集指标不再变好时停止训练，
**梯度裁剪**防止梯度爆炸把参数一下子甩到很远。每个函数都按它的实际效果评分：
和 PyTorch 自己的 `torch.optim.SGD`、`StepLR`、`nn.utils.clip_grad_norm_` 逐步比较。
"""

EXERCISES: dict[str, str] = {
    "sgd_momentum_step": """\
**带动量的 SGD**，一步，与 `torch.optim.SGD` 完全相同。笔记里的公式：

$$z^{k+1} = \\beta z^k + \\nabla f(w^k), \\qquad w^{k+1} = w^k - \\alpha z^{k+1}$$

对每个 `p.grad` 不为 `None` 的参数 `p`（其余跳过），取 $\\beta$ = `momentum`、$\\alpha$ = `lr`：
梯度要加上 `weight_decay` 乘参数（权重衰减，即 L2 惩罚 `weight_decay * ||w||^2 / 2` 的梯度）；
速度按上面的公式**原地**写进对应的速度张量（用它的 `mul_` 和 `add_`；速度由调用者创建、保存，
一开始全为 0）；参数也原地更新。要在 `torch.no_grad()` 里做：更新不属于任何损失，
而且记录梯度时不允许原地修改需要梯度的叶子张量。参数仍是原来的叶子张量；不要清零梯度
（那是训练循环里 `zero_grad` 的事）。

笔记里常见的另一种写法 `v = momentum * v - lr * g; p += v` 把学习率乘进了速度，
只有学习率不变时才和 PyTorch 一致；配合学习率衰减就不对了。`params` 和 `velocities`
长度不同时抛出 `ValueError`。不许使用 `torch.optim`。
""",
    "step_lr": """\
**阶梯式学习率衰减**：第 `epoch` 个周期（从 0 数起）的学习率
`base_lr * gamma ** (epoch // step_size)`，与 `StepLR(optimizer, step_size, gamma)`
在每个周期**结束时**调用一次 `scheduler.step()` 的效果相同，以 Python 的 `float` 返回。

笔记里的注释 `lr = 0.005 if 30 <= epoch <= 60`、`lr = 0.0005 if 60 <= epoch <= 90`
两个区间在 60 处重叠：第 60 个周期其实已经属于第三段。笔记里的循环在训练**之前**就调用
`schedule.step()`，学习率会早衰减一个周期。`step_size < 1` 或 `epoch < 0` 时抛出 `ValueError`。
不许使用 `torch.optim.lr_scheduler`。
""",
    "EarlyStopping": """\
**提前停止**：验证集指标不再变好时停止训练（“接下来一段时间都不上升则视为最大值”）。
`EarlyStopping(patience, mode="min", min_delta=0.0)`，每个周期调用一次 `step(metric)`。

- 一次调用**有改善**，当且仅当指标比 `best` 好出**超过** `min_delta`：`"min"`（损失）为
  `metric < best - min_delta`，`"max"`（准确率）为 `metric > best + min_delta`；第一次调用总是算改善。
  恰好好出 `min_delta` 不算改善。
- 只有有改善的调用才更新 `best`（为这次的指标）和 `best_epoch`（这次调用的序号，从 0 数起）；
  第一次调用之前 `best` 为 `None`。
- 连续第 `max(patience, 1)` 次没有改善的调用返回 `True`（停止），之后只要还没有改善就一直返回 `True`
  （Keras 和 Lightning 的约定）；有改善的调用返回 `False` 并重新计数。

`patience < 0`、`min_delta < 0` 或 `mode` 不是 `"min"`/`"max"` 时抛出 `ValueError`。
""",
    "clip_grad_norm": """\
**梯度裁剪**：防止梯度爆炸。把**所有**梯度合在一起算 L2 范数

$$\\text{norm} = \\sqrt{\\sum_p \\sum p.\\text{grad}^2}$$

若 `norm > max_norm`，每个梯度都原地乘以同一个系数 `max_norm / (norm + 1e-6)`：方向不变，
只是步子变短。逐值截断到 `[-max_norm, max_norm]` 会改变方向。跳过 `grad` 为 `None` 的参数；
一个梯度都没有时范数为 `0.0`。以 Python 的 `float` 返回**裁剪之前**的范数。
`params` 可以是任意可迭代对象，比如只能读一遍的生成器 `net.parameters()`：先做成列表。
`max_norm <= 0` 时抛出 `ValueError`。不许使用 `nn.utils.clip_grad_norm_` 及其同类。
""",
}
