"""Assignment 10: derivatives by hand — activations, softmax, cross-entropy, Huber's loss.

Autograd computes gradients for us (``loss.backward()``, ``torch.autograd.grad``), but every
number it gives comes from a derivative someone wrote down.  Here you write them down
yourself, as the course notes derive them (PyTorch course §6), and check them against
autograd: the derivatives of sigmoid, tanh and ReLU, the Jacobian of softmax,
``dp_i/da_j = p_i (δ_ij - p_j)``, the gradient of the cross-entropy of the logits,
``(softmax(o) - one_hot(y)) / N``, and Huber's robust loss, which joins the L2 loss near 0
to the L1 loss further out.

"By hand" means without autograd: in this module ``backward``, ``torch.autograd.*``,
``torch.func.*`` (``torch.vmap`` too) and torch's own backward operators are refused.
``torch.sigmoid``, ``torch.tanh``, ``torch.softmax`` and ``torch.no_grad`` are fine.
"""

from __future__ import annotations

import torch

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")


def activation_grad(X: torch.Tensor, name: str, negative_slope: float = 0.01) -> torch.Tensor:
    """The derivative of the activation ``name`` at every element of ``X``.

    - ``"sigmoid"``: ``σ(x) = 1 / (1 + e^{-x})`` has ``σ'(x) = σ(x) (1 - σ(x))``;
    - ``"tanh"``: ``tanh'(x) = 1 - tanh(x)^2``;
    - ``"relu"``: 1 where ``x > 0``, else 0 — also at exactly 0 (the notes write 1 for
      ``x >= 0``; autograd, and this exercise, take 0 there);
    - ``"leaky_relu"``: 1 where ``x > 0``, else ``negative_slope``.

    >>> activation_grad(torch.tensor([-1.0, 0.0, 2.0]), "relu")
    tensor([0., 0., 1.])

    Same shape, dtype and device as ``X``, finite for ``|x|`` up to 1e4 (compute σ with
    ``torch.sigmoid``: ``e^{-x} / (1 + e^{-x})^2`` is ``inf / inf`` for ``x = -1e4``).
    Raise ``ValueError`` for any other ``name`` (names are case-sensitive) and for an ``X``
    that is not a floating-point tensor.
    """
    raise NotImplementedError


def softmax_jacobian(a: torch.Tensor) -> torch.Tensor:
    """The Jacobian of softmax at the vector ``a``: ``J[i, j] = ∂p_i / ∂a_j``.

    With ``p = softmax(a)`` the quotient rule gives ``p_i (1 - p_i)`` on the diagonal and
    ``-p_i p_j`` off it; with Kronecker's ``δ_ij`` (1 if ``i == j``, else 0) both read
    ``J[i, j] = p_i (δ_ij - p_j)``, i.e. ``J = diag(p) - p pᵀ``.

    >>> softmax_jacobian(torch.tensor([0.0, 0.0]))
    tensor([[ 0.2500, -0.2500],
            [-0.2500,  0.2500]])

    ``a`` is 1-D of length ``n``; the result is ``(n, n)`` (``(0, 0)`` for an empty ``a``),
    on ``a``'s device and dtype, and finite for entries up to 1e4 in magnitude: subtract the
    maximum before ``exp`` (``torch.softmax`` does).  ``ValueError`` if ``a`` is not 1-D.
    """
    raise NotImplementedError


def cross_entropy_grad(logits: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The mean cross-entropy of ``logits`` against the labels ``y``, and its gradient.

    For a row ``o`` of logits with label ``y``, the loss is ``-log(softmax(o)[y]) =
    logsumexp(o) - o_y`` — mind the minus sign: a probability's log is negative, its
    cross-entropy positive.  The loss returned is the mean over the ``N`` rows, a 0-dim
    tensor, and its gradient with respect to ``logits`` is ``(softmax(logits) -
    one_hot(y)) / N``, of shape ``(N, C)``.

    >>> loss, grad = cross_entropy_grad(torch.tensor([[0.0, 0.0]]), torch.tensor([1]))
    >>> loss, grad
    (tensor(0.6931), tensor([[ 0.5000, -0.5000]]))

    Both must stay finite for logits up to 1e4: ``torch.log(torch.softmax(o))`` underflows
    to ``log(0) = -inf`` for a badly wrong class; write the log-sum-exp with the maximum
    ``m`` taken out, ``logsumexp(o) = m + log(sum(exp(o - m)))``.  ``logits`` is ``(N, C)``
    with ``N >= 1``, ``y`` an ``(N,)`` integer tensor; raise ``ValueError`` if the shapes do
    not fit or a label is outside ``[0, C)``.  ``cross_entropy``, ``nll_loss``,
    ``log_softmax`` and ``logsumexp`` are not allowed; ``torch.softmax`` is.
    """
    raise NotImplementedError


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, delta: float = 1.0) -> torch.Tensor:
    """Huber's robust loss, element by element (no reduction).

    With the residual ``r = y_hat - y``::

        l(r) = r^2 / 2                    where |r| <= delta
               delta * (|r| - delta / 2)  elsewhere

    Quadratic near 0 (small steps for small errors, like the L2 loss), linear further out
    (bounded steps for outliers, like the L1 loss).  The ``- delta / 2`` joins the two
    pieces: at ``|r| = delta`` both are ``delta^2 / 2``.  The notes write ``|r| - 1/2``,
    which is right for ``delta = 1`` only.

    >>> huber_loss(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]))
    tensor([0.1250, 2.5000])

    ``y_hat`` and ``y`` have the same shape (``ValueError`` if not: no broadcasting), and so
    has the result.  Keep it differentiable (the caller may backpropagate through it).
    ``ValueError`` if ``delta <= 0``.  ``F.huber_loss`` and ``F.smooth_l1_loss`` are not
    allowed.
    """
    raise NotImplementedError
