"""cnn_architectures.py: the checks' functional nets are torch's modules; a correct net
however it is built trains along the reference's path, far inside the thresholds; layer
shapes seen with and without hooks agree."""

from __future__ import annotations

import importlib.util

import pytest
import torch
from torch import nn

from autograder.exercises.cnn_architectures import checks, probes
from autograder_solutions import cnn_architectures as reference
from tests.gradelib import correct_files


def variant(name: str):
    """A correct variant of tests/correct/cnn_architectures/ as a module."""
    path = next(p for p in correct_files("cnn_architectures") if p.stem == name)
    spec = importlib.util.spec_from_file_location(f"variant_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_functional_lenet_is_the_reference_with_the_same_parameters():
    net = reference.lenet()
    assert probes.load_by_shape(net, checks.LENET_STATE) == 0
    assert sum(p.numel() for p in net.parameters()) == 61706
    torch.testing.assert_close(
        net(checks.LENET_X), checks.lenet_logits(checks.LENET_X, checks.LENET_STATE)
    )


def test_the_functional_vgg_block_is_the_reference():
    block = reference.vgg_block(*checks.VGG_ARGS)
    parameters = {n: p.detach() for n, p in block.named_parameters()}
    torch.testing.assert_close(block(checks.VGG_X), checks.vgg_expected(parameters, checks.VGG_X))


@pytest.mark.parametrize("name", sorted(checks.CONFIGS))
@pytest.mark.parametrize("training", [True, False])
def test_the_functional_residual_block_is_the_reference(name, training):
    args = checks.CONFIGS[name]
    block = reference.Residual(*args)
    state = checks.residual_state(args, 310)
    assert probes.load_by_name(block, state) == []
    block.train(training)
    X = checks.RESIDUAL_X[name]
    torch.testing.assert_close(
        block(X), checks.residual_expected(args, state, X, training), rtol=1e-5, atol=1e-5
    )
    assert list(block(X).shape) == checks.residual_output_shape(args, tuple(X.shape))


@pytest.mark.parametrize("name", ["own_modules", "named_layers"])
def test_a_correct_net_built_otherwise_trains_along_the_references_path(name):
    """The training checks' argument: from the same loaded parameters a correct net takes
    the reference's steps up to rounding, and the reference is far below the thresholds."""
    other = variant(name)
    for build, args, state, data, ratio in (
        ("lenet", [], checks.LENET_STATE, checks.LENET_DATA, 0.6),
        ("Residual", checks.RESIDUAL_TRAIN, None, checks.RESIDUAL_DATA, 0.7),
    ):
        state = state if state is not None else checks.residual_state(args, 330)
        mine = probes.net_task(getattr(reference, build), args, "train", state=state, data=data)
        theirs = probes.net_task(getattr(other, build), args, "train", state=state, data=data)
        losses = mine["result"]["losses"]
        assert losses[-1] < ratio * losses[0] / 1.5
        torch.testing.assert_close(
            torch.tensor(theirs["result"]["losses"]), torch.tensor(losses), rtol=1e-4, atol=1e-5
        )


def test_layer_shapes_with_hooks_and_without_agree():
    seen = probes.run_layers(lambda: None, reference.lenet(), checks.LENET_X)
    assert not seen["hooked"] and checks.shapes_of(seen) == checks.LENET_SHAPES
    hooked = probes.run_layers(lambda: None, variant("own_modules").lenet(), checks.LENET_X)
    assert hooked["hooked"] and checks.follows(checks.shapes_of(hooked), checks.LENET_SHAPES)


def test_follows_takes_leaving_out_but_not_reordering_or_stopping_early():
    wanted = checks.LENET_SHAPES
    assert checks.follows([(6, 28, 28), (16, 10, 10), (120,), (84,), (10,)], wanted)
    assert not checks.follows([(16, 10, 10), (6, 28, 28), (10,)], wanted)
    assert not checks.follows([(6, 28, 28), (16, 10, 10)], wanted)
    assert not checks.follows([(6, 24, 24), (10,)], wanted)
    assert not checks.follows([], wanted)


def test_a_net_that_fails_midway_is_reported_with_the_failing_layer():
    net = nn.Sequential(nn.Flatten(), nn.Linear(5, 2))
    seen = probes.run_layers(lambda: None, net, torch.zeros(3, 2, 2))
    assert seen["error"].startswith("RuntimeError")
    assert seen["layers"][-1] == {"layer": probes.describe_layer(net[1]), "shape": None}
