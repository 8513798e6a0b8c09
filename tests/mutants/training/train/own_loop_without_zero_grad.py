"""Writes its own loop instead of calling train_epoch, and forgets optimizer.zero_grad()."""


def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    history = []
    for epoch in range(1, num_epochs + 1):
        net.train()
        total, correct, count = 0.0, 0, 0
        for X, y in train_iter:
            y_hat = net(X)
            batch_loss = loss(y_hat, y)
            batch_loss.backward()
            optimizer.step()
            total += batch_loss.item() * len(y)
            correct += int((y_hat.argmax(dim=1) == y).sum())
            count += len(y)
        test_acc = evaluate_accuracy(net, test_iter, device)  # noqa: F821
        history.append(
            {
                "epoch": epoch,
                "train_loss": total / count,
                "train_acc": correct / count,
                "test_acc": test_acc,
            }
        )
    return history
