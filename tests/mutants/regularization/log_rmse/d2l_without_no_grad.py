"""The seed's version: nn.MSELoss on the logs, with gradient recording on."""

import torch
from torch import nn


def log_rmse(net, features, labels):
    if not bool((labels > 0).all()):
        raise ValueError("labels must be positive")
    loss = nn.MSELoss()
    clipped_preds = torch.clamp(net(features), 1, float("inf"))
    rmse = torch.sqrt(loss(torch.log(clipped_preds), torch.log(labels)))
    return rmse.item()
