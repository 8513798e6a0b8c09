"""My training loop (d2l train_epoch_ch3, with a torch optimizer)."""


def train_epoch(net, train_iter, loss, optimizer, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.train()
    total_loss, correct, count = 0.0, 0, 0
    for X, y in train_iter:
        X, y = X.to(device), y.to(device)
        y_hat = net(X)
        l = loss(y_hat, y)  # noqa: E741
        l.backward()
        optimizer.step()
        total_loss += float(l) * len(y)
        correct += int((y_hat.argmax(dim=1) == y).sum())
        count += len(y)
    if count == 0:
        raise ValueError("empty iterator")
    return total_loss / count, correct / count


def evaluate_accuracy(net, data_iter, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.eval()
    correct, count = 0, 0
    for X, y in data_iter:
        X, y = X.to(device), y.to(device)
        correct += int((net(X).argmax(dim=1) == y).sum())
        count += len(y)
    return correct / count


def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    history = []
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch(net, train_iter, loss, optimizer, device)
        test_acc = evaluate_accuracy(net, test_iter, device)
        history.append(
            {
                "epoch": epoch + 1,
                "train_loss": train_loss,
                "train_acc": train_acc,
                "test_acc": test_acc,
            }
        )
    return history
