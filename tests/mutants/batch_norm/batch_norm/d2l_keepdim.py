"""d2l's batch_norm with (C,) statistics: the 4-D batch statistics come with keepdim=True,
so new_mean and new_var are (1, C, 1, 1); in evaluation the (C,) running statistics are
not reshaped and broadcast along the last dimension (W) instead of the channels."""

import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if X.dim() not in (2, 4):
        raise ValueError("X must be 2-D or 4-D")
    C = X.shape[1]
    if any(t.shape != (C,) for t in (gamma, beta, running_mean, running_var)):
        raise ValueError("gamma, beta and the statistics must have shape (C,)")
    if X.dim() == 2:
        gamma_, beta_ = gamma, beta
    else:
        gamma_, beta_ = gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1)
    if not training:
        X_hat = (X - running_mean) / torch.sqrt(running_var + eps)
        return gamma_ * X_hat + beta_, running_mean, running_var
    if X.dim() == 2:
        mean = X.mean(dim=0)
        var = ((X - mean) ** 2).mean(dim=0)
    else:
        mean = X.mean(dim=(0, 2, 3), keepdim=True)
        var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
    m = X.numel() // C
    if m == 1:
        raise ValueError("one value per channel")
    X_hat = (X - mean) / torch.sqrt(var + eps)
    with torch.no_grad():
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    return gamma_ * X_hat + beta_, new_mean, new_var
