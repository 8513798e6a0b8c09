"""The assignment ``mlp`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 3
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = "randomised checks with stated false-failure bounds (`autograder/grading/stats.py`)"
