"""Forgets the case of no shapes: max() of an empty sequence raises."""


def broadcast_shapes(*shapes):
    ndim = max(len(s) for s in shapes)
    result = [1] * ndim
    for shape in shapes:
        padded = [1] * (ndim - len(shape)) + list(shape)
        for d, size in enumerate(padded):
            if result[d] == 1:
                result[d] = size
            elif size != 1 and size != result[d]:
                raise ValueError("shapes do not broadcast")
    return tuple(result)
