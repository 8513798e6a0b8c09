"""Correct, written differently: dropout_layer keeps an element when its uniform number
is below 1 - dropout and zeroes the others with masked_fill; only dropout == 1 is a
special case (dropout == 0 keeps everything by itself)."""

import torch


def dropout_layer(X, dropout):
    keep_probability = 1 - dropout
    if not 0 <= keep_probability <= 1:
        raise ValueError("dropout has to be a probability between 0 and 1")
    if keep_probability == 0:
        return X.new_zeros(X.shape)
    dropped = torch.rand(X.shape, device=X.device) >= keep_probability
    return X.masked_fill(dropped, 0) / keep_probability
