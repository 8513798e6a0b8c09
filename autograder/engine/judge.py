"""The judge's handle on one submitted module, living in a runner it restarts as needed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass
class ModuleSession:
    """Imports one submission file in a runner and calls its functions on the judge's behalf.

    After a crash or a timeout the runner is killed; the next call starts a fresh one and
    imports the submission again, so one bad call cannot spoil the following checks.
    """

    path: Path
    module_name: str
    reference_module: str
    limits: Limits = field(default_factory=Limits)
    import_timeout: float = 30.0
    call_timeout: float = 5.0
    _runner: RunnerProcess | None = None
    _load_failure: Outcome | None = None
    functions: list[str] = field(default_factory=list)

    def load(self) -> Outcome:
        """Start a runner and import the submission; the outcome says whether it worked."""
        self.close()
        runner = RunnerProcess(self.limits)
        self._runner = runner
        inside = runner.place_file(self.path, f"{self.module_name}.py")
        outcome = self._request(
            {"op": "load", "path": inside, "module": self.module_name}, self.import_timeout
        )
        if outcome.ok:
            self.functions = list(outcome.value)
            self._load_failure = None
        else:
            self._load_failure = outcome
            self.close()
        return outcome

    def call(
        self,
        function: str,
        args: list[Any] | tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        *,
        probe: str | None = None,
        options: dict[str, Any] | None = None,
        forbidden: list[str] | tuple[str, ...] = (),
        helpers: list[str] | tuple[str, ...] = (),
        seed: int = 0,
        default_device: str | None = None,
        timeout: float | None = None,
    ) -> Outcome:
        """Run ``function`` (through ``probe``) in the runner and return what came back."""
        if self._runner is None or self._runner.dead is not None:
            loaded = self.load()
            if not loaded.ok:
                return loaded
        message = {
            "op": "call",
            "function": function,
            "probe": probe,
            "args": list(args),
            "kwargs": dict(kwargs or {}),
            "options": dict(options or {}),
            "forbidden": list(forbidden),
            "reference_module": self.reference_module,
            "reference_helpers": list(helpers),
            "seed": seed,
            "default_device": default_device,
        }
        return self._request(message, timeout or self.call_timeout)

    def _request(self, message: dict[str, Any], timeout: float) -> Outcome:
        assert self._runner is not None
        try:
            answer = self._runner.request(message, timeout)
        except RunnerTimeout as error:
            return Outcome(died=error.reason, timed_out=True, output=error.output)
        except RunnerDied as error:
            return Outcome(died=error.reason, output=error.output)
        if "raised" in answer:
            raised = answer["raised"]
            if not isinstance(raised, dict):
                raised = {"type": "Exception", "message": str(raised)[:2000]}
            return Outcome(raised=raised)
        return Outcome(value=answer["ok"])

    def output(self) -> str:
        return self._runner.output() if self._runner is not None else ""

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    def __enter__(self) -> ModuleSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
