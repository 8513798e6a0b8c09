"""Every place a process of the grader starts running our code by name, in one table.

A process forked from the fork server (a judge, a second judge, a batch worker) or a runner
loading a probe starts in a function named as ``module:function``: a string, so that the
lower layer that starts the process need not import the upper layer that it runs.  Those
strings are the only dependencies that import-linter cannot see; they are all here, each
with the layer that starts it and the one it enters (tests/test_entry_points.py checks that
every one resolves, and that no other ``autograder.…:…`` string is used to start a process).
"""

from __future__ import annotations

# engine.fork_server forks a judge for the command (engine -> cli): the command hands its
# grading to it and waits (autograder.engine.handover).
COMMAND_JUDGE = "autograder.cli:run_in_a_judge"
# grading.second_judge forks a second judge, which grades modules (grading -> grading.grade).
SECOND_JUDGE = "autograder.grading.grade:serve_second_judge"
# batch.workers forks the workers of a class run (batch -> batch.pool).
BATCH_WORKER = "autograder.batch.pool:serve_worker"
# A runner calls a student's function through this probe unless a check names its own.
DEFAULT_PROBE = "autograder.engine.calls:call"
# The console script of pyproject.toml (and of the student kit's).
CONSOLE_SCRIPT = "autograder.cli:entry_point"

# By what each is for, for a reader and for the test.
ENTRY_POINTS: dict[str, str] = {
    "command judge": COMMAND_JUDGE,
    "second judge": SECOND_JUDGE,
    "batch worker": BATCH_WORKER,
    "default probe": DEFAULT_PROBE,
    "console script": CONSOLE_SCRIPT,
}
