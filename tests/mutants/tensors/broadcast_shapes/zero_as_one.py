"""Treats size 0 like size 1 (both 'empty-ish'), so (0,) and (3,) broadcast to (3,)."""


def broadcast_shapes(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        padded = [1] * (ndim - len(shape)) + list(shape)
        for d, size in enumerate(padded):
            if result[d] in (0, 1):
                result[d] = max(result[d], size) if result[d] == 0 else size
            elif size not in (0, 1) and size != result[d]:
                raise ValueError("shapes do not broadcast")
    return tuple(result)
