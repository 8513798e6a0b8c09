"""Correct, written differently: d2l's layout (keepdim statistics, parameters reshaped once
to the input's broadcast shape), the (C,) contract kept at the edges; the layer's buffers
are reassigned."""

import torch
from torch import nn


def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if len(X.shape) == 2:
        axes = (0,)
    elif len(X.shape) == 4:
        axes = (0, 2, 3)
    else:
        raise ValueError("X must be (N, C) or (N, C, H, W)")
    num_features = X.shape[1]
    shape = [1] * len(X.shape)
    shape[1] = num_features
    try:
        g, b, rm, rv = (t.reshape(shape) for t in (gamma, beta, running_mean, running_var))
    except RuntimeError:
        raise ValueError("gamma, beta and the running statistics must be (C,)") from None
    if any(t.dim() != 1 for t in (gamma, beta, running_mean, running_var)):
        raise ValueError("gamma, beta and the running statistics must be (C,)")
    if not training:
        X_hat = (X - rv * 0 - rm) / torch.sqrt(rv + eps)
        return g * X_hat + b, running_mean, running_var
    n = X.numel() // num_features
    if n == 1:
        raise ValueError("a single value per channel cannot be normalised in training")
    mean = X.mean(dim=axes, keepdim=True)
    var = ((X - mean) ** 2).mean(dim=axes, keepdim=True)
    X_hat = (X - mean) / torch.sqrt(var + eps)
    with torch.no_grad():
        moving_mean = momentum * mean.reshape(-1) + (1.0 - momentum) * running_mean
        moving_var = momentum * var.reshape(-1) * n / (n - 1) + (1.0 - momentum) * running_var
    return g * X_hat + b, moving_mean, moving_var


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        if num_dims not in (2, 4):
            raise ValueError("num_dims: 2 for fully connected, 4 for convolutional")
        super().__init__()
        self.num_dims = num_dims
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, X):
        if X.dim() != self.num_dims:
            raise ValueError(f"expected {self.num_dims}-D input")
        Y, mean, var = batch_norm(
            X,
            self.gamma,
            self.beta,
            self.running_mean,
            self.running_var,
            self.training,
            momentum=0.1,
            eps=1e-5,
        )
        if self.training:
            self.running_mean = mean
            self.running_var = var
        return Y
