"""Correct, written differently: new_empty and normal_, einsum, pow and mul, add_ with
alpha, index_select, and the arguments checked before the generator starts."""

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    if w.dim() != 1:
        raise ValueError("w is not a vector")
    if num_examples < 0:
        raise ValueError("num_examples is negative")
    X = w.new_empty((num_examples, w.numel())).normal_(0.0, 1.0)
    y = torch.einsum("nd,d->n", X, w) + b
    y += w.new_empty(y.shape).normal_(0.0, noise)
    return X, y[:, None]


def linreg(X, w, b):
    if w.dim() == 1:
        return torch.einsum("nd,d->n", X, w) + b
    return torch.einsum("nd,dk->nk", X, w) + b


def squared_loss(y_hat, y):
    if y.numel() != y_hat.numel():
        raise ValueError("sizes differ")
    return (y_hat - y.reshape(y_hat.shape)).pow(2).mul(0.5)


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            grad = param.grad
            if grad is not None:
                param.add_(grad, alpha=-lr / batch_size)
                grad.zero_()


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("batch_size must be >= 1 and the lengths equal")
    order = torch.randperm(len(features), device=features.device)
    batches = (order[i : i + batch_size] for i in range(0, len(order), batch_size))
    return ((features.index_select(0, rows), labels.index_select(0, rows)) for rows in batches)
