"""Returns the last prediction of the loop, as the notes print it: f at the point before
the last step, not at the point returned."""

import torch


def minimize(f, x0, lr=1e-3, steps=20000):
    if steps < 0:
        raise ValueError("steps must be >= 0")
    x = x0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr=lr)
    pred = f(x)
    for _ in range(steps):
        pred = f(x)
        optimizer.zero_grad()
        pred.backward()
        optimizer.step()
    return x.detach(), pred.item()
