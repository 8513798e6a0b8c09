"""No ValueError: a last dimension of 3 silently uses the first two coordinates."""


def himmelblau(P):
    x, y = P[..., 0], P[..., 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
