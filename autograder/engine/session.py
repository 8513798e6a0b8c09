"""The judge's handle on one submitted module, living in a runner it restarts as needed."""

from __future__ import annotations

import contextlib
import hashlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from autograder.engine import bytecode, protocol
from autograder.engine.answers import LOADED, Asked, MalformedAnswer, asked_by_call, check_answer
from autograder.engine.fork_server import fork_server
from autograder.engine.runner import DEFAULT_PROBE
from autograder.engine.sandbox import Limits, RunnerDied, RunnerProcess, RunnerTimeout
from autograder.i18n import T


@dataclass
class Outcome:
    """What one call into the runner produced: a value, an exception, or a dead runner."""

    value: Any = None
    raised: dict[str, Any] | None = None
    died: str | None = None
    timed_out: bool = False
    output: str = ""

    @property
    def ok(self) -> bool:
        return self.raised is None and self.died is None

    @property
    def forbidden(self) -> str | None:
        return (self.raised or {}).get("forbidden")

    @property
    def not_implemented(self) -> bool:
        """The stub's bare ``raise NotImplementedError`` (torch's own have a message)."""
        raised = self.raised or {}
        return raised.get("type") == "NotImplementedError" and not raised.get("message")

    def describe_failure(self) -> str:
        """A sentence a student can read about why the call did not return a value."""
        if self.died is not None:
            if self.output.strip():
                return T(
                    "the call never returned: the runner {reason}\nLast output:\n{output}",
                    reason=self.died,
                    output=self.output.strip(),
                )
            return T("the call never returned: the runner {reason}", reason=self.died)
        if self.raised is None:
            return T("the call returned a value")
        if self.raised.get("forbidden"):
            return T("it called {name}, which this exercise forbids", name=self.raised["forbidden"])
        kind = self.raised.get("type", "Exception")
        message = self.raised.get("message", "")
        if self.not_implemented:
            return T("not implemented yet (it raises NotImplementedError)")
        line = self.raised.get("lineno")
        if line and f"line {line}" not in message:
            return T(
                "it raised {kind}: {message} (line {line})", kind=kind, message=message, line=line
            )
        return T("it raised {kind}: {message}", kind=kind, message=message)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _died(error: RunnerDied) -> Outcome:
    return Outcome(
        died=error.reason, timed_out=isinstance(error, RunnerTimeout), output=error.output
    )


def _outcome(answer: dict[str, Any], asked: Asked) -> Outcome:
    """The outcome an answer stands for, once it is checked against what was asked
    (:class:`MalformedAnswer` where it does not fit)."""
    check_answer(answer, asked)
    if "raised" in answer:
        return Outcome(raised=answer["raised"])
    return Outcome(value=answer["ok"])


def _malformed(error: MalformedAnswer) -> str:
    return T("sent a malformed answer ({reason})", reason=str(error))


@dataclass
class Answer:
    """An answer of a batch as received: its bytes, or the outcome of a dead runner."""

    data: bytes | None
    died: Outcome | None = None

    @property
    def digest(self) -> str | None:
        return digest(self.data) if self.data is not None else None


@dataclass
class Exchange:
    """One call as sent to the runner, and the digest of the answer it got."""

    payload: bytes
    timeout: float
    answer: str | None = None  # sha256 of the answer's bytes; None when the runner died
    # What the call lets its answer hold (the answer is checked against it, never believed).
    asked: Asked = field(default_factory=Asked, compare=False)


class Transport(Protocol):
    """How a check's calls reach an answer: the runner (live, or live and logged), or a
    batch of answers sent ahead (replaying, :mod:`autograder.grading.replay`)."""

    def outcome(self, exchange: Exchange) -> Outcome: ...


@dataclass(frozen=True, eq=False)
class LiveTransport:
    """Every call goes to the session's runner."""

    session: ModuleSession

    def outcome(self, exchange: Exchange) -> Outcome:
        return self.session.run(exchange)


@dataclass(frozen=True, eq=False)
class RecordingTransport:
    """Every call goes to the runner and is logged, with its answer's digest."""

    session: ModuleSession
    log: list[Exchange]

    def outcome(self, exchange: Exchange) -> Outcome:
        outcome = self.session.run(exchange)
        self.log.append(exchange)
        return outcome


@dataclass
class SpareRunners:
    """Sealed runners started ahead of need, in the background.

    Sealing a runner waits on the kernel's mount calls for tens of milliseconds: started
    while the judge grades, a runner is ready when a restart takes it.  A module session has
    its own, for its restarts; a judge grading several modules one after the other shares
    one between their sessions, so that each module's first runner is ready too.
    """

    limits: Limits = field(default_factory=Limits)
    readable: tuple[str, ...] = ()
    _ready: deque[Future[RunnerProcess]] = field(default_factory=deque)
    _spawner: ThreadPoolExecutor | None = None

    def keep(self, count: int) -> None:
        """Have ``count`` runners started or starting."""
        if self._spawner is None:
            # The fork server started here, not by the spares' thread: runners are cloned as
            # children of the thread that started the fork server, and only where that thread
            # is the main one (ForkServer.spawn); else each goes through a middle process.
            fork_server()
            self._spawner = ThreadPoolExecutor(1, thread_name_prefix="spare-runner")
        while len(self._ready) < count:
            self._ready.append(self._spawner.submit(RunnerProcess, self.limits, self.readable))

    def take(self) -> RunnerProcess:
        """The oldest spare (waiting for it if it is still starting), or a new runner."""
        if self._ready:
            return self._ready.popleft().result()
        return RunnerProcess(self.limits, self.readable)

    def serves(self, limits: Limits, readable: tuple[str, ...]) -> bool:
        """Whether its runners are what a session with these settings needs."""
        return self.limits == limits and self.readable == readable

    def close(self) -> None:
        """Kill the spares no session took, and wait until they are gone."""
        left = []
        while self._ready:
            with contextlib.suppress(Exception):
                left.append(self._ready.popleft().result())
        if self._spawner is not None:
            self._spawner.shutdown()
            self._spawner = None
        for runner in left:
            runner.close()


@dataclass
class ModuleSession:
    """Imports one submission file in a runner and calls its functions on the judge's behalf.

    After a crash or a timeout the runner is killed; the next call starts a fresh one and
    imports the submission again, so one bad call cannot spoil the following checks.
    """

    path: Path
    module_name: str
    limits: Limits = field(default_factory=Limits)
    # Paths the runner may read besides Python and its packages (a data set).
    readable: tuple[str, ...] = ()
    import_timeout: float = 30.0
    call_timeout: float = 5.0
    # The calls the module's exercises forbid: resolved in each runner before the import.
    forbidden: tuple[str, ...] = ()
    _runner: RunnerProcess | None = None
    _load_failure: Outcome | None = None
    functions: list[str] = field(default_factory=list)
    # Runners started in the background for the next restarts (see prepare()): the
    # session's own, or those its judge shares between the modules it grades in turn.
    spares: SpareRunners | None = None
    # The runners killed but not yet reaped (close() waits for them).
    _stopped: list[RunnerProcess] = field(default_factory=list)
    _own_spares: bool = False
    # The module compiled once for all its runners (autograder.engine.bytecode); None until
    # the first load, empty where the runners compile it themselves.
    _compiled: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.spares is None or not self.spares.serves(self.limits, self.readable):
            self.spares = SpareRunners(self.limits, self.readable)
            self._own_spares = True

    def load(self) -> Outcome:
        """Start a runner and import the submission; the outcome says whether it worked."""
        self._retire()
        runner = self._fresh_runner()
        self._runner = runner
        if self._compiled is None:
            self._compiled = bytecode.compiled(self.path)
        inside = runner.place_file(self.path, f"{self.module_name}.py", self._compiled)
        outcome = self._request(
            {
                "op": "load",
                "path": inside,
                "module": self.module_name,
                "forbidden": list(self.forbidden),
            },
            self.import_timeout,
            Asked(report=LOADED),
        )
        if outcome.ok:
            self.functions = list(outcome.value)
            self._load_failure = None
        else:
            self._load_failure = outcome
            self._retire()
        return outcome

    def request(
        self,
        function: str,
        args: list[Any] | tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        *,
        probe: str | None = None,
        options: dict[str, Any] | None = None,
        forbidden: list[str] | tuple[str, ...] = (),
        lent: dict[str, Any] | None = None,
        seed: int = 0,
        default_device: str | None = None,
        timeout: float | None = None,
    ) -> Exchange:
        """The call of ``function`` (through ``probe``) as it goes to the runner."""
        message = {
            "op": "call",
            "function": function,
            "probe": probe,
            "args": list(args),
            "kwargs": dict(kwargs or {}),
            "options": dict(options or {}),
            "forbidden": list(forbidden),
            "lent": lent,
            "seed": seed,
            "default_device": default_device,
        }
        asked = asked_by_call(
            probe or DEFAULT_PROBE, args, kwargs or {}, options or {}, forbidden, default_device
        )
        return Exchange(protocol.dumps(message), timeout or self.call_timeout, asked=asked)

    def run(self, exchange: Exchange) -> Outcome:
        """Send one call to the runner (restarted if needed) and return what came back."""
        if not self.ensure_loaded():
            assert self._load_failure is not None
            return self._load_failure
        outcome, exchange.answer = self._exchange(
            exchange.payload, exchange.timeout, exchange.asked
        )
        return outcome

    def call(self, function: str, *args: Any, **kwargs: Any) -> Outcome:
        """:meth:`request` and :meth:`run` in one (``args``/``kwargs`` as for request)."""
        return self.run(self.request(function, *args, **kwargs))

    def restart(self) -> None:
        """Start the next calls in a fresh runner: nothing one exercise's calls leave
        behind (objects, files, processes, lent helpers) reaches the next check run in it."""
        self._retire()

    def prepare(self) -> None:
        """Start the runner for the next :meth:`restart` now, in the background: the fork
        server forks it and it seals itself while this exercise is graded.

        Called right after a restart, the runner that the next call loads is still to be
        taken: a second one is started for the restart after it (sealing waits on the
        kernel's mount calls for tens of milliseconds: it must be under way before then).
        """
        assert self.spares is not None
        self.spares.keep(1 if self._runner is not None else 2)

    def _fresh_runner(self) -> RunnerProcess:
        assert self.spares is not None
        return self.spares.take()

    def _retire(self) -> None:
        """Kill the current runner now; it is reaped by :meth:`close`."""
        if self._runner is not None:
            self._runner.stop()
            self._stopped.append(self._runner)
            self._runner = None

    def ensure_loaded(self) -> bool:
        """Whether a runner with the submission imported is ready (restarted if needed)."""
        if self._runner is None or self._runner.dead is not None:
            return self.load().ok
        return True

    def send_batch(self, exchanges: list[Exchange]) -> None:
        """Send these calls at once; :meth:`receive` their outcomes one by one."""
        assert self._runner is not None
        with contextlib.suppress(RunnerDied):  # receive() reports it
            self._runner.send_batch([e.payload for e in exchanges], self.call_timeout)

    def receive(self, timeout: float) -> Answer:
        """The next answer of a batch, still undecoded (a death is an outcome already)."""
        assert self._runner is not None
        try:
            return Answer(self._runner.receive(timeout))
        except RunnerDied as error:
            return Answer(None, _died(error))

    def decode(self, answer: Answer, asked: Asked | None = None) -> Outcome:
        """The outcome an answer from :meth:`receive` stands for, checked against what its
        call ``asked`` (a malformed answer kills the runner, as a broken message does)."""
        if answer.died is not None or answer.data is None:
            return answer.died or Outcome(died="no answer")
        assert self._runner is not None
        try:
            return self._judged(self._runner.decode(answer.data), asked or Asked())
        except RunnerDied as error:
            return _died(error)

    def _request(self, message: dict[str, Any], timeout: float, asked: Asked) -> Outcome:
        return self._exchange(protocol.dumps(message), timeout, asked)[0]

    def _exchange(self, payload: bytes, timeout: float, asked: Asked) -> tuple[Outcome, str | None]:
        """Send one call; its outcome and the digest of the answer (None: the runner died)."""
        assert self._runner is not None
        try:
            answer, data = self._runner.exchange(payload, timeout)
            return self._judged(answer, asked), digest(data)
        except RunnerDied as error:
            return _died(error), None

    def _judged(self, answer: dict[str, Any], asked: Asked) -> Outcome:
        """:func:`_outcome`; a malformed answer kills the runner (:class:`RunnerDied`)."""
        try:
            return _outcome(answer, asked)
        except MalformedAnswer as error:
            assert self._runner is not None
            reason = _malformed(error)
            self._runner.kill(reason)
            raise RunnerDied(reason, self._runner.output()) from None

    def output(self) -> str:
        return self._runner.output() if self._runner is not None else ""

    def close(self) -> None:
        """Kill every runner of this session and wait until they (and all they started)
        are gone."""
        self._retire()
        if self._own_spares and self.spares is not None:
            self.spares.close()
        for runner in self._stopped:
            runner.close()
        self._stopped.clear()

    def __enter__(self) -> ModuleSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
