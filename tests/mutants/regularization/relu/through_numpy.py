"""Goes through numpy: no gradient, CPU only."""

import numpy as np
import torch


def relu(X):
    return torch.from_numpy(np.maximum(X.detach().cpu().float().numpy(), 0)).to(X.dtype)
