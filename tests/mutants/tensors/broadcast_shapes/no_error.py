"""Never raises: a clash keeps the first size seen instead of raising ValueError."""


def broadcast_shapes(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        padded = [1] * (ndim - len(shape)) + list(shape)
        for d, size in enumerate(padded):
            if result[d] == 1:
                result[d] = size
    return tuple(result)
