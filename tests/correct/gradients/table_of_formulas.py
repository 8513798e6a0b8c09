"""Correct, written differently: a table of derivative formulas, σ' from e^{-|x|} (never
overflows), tanh' as 1 / cosh², ReLU by torch.heaviside, softmax's Jacobian as
p_i (δ_ij - p_j) with an identity matrix, the loss from a gathered log-probability, and
Huber's loss through a clamp."""

import torch

_FORMULAS = {
    "sigmoid": lambda X, slope: torch.exp(-X.abs()) / (1 + torch.exp(-X.abs())) ** 2,
    "tanh": lambda X, slope: 1 / torch.cosh(X) ** 2,
    "relu": lambda X, slope: torch.heaviside(X, torch.zeros_like(X)),
    "leaky_relu": lambda X, slope: torch.where(X > 0, X.new_tensor(1.0), X.new_tensor(slope)),
}


def activation_grad(X, name, negative_slope=0.01):
    if not torch.is_floating_point(X):
        raise ValueError("a floating-point X is needed")
    try:
        formula = _FORMULAS[name]
    except KeyError:
        raise ValueError(f"no activation called {name!r}") from None
    return formula(X, negative_slope)


def softmax_jacobian(a):
    if a.ndim != 1:
        raise ValueError("softmax_jacobian takes a vector")
    p = torch.softmax(a, dim=-1)
    identity = torch.eye(len(a), dtype=a.dtype, device=a.device)
    return p[:, None] * (identity - p[None, :])


def cross_entropy_grad(logits, y):
    if logits.ndim != 2 or y.ndim != 1 or y.shape[0] != logits.shape[0] or y.shape[0] < 1:
        raise ValueError("logits must be (N, C), y (N,), N >= 1")
    if torch.is_floating_point(y):
        raise ValueError("integer labels please")
    n, c = logits.shape
    if y.min() < 0 or y.max() >= c:
        raise ValueError("a label is out of range")
    shifted = logits - logits.max(dim=1, keepdim=True).values
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    index = y.long().view(-1, 1)
    loss = -log_probs.gather(1, index).mean()
    grad = log_probs.exp()
    grad = grad.scatter_add(1, index, -torch.ones_like(grad[:, :1]))
    return loss, grad / n


def huber_loss(y_hat, y, delta=1.0):
    if y_hat.shape != y.shape:
        raise ValueError("y_hat and y must have one shape")
    if delta <= 0:
        raise ValueError("delta must be > 0")
    size = (y_hat - y).abs()
    inner = size.clamp(max=delta)
    return inner * (size - inner / 2)
