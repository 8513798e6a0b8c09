"""Defaults of lr=0.01 and 2000 steps: not the notes' run (lr=1e-3, 20000 steps)."""

import torch


def minimize(f, x0, lr=0.01, steps=2000):
    if steps < 0:
        raise ValueError("steps must be >= 0")
    x = x0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    with torch.no_grad():
        return x.detach(), float(f(x))
