"""Adds up each layer's parameters: d2l's shared layer is counted twice."""


def count_parameters(net):
    return sum(p.numel() for layer in net for p in layer.parameters())
