"""Correct, written differently: F.dropout with training=self.training, in-place fills
under torch.no_grad(), a dict of parameters by data pointer, mean over all dims, einsum."""

import torch
from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    def __init__(self, num_inputs, num_hiddens, num_outputs, dropout=0.0):
        super().__init__()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.output = nn.Linear(num_hiddens, num_outputs)
        self.p = dropout

    def forward(self, X):
        H = torch.relu(self.hidden(torch.flatten(X, start_dim=1)))
        H = F.dropout(H, self.p, training=self.training)
        return self.output(H)


def init_normal(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.normal_(0.0, 0.01)
            if m.bias is not None:
                m.bias.zero_()


def count_parameters(net):
    unique = {id(p): p.numel() for _, p in net.named_parameters(remove_duplicate=False)}
    return sum(unique.values())


class CenteredLayer(nn.Module):
    def forward(self, X):
        return X - X.mean(dim=tuple(range(X.dim())), keepdim=True)


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units))
        self.bias = nn.Parameter(torch.randn(units))

    def forward(self, X):
        return F.relu(torch.einsum("ni,io->no", X, self.weight) + self.bias)
