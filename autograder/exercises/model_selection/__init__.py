"""The assignment ``model_selection``: its checks, probes, oracle and translations.

``checks.py`` grades ``model_selection.py`` (see its docstring); ``probes.py`` runs inside the
sandboxed runner; ``oracle.py`` answers in the student kit; ``locale/<lang>.py`` holds
the feedback and teaching text in that language.
"""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 4
