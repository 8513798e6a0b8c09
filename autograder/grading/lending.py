"""What the runner lends a graded function built on other exercises, judge side.

An exercise declares the exercises it is built on (``lends``, see
:class:`autograder.grading.model.Exercise`); while it is graded, each of them is replaced in
the runner by a stand-in, so that a mistake in a helper costs points only in the helper.
The declaration alone decides what is lent, never what the submission names; and nothing
confidential is sent: no reference code, ever.

- A helper the assignment's oracle module defines (``oracle.py``: public, the student
  kit's ground truth, built on torch's own function) is lent as that oracle: its source,
  cut down to the lent functions, is compiled in the runner.
- Any other helper (the training loop's: no library function trains an epoch) is lent as
  a recorded-effect double (:mod:`autograder.engine.lending`): before each call of the
  graded function, the judge runs the reference graded function on the same inputs, under
  the same probe and seed, and records every call it makes of the helper (arguments, the
  state of the modules before and after, the answer).  Only that data is sent.  The
  student kit, which holds no reference, sends the data recorded when it was built (see
  :meth:`autograder.grading.truth.Truth.answer`): the same doubles in both gradings.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch

from autograder.engine import protocol
from autograder.engine.lending import (
    Graded,
    describe_arguments,
    module_state,
    parameters_of,
)
from autograder.engine.runner import DEFAULT_PROBE, load_probe
from autograder.grading.model import Assignment, Exercise
from autograder.grading.scan import oracle_subset
from autograder.grading.truth import Truth


@dataclass(frozen=True)
class Lending:
    """What one exercise's runner is lent: oracles (fixed) and recorded doubles (per call)."""

    exercise: str
    oracle: dict[str, Any] | None
    recorded: tuple[str, ...]
    truth: Truth

    def for_call(
        self,
        *,
        probe: str | None,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        options: dict[str, Any] | None,
        seed: int,
        default_device: str | None,
    ) -> dict[str, Any]:
        """The ``lent`` part of a call request (see :func:`autograder.engine.runner.guard`)."""
        lent: dict[str, Any] = {}
        if self.oracle is not None:
            lent["oracle"] = self.oracle
        if self.recorded:
            question = ("lent", self.exercise, probe, args, kwargs, options, seed, default_device)
            lent["recorded"] = self.truth.answer(
                question,
                lambda: record_effects(
                    self.truth.module,
                    self.exercise,
                    self.recorded,
                    probe=probe,
                    args=args,
                    kwargs=kwargs,
                    options=options or {},
                    seed=seed,
                    default_device=default_device,
                ),
            )
        return lent


def lending_for(assignment: Assignment, exercise: Exercise, truth: Truth) -> Lending | None:
    """How ``exercise``'s declared helpers are lent (None: it is built on none)."""
    if not exercise.lends:
        return None
    oracles = importlib.import_module(assignment.oracle_module)
    by_oracle = {name for name in exercise.lends if callable(getattr(oracles, name, None))}
    oracle = None
    if by_oracle:
        exercises = {e.name for e in assignment.exercises}
        source = oracle_subset(inspect.getsource(oracles), by_oracle, exercise.name, exercises)
        oracle = {"source": source, "names": sorted(by_oracle)}
    recorded = tuple(name for name in exercise.lends if name not in by_oracle)
    return Lending(exercise.name, oracle, recorded, truth)


def record_effects(
    reference: ModuleType,
    function: str,
    helpers: tuple[str, ...],
    *,
    probe: str | None,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: dict[str, Any],
    seed: int,
    default_device: str | None,
) -> dict[str, Any]:
    """Run the reference ``function`` as the runner will run the student's (same probe,
    inputs as they arrive there, seed) and record every call it makes of ``helpers``.

    Returns ``{"helpers": {name: parameters}, "calls": [...]}``, the data of
    :class:`autograder.engine.lending.RecordedDouble`.  A reference that raises ends the
    record there (the calls so far are kept; a helper's exception is one of them).
    """
    # The inputs exactly as the runner decodes them.
    sent = protocol.loads(protocol.dumps([list(args), dict(kwargs), dict(options)]))
    args_there, kwargs_there, options_there = protocol.to_runner_value(sent)
    calls: list[dict[str, Any]] = []
    graded: list[Graded] = []
    originals = {name: getattr(reference, name) for name in helpers}
    graded_function = getattr(reference, function)

    def graded_call(*call_args: Any, **call_kwargs: Any) -> Any:
        graded.append((call_args, call_kwargs))
        return graded_function(*call_args, **call_kwargs)

    recorders = {
        name: _recording(name, helper, calls, graded) for name, helper in originals.items()
    }
    with (
        _bound(reference, recorders),
        torch.random.fork_rng(devices=[]),
        torch.device(default_device) if default_device else contextlib.nullcontext(),
    ):
        torch.manual_seed(seed)
        # The reference's own failure (the check's inputs may ask for one) ends the record.
        with contextlib.suppress(Exception):
            load_probe(probe or DEFAULT_PROBE)(
                graded_call, *args_there, **kwargs_there, **options_there
            )
    return {"helpers": {n: parameters_of(h) for n, h in originals.items()}, "calls": calls}


def _recording(
    name: str, helper: Callable[..., Any], calls: list[dict[str, Any]], graded: list[Graded]
) -> Callable[..., Any]:
    """``helper``, recording each call the graded function makes of it (not the calls the
    helpers make of each other, which a double never makes)."""
    signature = inspect.signature(helper)

    @functools.wraps(helper)
    def recorded(*args: Any, **kwargs: Any) -> Any:
        if not graded or any(call.get("running") for call in calls):
            return helper(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        modules = {
            key: value
            for key, value in bound.arguments.items()
            if isinstance(value, torch.nn.Module)
        }
        call: dict[str, Any] = {
            "helper": name,
            # A one-shot iterator stays unread here: the reference helper reads it.
            "arguments": describe_arguments(dict(bound.arguments), graded[-1], read_one_shot=False),
            "before": {key: module_state(module) for key, module in modules.items()},
            "running": True,
        }
        calls.append(call)
        try:
            answer = helper(*args, **kwargs)
        except Exception as error:
            call["raised"] = {"type": type(error).__name__, "message": str(error)[:2000]}
            raise
        else:
            call["answer"] = answer
            return answer
        finally:
            del call["running"]
            call["after"] = {key: module_state(module) for key, module in modules.items()}
            call["training"] = {key: module.training for key, module in modules.items()}

    return recorded


@contextlib.contextmanager
def _bound(module: ModuleType, names: dict[str, Any]) -> Iterator[None]:
    """``names`` bound in ``module`` for a while (the reference's globals its code reads)."""
    saved = {name: getattr(module, name) for name in names}
    try:
        for name, value in names.items():
            setattr(module, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)
