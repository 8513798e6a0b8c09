"""Sums the squared log errors instead of averaging them."""

import torch


def log_rmse(net, features, labels):
    if not bool((labels > 0).all()):
        raise ValueError("labels must be positive")
    with torch.no_grad():
        preds = torch.clamp(net(features), 1, float("inf"))
        rmse = torch.sqrt(torch.sum((torch.log(preds) - torch.log(labels)) ** 2))
    return rmse.item()
