"""The assignment ``gradients`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 10
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = (
    "derivatives by hand, autograd refused: activations, softmax's Jacobian, "
    "cross-entropy's gradient, Huber's loss; judged against autograd in float64"
)
