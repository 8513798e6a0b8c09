"""The assignment ``modules`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 9
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = (
    "classes graded by behaviour in the runner (parameters, forward, "
    "`train()`/`eval()`, `.to(device)`); the seeds' `__format__`, ReLU on logits and "
    "`weight.data` explained"
)
