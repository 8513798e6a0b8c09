"""Grading: from a submission to its check results (above the engine, below the exercises).

Its part in the route of one grading (docs/architecture.md draws all of it):

1. ``discovery`` — which file of the submission is each assignment (the one worked on where
   there are several; notebooks turned into modules), and what to say when none is there.
2. ``grade`` — ``grade_path`` grades the assignments, on two cores with ``second_judge``;
   ``grade_module`` grades one module by the named ``steps``: missing, import failed, then
   per exercise not defined, scan refusal (``scan``), helpers (``lending``), checks (with
   hung and hidden).
3. A check (``exercises/<name>/checks.py``, registered through ``model`` and found by
   ``registry``) runs in the judge with a ``context`` that calls the student's function in
   the runner, compares (``expect``, ``properties``, ``stats``) against the ``truth`` (the
   reference solutions, or the kit's oracles); ``replay`` and ``transcript_store`` grade the
   next submission on the examples of the last passing one.
4. The results — ``model``'s ``CheckResult`` in a ``GradeReport`` — go to the report layer.

``config`` holds one run's settings, built once from options and environment.
"""
