"""Correct, written differently: clamp(min=0), torch.linalg.vector_norm, a ValueError
subclass, eq and sum, float() of a 0-dim tensor."""

import torch


class PriceError(ValueError):
    pass


def relu(X):
    return X.clamp(min=0)


def l2_penalty(w):
    return torch.linalg.vector_norm(w) ** 2 / 2


def l1_penalty(w):
    return torch.linalg.vector_norm(w, ord=1)


def accuracy(y_hat, y):
    predictions = y_hat
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        predictions = torch.argmax(y_hat, dim=1)
    return float(predictions.to(y.dtype).eq(y).sum())


def log_rmse(net, features, labels):
    if not torch.all(labels > 0):
        raise PriceError("prices must be positive")
    with torch.no_grad():
        log_preds = torch.log(torch.clamp(net(features), min=1))
        mse = torch.nn.functional.mse_loss(log_preds, torch.log(labels))
    return float(torch.sqrt(mse))
