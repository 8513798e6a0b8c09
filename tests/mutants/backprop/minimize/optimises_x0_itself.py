"""Adam([x0]): the caller's tensor is optimised (and its .grad written)."""

import torch


def minimize(f, x0, lr=1e-3, steps=20000):
    if steps < 0:
        raise ValueError("steps must be >= 0")
    x0.requires_grad_(True)
    optimizer = torch.optim.Adam([x0], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        f(x0).backward()
        optimizer.step()
    with torch.no_grad():
        return x0.detach().clone(), float(f(x0))
