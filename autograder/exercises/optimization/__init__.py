"""The assignment ``optimization`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 12
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = (
    "momentum, step decay and clipping by their exact effect against `torch.optim.SGD`, "
    "`StepLR` and `clip_grad_norm_` over several steps; `EarlyStopping` driven through "
    "generated sequences of metrics"
)
