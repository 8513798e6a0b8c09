"""Correct: counts kept as tensors on the device (detached) and turned into floats at the
end; torch.set_grad_enabled(False) for evaluation; batches moved only when needed."""

import torch


def train_epoch(net, train_iter, loss, optimizer, device=None):
    device = torch.device(device) if device is not None else next(net.parameters()).device
    net.train()
    total = correct = None
    count = 0
    for X, y in train_iter:
        if X.device != device:
            X = X.to(device)
        if y.device != device:
            y = y.to(device)
        optimizer.zero_grad()
        y_hat = net(X)
        batch_loss = loss(y_hat, y)
        batch_loss.backward()
        optimizer.step()
        part = batch_loss.detach() * y.shape[0]
        hits = (y_hat.detach().argmax(-1) == y).sum()
        total = part if total is None else total + part
        correct = hits if correct is None else correct + hits
        count += y.shape[0]
    if not count:
        raise ValueError("train_iter is empty")
    return (total / count).item(), correct.item() / count


def evaluate_accuracy(net, data_iter, device=None):
    device = torch.device(device) if device is not None else next(net.parameters()).device
    net.eval()
    correct, count = 0, 0
    with torch.set_grad_enabled(False):
        for X, y in data_iter:
            X, y = torch.as_tensor(X, device=device), torch.as_tensor(y, device=device)
            correct += (net(X).argmax(-1) == y).sum().item()
            count += y.numel()
    if count == 0:
        raise ValueError("data_iter is empty")
    return correct / count


def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    return [
        {
            "epoch": epoch,
            "train_loss": (result := train_epoch(net, train_iter, loss, optimizer, device))[0],
            "train_acc": result[1],
            "test_acc": evaluate_accuracy(net, test_iter, device),
        }
        for epoch in range(1, num_epochs + 1)
    ]
