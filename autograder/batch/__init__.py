"""Grading a class: discover submissions, shard them, grade them in parallel, merge shards.

* :mod:`autograder.batch.model` — a student's result and the ``results.json`` of a run;
* :mod:`autograder.batch.pool` — grading students in worker processes, each guarded;
* :mod:`autograder.batch.outputs` — the gradebook, feedback files and class summary.
* :mod:`autograder.batch.nbgrader` — the grades written into an nbgrader course's gradebook.

(This module imports nothing, so the report modules can use the model without a cycle.)
"""
