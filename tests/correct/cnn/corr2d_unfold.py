"""Correct, written differently: corr2d on Tensor.unfold, with only the errors the contract
asks for. An empty kernel is not refused: unfold gives the (h + 1, w - kw + 1) zeros that
an empty sum is (a check once asked for ValueError there, beyond the contract)."""


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2:
        raise ValueError("corr2d needs a matrix and a matrix kernel")
    kh, kw = K.shape
    if kh > X.shape[0] or kw > X.shape[1]:
        raise ValueError(f"a {kh}x{kw} kernel is larger than the {tuple(X.shape)} input")
    windows = X.unfold(0, kh, 1).unfold(1, kw, 1)  # (h - kh + 1, w - kw + 1, kh, kw)
    return (windows * K).sum(dim=(-2, -1))
