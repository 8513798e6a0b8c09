"""The notes' code: the second term (x^2 + y - 7)^2 instead of (x + y^2 - 7)^2. Its
minima form the valley x^2 + y = 9, where Adam from (0, 0) ends at (0, 9), not (3, 2)."""


def himmelblau(P):
    if P.dim() == 0 or P.shape[-1] != 2:
        raise ValueError("P must have shape (..., 2)")
    x, y = P[..., 0], P[..., 1]
    return (x**2 + y - 11) ** 2 + (x**2 + y - 7) ** 2
