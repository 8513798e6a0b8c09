"""Confidence bounds for randomised checks (dropout masks, random initialisations).

A randomised check compares a statistic of the student's random output with the value a
correct solution has on average.  Each bound here is wide enough that a *correct* solution
lands outside it with probability at most ``DELTA = 1e-11`` (over the randomness of its
draws; grading itself is deterministic because the seeds are fixed).  An assignment's
grading tests at most ``MAX_STATISTICS`` such statistics, so by the union bound a correct
submission loses points to bad luck with probability at most ``50 * 1e-11 = 5e-10 < 1e-9``.

The bounds are distribution-free (Hoeffding) or exact tail bounds (Gaussian, chi-square),
not normal approximations, so they hold for every sample size.
"""

from __future__ import annotations

import math

DELTA = 1e-11
MAX_STATISTICS = 50
LOG_TERM = math.log(2 / DELTA)  # ln(2e11) = 26.02: two-sided tails, each DELTA / 2


def hoeffding_radius(n: int, width: float = 1.0, delta: float = DELTA) -> float:
    """``t`` with ``P(|mean - E[mean]| >= t) <= delta`` for ``n`` independent values.

    The values must lie in an interval of length ``width``.  Hoeffding's inequality gives
    ``P(|mean - E| >= t) <= 2 exp(-2 n t**2 / width**2)``; setting that to ``delta``::

        t = width * sqrt(ln(2 / delta) / (2 n))

    For indicators (``width = 1``), ``n = 20000`` and ``delta = 1e-11``: ``t = 0.0255``.
    """
    return width * math.sqrt(math.log(2 / delta) / (2 * n))


def gaussian_mean_radius(n: int, std: float, delta: float = DELTA) -> float:
    """``t`` with ``P(|mean| >= t) <= delta`` for the mean of ``n`` draws of ``N(0, std**2)``.

    The mean is ``N(0, std**2 / n)`` and ``P(|Z| >= z) <= 2 exp(-z**2 / 2)`` (Chernoff), so
    ``t = std * sqrt(2 ln(2 / delta) / n)``: ``0.0510 * std`` for ``n = 20000``.
    """
    return std * math.sqrt(2 * math.log(2 / delta) / n)


def chi_square_interval(n: int, delta: float = DELTA) -> tuple[float, float]:
    """Bounds on ``S / n`` with ``S = z_1**2 + ... + z_n**2`` for ``n`` standard normals.

    Laurent and Massart (2000, Lemma 1): for every ``x > 0``::

        P(S - n >= 2 sqrt(n x) + 2 x) <= exp(-x)
        P(n - S >= 2 sqrt(n x))       <= exp(-x)

    With ``x = ln(2 / delta)`` the two tails together have probability ``<= delta``.  For
    ``n = 20000``: ``S / n`` lies in ``[0.928, 1.075]``.
    """
    x = math.log(2 / delta)
    return 1 - 2 * math.sqrt(x / n), 1 + 2 * math.sqrt(x / n) + 2 * x / n
