"""Building the student release from the reference solutions (``autograder release``).

The solutions are the one source of truth: their ``### BEGIN SOLUTION`` /
``### END SOLUTION`` blocks (nbgrader's markers) say what students write.  The repository
is an nbgrader course directory, and the release writes, for every assignment ``<a>``:

- ``assignments/<a>.py``: the stub module (``stubs``);
- ``source/<a>/<a>.ipynb``: nbgrader's source notebook, with the solutions
  (``module`` splits the solution module, ``markdown`` and ``teaching`` write the teaching
  cells: English from the docstrings, other languages from each assignment's
  ``locale/<lang>.py``; ``source_notebook`` assembles the cells);
- ``release/<a>/<a>.ipynb``: the student notebook, made by nbgrader's own
  ``generate_assignment`` (``student``).

``build`` runs the steps.  Everything generated is committed and tested against a fresh
build; nothing from a solution block reaches ``assignments/`` or ``release/``.
"""
