"""Assignment 3: multilayer perceptrons — dropout and Xavier initialisation, by hand.

Two tools that make deeper networks train: dropout (丢弃法) regularises a layer by zeroing
random activations during training, and Xavier initialisation picks the scale of the
initial weights so that signals neither explode nor vanish from layer to layer.
"""

from __future__ import annotations

import math  # noqa: F401 - math.sqrt will be useful

import torch


def dropout_layer(X: torch.Tensor, dropout: float) -> torch.Tensor:
    """Zero every element of ``X`` independently with probability ``dropout``; rescale.

    The survivors are divided by ``1 - dropout`` so that the expectation is unchanged
    ("无偏加入噪音")::

        E[out] = (1 - p) * x / (1 - p) + p * 0 = x

    The recipe (d2l's ``dropout_layer``): draw one number per element, uniformly from
    ``[0, 1)`` with ``torch.rand``; an element survives when its number is ``> dropout``,
    which happens with probability ``1 - dropout``.  Careful: ``torch.randn`` draws from
    the *normal* distribution N(0, 1), not from ``[0, 1)``: with it, ``randn > 0.5`` keeps
    only about 31% of the elements instead of 50%.

    >>> torch.manual_seed(0)
    <torch._C.Generator object at ...>
    >>> dropout_layer(torch.arange(1.0, 9.0), 0.5)
    tensor([ 0.,  4.,  0.,  0.,  0., 12.,  0., 16.])

    Rules:

    - ``dropout == 0`` returns ``X``'s values; ``dropout == 1`` returns zeros (do not
      divide by ``1 - 1 = 0``).  Raise ``ValueError`` unless ``0 <= dropout <= 1`` (not
      ``assert``: it raises ``AssertionError`` and disappears under ``python -O``).
    - Draw from torch's global generator (``torch.rand``), so that ``torch.manual_seed``
      makes the result reproducible; never call ``torch.manual_seed`` inside.
    - Create the mask on ``X``'s device (``device=X.device``) and keep ``X``'s dtype (a
      float32 mask times a float16 ``X`` is float32).  Do not modify ``X``.
    - Do not use ``F.dropout``, ``nn.Dropout`` or their relatives.
    """
    ### BEGIN SOLUTION
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be a probability in [0, 1], got {dropout}")
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X.clone()
    mask = (torch.rand(X.shape, device=X.device) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
    ### END SOLUTION


def fan_in_and_fan_out(tensor: torch.Tensor) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` of a weight tensor, with PyTorch's convention.

    A linear layer's weight has shape ``(out_features, in_features)``: each output unit
    sums ``fan_in = in_features`` inputs, and each input feeds ``fan_out = out_features``
    units.  A convolution weight has shape ``(out_channels, in_channels, *kernel_size)``:
    every output value sums over ``in_channels`` times the kernel's area, so both fans are
    multiplied by the *receptive field* ``prod(kernel_size)``::

        fan_in  = in_channels  * prod(kernel_size)
        fan_out = out_channels * prod(kernel_size)

    >>> fan_in_and_fan_out(torch.empty(256, 784))
    (784, 256)
    >>> fan_in_and_fan_out(torch.empty(16, 3, 5, 5))
    (75, 400)

    Only the shape matters (the function must work on a ``meta`` tensor, which has no
    values).  Return a tuple of two Python ints; raise ``ValueError`` for a tensor with
    fewer than 2 dimensions.  Do not use ``nn.init._calculate_fan_in_and_fan_out``.
    """
    ### BEGIN SOLUTION
    if tensor.dim() < 2:
        raise ValueError(
            f"fan in and fan out need at least 2 dimensions, got shape {tuple(tensor.shape)}"
        )
    receptive_field = 1
    for size in tensor.shape[2:]:
        receptive_field *= size
    fan_in = tensor.size(1) * receptive_field
    fan_out = tensor.size(0) * receptive_field
    return fan_in, fan_out
    ### END SOLUTION


def xavier_uniform_(tensor: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
    """Fill ``tensor`` in place from ``U(-a, a)``, Xavier's uniform initialisation.

    ``a = gain * sqrt(6 / (fan_in + fan_out))``, fans from ``fan_in_and_fan_out(tensor)``.

    Xavier (Glorot) initialisation keeps the variance of activations and of gradients
    about the same from layer to layer.  A layer's output sums ``fan_in`` terms ``w * x``,
    so its variance is ``fan_in * Var(w) * Var(x)``: keeping it equal to ``Var(x)`` wants
    ``Var(w) = 1 / fan_in``, and the backward pass wants ``1 / fan_out``.  Xavier's
    compromise is ``Var(w) = 2 / (fan_in + fan_out)``.  ``U(-a, a)`` has variance
    ``a**2 / 3``, hence ``a = sqrt(6 / (fan_in + fan_out))``; ``gain`` scales ``a`` (for
    example ``sqrt(2)`` before a ReLU).

    >>> w = torch.empty(3, 5)
    >>> xavier_uniform_(w) is w
    True

    Use ``fan_in_and_fan_out``.  Fill the tensor itself, in place (methods ending in ``_``
    such as ``tensor.uniform_``), and return that same object: ``nn.Linear``'s weight must
    be initialised, not replaced.  Weights are parameters that require grad, and autograd
    refuses in-place changes to them: do the filling inside ``with torch.no_grad():``.
    Do not use ``nn.init.xavier_uniform_`` or the other ``nn.init`` Xavier/Kaiming helpers.
    """
    ### BEGIN SOLUTION
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor
    ### END SOLUTION


def xavier_normal_(tensor: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
    """Fill ``tensor`` in place from ``N(0, std**2)``, Xavier's normal initialisation.

    ``std = gain * sqrt(2 / (fan_in + fan_out))``, fans from ``fan_in_and_fan_out(tensor)``.

    The same variance as ``xavier_uniform_`` (``Var(w) = 2 / (fan_in + fan_out)``, times
    ``gain**2``), drawn from a normal distribution: ``std`` is a standard deviation, the
    square root of that variance.

    >>> w = torch.empty(256, 784)
    >>> round(xavier_normal_(w).std().item(), 3)  # sqrt(2 / (784 + 256)) = 0.0439
    0.044

    In place, returning the same object, inside ``torch.no_grad()``; use
    ``fan_in_and_fan_out``.  Do not use ``nn.init.xavier_normal_`` or the other ``nn.init``
    Xavier/Kaiming helpers.
    """
    ### BEGIN SOLUTION
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.normal_(0.0, std)
    return tensor
    ### END SOLUTION
