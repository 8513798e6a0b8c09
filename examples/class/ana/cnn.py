"""Ana's convolution homework."""

import torch


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    # Only plain ints: Ana skipped the tuple case and the checks.
    return (input_size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def pool_output_size(input_size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    raise NotImplementedError


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2:
        raise ValueError("corr2d takes two matrices")
    rows, cols = X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1
    if rows < 1 or cols < 1:
        raise ValueError("the kernel is larger than the input")
    out = [
        [(X[i : i + K.shape[0], j : j + K.shape[1]] * K).sum() for j in range(cols)]
        for i in range(rows)
    ]
    return torch.stack([torch.stack(row) for row in out])
