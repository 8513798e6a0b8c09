"""The fast path of expect_tensor never accepts what torch.testing.assert_close refuses."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.grading.expect import DEFAULT_TOLERANCES, _close

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit

DTYPES = [torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int64, torch.bool]


def assert_close_accepts(got, expected, rtol=None, atol=None) -> bool:
    try:
        torch.testing.assert_close(
            got, expected, rtol=rtol, atol=atol, equal_nan=True, check_device=False
        )
    except AssertionError:
        return False
    return True


def test_tolerance_table_is_assert_closes():
    from torch.testing._comparison import default_tolerances

    for dtype, tolerances in DEFAULT_TOLERANCES.items():
        assert default_tolerances(torch.zeros(1, dtype=dtype)) == tolerances


values = st.lists(
    st.one_of(
        st.floats(-1e4, 1e4, width=32),
        st.sampled_from([0.0, float("nan"), float("inf"), -float("inf"), 1e-6]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    values,
    st.lists(st.floats(-1e-4, 1e-4), min_size=6, max_size=6),
    st.sampled_from(DTYPES),
    st.sampled_from([None, (0.0, 0.0), (1e-3, 1e-6)]),
)
def test_fast_path_accepts_only_what_assert_close_accepts(expected, noise, dtype, tolerances):
    rtol, atol = tolerances if tolerances is not None else (None, None)
    base = torch.tensor(expected, dtype=torch.float64)
    jitter = torch.tensor(noise[: len(expected)], dtype=torch.float64) * base.abs().clamp(max=1e3)
    want = base.to(dtype)
    got = (base + jitter).to(dtype)
    if _close(got, want, rtol, atol):
        assert assert_close_accepts(got, want, rtol, atol)
    assert _close(want.clone(), want, rtol, atol)  # equal values pass, NaN included


@pytest.mark.parametrize("dtype", DTYPES)
def test_fast_path_refuses_a_clear_difference(dtype):
    want = torch.tensor([1, 0, 1], dtype=dtype)
    got = torch.tensor([0, 0, 1], dtype=dtype)
    assert not _close(got, want, None, None)
    assert not assert_close_accepts(got, want)
