"""d2l's synthetic_data as the book writes it (with the argument checks): X and the noise
are float32 on the CPU whatever w is, so another dtype or device of w fails, and only there."""

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    if w.dim() != 1 or num_examples < 0:
        raise ValueError("w must be 1-D and num_examples >= 0")
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, noise, y.shape)
    return X, y.reshape((-1, 1))
