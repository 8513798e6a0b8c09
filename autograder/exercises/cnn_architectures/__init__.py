"""The assignment ``cnn_architectures`` (see ``autograder.grading.registry``)."""

# Where the assignment comes in the course (the registry sorts by it).
POSITION = 14
# What the README's course table says about it (``autograder release`` writes the table).
SUMMARY = (
    "LeNet, VGG blocks and residual blocks graded by behaviour: every layer's output shape, "
    "parameter counts, the forward pass from fixed parameters, a few training steps; a "
    "linear layer sized for one channel, activations on the logits and a ReLU before the "
    "residual sum explained"
)
