"""Does not compare the tuple lengths: zip silently drops the extra dimensions."""


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    arguments = (input_size, kernel_size, stride, padding, dilation)
    lengths = {len(a) for a in arguments if isinstance(a, tuple)}
    dims = lengths.pop() if lengths else None
    columns = [a if isinstance(a, tuple) else (a,) * (dims or 1) for a in arguments]
    sizes = []
    for n, k, s, p, d in zip(*columns):
        if n < 1 or k < 1 or s < 1 or d < 1 or p < 0:
            raise ValueError("bad argument")
        out = (n + 2 * p - d * (k - 1) - 1) // s + 1
        if out < 1:
            raise ValueError("the kernel does not fit")
        sizes.append(out)
    return tuple(sizes) if dims is not None else sizes[0]
