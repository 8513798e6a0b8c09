"""The assignment ``scaling`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 100
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = "the parts of an assignment, in one line of code"
