"""Errors that commands report as usage errors (exit status 2).

Kept apart from the grading code so that commands which only read results (``merge``) can
catch them without importing torch.
"""

from __future__ import annotations


class SubmissionError(Exception):
    """The path given cannot be graded (usage error, exit status 2)."""


class SandboxUnavailable(Exception):
    """This machine cannot seal runners as required (an environment error, exit status 2)."""


class CourseError(Exception):
    """An nbgrader course or its gradebook cannot take the grades (exit status 2)."""


class WorkersCannotStart(RuntimeError):
    """Every new pool of a class run's workers broke before it could take a student."""
