"""F.dropout(H, p) without training=self.training: dropout stays on after eval()."""

from torch import nn
from torch.nn import functional as F


class MLP(nn.Module):
    def __init__(self, num_inputs, num_hiddens, num_outputs, dropout=0.0):
        super().__init__()
        self.p = dropout
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.output = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        H = F.relu(self.hidden(X.reshape(X.shape[0], -1)))
        return self.output(F.dropout(H, self.p))
