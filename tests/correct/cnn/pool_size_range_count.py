"""Correct, written differently: pool_output_size counts the window starts with len(range(...)),
stopping the range before the right padding in ceil mode."""


def pool_output_size(input_size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    step = kernel_size if stride is None else stride
    if min(input_size, kernel_size, step, dilation) < 1:
        raise ValueError("input_size, kernel_size, stride and dilation must be positive")
    if not 0 <= padding <= kernel_size // 2:
        raise ValueError(f"padding {padding} must be between 0 and kernel_size // 2")
    padded = input_size + 2 * padding
    window = dilation * (kernel_size - 1) + 1
    if ceil_mode:
        # A window may hang over the end, but must start before the right padding.
        starts = range(0, min(padded - window + step, input_size + padding), step)
    else:
        starts = range(0, padded - window + 1, step)
    if len(starts) == 0:
        raise ValueError(f"a window of {window} positions does not fit in {padded}")
    return len(starts)
