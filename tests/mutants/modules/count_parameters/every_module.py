"""Walks net.modules() and counts each module's parameters recursively: nested ones many times."""


def count_parameters(net):
    return sum(p.numel() for m in net.modules() for p in m.parameters())
