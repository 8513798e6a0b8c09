"""The seed notes' formula with the true division ``/`` (and no dilation): gives floats
such as 13.5 where PyTorch rounds down.
"""


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    arguments = (input_size, kernel_size, stride, padding, dilation)
    lengths = {len(a) for a in arguments if isinstance(a, tuple)}
    if len(lengths) > 1:
        raise ValueError("tuple arguments of different lengths")
    dims = lengths.pop() if lengths else None
    columns = [a if isinstance(a, tuple) else (a,) * (dims or 1) for a in arguments]
    sizes = []
    for n, k, s, p, d in zip(*columns):
        if n < 1 or k < 1 or s < 1 or d < 1 or p < 0:
            raise ValueError("bad argument")
        out = (n - k + 2 * p) / s + 1
        if out < 1:
            raise ValueError("the kernel does not fit")
        sizes.append(out)
    return tuple(sizes) if dims is not None else sizes[0]
