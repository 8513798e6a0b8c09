"""No torch.no_grad(): the parameters are updated through .data, but the velocity adds
weight_decay * p with recording on and carries a graph that grows every step."""


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    for p, v in zip(params, velocities):
        if p.grad is None:
            continue
        v.mul_(momentum).add_(p.grad + weight_decay * p)
        p.data -= lr * v.data
