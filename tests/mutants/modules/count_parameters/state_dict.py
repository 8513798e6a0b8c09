"""Counts the state_dict: buffers too, and tied weights twice."""


def count_parameters(net):
    return sum(v.numel() for v in net.state_dict().values())
