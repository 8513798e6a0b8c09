"""One nn.Sequential with no hidden and output attributes."""

from torch import nn


class MLP(nn.Module):
    def __init__(self, num_inputs, num_hiddens, num_outputs, dropout=0.0):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(num_inputs, num_hiddens),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(num_hiddens, num_outputs),
        )

    def forward(self, X):
        return self.net(X)
