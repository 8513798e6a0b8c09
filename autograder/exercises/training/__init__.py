"""The assignment ``training`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 6
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = "graded by the exact effect on the parameters, plus real data"
