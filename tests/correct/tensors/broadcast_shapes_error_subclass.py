"""Correct, written differently: broadcast_shapes walks the dimensions from the right with
an explicit negative index and raises its own ``BroadcastError``, a subclass of ValueError."""


class BroadcastError(ValueError):
    """The shapes cannot be broadcast together."""


def broadcast_shapes(*shapes):
    shapes = [list(shape) for shape in shapes]
    for shape in shapes:
        for size in shape:
            if size < 0:
                raise BroadcastError(f"negative size {size} in shape {tuple(shape)}")
    longest = max([len(shape) for shape in shapes] + [0])
    result = []
    position = -1
    while position >= -longest:
        size = 1
        for shape in shapes:
            if len(shape) < -position:
                continue  # a missing leading dimension acts like 1
            here = shape[position]
            if here == 1 or here == size:
                continue
            if size != 1:
                raise BroadcastError(f"dimension {position}: size {here} clashes with size {size}")
            size = here
        result.insert(0, int(size))
        position -= 1
    return tuple(result)
