"""torch.tensor(x0.tolist()): the copy is float32 on the CPU, whatever x0 is."""

import torch


def minimize(f, x0, lr=1e-3, steps=20000):
    if steps < 0:
        raise ValueError("steps must be >= 0")
    x = torch.tensor(x0.tolist(), requires_grad=True)
    optimizer = torch.optim.Adam([x], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    with torch.no_grad():
        return x.detach(), float(f(x))
