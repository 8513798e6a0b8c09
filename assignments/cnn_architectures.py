"""Assignment 14: classic convolutional networks — LeNet, VGG blocks, residual blocks.

The PyTorch course's §10.5–10.6 tours the networks that made convolutional nets work
(d2l 6.6, 7.2, 7.6).  **LeNet** (LeCun, for handwritten digits) stacks two convolutions with
pooling and three fully connected layers.  **VGG** builds deep nets out of one repeated
*block*: a few 3x3 convolutions that keep the height and width, then a 2x2 max pooling
that halves them.  **ResNet** adds each block's input to its output, ``y = relu(f(x) +
x)``, so a block only has to learn the *residual* ``f(x)``, and a very deep net still
trains.

``nn.Conv2d``, ``nn.BatchNorm2d``, pooling, ``nn.Linear``, activations and ``nn.Sequential``
are allowed here: the exercises are the architectures.  A convolution keeps ``nn.Conv2d``'s
default bias.  The output size of a convolution or pooling along one dimension is
``floor((n + 2 * padding - kernel_size) / stride) + 1``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F  # noqa: F401 - F.relu will be useful


def lenet() -> nn.Module:
    """d2l's LeNet for ``(N, 1, 28, 28)`` images (Fashion-MNIST): 10 logits per image.

    Layer by layer, with the output shape for one image::

        Conv2d(1, 6, kernel_size=5, padding=2), Sigmoid    ->  (6, 28, 28)
        AvgPool2d(kernel_size=2, stride=2)                  ->  (6, 14, 14)
        Conv2d(6, 16, kernel_size=5), Sigmoid               ->  (16, 10, 10)
        AvgPool2d(kernel_size=2, stride=2)                  ->  (16, 5, 5)
        Flatten                                             ->  (400,)
        Linear(400, 120), Sigmoid                           ->  (120,)
        Linear(120, 84), Sigmoid                            ->  (84,)
        Linear(84, 10)                                      ->  (10,)

    The first linear layer takes all ``16 * 5 * 5 = 400`` values of the flattened feature
    maps: 16 channels, not one (the course notes size a linear layer ``1 * 14 * 14`` after a
    convolution with 16 output channels).  No activation after the last layer: the net
    returns logits for ``nn.CrossEntropyLoss``.  61,706 parameters in all.

    >>> lenet()(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])
    """
    raise NotImplementedError


def vgg_block(num_convs: int, in_channels: int, out_channels: int) -> nn.Sequential:
    """A VGG block: ``num_convs`` times a 3x3 convolution (padding 1) and a ReLU, then a 2x2
    max pooling (stride 2), as one ``nn.Sequential``.

    The first convolution maps ``in_channels`` to ``out_channels``, every later one
    ``out_channels`` to ``out_channels``.  Padding 1 keeps the height and width through the
    convolutions; the pooling halves them (rounding down)::

        (N, in_channels, H, W)  ->  (N, out_channels, H // 2, W // 2)

    >>> vgg_block(2, 3, 8)(torch.zeros(1, 3, 9, 9)).shape
    torch.Size([1, 8, 4, 4])

    ``ValueError`` if ``num_convs < 1``.
    """
    raise NotImplementedError


class Residual(nn.Module):
    """ResNet's residual block: ``Residual(in_channels, out_channels, use_1x1conv=False,
    stride=1)``.

    The main path is ``conv1`` (3x3, padding 1, ``stride``) -> ``bn1`` -> ReLU -> ``conv2``
    (3x3, padding 1) -> ``bn2``; the shortcut is ``X`` itself, or ``conv3(X)`` with ``conv3``
    a 1x1 convolution of stride ``stride`` when ``use_1x1conv``.  The output is the ReLU of
    their **sum**::

        Y = bn2(conv2(relu(bn1(conv1(X)))))
        return relu(Y + (conv3(X) if use_1x1conv else X))

    The ReLU comes after the sum, not on ``Y`` before it.  Name the layers ``conv1``,
    ``bn1``, ``conv2``, ``bn2`` and ``conv3`` as d2l does (``self.conv3 = None`` without the
    1x1 convolution); ``bn1`` and ``bn2`` are ``nn.BatchNorm2d(out_channels)``.

    The sum needs ``Y`` and the shortcut to have the same shape: when the channels change
    or ``stride > 1``, only the 1x1 convolution can bring ``X`` to ``Y``'s shape.  Raise
    ``ValueError`` in ``__init__`` if ``in_channels != out_channels`` or ``stride != 1``
    without ``use_1x1conv``.

    >>> Residual(3, 6, use_1x1conv=True, stride=2)(torch.zeros(4, 3, 6, 6)).shape
    torch.Size([4, 6, 3, 3])
    """

    def __init__(
        self, in_channels: int, out_channels: int, use_1x1conv: bool = False, stride: int = 1
    ) -> None:
        raise NotImplementedError

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
