"""Replay: grade the next submission on the examples the last passing one was graded on.

Grading a check live means hypothesis generates examples one at a time and every call
makes a round trip to the runner.  Both are paid again for every student of a class,
although the examples are the same: hypothesis is seeded per check, so as long as a
check's property holds, it generates the same examples, whatever the function under test.

So when a check passes, its *transcript* is kept: the examples hypothesis generated and
the calls sent to the runner (the bytes, with the answers' digests).  The next submission
is graded on that check like this:

1. every call of the transcript goes to the runner at once, and the answers come back one
   by one, each under its own time budget, exactly as they would have one at a time;
2. answers identical, byte for byte, to those of the passing run: the check passes (it
   is a deterministic function of the examples and of the answers);
3. otherwise the check runs on the logged examples, with each call answered from the
   batch as long as it is the call of the transcript.  If it passes, it passes: live
   grading would have generated the same examples and got the same answers.  If the
   runner died on a call, that is the verdict live grading gives too (it stops there);
4. any other failure, or a call that differs from the transcript, and the check runs
   live from the start, so that hypothesis shrinks the failing input as it always does.

The verdicts are those of live grading; only passing checks get cheaper.  This holds even
for a function whose answers depend on the calls made before it (hidden state): a check
that passes on replay saw exactly the calls live grading makes, in the same order.  The
one difference: a check that falls back to live grading (step 4) starts from a fresh
import of the submission, where live grading would continue with the state the earlier
checks left.  ``tests/test_mutants.py`` grades every correct variant both ways and compares,
and grades every mutant as a student is graded (a check it fails is graded live, step 4).

The transcripts belong to one grading run's :class:`TranscriptStore`; its configuration says
whether replay is on and where transcripts are kept (``AUTOGRADER_REPLAY=0`` grades
everything live: see :mod:`autograder.grading.config`).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from autograder.engine.launch import freeze_imports
from autograder.engine.session import (
    Answer,
    Exchange,
    LiveTransport,
    ModuleSession,
    Outcome,
    RecordingTransport,
    Transport,
)
from autograder.grading import transcript_store
from autograder.grading.config import GradingConfig
from autograder.grading.context import CheckContext, CheckFailed
from autograder.grading.model import Assignment, Check
from autograder.grading.properties import cuda_available


@dataclass
class Transcript:
    """What a passing run of one check sent, got and generated."""

    exchanges: list[Exchange] = field(default_factory=list)
    properties: list[list[tuple[Any, ...]]] = field(default_factory=list)
    complete: bool = True  # False when an example could not be copied

    def new_property(self) -> Callable[[tuple[Any, ...]], None]:
        examples: list[tuple[Any, ...]] = []
        self.properties.append(examples)

        def log(values: tuple[Any, ...]) -> None:
            try:
                examples.append(copy.deepcopy(values))
            except Exception:  # noqa: BLE001 - an example we cannot keep: no replay
                self.complete = False

        return log


class Diverged(BaseException):
    """The check asked for something the transcript does not hold: grade it live.

    A BaseException, so that no ``except Exception`` in a check can swallow it.
    """


class _Script:
    """The logged examples of each property of the check, handed out in order (copies)."""

    def __init__(self, properties: list[list[tuple[Any, ...]]]) -> None:
        self._properties = iter(properties)

    def next_property(self) -> Iterator[tuple[Any, ...]]:
        examples = next(self._properties, None)
        if examples is None:
            raise Diverged
        for values in examples:
            yield copy.deepcopy(values)


class _Player:
    """Answers the check's calls from the batch, while they are the transcript's calls."""

    def __init__(self, session: ModuleSession, transcript: Transcript) -> None:
        self.session = session
        self.expected = transcript.exchanges
        self.answers: list[Answer] = []
        self.identical = True
        self.served_death = False
        self._position = 0
        if not self.expected:
            return
        if not session.ensure_loaded():
            raise Diverged
        session.send_batch(self.expected)
        for exchange in self.expected:
            answer = session.receive(exchange.timeout)
            self.answers.append(answer)
            self.identical = self.identical and answer.digest == exchange.answer
            if answer.died is not None:
                break

    @property
    def complete(self) -> bool:
        """Every call answered, each answer the very bytes of the passing run."""
        return self.identical and 0 < len(self.answers) == len(self.expected)

    def outcome(self, exchange: Exchange) -> Outcome:
        position = self._position
        if position >= len(self.answers):
            raise Diverged
        expected = self.expected[position]
        if exchange.payload != expected.payload or exchange.timeout != expected.timeout:
            raise Diverged
        self._position += 1
        outcome = self.session.decode(self.answers[position], exchange.asked)
        self.served_death = self.served_death or outcome.died is not None
        return outcome


@functools.cache
def _import_torch_dynamo() -> None:
    """Import ``torch._dynamo`` before the first check that runs in the judge.

    torch imports it on the first use of an optimizer or of a ``meta`` tensor (slowly).  Done
    before the first live check, it overlaps with the fork server's start, which that
    check waits for anyway; checks that pass on identical answers never need it.
    """
    import torch._dynamo  # noqa: F401

    freeze_imports()


# Makes a check's context from a transport, where to log examples and which to replay.
NewContext = Callable[[Transport, "Transcript | None", "_Script | None"], CheckContext]

# Files under --data-root taken into the environment, at most.
MAX_DATA_FILES = 1000

Key = tuple[str, Callable[..., Any], str]  # check id, check function, judge environment
Exported = dict[tuple[str, str], tuple[list[Exchange], list[list[tuple[Any, ...]]]]]


def environment(session: ModuleSession, config: GradingConfig) -> str:
    """What a check may depend on besides the examples and the answers, as a digest.

    A check reads the judge's settings too: the time budgets of its calls, whether the CUDA
    tier runs, and the Fashion-MNIST files of ``--data-root`` (their names, sizes and
    times).  A transcript only stands for the environment it was recorded in.
    """
    parts = [repr(session.call_timeout), repr(session.limits), str(cuda_available())]
    root = config.data_root
    if root is not None:
        parts.append(str(root))
        with contextlib.suppress(OSError):
            for path in sorted(root.rglob("*"))[:MAX_DATA_FILES]:
                if path.is_file():
                    stat = path.stat()
                    parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _checks(assignment: Assignment) -> dict[str, Check]:
    return {
        f"{assignment.name}.{exercise.name}.{check.name}": check
        for exercise in assignment.exercises
        for check in exercise.checks
    }


class TranscriptStore:
    """The transcripts one grading run replays and records, owned by that run.

    Made from the run's configuration (where transcripts are kept on disk, whether replay is
    on) and passed explicitly to each assignment's grading; a batch's workers and the second
    judge each have their own, seeded with the transcripts their parent hands them.
    """

    def __init__(self, config: GradingConfig) -> None:
        self.config = config
        self.enabled = config.replay
        self.root = config.cache_dir
        # Transcripts of the checks that passed: recorded by this run or restored.
        self.transcripts: dict[Key, Transcript] = {}
        self._snapshot: dict[str, transcript_store.KeptFile] | None = None
        self._restored: set[tuple[str, str]] = set()  # (assignment, environment)
        self._unsaved: set[tuple[str, str]] = set()
        # Assignments :meth:`adopt` gave a transcript for every check.
        self._adopted_whole: set[str] = set()

    # -- the files kept on disk ------------------------------------------------------------
    def take_snapshot(self, assignments: Iterable[str]) -> None:
        """Read the transcripts kept on disk for these assignments now, before any student
        code of this run runs.  Only the first call reads; later ones change nothing.

        Student code runs as the grader's user and could write into the folder; transcripts
        read later would let one module of a submission forge the grading of another.  An
        assignment whose every check has a transcript adopted from the parent (a batch's
        calibration) is not read: its files could only add what is there already.
        """
        if self.enabled and self._snapshot is None:
            wanted = [name for name in assignments if name not in self._adopted_whole]
            self._snapshot = transcript_store.read_all(self.root, wanted)

    def recorded_here(self, assignment: str) -> bool:
        """Whether this store recorded transcripts of the assignment (since its snapshot):
        another process could not take them over (see :meth:`adopt_kept_files`)."""
        return any(check_id.startswith(f"{assignment}.") for check_id, _, _ in self.transcripts)

    def kept_files(self, assignment: str) -> dict[str, str]:
        """The snapshot's files of this assignment: ``{"<assignment>-<environment>": digest}``."""
        return {
            name: kept.digest
            for name, kept in (self._snapshot or {}).items()
            if name.startswith(f"{assignment}-") and kept.checks
        }

    def adopt_kept_files(self, files: dict[str, str]) -> None:
        """In a second judge: take the judge's snapshot of these files.

        It reads them again, now that student code may have run, and keeps only those whose
        bytes have the digest the judge read before any did.
        """
        if not self.enabled:
            return
        if self._snapshot is None:
            self._snapshot = {}
        for name, digest in files.items():
            checks = transcript_store.read_verified(self.root, name, digest)
            if checks:
                self._snapshot[name] = transcript_store.KeptFile(digest, checks)

    def _restore(self, assignment: Assignment, place: tuple[str, str]) -> None:
        """Add the snapshot's transcripts for this assignment and environment (once)."""
        if not self.enabled or place in self._restored or not self._snapshot:
            return
        self._restored.add(place)
        checks = _checks(assignment)
        kept = self._snapshot.get("-".join(place))
        for check_id, (exchanges, properties) in (kept.checks if kept else {}).items():
            if check_id in checks:
                key = (check_id, checks[check_id].run, place[1])
                self.transcripts.setdefault(key, Transcript(exchanges, properties))

    def _persist(self, assignment: Assignment, place: tuple[str, str]) -> None:
        """Keep this assignment's transcripts on disk if grading it recorded new ones."""
        if place not in self._unsaved:
            return
        self._unsaved.discard(place)
        kept = {}
        for check_id, check in _checks(assignment).items():
            transcript = self.transcripts.get((check_id, check.run, place[1]))
            if transcript is not None:
                kept[check_id] = (transcript.exchanges, transcript.properties)
        transcript_store.save(self.root, *place, kept)

    @contextlib.contextmanager
    def kept_on_disk(self, assignment: Assignment, session: ModuleSession) -> Iterator[None]:
        """Grade with the transcripts kept on disk; keep the new ones there afterwards."""
        place = (assignment.name, environment(session, self.config))
        self._restore(assignment, place)
        checks = _checks(assignment).items()
        known = all((i, check.run, place[1]) in self.transcripts for i, check in checks)
        if not known:
            _import_torch_dynamo()  # now, while the fork server may still be starting
        try:
            yield
        finally:
            self._persist(assignment, place)

    # -- between processes -----------------------------------------------------------------
    def export(self) -> Exported:
        """The transcripts held now, as plain data for another process (see :meth:`adopt`)."""
        return {
            (check_id, place): (transcript.exchanges, transcript.properties)
            for (check_id, _, place), transcript in self.transcripts.items()
        }

    def adopt(self, transcripts: Exported, load_assignment: Callable[[str], Assignment]) -> None:
        """Take the transcripts another process exported (a batch's workers, from its parent)."""
        adopted: dict[str, set[str]] = {}
        for (check_id, place), (exchanges, properties) in transcripts.items():
            name = check_id.split(".")[0]
            check = _checks(load_assignment(name)).get(check_id)
            if check is not None:
                key = (check_id, check.run, place)
                self.transcripts.setdefault(key, Transcript(exchanges, properties))
                adopted.setdefault(name, set()).add(check_id)
        for name, check_ids in adopted.items():
            if check_ids >= set(_checks(load_assignment(name))):
                self._adopted_whole.add(name)

    # -- grading one check -----------------------------------------------------------------
    def run_check(
        self,
        check: Check,
        check_id: str,
        new_context: NewContext,
        session: ModuleSession,
        *,
        live: bool = False,
    ) -> None:
        """Run one check: replayed when a transcript allows it, else live (and logged).

        ``new_context`` makes the check's context with a transport (live, recording or
        replaying calls) and an example source.  ``live``: never replay (recording the
        reference's answers needs every check's code run).
        """
        if live or not self.enabled:
            _import_torch_dynamo()
            check.run(new_context(LiveTransport(session), None, None))
            return
        place = (check_id.split(".")[0], environment(session, self.config))
        key = (check_id, check.run, place[1])
        transcript = self.transcripts.get(key)
        if transcript is not None:
            if _replay(check, new_context, session, transcript):
                return
            # The batch ran calls live grading would not have made: start from a fresh import.
            session.load()
        _import_torch_dynamo()
        log = Transcript()
        check.run(new_context(RecordingTransport(session, log.exchanges), log, None))
        if log.complete and all(e.answer is not None for e in log.exchanges):
            self.transcripts[key] = log
            self._unsaved.add(place)


def _replay(
    check: Check, new_context: NewContext, session: ModuleSession, transcript: Transcript
) -> bool:
    """True: the check passed.  False: grade it live.  Raises live grading's failure."""
    try:
        player = _Player(session, transcript)
    except Diverged:
        return False
    if player.complete:
        return True
    _import_torch_dynamo()
    try:
        check.run(new_context(player, None, _Script(transcript.properties)))
    except Diverged:
        return False
    except CheckFailed:
        if player.served_death:
            raise  # the runner died on a call of the transcript: live grading stops there too
        return False
    except Exception:  # noqa: BLE001 - live grading reports it (after shrinking)
        return False
    return True
