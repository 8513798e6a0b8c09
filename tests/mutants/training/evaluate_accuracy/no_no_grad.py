"""The seed's bug: evaluates without torch.no_grad(), building a graph nobody uses."""


def evaluate_accuracy(net, data_iter, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.eval()
    correct, count = 0, 0
    for X, y in data_iter:
        X, y = X.to(device), y.to(device)
        correct += int((net(X).argmax(dim=1) == y).sum())
        count += len(y)
    if count == 0:
        raise ValueError("no examples")
    return correct / count
