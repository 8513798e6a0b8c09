"""batch_norm.py: the tolerances hold for correct float32 arithmetic and judge only what
they say; the layer's forward runs under the exercise's rules in the runner (forbidden calls
refused, batch_norm's oracle lent, never the reference's); torch's layers agree with the
reference."""

from __future__ import annotations

import types

import pytest
import torch
from torch import nn

from autograder.engine.runner import ForbiddenCallError, HelperCache, guard
from autograder.exercises.batch_norm import checks, probes
from autograder.grading.lending import lending_for
from autograder.grading.registry import load_assignment
from autograder.grading.truth import GroundTruth
from autograder_solutions import batch_norm as reference


def grid_case(generator: torch.Generator, rank: int) -> dict:
    """A case like the checks' strategy makes: multiples of 1/8, often nearly constant
    channels (the worst case for float32's rounding)."""
    C = int(torch.randint(1, 5, (), generator=generator))
    if rank == 2:
        shape = (int(torch.randint(2, 7, (), generator=generator)), C)
    else:
        n, h, w = (int(torch.randint(1, 4, (), generator=generator)) for _ in range(3))
        shape = (n, C, h, max(w, 2) if n * h * w < 2 else w)
    X = torch.randint(-32, 33, shape, generator=generator).float()
    if torch.rand((), generator=generator) < 0.5:  # a nearly constant batch
        X = X[:1].expand(shape) + torch.randint(-1, 2, shape, generator=generator)
    stats = [torch.randint(-16, 17, (C,), generator=generator).float() / 8 for _ in range(3)]
    running_var = torch.randint(1, 33, (C,), generator=generator).float() / 8
    eps = (1e-5, 1e-3, 0.25)[int(torch.randint(0, 3, (), generator=generator))]
    return {
        "X": X / 8,
        "gamma": stats[0],
        "beta": stats[1],
        "running_mean": stats[2],
        "running_var": running_var,
        "eps": eps,
    }


def naive(case: dict) -> torch.Tensor:
    """Training-mode Y with the variance as E[x**2] - E[x]**2."""
    X = case["X"]
    dims = checks.channel_dims(X)
    mean = X.mean(dim=dims, keepdim=True)
    var = (X * X).mean(dim=dims, keepdim=True) - mean * mean
    shape = [1, -1] + [1] * (X.dim() - 2)
    gamma, beta = case["gamma"].view(shape), case["beta"].view(shape)
    return gamma * (X - mean) / torch.sqrt(var + case["eps"]) + beta


@pytest.mark.parametrize("rank", [2, 4])
def test_float32_on_the_grid_is_within_the_tolerances(rank):
    """A correct float32 result is within what recognising a mistake asks (so a known
    mistake's explanation is never missed for rounding), and E[x**2] - E[x]**2 within the
    value checks' float32 tolerance (so only the stability check judges it)."""
    generator = torch.Generator().manual_seed(rank)
    for _ in range(500):
        case = grid_case(generator, rank)
        args = [case[name] for name in ("X", "gamma", "beta", "running_mean", "running_var")]
        wide = reference.batch_norm(*(a.double() for a in args), True, eps=case["eps"])[0]
        narrow = reference.batch_norm(*args, True, eps=case["eps"])[0]
        assert checks.within(narrow, wide, None), case
        assert checks.within(naive(case), wide, torch.float32), case


def test_the_stability_check_separates_two_passes_from_the_naive_variance():
    X = checks.OFFSET_X
    ones, zeros = torch.ones(3), torch.zeros(3)
    wide = reference.batch_norm(
        X.double(), ones.double(), zeros.double(), zeros.double(), ones.double(), True
    )
    two_pass = reference.batch_norm(X, ones, zeros, zeros, ones, True)
    assert (two_pass[0].double() - wide[0]).abs().max() < 0.05 / 10
    assert ((two_pass[2].double() - wide[2]).abs() / wide[2]).max() < 0.05 / 10
    Y = naive({"X": X, "gamma": ones, "beta": zeros, "eps": 1e-5})
    assert not (Y.double() - wide[0]).abs().max() < 0.05  # nan or far off


@pytest.mark.parametrize("rank", [2, 4])
def test_torchs_layer_and_the_reference_layer_take_the_same_steps(rank):
    steps = checks.RUNNING_2D if rank == 2 else checks.EVAL_4D
    steps = [dict(step, backward=True) for step in steps]
    expected = checks.expected_steps(rank, steps)
    layer = reference.BatchNorm(checks.C, rank)
    probes._load(layer, checks.STATE)
    got = probes.run_steps(layer, steps, layer, {"gamma": "gamma", "beta": "beta"})
    for mine, theirs in zip(got, expected):
        torch.testing.assert_close(mine["output"], theirs["output"], rtol=1e-5, atol=1e-5)
        for name in probes.STATISTICS:
            torch.testing.assert_close(mine[name]["value"], theirs[name]["value"])
        for name in ("X", "gamma", "beta"):
            torch.testing.assert_close(mine["grads"][name], theirs["grads"][name])


# A student module: a batch_norm that gives zeros, and a layer whose forward calls it, or
# torch's batch norm by a name built at run time.
STUDENT = """
import torch
import torch.nn.functional as F
from torch import nn


def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    return torch.zeros_like(X), running_mean, running_var


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims, built=False):
        super().__init__()
        self.built = built
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, X):
        if self.built:
            return getattr(F, "batch" + "_norm")(
                X, self.running_mean, self.running_var, self.gamma, self.beta, self.training
            )
        Y, mean, var = batch_norm(
            X, self.gamma, self.beta, self.running_mean, self.running_var, self.training
        )
        return Y
"""


def lent_to_the_layer() -> dict:
    """What the judge lends ``BatchNorm``'s runner, from the exercise's declaration."""
    assignment = load_assignment("batch_norm")
    exercise = next(e for e in assignment.exercises if e.name == "BatchNorm")
    lending = lending_for(assignment, exercise, GroundTruth("reference").for_assignment(assignment))
    assert lending is not None and lending.oracle is not None
    return {"oracle": lending.oracle}


def test_the_layer_is_lent_batch_norms_oracle_and_nothing_of_its_own():
    """``BatchNorm`` declares ``batch_norm``: its runner gets that oracle (public code),
    never the class's oracle (the answer it is graded on) nor any reference code."""
    lent = lent_to_the_layer()
    assert lent["oracle"]["names"] == ["batch_norm"]
    source = lent["oracle"]["source"]
    assert "class BatchNorm" not in source
    assert "autograder_solutions" not in source


def guarded_layer() -> tuple[types.ModuleType, object]:
    module = types.ModuleType("student")
    exec(compile(STUDENT, "<student>", "exec"), module.__dict__)  # noqa: S102 - our own text
    layer = guard(
        module.BatchNorm,
        forbidden=list(checks.FORBIDDEN),
        namespaces=[vars(module)],
        module=module,
        lent=lent_to_the_layer(),
        oracles=HelperCache(),
        default_device=None,
    )
    return module, layer


def test_the_layers_forward_gets_the_lent_batch_norm():
    module, layer = guarded_layer()
    steps = checks.TRAIN_2D[:1]
    got = probes.layer_task(layer, [checks.C, 2], "steps", steps=steps, state=checks.STATE)
    expected = checks.expected_steps(2, steps)
    torch.testing.assert_close(got["result"][0]["output"], expected[0]["output"])
    assert module.batch_norm(torch.ones(2, 1), *[torch.ones(1)] * 4, True)[0].sum() == 0


def test_a_forbidden_call_in_forward_is_refused_however_it_is_named():
    _, layer = guarded_layer()
    with pytest.raises(ForbiddenCallError, match="batch_norm"):
        probes.layer_task(layer, [checks.C, 2, True], "steps", steps=checks.TRAIN_2D[:1])
    outside = probes.layer_task(
        lambda *ctor: layer.__wrapped__(*ctor),
        [checks.C, 2, True],
        "steps",
        steps=checks.TRAIN_2D[:1],
    )
    assert isinstance(outside["result"][0]["output"], torch.Tensor)  # nothing refused it


def test_a_layer_made_of_torchs_own_is_what_the_checks_expect():
    layer = checks.torch_layer(4)
    assert isinstance(layer, nn.BatchNorm2d)
    torch.testing.assert_close(layer.weight.detach(), checks.STATE["gamma"])
