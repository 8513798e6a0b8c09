"""Hostile: the runner's probe rewritten to report no gradients at all.

``gather`` is made non-differentiable (its result is detached), and the probe that reports
the gradients of a call answers with an empty list of them: a judge that compared the
gradients it got, pair by pair, compared none and let the check pass.  The probe's module
is named at run time (see encoder_without_values.py).  Spliced into the tensors solution:
nothing of it is replaced, ``gather`` is rebound at the end.
"""

import sys

_calls = sys.modules[".".join(["autograder", "engine", "cal" + "ls"])]
_call = _calls.call


def _without_gradients(function, *args, **kwargs):
    answer = _call(function, *args, **kwargs)
    if "grads" in answer:
        answer["grads"] = []
    return answer


_calls.call = _without_gradients
_graded = gather  # noqa: F821 - the solution's, defined above once spliced


def _detached(input, dim, index):
    return _graded(input, dim, index).detach()


gather = _detached
