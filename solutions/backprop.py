"""Assignment 11: backpropagation by hand — a perceptron, a two-layer MLP, and Himmelblau.

The chain rule (PyTorch course §7) turns the derivative of a network's error into a product
of local derivatives, computed from the output back to the input.  For sigmoid units and
the error ``E = sum((O - T)^2) / 2`` the notes derive the delta rule: an output unit ``k``
has ``δ_k = (O_k - t_k) O_k (1 - O_k)`` and the weight into it gets ``∂E/∂w_jk = O_j δ_k``;
a hidden unit ``j`` has ``δ_j = O_j (1 - O_j) Σ_k δ_k w_jk``, and so on down.  You write both
backward passes yourself (autograd is refused in them), then let autograd and Adam find a
minimum of Himmelblau's function, as the notes' 2-D optimisation example does.
"""

from __future__ import annotations

from collections.abc import Callable

import torch


def perceptron_backward(
    X: torch.Tensor, W: torch.Tensor, T: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """The error of a single-layer sigmoid perceptron and its gradient, by hand.

    ``X`` is ``(N, D)`` (``N`` examples of ``D`` inputs), ``W`` is ``(K, D)`` (``K`` output
    units), ``T`` is ``(N, K)`` (the targets).  The outputs are ``O = sigmoid(X @ W.T)``,
    the error ``E = sum((O - T)^2) / 2`` over all elements (a 0-dim tensor), and
    ``dW = ∂E/∂W``, of ``W``'s shape::

        δ = (O - T) * O * (1 - O)        (N, K): the delta rule
        dW = δ.T @ X                      (K, D): Σ_n δ[n, k] X[n, d]

    The ``1/2`` is there so that the 2 of the square's derivative cancels: the gradient of
    ``F.mse_loss(O, T)`` (a mean, without the 1/2) is ``2 / (N K)`` times this one.
    ``ValueError`` if the shapes do not fit.  Autograd, ``F.mse_loss`` and ``nn.MSELoss``
    are not allowed.
    """
    ### BEGIN SOLUTION
    if X.dim() != 2 or W.dim() != 2 or T.dim() != 2:
        raise ValueError("X, W and T must be matrices")
    if W.shape[1] != X.shape[1] or T.shape != (X.shape[0], W.shape[0]):
        raise ValueError(
            f"shapes do not fit: X {tuple(X.shape)}, W {tuple(W.shape)}, T {tuple(T.shape)}"
        )
    out = torch.sigmoid(X @ W.T)  # O in the formulas
    E = ((out - T) ** 2).sum() / 2
    delta = (out - T) * out * (1 - out)
    dW = delta.T @ X
    return E, dW
    ### END SOLUTION


def mlp_backward(
    X: torch.Tensor, T: torch.Tensor, W1: torch.Tensor, W2: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The error of a two-layer sigmoid network and the gradients of both weights, by hand.

    ``X`` is ``(N, I)``, ``W1`` is ``(J, I)``, ``W2`` is ``(K, J)``, ``T`` is ``(N, K)``;
    no biases.  Forward: ``H = sigmoid(X @ W1.T)`` (``N, J``), ``O = sigmoid(H @ W2.T)``
    (``N, K``), ``E = sum((O - T)^2) / 2``.  Backward, the delta rule of the notes (§7.4)::

        δK = (O - T) * O * (1 - O)        (N, K)
        dW2 = δK.T @ H                    (K, J)
        δJ = H * (1 - H) * (δK @ W2)      (N, J): each hidden unit collects Σ_k δ_k w_jk
        dW1 = δJ.T @ X                    (J, I)

    Returns ``(E, dW1, dW2)``.  ``ValueError`` if the shapes do not fit.  Autograd,
    ``F.mse_loss`` and ``nn.MSELoss`` are not allowed.
    """
    ### BEGIN SOLUTION
    if any(t.dim() != 2 for t in (X, T, W1, W2)):
        raise ValueError("X, T, W1 and W2 must be matrices")
    N, num_inputs = X.shape
    J, K = W1.shape[0], W2.shape[0]
    if W1.shape[1] != num_inputs or W2.shape[1] != J or T.shape != (N, K):
        raise ValueError(
            f"shapes do not fit: X {tuple(X.shape)}, T {tuple(T.shape)}, "
            f"W1 {tuple(W1.shape)}, W2 {tuple(W2.shape)}"
        )
    H = torch.sigmoid(X @ W1.T)
    out = torch.sigmoid(H @ W2.T)  # O in the formulas
    E = ((out - T) ** 2).sum() / 2
    delta_K = (out - T) * out * (1 - out)
    dW2 = delta_K.T @ H
    delta_J = H * (1 - H) * (delta_K @ W2)
    dW1 = delta_J.T @ X
    return E, dW1, dW2
    ### END SOLUTION


def himmelblau(P: torch.Tensor) -> torch.Tensor:
    """Himmelblau's function ``f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2``.

    ``P`` has shape ``(..., 2)``: ``x = P[..., 0]`` and ``y = P[..., 1]``, so one call
    evaluates a whole grid of points (the result has shape ``P.shape[:-1]``).  Its four
    minima are all 0: at ``(3, 2)``, ``(-2.805118, 3.131312)``, ``(-3.779310, -3.283186)``
    and ``(3.584428, -1.848126)``.

    >>> himmelblau(torch.tensor([[3.0, 2.0], [0.0, 0.0]]))
    tensor([  0., 170.])

    Differentiable (``minimize`` backpropagates through it).  ``ValueError`` if the last
    dimension of ``P`` is not 2.
    """
    ### BEGIN SOLUTION
    if P.dim() == 0 or P.shape[-1] != 2:
        raise ValueError(f"himmelblau needs points of shape (..., 2), got {tuple(P.shape)}")
    x, y = P[..., 0], P[..., 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
    ### END SOLUTION


def minimize(
    f: Callable[[torch.Tensor], torch.Tensor],
    x0: torch.Tensor,
    lr: float = 1e-3,
    steps: int = 20000,
) -> tuple[torch.Tensor, float]:
    """Minimise ``f`` from ``x0`` with Adam, as the notes' 2-D optimisation example does.

    Work on a copy of ``x0`` that requires grad (``x0`` itself, and its ``.grad``, stay as
    they are), make ``torch.optim.Adam([x], lr=lr)``, and take ``steps`` steps, each one::

        optimizer.zero_grad()   # or the gradients of all steps add up
        f(x).backward()
        optimizer.step()

    Return the final point, detached, with ``x0``'s shape, dtype and device, and ``f``
    there as a Python float.  From ``(0, 0)`` with the defaults, Himmelblau's function ends
    within 1e-3 of its minimum ``(3, 2)``.  ``ValueError`` if ``steps < 0``.
    """
    ### BEGIN SOLUTION
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    x = x0.detach().clone().requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        f(x).backward()
        optimizer.step()
    x = x.detach()
    with torch.no_grad():
        fx = float(f(x))
    return x, fx
    ### END SOLUTION
