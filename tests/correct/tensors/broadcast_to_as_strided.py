"""Correct, written differently: broadcast_to builds the view itself with as_strided,
giving stride 0 to every new or stretched dimension (what expand does under the hood)."""


def broadcast_to(x, shape):
    target = [int(s) for s in shape]
    missing = len(target) - x.dim()
    if missing < 0:
        raise ValueError(
            f"x has {x.dim()} dimensions, more than the {len(target)} of the target shape"
        )
    sizes = [1] * missing + list(x.shape)
    steps = [0] * missing + list(x.stride())
    new_steps = []
    for have, want, step in zip(sizes, target, steps):
        if have == want:
            new_steps.append(step)
        elif have == 1:
            new_steps.append(0)  # repeat the same element: no copy
        else:
            raise ValueError(f"size {have} of x cannot be broadcast to size {want}")
    return x.as_strided(target, new_steps, x.storage_offset())
