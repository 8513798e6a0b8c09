"""optimization.py: the reference and the kit's oracles are torch's own optimiser, scheduler
and clipping, step for step; the checks' fixed cases separate the seeds' mistakes."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.exercises.optimization import checks, oracle, probes
from autograder_solutions import optimization as reference

pytestmark = pytest.mark.unit


def torch_sgd_trajectory(values, grads, lrs, momentum, weight_decay):
    """The parameters after each step of torch.optim.SGD, its lr set before each step."""
    params = [v.clone().requires_grad_(True) for v in values]
    optimizer = torch.optim.SGD(params, lr=lrs[0], momentum=momentum, weight_decay=weight_decay)
    trajectory = []
    for step_grads, lr in zip(grads, lrs):
        for param, grad in zip(params, step_grads):
            param.grad = None if grad is None else grad.clone()
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.step()
        trajectory.append([p.detach().clone() for p in params])
    return trajectory


@pytest.mark.parametrize("implementation", [reference, oracle], ids=["reference", "oracle"])
@pytest.mark.parametrize("momentum", [0.9, 0.0])
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_momentum_steps_are_torch_sgds(implementation, momentum, weight_decay):
    grads = [checks.STEP_GRADS[0], [None, checks.STEP_GRADS[1][1]], checks.STEP_GRADS[2]]
    report = probes.momentum_steps(
        implementation.sgd_momentum_step,
        checks.STEPPED,
        grads,
        checks.CHANGING_LRS,
        momentum,
        weight_decay,
    )
    wanted = torch_sgd_trajectory(
        checks.STEPPED, grads, checks.CHANGING_LRS, momentum, weight_decay
    )
    for step, want in zip(report["steps"], wanted):
        for got, expected in zip(step["params"], want):
            torch.testing.assert_close(got, expected, rtol=1e-6, atol=1e-7)
    assert report["same_params"] and report["leaves"] and report["same_velocities"]
    assert report["velocity_graph"] is False
    # The gradients are the caller's, untouched.
    for step, given_grads in zip(report["steps"], grads):
        for got, set_before in zip(step["grads"], given_grads):
            assert (got is None) == (set_before is None)
            assert got is None or torch.equal(got, set_before)


def test_the_notes_momentum_form_differs_only_when_the_rate_changes():
    """v = momentum * v - lr * g; p += v is torch's form at a constant rate: the checks need
    the rate to change (CHANGING_LRS) to tell them apart."""
    args = (checks.STEPPED, checks.STEP_GRADS)
    constant = checks.momentum_form("lr_inside", *args, [0.1] * 3, 0.9, 0.0)
    for got, want in zip(constant, torch_sgd_trajectory(*args, [0.1] * 3, 0.9, 0.0)):
        for g, w in zip(got, want):
            torch.testing.assert_close(g.float(), w)
    changing = checks.momentum_form("lr_inside", *args, checks.CHANGING_LRS, 0.9, 0.0)
    torch_run = torch_sgd_trajectory(*args, checks.CHANGING_LRS, 0.9, 0.0)
    assert not torch.allclose(changing[-1][0].float(), torch_run[-1][0])


@pytest.mark.parametrize("implementation", [reference, oracle], ids=["reference", "oracle"])
def test_step_lr_is_steplr_over_the_seeds_hundred_epochs(implementation):
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.05)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        rate = implementation.step_lr(0.05, epoch, 30, 0.1)
        assert type(rate) is float
        assert math.isclose(rate, optimizer.param_groups[0]["lr"], rel_tol=1e-12)
        optimizer.step()
        scheduler.step()


def test_the_boundary_epochs_separate_early_and_late_decay():
    """The boundary check's epochs give a different rate under both off-by-one schedules."""
    for _, size, _ in ((0.05, 30, 0.1), (1.0, 3, 0.5), (0.1, 1, 0.5)):
        exponents = {
            name: [exponent(epoch, size) for epoch in (size - 1, size)]
            for name, (exponent, _) in checks.SCHEDULE_FORMS.items()
        }
        right = [(size - 1) // size, 1]
        assert exponents["early"] != right and exponents["late"] != right


@settings(max_examples=300, deadline=None, database=None)
@given(
    checks.metric_runs(max_size=14),
    st.integers(0, 4),
    st.sampled_from(("min", "max")),
    st.sampled_from((0.0, 0.25, 0.5)),
)
def test_the_oracles_early_stopping_is_the_references(metrics, patience, mode, min_delta):
    """ReduceLROnPlateau's bookkeeping (the kit's EarlyStopping) decides as the reference
    does, call by call, on generated curves: plateaus, ties at exactly min_delta, both
    modes, patience 0."""
    got = probes.stopping(oracle.EarlyStopping, metrics, patience, mode, min_delta)
    want = probes.stopping(reference.EarlyStopping, metrics, patience, mode, min_delta)
    assert got == want


def test_metrics_are_exact_quarters():
    """Ties at exactly min_delta are ties: every metric the checks generate, and every
    best - min_delta, is a multiple of 1/4 that floating point holds exactly."""

    @settings(max_examples=100, deadline=None, database=None)
    @given(checks.metric_runs(), st.sampled_from((0.25, 0.5)))
    def exact(metrics, min_delta):
        for metric in metrics:
            assert (metric * 4).is_integer() and ((metric - min_delta) * 4).is_integer()

    exact()


@pytest.mark.parametrize("implementation", [reference, oracle], ids=["reference", "oracle"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_clipping_is_clip_grad_norms(implementation, dtype):
    values = [v.to(dtype) for v in checks.DIRECTION_VALUES]
    grads = [g.to(dtype) for g in checks.DIRECTION_GRADS]
    for max_norm in (5.0, 1e3):
        report = probes.clipping(implementation.clip_grad_norm, values, grads, max_norm)
        params = [v.clone().requires_grad_(True) for v in values]
        for param, grad in zip(params, grads):
            param.grad = grad.clone()
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
        assert report["kind"] == "float"
        assert math.isclose(report["result"], float(norm), rel_tol=1e-6)
        for got, param in zip(report["grads"], params):
            torch.testing.assert_close(got, param.grad)
        assert all(report["in_place"])


@pytest.mark.parametrize("implementation", [reference, oracle], ids=["reference", "oracle"])
def test_no_gradient_no_norm(implementation):
    report = probes.clipping(implementation.clip_grad_norm, checks.NONE_VALUES, [None] * 3, 1.0)
    assert report["result"] == 0.0 and report["kind"] == "float"
    assert report["grads"] == [None, None, None]


def test_a_generator_is_read_once():
    params = [torch.zeros(2, requires_grad=True)]
    params[0].grad = torch.tensor([30.0, 40.0])
    norm = reference.clip_grad_norm((p for p in params), 5.0)
    assert norm == 50.0
    assert math.isclose(float(params[0].grad.norm()), 5.0, rel_tol=1e-6)


def test_clamping_each_value_is_told_apart_from_scaling():
    """The direction check's gradients: clamping each value to max_norm gives factors that
    differ, one common factor does not."""
    clamped = [g.clamp(-5.0, 5.0) for g in checks.DIRECTION_GRADS]
    factors = torch.cat([(c / g).reshape(-1) for c, g in zip(clamped, checks.DIRECTION_GRADS)])
    assert not torch.allclose(factors, factors[0].expand_as(factors))


# -- what the judge accepts from the probes (autograder.engine.answers) ---------------------------
def _judged(probe, *args, **options):
    """The answer ``probe`` gives on the reference, after the wire, checked against what a
    request with these arguments asks of it."""
    from autograder.engine import protocol
    from autograder.engine.answers import asked_by_call, check_answer

    name = f"autograder.exercises.optimization.probes:{probe}"
    function = {
        "momentum_steps": reference.sgd_momentum_step,
        "stopping": reference.EarlyStopping,
        "clipping": reference.clip_grad_norm,
        "schedule": reference.step_lr,
    }[probe]
    answer = protocol.loads(protocol.dumps(getattr(probes, probe)(function, *args, **options)))
    asked = asked_by_call(name, args, {}, options, (), None)
    return answer, lambda value: check_answer({"ok": value}, asked)


@pytest.mark.parametrize(
    ("probe", "args"),
    [
        (
            "momentum_steps",
            ([torch.ones(2), torch.ones(3)], [[torch.ones(2), None]] * 2, [0.1, 0.2]),
        ),
        ("stopping", ([1.0, 0.75, 1.0], 1)),
        ("clipping", ([torch.ones(2), torch.ones(3)], [torch.ones(2) * 9, None], 1.0)),
        ("schedule", (1.0, [0, 1, 2], 2)),
    ],
)
def test_each_probe_declares_its_report_exactly(probe, args):
    """The reference's report is accepted; one field more, or one item short, is malformed."""
    from autograder.engine.answers import MalformedAnswer

    answer, judge = _judged(probe, *args)
    judge(answer)
    with pytest.raises(MalformedAnswer):
        judge({**answer, "extra": True})
    with pytest.raises(MalformedAnswer):
        judge(
            {**answer, "result": answer["result"][:-1]}
            if isinstance(answer["result"], list)
            else {k: v for k, v in answer.items() if k != "result"}
        )
