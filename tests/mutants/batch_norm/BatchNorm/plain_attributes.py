"""Keeps the running statistics as plain tensor attributes, not registered buffers: they
are missing from state_dict() and stay behind on the CPU (in float32) when the layer moves."""

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
        self.running_mean = torch.zeros(num_features)
        self.running_var = torch.ones(num_features)

    def forward(self, X):
        if X.dim() != self.num_dims:
            raise ValueError("X has the wrong number of dimensions")
        Y, self.running_mean, self.running_var = batch_norm(  # noqa: F821
            X, self.gamma, self.beta, self.running_mean, self.running_var, self.training
        )
        return Y
