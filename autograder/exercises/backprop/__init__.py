"""The assignment ``backprop`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 11
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = (
    "a perceptron's and a two-layer MLP's backward pass by hand (the delta rule), "
    "Himmelblau's function minimised with Adam"
)
