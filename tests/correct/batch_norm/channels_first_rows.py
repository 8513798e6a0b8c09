"""Correct, written differently: every channel as one row (channels moved to the front and
flattened), statistics per row; the layer does its own arithmetic and updates its buffers
in place under no_grad."""

import torch
from torch import nn


def _rows(X):
    """(C, m): channel c's values in row c."""
    return X.transpose(0, 1).reshape(X.shape[1], -1)


def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if X.dim() != 2 and X.dim() != 4:
        raise ValueError(f"expected 2-D or 4-D input, got {X.dim()}-D")
    C = X.shape[1]
    if not all(tuple(t.shape) == (C,) for t in (gamma, beta, running_mean, running_var)):
        raise ValueError("shape mismatch")
    view = [1, C] + [1] * (X.dim() - 2)
    if training:
        rows = _rows(X)
        m = rows.shape[1]
        if m <= 1:
            raise ValueError("more than one value per channel is needed in training")
        mean = rows.sum(dim=1) / m
        centred = rows - mean[:, None]
        var = (centred * centred).sum(dim=1) / m
        new_mean = ((1 - momentum) * running_mean + momentum * mean).detach()
        new_var = ((1 - momentum) * running_var + momentum * var * m / (m - 1)).detach()
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean, running_var
    scale = gamma / (var + eps).sqrt()
    return (X - mean.view(view)) * scale.view(view) + beta.view(view), new_mean, new_var


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        if num_dims not in {2, 4}:
            raise ValueError("num_dims must be 2 (after a linear layer) or 4 (after a conv)")
        self.num_dims = num_dims
        self.gamma = nn.Parameter(torch.full((num_features,), 1.0))
        self.beta = nn.Parameter(torch.full((num_features,), 0.0))
        self.register_buffer("running_mean", torch.full((num_features,), 0.0))
        self.register_buffer("running_var", torch.full((num_features,), 1.0))

    def forward(self, X):
        if X.dim() != self.num_dims:
            raise ValueError("input rank does not match num_dims")
        view = [1, -1] + [1] * (X.dim() - 2)
        if self.training:
            rows = _rows(X)
            m = rows.shape[1]
            if m <= 1:
                raise ValueError("more than one value per channel is needed in training")
            var, mean = torch.var_mean(rows, dim=1, unbiased=False)
            with torch.no_grad():
                self.running_mean.mul_(0.9).add_(0.1 * mean)
                self.running_var.mul_(0.9).add_(0.1 * var * m / (m - 1))
        else:
            mean, var = self.running_mean, self.running_var
        X_hat = (X - mean.view(view)) / torch.sqrt(var.view(view) + 1e-5)
        return self.gamma.view(view) * X_hat + self.beta.view(view)
