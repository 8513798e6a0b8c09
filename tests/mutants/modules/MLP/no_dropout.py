"""Takes the dropout argument and never applies it: no dropout at all."""

from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    def __init__(self, num_inputs, num_hiddens, num_outputs, dropout=0.0):
        super().__init__()
        self.flatten = nn.Flatten()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.output = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        H = F.relu(self.hidden(self.flatten(X)))
        return self.output(H)
