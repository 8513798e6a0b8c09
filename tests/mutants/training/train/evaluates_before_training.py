"""Evaluates before the epoch's training, so test_acc lags one epoch behind."""


def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    history = []
    for epoch in range(1, num_epochs + 1):
        test_acc = evaluate_accuracy(net, test_iter, device)  # noqa: F821
        train_loss, train_acc = train_epoch(net, train_iter, loss, optimizer, device)  # noqa: F821
        history.append(
            {"epoch": epoch, "train_loss": train_loss, "train_acc": train_acc, "test_acc": test_acc}
        )
    return history
