"""Statistics of an image batch over dim 0 only, as for a fully connected layer: one mean
per channel *and position*, not per channel; the running statistics then get (C, H, W)
batch statistics averaged over the positions."""

import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if X.dim() not in (2, 4):
        raise ValueError("X must be 2-D or 4-D")
    C = X.shape[1]
    if any(t.shape != (C,) for t in (gamma, beta, running_mean, running_var)):
        raise ValueError("gamma, beta and the statistics must have shape (C,)")
    shape = (1, C) if X.dim() == 2 else (1, C, 1, 1)
    if training:
        m = X.numel() // C
        if m == 1:
            raise ValueError("one value per channel")
        mean = X.mean(dim=0, keepdim=True)
        var = ((X - mean) ** 2).mean(dim=0, keepdim=True)
        with torch.no_grad():
            batch_mean = mean.reshape(C, -1).mean(dim=1)
            batch_var = var.reshape(C, -1).mean(dim=1)
            new_mean = (1 - momentum) * running_mean + momentum * batch_mean
            new_var = (1 - momentum) * running_var + momentum * batch_var * m / (m - 1)
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
        new_mean, new_var = running_mean, running_var
    X_hat = (X - mean) / torch.sqrt(var + eps)
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), new_mean, new_var
