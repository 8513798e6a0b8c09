"""Builds nn.Dropout() without the argument: the default p = 0.5 whatever dropout says."""

from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    def __init__(self, num_inputs, num_hiddens, num_outputs, dropout=0.0):
        super().__init__()
        self.flatten = nn.Flatten()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.dropout = nn.Dropout()
        self.output = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        H = F.relu(self.hidden(self.flatten(X)))
        return self.output(self.dropout(H))
