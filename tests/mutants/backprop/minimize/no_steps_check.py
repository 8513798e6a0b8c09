"""No ValueError for steps < 0: range(-1) runs no step and returns x0."""

import torch


def minimize(f, x0, lr=1e-3, steps=20000):
    x = x0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    with torch.no_grad():
        return x.detach(), float(f(x))
