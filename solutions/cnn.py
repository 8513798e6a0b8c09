"""Assignment 5: convolutional networks — output sizes and cross-correlation by hand.

Before building a CNN you must know the shape every layer produces: a wrong size is the
most common error message in CNN code.  We compute the output sizes of convolution and
max-pooling layers exactly as PyTorch does, and write d2l's two-dimensional
cross-correlation (what deep-learning libraries call "convolution") ourselves.
"""

from __future__ import annotations

import torch

IntOrTuple = int | tuple[int, ...]


def conv_output_size(
    input_size: IntOrTuple,
    kernel_size: IntOrTuple,
    stride: IntOrTuple = 1,
    padding: IntOrTuple = 0,
    dilation: IntOrTuple = 1,
) -> IntOrTuple:
    """Return the output size of ``nn.Conv1d/2d/3d`` along each spatial dimension.

    Along one dimension of size ``n``, a kernel of size ``k`` with dilation ``d`` covers
    ``d * (k - 1) + 1`` input positions (``d - 1`` gaps between its taps).  ``padding``
    adds ``p`` zeros on *both* sides, and the kernel moves ``s`` positions at a time, so
    the number of positions it fits in is::

        floor((n + 2p - d * (k - 1) - 1) / s) + 1

    >>> conv_output_size(28, 3), conv_output_size(28, 3, padding=1)
    (26, 28)
    >>> conv_output_size((28, 32), 5, stride=2, padding=(2, 0), dilation=(1, 2))
    (14, 12)

    The course notes write ``(H_in - H_k + 2 * padding) / stride + 1``: that forgets the
    dilation, and ``/`` gives a float (``13.5``) where PyTorch rounds down (use ``//``).

    Each argument is an int or a tuple of ints.  If any of them is a tuple, the result is a
    tuple of that length and the ints apply to every dimension; if all are ints the result
    is an int.  Raise ``ValueError`` if a size, stride or dilation is below 1, a padding is
    below 0, the tuples have different lengths, or an output size would be below 1 (the
    dilated kernel does not fit in the padded input).
    """
    ### BEGIN SOLUTION
    arguments = {
        "input_size": input_size,
        "kernel_size": kernel_size,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
    }
    lengths = {len(value) for value in arguments.values() if isinstance(value, tuple)}
    if len(lengths) > 1:
        raise ValueError(f"tuple arguments have different lengths: {sorted(lengths)}")
    dims = lengths.pop() if lengths else None
    # An int applies to every dimension.
    per_dim = {
        name: tuple(value) if isinstance(value, tuple) else (value,) * (dims or 1)
        for name, value in arguments.items()
    }
    sizes = []
    for n, k, s, p, d in zip(*per_dim.values()):
        if n < 1 or k < 1 or s < 1 or d < 1:
            raise ValueError("input size, kernel size, stride and dilation must be at least 1")
        if p < 0:
            raise ValueError(f"padding must be non-negative, got {p}")
        span = d * (k - 1) + 1  # input positions the dilated kernel covers
        out = (n + 2 * p - span) // s + 1
        if out < 1:
            raise ValueError(
                f"the kernel covers {span} positions but the padded input has only "
                f"{n + 2 * p}: the output would be empty"
            )
        sizes.append(out)
    return tuple(sizes) if dims is not None else sizes[0]
    ### END SOLUTION


def pool_output_size(
    input_size: int,
    kernel_size: int,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Return the output length of ``nn.MaxPool1d(kernel_size, stride, padding, dilation,
    ceil_mode=ceil_mode)`` on an input of length ``input_size``.

    ``stride=None`` means ``stride = kernel_size`` (windows side by side, the default of
    every pooling layer).  The windows are placed like a convolution's, so with
    ``ceil_mode=False`` the size is ``floor((n + 2p - d * (k - 1) - 1) / s) + 1``.

    ``ceil_mode=True`` rounds up instead: a last window that hangs over the right edge of
    the (padded) input still counts.  One exception: **the last window must start inside
    the input or its left padding**; a window that would start in the right padding only
    (it would see nothing but padding) is dropped.

    >>> pool_output_size(5, 2), pool_output_size(5, 2, ceil_mode=True)
    (2, 3)
    >>> pool_output_size(5, 2, padding=1, ceil_mode=True)  # 4 would start in the padding
    3

    Raise ``ValueError`` exactly where ``MaxPool1d`` refuses its arguments: kernel size,
    stride, dilation or input size below 1, negative padding, padding larger than half the
    kernel size (``p > k // 2``), or an output size below 1.
    """
    ### BEGIN SOLUTION
    n, k, p, d = input_size, kernel_size, padding, dilation
    s = kernel_size if stride is None else stride
    if n < 1 or k < 1 or s < 1 or d < 1:
        raise ValueError("input size, kernel size, stride and dilation must be at least 1")
    if p < 0:
        raise ValueError(f"padding must be non-negative, got {p}")
    if p > k // 2:
        raise ValueError(f"padding {p} is more than half the kernel size {k}")
    span = d * (k - 1) + 1  # input positions one window covers
    if ceil_mode:
        out = (n + 2 * p - span + s - 1) // s + 1  # ceil instead of floor
        if (out - 1) * s >= n + p:  # the last window would start in the right padding
            out -= 1
    else:
        out = (n + 2 * p - span) // s + 1
    if out < 1:
        raise ValueError(f"a window covers {span} positions, more than the padded input")
    return out
    ### END SOLUTION


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Return the two-dimensional cross-correlation of ``X`` (``h x w``) with ``K``
    (``kh x kw``), of shape ``(h - kh + 1, w - kw + 1)``::

        Y[i, j] = sum over a, b of X[i + a, j + b] * K[a, b]

    The kernel slides over the input and, at every position where it fits entirely, the
    products of the overlapping entries are summed.  (A true convolution would flip ``K``
    first; deep learning uses cross-correlation and calls it convolution.)

    >>> X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    >>> corr2d(X, torch.tensor([[0.0, 1.0], [2.0, 3.0]]))
    tensor([[19., 25.],
            [37., 43.]])

    d2l loops over the output positions, ``Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum()``,
    into ``Y = torch.zeros(...)``: that is correct once ``Y`` is created with
    ``device=X.device`` and the inputs' dtype.  Looping over the ``kh * kw`` kernel
    entries instead adds whole shifted slices of ``X`` at once (fewer Python steps).

    The result must be differentiable in ``K`` (and ``X``): d2l learns an edge-detecting
    kernel by gradient descent through this function, so no ``.item()``, ``.detach()`` or
    ``torch.tensor(...)`` of partial results.  Raise ``ValueError`` if ``X`` or ``K`` is not
    2-D or the kernel is larger than the input.  Do not use the library's convolutions
    (``F.conv2d``, ``nn.Conv2d``, ``torch.conv2d`` ...).
    """
    ### BEGIN SOLUTION
    if X.dim() != 2 or K.dim() != 2:
        raise ValueError(f"corr2d needs 2-D X and K, got {X.dim()}-D and {K.dim()}-D")
    h, w = X.shape
    kh, kw = K.shape
    if kh < 1 or kw < 1 or kh > h or kw > w:
        raise ValueError(f"a {kh}x{kw} kernel does not fit in a {h}x{w} input")
    oh, ow = h - kh + 1, w - kw + 1
    # Kernel entry K[a, b] multiplies the block of X that starts at row a, column b.
    Y = torch.zeros((oh, ow), dtype=torch.result_type(X, K), device=X.device)
    for a in range(kh):
        for b in range(kw):
            Y = Y + K[a, b] * X[a : a + oh, b : b + ow]
    return Y
    ### END SOLUTION
