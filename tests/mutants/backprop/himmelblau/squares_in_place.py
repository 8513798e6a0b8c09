"""x.pow_(2) on x = P[..., 0], a view: the caller's points are overwritten."""


def himmelblau(P):
    if P.dim() == 0 or P.shape[-1] != 2:
        raise ValueError("P must have shape (..., 2)")
    x, y = P[..., 0], P[..., 1]
    first = (x**2 + y - 11) ** 2
    second = (x + y**2 - 7) ** 2
    x.pow_(2)
    return first + second
