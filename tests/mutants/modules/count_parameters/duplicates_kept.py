"""named_parameters(remove_duplicate=False): shared parameters counted twice."""


def count_parameters(net):
    return sum(p.numel() for _, p in net.named_parameters(remove_duplicate=False))
