"""Correct, d2l-style: corr2d loops over the output positions into a Y created with the
input's dtype and device; the sizes with divmod-style integer arithmetic."""


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    arguments = [input_size, kernel_size, stride, padding, dilation]
    tuples = [a for a in arguments if isinstance(a, tuple)]
    if any(len(t) != len(tuples[0]) for t in tuples):
        raise ValueError("tuple arguments must have the same length")
    length = len(tuples[0]) if tuples else 1
    sizes = []
    for dim in range(length):
        n, k, s, p, d = (a[dim] if isinstance(a, tuple) else a for a in arguments)
        if n <= 0 or k <= 0 or s <= 0 or d <= 0 or p < 0:
            raise ValueError("invalid convolution arguments")
        room = n + 2 * p - (d * (k - 1) + 1)  # positions left after the first window
        if room < 0:
            raise ValueError("the dilated kernel is larger than the padded input")
        sizes.append(room // s + 1)
    return tuple(sizes) if tuples else sizes[0]


def pool_output_size(input_size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    if stride is None:
        stride = kernel_size
    n, k, s, p, d = input_size, kernel_size, stride, padding, dilation
    if n <= 0 or k <= 0 or s <= 0 or d <= 0:
        raise ValueError("input size, kernel size, stride and dilation must be positive")
    if p < 0 or p > k // 2:
        raise ValueError("padding must be between 0 and kernel_size // 2")
    room = n + 2 * p - (d * (k - 1) + 1)
    out = (-(-room // s) if ceil_mode else room // s) + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    if out <= 0:
        raise ValueError("output would be empty")
    return out


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2:
        raise ValueError("X and K must be 2-D")
    h, w = K.shape
    if h == 0 or w == 0 or h > X.shape[0] or w > X.shape[1]:
        raise ValueError("kernel larger than input")
    Y = X.new_zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y
