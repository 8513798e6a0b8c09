"""The assignment ``model_selection`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 4
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = "folds as scikit-learn's `KFold`; every sample used"
