"""What "by hand" forbids: autograd in every form a runner can reach (SPEC §2, gradients).

An exercise that asks for a derivative by hand forbids these calls, besides its own.  Each
line is one way to let torch differentiate; the runner refuses each however it is reached
(see :mod:`autograder.engine.runner`: the names are replaced, the function mode refuses
copies of them and reads of ``grad_fn``, any torch call under a ``torch.func`` transform,
and the dispatcher guard refuses every backward pass and every aten backward operator), and
the judge's source scan refuses the names as written.  ``torch.no_grad`` and
``torch.enable_grad`` stay allowed: they differentiate nothing.
"""

from __future__ import annotations

AUTOGRAD: tuple[str, ...] = (
    # The backward pass, as the course's notes start it, and the engine under it.
    "torch.Tensor.backward",
    "torch.autograd.backward",
    "torch.autograd.grad",
    "torch.autograd.graph._engine_run_backward",
    "torch.autograd.variable.Variable._execution_engine",
    "torch._C._EngineBase.run_backward",
    # A node of the graph called by hand: grad_fn(grad_output) is its backward.
    "torch.Tensor.grad_fn",
    "torch.Tensor._grad_fn",
    # Jacobians and friends built on the above.
    "torch.autograd.functional.*",
    # Forward-mode AD: dual numbers carry the derivative along.
    "torch.autograd.forward_ad.*",
    "torch._make_dual",
    "torch._unpack_dual",
    # functorch's transforms (grad, vjp, jvp, jacrev, jacfwd, hessian, vmap ...).
    "torch.func.*",
    "torch.vmap",
    # torch's own derivative formulas, the aten backward operators (sigmoid_backward,
    # tanh_backward, threshold_backward, _softmax_backward_data, huber_loss_backward ...).
    "torch.ops.aten.*_backward",
    "torch.ops.aten.*_backward_*",
)
