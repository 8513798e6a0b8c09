"""Counts the parameter tensors, not their elements."""


def count_parameters(net):
    return len(list(net.parameters()))
