"""One grading run's settings: built once, frozen, passed down explicitly.

The command line builds a :class:`GradingConfig` from its options; everything below gets it
as an argument: each assignment's grading, its checks (``ctx.config``), the second judge
and a batch's workers (as plain data, :meth:`GradingConfig.to_dict`).  Environment
variables are only documented defaults, and this module is the one place that reads them:

``AUTOGRADER_DATA_ROOT``
    a folder with Fashion-MNIST (``--data-root``): the training assignment also trains on it;
``AUTOGRADER_CACHE_DIR``
    where transcripts of passing checks are kept for replay (default
    ``$XDG_CACHE_HOME/autograder``, else ``~/.cache/autograder``); empty: nothing on disk;
``AUTOGRADER_REPLAY``
    ``0`` grades every check live (no replay at all).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from autograder.engine.sandbox import Limits
from autograder.grading.truth import GroundTruth


def _cache_dir(environ: Mapping[str, str]) -> Path | None:
    chosen = environ.get("AUTOGRADER_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "autograder"


@dataclass(frozen=True)
class GradingConfig:
    """How one grading run grades."""

    # Fashion-MNIST's folder for the real-data check of the training loop, if any.
    data_root: Path | None = None
    # Where transcripts of passing checks are kept between runs; None: in memory only.
    cache_dir: Path | None = None
    # Replay passing checks on their transcripts (False: every check live).
    replay: bool = True
    # The runners' resource limits and sandbox requirements.
    limits: Limits = field(default_factory=Limits)
    # Where expected values come from: the reference solutions or the kit's oracles.
    truth: GroundTruth = field(default_factory=GroundTruth.installed)

    @property
    def runner_readable(self) -> tuple[str, ...]:
        """What a runner may read besides Python and its packages: the data set, if any."""
        return (str(self.data_root),) if self.data_root is not None else ()

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> GradingConfig:
        """The documented defaults from the environment, then ``overrides`` (options)."""
        environ = os.environ if environ is None else environ
        root = environ.get("AUTOGRADER_DATA_ROOT", "").strip()
        defaults: dict[str, Any] = {
            "data_root": Path(root).resolve() if root else None,
            "cache_dir": _cache_dir(environ),
            "replay": environ.get("AUTOGRADER_REPLAY", "1") != "0",
        }
        return cls(**{**defaults, **overrides})

    @classmethod
    def for_command(
        cls,
        *,
        weak_sandbox: bool = False,
        data_root: Path | None = None,
        kept_transcripts: bool = True,
    ) -> GradingConfig:
        """A command's run: the environment's defaults, then its options (those given).

        ``kept_transcripts`` False: transcripts are kept in memory only (a class run's
        workers record their own)."""
        given: dict[str, Any] = {"limits": Limits(weak_sandbox=weak_sandbox)}
        if data_root is not None:
            given["data_root"] = data_root.resolve()
        if not kept_transcripts:
            given["cache_dir"] = None
        return cls.from_environment(**given)

    def to_dict(self) -> dict[str, Any]:
        """As plain data, for another process (the second judge, a batch's workers)."""
        return {
            "data_root": None if self.data_root is None else str(self.data_root),
            "cache_dir": None if self.cache_dir is None else str(self.cache_dir),
            "replay": self.replay,
            "limits": asdict(self.limits),
            "truth": {
                "kind": self.truth.kind,
                "answers": str(self.truth.answers),
                "record": self.truth.record,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GradingConfig:
        truth = data["truth"]
        return cls(
            data_root=None if data["data_root"] is None else Path(data["data_root"]),
            cache_dir=None if data["cache_dir"] is None else Path(data["cache_dir"]),
            replay=bool(data["replay"]),
            limits=Limits(**data["limits"]),
            truth=GroundTruth(truth["kind"], Path(truth["answers"]), bool(truth["record"])),
        )
