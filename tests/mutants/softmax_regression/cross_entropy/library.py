"""Uses F.nll_loss on log probabilities instead of picking them by hand."""

import torch
import torch.nn.functional as F


def cross_entropy(y_hat, y):
    return F.nll_loss(torch.log(y_hat), y, reduction="none")
