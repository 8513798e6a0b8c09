"""The tiers of a "stays on its device" check (grading/properties.py), as the checks use them."""

from __future__ import annotations

import pytest
import torch

from autograder.engine.protocol import Placed
from autograder.grading.properties import DeviceTier, cuda_available, device_tiers

pytestmark = pytest.mark.unit


def test_the_tiers_are_the_default_device_trap_meta_and_cuda_where_present():
    tiers = device_tiers()
    assert tiers[:2] == [DeviceTier("cpu", None, "meta"), DeviceTier("meta", "meta", None)]
    assert [t.wanted for t in tiers[2:]] == (["cuda"] if cuda_available() else [])


def test_a_tier_places_inputs_and_says_the_call():
    trap, meta = device_tiers()[:2]
    value = torch.ones(2)
    assert trap.place(value) is value
    placed = meta.place(value)
    assert isinstance(placed, Placed) and placed.device == "meta"
    assert trap.said("f(x)") == "f(x) with default device meta"
    assert meta.said("f(x)") == "f(x) with the parameters on meta"
