"""The assignment ``batch_norm`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 13
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = (
    "batch norm by hand, then as a layer with running statistics: graded against torch's "
    "`F.batch_norm` and `nn.BatchNorm1d/2d` over several steps in both modes; the seeds' "
    "division by the variance and `BatchNorm1d` on images explained"
)
