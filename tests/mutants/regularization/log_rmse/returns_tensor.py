"""Returns the 0-dim tensor instead of rmse.item()."""

import torch


def log_rmse(net, features, labels):
    if not bool((labels > 0).all()):
        raise ValueError("labels must be positive")
    with torch.no_grad():
        preds = torch.clamp(net(features), 1, float("inf"))
        return torch.sqrt(torch.mean((torch.log(preds) - torch.log(labels)) ** 2))
