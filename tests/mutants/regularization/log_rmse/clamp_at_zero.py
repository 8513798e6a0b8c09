"""Clamps at 0 instead of 1: log(0) is -inf."""

import torch


def log_rmse(net, features, labels):
    if not bool((labels > 0).all()):
        raise ValueError("labels must be positive")
    with torch.no_grad():
        preds = torch.clamp(net(features), 0, float("inf"))
        rmse = torch.sqrt(torch.mean((torch.log(preds) - torch.log(labels)) ** 2))
    return rmse.item()
