"""Takes the larger size in every position, so 0 against 1 gives 1 and clashes pass."""


def broadcast_shapes(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    result = [0] * ndim
    for shape in shapes:
        padded = [1] * (ndim - len(shape)) + list(shape)
        result = [max(a, b) for a, b in zip(result, padded)]
    return tuple(result)
