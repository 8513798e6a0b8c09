"""Measures test_acc on the training iterator."""


def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    history = []
    for epoch in range(1, num_epochs + 1):
        train_loss, train_acc = train_epoch(net, train_iter, loss, optimizer, device)  # noqa: F821
        test_acc = evaluate_accuracy(net, train_iter, device)  # noqa: F821
        history.append(
            {"epoch": epoch, "train_loss": train_loss, "train_acc": train_acc, "test_acc": test_acc}
        )
    return history
