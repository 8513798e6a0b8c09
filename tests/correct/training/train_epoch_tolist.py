"""Correct, written differently: train_epoch clears the gradients before the forward pass
and counts the right predictions in Python over ``.tolist()`` of the predictions and the
labels (data-dependent); the loss is summed with ``.item()``."""


def train_epoch(net, train_iter, loss, optimizer, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.train()
    loss_sum, right, seen = 0.0, 0, 0
    for X, y in train_iter:
        X = X.to(device)
        y = y.to(device)
        optimizer.zero_grad(set_to_none=True)
        scores = net(X)
        batch_loss = loss(scores, y)
        batch_loss.backward()
        optimizer.step()
        batch_size = y.shape[0]
        loss_sum += batch_loss.item() * batch_size
        guesses = scores.argmax(dim=1).tolist()
        right += sum(1 for guess, label in zip(guesses, y.tolist()) if guess == label)
        seen += batch_size
    if seen == 0:
        raise ValueError("train_iter gave no batches, so there is nothing to average")
    return loss_sum / seen, right / seen
