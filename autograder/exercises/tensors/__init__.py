"""The assignment ``tensors`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 1
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = "broadcasting rules and `gather` by hand"
