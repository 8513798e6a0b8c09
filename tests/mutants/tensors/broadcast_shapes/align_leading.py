"""Aligns the shapes from the leading dimension (pads missing dims on the right)."""


def broadcast_shapes(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        padded = list(shape) + [1] * (ndim - len(shape))
        for d, size in enumerate(padded):
            if result[d] == 1:
                result[d] = size
            elif size != 1 and size != result[d]:
                raise ValueError("shapes do not broadcast")
    return tuple(result)
