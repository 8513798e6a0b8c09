"""Computes the new running statistics and throws them away: the buffers stay at 0 and 1,
so evaluation normalises with the wrong statistics."""

import torch
from torch import nn


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        if num_dims not in (2, 4):
            raise ValueError("num_dims must be 2 or 4")
        self.num_dims = num_dims
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, X):
        if X.dim() != self.num_dims:
            raise ValueError("X has the wrong number of dimensions")
        Y, _, _ = batch_norm(  # noqa: F821
            X, self.gamma, self.beta, self.running_mean, self.running_var, self.training
        )
        return Y
