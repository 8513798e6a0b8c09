"""Refuses labels below 1, as if the clamp to [1, inf) applied to the prices too."""

import torch


def log_rmse(net, features, labels):
    if not bool((labels >= 1).all()):
        raise ValueError("log_rmse needs prices of at least 1")
    with torch.no_grad():
        preds = torch.clamp(net(features), 1, float("inf"))
        diff = torch.log(preds) - torch.log(labels.reshape(preds.shape))
        rmse = torch.sqrt(torch.mean(diff**2))
    return rmse.item()
