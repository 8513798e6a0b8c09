"""Forgets the sum: an elementwise tensor instead of a 0-dim penalty."""


def l2_penalty(w):
    return w.pow(2) / 2
