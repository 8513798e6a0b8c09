"""Correct, written differently: empty(...).normal_(), torch.mv / torch.mm, torch.square,
a ValueError subclass, param.data updates (d2l's older style), randperm(...).split()."""

import torch


class ShapeError(ValueError):
    pass


def synthetic_data(w, b, num_examples, noise=0.01):
    if w.ndim != 1 or num_examples < 0:
        raise ShapeError("w must be a vector and num_examples >= 0")
    X = torch.empty(num_examples, len(w), device=w.device, dtype=w.dtype).normal_(0, 1)
    eps = torch.empty(num_examples, device=w.device, dtype=w.dtype).normal_(0, noise)
    y = torch.mv(X, w) + b + eps
    return X, y.reshape(num_examples, 1)


def linreg(X, w, b):
    if w.dim() == 2:
        return torch.mm(X, w) + b
    return torch.mv(X, w) + b


def squared_loss(y_hat, y):
    if y_hat.numel() != y.numel():
        raise ShapeError(f"{y_hat.numel()} predictions, {y.numel()} labels")
    return torch.square(y_hat - y.reshape(y_hat.shape)) / 2


def sgd(params, lr, batch_size):
    for param in params:
        if param.grad is not None:
            param.data -= lr * param.grad.data / batch_size
            param.grad.data.zero_()


def data_iter(batch_size, features, labels):
    if batch_size < 1:
        raise ShapeError("batch_size < 1")
    if len(features) != len(labels):
        raise ShapeError("lengths differ")
    for rows in torch.randperm(len(features), device=features.device).split(batch_size):
        yield features[rows], labels[rows]
