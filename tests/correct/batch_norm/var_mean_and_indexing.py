"""Correct, written differently: torch.var_mean with correction=0 for the batch statistics,
None-indexing to broadcast, torch.where-free branches; the layer assigns the returned
statistics to its buffers."""

import torch
from torch import nn


def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if X.ndim == 2:
        dims, index = [0], (None, slice(None))
    elif X.ndim == 4:
        dims, index = [0, 2, 3], (None, slice(None), None, None)
    else:
        raise ValueError("batch_norm takes (N, C) or (N, C, H, W)")
    C = X.shape[1]
    for t in (gamma, beta, running_mean, running_var):
        if t.ndim != 1 or t.shape[0] != C:
            raise ValueError("parameters and statistics must be (C,)")
    if not training:
        var, mean = running_var, running_mean
        new_mean, new_var = running_mean.clone(), running_var.clone()
    else:
        count = 1
        for d in dims:
            count *= X.shape[d]
        if count < 2:
            raise ValueError("need at least two values per channel to train")
        var, mean = torch.var_mean(X, dim=dims, correction=0)
        new_mean = torch.lerp(running_mean, mean.detach(), momentum)
        new_var = torch.lerp(running_var, var.detach() * (count / (count - 1)), momentum)
    inv_std = torch.rsqrt(var + eps)
    return (X - mean[index]) * (inv_std * gamma)[index] + beta[index], new_mean, new_var


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        if num_dims != 2 and num_dims != 4:
            raise ValueError("num_dims is 2 or 4")
        self.num_dims = num_dims
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, X):
        if X.ndim != self.num_dims:
            raise ValueError("wrong number of dimensions for this layer")
        Y, self.running_mean, self.running_var = batch_norm(
            X, self.gamma, self.beta, self.running_mean, self.running_var, self.training
        )
        return Y
