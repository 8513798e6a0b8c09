"""What a check sees: the student's function (behind the runner), the ground truth, hypothesis.

A check is a plain function ``check(ctx)`` that returns to pass and raises
:class:`CheckFailed` (usually through :meth:`CheckContext.fail` or the ``expect_*``
helpers of :mod:`autograder.grading.expect`) to fail.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import HypothesisException
from hypothesis.internal.conjecture import providers as hypothesis_providers
from hypothesis.internal.constants_ast import Constants

from autograder.engine.session import LiveTransport, ModuleSession, Outcome, Transport
from autograder.grading.config import GradingConfig
from autograder.grading.lending import Lending
from autograder.grading.model import Exercise
from autograder.grading.truth import Truth
from autograder.i18n import T, phrase, translate

# Hypothesis keeps caches (the constants it finds in source code) in ./.hypothesis of the
# working directory: the user's folder. The grader has no example database (see _generate);
# its caches go to a folder of its own in the temporary directory.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / f"autograder-hypothesis-{os.getuid()}")


@contextlib.contextmanager
def examples_from_the_strategies_alone() -> Iterator[None]:
    """Hypothesis draws its examples from the check's strategies and seed alone.

    Hypothesis (6.131 and later) also draws, now and then, constants it finds in the source
    of the "local" modules loaded in the process (any not under site-packages): which ones
    depends on what the process imported before, and on whether the grader is installed or
    checked out.  The same check then drew other examples in ``autograder grade``, in a
    batch's calibration and in a test.  Grading is deterministic: without those constants,
    the examples are the same in every process.  (Its cache of permitted constants is
    emptied on the way in and out, so that nothing drawn outside leaks in, or out.)
    """
    hypothesis_providers.CONSTANTS_CACHE.cache.clear()
    original = hypothesis_providers._get_local_constants
    hypothesis_providers._get_local_constants = Constants
    try:
        yield
    finally:
        hypothesis_providers._get_local_constants = original
        hypothesis_providers.CONSTANTS_CACHE.cache.clear()


class CheckFailed(Exception):
    """A check's verdict: failed, with what a student needs to understand why."""

    def __init__(
        self,
        message: str,
        *,
        input: str | None = None,
        expected: str | None = None,
        got: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.input = input
        self.expected = expected
        self.got = got
        self.hint = hint
        self.shrunk = False  # set when hypothesis shrank the input
        # About the whole function (not implemented), not this check's inputs: a hidden
        # check may show it.
        self.about_the_function = False

    def feedback(self, default_hint: str = "", lang: str = "en") -> str:
        """The feedback text, in English or translated (``lang``; inputs stay as they are)."""
        lines = [phrase(self.message)]
        if self.input is not None:
            if self.shrunk:
                lines.append(T("Smallest failing input: {input}", input=self.input))
            else:
                lines.append(T("Failing input: {input}", input=self.input))
        if self.expected is not None:
            lines.append(T("Expected: {expected}", expected=phrase(self.expected)))
        if self.got is not None:
            lines.append(T("Got: {got}", got=phrase(self.got)))
        hint = self.hint or default_hint
        if hint:
            lines.append(T("Hint: {hint}", hint=phrase(hint)))
        return "\n".join(translate(line, lang) for line in lines)


def raised_classes(raised: dict[str, Any]) -> list[str]:
    """The names of a raised exception's class and its bases, as the runner reported them."""
    bases = raised.get("bases")
    if isinstance(bases, list) and all(isinstance(name, str) for name in bases):
        return bases
    return [str(raised.get("type"))]


class FunctionHung(CheckFailed):
    """The function timed out; later checks of the same function are not run."""


def describe(value: Any, limit: int = 600) -> str:
    """A short, readable rendering of an input or output for feedback."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - hostile __repr__ of a returned object
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# Keyword arguments of :meth:`CheckContext.run` that are not passed to the student.
CONTROL_ARGUMENTS = frozenset({"probe", "options", "seed", "default_device", "timeout", "shown"})


class ExampleLog(Protocol):
    def new_property(self) -> Callable[[tuple[Any, ...]], None]:
        """Where to log each example of the next property, before it runs."""


class ExampleScript(Protocol):
    def next_property(self) -> Iterable[tuple[Any, ...]]:
        """The examples to run the next property on, in order."""


class _RunnerStopped(Exception):
    """Internal: a call in a property died; stop generating examples without shrinking."""


class CheckContext:
    """The toolbox handed to every check of one exercise."""

    def __init__(
        self,
        session: ModuleSession,
        exercise: Exercise,
        truth: Truth,
        lending: Lending | None,
        check_id: str,
        timeout: float | None = None,
        *,
        config: GradingConfig | None = None,
        transport: Transport | None = None,
        example_log: ExampleLog | None = None,
        example_script: ExampleScript | None = None,
    ) -> None:
        self.session = session
        self.exercise = exercise
        self.truth = truth
        # The reference solutions, or in the student kit the oracles: same names, same contract.
        self.reference = truth.module
        # What the runner lends the function (stand-ins for the exercises it is built on).
        self.lending = lending
        self.check_id = check_id
        self.timeout = timeout
        self.config = config if config is not None else GradingConfig()
        # How calls reach the runner: live, live and logged, or answered by replay.
        self.transport = transport if transport is not None else LiveTransport(session)
        # Where generated examples are logged, or the logged examples to use instead of
        # generating them (see autograder.grading.replay).
        self.example_log = example_log
        self.example_script = example_script
        self._input: Any = None

    @property
    def function(self) -> str:
        return self.exercise.name

    @property
    def reference_function(self) -> Callable[..., Any]:
        return getattr(self.reference, self.exercise.name)

    # -- calling the student's function -------------------------------------------------
    def run(
        self,
        *args: Any,
        probe: str | None = None,
        options: dict[str, Any] | None = None,
        seed: int = 0,
        default_device: str | None = None,
        timeout: float | None = None,
        shown: str | None = None,
        **kwargs: Any,
    ) -> Outcome:
        """Call the student's function in the runner and return the raw outcome.

        ``shown``: how a failing call is shown, where the arguments alone do not say it (a
        class check: the constructor's arguments and the call's inputs with their shapes).
        """
        lent = None
        if self.lending is not None:
            lent = self.lending.for_call(
                probe=probe,
                args=args,
                kwargs=kwargs,
                options=options,
                seed=seed,
                default_device=default_device,
            )
        request = self.session.request(
            self.function,
            args,
            kwargs,
            probe=probe,
            options=options,
            forbidden=self.exercise.forbidden,
            lent=lent,
            seed=seed,
            default_device=default_device,
            timeout=timeout or self.timeout,
        )
        outcome = self.transport.outcome(request)
        if outcome.ok:
            return outcome  # the input is rendered for feedback only, when something failed
        text = shown if shown is not None else self._input_text(args, kwargs)
        if outcome.forbidden:
            raise CheckFailed(
                T(
                    "{name} is not allowed in {function}: "
                    "the point of the exercise is to implement it yourself.",
                    name=outcome.forbidden,
                    function=self.function,
                ),
                input=text,
            )
        if outcome.not_implemented:
            failure = CheckFailed(
                T(
                    "{function} is not implemented yet (it raises "
                    "NotImplementedError): replace the raise with your code.",
                    function=self.function,
                )
            )
            failure.about_the_function = True
            raise failure
        if outcome.died is not None:
            if self._in_property:
                raise _RunnerStopped(outcome, text)
            self._raise_died(outcome, text)
        return outcome

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """Call the student's function; fail the check unless it returns a value."""
        return self.probe(*args, **kwargs)["result"]

    def probe(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Like :meth:`call`, but return everything the probe reported (grads, inputs …)."""
        return self.answer(self.run(*args, **kwargs), args, kwargs, kwargs.get("shown"))

    def answer(
        self,
        outcome: Outcome,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        shown: str | None = None,
    ) -> dict:
        """What the probe reported for an outcome of :meth:`run`; fail unless it returned.
        ``shown``: as for :meth:`run`."""
        readable = isinstance(outcome.value, dict) and "result" in outcome.value
        if outcome.ok and readable:
            return outcome.value  # the input is rendered for feedback only, when shown
        if shown is None:
            passed = {k: v for k, v in kwargs.items() if k not in CONTROL_ARGUMENTS}
            shown = self._input_text(args, passed)
        if not outcome.ok:
            self.fail(
                T(
                    "{function} did not return a value: {reason}",
                    function=self.function,
                    reason=outcome.describe_failure(),
                ),
                input=shown,
            )
        self.fail("the runner's answer could not be read", input=shown)

    def expect_raises(
        self,
        exception: type[BaseException],
        *args: Any,
        why: str = "",
        hint: str | None = None,
        **kwargs: Any,
    ) -> None:
        """The student's function must raise ``exception`` (or a subclass) on these args.
        ``hint``: the hint for this case (the check's own hint where None)."""
        outcome = self.run(*args, **kwargs)
        wanted = exception.__name__
        if outcome.raised is not None and wanted in raised_classes(outcome.raised):
            return
        if outcome.raised is not None:
            got = f"{outcome.raised.get('type')}: {outcome.raised.get('message', '')}"
        else:
            value = outcome.value
            if isinstance(value, dict) and "result" in value:  # a probe's answer
                value = value["result"]
            got = T("it returned {value}", value=describe(value, 200))
        if why:
            message = T(
                "{function} should raise {exception} {why}",
                function=self.function,
                exception=wanted,
                why=phrase(why),
            )
        else:
            message = T(
                "{function} should raise {exception}", function=self.function, exception=wanted
            )
        self.fail(
            message,
            input=self._input_text(args, kwargs),
            expected=T("{exception} with a helpful message", exception=wanted),
            got=got,
            hint=hint,
        )

    # -- properties -----------------------------------------------------------------------
    _in_property = False

    def given(
        self, *strategies: st.SearchStrategy[Any], max_examples: int
    ) -> Callable[[Callable[..., None]], None]:
        """Run ``body(*examples)`` on hypothesis-generated inputs, now, deterministically.

        ``max_examples`` is about twice the number of examples after which the last of the
        test mutants this property catches fails, and at least 10: hypothesis's examples
        are most of a grading's time.  ``tests/mutants/catches.json`` pins what each check
        catches, so a count set too low fails the test suite.

        The first failure is shrunk to the smallest failing input; a call that kills or
        hangs the runner stops the property at once (shrinking it would cost a timeout per
        attempt) and fails the check with that input.
        """

        def run_property(body: Callable[..., None]) -> None:
            stopped: list[_RunnerStopped] = []

            def example(values: tuple[Any, ...]) -> None:
                if stopped:
                    return
                try:
                    body(*values)
                except _RunnerStopped as error:
                    stopped.append(error)

            self._in_property = True
            try:
                if self.example_script is not None:
                    # Replaying: the examples hypothesis gave when this check last passed.
                    for values in self.example_script.next_property():
                        example(values)
                else:
                    self._generate(strategies, max_examples, example)
            finally:
                self._in_property = False
            if stopped:
                outcome, input_text = stopped[0].args
                self._raise_died(outcome, input_text)

        return run_property

    def _generate(
        self,
        strategies: tuple[st.SearchStrategy[Any], ...],
        max_examples: int,
        example: Callable[[tuple[Any, ...]], None],
    ) -> None:
        """Let hypothesis generate the examples (and shrink the first failure)."""
        log = self.example_log.new_property() if self.example_log is not None else None

        def logged(values: tuple[Any, ...]) -> None:
            if log is not None:
                log(values)
            example(values)

        test = settings(
            max_examples=max_examples,
            database=None,
            deadline=None,
            derandomize=False,
            verbosity=Verbosity.quiet,
            report_multiple_bugs=False,
            suppress_health_check=list(HealthCheck),
            phases=(Phase.explicit, Phase.generate, Phase.shrink),
            print_blob=False,
        )(seed(self._seed())(given(st.tuples(*strategies))(logged)))
        try:
            with examples_from_the_strategies_alone():
                test()
        except CheckFailed as failure:
            failure.shrunk = True
            raise
        except HypothesisException as error:
            self.fail(
                T(
                    "grading could not finish this check ({error})",
                    error=f"{type(error).__name__}: {error}",
                )
            )

    def _seed(self) -> int:
        digest = hashlib.sha256(self.check_id.encode()).digest()
        return int.from_bytes(digest[:8], "big")

    # -- verdicts ---------------------------------------------------------------------------
    def fail(
        self,
        message: str,
        *,
        input: str | None = None,
        expected: Any = None,
        got: Any = None,
        hint: str | None = None,
    ) -> None:
        raise CheckFailed(
            message,
            input=input,
            expected=None if expected is None else _text(expected),
            got=None if got is None else _text(got),
            hint=hint,
        )

    def _raise_died(self, outcome: Outcome, input_text: str) -> None:
        kind = FunctionHung if outcome.timed_out else CheckFailed
        raise kind(
            T(
                "{function} did not return: {reason}",
                function=self.function,
                reason=outcome.describe_failure(),
            ),
            input=input_text,
            hint="look for a loop that never ends, or a crash (exit, os._exit, a C extension)."
            if outcome.timed_out
            else None,
        )

    def input_text(self, *args: Any, **kwargs: Any) -> InputText:
        """How a call with these arguments is shown in feedback (rendered when shown)."""
        try:
            args, kwargs = copy.deepcopy((args, kwargs))  # as they are now
        except Exception:  # noqa: BLE001 - cannot copy: render now
            return InputText(self._input_text(args, kwargs))
        return InputText(lambda: self._input_text(args, kwargs))

    def _input_text(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        parts = [describe(a, 300) for a in args]
        parts += [f"{k}={describe(v, 300)}" for k, v in kwargs.items()]
        return f"{self.function}({', '.join(parts)})"


class InputText:
    """A call as feedback shows it, rendered on first use.

    Most calls pass and their input is never shown, and rendering tensors is slow (a large
    share of a live grading's time when done for every call).
    """

    __slots__ = ("_render", "_text")

    def __init__(self, render: str | Callable[[], str]) -> None:
        self._render = render
        self._text: str | None = render if isinstance(render, str) else None

    def __str__(self) -> str:
        if self._text is None:
            self._text = str(self._render())  # type: ignore[operator]
        return self._text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return repr(str(self))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __contains__(self, part: str) -> bool:
        return part in str(self)

    def replace(self, old: str, new: str, count: int = -1) -> InputText:
        return InputText(lambda: str(self).replace(old, new, count))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else describe(value)
