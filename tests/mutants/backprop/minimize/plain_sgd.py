"""torch.optim.SGD instead of Adam: other steps."""

import torch


def minimize(f, x0, lr=1e-3, steps=20000):
    if steps < 0:
        raise ValueError("steps must be >= 0")
    x = x0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.SGD([x], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    with torch.no_grad():
        return x.detach(), float(f(x))
