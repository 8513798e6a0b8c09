"""Replay grades a submission on the transcript of a passing one, with live grading's verdicts.

The mutant suite (tests/test_mutants.py) compares replayed and live grading of every mutant
and correct variant; these tests pin down the mechanism itself: what is replayed, what
falls back to live grading, and what is kept on disk.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
import torch

from autograder.engine import sandbox
from autograder.engine.protocol import Placed
from autograder.engine.session import Exchange, Outcome
from autograder.grading import context, replay, transcript_store
from autograder.grading.config import GradingConfig
from autograder.grading.grade import grade_path
from autograder.grading.registry import load_assignment
from tests.gradelib import ROOT, SOLUTIONS, correct_files, grade_source, splice
from tests.inprocess_cli import run_here

TENSORS = (SOLUTIONS / "tensors.py").read_text()


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """Replay with no transcripts yet, kept in a folder of this test (each grading is a run
    of its own, with its own store: what one grading records reaches the next on disk)."""
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AUTOGRADER_REPLAY", raising=False)
    return tmp_path


def cache():
    return GradingConfig.from_environment().cache_dir


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the single calls sent to runners (a batch counts once)."""
    counts = {"single": 0, "batch": 0}
    single, batch = sandbox.RunnerProcess.exchange, sandbox.RunnerProcess.send_batch

    def counting_single(self, payload, timeout):
        counts["single"] += 1
        return single(self, payload, timeout)

    def counting_batch(self, payloads, timeout):
        counts["batch"] += 1
        return batch(self, payloads, timeout)

    monkeypatch.setattr(sandbox.RunnerProcess, "exchange", counting_single)
    monkeypatch.setattr(sandbox.RunnerProcess, "send_batch", counting_batch)
    return counts


@pytest.fixture
def generated(monkeypatch):
    """Counts the properties hypothesis had to generate examples for."""
    count = {"properties": 0}
    generate = context.CheckContext._generate

    def counting(self, *args):
        count["properties"] += 1
        return generate(self, *args)

    monkeypatch.setattr(context.CheckContext, "_generate", counting)
    return count


def verdicts(results):
    return [(r.title, r.score, r.passed, r.feedback, r.translations) for r in results]


def grade_live(tmp_path, monkeypatch, assignment, source):
    (tmp_path / "live").mkdir(exist_ok=True)
    with monkeypatch.context() as patch:
        patch.setenv("AUTOGRADER_REPLAY", "0")
        return grade_source(tmp_path / "live", assignment, source)


def test_a_passing_submission_is_graded_again_in_one_batch_per_check(fresh, round_trips, generated):
    first = grade_source(fresh, "tensors", TENSORS)
    assert all(r.passed for r in first)
    assert round_trips["single"] > 100 and generated["properties"] > 0
    round_trips.update(single=0, batch=0)
    generated["properties"] = 0
    again = grade_source(fresh, "tensors", TENSORS)
    assert verdicts(again) == verdicts(first)
    # importing the submission, once in each runner: each exercise has one, its hidden
    # checks run there after the visible ones
    runners = len(load_assignment("tensors").exercises)
    assert round_trips["single"] == runners == len({r.function for r in again})
    assert round_trips["batch"] == len(again)  # one batch per check
    assert generated["properties"] == 0


# One correct variant per assignment: test_mutants.py grades every one of them replayed.
ONE_VARIANT_EACH = list({path.parent.name: path for path in reversed(correct_files())}.values())


@pytest.mark.parametrize("variant", ONE_VARIANT_EACH, ids=lambda p: f"{p.parent.name}.{p.stem}")
def test_a_different_correct_function_is_checked_on_the_logged_examples(variant, fresh, generated):
    """Other answers (other rounding) mean the checks run, on the examples, not hypothesis."""
    assignment = variant.parent.name
    reference = (SOLUTIONS / f"{assignment}.py").read_text()
    (fresh / "reference").mkdir()
    grade_source(fresh / "reference", assignment, reference)
    generated["properties"] = 0
    results = grade_source(fresh, assignment, splice(reference, variant.read_text()))
    assert all(r.passed for r in results), [r.feedback for r in results if not r.passed]
    assert generated["properties"] == 0


def test_a_failing_check_is_graded_live_with_a_shrunk_input(fresh, monkeypatch, generated):
    (fresh / "reference").mkdir()
    grade_source(fresh / "reference", "tensors", TENSORS)
    wrong = splice(TENSORS, "def gather(input, dim, index):\n    return input\n")
    generated["properties"] = 0
    replayed = grade_source(fresh, "tensors", wrong)
    assert generated["properties"] > 0  # the failing properties ran live, to shrink
    assert verdicts(replayed) == verdicts(grade_live(fresh, monkeypatch, "tensors", wrong))
    assert any("Smallest failing input" in r.feedback for r in replayed)


HOSTILE = {
    "endless loop": "def gather(input, dim, index):\n    while True:\n        pass\n",
    "os._exit": "import os\n\ndef gather(input, dim, index):\n    os._exit(3)\n",
    "sys.exit": "import sys\n\ndef gather(input, dim, index):\n    sys.exit(0)\n",
    "segfault": "import ctypes\n\ndef gather(input, dim, index):\n    return ctypes.string_at(0)\n",
    "hidden state": (
        "import torch\nCALLS = [0]\n\ndef gather(input, dim, index):\n"
        "    CALLS[0] += 1\n    out = torch.gather(input, dim, index)\n"
        "    return out + 1 if CALLS[0] == 7 else out\n"
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_functions_get_live_gradings_verdict(name, fresh, monkeypatch):
    (fresh / "reference").mkdir()
    grade_source(fresh / "reference", "tensors", TENSORS)
    source = splice(TENSORS, HOSTILE[name])
    start = time.monotonic()
    replayed = grade_source(fresh, "tensors", source)
    replay_seconds = time.monotonic() - start
    live = grade_live(fresh, monkeypatch, "tensors", source)
    assert verdicts(replayed) == verdicts(live)
    assert not all(r.passed for r in replayed if r.function == "gather")
    if name == "endless loop":  # the hang costs one time budget, as it does live
        assert replay_seconds < 60


@dataclass
class FakeSession:
    """Answers a batch from a list; counts what the player asked for."""

    answers: list[bytes]
    loaded: bool = True
    sent: int = 0

    def ensure_loaded(self) -> bool:
        return self.loaded

    def send_batch(self, exchanges) -> None:
        self.sent += 1

    def receive(self, timeout):
        from autograder.engine.session import Answer

        return Answer(self.answers.pop(0))

    def decode(self, answer, asked=None) -> Outcome:
        return answer.died or Outcome(value=answer.data)


def transcript_of(*calls: tuple[bytes, bytes]) -> replay.Transcript:
    from autograder.engine.session import digest

    return replay.Transcript([Exchange(p, 5.0, digest(a)) for p, a in calls])


def test_player_passes_identical_answers_without_running_anything():
    transcript = transcript_of((b"call 1", b"answer 1"), (b"call 2", b"answer 2"))
    player = replay._Player(FakeSession([b"answer 1", b"answer 2"]), transcript)
    assert player.complete


def test_player_serves_answers_only_for_the_transcripts_calls():
    transcript = transcript_of((b"call 1", b"answer 1"), (b"call 2", b"answer 2"))
    player = replay._Player(FakeSession([b"answer 1", b"other"]), transcript)
    assert not player.complete  # the second answer differs: the check must run
    assert player.outcome(Exchange(b"call 1", 5.0)).value == b"answer 1"
    with pytest.raises(replay.Diverged):
        player.outcome(Exchange(b"call 3", 5.0))  # not the transcript's next call
    with pytest.raises(replay.Diverged):
        replay._Player(FakeSession([b"answer 1", b"answer 2"]), transcript).outcome(
            Exchange(b"call 1", 9.0)  # another time budget is another call
        )


def test_player_stops_at_a_dead_runner():
    from autograder.engine.session import Answer

    class Dying(FakeSession):
        def receive(self, timeout):
            return Answer(None, Outcome(died="was killed by SIGSEGV"))

    transcript = transcript_of((b"call 1", b"answer 1"), (b"call 2", b"answer 2"))
    player = replay._Player(Dying([]), transcript)
    assert not player.complete and len(player.answers) == 1
    assert player.outcome(Exchange(b"call 1", 5.0)).died
    assert player.served_death
    with pytest.raises(replay.Diverged):
        player.outcome(Exchange(b"call 2", 5.0))  # never answered


def test_examples_are_kept_on_disk_as_data(fresh):
    examples = [
        (torch.arange(6.0).reshape(2, 3).t(), 1, torch.float16, None),
        (Placed(torch.ones(2, requires_grad=True), "meta", False), [1, (2, 3)], {"k": "v"}),
    ]
    exchanges = [Exchange(b"payload", 5.0, "digest")]
    checks = {"tensors.gather.check": (exchanges, [examples])}
    transcript_store.save(cache(), "tensors", "environment", checks)
    assert transcript_store.load(cache(), "tensors", "another environment") == {}
    kept = transcript_store.load(cache(), "tensors", "environment")
    (loaded_exchanges, (loaded,)) = kept["tensors.gather.check"]
    assert loaded_exchanges == exchanges
    first, second = loaded
    assert torch.equal(first[0], examples[0][0]) and first[0].stride() == (1, 3)
    assert first[1:] == (1, torch.float16, None)
    placed = second[0]
    assert isinstance(placed, Placed) and placed.device == "meta" and not placed.contiguous
    assert placed.tensor.requires_grad
    assert second[1:] == ([1, (2, 3)], {"k": "v"})


def kept_files():
    return sorted(transcript_store._folder(cache()).glob("tensors-*.pt"))


def test_a_corrupt_file_is_ignored_and_replaced(fresh, monkeypatch, generated):
    grade_source(fresh, "tensors", TENSORS)
    (kept,) = kept_files()
    kept.write_bytes(b"not a torch file")
    generated["properties"] = 0
    report = grade_path(fresh / "tensors.py")
    assert all(r.passed for r in report.results)
    assert generated["properties"] > 0  # graded live
    environment = kept.stem.removeprefix("tensors-")
    assert len(transcript_store.load(cache(), "tensors", environment)) == len(report.results)


def test_kept_transcripts_are_read_before_any_student_code_runs(fresh, monkeypatch, generated):
    """A submission could write into the folder while it is graded: too late to matter."""
    grade_source(fresh, "tensors", TENSORS)
    config = GradingConfig.from_environment()
    store = replay.TranscriptStore(config)
    store.take_snapshot(["tensors"])
    for kept in kept_files():  # what a hostile import could do
        kept.write_bytes(b"forged")
    generated["properties"] = 0
    report = grade_path(fresh / "tensors.py", config=config, store=store)
    assert all(r.passed for r in report.results)
    assert generated["properties"] == 0  # replayed from the snapshot, not the forged file


def test_a_store_given_every_transcript_of_an_assignment_does_not_read_its_files(fresh):
    """A batch's student store adopts the calibration's transcripts: the files kept on disk
    could only add what it holds already, and reading them was most of a judge's work per
    student.  Adopted for some checks only, the files are read as before."""
    grade_source(fresh, "tensors", TENSORS)
    config = GradingConfig.from_environment()
    recorded = replay.TranscriptStore(config)
    recorded.take_snapshot(["tensors"])
    grade_path(fresh / "tensors.py", config=config, store=recorded)
    exported = recorded.export()
    whole = replay.TranscriptStore(config)
    whole.adopt(exported, load_assignment)
    whole.take_snapshot(["tensors"])
    assert whole.kept_files("tensors") == {}
    some = replay.TranscriptStore(config)
    some.adopt(dict(list(exported.items())[1:]), load_assignment)
    some.take_snapshot(["tensors"])
    assert some.kept_files("tensors") == recorded.kept_files("tensors") != {}


def test_no_cache_folder_keeps_nothing(fresh, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", "")
    assert cache() is None
    grade_source(fresh, "tensors", TENSORS)
    assert not (fresh / "cache").exists()


def test_transcripts_stand_for_the_judges_environment(fresh, monkeypatch):
    """Time budgets and the --data-root files change what a check does: other transcripts."""
    from autograder.engine.session import ModuleSession

    session = ModuleSession(fresh / "tensors.py", "tensors")
    plain = replay.environment(session, GradingConfig())
    changed = ModuleSession(**{**vars(session), "call_timeout": 9.0})
    assert replay.environment(changed, GradingConfig()) != plain
    root = fresh / "fashion"
    (root / "FashionMNIST" / "raw").mkdir(parents=True)
    images = root / "FashionMNIST" / "raw" / "t10k-images-idx3-ubyte"
    images.write_bytes(b"1234")
    with_data = replay.environment(session, GradingConfig(data_root=root))
    assert with_data != plain
    images.write_bytes(b"12345")  # other files at the same place
    assert replay.environment(session, GradingConfig(data_root=root)) != with_data


def test_a_new_grading_process_replays_what_an_earlier_one_kept(fresh):
    """`autograder grade` here, then in a new process: that one replays (it reads the kept
    transcripts)."""
    submission = fresh / "tensors.py"
    submission.write_text(TENSORS)
    arguments = ["grade", str(submission), "--format", "json"]
    env = {"AUTOGRADER_CACHE_DIR": str(fresh / "cache"), "PATH": "/usr/bin:/bin"}
    first = run_here(arguments, cwd=ROOT, env=env)
    assert first.returncode == 0, first.stderr
    (kept,) = kept_files()
    environment = kept.stem.removeprefix("tensors-")
    checks = sum(len(e.checks) for e in load_assignment("tensors").exercises)
    assert len(transcript_store.load(fresh / "cache", "tensors", environment)) == checks
    written = kept.stat().st_mtime_ns
    command = [sys.executable, "-m", "autograder.cli", *arguments]
    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["score"] == 30
    # Every check replayed: nothing new was recorded, so the file was not written again.
    assert kept.stat().st_mtime_ns == written
