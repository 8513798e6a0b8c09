"""Goes through numpy, which breaks autograd (and the device)."""

import numpy as np
import torch


def broadcast_to(x, shape):
    shape = tuple(shape)
    if x.dim() > len(shape):
        raise ValueError("too many dimensions")
    padded = (1,) * (len(shape) - x.dim()) + tuple(x.shape)
    for have, want in zip(padded, shape):
        if have != want and have != 1:
            raise ValueError("cannot broadcast")
    values = x.detach().cpu()
    if values.dtype == torch.bfloat16:
        return x.reshape(padded).expand(shape).detach()
    return torch.from_numpy(np.broadcast_to(values.numpy(), shape).copy()).to(x.device)
