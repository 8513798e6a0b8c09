"""Grading a class: discover submissions, shard them, grade them in parallel, merge shards.

The route of one student is that of one grading (docs/architecture.md), in a *worker*: the
judge that runs ``grade-batch`` forks workers from the fork server and sends each a student;
calls and results cross in the engine's wire format (:mod:`autograder.engine.protocol`).

* :mod:`autograder.batch.model` — a student's result, the ``results.json`` of a run, which
  submissions a shard grades, the results files a merge reads;
* :mod:`autograder.batch.pool` — grading students in worker processes, each guarded;
* :mod:`autograder.batch.workers` — the worker processes and their messages;
* :mod:`autograder.batch.progress` — the class graded with a progress bar;
* :mod:`autograder.batch.outputs` — the gradebook, feedback files and class summary, in
  every format of :mod:`autograder.report.formats` that asks for one;
* :mod:`autograder.batch.nbgrader` — the grades written into an nbgrader course's gradebook.

(This module imports nothing, so the report modules can use the model without a cycle.)
"""
