"""Correct, written differently: train zips itertools.count(1) with range(num_epochs) and
builds each epoch's record with dict(zip(keys, values))."""

import itertools

KEYS = ("epoch", "train_loss", "train_acc", "test_acc")


def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
    history = []
    for epoch, _ in zip(itertools.count(1), range(num_epochs)):
        mean_loss, accuracy = train_epoch(net, train_iter, loss, optimizer, device=device)  # noqa: F821
        test_accuracy = evaluate_accuracy(net, test_iter, device)  # noqa: F821
        history.append(dict(zip(KEYS, (epoch, mean_loss, accuracy, test_accuracy))))
    return history
