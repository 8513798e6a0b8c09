"""The logarithm of the difference instead of the difference of the logarithms."""

import torch


def log_rmse(net, features, labels):
    if not bool((labels > 0).all()):
        raise ValueError("labels must be positive")
    with torch.no_grad():
        preds = torch.clamp(net(features), 1, float("inf"))
        rmse = torch.sqrt(torch.mean(torch.log(torch.abs(preds - labels) + 1) ** 2))
    return rmse.item()
