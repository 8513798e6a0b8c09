"""The assignment ``softmax_regression`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 2
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = "overflow-safe softmax, log-sum-exp"
