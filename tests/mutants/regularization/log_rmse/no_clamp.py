"""No clamp: a negative prediction makes the logarithm nan."""

import torch


def log_rmse(net, features, labels):
    if not bool((labels > 0).all()):
        raise ValueError("labels must be positive")
    with torch.no_grad():
        preds = net(features)
        rmse = torch.sqrt(torch.mean((torch.log(preds) - torch.log(labels)) ** 2))
    return rmse.item()
