"""The engine: processes, sealing, and the messages between them (the bottom layer).

Its part in the route of one grading (docs/architecture.md draws all of it):

1. ``handover`` — the command forks a *judge* from the ``fork_server`` (which imported torch
   once) and sends it its arguments as JSON (``pipes``); the judge runs the command, and its
   exit status becomes the command's.
2. ``sandbox`` / ``session`` — the judge's handle on a *runner*: forked from the fork server,
   sealed before any student code runs (``containment``, ``syscalls``, ``empty_root``),
   launched with a scrubbed environment (``launch``); ``runner`` is the only code that
   imports and calls the student's module (through probes: ``calls``, ``lending``).
3. ``protocol`` — the one wire format of every hop (runner, second judge, batch worker):
   plain data and tensor bytes, nothing unpickled; ``answers`` checks each answer against
   the request it answers; ``forbidden_names`` says what a refused name stands for.
4. ``entry_points`` — the table of every ``module:function`` a forked process starts in.

The engine knows nothing of assignments or checks: the grading layer above drives it.
"""
