"""Inserts the missing size-1 dimensions at the end (unsqueeze(-1)) instead of the front."""


def broadcast_to(x, shape):
    shape = tuple(shape)
    if x.dim() > len(shape):
        raise ValueError("too many dimensions")
    while x.dim() < len(shape):
        x = x.unsqueeze(-1)
    for have, want in zip(x.shape, shape):
        if have != want and have != 1:
            raise ValueError("cannot broadcast")
    return x.expand(shape)
