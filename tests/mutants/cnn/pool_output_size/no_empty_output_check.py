"""Never checks that a window fits: returns 0 or less instead of raising."""


def pool_output_size(input_size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    n, k, p, d = input_size, kernel_size, padding, dilation
    s = kernel_size if stride is None else stride
    if n < 1 or k < 1 or s < 1 or d < 1 or p < 0:
        raise ValueError("bad argument")
    if p > k // 2:
        raise ValueError("padding larger than half the kernel")
    span = d * (k - 1) + 1
    if ceil_mode:
        out = (n + 2 * p - span + s - 1) // s + 1
        if (out - 1) * s >= n + p:
            out -= 1
    else:
        out = (n + 2 * p - span) // s + 1
    return out
