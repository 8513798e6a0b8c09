"""Correct, written like d2l: an Accumulator, net.zero_grad(), zero_grad before the forward
pass, float(l.detach()), torch.inference_mode() for evaluation, the net moved in train."""

import torch


class Accumulator:
    """Sums n numbers (d2l)."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def train_epoch(net, train_iter, loss, optimizer, device=None):
    device = device or next(iter(net.parameters())).device
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        X, y = X.to(device, non_blocking=True), y.to(device, non_blocking=True)
        net.zero_grad(set_to_none=False)
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        batch_loss.backward()
        optimizer.step()
        with torch.no_grad():
            metric.add(
                float(batch_loss.detach()) * len(y), (y_hat.argmax(axis=1) == y).sum(), y.numel()
            )
    if metric[2] == 0:
        raise ValueError("no batches")
    return metric[0] / metric[2], metric[1] / metric[2]


def evaluate_accuracy(net, data_iter, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.eval()
    metric = Accumulator(2)
    with torch.inference_mode():
        for X, y in data_iter:
            X, y = X.to(device), y.to(device)
            metric.add((net(X).argmax(axis=1).type(y.dtype) == y).sum(), y.numel())
    if metric[1] == 0:
        raise ValueError("data_iter yielded no examples")
    return metric[0] / metric[1]


def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    if device is not None:
        net.to(device)
    history = []
    for epoch in range(num_epochs):
        metrics = train_epoch(net, train_iter, loss, optimizer, device)
        test_acc = evaluate_accuracy(net, test_iter, device)
        history.append(
            dict(epoch=epoch + 1, train_loss=metrics[0], train_acc=metrics[1], test_acc=test_acc)
        )
    return history
