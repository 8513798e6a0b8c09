"""The assignments of the course, one folder each (see :mod:`autograder.grading.registry`).

Kept free of imports: the sandboxed runner imports an assignment's ``probes`` through this
package and may read only the ``__init__.py`` files and ``probes.py`` here.
"""
