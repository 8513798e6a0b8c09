"""Assignment 9: layers and blocks — nn.Module, parameters and custom layers.

Every layer and every model in PyTorch is an ``nn.Module`` (d2l 5.1–5.4): a class that
creates its layers and parameters in ``__init__`` and says how data flows through them in
``forward``.  ``net(X)`` calls ``forward`` (through ``nn.Module.__call__``);
``net.parameters()`` finds every ``nn.Parameter`` of the module and its sub-modules;
``net.apply(f)`` calls ``f`` on every sub-module; ``net.train()`` / ``net.eval()`` switch
layers such as dropout on and off; ``net.to(device)`` moves every parameter at once.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F  # noqa: F401 - F.relu will be useful


class MLP(nn.Module):
    """A multilayer perceptron: flatten, a hidden ``nn.Linear`` with ReLU, dropout, then an
    ``nn.Linear`` to ``num_outputs`` **logits**.

    ``MLP(num_inputs, num_hiddens, num_outputs, dropout=0.0)``.  The two linear layers
    are the attributes ``hidden`` and ``output``; assigning a module to an attribute in
    ``__init__`` registers it, so its parameters become the net's.

    >>> net = MLP(784, 256, 10, dropout=0.5)
    >>> net(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])

    - Define ``forward(self, X)``: that exact name is what ``net(X)`` calls.  A class
      that names it anything else (``__format__``, ``foward``) has no forward, and
      ``net(X)`` raises nn.Module's "missing the required forward function".
    - No activation after the last layer: the outputs are logits, which may be negative;
      ``nn.CrossEntropyLoss`` applies the softmax itself.  A ReLU there makes every
      negative logit 0 and the net cannot express "this class is unlikely".
    - Dropout (``nn.Dropout(dropout)``) comes after the hidden layer's ReLU and acts in
      training mode only: ``net.eval()`` must switch it off, which ``nn.Dropout`` does by
      itself when it is a registered sub-module.

    ``nn.Linear``, ``nn.ReLU``, ``nn.Dropout`` and ``nn.Flatten`` are allowed here.
    """

    def __init__(
        self, num_inputs: int, num_hiddens: int, num_outputs: int, dropout: float = 0.0
    ) -> None:
        ### BEGIN SOLUTION
        super().__init__()
        self.flatten = nn.Flatten()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(num_hiddens, num_outputs)
        ### END SOLUTION

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        H = F.relu(self.hidden(self.flatten(X)))
        return self.output(self.dropout(H))
        ### END SOLUTION


def init_normal(m: nn.Module) -> None:
    """Initialise a module for ``net.apply(init_normal)``: every ``nn.Linear`` gets
    weights from ``N(0, 0.01**2)`` and a zero bias; any other module is left as it is.

    ``net.apply(f)`` calls ``f`` on every sub-module (and the net itself), so the function
    must check what it was given (``isinstance(m, nn.Linear)``).  Change the parameters in
    place with ``nn.init``'s in-place functions (``normal_`` with ``std=0.01``, ``zeros_``):
    they stay the same ``nn.Parameter`` objects (an optimizer made before still holds
    them), on their device, with their dtype.  Returns nothing.
    """
    ### BEGIN SOLUTION
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0, std=0.01)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    ### END SOLUTION


def count_parameters(net: nn.Module) -> int:
    """The number of scalar parameters of ``net``, as a Python int.

    A layer used twice in a net (d2l's *shared* layer, ``nn.Sequential(..., shared, ...,
    shared, ...)``) holds one set of parameters: count it once.  ``net.parameters()``
    yields every parameter once; walking the layers and adding up each layer's
    parameters counts a shared one twice.  Buffers (batch norm's running mean) are not
    parameters; a parameter with ``requires_grad=False`` still is.

    >>> count_parameters(nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10)))
    7946
    """
    ### BEGIN SOLUTION
    return sum(p.numel() for p in net.parameters())
    ### END SOLUTION


class CenteredLayer(nn.Module):
    """A layer without parameters that subtracts the mean: ``forward(X) = X - X.mean()``.

    The mean of all of ``X``'s elements (one number), so the output's mean is 0.

    >>> CenteredLayer()(torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]))
    tensor([-2., -1.,  0.,  1.,  2.])

    It holds no parameters (``list(layer.parameters())`` is empty): nothing is learnt.
    Compute a new tensor (``X -= ...`` would change the caller's ``X``).
    """

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        return X - X.mean()
        ### END SOLUTION


class MyLinear(nn.Module):
    """A fully connected layer with ReLU, by hand: ``relu(X @ weight + bias)``.

    ``MyLinear(in_units, units)`` creates two ``nn.Parameter``s drawn from ``N(0, 1)``:
    ``weight`` of shape ``(in_units, units)`` and ``bias`` of shape ``(units,)``.
    Wrapping a tensor in ``nn.Parameter`` and assigning it to an attribute registers it:
    it requires grad, appears in ``parameters()`` and moves with ``.to(device)``.

    >>> layer = MyLinear(5, 3)
    >>> layer(torch.rand(2, 5)).shape
    torch.Size([2, 3])

    In ``forward`` compute with ``self.weight`` and ``self.bias`` themselves.  d2l's
    listing uses ``self.weight.data``: the values are the same but ``.data`` is cut from
    autograd, so no gradient ever reaches the parameters and the layer never learns.
    Do not use ``nn.Linear`` or ``F.linear``.
    """

    def __init__(self, in_units: int, units: int) -> None:
        ### BEGIN SOLUTION
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units))
        self.bias = nn.Parameter(torch.randn(units))
        ### END SOLUTION

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        linear = torch.matmul(X, self.weight) + self.bias
        return F.relu(linear)
        ### END SOLUTION
