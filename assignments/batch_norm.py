"""Assignment 13: batch normalisation — the function, and the layer with running statistics.

Batch normalisation (批量归一化, d2l 7.5; the PyTorch course's §10.4) standardises each
feature over the minibatch and then lets the net rescale it: with the batch mean ``mu`` and
the batch variance ``sigma**2`` of a feature::

    x_hat = (x - mu) / sqrt(sigma**2 + eps)
    y     = gamma * x_hat + beta

``gamma`` (scale) and ``beta`` (shift) are learnt like any weight; ``eps`` keeps the
division away from 0.  A fully connected layer's output ``(N, C)`` has one statistic per
feature, over the batch; a convolution's output ``(N, C, H, W)`` has one per **channel**,
over the batch and every position.  In training the layer normalises with the statistics
of the batch and keeps running averages of them; in evaluation (``net.eval()``) there may
be a single example, so it normalises with the running averages instead.
"""

from __future__ import annotations

import torch
from torch import nn


def batch_norm(
    X: torch.Tensor,
    gamma: torch.Tensor,
    beta: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    training: bool,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Batch normalisation of ``X``; returns ``(Y, new_mean, new_var)``.

    ``X`` is ``(N, C)`` (statistics over dim 0) or ``(N, C, H, W)`` (statistics per channel,
    over dims ``(0, 2, 3)``); ``gamma``, ``beta``, ``running_mean`` and ``running_var``
    have shape ``(C,)``.

    - Training: normalise with the batch mean and the **biased** batch variance (the mean of
      the squared deviations, divided by ``m = N * H * W``), and return the updated running
      statistics ``new = (1 - momentum) * running + momentum * batch``, where ``new_var``
      takes the **unbiased** batch variance (divided by ``m - 1``), as torch does.
    - Evaluation: normalise with ``running_mean`` and ``running_var`` and return them
      unchanged.

    ``Y = gamma * (X - mean) / sqrt(var + eps) + beta``, differentiable in ``X``, ``gamma``
    and ``beta``.  The running statistics are bookkeeping, not part of the graph: return
    them without gradient (``detach()``, or compute them under ``torch.no_grad()``), and
    modify no input.  Compute the variance as the mean of the squared deviations: with a
    large common offset (float32 values near 1e4), ``E[x**2] - E[x]**2`` subtracts two
    numbers near 1e8 and loses every digit of a variance near 1.

    >>> X = torch.tensor([[1.0, 2.0], [3.0, 6.0]])
    >>> Y, mean, var = batch_norm(X, torch.ones(2), torch.zeros(2), torch.zeros(2),
    ...                          torch.ones(2), training=True)
    >>> Y
    tensor([[-1.0000, -1.0000],
            [ 1.0000,  1.0000]])
    >>> mean, var
    (tensor([0.2000, 0.4000]), tensor([1.1000, 1.7000]))

    ``ValueError`` if ``X`` is neither 2-D nor 4-D, if a shape does not fit, or if training
    sees a single value per channel (``N * H * W == 1``: its variance is 0/0).  Do not use
    ``F.batch_norm``, ``nn.BatchNorm1d/2d``, or torch's other normalisations.
    """
    raise NotImplementedError


class BatchNorm(nn.Module):
    """A batch normalisation layer: ``BatchNorm(num_features, num_dims)``, ``num_dims`` 2
    after a fully connected layer (input ``(N, C)``), 4 after a convolution (``(N, C, H, W)``).

    - ``gamma`` (ones) and ``beta`` (zeros): ``nn.Parameter``s of shape ``(num_features,)``,
      learnt with the rest of the net.
    - ``running_mean`` (zeros) and ``running_var`` (ones): not learnt, so not parameters, but
      part of the layer's state.  Register them with ``self.register_buffer(name, tensor)``:
      buffers move with ``net.to(device)`` and are saved in ``net.state_dict()``; a plain
      tensor attribute is neither.
    - ``forward(X)`` calls ``batch_norm`` with ``self.training`` (``net.train()`` /
      ``net.eval()`` set it) and, in training, stores the new running statistics in the
      buffers.  It then does what ``nn.BatchNorm1d(num_features)`` (``num_dims = 2``) or
      ``nn.BatchNorm2d(num_features)`` (``num_dims = 4``) does, in both modes.

    >>> layer = BatchNorm(3, num_dims=4)
    >>> layer(torch.rand(8, 3, 5, 5)).shape
    torch.Size([8, 3, 5, 5])
    >>> sorted(layer.state_dict())
    ['beta', 'gamma', 'running_mean', 'running_var']

    ``ValueError`` if ``num_dims`` is not 2 or 4, and in ``forward`` if ``X.dim() !=
    num_dims``: the course notes apply ``nn.BatchNorm1d`` to a 4-D image batch; a layer
    made for ``(N, C)`` should refuse it.
    """

    def __init__(self, num_features: int, num_dims: int) -> None:
        raise NotImplementedError

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
