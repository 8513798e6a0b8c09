"""Uses unsqueeze_ (in place), which changes the caller's tensor's shape."""


def broadcast_to(x, shape):
    shape = tuple(shape)
    if x.dim() > len(shape):
        raise ValueError("too many dimensions")
    while x.dim() < len(shape):
        x.unsqueeze_(0)
    for have, want in zip(x.shape, shape):
        if have != want and have != 1:
            raise ValueError("cannot broadcast")
    return x.expand(shape)
