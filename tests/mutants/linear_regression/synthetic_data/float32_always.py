"""No dtype=: torch.normal gives float32 whatever w is (w cast to match)."""

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    if w.dim() != 1 or num_examples < 0:
        raise ValueError("bad arguments")
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), device=w.device)
    y = torch.matmul(X, w.float()) + b
    y += torch.normal(0.0, noise, y.shape, device=w.device)
    return X, y.reshape((-1, 1))
