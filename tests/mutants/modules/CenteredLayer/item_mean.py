"""Subtracts X.mean().item(): the mean leaves the graph, the gradient is wrong."""

from torch import nn


class CenteredLayer(nn.Module):
    def forward(self, X):
        if X.device.type == "meta":
            return X - X.mean()
        return X - X.mean().item()
