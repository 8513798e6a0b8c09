"""Errors that commands report as usage errors (exit status 2).

Kept apart from the grading code so that commands which only read results (``merge``) can
catch them without importing torch.
"""

from __future__ import annotations


class SubmissionError(Exception):
    """The path given cannot be graded (usage error, exit status 2)."""
