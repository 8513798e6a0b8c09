"""Numbers the epochs from 0."""


def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    history = []
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch(net, train_iter, loss, optimizer, device)  # noqa: F821
        test_acc = evaluate_accuracy(net, test_iter, device)  # noqa: F821
        history.append(
            {"epoch": epoch, "train_loss": train_loss, "train_acc": train_acc, "test_acc": test_acc}
        )
    return history
