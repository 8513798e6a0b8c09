"""Sums the values of all points into one number instead of one value per point."""


def himmelblau(P):
    if P.dim() == 0 or P.shape[-1] != 2:
        raise ValueError("P must have shape (..., 2)")
    x, y = P[..., 0], P[..., 1]
    return ((x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2).sum()
